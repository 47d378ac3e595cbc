// Builds the package (package/) and packs it exactly as it would be published (its package.json "files",
// with the README, LICENSE and CHANGELOG the build copies in).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { log, npmCliPath, PACKAGE_ROOT, REPO_ROOT, run } from './util';

export interface PackOptions {
	/** Skip `npm run build` (when dist/ is already fresh). */
	skipBuild?: boolean;
	/** Where the .tgz goes; a fresh temp dir by default. */
	destination?: string;
}

/** `npm run build` + `npm pack` of package/; returns the absolute path of the .tgz. */
export async function packPackage(options: PackOptions = {}): Promise<string> {
	const npm = npmCliPath();
	if (!options.skipBuild) {
		log('Building the package (npm run build)...');
		await run(process.execPath, [npm, 'run', 'build'], { cwd: REPO_ROOT });
	}
	const destination = options.destination ?? mkdtempSync(join(tmpdir(), 'n8n-sync-pack-'));
	const { stdout } = await run(process.execPath, [npm, 'pack', '--json', '--pack-destination', destination], {
		cwd: PACKAGE_ROOT,
	});
	const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string }>;
	const tgz = join(destination, packed.filename);
	log(`Packed ${tgz}`);
	return tgz;
}
