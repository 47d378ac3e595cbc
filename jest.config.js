/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	setupFiles: ['<rootDir>/test/setup.ts'],
	// The end-to-end and reliability tiers have their own commands.
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/test/reliability/'],
	testTimeout: 30000,
};
