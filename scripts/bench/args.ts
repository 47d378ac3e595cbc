/** `npm run bench` flags. */

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
  --json                print one JSON object as the last line
  --help                show this text`;

export function parseArgs(argv: string[]): BenchArgs {
	const args: BenchArgs = {
		invoices: 1000,
		lines: 5,
		skus: 200,
		customers: 300,
		failureRate: 0.05,
		seed: 1,
		big: 10_000,
		maxInvoices: 1000,
		timeScale: 60,
		baseline: true,
		baselineSample: 50,
		baselineScript: false,
		warmUp: true,
		repeat: 3,
		json: false,
		help: false,
	};
	const integer = (flag: string, value: string | undefined, min = 0): number => {
		const n = Number(value);
		if (value === undefined || !Number.isInteger(n) || n < min) throw new Error(`${flag} needs an integer ≥ ${min}, got ${value ?? 'nothing'}`);
		return n;
	};
	for (let index = 0; index < argv.length; index++) {
		const [flag, inline] = argv[index].split('=', 2) as [string, string | undefined];
		const value = () => inline ?? argv[++index];
		switch (flag) {
			case '--invoices':
				args.invoices = integer(flag, value(), 1);
				break;
			case '--lines':
				args.lines = integer(flag, value(), 1);
				break;
			case '--skus':
				args.skus = integer(flag, value(), 4);
				break;
			case '--customers':
				args.customers = integer(flag, value(), 6);
				break;
			case '--failure-rate': {
				const raw = value();
				const rate = Number(raw);
				if (raw === undefined || !Number.isFinite(rate) || rate < 0 || rate > 1) throw new Error(`--failure-rate needs a number from 0 to 1, got ${raw ?? 'nothing'}`);
				args.failureRate = rate;
				break;
			}
			case '--seed':
				args.seed = integer(flag, value());
				break;
			case '--big':
				args.big = integer(flag, value());
				break;
			case '--max-invoices':
				args.maxInvoices = integer(flag, value(), 1);
				break;
			case '--time-scale':
				args.timeScale = integer(flag, value(), 1);
				break;
			case '--baseline-sample':
				args.baselineSample = integer(flag, value(), 1);
				break;
			case '--baseline-script':
				args.baselineScript = true;
				break;
			case '--no-baseline':
				args.baseline = false;
				break;
			case '--no-warm-up':
				args.warmUp = false;
				break;
			case '--repeat':
				args.repeat = integer(flag, value(), 1);
				break;
			case '--profile':
				args.profile = value();
				if (!args.profile) throw new Error('--profile needs a directory');
				break;
			case '--big-heap-limit':
				args.bigHeapLimitMb = integer(flag, value(), 16);
				break;
			case '--json':
				args.json = true;
				break;
			case '--help':
			case '-h':
				args.help = true;
				break;
			default:
				throw new Error(`Unknown option ${argv[index]}`);
		}
	}
	return args;
}
