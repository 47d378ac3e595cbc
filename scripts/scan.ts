// `npm run scan`: the checks n8n's verification runs (@n8n/scan-community-package), here on this
// repository's source and on the tarball `npm pack` makes, before anything is published.
// The published scan first checks npm provenance and fetches the attested source; provenance can
// only exist after a publish from CI (.github/workflows/publish.yml), so only that step is left out.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { ESLint, type Linter } from 'eslint';

import { packPackage } from './n8n/pack';
import { PACKAGE_ROOT, REPO_ROOT, run } from './n8n/util';

interface ScanResult {
	passed: boolean;
	message?: string;
	details?: string;
}

interface Scanner {
	analyzePackage(dir: string, patterns?: string[]): Promise<ScanResult>;
	findPackageRoot(sourceDir: string, packageName: string): string | null;
	buildScanConfig(): Promise<Linter.Config[]>;
	SOURCE_FILE_PATTERNS: string[];
}

/**
 * The scanner's own lint (its config, inline disables ignored) over the same files, for the counts:
 * the published scan fails on errors only and does not print warnings, and verification asks for none.
 */
async function problems(scanner: Scanner, dir: string, patterns: string[]): Promise<{ errors: number; warnings: number; report: string }> {
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await scanner.buildScanConfig() });
	const results = await eslint.lintFiles(patterns);
	const sum = (count: (result: ESLint.LintResult) => number) => results.reduce((total, result) => total + count(result), 0);
	const report = await (await eslint.loadFormatter('stylish')).format(results);
	return { errors: sum((result) => result.errorCount), warnings: sum((result) => result.warningCount), report };
}

/** The patterns the published scan gives the tarball leg (compiled code and the published package.json). */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

async function main(): Promise<void> {
	const scanner = (await import('@n8n/scan-community-package/scanner/scanner.mjs' as string)) as Scanner;
	// The published scan lints the source the provenance points at: the repository at the tagged
	// commit, in the folder whose package.json carries the package's name. It must find package/.
	const { name } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string };
	const sourceRoot = scanner.findPackageRoot(REPO_ROOT, name);
	if (sourceRoot !== PACKAGE_ROOT) throw new Error(`n8n's scan would lint ${sourceRoot ?? 'no folder'} as the source of ${name}, not package/`);
	const tarball = await packPackage();
	const extracted = mkdtempSync(join(tmpdir(), 'n8n-sync-scan-'));
	try {
		await run('tar', ['-xzf', tarball, '-C', extracted, '--strip-components=1']);
		const legs: Array<[string, string, string[]]> = [
			['source (package/: nodes/, credentials/, package.json)', sourceRoot, scanner.SOURCE_FILE_PATTERNS],
			[`packed tarball (${tarball.split('/').pop()})`, extracted, TARBALL_FILE_PATTERNS],
		];
		let failed = 0;
		for (const [label, dir, patterns] of legs) {
			const result = await scanner.analyzePackage(dir, patterns);
			const counts = await problems(scanner, dir, patterns);
			const passed = result.passed && counts.errors === 0 && counts.warnings === 0;
			console.log(`${passed ? 'passed' : 'FAILED'}: ${label}: ${counts.errors} errors, ${counts.warnings} warnings${result.passed ? '' : ` (${result.message})`}`);
			if (counts.report.trim()) console.log(counts.report);
			if (!passed) failed += 1;
		}
		console.log('skipped: npm provenance (only a package published by .github/workflows/publish.yml has it)');
		console.log(`${legs.length - failed} passed, ${failed} failed`);
		process.exitCode = failed ? 1 : 0;
	} finally {
		rmSync(extracted, { recursive: true, force: true });
		rmSync(dirname(tarball), { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
