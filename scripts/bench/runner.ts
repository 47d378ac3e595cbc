/**
 * The measured process: runs the sync (trigger polls, then Customer Resolve → SKU Match → Tax Map
 * → QuickBooks Invoice Upsert through n8n-core's WorkflowExecute, via scripts/lib/syncPipeline.ts)
 * against a sandbox running in another process, and reports CPU per node, wall time and memory.
 *
 * CPU "in our nodes" = process.cpuUsage() (user + system) accumulated from entering to leaving
 * each of our nodes' execute()/poll(), wrapped on the node type objects n8n-core calls. It includes
 * what those calls do in this process: our code, n8n-core's httpRequestWithAuthentication (axios,
 * credential injection), JSON encoding/decoding of requests and responses, and garbage collection
 * that happens meanwhile. It excludes the engine's work between nodes (contexts, copying items,
 * run data), the harness (the item source node) and the sandbox (another process). The process's
 * whole CPU for the sync is reported too.
 *
 * Started by the benchmark with NOCK_OFF=true: the harness imports nock, which would otherwise
 * intercept every HTTP request and add its own CPU to our nodes'.
 */
import { performance } from 'node:perf_hooks';
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as v8 from 'node:v8';

import type { IDataObject, INodeType, IVersionedNodeType } from 'n8n-workflow';

import { PACKAGE_NAME, PACKAGE_ROOT } from '../../test/harness';
import { loadAll } from '../../test/harness/loader';
import { NODE_NAMES, runSyncOnce } from '../lib/syncPipeline';
import { referenceCpuMs } from './reference';
import type { NodeCpu, RunnerControl, RunnerReply, RunnerRequest, RunnerResult, SyncMeasurement } from './protocol';

/** Our node types as the harness registers them, with the node name the pipeline gives each. */
const MEASURED_TYPES: Record<string, string> = {
	hubSpotInvoiceTrigger: NODE_NAMES.trigger,
	customerResolve: NODE_NAMES.customer,
	skuMatch: NODE_NAMES.sku,
	taxMap: NODE_NAMES.tax,
	quickBooksInvoiceUpsert: NODE_NAMES.upsert,
};

const cpuByNode: Record<string, NodeCpu> = {};
/** The node running now (our nodes run one at a time), for attributing the heap's peak. */
let currentNode: string | undefined;

function instrument(type: INodeType, label: string): void {
	for (const method of ['execute', 'poll'] as const) {
		const original = type[method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
		if (typeof original !== 'function') continue;
		(type as unknown as Record<string, unknown>)[method] = async function measured(this: unknown, ...args: unknown[]) {
			const cpu = process.cpuUsage();
			const started = performance.now();
			currentNode = label;
			try {
				return await original.apply(this, args);
			} finally {
				currentNode = undefined;
				const used = process.cpuUsage(cpu);
				const entry = (cpuByNode[label] ??= { runs: 0, cpuMs: 0, wallMs: 0, peakHeapUsedMb: 0 });
				entry.runs++;
				entry.cpuMs += (used.user + used.system) / 1000;
				entry.wallMs += performance.now() - started;
			}
		};
	}
}

function instrumentPackageNodes(): void {
	// runWorkflow and runPoll both use the harness's cached 'with-test' registry.
	const { nodeTypes } = loadAll({ includeTestNodes: true });
	for (const [typeName, label] of Object.entries(MEASURED_TYPES)) {
		const entry = nodeTypes.types[`${PACKAGE_NAME}.${typeName}`];
		if (!entry) throw new Error(`node type ${PACKAGE_NAME}.${typeName} is not loaded`);
		const type = entry.type as INodeType | IVersionedNodeType;
		if ('nodeVersions' in type) for (const versioned of Object.values(type.nodeVersions)) instrument(versioned, label);
		else instrument(type, label);
	}
}

/** Kernel high-water mark of the resident set (VmHWM), MB. */
function peakRssMb(): number {
	try {
		const match = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
		if (match) return Number(match[1]) / 1024;
	} catch {
		// not Linux
	}
	return process.resourceUsage().maxRSS / 1024;
}

function post<T>(session: inspector.Session, method: string, params?: object): Promise<T> {
	return new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))));
}

