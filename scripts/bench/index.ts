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
import { referenceCpuMs } from './reference';
import { runScenario, type ScenarioResult } from './scenario';
import { renderReverse, reverseSummary, runReverseBench } from './reverse';
import { renderLatency, runLatencyBench } from './latency';
import { renderWallToLimit, runWallToLimit, wallToLimitSummary } from './wallToLimit';

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
	if (args.realTimeLimits) {
		const runs = await runWallToLimit({ dataset, volumes: args.wallInvoices, timeScaleOf: (invoices) => (invoices > 1000 ? args.wallScale10k : 1) }, progress);
		console.log(renderWallToLimit(runs));
		if (runs.some((run) => run.lost)) process.exitCode = 1;
		if (args.json) console.log(JSON.stringify(wallToLimitSummary(runs)));
		return;
	}
	const reference = referenceCpuMs();

	const main: ScenarioResult = await runScenario(
		{ label: `${args.invoices} invoices`, dataset, timeScale: args.timeScale, maxInvoices: args.maxInvoices, warmUp: args.warmUp, repeat: args.repeat, cpuProfileDir: args.profile },
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
				repeat: 1,
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
				repeat: 1,
				maxOldSpaceMb: args.bigHeapLimitMb,
			},
			progress,
		);
	}
	let baseline: BaselineResult | undefined;
	if (args.baseline) {
		baseline = await runBaseline({ dataset, timeScale: args.timeScale, sample: Math.min(args.baselineSample, main.facts.invoices), script: args.baselineScript, fullFacts: main.facts }, progress);
	}

	// The QuickBooks → HubSpot direction, on as many new QuickBooks invoices (in-process, limits off: requests only).
	const reverse = await runReverseBench(args.invoices, progress);
	const reverseParts = reverseSummary(reverse);
	const summary = summarize(args, main, big, baseline, reference, bigLimited);
	Object.assign(summary, reverseParts.figures, reverseParts.details);
	Object.assign(summary.targets, reverseParts.targets);
	// Change → QuickBooks latency of the webhook and the polling trigger (latency.ts; limits off, time compressed).
	const latency = await runLatencyBench(progress);
	Object.assign(summary, latency.figures);
	const p95 = { webhookLatencyP95Ms: [latency.figures.webhookLatencyP95Ms, 5000], pollLatencyP95Ms: [latency.figures.pollLatencyP95Ms, 70_000] } as const;
	for (const [name, [value, target]] of Object.entries(p95)) summary.targets[name] = { target: `≤ ${target}`, value, met: value <= target };
	console.log(`${renderTables(args, summary, main, big, baseline, bigLimited)}\n\n${renderReverse(reverse)}\n\n${renderLatency(latency)}`);
	if (main.run.lost || big?.run.lost || bigLimited?.run.lost) process.exitCode = 1;
	if (args.json) console.log(JSON.stringify(summary));
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
