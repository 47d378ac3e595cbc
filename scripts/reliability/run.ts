/**
 * `npm run test:reliability`: runs the reliability tier (jest.reliability.config.js), then adds up
 * the figures every suite wrote and prints them as ONE JSON object on the last line of output:
 *
 *   {"lost":0,"duplicated":0,"wrong":0,"uncaught":0,"secretLeaks":0,…,"ok":true}
 *
 * Exits non-zero when jest failed, a suite wrote no figures, or a core figure is not 0.
 * Extra arguments go to jest (e.g. `npm run test:reliability -- test/reliability/crash.test.ts`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { CORE_FIGURES, readAllFigures, type Figures } from '../../test/reliability/helpers/figures';

const ROOT = path.resolve(__dirname, '../..');

/** Measurements shown next to the core figures (the rest stays in each suite's file). */
const HEADLINE: Record<string, string[]> = {
	chaos: ['chaosInvoices', 'chaosRequests', 'chaosInjectedFaults', 'chaosTokenRefreshes', 'chaosRounds'],
	crash: ['crashKillPoints'],
	concurrent: ['concurrentDuplicateInvoices', 'concurrentDuplicateCustomers'],
	fuzz: ['fuzzItems', 'fuzzInvoicesInQuickBooks'],
	injection: ['injectionCases'],
	outage: ['lostAnswersReplayed', 'outageBroughtBackByPoll'],
	rateLimits: ['maxConcurrentQuickBooks', 'quickbooks429', 'quickbooksRetriesWithinBackoffWindow', 'quickbooksMinRetryGapMs', 'hubspot429', 'hubspotRetriesWithinBackoffWindow'],
	polling: ['pollingStalledPolls'],
	selftest: ['selftestPlantedFaultsDetected'],
	reverseChaos: ['reverseChaosInvoices', 'reverseChaosRequests', 'reverseChaosInjectedFaults', 'reverseChaosRounds'],
	reverseCrash: ['reverseCrashKillPoints'],
	reverseFuzz: ['reverseFuzzInvoices', 'reverseFuzzWritten', 'reverseFuzzFailed'],
	reverseLostAnswers: ['reverseLostAnswersDropped'],
	reverseOrder: [],
	reverseSecrets: ['reverseSecretsScenarios'],
};

function suitesExpected(args: string[]): string[] {
	const dir = path.join(ROOT, 'test/reliability');
	const all = fs
		.readdirSync(dir)
		.filter((name) => name.endsWith('.test.ts'))
		.map((name) => name.replace(/\.test\.ts$/, ''));
	const filters = args.filter((arg) => !arg.startsWith('-'));
	return filters.length ? all.filter((suite) => filters.some((filter) => filter.includes(suite) || suite.includes(path.basename(filter).replace(/\.test\.ts$/, '')))) : all;
}

function main(): number {
	const args = process.argv.slice(2);
	const started = Date.now();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-figures-'));
	const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest', { paths: [ROOT] }), '-c', 'jest.reliability.config.js', ...args], {
		cwd: ROOT,
		stdio: 'inherit',
		env: { ...process.env, RELIABILITY_FIGURES_DIR: dir },
	});
	const bySuite = readAllFigures(dir);
	const summary: Record<string, unknown> = {};
	for (const key of CORE_FIGURES) summary[key] = 0;
	const details: Record<string, Figures> = {};
	for (const [suite, figures] of Object.entries(bySuite)) {
		for (const key of CORE_FIGURES) summary[key] = (summary[key] as number) + (typeof figures[key] === 'number' ? (figures[key] as number) : 0);
		const extra: Figures = {};
		for (const [key, value] of Object.entries(figures)) if (!(CORE_FIGURES as readonly string[]).includes(key)) extra[key] = value;
		details[suite] = extra;
	}
	const missing = suitesExpected(args).filter((suite) => !(suite in bySuite));
	const coreClean = CORE_FIGURES.every((key) => summary[key] === 0);
	const ok = jest.status === 0 && missing.length === 0 && coreClean;
	for (const [suite, keys] of Object.entries(HEADLINE)) {
		for (const key of keys) if (details[suite]?.[key] !== undefined) summary[key] = details[suite][key];
	}
	summary.suites = Object.keys(bySuite).sort();
	if (missing.length) summary.missingFigures = missing;
	summary.jestExitCode = jest.status;
	summary.seconds = Math.round((Date.now() - started) / 1000);
	summary.ok = ok;
	fs.rmSync(dir, { recursive: true, force: true });
	process.stdout.write('\nReliability figures per suite:\n');
	for (const suite of Object.keys(bySuite).sort()) {
		const figures = bySuite[suite];
		process.stdout.write(`  ${suite.padEnd(18)} ${CORE_FIGURES.map((key) => `${key}=${typeof figures[key] === 'number' ? String(figures[key]) : '-'}`).join(' ')}\n`);
	}
	process.stdout.write(`${JSON.stringify(summary)}\n`);
	return ok ? 0 : 1;
}

process.exitCode = main();
