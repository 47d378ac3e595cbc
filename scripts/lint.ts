// `npm run lint` (`-- --fix` to apply fixes): n8n's own `n8n-node lint` in strict mode with its
// default eslint.config.mjs, on exactly what the package is made of (package.json, nodes/,
// credentials/). It runs in a staging copy because `n8n-node lint` lints every .ts file under the
// folder it runs in, and n8n's rules are for node code: the development code beside it (test/,
// sandbox/, scripts/) uses Node's fs, process and timers by design. Warnings fail too: verification
// asks for none. Then `n8n-node cloud-support` in the repository must report the package eligible
// for n8n Cloud (strict mode on, eslint.config.mjs unchanged from n8n's default).
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { REPO_ROOT, run } from './n8n/util';

/** The package's sources and the configuration `n8n-node lint` reads. */
const PACKAGE_PARTS = ['package.json', 'eslint.config.mjs', 'tsconfig.json', 'nodes', 'credentials'];
/** The folders `--fix` may write back to. */
const FIXABLE_FOLDERS = ['nodes', 'credentials'];

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? filesUnder(path) : [path];
	});
}

/** Copies back the files `eslint --fix` changed in the staging copy; returns their repository paths. */
function writeBackFixes(stage: string): string[] {
	const changed: string[] = [];
	for (const folder of FIXABLE_FOLDERS) {
		for (const staged of filesUnder(join(stage, folder))) {
			const target = join(REPO_ROOT, relative(stage, staged));
			const content = readFileSync(staged);
			if (!content.equals(readFileSync(target))) {
				writeFileSync(target, content);
				changed.push(relative(REPO_ROOT, target));
			}
		}
	}
	return changed;
}

/** The problem counts from eslint's summary line ("✖ 3 problems (2 errors, 1 warning)"); none when it printed none. */
function problemCounts(output: string): { errors: number; warnings: number } {
	const summary = /(\d+) errors?, (\d+) warnings?/.exec(output.replace(/\x1b\[[0-9;]*m/g, ''));
	return summary ? { errors: Number(summary[1]), warnings: Number(summary[2]) } : { errors: 0, warnings: 0 };
}

/** `n8n-node cloud-support`'s verdict on the repository: eligible only with strict mode and the default config. */
async function cloudSupportEligible(cli: string): Promise<boolean> {
	const { stdout, stderr } = await run(process.execPath, [cli, 'cloud-support'], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } });
	const status = /Status:\s*(NOT eligible|eligible)/.exec((stdout + stderr).replace(/\x1b\[[0-9;]*m/g, ''));
	console.log(`n8n-node cloud-support: ${status ? status[1] : 'no status reported'}`);
	return status?.[1] === 'eligible';
}

async function main(): Promise<void> {
	const fix = process.argv.includes('--fix');
	const cli = join(REPO_ROOT, 'node_modules', '@n8n', 'node-cli', 'bin', 'n8n-node.mjs');
	const stage = mkdtempSync(join(tmpdir(), 'n8n-sync-lint-'));
	try {
		for (const part of PACKAGE_PARTS) cpSync(join(REPO_ROOT, part), join(stage, part), { recursive: true });
		symlinkSync(join(REPO_ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');
		const result = await run(process.execPath, [cli, 'lint', ...(fix ? ['--fix'] : [])], {
			cwd: stage,
			allowFailure: true,
		});
		const output = (result.stdout + result.stderr).split(stage).join(REPO_ROOT);
		process.stdout.write(output);
		if (fix) for (const file of writeBackFixes(stage)) console.log(`fixed: ${file}`);
		const { errors, warnings } = problemCounts(output);
		console.log(`n8n-node lint: ${errors} errors, ${warnings} warnings${result.code ? ` (exit ${result.code})` : ''}`);
		const eligible = await cloudSupportEligible(cli);
		process.exitCode = result.code || errors || warnings || !eligible ? 1 : 0;
	} finally {
		rmSync(stage, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
