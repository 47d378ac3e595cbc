/**
 * Redis and PostgreSQL for the queue-mode test, from Debian's packages, on 127.0.0.1 with their
 * data in a temporary folder. Each runs as a child process of this script (never as the system
 * service), so the test can restart Redis and leaves nothing behind.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

import { freePort, run, sleep } from '../n8n/util';

function say(message: string): void {
	process.stderr.write(`[queue] ${message}\n`);
}

const isRoot = () => process.getuid?.() === 0;

function postgresBin(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root).filter((entry) => existsSync(join(root, entry, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(root, versions[0], 'bin') : undefined;
}

function onPath(command: string): boolean {
	return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Installs redis-server and postgresql with apt-get when either is missing (sudo unless root). */
export async function ensureServicePackages(): Promise<{ postgresBin: string }> {
	const missing = [!onPath('redis-server') && 'redis-server', !postgresBin() && 'postgresql'].filter(Boolean) as string[];
	if (missing.length) {
		say(`Installing ${missing.join(' and ')} from Debian's packages...`);
		const sudo = isRoot() ? [] : ['sudo'];
		const aptGet = (args: string[]) =>
			run(sudo[0] ?? 'apt-get', [...(sudo.length ? ['apt-get'] : []), ...args], { echo: true, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		await aptGet(['update']);
		await aptGet(['install', '-y', '--no-install-recommends', ...missing]);
	}
	const bin = postgresBin();
	if (!bin || !onPath('redis-server')) throw new Error('redis-server or PostgreSQL is still missing after apt-get install');
	return { postgresBin: bin };
}

export interface ServiceProcess {
	port: number;
	child: ChildProcess;
	logs: string[];
	/** Ends the process (SIGTERM, then SIGKILL after 10 s) and waits for it. */
	stop(): Promise<void>;
}

function spawnService(command: string, args: string[], options: { uid?: number; gid?: number; cwd?: string }): { child: ChildProcess; logs: string[] } {
	const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
	const logs: string[] = [];
	child.stdout!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
	process.on('exit', () => child.exitCode === null && child.kill('SIGKILL'));
	return { child, logs };
}

async function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
	await exited;
	clearTimeout(timer);
}

async function waitForPort(port: number, child: ChildProcess, logs: string[], name: string, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${logs.join('').slice(-2000)}`);
		const open = await new Promise<boolean>((resolve) => {
			const socket = createConnection({ port, host: '127.0.0.1' });
			socket.once('connect', () => (socket.destroy(), resolve(true)));
			socket.once('error', () => resolve(false));
		});
		if (open) return;
		await sleep(200);
	}
	throw new Error(`${name} did not listen on ${port}:\n${logs.join('').slice(-2000)}`);
}

/**
 * Redis with an append-only file synced on every write: what n8n's queue needs to survive a Redis
 * restart (without persistence, a restart forgets every queued execution).
 */
export async function startRedis(dataDir: string, port?: number): Promise<ServiceProcess> {
	mkdirSync(dataDir, { recursive: true });
	const listenPort = port ?? (await freePort());
	const args = ['--port', String(listenPort), '--bind', '127.0.0.1', '--dir', dataDir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--protected-mode', 'yes'];
	const { child, logs } = spawnService('redis-server', args, {});
	await waitForPort(listenPort, child, logs, 'redis-server');
	return { port: listenPort, child, logs, stop: async () => await stopChild(child) };
}

/** PostgreSQL in `dataDir` (initdb with trust auth for the local user `postgres`). */
export async function startPostgres(bin: string, dataDir: string): Promise<ServiceProcess & { user: string; database: string }> {
	mkdirSync(dataDir, { recursive: true });
	// PostgreSQL refuses to run as root: as root, the data belongs to the `postgres` user the package created.
	const owner = isRoot() ? lookupUser('postgres') : undefined;
	if (isRoot() && !owner) throw new Error('running as root and there is no "postgres" user to run PostgreSQL as');
	if (owner) chownSync(dataDir, owner.uid, owner.gid);
	const as = owner ? { uid: owner.uid, gid: owner.gid } : {};
	await run(join(bin, 'initdb'), ['-D', dataDir, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--locale=C'], { ...as, cwd: dataDir });
	const port = await freePort();
	const args = ['-D', dataDir, '-p', String(port), '-k', dataDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=100'];
	const { child, logs } = spawnService(join(bin, 'postgres'), args, { ...as, cwd: dataDir });
	await waitForPort(port, child, logs, 'postgres');
	// The port opens before the server accepts connections ("the database system is starting up").
	const deadline = Date.now() + 30_000;
	while ((await run(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { allowFailure: true })).code !== 0) {
		if (Date.now() > deadline) throw new Error(`postgres is not ready:\n${logs.join('').slice(-2000)}`);
		await sleep(300);
	}
	return { port, child, logs, user: 'postgres', database: 'postgres', stop: async () => await stopChild(child) };
}

function lookupUser(name: string): { uid: number; gid: number } | undefined {
	const result = spawnSync('id', ['-u', name], { encoding: 'utf8' });
	const group = spawnSync('id', ['-g', name], { encoding: 'utf8' });
	if (result.status !== 0 || group.status !== 0) return undefined;
	return { uid: Number(result.stdout.trim()), gid: Number(group.stdout.trim()) };
}
