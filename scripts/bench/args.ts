/** `npm run bench` flags. */
import { integerFlag, numberFlag, readFlags } from '../../sandbox/common/cliFlags';

export interface BenchArgs {
	invoices: number;
	lines: number;
	skus: number;
	customers: number;
	failureRate: number;
	seed: number;
	/** Invoices of the one-execution memory run (0 = skip it). */
	big: number;
	/** Max Invoices per trigger poll in the main run (the trigger's default). */
	maxInvoices: number;
	/** Rate-limit windows are divided by this (60: QuickBooks' minute lasts one second). */
	timeScale: number;
	baseline: boolean;
	/** Invoices the baseline workflow syncs (in real n8n, one HTTP call at a time). */
	baselineSample: number;
	/** Compute the baseline with plain HTTP calls instead of a real n8n. */
	baselineScript: boolean;
	warmUp: boolean;
	/** Measured syncs of the main data set (the median CPU is reported). */
	repeat: number;
	json: boolean;
	/** Directory for V8 CPU and allocation profiles of the measured runs. */
	profile?: string;
	/** Also run the big data set with --max-old-space-size=N (MB): how small a heap the sync fits in. */
	bigHeapLimitMb?: number;
	/** Instead of the usual figures: wall time ÷ rate-limit floor with real-time limits (wallToLimit.ts). */
	realTimeLimits: boolean;
	/** Invoices of the wall-time runs. */
	wallInvoices: number[];
	/** Time scale of the wall-time runs above 1,000 invoices (1 = real time). */
	wallScale10k: number;
	help: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]
  --invoices N          HubSpot invoices in the data set (default 1000)
  --lines N             lines per invoice (default 5)
  --skus N              QuickBooks products / SKUs (default 200)
  --customers N         customers (default 300)
  --failure-rate X      share of invoices that should fail, 0..1 (default 0.05)
  --seed N              data set seed (default 1)
  --big N               invoices of the one-execution memory run (default 10000; 0 skips it)
  --max-invoices N      the trigger's Max Invoices per poll in the main run (default 1000)
  --time-scale N        rate-limit windows divided by N (default 60; 1 = real time)
  --baseline-sample N   invoices the baseline syncs (default 50)
  --baseline-script     baseline with plain HTTP calls from this process instead of a real n8n
  --no-baseline         skip the baseline
  --no-warm-up          measure the first sync of a fresh process only
  --repeat N            measured syncs of the main data set, median CPU reported (default 3)
  --profile DIR         write V8 CPU and allocation profiles of the measured runs into DIR
  --big-heap-limit MB   also run the big data set with node --max-old-space-size=MB
  --real-time-limits    only wall time ÷ rate-limit floor, real-time limits, one execution per volume
  --wall-invoices LIST  volumes of those runs (default 1000,10000)
  --wall-scale-10k N    time scale of the runs above 1,000 invoices (default 1 = real time)
  --json                print one JSON object as the last line
  --help                show this text`;

export function parseArgs(argv: string[]): BenchArgs {
	const flags = readFlags(argv, {
		invoices: { type: 'string' },
		lines: { type: 'string' },
		skus: { type: 'string' },
		customers: { type: 'string' },
		'failure-rate': { type: 'string' },
		seed: { type: 'string' },
		big: { type: 'string' },
		'max-invoices': { type: 'string' },
		'time-scale': { type: 'string' },
		'baseline-sample': { type: 'string' },
		'baseline-script': { type: 'boolean' },
		'no-baseline': { type: 'boolean' },
		'no-warm-up': { type: 'boolean' },
		repeat: { type: 'string' },
		profile: { type: 'string' },
		'big-heap-limit': { type: 'string' },
		json: { type: 'boolean' },
		'real-time-limits': { type: 'boolean' },
		'wall-invoices': { type: 'string' },
		'wall-scale-10k': { type: 'string' },
		help: { type: 'boolean', short: 'h' },
	});
	if (flags.profile !== undefined && !flags.profile) throw new Error('--profile needs a directory');
	return {
		invoices: integerFlag('invoices', flags.invoices, 1000, 1),
		lines: integerFlag('lines', flags.lines, 5, 1),
		skus: integerFlag('skus', flags.skus, 200, 4),
		customers: integerFlag('customers', flags.customers, 300, 6),
		failureRate: numberFlag('failure-rate', flags['failure-rate'], 0.05, 0, 1),
		seed: integerFlag('seed', flags.seed, 1),
		big: integerFlag('big', flags.big, 10_000),
		maxInvoices: integerFlag('max-invoices', flags['max-invoices'], 1000, 1),
		timeScale: integerFlag('time-scale', flags['time-scale'], 60, 1),
		baseline: !flags['no-baseline'],
		baselineSample: integerFlag('baseline-sample', flags['baseline-sample'], 50, 1),
		baselineScript: flags['baseline-script'] ?? false,
		warmUp: !flags['no-warm-up'],
		repeat: integerFlag('repeat', flags.repeat, 3, 1),
		json: flags.json ?? false,
		profile: flags.profile,
		bigHeapLimitMb: integerFlag('big-heap-limit', flags['big-heap-limit'], undefined, 16),
		realTimeLimits: flags['real-time-limits'] ?? false,
		wallInvoices: wallInvoices(flags['wall-invoices']),
		wallScale10k: integerFlag('wall-scale-10k', flags['wall-scale-10k'], 1, 1),
		help: flags.help ?? false,
	};
}

function wallInvoices(value: string | undefined): number[] {
	if (value === undefined) return [1000, 10_000];
	const volumes = value.split(',').map((part) => integerFlag('wall-invoices', part.trim(), undefined, 1));
	if (volumes.some((volume) => volume === undefined)) throw new Error('--wall-invoices takes a comma-separated list of invoice counts');
	return volumes as number[];
}
