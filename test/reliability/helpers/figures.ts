/**
 * Each suite writes its figures (lost, duplicated, wrong, uncaught, secretLeaks, and its own
 * measurements) to a JSON file; scripts/reliability/run.ts adds them up and prints the summary line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const CORE_FIGURES = ['lost', 'duplicated', 'wrong', 'uncaught', 'secretLeaks'] as const;
export type CoreFigure = (typeof CORE_FIGURES)[number];

export type Figures = Partial<Record<CoreFigure, number>> & Record<string, unknown>;

export function figuresDir(): string {
	return process.env.RELIABILITY_FIGURES_DIR || path.join(os.tmpdir(), 'n8n-hubspot-qbo-reliability');
}

/** Merges `figures` into the suite's file (a later value replaces an earlier one). */
export function recordFigures(suite: string, figures: Figures): void {
	const dir = figuresDir();
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${suite}.json`);
	let current: Figures = {};
	try {
		current = JSON.parse(fs.readFileSync(file, 'utf8')) as Figures;
	} catch {
		// first write
	}
	const merged: Figures = { ...current, ...figures };
	fs.writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
}

export function readAllFigures(dir = figuresDir()): Record<string, Figures> {
	const result: Record<string, Figures> = {};
	if (!fs.existsSync(dir)) return result;
	for (const name of fs.readdirSync(dir)) {
		if (!name.endsWith('.json')) continue;
		try {
			result[name.replace(/\.json$/, '')] = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Figures;
		} catch {
			// a half-written file from a killed run: ignored
		}
	}
	return result;
}