/** Polls and executions until the trigger has drained the feed; CPU per node, wall time, heap. */
async function measureSync(request: RunnerRequest): Promise<SyncMeasurement> {
	const { connection } = request;
	for (const key of Object.keys(cpuByNode)) delete cpuByNode[key];
	let peakHeapUsed = v8.getHeapStatistics().used_heap_size;
	let peakHeapAt = '(between nodes)';
	const sampler = setInterval(() => {
		const used = v8.getHeapStatistics().used_heap_size;
		if (used > peakHeapUsed) {
			peakHeapUsed = used;
			peakHeapAt = currentNode ?? '(between nodes)';
		}
		if (currentNode) {
			const entry = (cpuByNode[currentNode] ??= { runs: 0, cpuMs: 0, wallMs: 0, peakHeapUsedMb: 0 });
			entry.peakHeapUsedMb = Math.max(entry.peakHeapUsedMb, used / 2 ** 20);
		}
	}, 50);

	const staticData: IDataObject = {};
	const result: SyncMeasurement = {
		polls: 0,
		executions: 0,
		emitted: 0,
		byOutcome: {},
		failedByCode: {},
		lost: 0,
		nodeErrors: {},
		cpuByNode: {},
		nodeCpuMs: 0,
		processCpuMs: 0,
		wallMs: 0,
		peakRssMb: 0,
		peakHeapUsedMb: 0,
		peakHeapDuring: '',
	};
	const add = (target: Record<string, number>, source: Record<string, number>) => {
		for (const [key, count] of Object.entries(source)) target[key] = (target[key] ?? 0) + count;
	};

	const cpuStart = process.cpuUsage();
	result.startedAtMs = Date.now();
	const started = performance.now();
	try {
		for (;;) {
			const run = await runSyncOnce({
				urls: connection.urls,
				credentials: connection.credentials,
				taxMapping: connection.taxMapping,
				staticData,
				maxInvoices: request.maxInvoices,
			});
			result.polls++;
			if (run.emitted > 0) result.executions++;
			result.emitted += run.emitted;
			result.lost += run.lost;
			add(result.byOutcome, run.byOutcome);
			add(result.failedByCode, run.failedByCode);
			Object.assign(result.nodeErrors, run.nodeErrors);
			// A poll stops early only once it has read Max Invoices; fewer means it drained the feed.
			if (run.emitted < request.maxInvoices) break;
		}
	} finally {
		clearInterval(sampler);
	}
	result.wallMs = performance.now() - started;
	const used = process.cpuUsage(cpuStart);
	result.processCpuMs = (used.user + used.system) / 1000;
	result.cpuByNode = JSON.parse(JSON.stringify(cpuByNode)) as Record<string, NodeCpu>;
	result.nodeCpuMs = Object.values(cpuByNode).reduce((sum, entry) => sum + entry.cpuMs, 0);
	result.peakRssMb = peakRssMb();
	result.peakHeapUsedMb = peakHeapUsed / 2 ** 20;
	result.peakHeapDuring = peakHeapAt;
	return result;
}

function waitForGo(): Promise<void> {
	return new Promise((resolve) => {
		const onMessage = (message: RunnerControl) => {
			if (message?.type !== 'go') return;
			process.off('message', onMessage);
			resolve();
		};
		process.on('message', onMessage);
	});
}

/**
 * Runs the QuickBooks transport's pacing windows as fast as the sandbox's: the package's own
 * module instance, from dist/ where the harness loads the nodes.
 */
function scaleQuickBooksPacing(timeScale: number): void {
	const file = path.join(PACKAGE_ROOT, __filename.endsWith('.js') ? 'dist' : '', 'nodes', 'shared', 'transport', 'quickbooksRateLimit');
	const pacing = createRequire(__filename)(file) as typeof import('../../package/nodes/shared/transport/quickbooksRateLimit');
	pacing.setQuickBooksWindowScale(timeScale);
}

async function run(request: RunnerRequest): Promise<RunnerReply> {
	instrumentPackageNodes();
	scaleQuickBooksPacing(request.timeScale ?? 1);
	const between = async () => {
		const go = waitForGo();
		process.send?.({ type: 'between' } satisfies RunnerReply);
		await go;
	};
	let cold: SyncMeasurement | undefined;
	if (request.warmUp) {
		cold = await measureSync(request);
		await between();
	}

	let session: inspector.Session | undefined;
	if (request.cpuProfileDir) {
		session = new inspector.Session();
		session.connect();
		await post(session, 'Profiler.enable');
		await post(session, 'Profiler.setSamplingInterval', { interval: 200 });
		await post(session, 'Profiler.start');
		// Every allocation (sampled), collected or not: where the garbage that sets the peak comes from.
		await post(session, 'HeapProfiler.enable');
		await post(session, 'HeapProfiler.startSampling', { samplingInterval: 64 * 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
	}

	const measuredRuns: SyncMeasurement[] = [];
	const repeat = Math.max(1, request.repeat);
	const references: number[] = [];
	for (let index = 0; index < repeat; index++) {
		if (index > 0) await between();
		references.push(referenceCpuMs());
		measuredRuns.push(await measureSync(request));
	}
	const byCpu = [...measuredRuns].sort((a, b) => a.nodeCpuMs - b.nodeCpuMs);
	const measured = { ...byCpu[Math.floor((byCpu.length - 1) / 2)] };
	// The process's peak is the peak over all its syncs.
	measured.peakRssMb = Math.max(...measuredRuns.map((entry) => entry.peakRssMb));
	measured.peakHeapUsedMb = Math.max(...measuredRuns.map((entry) => entry.peakHeapUsedMb));
	const result: RunnerResult = {
		type: 'result',
		...measured,
		...(cold ? { cold } : {}),
		measuredNodeCpuMs: measuredRuns.map((entry) => entry.nodeCpuMs),
		referenceCpuMs: [...references].sort((a, b) => a - b)[Math.floor((references.length - 1) / 2)],
	};

	if (session && request.cpuProfileDir) {
		const { profile } = await post<{ profile: unknown }>(session, 'Profiler.stop');
		const heap = await post<{ profile: unknown }>(session, 'HeapProfiler.stopSampling');
		fs.mkdirSync(request.cpuProfileDir, { recursive: true });
		const base = path.join(request.cpuProfileDir, `bench-${measured.emitted}-${process.pid}`);
		fs.writeFileSync(`${base}.cpuprofile`, JSON.stringify(profile));
		fs.writeFileSync(`${base}.heapprofile`, JSON.stringify(heap.profile));
		result.cpuProfile = `${base}.cpuprofile`;
		result.heapProfile = `${base}.heapprofile`;
		session.disconnect();
	}
	return result;
}

process.on('message', (request: RunnerRequest | RunnerControl) => {
	if (request?.type !== 'run') return;
	run(request)
		.then((reply) => process.send?.(reply))
		.catch((error: Error) => process.send?.({ type: 'error', message: error.stack ?? error.message } satisfies RunnerReply))
		.finally(() => process.disconnect?.());
});
