/**
 * `npm run bench`: what a sync costs in API calls, CPU and memory, against the APIs' own lower
 * bound, the time their rate limits impose, and the same sync wired by hand in n8n.
 *
 *   npm run bench                      # 1,000 invoices, the 10,000-invoice run, the baseline
 *   npm run bench -- --big 0 --no-baseline --json
 *
 * Progress goes to stderr; the tables (and with --json, one JSON object as the last line) to stdout.
 * See scripts/bench/README.md for what is measured and how the bounds are defined.
 */
import { USAGE, parseArgs, type BenchArgs } from './args';
import { runBaseline, type BaselineResult } from './baseline';
import { renderTables, summarize } from './report';
import { runScenario, type ScenarioResult } from './scenario';

/** CPU time of a fixed piece of JavaScript on this machine, to compare figures across machines. */
export function referenceCpuMs(): number {
	const line = { hubspotLineItemId: '4010000001', sku: 'SKU-00103', name: 'Charger 00103', description: 'Charger 00103', quantity: 4, unitPrice: 257.5, amount: 1030, discount: null, taxRateId: '1002', taxLabel: 'Exempt (0%)' };
	const invoice = { source: { system: 'hubspot', id: '3010000001' }, number: 'INV-100001', status: 'open', currency: 'USD', customer: { email: 'emma.jensen@example.com' }, lines: [line, line, line, line, line] };
	const started = process.cpuUsage();
	let total = 0;
	for (let index = 0; index < 20_000; index++) total += (JSON.parse(JSON.stringify({ ...invoice, number: `INV-${index}` })) as { lines: unknown[] }).lines.length;
	const used = process.cpuUsage(started);
	if (total !== 100_000) throw new Error('reference workload miscounted');
	return (used.user + used.system) / 1000;
}

async function main(): Promise<void> {
	let args: BenchArgs;
	try {
		args = parseArgs(process.argv.slice(2));
	} catch (error) {
		console.error(`${(error as Error).message}\n\n${USAGE}`);
		process.exit(2);
	}
	if (args.help) {
		console.log(USAGE);
		return;
	}
	const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
	const dataset = { seed: args.seed, invoices: args.invoices, linesPerInvoice: args.lines, skus: args.skus, customers: args.customers, failureRate: args.failureRate };
	const reference = referenceCpuMs();

	const main: ScenarioResult = await runScenario(
		{ label: `${args.invoices} invoices`, dataset, timeScale: args.timeScale, maxInvoices: args.maxInvoices, warmUp: args.warmUp, cpuProfileDir: args.profile },
		progress,
	);
	let big: ScenarioResult | undefined;
	if (args.big > 0) {
		big = await runScenario(
			{
				label: `${args.big} invoices`,
				dataset: { ...dataset, invoices: args.big },
				timeScale: args.timeScale,
				// One execution: Max Invoices covers the whole data set.
				maxInvoices: args.big,
				// A cold process, so its peak RSS is this run's alone.
				warmUp: false,
				cpuProfileDir: args.profile,
			},
			progress,
		);
	}
	let bigLimited: ScenarioResult | undefined;
	if (args.big > 0 && args.bigHeapLimitMb) {
		bigLimited = await runScenario(
			{
				label: `${args.big} invoices, --max-old-space-size=${args.bigHeapLimitMb}`,
				dataset: { ...dataset, invoices: args.big },
				timeScale: args.timeScale,
				maxInvoices: args.big,
				warmUp: false,
				maxOldSpaceMb: args.bigHeapLimitMb,
			},
			progress,
		);
	}
	let baseline: BaselineResult | undefined;
	if (args.baseline) {
		baseline = await runBaseline({ dataset, timeScale: args.timeScale, sample: Math.min(args.baselineSample, main.facts.invoices), script: args.baselineScript, fullFacts: main.facts }, progress);
	}

	const summary = summarize(args, main, big, baseline, reference, bigLimited);
	console.log(renderTables(args, summary, main, big, baseline, bigLimited));
	if (main.run.lost || big?.run.lost || bigLimited?.run.lost) process.exitCode = 1;
	if (args.json) console.log(JSON.stringify(summary));
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
