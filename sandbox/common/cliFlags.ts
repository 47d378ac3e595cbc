/**
 * Command-line flags for the repository's tools (`npm run sandbox`, `npm run bench`): node's own
 * parseArgs (`--flag value`, `--flag=value`, boolean `--flag`, `-h`), unknown flags refused, and
 * checked conversions that name the flag in their error.
 */
import { parseArgs } from 'node:util';

type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;
type FlagValues<S extends FlagSpec> = { [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : string };

export function readFlags<S extends FlagSpec>(argv: string[], spec: S): FlagValues<S> {
	const { values } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false });
	return values as FlagValues<S>;
}

/** An integer flag ≥ `min`, or `fallback` when the flag is absent. */
export function integerFlag(name: string, raw: string | undefined, fallback: number, min?: number): number;
export function integerFlag(name: string, raw: string | undefined, fallback?: undefined, min?: number): number | undefined;
export function integerFlag(name: string, raw: string | undefined, fallback?: number, min = 0): number | undefined {
	if (raw === undefined) return fallback;
	const value = Number(raw);
	if (raw.trim() === '' || !Number.isInteger(value) || value < min) throw new Error(`--${name} needs an integer ≥ ${min}, got ${raw || 'nothing'}`);
	return value;
}

/** A number flag within [min, max], or `fallback` when the flag is absent. */
export function numberFlag(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
	if (raw === undefined) return fallback;
	const value = Number(raw);
	if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) throw new Error(`--${name} needs a number from ${min} to ${max}, got ${raw || 'nothing'}`);
	return value;
}
