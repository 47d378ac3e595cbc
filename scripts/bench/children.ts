/**
 * Forks the benchmark's child processes and talks to them over IPC. The sandbox runs as TypeScript
 * through tsx; the measured pipeline process runs compiled JavaScript: the package's dist/ (what
 * n8n loads) and the runner and harness compiled by tsc (tsconfig.bench.json), so its CPU and
 * memory are the sync's, not tsx's (its compiler hooks and source maps cost ~40 MB of RSS).
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { DatasetFacts } from './lowerBound';
import type { LoggedCall, RunnerControl, RunnerReply, RunnerRequest, RunnerResult, SandboxConnection, SandboxReply, SandboxRequest, SandboxStartRequest } from './protocol';

const REPOSITORY = path.resolve(__dirname, '..', '..');
const COMPILED_RUNNER_DIR = path.join(REPOSITORY, 'node_modules', '.cache', 'n8n-nodes-hubspot-quickbooks-sync-bench');
/** Extra V8 flags for the measured process, e.g. BENCH_NODE_FLAGS="--trace-gc" to study its memory. */
const MEASURED_FLAGS = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];

function forkChild(file: string, execArgv: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
	return fork(file, [], {
		execArgv,
		env: { ...process.env, ...env },
		serialization: 'advanced',
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
}

function forkTs(file: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
	return forkChild(path.join(__dirname, file), ['--import', 'tsx'], env);
}

let compiledRunner: string | undefined;

/** Compiles the runner (and the harness it imports) once per benchmark; needs `npm run build` first. */
function compiledRunnerFile(): string {
	if (compiledRunner) return compiledRunner;
	if (!fs.existsSync(path.join(REPOSITORY, 'package', 'dist', 'nodes'))) throw new Error('package/dist/ is missing: run `npm run build` first (npm run bench does)');
	fs.rmSync(COMPILED_RUNNER_DIR, { recursive: true, force: true });
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(REPOSITORY, 'tsconfig.bench.json')], { cwd: REPOSITORY, stdio: 'inherit' });
	compiledRunner = path.join(COMPILED_RUNNER_DIR, 'scripts', 'bench', 'runner.js');
	return compiledRunner;
}

/** Resolves with the first message `accept` takes; rejects if the child exits or errors first. */
function nextMessage<T>(child: ChildProcess, accept: (message: any) => T | undefined): Promise<T> {
	return new Promise((resolve, reject) => {
		const onMessage = (message: any) => {
			if (message?.type === 'error') {
				cleanup();
				reject(new Error(`child process failed: ${message.message}`));
				return;
			}
			const value = accept(message);
			if (value !== undefined) {
				cleanup();
				resolve(value);
			}
		};
		const onExit = (code: number | null, signal: string | null) => {
			cleanup();
			reject(new Error(`child process exited (code ${code}, signal ${signal}) before answering`));
		};
		const cleanup = () => {
			child.off('message', onMessage);
			child.off('exit', onExit);
		};
		child.on('message', onMessage);
		child.on('exit', onExit);
	});
}

export interface SandboxProcess {
	pid: number;
	connection: SandboxConnection;
	facts: DatasetFacts;
	datasetInvoices: number;
	buildMs: number;
	log(): Promise<LoggedCall[]>;
	clearLog(): Promise<void>;
	reset(): Promise<void>;
	sample(count: number): Promise<{ invoiceIds: string[]; facts: DatasetFacts }>;
	close(): Promise<void>;
}

export async function startSandboxProcess(options: Omit<SandboxStartRequest, 'type'>): Promise<SandboxProcess> {
	const child = forkTs('sandboxChild.ts');
	const send = (message: SandboxRequest) => child.send(message);
	const ask = <T>(message: SandboxRequest, accept: (reply: SandboxReply) => T | undefined) => {
		const answer = nextMessage(child, accept);
		send(message);
		return answer;
	};
	const ready = await ask({ type: 'start', ...options }, (reply) => (reply.type === 'ready' ? reply : undefined));
	let closed = false;
	return {
		pid: child.pid!,
		connection: ready.connection,
		facts: ready.facts,
		datasetInvoices: ready.datasetInvoices,
		buildMs: ready.buildMs,
		log: () => ask({ type: 'log' }, (reply) => (reply.type === 'log' ? reply.calls : undefined)),
		async clearLog() {
			await ask({ type: 'clearLog' }, (reply) => (reply.type === 'cleared' ? true : undefined));
		},
		async reset() {
			await ask({ type: 'reset' }, (reply) => (reply.type === 'reset' ? true : undefined));
		},
		sample: (count) => ask({ type: 'sample', count }, (reply) => (reply.type === 'sample' ? { invoiceIds: reply.invoiceIds, facts: reply.facts } : undefined)),
		async close() {
			if (closed || child.exitCode !== null) return;
			closed = true;
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			send({ type: 'close' });
			const timer = setTimeout(() => child.kill('SIGTERM'), 5000);
			await exited;
			clearTimeout(timer);
		},
	};
}

/**
 * Runs the sync in a fresh process (so its peak RSS is its own) and returns the measurements.
 * `betweenRuns` runs between its syncs (warm-up, repeats): reset the sandbox there.
 */
export async function runPipelineProcess(
	request: Omit<RunnerRequest, 'type'>,
	betweenRuns?: () => Promise<void>,
	options: { maxOldSpaceMb?: number } = {},
): Promise<RunnerResult> {
	const heapLimit = options.maxOldSpaceMb ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${options.maxOldSpaceMb}`.trim() } : {};
	const child = forkChild(compiledRunnerFile(), MEASURED_FLAGS, { NOCK_OFF: 'true', ...heapLimit });
	const onBetween = (message: RunnerReply) => {
		if (message?.type !== 'between') return;
		(betweenRuns?.() ?? Promise.resolve()).then(
			() => child.send({ type: 'go' } satisfies RunnerControl),
			(error: Error) => child.kill('SIGTERM') && process.stderr.write(`[bench] between syncs: ${error.message}\n`),
		);
	};
	child.on('message', onBetween);
	try {
		const answer = nextMessage(child, (reply) => (reply?.type === 'result' ? (reply as RunnerResult) : undefined));
		child.send({ type: 'run', ...request } satisfies RunnerRequest);
		return await answer;
	} finally {
		child.off('message', onBetween);
		if (child.exitCode === null) child.kill('SIGTERM');
	}
}
