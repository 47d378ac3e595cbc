// Starts a real n8n server (Node 24, pinned version) from a clean user folder, with this package
// installed as a community package.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureN8n, npmEnvFor, type N8nInstall } from './install';
import { ensureDir, formatDuration, freePort, log, npmCliPath, readJson, run, sleep, type RunResult } from './util';

export interface StartN8nOptions {
	version?: string;
	/** N8N_USER_FOLDER; n8n keeps its state in `<userFolder>/.n8n`. A fresh temp dir by default. */
	userFolder?: string;
	/** A free port by default. */
	port?: number;
	/** Extra/overriding environment variables for the server. */
	env?: Record<string, string | undefined>;
	/** Package tarballs to install as community packages before the server starts. */
	communityPackages?: string[];
	/** Remove the user folder on stop() when it was created here (default true). */
	cleanup?: boolean;
	/** Echo server output to stderr as it arrives (default: env N8N_SYNC_SERVER_LOGS=1). */
	echoLogs?: boolean;
	startupTimeoutMs?: number;
}

export interface N8nServer {
	url: string;
	port: number;
	userFolder: string;
	/** Everything the server printed so far (stdout + stderr). */
	logs: string[];
	install: N8nInstall;
	/** Environment the server runs with (reuse it for CLI commands). */
	env: NodeJS.ProcessEnv;
	/** Runs an n8n CLI command (`import:workflow`, `export:workflow`…) against the same user folder/DB. */
	cli(args: string[], options?: { allowFailure?: boolean }): Promise<RunResult>;
	/**
	 * `n8n import:workflow` of a JSON file (one workflow or an array), or of every *.json in a dir
	 * (`--separate`). Works while the server runs; ids in the file are kept; owner's project.
	 */
	importWorkflows(fileOrDir: string): Promise<void>;
	/** `n8n import:credentials` (plain `data` objects are encrypted on import, `oauthTokenData` kept). */
	importCredentials(fileOrDir: string): Promise<void>;
	stop(): Promise<void>;
}

/** Fixed so credentials encrypted in one run stay readable when a user folder is reused. */
const DEFAULT_ENCRYPTION_KEY = 'n8n-nodes-hubspot-quickbooks-sync-local-dev-key';

/** The environment that makes n8n start clean, fast and without calling home. */
export function n8nEnvironment(userFolder: string, port: number, extra: Record<string, string | undefined> = {}) {
	const env: NodeJS.ProcessEnv = { ...process.env };
	// Keep the parent's npm/jest/tsx settings out of the server: jest's NODE_ENV=test makes n8n refuse
	// to load nodes ("Not available in tests"); tsx's NODE_OPTIONS loader must not reach Node 24.
	for (const key of Object.keys(env)) {
		if (/^(npm_|NODE_OPTIONS$|NODE_PATH$|NODE_ENV$|TS_NODE_|JEST_|N8N_|DB_|EXECUTIONS_|GENERIC_TIMEZONE$|WEBHOOK_URL$)/.test(key)) {
			delete env[key];
		}
	}
	Object.assign(env, {
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_ENCRYPTION_KEY: DEFAULT_ENCRYPTION_KEY,
		N8N_USER_MANAGEMENT_JWT_SECRET: 'n8n-nodes-hubspot-quickbooks-sync-jwt',
		DB_TYPE: 'sqlite',
		DB_SQLITE_POOL_SIZE: '2',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		// No network calls to n8n's services.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		// 1.123: Code nodes run in-process (2.x ignores this and always runs its task runner).
		N8N_RUNNERS_ENABLED: 'false',
		N8N_PUBLIC_API_DISABLED: 'false',
		N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_WORKFLOW_AUTODEACTIVATION_ENABLED: 'false',
		// Keep every execution (manual ones too) so tests and the report can read them.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		EXECUTIONS_DATA_PRUNE: 'false',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
	});
	for (const [key, value] of Object.entries(extra)) {
		if (value === undefined) delete env[key];
		else env[key] = value;
	}
	return env;
}

/**
 * Installs a package tarball the way n8n 1.123's CommunityPackagesService.downloadPackage does:
 * unpack into `<userFolder>/.n8n/nodes/node_modules/<name>`, drop dev/peer/optional dependencies
 * from its package.json (so n8n-workflow, zod, luxon resolve to n8n's own copies through the
 * NODE_PATH n8n sets), `npm install` its own dependencies with n8n's flags, and record it in
 * `nodes/package.json`. (n8n also writes an installed_packages DB row; only its settings page reads
 * that — nodes load from the folder.) Returns `{ name, version, dir }`.
 */
export async function installCommunityPackage(
	userFolder: string,
	tarball: string,
	node?: string,
): Promise<{ name: string; version: string; dir: string }> {
	const nodesDir = ensureDir(join(userFolder, '.n8n', 'nodes'));
	const nodesPackageJson = join(nodesDir, 'package.json');
	if (!existsSync(nodesPackageJson)) {
		writeFileSync(nodesPackageJson, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	}
	const { stdout } = await run('tar', ['-xzOf', tarball, 'package/package.json']);
	const { name } = JSON.parse(stdout) as { name: string };
	const dir = join(nodesDir, 'node_modules', name);
	rmSync(dir, { recursive: true, force: true });
	ensureDir(dir);
	await run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
	const packageJsonPath = join(dir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } = JSON.parse(
		readFileSync(packageJsonPath, 'utf8'),
	);
	void devDependencies, peerDependencies, optionalDependencies;
	writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2));
	if (packageJson.dependencies && Object.keys(packageJson.dependencies).length > 0) {
		await run(
			node ?? process.execPath,
			[
				npmCliPath(),
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
			],
			{ cwd: dir, env: npmEnvFor(node ?? process.execPath) },
		);
	}
	const nodesJson = readJson<{ dependencies?: Record<string, string> }>(nodesPackageJson) ?? {};
	nodesJson.dependencies = { ...nodesJson.dependencies, [name]: packageJson.version };
	writeFileSync(nodesPackageJson, JSON.stringify(nodesJson, null, 2));
	return { name, version: packageJson.version, dir };
}

