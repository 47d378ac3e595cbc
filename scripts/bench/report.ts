/** The benchmark's figures: one JSON summary and the tables printed from it. */
import { round } from './analysis';
import type { BaselineResult } from './baseline';
import type { BenchArgs } from './args';
import type { ScenarioResult } from './scenario';

export const TARGETS = {
	qboRequestsPerInvoice: 0.1,
	qboRatioToLowerBound: 1.25,
	hubspotRatioToLowerBound: 1.25,
	qboFewerThanBaseline: 50,
	cpuMsPerInvoice: 1,
	peakRssMb10k: 400,
};

export interface BenchSummary {
	[key: string]: unknown;
	invoices: number;
	timeScale: number;
	qboRequests: number;
	hubspotRequests: number;
	qboRequestsPerInvoice: number;
	hubspotRequestsPerInvoice: number;
	qboLowerBound: number;
	qboRatioToLowerBound: number;
	hubspotLowerBound: number;
	hubspotRatioToLowerBound: number;
	baselineQboRequestsPerInvoice: number | null;
	baselineHubspotRequestsPerInvoice: number | null;
	qboFewerThanBaseline: number | null;
	hubspotFewerThanBaseline: number | null;
	cpuMsPerInvoice: number;
	peakRssMb: number;
	peakRssMb10k: number | null;
	wallSeconds: number;
	limitBoundSeconds: number;
	targets: Record<string, { target: string; value: number | null; met: boolean | null }>;
}

const n = (value: number | null | undefined, digits = 3) => (value === null || value === undefined || !Number.isFinite(value) ? null : round(value, digits));

