/**
 * Latency from a HubSpot change to the invoice in QuickBooks, for the webhook trigger and for the
 * polling trigger at one minute, over 200 changes each (the content of open invoices, a new due
 * date per change), in-process against the sandbox with its rate limits off.
 *
 * Time is compressed, differently per path, and only where nothing works:
 * - Webhook: the changes are made in real time at random gaps (exponential, mean 400 ms: 200
 *   changes in about 80 s, standing for the same changes spread over an hour or more). The
 *   simulator delivers them as HubSpot does (signed, batched after its batching window) to a
 *   127.0.0.1 receiver that runs the webhook trigger per request and then the pipeline, one
 *   execution at a time (n8n runs them side by side, so queueing here only lengthens the figure). A change's latency
 *   runs from HubSpot saving it to the end of the first execution whose read started after it.
 * - Polling: the changes fall at random times over four one-minute poll intervals; the wait until
 *   the next poll is counted in simulated time, and the poll and the pipeline it starts are run and
 *   timed for real with the changes of that interval: latency = wait + that run's duration.
 */
import { createServer, type IncomingMessage, type Server } from 'http';
import type { AddressInfo } from 'net';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { start, type Sandbox } from '../../sandbox';
import { PACKAGE_NAME } from '../../test/harness';
import { runWebhook, webhookUrl, type RunWebhookOptions } from '../../test/harness/webhook';
import { harnessCredentials, runPipelineFrom, runSyncOnce, type SyncPipelineOptions } from '../lib/syncPipeline';

export interface LatencyOptions {
	changes: number;
	/** Mean real-time gap between webhook-path changes. */
	meanGapMs: number;
	pollIntervalMs: number;
	pollIntervals: number;
	seed: number;
}

export const DEFAULT_LATENCY_OPTIONS: LatencyOptions = { changes: 200, meanGapMs: 400, pollIntervalMs: 60_000, pollIntervals: 4, seed: 17 };

export interface LatencyFigures {
	webhookLatencyP50Ms: number;
	webhookLatencyP95Ms: number;
	pollLatencyP50Ms: number;
	pollLatencyP95Ms: number;
}

export interface LatencyResult {
	figures: LatencyFigures;
	webhook: { changes: number; requests: number; executions: number; measured: number };
	poll: { changes: number; polls: number; runMs: number[] };
}

const CLIENT_SECRET = 'sandbox-hubspot-app-client-secret-latency-bench';
/** Properties the webhook set-up subscribes to (README, HubSpot Invoice Webhook Trigger). */
const SUBSCRIBED = ['hs_number', 'hs_invoice_status', 'hs_currency', 'hs_invoice_date', 'hs_due_date', 'hs_timezone', 'hs_subtotal', 'hs_discounts_total', 'hs_fees_total', 'hs_taxes_total', 'hs_amount_billed'];

function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