/** Starts n8n and resolves once `/healthz` answers and the REST API is up. */
export async function startN8n(options: StartN8nOptions = {}): Promise<N8nServer> {
	const install = await ensureN8n({ version: options.version });
	const createdFolder = !options.userFolder;
	const userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), 'n8n-sync-user-'));
	ensureDir(userFolder);
	for (const tarball of options.communityPackages ?? []) {
		const installed = await installCommunityPackage(userFolder, tarball, install.node);
		log(`Installed community package ${installed.name}@${installed.version} into ${installed.dir}`);
	}
	const port = options.port ?? (await freePort());
	// n8n 2.x always starts its task runner broker (5679 by default): a free port, so servers can run side by side.
	const env = n8nEnvironment(userFolder, port, { N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...options.env });
	const url = `http://127.0.0.1:${port}`;
	const echo = options.echoLogs ?? process.env.N8N_SYNC_SERVER_LOGS === '1';

	const started = Date.now();
	log(`Starting n8n ${install.version} on ${url} (user folder ${userFolder})...`);
	const child: ChildProcess = spawn(install.node, [install.bin, 'start'], {
		cwd: userFolder,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true, // own process group, so stop() also ends anything n8n spawned
	});
	trackForExit(child);
	const logs: string[] = [];
	const onData = (chunk: Buffer) => {
		const text = chunk.toString();
		logs.push(text);
		if (echo) process.stderr.write(text);
	};
	child.stdout!.on('data', onData);
	child.stderr!.on('data', onData);
	let exited: number | null | undefined;
	const exitPromise = new Promise<void>((resolveExit) =>
		child.on('exit', (code) => {
			exited = code;
			resolveExit();
		}),
	);

	const stop = async () => {
		if (exited === undefined && child.pid) {
			try {
				process.kill(-child.pid, 'SIGTERM');
			} catch {
				/* already gone */
			}
			let timer: NodeJS.Timeout | undefined;
			const killed = await Promise.race([
				exitPromise.then(() => true),
				new Promise<boolean>((resolveTimeout) => (timer = setTimeout(() => resolveTimeout(false), 15_000))),
			]);
			clearTimeout(timer);
			if (!killed) {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					/* already gone */
				}
				await exitPromise;
			}
		}
		if (createdFolder && options.cleanup !== false) rmSync(userFolder, { recursive: true, force: true });
	};
	const cli = (args: string[], cliOptions: { allowFailure?: boolean } = {}) =>
		run(install.node, [install.bin, ...args], { cwd: userFolder, env, allowFailure: cliOptions.allowFailure });

	const importWith = (command: string) => async (fileOrDir: string) => {
		const separate = statSync(fileOrDir).isDirectory() ? ['--separate'] : [];
		await cli([command, `--input=${fileOrDir}`, ...separate]);
	};
	const importWorkflows = importWith('import:workflow');
	const importCredentials = importWith('import:credentials');

	const deadline = Date.now() + (options.startupTimeoutMs ?? 180_000);
	try {
		while (true) {
			if (exited !== undefined) throw new Error(`n8n exited with code ${exited} during startup`);
			if (Date.now() > deadline) throw new Error('n8n did not become healthy in time');
			if (await isReady(url)) break;
			await sleep(500);
		}
	} catch (error) {
		await stop();
		const tail = logs.join('').split('\n').slice(-60).join('\n');
		throw new Error(`${(error as Error).message}\n--- n8n output ---\n${tail}`);
	}
	log(`n8n is up at ${url} after ${formatDuration(Date.now() - started)}`);
	return { url, port, userFolder, logs, install, env, cli, importWorkflows, importCredentials, stop };
}

/**
 * The server runs in its own process group (so stop() also ends whatever n8n spawned), which means
 * Ctrl+C in a terminal no longer reaches it: end every running server when this process exits or
 * is interrupted.
 */
const runningServers = new Set<ChildProcess>();
let exitHandlersInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	try {
		if (child.pid) process.kill(-child.pid, signal);
	} catch {
		/* already gone */
	}
}

function trackForExit(child: ChildProcess): void {
	runningServers.add(child);
	child.on('exit', () => runningServers.delete(child));
	if (exitHandlersInstalled) return;
	exitHandlersInstalled = true;
	process.on('exit', () => runningServers.forEach((server) => killGroup(server, 'SIGTERM')));
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(signal, () => {
			runningServers.forEach((server) => killGroup(server, 'SIGTERM'));
			process.exit(signal === 'SIGINT' ? 130 : 143);
		});
	}
}

/**
 * `/healthz` answers as soon as the HTTP server listens, and while n8n is still loading every other
 * path answers 200 with the text "n8n is starting up. Please wait": ready = `/rest/settings` is JSON.
 */
async function isReady(url: string): Promise<boolean> {
	try {
		const health = await fetch(`${url}/healthz`);
		if (!health.ok) return false;
		const settings = await fetch(`${url}/rest/settings`);
		if (!settings.ok || !(settings.headers.get('content-type') ?? '').includes('application/json')) return false;
		const body = (await settings.json()) as { data?: unknown };
		return Boolean(body?.data);
	} catch {
		return false;
	}
}

export function randomPassword(): string {
	// n8n requires 8+ chars with a number and an uppercase letter.
	return `Pw1${randomBytes(9).toString('base64url')}`;
}
