/**
 * Starts scripts/reliability/pipelineChild.ts as its own process (plain `node --import tsx`, so
 * the pid is the process doing the work and SIGKILL stops it dead), and lets a test kill it.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import type { DriverConfig } from '../../../scripts/reliability/driver';
import { readState, writeState, type ChildState } from '../../../scripts/reliability/pipelineChild';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
const CHILD_SCRIPT = path.join(REPO_ROOT, 'scripts/reliability/pipelineChild.ts');
/** The QuickBooks → HubSpot templates' process. */
export const REVERSE_CHILD_SCRIPT = path.join(REPO_ROOT, 'scripts/reliability/reverseChild.ts');

export interface ChildRun {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	/** Why the test killed it, if it did. */
	killedBecause?: string;
	ms: number;
}

export interface ChildHandle {
	process: ChildProcess;
	/** SIGKILL now (idempotent); `because` is recorded on the result. */
	kill(because: string): void;
	done: Promise<ChildRun>;
}

export function newStateFile(config: DriverConfig): string {
	return writeNewState<ChildState>({ config, staticData: {}, executions: [] });
}

/** A fresh state file in its own temporary directory. */
export function writeNewState<T>(state: T): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-child-'));
	const file = path.join(dir, 'state.json');
	writeState(file, state);
	return file;
}

export function startChild(stateFile: string, options: { timeoutMs?: number; script?: string } = {}): ChildHandle {
	const started = Date.now();
	// n8n's logger writes to stdout at debug level, so the test can scan what it logged.
	const env: NodeJS.ProcessEnv = { ...process.env, N8N_LOG_LEVEL: 'debug', NODE_OPTIONS: '' };
	delete env.JEST_WORKER_ID;
	const child = spawn(process.execPath, ['--import', 'tsx', options.script ?? CHILD_SCRIPT, stateFile], {
		cwd: REPO_ROOT,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	let killedBecause: string | undefined;
	child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
	child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
	const kill = (because: string) => {
		if (killedBecause !== undefined || child.exitCode !== null) return;
		killedBecause = because;
		child.kill('SIGKILL');
	};
	const timer = setTimeout(() => kill(`timeout after ${options.timeoutMs ?? 120_000} ms`), options.timeoutMs ?? 120_000);
	const done = new Promise<ChildRun>((resolve) => {
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			// Let the pipes drain.
			setImmediate(() => resolve({ code, signal, stdout, stderr, killedBecause, ms: Date.now() - started }));
		});
	});
	return { process: child, kill, done };
}

export { readState };
