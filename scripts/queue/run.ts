/**
 * `npm run test:queue`: the sync template on n8n's queue mode — a main, Redis, PostgreSQL and two
 * workers — over a generated data set of 1,000 invoices in the sandbox, while one worker is killed
 * (SIGKILL) mid-execution and restarted and Redis is restarted once. Then QuickBooks is compared
 * with the data set (test/reliability's invariant: each invoice exactly once, right content).
 *
 * n8n 1.123 marks the killed execution crashed when the worker comes back (it reads its event log
 * at start-up) and never runs it again; the trigger's redelivery brings its invoices back. Each
 * worker keeps at most ⌊10 ÷ 2⌋ = 5 QuickBooks requests in flight (the credential's setting).
 *
 * Redis and PostgreSQL come from Debian's packages (installed with apt-get when missing) and run
 * as children of this script with their data in a temporary folder; n8n is the pinned version the
 * e2e tests use, with this package packed and installed as a community package.
 *
 * The last stdout line is one JSON object:
 *   {"workers":2,"invoices":1000,"lost":0,"duplicated":0,"wrong":0,"maxQboInFlight":10,…}
 * The exit code is 1 unless lost, duplicated and wrong are 0 and maxQboInFlight ≤ 10.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { start as startSandbox, type Sandbox } from '../../sandbox';
import { DEMO_FEE_ITEM_ID } from '../../sandbox/dataset/default';
import { PENDING_KEY } from '../../package/nodes/HubSpotInvoiceTrigger/redelivery';
import { checkInvariant, type InvariantReport } from '../../test/reliability/helpers/invariant';
import type { ItemOutcome } from '../reliability/driver';
import { summarizeSyncExecution } from '../demo/report';
import { backfillDateFor, createSandboxCredentials, readTemplate, wireTemplate } from '../demo/templates';
import { DEFAULT_OWNER, N8nRestClient, ensureN8n, packPackage } from '../n8n';
import { sleep } from '../n8n/util';
import { startQueueCluster, type QueueCluster } from './cluster';
import { ensureServicePackages, startPostgres, startRedis, type ServiceProcess } from './services';

const WORKERS = 2;
/**
 * n8n 1.123 (N8N_SYNC_N8N_VERSION overrides): n8n 2.x refuses PostgreSQL 15 ("n8n supports
 * Postgres 17 and newer, with 16 on compatibility support"), and Debian 12 packages 15.
 */
const N8N_VERSION = process.env.N8N_SYNC_N8N_VERSION ?? '1.123.81';
const INVOICES = 1000;
const SEED = 18;
/** Intuit's limit of concurrent requests per company, and the README's rule for the setting. */
const QUICKBOOKS_CONCURRENT_LIMIT = 10;
const IN_FLIGHT_PER_PROCESS = Math.floor(QUICKBOOKS_CONCURRENT_LIMIT / WORKERS);
/** Several polls: the backlog drains 200 invoices a poll, a poll every 15 s. */
const PER_POLL = 200;
const POLL_CRON = '0,15,30,45 * * * * *';
/**
 * The trigger's "Redeliver Unconfirmed After": 1 minute instead of 10, so the invoices of the
 * execution that died with its worker come back within the run.
 */
const REDELIVER_AFTER_MINUTES = 1;
/**
 * None unfinished and no new execution for this long: settled. Longer than the redelivery delay
 * plus a poll, so an invoice still awaiting confirmation would have come back by then.
 */
const QUIET_MS = REDELIVER_AFTER_MINUTES * 60_000 + 15_000;
const RUN_DEADLINE_MS = 7 * 60_000;
const TRIGGER_STATIC_KEY = 'node:HubSpot Invoice Trigger';
/** Each QuickBooks request takes 100 ms in the sandbox, so requests from both workers overlap. */
const QUICKBOOKS_LATENCY_MS = 100;

function say(message: string): void {
	process.stderr.write(`[queue] ${message}\n`);
}

interface Running {
	tmp?: string;
	redis?: ServiceProcess;
	postgres?: ServiceProcess;
	sandbox?: Sandbox;
	cluster?: QueueCluster;
	packDir?: string;
}