export function summarize(
	args: BenchArgs,
	main: ScenarioResult,
	big: ScenarioResult | undefined,
	baseline: BaselineResult | undefined,
	referenceCpuMs: number,
	bigLimited?: ScenarioResult,
): BenchSummary {
	// Conservative: the smaller of the sample's figure and the same workflow modelled over the data set.
	const baselineQbo = baseline ? Math.min(baseline.qboPerInvoice, baseline.modelQboPerInvoice) : undefined;
	const baselineHubspot = baseline ? Math.min(baseline.hubspotPerInvoice, baseline.modelHubspotPerInvoice) : undefined;
	const summary: BenchSummary = {
		invoices: main.invoices,
		datasetInvoices: main.datasetInvoices,
		timeScale: args.timeScale,
		qboRequests: main.calls.quickbooks.requests,
		hubspotRequests: main.calls.hubspot.requests,
		qboThrottled: main.calls.quickbooks.throttled,
		hubspotThrottled: main.calls.hubspot.throttled,
		qboRequestsPerInvoice: n(main.qboPerInvoice, 4)!,
		hubspotRequestsPerInvoice: n(main.hubspotPerInvoice, 4)!,
		qboLowerBound: main.quickbooksBound.total,
		qboRatioToLowerBound: n(main.qboRatio)!,
		hubspotLowerBound: main.hubspotBound.total,
		hubspotRatioToLowerBound: n(main.hubspotRatio)!,
		baselineMethod: baseline?.method ?? null,
		baselineSample: baseline?.invoicesProcessed ?? null,
		baselineQboRequestsPerInvoice: n(baseline?.qboPerInvoice),
		baselineHubspotRequestsPerInvoice: n(baseline?.hubspotPerInvoice),
		baselineModelQboRequestsPerInvoice: n(baseline?.modelQboPerInvoice),
		baselineModelHubspotRequestsPerInvoice: n(baseline?.modelHubspotPerInvoice),
		qboFewerThanBaseline: baselineQbo !== undefined ? n(baselineQbo / main.qboPerInvoice, 1) : null,
		hubspotFewerThanBaseline: baselineHubspot !== undefined ? n(baselineHubspot / main.hubspotPerInvoice, 1) : null,
		cpuMsPerInvoice: n(main.cpuMsPerInvoice)!,
		coldCpuMsPerInvoice: n(main.coldCpuMsPerInvoice),
		measuredCpuMsPerInvoice: main.run.measuredNodeCpuMs.map((ms) => n(ms / main.invoices)),
		processCpuMsPerInvoice: n(main.processCpuMsPerInvoice),
		cpuMsByNode: Object.fromEntries(Object.entries(main.run.cpuByNode).map(([name, entry]) => [name, n(entry.cpuMs, 1)])),
		referenceCpuMs: n(main.run.referenceCpuMs, 0),
		referenceCpuMsBenchProcess: n(referenceCpuMs, 0),
		peakRssMb: n(main.run.peakRssMb, 1)!,
		peakHeapUsedMb: n(main.run.peakHeapUsedMb, 1),
		wallSeconds: n(main.run.wallMs / 1000, 2)!,
		limitBoundSeconds: main.calls.limit.totalSeconds,
		limitBoundSecondsScaled: n(main.calls.limit.totalSeconds / args.timeScale, 2),
		limitBinding: main.calls.limit.binding,
		polls: main.run.polls,
		outcomes: main.run.byOutcome,
		lost: main.run.lost,
		invoices10k: big?.invoices ?? null,
		qboRequestsPerInvoice10k: n(big?.qboPerInvoice, 4),
		hubspotRequestsPerInvoice10k: n(big?.hubspotPerInvoice, 4),
		qboLowerBound10k: big?.quickbooksBound.total ?? null,
		qboRatioToLowerBound10k: n(big?.qboRatio),
		hubspotLowerBound10k: big?.hubspotBound.total ?? null,
		hubspotRatioToLowerBound10k: n(big?.hubspotRatio),
		cpuMsPerInvoice10k: n(big?.cpuMsPerInvoice),
		peakRssMb10k: n(big?.run.peakRssMb, 1),
		peakHeapUsedMb10k: n(big?.run.peakHeapUsedMb, 1),
		peakHeapDuring10k: big?.run.peakHeapDuring ?? null,
		wallSeconds10k: n(big ? big.run.wallMs / 1000 : undefined, 2),
		limitBoundSeconds10k: big?.calls.limit.totalSeconds ?? null,
		lost10k: big?.run.lost ?? null,
		heapLimitMb10k: bigLimited ? args.bigHeapLimitMb : null,
		peakRssMb10kHeapLimited: n(bigLimited?.run.peakRssMb, 1),
		cpuMsPerInvoice10kHeapLimited: n(bigLimited?.cpuMsPerInvoice),
		lost10kHeapLimited: bigLimited?.run.lost ?? null,
		targets: {},
	};
	const check = (name: string, value: number | null, target: number, below: boolean) => {
		summary.targets[name] = { target: `${below ? '≤' : '≥'} ${target}`, value, met: value === null ? null : below ? value <= target : value >= target };
	};
	check('qboRequestsPerInvoice', summary.qboRequestsPerInvoice, TARGETS.qboRequestsPerInvoice, true);
	check('qboRatioToLowerBound', summary.qboRatioToLowerBound, TARGETS.qboRatioToLowerBound, true);
	check('hubspotRatioToLowerBound', summary.hubspotRatioToLowerBound, TARGETS.hubspotRatioToLowerBound, true);
	check('qboFewerThanBaseline', summary.qboFewerThanBaseline, TARGETS.qboFewerThanBaseline, false);
	check('cpuMsPerInvoice', summary.cpuMsPerInvoice, TARGETS.cpuMsPerInvoice, true);
	check('peakRssMb10k', summary.peakRssMb10k, TARGETS.peakRssMb10k, true);
	return summary;
}

/** Columns padded; the first (and, with leftLast, the last) column left-aligned, numbers right-aligned. */
function table(rows: Array<Array<string | number | null | undefined>>, leftLast = false): string {
	const text = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '–' : String(cell))));
	const widths = text[0].map((_cell, column) => Math.max(...text.map((row) => (row[column] ?? '').length)));
	const last = text[0].length - 1;
	return text
		.map((row) => row.map((cell, column) => (column === 0 || (leftLast && column === last) ? cell.padEnd(column === last ? 0 : widths[column]) : cell.padStart(widths[column]))).join('  '))
		.join('\n');
}

const fixed = (value: number | null | undefined, digits = 3) => (value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits));

