/**
 * n8n in queue mode: one main (polls, saves the trigger's cursor, enqueues executions in Redis)
 * and workers (run the executions), all on one PostgreSQL database. Each process has its own user
 * folder with the community package installed, as separate machines or containers would. Workers
 * can be killed and restarted one by one; a restarted worker keeps its folder (a container
 * restart with its volume), including the event log n8n reads at start-up.
 */
import { spawn, type ChildProcess } from 'node:child_process';

import { freePort, installCommunityPackage, n8nEnvironment, startN8n, type N8nServer } from '../n8n';
import { sleep } from '../n8n/util';

function say(message: string): void {
	process.stderr.write(`[queue] ${message}\n`);
}

export interface QueueSettings {
	redisPort: number;
	postgres: { port: number; user: string; database: string };
	/**
	 * Bull's job lock and stalled-job check: a dead worker's job is re-queued once its lock
	 * expires. n8n's defaults are 60 s and 30 s; the test shortens them to keep its run short.
	 */
	lockDurationMs?: number;
	stalledIntervalMs?: number;
}

/** The environment every process of the cluster shares (the README's queue-mode set-up). */
export function queueEnvironment(settings: QueueSettings): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(settings.redisPort),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(settings.postgres.port),
		DB_POSTGRESDB_USER: settings.postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		DB_POSTGRESDB_DATABASE: settings.postgres.database,
		...(settings.lockDurationMs ? { QUEUE_WORKER_LOCK_DURATION: String(settings.lockDurationMs) } : {}),
		...(settings.stalledIntervalMs ? { QUEUE_WORKER_STALLED_INTERVAL: String(settings.stalledIntervalMs) } : {}),
	};
}

export interface Worker {
	name: string;
	userFolder: string;
	child: ChildProcess;
	healthPort: number;
	logs: string[];
	/** Execution ids this process logged "Worker started execution" for, and those it finished. */
	started: string[];
	finished: Set<string>;
}

export interface QueueCluster {
	main: N8nServer;
	workers: Worker[];
	/** SIGKILL: the process dies mid-execution, as on an out-of-memory kill or a lost machine. */
	killWorker(index: number): Promise<void>;
	/** Starts a fresh worker process in the slot of a killed one. */
	restartWorker(index: number): Promise<void>;
	stop(): Promise<void>;
}

const STARTED = /Worker started execution (\d+)/g;
const FINISHED = /Worker finished execution (\d+)/g;

async function startWorker(name: string, userFolder: string, main: N8nServer, env: Record<string, string>, concurrency: number): Promise<Worker> {
	const healthPort = await freePort();
	const workerEnv = n8nEnvironment(userFolder, main.port, {
		...env,
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: String(healthPort),
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
	});
	const child = spawn(main.install.node, [main.install.bin, 'worker', `--concurrency=${concurrency}`], {
		cwd: userFolder,
		env: workerEnv,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	const worker: Worker = { name, userFolder, child, healthPort, logs: [], started: [], finished: new Set() };
	const onData = (chunk: Buffer) => {
		const text = chunk.toString();
		worker.logs.push(text);
		for (const match of text.matchAll(STARTED)) worker.started.push(match[1]);
		for (const match of text.matchAll(FINISHED)) worker.finished.add(match[1]);
		if (process.env.N8N_SYNC_SERVER_LOGS === '1') process.stderr.write(`[${name}] ${text}`);
	};
	child.stdout!.on('data', onData);
	child.stderr!.on('data', onData);
	process.on('exit', () => killGroup(child, 'SIGKILL'));
	const deadline = Date.now() + 120_000;
	while (true) {
		if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${worker.logs.join('').slice(-3000)}`);
		if (Date.now() > deadline) throw new Error(`${name} did not become ready:\n${worker.logs.join('').slice(-3000)}`);
		const ready = await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`).then((response) => response.ok, () => false);
		if (ready) break;
		await sleep(500);
	}
	return worker;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	try {
		if (child.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

async function stopWorker(worker: Worker, signal: NodeJS.Signals): Promise<void> {
	const { child } = worker;
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	killGroup(child, signal);
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 20_000);
	await exited;
	clearTimeout(timer);
}

export async function startQueueCluster(options: {
	version: string;
	settings: QueueSettings;
	tarball: string;
	userFolder: string;
	workers: number;
	/** Executions one worker runs at once (n8n's --concurrency, default 10). */
	concurrency?: number;
}): Promise<QueueCluster> {
	const env = queueEnvironment(options.settings);
	const main = await startN8n({ version: options.version, userFolder: options.userFolder, communityPackages: [options.tarball], env, cleanup: false });
	const workers: Worker[] = [];
	try {
		// One at a time: two n8n processes loading at once on two cores take longer than in turn.
		for (let index = 0; index < options.workers; index++) {
			const userFolder = `${options.userFolder}-worker-${index + 1}`;
			await installCommunityPackage(userFolder, options.tarball, main.install.node);
			workers.push(await startWorker(`worker-${index + 1}`, userFolder, main, env, options.concurrency ?? 10));
			say(`worker-${index + 1} is ready`);
		}
	} catch (error) {
		await Promise.all(workers.map(async (worker) => await stopWorker(worker, 'SIGTERM')));
		await main.stop();
		throw error;
	}
	return {
		main,
		workers,
		killWorker: async (index) => await stopWorker(workers[index], 'SIGKILL'),
		restartWorker: async (index) => {
			const { name, userFolder } = workers[index];
			workers[index] = await startWorker(name, userFolder, main, env, options.concurrency ?? 10);
		},
		stop: async () => {
			await Promise.all(workers.map(async (worker) => await stopWorker(worker, 'SIGTERM')));
			await main.stop();
		},
	};
}