interface Chaos {
	killedWorker?: string;
	killedExecution?: string;
	invoicesWhenKilled?: number;
	redisRestartedDuring?: string;
}

async function shutDown(running: Running): Promise<void> {
	await running.cluster?.stop().catch((error) => say(`n8n did not stop cleanly: ${(error as Error).message}`));
	await running.sandbox?.close().catch(() => undefined);
	await running.redis?.stop();
	await running.postgres?.stop();
	if (running.packDir) rmSync(running.packDir, { recursive: true, force: true });
	if (running.tmp) rmSync(running.tmp, { recursive: true, force: true });
}

function quickBooksInvoiceCount(sandbox: Sandbox): number {
	return sandbox.quickbooks.state.realms[sandbox.dataset.realmId].entities.Invoice.size;
}

/** An execution a worker has started and not finished, with the worker's index. */
function runningOnWorker(cluster: QueueCluster, exclude: Set<string>): { index: number; executionId: string } | undefined {
	for (const [index, worker] of cluster.workers.entries()) {
		const executionId = worker.started.find((id) => !worker.finished.has(id) && !exclude.has(id));
		if (executionId) return { index, executionId };
	}
	return undefined;
}

/**
 * Kills a worker once it has started an execution and that execution has written invoices to
 * QuickBooks (so the kill leaves half-done writes behind), then starts a fresh worker.
 */
async function killOneWorkerMidExecution(cluster: QueueCluster, sandbox: Sandbox, chaos: Chaos, deadline: number): Promise<void> {
	const invoicesAtStart = new Map<string, number>();
	while (Date.now() < deadline) {
		const running = runningOnWorker(cluster, new Set());
		if (running) {
			if (!invoicesAtStart.has(running.executionId)) invoicesAtStart.set(running.executionId, quickBooksInvoiceCount(sandbox));
			const now = quickBooksInvoiceCount(sandbox);
			if (now > invoicesAtStart.get(running.executionId)!) {
				const worker = cluster.workers[running.index];
				await cluster.killWorker(running.index);
				Object.assign(chaos, { killedWorker: worker.name, killedExecution: running.executionId, invoicesWhenKilled: now - invoicesAtStart.get(running.executionId)! });
				say(`SIGKILL ${worker.name} in execution ${running.executionId}, after it wrote ${chaos.invoicesWhenKilled} invoices`);
				await cluster.restartWorker(running.index);
				say(`${worker.name} restarted`);
				return;
			}
		}
		await sleep(100);
	}
	throw new Error('no worker was seen writing invoices before the deadline, so none was killed');
}

/** Restarts Redis while a worker runs an execution (or, when none starts within a minute, idle). */
async function restartRedisOnce(running: Running, cluster: QueueCluster, chaos: Chaos): Promise<void> {
	const waitUntil = Date.now() + 60_000;
	let during: string | undefined;
	while (Date.now() < waitUntil) {
		during = runningOnWorker(cluster, new Set(chaos.killedExecution ? [chaos.killedExecution] : []))?.executionId;
		if (during) break;
		await sleep(200);
	}
	const redis = running.redis!;
	await redis.stop();
	running.redis = await startRedis(join(running.tmp!, 'redis'), redis.port);
	chaos.redisRestartedDuring = during ?? 'idle';
	say(`Redis restarted ${during ? `during execution ${during}` : 'while no execution ran'}`);
}

/**
 * Invoices the trigger emitted and the sync has not confirmed yet, as main last saved its static
 * data (n8n saves it with polls that emit, so after the last one this count stays put): progress only.
 */
async function awaitingConfirmation(api: N8nRestClient, workflowId: string): Promise<number> {
	const staticData = (await api.getWorkflow(workflowId)).staticData as Record<string, Record<string, object>> | null | undefined;
	return Object.keys(staticData?.[TRIGGER_STATIC_KEY]?.[PENDING_KEY] ?? {}).length;
}

