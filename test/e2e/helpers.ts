// Shared set-up for end-to-end tests: a real n8n server from a clean state with this package
// installed as a community package, an owner, and a logged-in REST client.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

import {
	N8nRestClient,
	PACKAGE_NAME,
	REPO_ROOT,
	ensureN8n,
	packPackage,
	startN8n,
	type N8nServer,
	type StartN8nOptions,
} from '../../scripts/n8n';

export { PACKAGE_NAME };

/** test-output/ (gitignored): screenshots and server logs of failed runs. */
export const TEST_OUTPUT_DIR = join(REPO_ROOT, 'test-output');

export interface E2eContext {
	server: N8nServer;
	api: N8nRestClient;
	tarball: string;
}

let packed: Promise<string> | undefined;

/** Builds and packs the repo once per jest process. */
export function packedPackage(): Promise<string> {
	packed ??= packPackage();
	return packed;
}

/** Removes the packed tarball's temp dir (call in afterAll once the servers are stopped). */
export async function removePackedPackage(): Promise<void> {
	const tarball = await packed?.catch(() => undefined);
	packed = undefined;
	if (tarball) rmSync(dirname(tarball), { recursive: true, force: true });
}

/**
 * Installs n8n if needed, packs the package, starts a clean server with it and creates the owner
 * over REST (logged-in client) — or, with `ownerSetup: 'none'`, leaves the setup screen for the UI.
 */
export async function startServerWithPackage(
	options: StartN8nOptions & { ownerSetup?: 'rest' | 'none' } = {},
): Promise<E2eContext> {
	await ensureN8n({ version: options.version });
	const tarball = await packedPackage();
	const server = await startN8n({ ...options, communityPackages: [tarball, ...(options.communityPackages ?? [])] });
	try {
		const api = new N8nRestClient(server.url);
		if (options.ownerSetup !== 'none') await api.setupOwner();
		return { server, api, tarball };
	} catch (error) {
		await server.stop();
		throw error;
	}
}

/** Lines of the server output that show a node or credential of this package failed to load. */
export function packageLoadErrors(logs: string[]): string[] {
	return logs
		.join('')
		.split('\n')
		.filter((line) => /Cannot find module|ERR_REQUIRE|is not a constructor|Error loading package|Unrecognized node type/i.test(line));
}

export function ensureTestOutputDir(): string {
	mkdirSync(TEST_OUTPUT_DIR, { recursive: true });
	return TEST_OUTPUT_DIR;
}
