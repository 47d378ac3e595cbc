// Small process/filesystem helpers shared by the n8n dev scripts.
import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
/** The n8n package inside the repository: what is published (package.json, nodes/, credentials/). */
export const PACKAGE_ROOT = resolve(REPO_ROOT, 'package');

/** Where the Node 24 binary and n8n installs are cached (outside the repo, reused across runs). */
export function cacheRoot(): string {
	const override = process.env.N8N_SYNC_CACHE_DIR;
	if (override) return resolve(override);
	const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
	return join(base, 'n8n-nodes-hubspot-quickbooks-sync');
}

export function log(message: string): void {
	// stderr so `npm start -- --once` keeps stdout's last line for the JSON report.
	process.stderr.write(`[n8n] ${message}\n`);
}

export interface RunResult {
	code: number;
	stdout: string;
	stderr: string;
}

/**
 * Runs a command to completion. `echo` streams its output to stderr (long installs print
 * progress); otherwise output is captured and shown only on failure.
 */
export function run(
	command: string,
	args: string[],
	options: SpawnOptions & { echo?: boolean; allowFailure?: boolean } = {},
): Promise<RunResult> {
	const { echo, allowFailure, ...spawnOptions } = options;
	return new Promise((resolvePromise, reject) => {
		const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			if (echo) process.stderr.write(chunk);
		});
		child.stderr!.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
			if (echo) process.stderr.write(chunk);
		});
		child.on('error', reject);
		child.on('close', (code) => {
			const result = { code: code ?? 1, stdout, stderr };
			if (result.code !== 0 && !allowFailure) {
				const tail = (stdout + stderr).split('\n').slice(-40).join('\n');
				reject(new Error(`${command} ${args.join(' ')} exited with ${result.code}\n${tail}`));
			} else {
				resolvePromise(result);
			}
		});
	});
}

/** The npm CLI script that ships next to the running Node (so it can be run under another Node binary). */
export function npmCliPath(): string {
	const candidates = [
		process.env.npm_execpath, // set when running under `npm run`
		join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
		join(dirname(process.execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js'),
	];
	for (const candidate of candidates) {
		if (candidate && /npm-cli\.js$/.test(candidate) && existsSync(candidate)) return candidate;
	}
	throw new Error('Cannot find npm-cli.js next to the running Node; is npm installed?');
}

export function readJson<T = unknown>(file: string): T | undefined {
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as T;
	} catch {
		return undefined;
	}
}

export function ensureDir(dir: string): string {
	mkdirSync(dir, { recursive: true });
	return dir;
}

export function freePort(): Promise<number> {
	return new Promise((resolvePromise, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolvePromise(port));
		});
	});
}

export function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

export function formatDuration(ms: number): string {
	return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}