export function renderTables(
	args: BenchArgs,
	summary: BenchSummary,
	main: ScenarioResult,
	big: ScenarioResult | undefined,
	baseline: BaselineResult | undefined,
	bigLimited?: ScenarioResult,
): string {
	const out: string[] = [];
	const f = main.facts;
	out.push(
		`Data set: ${main.datasetInvoices} HubSpot invoices × ${args.lines} lines, ${args.skus} SKUs, ${args.customers} customers, ${args.failureRate * 100} % failing (seed ${args.seed});` +
			` ${f.invoices} in scope (${f.lineItems} lines, ${f.emails} emails, ${f.skus} SKUs, ${f.customersToCreate} customers to create, ${f.invoiceWrites} invoice writes).`,
		`Rate limits on, time scale ${args.timeScale} (QuickBooks' minute lasts ${round(60 / args.timeScale, 2)} s, HubSpot's 10 s ${round(10 / args.timeScale, 3)} s).` +
			` Sandbox in its own process; the pipeline in a fresh process through n8n-core's WorkflowExecute.`,
		'',
	);
	const perApi = (label: string, scenario: ScenarioResult) => [
		[`${label}`, 'requests', 'per invoice', 'lower bound', 'ratio', '429s (retried)'],
		['QuickBooks', scenario.calls.quickbooks.requests, fixed(scenario.qboPerInvoice, 4), scenario.quickbooksBound.total, fixed(scenario.qboRatio), scenario.calls.quickbooks.throttled],
		['HubSpot', scenario.calls.hubspot.requests, fixed(scenario.hubspotPerInvoice, 4), scenario.hubspotBound.total, fixed(scenario.hubspotRatio), scenario.calls.hubspot.throttled],
	];
	out.push(table(perApi(`${main.invoices} invoices, ${main.run.polls} poll(s) of ≤ ${args.maxInvoices}`, main)), '');
	if (big) out.push(table(perApi(`${big.invoices} invoices, one execution`, big)), '');

	const endpoints: Array<Array<string | number>> = [['Requests by endpoint', `${main.invoices} inv.`, ...(big ? [`${big.invoices} inv.`] : []), ...(baseline ? [`baseline ${baseline.invoicesProcessed}`] : [])]];
	const names = new Set([
		...Object.keys(main.calls.quickbooks.byEndpoint),
		...Object.keys(main.calls.hubspot.byEndpoint),
		...Object.keys(big?.calls.quickbooks.byEndpoint ?? {}),
		...Object.keys(big?.calls.hubspot.byEndpoint ?? {}),
		...Object.keys(baseline?.calls.quickbooks.byEndpoint ?? {}),
		...Object.keys(baseline?.calls.hubspot.byEndpoint ?? {}),
	]);
	const countOf = (scenario: { calls: ScenarioResult['calls'] } | undefined, name: string) => scenario?.calls.quickbooks.byEndpoint[name] ?? scenario?.calls.hubspot.byEndpoint[name] ?? 0;
	for (const name of [...names].sort((a, b) => (a.includes('/v3/company') === b.includes('/v3/company') ? a.localeCompare(b) : a.includes('/v3/company') ? -1 : 1))) {
		endpoints.push([name.replace('/v3/company/:realmId', 'QBO …'), countOf(main, name), ...(big ? [countOf(big, name)] : []), ...(baseline ? [countOf(baseline, name)] : [])]);
	}
	out.push(table(endpoints), '');
	if (main.calls.quickbooks.batchItems) {
		const b = main.calls.quickbooks.batchItems;
		out.push(`QuickBooks /batch: ${b.calls} calls carrying ${b.items} operations (${fixed(b.items / b.calls, 1)} per call, at most ${b.max}).`, '');
	}

	const bound = (label: string, scenario: ScenarioResult) => [
		[`Lower bound, ${label}`, 'requests', 'how'],
		...scenario.hubspotBound.parts.map((part) => [`HubSpot: ${part.name}`, part.requests, part.formula]),
		...scenario.quickbooksBound.parts.map((part) => [`QuickBooks: ${part.name}`, part.requests, part.formula]),
	];
	out.push(table(bound(`${main.invoices} invoices`, main), true), '');

	if (baseline) {
		out.push(
			table([
				['Baseline (HTTP Request + built-in QuickBooks node)', 'QuickBooks/inv.', 'HubSpot/inv.'],
				[`measured: ${baseline.method === 'real-n8n' ? `n8n ${baseline.n8nVersion}` : 'plain HTTP calls (no n8n)'}, ${baseline.invoicesProcessed} invoices`, fixed(baseline.qboPerInvoice), fixed(baseline.hubspotPerInvoice)],
				[`same workflow modelled over the ${f.invoices} invoices`, fixed(baseline.modelQboPerInvoice), fixed(baseline.modelHubspotPerInvoice)],
				['ours', fixed(main.qboPerInvoice, 4), fixed(main.hubspotPerInvoice, 4)],
				['baseline ÷ ours (smaller baseline figure)', fixed(summary.qboFewerThanBaseline as number, 1), fixed(summary.hubspotFewerThanBaseline as number, 1)],
			]),
			'',
		);
		if (baseline.fallbackReason) out.push(`Baseline fell back to plain HTTP calls: ${baseline.fallbackReason}`, '');
	}

	const cpuRows: Array<Array<string | number>> = [['CPU in our nodes', `${main.invoices} inv. ms`, 'ms/invoice', ...(big ? [`${big.invoices} inv. ms`, 'ms/invoice'] : [])]];
	for (const [name, entry] of Object.entries(main.run.cpuByNode)) {
		const other = big?.run.cpuByNode[name];
		cpuRows.push([name, fixed(entry.cpuMs, 0), fixed(entry.cpuMs / main.invoices), ...(big ? [fixed(other?.cpuMs, 0), fixed(other ? other.cpuMs / big.invoices : undefined)] : [])]);
	}
	cpuRows.push(['all five nodes', fixed(main.run.nodeCpuMs, 0), fixed(main.cpuMsPerInvoice), ...(big ? [fixed(big.run.nodeCpuMs, 0), fixed(big.cpuMsPerInvoice)] : [])]);
	cpuRows.push(['whole process during the sync', fixed(main.run.processCpuMs, 0), fixed(main.processCpuMsPerInvoice), ...(big ? [fixed(big.run.processCpuMs, 0), fixed(big.processCpuMsPerInvoice)] : [])]);
	out.push(table(cpuRows));
	out.push(
		`${args.warmUp ? `After a warm-up sync in the same process (cold: ${fixed(main.coldCpuMsPerInvoice)} ms/invoice), ` : ''}` +
			`${main.run.measuredNodeCpuMs.length} measured syncs (${main.run.measuredNodeCpuMs.map((ms) => fixed(ms / main.invoices)).join(', ')} ms/invoice), the median shown; ` +
			`${big ? `the ${big.invoices}-invoice run is a cold first sync. ` : ''}Reference workload on this machine: ${summary.referenceCpuMs} ms CPU.`,
		'',
	);

	out.push(
		table([
			['Time and memory', `${main.invoices} inv.`, ...(big ? [`${big.invoices} inv.`] : [])],
			['wall time (s, time-scaled limits)', fixed(main.run.wallMs / 1000, 2), ...(big ? [fixed(big.run.wallMs / 1000, 2)] : [])],
			['rate limits alone would take (s, real time)', main.calls.limit.totalSeconds, ...(big ? [big.calls.limit.totalSeconds] : [])],
			['  QuickBooks / HubSpot (s)', `${main.calls.limit.quickbooksSeconds} / ${main.calls.limit.hubspotSeconds}`, ...(big ? [`${big.calls.limit.quickbooksSeconds} / ${big.calls.limit.hubspotSeconds}`] : [])],
			['peak RSS of the pipeline process (MB)', fixed(main.run.peakRssMb, 1), ...(big ? [fixed(big.run.peakRssMb, 1)] : [])],
			['peak V8 heap used (MB)', fixed(main.run.peakHeapUsedMb, 1), ...(big ? [fixed(big.run.peakHeapUsedMb, 1)] : [])],
			['  while running', main.run.peakHeapDuring, ...(big ? [big.run.peakHeapDuring] : [])],
			['invoices lost (emitted, no output)', main.run.lost, ...(big ? [big.run.lost] : [])],
		]),
		`Binding limits: QuickBooks — ${main.calls.limit.binding.quickbooks}; HubSpot — ${main.calls.limit.binding.hubspot}.`,
		...(bigLimited
			? [
					`With node --max-old-space-size=${args.bigHeapLimitMb}, the ${bigLimited.invoices}-invoice run peaks at ${fixed(bigLimited.run.peakRssMb, 1)} MB RSS` +
						` (heap ${fixed(bigLimited.run.peakHeapUsedMb, 1)} MB, ${fixed(bigLimited.cpuMsPerInvoice)} ms CPU/invoice, ${bigLimited.run.lost} lost): the default peak is V8's heap sizing, not live data.`,
				]
			: []),
		'',
	);

	const targetRows: Array<Array<string | number>> = [['Target', 'target', 'value', 'met']];
	for (const [name, entry] of Object.entries(summary.targets)) targetRows.push([name, entry.target, entry.value === null ? '–' : String(entry.value), entry.met === null ? '–' : entry.met ? 'yes' : 'NO']);
	out.push(table(targetRows));
	return out.join('\n');
}
