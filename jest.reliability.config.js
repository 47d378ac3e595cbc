/**
 * The reliability and security tier (`npm run test:reliability`): chaos, crash and re-run,
 * concurrent runs, fuzz, injection, secrets, rate-limit manners; the QuickBooks → HubSpot direction's
 * own suites are the reverse*.test.ts files. Long tests, one at a time (they
 * measure concurrency and timing, and share the sandbox's fixed fault seeds).
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/reliability'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	setupFiles: ['<rootDir>/test/setup.ts'],
	testTimeout: 300000,
	maxWorkers: 1,
};
