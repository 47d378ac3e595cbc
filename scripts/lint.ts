// `npm run lint` (`npm run lintfix` to apply fixes): n8n's own `n8n-node lint` in package/, strict
// mode with its default eslint.config.mjs, exactly as a reviewer runs `npx n8n-node lint` there.
// Warnings fail too: verification asks for none. Then `n8n-node cloud-support` in package/ must
// report the package eligible for n8n Cloud (strict mode on, eslint.config.mjs unchanged from
// n8n's default). The development code (test/, sandbox/, scripts/) lives outside package/ because
// n8n's rules are for node code and it uses Node's fs, process and timers by design.
import { join } from 'node:path';

import { PACKAGE_ROOT, REPO_ROOT, run } from './n8n/util';

const withoutColours = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** The problem counts from eslint's summary line ("✖ 3 problems (2 errors, 1 warning)"); none when it printed none. */
function problemCounts(output: string): { errors: number; warnings: number } {
	const summary = /(\d+) errors?, (\d+) warnings?/.exec(withoutColours(output));
	return summary ? { errors: Number(summary[1]), warnings: Number(summary[2]) } : { errors: 0, warnings: 0 };
}

/** `n8n-node cloud-support`'s verdict on the package: eligible only with strict mode and the default config. */
async function cloudSupportEligible(cli: string): Promise<boolean> {
	const { stdout, stderr } = await run(process.execPath, [cli, 'cloud-support'], { cwd: PACKAGE_ROOT, env: { ...process.env, NO_COLOR: '1' } });
	const status = /Status:\s*(NOT eligible|eligible)/.exec(withoutColours(stdout + stderr));
	console.log(`n8n-node cloud-support: ${status ? status[1] : 'no status reported'}`);
	return status?.[1] === 'eligible';
}

async function main(): Promise<void> {
	const fix = process.argv.includes('--fix');
	const cli = join(REPO_ROOT, 'node_modules', '@n8n', 'node-cli', 'bin', 'n8n-node.mjs');
	const result = await run(process.execPath, [cli, 'lint', ...(fix ? ['--fix'] : [])], { cwd: PACKAGE_ROOT, allowFailure: true });
	const output = result.stdout + result.stderr;
	process.stdout.write(output);
	const { errors, warnings } = problemCounts(output);
	console.log(`n8n-node lint (in package/): ${errors} errors, ${warnings} warnings${result.code ? ` (exit ${result.code})` : ''}`);
	const eligible = await cloudSupportEligible(cli);
	process.exitCode = result.code || errors || warnings || !eligible ? 1 : 0;
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
