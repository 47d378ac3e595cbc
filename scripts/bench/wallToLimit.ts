/**
 * `npm run bench -- --real-time-limits`: wall time ÷ the time the rate limits alone impose, for a
 * month-end sync in one execution (1,000 and 10,000 invoices) against the sandbox with the APIs'
 * real limits (QuickBooks 500 requests and 40 /batch calls per minute per company, 10 in flight;
 * HubSpot 100 requests per 10 s and 4 searches per second).
 *
 * The floor (lowerBound.ts, limitBound) counts the requests this sync made, as the sandbox logged
 * them (every answered request; 429 answers are retries, not requests the sync needs): per
 * sliding-window limit floor((n − 1) / limit) × window — the first `limit` requests at once, the
 * next a window later — the largest over each API's limits, QuickBooks and HubSpot added. It is
 * the earliest the last request could start if requests took no time, no CPU, and every request
 * were ready the moment its slot freed.
 *
 * With a time scale k > 1 every window of both simulators and of the transport's pacing runs k×
 * faster, and the floor is divided by k: CPU and request latency then weigh k× more against the
 * floor than in real time, so the ratio is an upper estimate of the real-time one.
 */
import type { GenerateOptions } from '../../sandbox';
import { round, summarizeCalls, type CallSummary } from './analysis';
import { runPipelineProcess, startSandboxProcess } from './children';
import { QUICKBOOKS_LIMITS, classifyEndpoint } from './lowerBound';
import type { LoggedCall, RunnerResult } from './protocol';

export interface WallToLimitOptions {
	dataset: GenerateOptions;
	/** Invoices per run (one execution each). */
	volumes: number[];
	/** Time scale per volume (1 = real time). */
	timeScaleOf: (invoices: number) => number;
}

/** Where the QuickBooks /batch calls lost time against the floor (seconds of the run's clock). */
export interface BatchChain {
	/** Accepted /batch calls and refused ones (429). */
	calls: number;
	throttled: number;
	/**
	 * The last /batch call's start decomposed along its chain of window slots (call i reuses the
	 * slot of call i − 40): the chain head's start after the first /batch call, then how late each
	 * link started after its slot freed. headS + Σ lateS = last start − first start − k × window.
	 */
	headS: number;
	lateS: number[];
}

export interface WallToLimitRun {
	invoices: number;
	timeScale: number;
	wallSeconds: number;
	/** The floor in the run's clock (real-time floor ÷ time scale). */
	floorSeconds: number;
	floorSecondsRealTime: number;
	floorQuickbooksSeconds: number;
	floorHubspotSeconds: number;
	ratio: number;
	qboRequests: number;
	hubspotRequests: number;
	qboRequestsPerInvoice: number;
	hubspotRequestsPerInvoice: number;
	qboThrottled: number;
	hubspotThrottled: number;
	lost: number;
	outcomes: Record<string, number>;
	/** Seconds from the start: first QuickBooks request, last QuickBooks request's end. */
	firstQuickbooksS: number;
	lastQuickbooksEndS: number;
	/** HubSpot before the first QuickBooks request: time with a request in flight, requests. */
	hubspotBusyBeforeQuickbooksS: number;
	hubspotRequestsBeforeQuickbooks: number;
	/** After the last QuickBooks answer: the write-back to HubSpot and the engine finishing. */
	tailS: number;
	batches: BatchChain;
}

function batchChain(calls: LoggedCall[], startedAt: number, windowMs: number): BatchChain {
	const batches = calls.filter((call) => classifyEndpoint(call.api, call.endpoint) === 'quickbooksBatch').sort((a, b) => a.t - b.t);
	const accepted = batches.filter((call) => call.status !== 429).map((call) => call.t);
	const lateS: number[] = [];
	let index = accepted.length - 1;
	const limit = QUICKBOOKS_LIMITS.batch.limit;
	while (index >= limit) {
		lateS.unshift(round((accepted[index] - accepted[index - limit] - windowMs) / 1000, 2));
		index -= limit;
	}
	return {
		calls: accepted.length,
		throttled: batches.length - accepted.length,
		headS: accepted.length ? round((accepted[Math.max(0, index)] - accepted[0]) / 1000, 2) : 0,
		lateS,
	};
}

/** Seconds with at least one of `calls` in flight. */
function busySeconds(calls: LoggedCall[]): number {
	let busy = 0;
	let end = -Infinity;
	for (const call of [...calls].sort((a, b) => a.t - b.t)) {
		const start = Math.max(call.t, end);
		if (call.t + call.ms > start) busy += call.t + call.ms - start;
		end = Math.max(end, call.t + call.ms);
	}
	return round(busy / 1000, 2);
}

