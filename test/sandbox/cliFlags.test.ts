/** The tools' command lines: `npm run sandbox` and `npm run bench` flags through one reader. */
import { parseArgs as parseBenchArgs } from '../../scripts/bench/args';
import { parseArgs as parseSandboxArgs } from '../../sandbox/cli';

describe('npm run sandbox flags', () => {
	it('reads ports, data set and limits in both --flag value and --flag=value forms', () => {
		expect(parseSandboxArgs(['--port-hubspot', '4010', '--port-quickbooks=4020', '--no-limits'])).toEqual({
			ports: { hubspot: 4010, quickbooks: 4020, slack: undefined },
			dataset: 'default',
			invoices: undefined,
			seed: undefined,
			limits: false,
			help: false,
		});
		expect(parseSandboxArgs(['--invoices', '500', '--seed', '7'])).toMatchObject({ dataset: 'generated', invoices: 500, seed: 7, limits: true });
		expect(parseSandboxArgs(['-h']).help).toBe(true);
	});

	it('refuses unknown flags, bad numbers and unknown data sets, naming the flag', () => {
		expect(() => parseSandboxArgs(['--port'])).toThrow(/Unknown option '--port'/);
		expect(() => parseSandboxArgs(['--seed', 'x'])).toThrow('--seed needs an integer ≥ 0, got x');
		expect(() => parseSandboxArgs(['--port-slack=1.5'])).toThrow('--port-slack needs an integer ≥ 0, got 1.5');
		expect(() => parseSandboxArgs(['--dataset', 'huge'])).toThrow('--dataset must be default or generated, got huge');
	});
});

describe('npm run bench flags', () => {
	it('defaults to the README\'s benchmark set-up and reads every flag', () => {
		expect(parseBenchArgs([])).toMatchObject({ invoices: 1000, lines: 5, skus: 200, customers: 300, failureRate: 0.05, big: 10_000, timeScale: 60, baseline: true, warmUp: true, repeat: 3, json: false });
		expect(
			parseBenchArgs(['--invoices', '50', '--big=0', '--no-baseline', '--no-warm-up', '--failure-rate', '0.1', '--profile', '/tmp/p', '--big-heap-limit', '256', '--json']),
		).toMatchObject({ invoices: 50, big: 0, baseline: false, warmUp: false, failureRate: 0.1, profile: '/tmp/p', bigHeapLimitMb: 256, json: true });
	});

	it('refuses values out of range', () => {
		expect(() => parseBenchArgs(['--invoices', '0'])).toThrow('--invoices needs an integer ≥ 1, got 0');
		expect(() => parseBenchArgs(['--failure-rate', '2'])).toThrow('--failure-rate needs a number from 0 to 1, got 2');
		expect(() => parseBenchArgs(['--big-heap-limit', '8'])).toThrow('--big-heap-limit needs an integer ≥ 16, got 8');
		expect(() => parseBenchArgs(['--profile'])).toThrow(/argument missing/);
	});
});