/** Waits until nothing is unfinished and no execution started for QUIET_MS. */
async function waitUntilSettled(api: N8nRestClient, workflowId: string, deadline: number): Promise<void> {
	let lastCount = -1;
	let quietSince = Date.now();
	let lastReport = 0;
	while (Date.now() < deadline) {
		const executions = await api.listExecutions({ workflowId }, 250);
		const unfinished = executions.filter((execution) => ['new', 'running', 'waiting'].includes(execution.status));
		const pending = await awaitingConfirmation(api, workflowId);
		if (executions.length !== lastCount || unfinished.length) {
			lastCount = executions.length;
			quietSince = Date.now();
		}
		if (Date.now() - lastReport > 20_000) {
			lastReport = Date.now();
			say(`${executions.length} executions, ${unfinished.length} unfinished, ${pending} invoices awaiting confirmation`);
		}
		if (executions.length > 0 && Date.now() - quietSince >= QUIET_MS) return;
		await sleep(2_000);
	}
	throw new Error('the executions did not settle before the deadline');
}

/** Every execution's outcomes, oldest first, folded into the last outcome per HubSpot invoice. */
async function readOutcomes(api: N8nRestClient, workflowId: string) {
	const summaries = (await api.listExecutions({ workflowId }, 250)).sort((a, b) => Number(a.id) - Number(b.id));
	const outcomes = new Map<string, ItemOutcome>();
	const emitted = new Set<string>();
	const statuses: Record<string, number> = {};
	/** Why executions ended in error: node → message → count. */
	const errors: Record<string, number> = {};
	let lostInExecutions = 0;
	for (const { id } of summaries) {
		const execution = await api.getExecution(id);
		const summary = summarizeSyncExecution(execution);
		for (const [node, message] of Object.entries(summary.nodeErrors)) errors[`${node}: ${message}`.slice(0, 160)] = (errors[`${node}: ${message}`.slice(0, 160)] ?? 0) + 1;
		if (summary.status === 'error' && Object.keys(summary.nodeErrors).length === 0) {
			const node = execution.data.resultData.lastNodeExecuted ?? 'workflow';
			const key = `${node}: ${execution.data.resultData.error?.message ?? 'error'}`.slice(0, 160);
			errors[key] = (errors[key] ?? 0) + 1;
		}
		statuses[summary.status] = (statuses[summary.status] ?? 0) + 1;
		summary.emittedIds.forEach((hubspotId) => emitted.add(hubspotId));
		// A crashed execution stopped half-way by definition: its invoices count through the invariant.
		if (summary.status !== 'crashed') lostInExecutions += summary.lost.length;
		for (const result of summary.results) outcomes.set(result.hubspotId, { ...result, json: {} });
	}
	return { executions: summaries.length, statuses, errors, outcomes, emitted, lostInExecutions };
}