export function percentile(values: number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((left, right) => left - right);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function pipelineOptions(sandbox: Sandbox, staticData: SyncPipelineOptions['staticData']): SyncPipelineOptions {
	return { urls: sandbox.urls, credentials: sandbox.credentials, taxMapping: sandbox.dataset.taxMapping, staticData, writeBack: true, statuses: ['open'] };
}

/** Syncs every open invoice once and returns those that synced (the ones whose changes are timed). */
async function settle(sandbox: Sandbox): Promise<{ pollData: IDataObject; invoiceIds: string[] }> {
	const pollData: IDataObject = {};
	const first = await runSyncOnce({ ...pipelineOptions(sandbox, pollData), backfillSince: '2020-01-01T00:00:00.000Z' });
	const invoiceIds = first.outcomes.filter((outcome) => outcome.outcome === 'created' || outcome.outcome === 'updated').map((outcome) => outcome.hubspotId);
	if (invoiceIds.length === 0) throw new Error('latency bench: no invoice synced in the settling run');
	return { pollData, invoiceIds };
}

let dueDay = 0;
/** A content change HubSpot saves (a new due date each time); returns when it was saved. */
function change(sandbox: Sandbox, invoiceId: string): number {
	dueDay++;
	const due = new Date(Date.UTC(2031, 0, 1) + dueDay * 86_400_000).toISOString().slice(0, 10);
	return Date.parse(sandbox.hubspot.updateInvoice(invoiceId, { hs_due_date: due }).properties.hs_lastmodifieddate!);
}

async function pollPath(sandbox: Sandbox, options: LatencyOptions, pollData: IDataObject, invoiceIds: string[], next: () => number): Promise<{ latencies: number[]; runMs: number[] }> {
	const window = options.pollIntervalMs * options.pollIntervals;
	const times = Array.from({ length: options.changes }, () => next() * window).sort((left, right) => left - right);
	const latencies: number[] = [];
	const runMs: number[] = [];
	for (let slot = 1; slot <= options.pollIntervals; slot++) {
		const due = times.filter((time) => time < slot * options.pollIntervalMs && time >= (slot - 1) * options.pollIntervalMs);
		for (const _time of due) change(sandbox, invoiceIds[Math.floor(next() * invoiceIds.length)]);
		const startedAt = Date.now();
		const run = await runSyncOnce(pipelineOptions(sandbox, pollData));
		if (run.lost) throw new Error('latency bench: a poll lost invoices');
		const duration = Date.now() - startedAt;
		runMs.push(duration);
		for (const time of due) latencies.push(slot * options.pollIntervalMs - time + duration);
	}
	return { latencies, runMs };
}

interface Execution {
	readFrom: number;
	finishedAt: number;
	invoiceIds: Set<string>;
}

const readBody = async (request: IncomingMessage) => {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
};

/**
 * A receiver standing in for n8n: each request through the webhook trigger at once (n8n answers
 * HubSpot when the trigger returns), then the executions through the pipeline one at a time.
 */
function receiver(sandbox: Sandbox, run: RunWebhookOptions, executions: Execution[]): { server: Server; counts: { requests: number }; drained: () => Promise<void> } {
	const counts = { requests: 0 };
	let pipeline = Promise.resolve();
	const trigger = { name: String(run.nodeName), type: run.nodeType, typeVersion: 1, position: [0, 0] as [number, number], parameters: run.parameters };
	const execute = async (readFrom: number, items: INodeExecutionData[]) => {
		const outcome = await runPipelineFrom(pipelineOptions(sandbox, run.staticData), trigger, items);
		executions.push({ readFrom, finishedAt: Date.now(), invoiceIds: new Set(outcome.outcomes.filter((entry) => entry.outcome !== 'error').map((entry) => entry.hubspotId)) });
	};
	const server = createServer((request, response) => {
		void (async () => {
			counts.requests++;
			const body = await readBody(request);
			const readFrom = Date.now();
			const { result, response: answer } = await runWebhook(run, { headers: request.headers as Record<string, string>, body });
			response.statusCode = answer.status ?? 200;
			response.end();
			const items: INodeExecutionData[] = result.workflowData?.[0] ?? [];
			if (items.length) pipeline = pipeline.then(async () => await execute(readFrom, items));
		})().catch(() => {
			if (!response.headersSent) response.statusCode = 500;
			response.end();
		});
	});
	return { server, counts, drained: async () => await pipeline };
}

async function webhookPath(sandbox: Sandbox, options: LatencyOptions, invoiceIds: string[], next: () => number): Promise<{ latencies: number[]; requests: number; executions: number }> {
	const run: RunWebhookOptions = {
		nodeType: `${PACKAGE_NAME}.hubSpotInvoiceWebhookTrigger`,
		nodeName: 'HubSpot Invoice Webhook Trigger',
		parameters: { hubspotAuthentication: 'appToken', statuses: ['open'] } as INodeParameters,
		credentials: { ...harnessCredentials(sandbox), hubSpotInvoiceSyncAppTokenApi: { ...harnessCredentials(sandbox).hubSpotInvoiceSyncAppTokenApi, clientSecret: CLIENT_SECRET } } as never,
		staticData: {},
	};
	const executions: Execution[] = [];
	const { server, counts, drained } = receiver(sandbox, run, executions);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const webhooks = sandbox.hubspot.webhooks;
	const publicUrl = await webhookUrl(run);
	const path = new URL(publicUrl).pathname;
	webhooks.configure({ targetUrl: publicUrl, deliverTo: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, clientSecret: CLIENT_SECRET });
	webhooks.subscribe({ subscriptionType: 'object.creation', objectTypeId: '0-53' });
	for (const propertyName of SUBSCRIBED) webhooks.subscribe({ subscriptionType: 'object.propertyChange', objectTypeId: '0-53', propertyName });
	const changes: Array<{ invoiceId: string; at: number }> = [];
	for (let index = 0; index < options.changes; index++) {
		await new Promise((resolve) => setTimeout(resolve, -Math.log(1 - next()) * options.meanGapMs));
		const invoiceId = invoiceIds[Math.floor(next() * invoiceIds.length)];
		changes.push({ invoiceId, at: change(sandbox, invoiceId) });
	}
	await webhooks.idle();
	await drained();
	webhooks.close();
	await new Promise((resolve) => server.close(resolve));
	const latencies = changes.map(({ invoiceId, at }) => {
		const done = executions.find((execution) => execution.invoiceIds.has(invoiceId) && execution.readFrom >= at);
		return done ? done.finishedAt - at : Number.POSITIVE_INFINITY;
	});
	return { latencies, requests: counts.requests, executions: executions.length };
}

export async function runLatencyBench(progress: (message: string) => void, options: LatencyOptions = DEFAULT_LATENCY_OPTIONS): Promise<LatencyResult> {
	const sandbox = await start({ dataset: 'default', limits: false });
	try {
		const next = random(options.seed);
		progress('latency: settling the open invoices');
		const { pollData, invoiceIds } = await settle(sandbox);
		progress(`latency: polling trigger, ${options.changes} changes over ${options.pollIntervals} one-minute intervals (waits simulated)`);
		const poll = await pollPath(sandbox, options, pollData, invoiceIds, next);
		progress(`latency: webhook trigger, ${options.changes} changes in real time`);
		const hook = await webhookPath(sandbox, options, invoiceIds, next);
		const measured = hook.latencies.filter(Number.isFinite).length;
		return {
			figures: {
				webhookLatencyP50Ms: Math.round(percentile(hook.latencies, 50)),
				webhookLatencyP95Ms: Math.round(percentile(hook.latencies, 95)),
				pollLatencyP50Ms: Math.round(percentile(poll.latencies, 50)),
				pollLatencyP95Ms: Math.round(percentile(poll.latencies, 95)),
			},
			webhook: { changes: options.changes, requests: hook.requests, executions: hook.executions, measured },
			poll: { changes: options.changes, polls: options.pollIntervals, runMs: poll.runMs },
		};
	} finally {
		await sandbox.close();
	}
}

export function renderLatency(result: LatencyResult): string {
	const { figures, webhook, poll } = result;
	return [
		'Latency, HubSpot change → invoice in QuickBooks (200 changes each; see scripts/bench/latency.ts for the time compression)',
		`  webhook trigger   p50 ${figures.webhookLatencyP50Ms} ms, p95 ${figures.webhookLatencyP95Ms} ms (target p95 ≤ 5,000 ms; ${webhook.requests} requests, ${webhook.executions} executions, ${webhook.measured}/${webhook.changes} changes seen)`,
		`  polling, 1 min    p50 ${figures.pollLatencyP50Ms} ms, p95 ${figures.pollLatencyP95Ms} ms (target p95 ≤ 70,000 ms; poll runs ${poll.runMs.join(', ')} ms)`,
	].join('\n');
}

if (require.main === module) {
	runLatencyBench((message) => process.stderr.write(`[bench] ${message}\n`))
		.then((result) => {
			console.log(renderLatency(result));
			console.log(JSON.stringify(result.figures));
		})
		.catch((error) => {
			console.error(error);
			process.exit(1);
		});
}
