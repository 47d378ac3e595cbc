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
	// Each test file loads its own nock, which patches Node's http on top of the previous files'
	// patches; after a dozen files in one worker the stacked interceptors lose socket errors and
	// the worker dies. Recycling the worker after every file keeps exactly one patch.
	workerIdleMemoryLimit: '1MB',
	maxWorkers: 2,
};