function describeRun(invoices: number, timeScale: number, run: RunnerResult, calls: CallSummary, log: LoggedCall[]): WallToLimitRun {
	const startedAt = run.startedAtMs ?? log[0]?.t ?? 0;
	const quickbooks = log.filter((call) => call.api === 'quickbooks' && classifyEndpoint(call.api, call.endpoint) !== 'quickbooksAuth');
	const firstQuickbooks = Math.min(...quickbooks.map((call) => call.t));
	const lastQuickbooksEnd = Math.max(...quickbooks.map((call) => call.t + call.ms));
	const wallSeconds = run.wallMs / 1000;
	const floorSeconds = calls.limit.totalSeconds / timeScale;
	return {
		invoices,
		timeScale,
		wallSeconds: round(wallSeconds, 2),
		floorSeconds: round(floorSeconds, 2),
		floorSecondsRealTime: calls.limit.totalSeconds,
		floorQuickbooksSeconds: calls.limit.quickbooksSeconds,
		floorHubspotSeconds: calls.limit.hubspotSeconds,
		ratio: floorSeconds > 0 ? round(wallSeconds / floorSeconds, 3) : Number.NaN,
		qboRequests: calls.quickbooks.requests,
		hubspotRequests: calls.hubspot.requests,
		qboRequestsPerInvoice: invoices ? round(calls.quickbooks.requests / invoices, 4) : Number.NaN,
		hubspotRequestsPerInvoice: invoices ? round(calls.hubspot.requests / invoices, 4) : Number.NaN,
		qboThrottled: calls.quickbooks.throttled,
		hubspotThrottled: calls.hubspot.throttled,
		lost: run.lost,
		outcomes: run.byOutcome,
		firstQuickbooksS: round((firstQuickbooks - startedAt) / 1000, 2),
		lastQuickbooksEndS: round((lastQuickbooksEnd - startedAt) / 1000, 2),
		hubspotBusyBeforeQuickbooksS: busySeconds(log.filter((call) => call.api === 'hubspot' && call.t < firstQuickbooks)),
		hubspotRequestsBeforeQuickbooks: log.filter((call) => call.api === 'hubspot' && call.t < firstQuickbooks).length,
		tailS: round(wallSeconds - (lastQuickbooksEnd - startedAt) / 1000, 2),
		batches: batchChain(log, startedAt, (QUICKBOOKS_LIMITS.batch.windowSeconds * 1000) / timeScale),
	};
}

export async function runWallToLimit(options: WallToLimitOptions, progress: (message: string) => void): Promise<WallToLimitRun[]> {
	const runs: WallToLimitRun[] = [];
	for (const volume of options.volumes) {
		const timeScale = options.timeScaleOf(volume);
		const label = `wall ÷ limits, ${volume} invoices`;
		progress(`${label}: starting the sandbox (real limits${timeScale === 1 ? ', real time' : `, every window ÷ ${timeScale}`})…`);
		const sandbox = await startSandboxProcess({ dataset: { ...options.dataset, invoices: volume }, timeScale });
		try {
			// One cold execution holding the whole month-end batch, as the big run.
			const run = await runPipelineProcess({ connection: sandbox.connection, maxInvoices: volume, timeScale, warmUp: false, repeat: 1 });
			const log = await sandbox.log();
			const result = describeRun(run.emitted, timeScale, run, summarizeCalls(log), log);
			progress(`${label}: ${result.invoices} invoices in ${result.wallSeconds} s; floor ${result.floorSeconds} s; ratio ${result.ratio}`);
			runs.push(result);
		} finally {
			await sandbox.close();
		}
	}
	return runs;
}

/** `wallToLimitRatio1k`, `wallToLimitRatio10k` (and the runs behind them) for the JSON summary. */
export function wallToLimitSummary(runs: WallToLimitRun[]): Record<string, unknown> {
	const key = (run: WallToLimitRun) => (run.invoices >= 5000 ? '10k' : '1k');
	const summary: Record<string, unknown> = { wallToLimitRatio1k: null, wallToLimitRatio10k: null };
	for (const run of runs) summary[`wallToLimitRatio${key(run)}`] = run.ratio;
	summary.wallToLimitTarget = 1.15;
	summary.wallToLimitRuns = runs;
	return summary;
}

export function renderWallToLimit(runs: WallToLimitRun[]): string {
	const lines = ['Wall time ÷ rate-limit floor (one execution, real limits)'];
	for (const run of runs) {
		lines.push(
			`  ${run.invoices} invoices, time scale ${run.timeScale}: wall ${run.wallSeconds} s, floor ${run.floorSeconds} s` +
				` (QuickBooks ${run.floorQuickbooksSeconds} + HubSpot ${run.floorHubspotSeconds} s real), ratio ${run.ratio}` +
				` (target ≤ 1.15${run.ratio <= 1.15 ? ', met' : ', missed'})`,
			`    requests: QuickBooks ${run.qboRequests} (${run.qboRequestsPerInvoice}/invoice, ${run.qboThrottled} 429s), HubSpot ${run.hubspotRequests} (${run.hubspotRequestsPerInvoice}/invoice, ${run.hubspotThrottled} 429s); lost ${run.lost}`,
			`    first QuickBooks request at ${run.firstQuickbooksS} s (before it ${run.hubspotRequestsBeforeQuickbooks} HubSpot requests, in flight ${run.hubspotBusyBeforeQuickbooksS} s), last answer at ${run.lastQuickbooksEndS} s, then ${run.tailS} s (write-back, engine)`,
			`    /batch: ${run.batches.calls} calls, ${run.batches.throttled} refused; slot chain of the last: head +${run.batches.headS} s, late by [${run.batches.lateS.join(', ')}] s`,
		);
	}
	return lines.join('\n');
}
