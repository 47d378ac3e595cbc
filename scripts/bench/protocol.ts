/** Messages between the benchmark and its child processes (sandbox, pipeline runner). */
import type { GenerateOptions, Sandbox, TaxMapping } from '../../sandbox';
import type { DatasetFacts } from './lowerBound';

// ---- sandbox child ------------------------------------------------------------------------------

export interface SandboxStartRequest {
	type: 'start';
	dataset: GenerateOptions;
	/** Rate limits on, every window divided by this (1 = real time). */
	timeScale: number;
}

export type SandboxRequest =
	| SandboxStartRequest
	| { type: 'log' }
	| { type: 'clearLog' }
	/** Data back to the seed and the log cleared (credentials stay valid). */
	| { type: 'reset' }
	/** Facts for a sample: the first `count` in-scope invoices in the order the trigger reads them. */
	| { type: 'sample'; count: number }
	| { type: 'close' };

/** One request as the sandbox logged it, trimmed to what the report needs. */
export interface LoggedCall {
	t: number;
	api: string;
	endpoint: string;
	status: number;
	ms: number;
	detail?: string;
	fault?: string;
}

export interface SandboxConnection {
	urls: Sandbox['urls'];
	credentials: Sandbox['credentials'];
	taxMapping: TaxMapping[];
	realmId: string;
}

export type SandboxReply =
	| { type: 'ready'; connection: SandboxConnection; facts: DatasetFacts; datasetInvoices: number; buildMs: number }
	| { type: 'log'; calls: LoggedCall[] }
	| { type: 'cleared' }
	| { type: 'reset' }
	| { type: 'sample'; invoiceIds: string[]; facts: DatasetFacts }
	| { type: 'error'; message: string };

// ---- pipeline runner child ----------------------------------------------------------------------

export interface RunnerRequest {
	type: 'run';
	connection: SandboxConnection;
	/** The trigger's Max Invoices per poll; polls repeat while a poll emits this many. */
	maxInvoices: number;
	/** The sandbox's time scale: the QuickBooks transport's pacing windows are divided by it too. */
	timeScale?: number;
	/**
	 * Sync the data set once first (measured as the cold run), then, after the benchmark has reset
	 * the sandbox ('warmedUp' → 'go'), sync it again: the measured run sees warm JIT and caches,
	 * as a long-running n8n does.
	 */
	warmUp: boolean;
	/**
	 * Measured syncs after the warm-up (sandbox reset before each): the result is the one with the
	 * median CPU in our nodes (the machine may be shared; its load shifts single measurements).
	 */
	repeat: number;
	/** Write V8 CPU and allocation profiles of the measured run into this directory. */
	cpuProfileDir?: string;
}

export type RunnerControl = { type: 'go' };

export interface NodeCpu {
	/** Node executions (execute() or poll() calls). */
	runs: number;
	cpuMs: number;
	wallMs: number;
	/** Highest V8 heap used sampled while this node ran, MB. */
	peakHeapUsedMb: number;
}

export interface SyncMeasurement {
	polls: number;
	executions: number;
	emitted: number;
	byOutcome: Record<string, number>;
	failedByCode: Record<string, number>;
	lost: number;
	nodeErrors: Record<string, string>;
	/** CPU (user + system) of this process while one of our nodes' execute()/poll() ran, per node. */
	cpuByNode: Record<string, NodeCpu>;
	nodeCpuMs: number;
	/** CPU of the whole sync in this process (engine, harness, our nodes). */
	processCpuMs: number;
	wallMs: number;
	/** Epoch ms when the sync started (to line it up with the sandbox's request log). */
	startedAtMs?: number;
	/** Kernel high-water mark of this process's resident set (VmHWM), MB. */
	peakRssMb: number;
	/** Highest V8 heap used seen by a 50 ms sampler, MB. */
	peakHeapUsedMb: number;
	/** Which node was running when the heap peaked. */
	peakHeapDuring: string;
}

export interface RunnerResult extends SyncMeasurement {
	type: 'result';
	/** The first sync in the fresh process, when warmUp was asked for. */
	cold?: SyncMeasurement;
	/** CPU in our nodes (ms) of every measured sync, in order. */
	measuredNodeCpuMs: number[];
	/** The reference workload's CPU (reference.ts) in this process, right before the measured syncs (median). */
	referenceCpuMs: number;
	/** Paths of the profiles, when asked for. */
	cpuProfile?: string;
	heapProfile?: string;
}

/** Sent after every sync but the last: the benchmark resets the sandbox and answers 'go'. */
export type RunnerReply = RunnerResult | { type: 'between' } | { type: 'error'; message: string };
