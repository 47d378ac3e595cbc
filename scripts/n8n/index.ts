// Real-n8n infrastructure for `npm start` and the end-to-end tests. See README.md beside this file.
export { DEFAULT_N8N_VERSION, NODE24_VERSION, ensureN8n, ensureNode24, type N8nInstall } from './install';
export { packPackage, type PackOptions } from './pack';
export {
	installCommunityPackage,
	n8nEnvironment,
	startN8n,
	type N8nServer,
	type StartN8nOptions,
} from './server';
export {
	DEFAULT_OWNER,
	N8nApiError,
	N8nRestClient,
	nodeOutput,
	type ExecutionDetail,
	type ExecutionSummary,
	type NodeRun,
	type Owner,
	type StoredWorkflow,
	type WorkflowJson,
} from './rest';
export { parseFlatted } from './flatted';
export { cacheRoot, freePort, PACKAGE_ROOT, REPO_ROOT, run, sleep } from './util';

import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import { PACKAGE_ROOT } from './util';

export const PACKAGE_NAME: string = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).name;

/**
 * The node and credential type names n8n will register for this package, read from the files
 * listed in package.json's "n8n" block (dist/**) — `<package>.<description.name>` for nodes, the
 * bare `name` for credentials. A listed file that is not built yet is reported in `missing`.
 */
export function packageTypeNames(): { nodes: string[]; credentials: string[]; missing: string[] } {
	const packageJson = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	const missing: string[] = [];
	const load = (file: string): Record<string, unknown> | undefined => {
		try {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			return require(join(PACKAGE_ROOT, file)) as Record<string, unknown>;
		} catch {
			missing.push(file);
			return undefined;
		}
	};
	const classNameOf = (file: string) => basename(file).split('.')[0];
	const nodes: string[] = [];
	for (const file of packageJson.n8n.nodes) {
		const exported = load(file)?.[classNameOf(file)] as (new () => { description: { name: string } }) | undefined;
		if (exported) nodes.push(`${PACKAGE_NAME}.${new exported().description.name}`);
	}
	const credentials: string[] = [];
	for (const file of packageJson.n8n.credentials) {
		const exported = load(file)?.[classNameOf(file)] as (new () => { name: string }) | undefined;
		if (exported) credentials.push(new exported().name);
	}
	return { nodes, credentials, missing };
}
