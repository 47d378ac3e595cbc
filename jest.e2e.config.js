/** End-to-end tier: a real n8n server (see scripts/n8n). `npm run test:e2e`. */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	rootDir: __dirname,
	testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	setupFiles: ['<rootDir>/test/setup.ts'],
	// package/dist/package.json (copied by the build) would collide with package/package.json in jest's module map.
	modulePathIgnorePatterns: ['<rootDir>/package/dist/'],
	// The first run installs Node 24 and n8n (~5 minutes); every test file starts its own server.
	testTimeout: 15 * 60 * 1000,
	// One n8n server at a time on a 2-core machine.
	maxWorkers: 1,
};