async function main(): Promise<number> {
	const started = Date.now();
	const running: Running = {};
	const chaos: Chaos = {};
	for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutDown(running).finally(() => process.exit(130)));
	try {
		const { postgresBin } = await ensureServicePackages();
		running.tmp = mkdtempSync(join(tmpdir(), 'n8n-queue-'));
		chmodSync(running.tmp, 0o755); // PostgreSQL runs as its own user when this runs as root
		running.redis = await startRedis(join(running.tmp, 'redis'));
		running.postgres = await startPostgres(postgresBin, join(running.tmp, 'postgres'));
		say(`Redis on 127.0.0.1:${running.redis.port}, PostgreSQL on 127.0.0.1:${running.postgres.port}`);

		const sandbox = await startSandbox({
			dataset: { invoices: INVOICES, seed: SEED },
			faults: { quickbooks: { rules: [{ match: '^(GET|POST) /v3/', slowRate: 1, slowMs: QUICKBOOKS_LATENCY_MS }] } },
		});
		running.sandbox = sandbox;
		say(`Sandbox: ${sandbox.dataset.hubspot.invoices.length} HubSpot invoices`);

		const install = await ensureN8n({ version: N8N_VERSION });
		const tarball = await packPackage({ skipBuild: process.env.N8N_SYNC_SKIP_BUILD === '1' });
		running.packDir = dirname(tarball);
		const postgres = running.postgres as ServiceProcess & { user: string; database: string };
		running.cluster = await startQueueCluster({
			version: install.version,
			settings: { redisPort: running.redis.port, postgres, lockDurationMs: 30_000, stalledIntervalMs: 10_000 },
			tarball,
			userFolder: join(running.tmp, 'n8n'),
			workers: WORKERS,
		});
		const cluster = running.cluster;
		say(`n8n ${install.version}: main ${cluster.main.url}, ${WORKERS} workers`);

		const api = new N8nRestClient(cluster.main.url);
		await api.setupOwner(DEFAULT_OWNER);
		const credentials = await createSandboxCredentials(api, sandbox, { maxRequestsInFlight: IN_FLIGHT_PER_PROCESS });
		const wired = wireTemplate(readTemplate('sync'), {
			credentials,
			slackUrl: sandbox.urls.slack,
			taxMapping: sandbox.dataset.taxMapping,
			backfillSince: backfillDateFor(sandbox.dataset),
			feeItemId: DEMO_FEE_ITEM_ID,
		});
		for (const node of wired.nodes) {
			if (!node.type.endsWith('.hubSpotInvoiceTrigger')) continue;
			const parameters = node.parameters as Record<string, unknown>;
			parameters.maxInvoices = PER_POLL;
			parameters.pollTimes = { item: [{ mode: 'custom', cronExpression: POLL_CRON }] };
			parameters.options = { ...(parameters.options as object), redeliverAfterMinutes: REDELIVER_AFTER_MINUTES };
		}
		const workflow = await api.createWorkflow(wired);
		const runStarted = Date.now();
		await api.activateWorkflow(workflow.id);
		say(`Activated "${workflow.name}": ${PER_POLL} invoices a poll, a poll every 15 s`);

		const deadline = runStarted + RUN_DEADLINE_MS;
		await killOneWorkerMidExecution(cluster, sandbox, chaos, deadline);
		await restartRedisOnce(running, cluster, chaos);
		await waitUntilSettled(api, workflow.id, deadline);
		const runSeconds = Math.round((Date.now() - runStarted) / 1000);
		await api.deactivateWorkflow(workflow.id);

		const read = await readOutcomes(api, workflow.id);
		const report: InvariantReport = checkInvariant({ dataset: sandbox.dataset, state: sandbox.quickbooks.state, outcomes: read.outcomes, emitted: read.emitted });
		const maxQboInFlight = Math.max(0, ...sandbox.log.entries.filter((entry) => entry.api === 'quickbooks' && entry.path.startsWith('/v3/')).map((entry) => entry.concurrent));
		const throttled = sandbox.log.entries.filter((entry) => entry.api === 'quickbooks' && entry.status === 429).length;
		for (const problem of report.problems) say(problem);
		const figures = {
			workers: WORKERS,
			invoices: sandbox.dataset.hubspot.invoices.length,
			lost: report.lost + read.lostInExecutions,
			/** Emitted items that reached no output in an execution that finished (never expected). */
			lostInFinishedExecutions: read.lostInExecutions,
			duplicated: report.duplicated,
			wrong: report.wrong,
			maxQboInFlight,
			maxRequestsInFlightPerProcess: IN_FLIGHT_PER_PROCESS,
			quickbooks429: throttled,
			executions: read.executions,
			executionStatuses: read.statuses,
			executionErrors: read.errors,
			killedExecution: chaos.killedExecution,
			invoicesWrittenBeforeKill: chaos.invoicesWhenKilled,
			redisRestartedDuring: chaos.redisRestartedDuring,
			runSeconds,
			totalSeconds: Math.round((Date.now() - started) / 1000),
		};
		await shutDown(running);
		const ok = figures.lost === 0 && figures.duplicated === 0 && figures.wrong === 0 && maxQboInFlight <= QUICKBOOKS_CONCURRENT_LIMIT;
		process.stdout.write(`${JSON.stringify({ ...figures, ok })}\n`);
		return ok ? 0 : 1;
	} catch (error) {
		process.stderr.write(`\nnpm run test:queue failed: ${(error as Error).stack ?? error}\n`);
		const cluster = running.cluster;
		if (cluster) {
			say(`main log tail:\n${cluster.main.logs.join('').split('\n').slice(-40).join('\n')}`);
			for (const worker of cluster.workers) say(`${worker.name} log tail:\n${worker.logs.join('').split('\n').slice(-30).join('\n')}`);
		}
		await shutDown(running);
		return 1;
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		process.stderr.write(`${(error as Error).stack ?? error}\n`);
		process.exit(1);
	},
);
