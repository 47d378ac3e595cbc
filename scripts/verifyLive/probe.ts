/**
 * Probes, their verdicts, the runner and the printed report. A probe checks one API fact and says
 * whether it holds, with one line of evidence; a probe that cannot judge (network down, an answer
 * it does not understand) is an error, never a verdict. Everything printed passes redactSecrets.
 */
import { redactSecrets } from '../../package/nodes/shared/errors';
import type { ApiClient } from './client';

export type Api = 'QuickBooks' | 'HubSpot';
export type Outcome = 'holds' | 'does not hold' | 'skipped' | 'error';

export interface Verdict {
	outcome: Exclude<Outcome, 'error'>;
	evidence: string;
}

export interface ProbeResult {
	api: Api;
	fact: string;
	outcome: Outcome;
	evidence: string;
}

export interface QuickBooksTarget {
	baseUrl: string;
	realmId: string;
	accessToken: string;
}

export interface HubSpotTarget {
	baseUrl: string;
	accessToken: string;
}

export interface ProbeContext {
	write: boolean;
	quickbooks?: { client: ApiClient; realmId: string };
	hubspot?: { client: ApiClient };
	/** Runs `load` once per key and run: several probes share one observation (a write session, a listing). */
	memo<T>(key: string, load: () => Promise<T>): Promise<T>;
	/** A unique tag for records this run creates, so they can be recognised and cleaned up. */
	runTag: string;
	/** Lines the report prints after the results (test records that could not be cleaned up). */
	notes: string[];
}

export interface Probe {
	api: Api;
	fact: string;
	/** Needs --write (creates, changes and cleans up test records). */
	write?: boolean;
	/** Runs after every other probe (it judges what the others saw). */
	last?: boolean;
	run(context: ProbeContext): Promise<Verdict>;
}

export const holds = (evidence: string): Verdict => ({ outcome: 'holds', evidence });
export const doesNotHold = (evidence: string): Verdict => ({ outcome: 'does not hold', evidence });
export const skipped = (evidence: string): Verdict => ({ outcome: 'skipped', evidence });
export const verdict = (fact: boolean, evidence: string): Verdict => (fact ? holds(evidence) : doesNotHold(evidence));

/** A probe met an answer it cannot judge: reported as an error with what it saw. */
export class ProbeError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ProbeError';
	}
}

export interface RunOptions {
	probes: Probe[];
	write: boolean;
	quickbooks?: { client: ApiClient; realmId: string };
	hubspot?: { client: ApiClient };
	/** Why an API's probes are skipped (the variables to set), when it has no client. */
	missing: Partial<Record<Api, string>>;
	runTag?: string;
	onResult?: (result: ProbeResult) => void;
}

export interface RunOutcome {
	results: ProbeResult[];
	notes: string[];
}

export async function runProbes(options: RunOptions): Promise<RunOutcome> {
	const memos = new Map<string, Promise<unknown>>();
	const context: ProbeContext = {
		write: options.write,
		quickbooks: options.quickbooks,
		hubspot: options.hubspot,
		runTag: options.runTag ?? `vl${Date.now().toString(36)}`,
		notes: [],
		memo<T>(key: string, load: () => Promise<T>): Promise<T> {
			let entry = memos.get(key) as Promise<T> | undefined;
			if (!entry) {
				entry = load();
				memos.set(key, entry);
			}
			return entry;
		},
	};
	const ordered = [...options.probes.filter((probe) => !probe.last), ...options.probes.filter((probe) => probe.last)];
	const byProbe = new Map<Probe, ProbeResult>();
	for (const probe of ordered) {
		const result = await runOne(probe, context, options);
		byProbe.set(probe, result);
		options.onResult?.(result);
	}
	return { results: options.probes.map((probe) => byProbe.get(probe)!), notes: context.notes };
}

async function runOne(probe: Probe, context: ProbeContext, options: RunOptions): Promise<ProbeResult> {
	const base = { api: probe.api, fact: probe.fact };
	const available = probe.api === 'QuickBooks' ? context.quickbooks : context.hubspot;
	if (!available) return { ...base, outcome: 'skipped', evidence: options.missing[probe.api] ?? 'no credentials' };
	if (probe.write && !context.write) return { ...base, outcome: 'skipped', evidence: 'writes test records: run with --write' };
	try {
		const { outcome, evidence } = await probe.run(context);
		return { ...base, outcome, evidence };
	} catch (error) {
		return { ...base, outcome: 'error', evidence: describeError(error) };
	}
}

function describeError(error: unknown): string {
	if (error instanceof Error) {
		const cause = (error as { cause?: unknown }).cause;
		const causeText = cause instanceof Error ? ` (${cause.message})` : '';
		return `${error.name === 'Error' || error.name === 'ProbeError' ? '' : `${error.name}: `}${error.message}${causeText}`;
	}
	return String(error);
}

const OUTCOME_WIDTH = 'does not hold'.length;

/** One result as printed: the outcome, the fact, and the evidence on an indented line. */
export function formatResult(result: ProbeResult): string {
	return redactSecrets(`  ${result.outcome.padEnd(OUTCOME_WIDTH)}  ${result.fact}\n  ${''.padEnd(OUTCOME_WIDTH)}  ${result.evidence}`);
}

export function tally(results: ProbeResult[]): Record<Outcome, number> {
	const counts: Record<Outcome, number> = { holds: 0, 'does not hold': 0, skipped: 0, error: 0 };
	for (const result of results) counts[result.outcome]++;
	return counts;
}

export function formatSummary(results: ProbeResult[]): string {
	const counts = tally(results);
	return `${counts.holds} hold, ${counts['does not hold']} do not hold, ${counts.skipped} skipped, ${counts.error} errors`;
}

/** The whole report: results grouped by API, notes, then the totals. */
export function formatReport(results: ProbeResult[], notes: string[] = []): string {
	const lines: string[] = [];
	for (const api of ['QuickBooks', 'HubSpot'] as Api[]) {
		const own = results.filter((result) => result.api === api);
		if (own.length === 0) continue;
		lines.push(api, ...own.map(formatResult), '');
	}
	if (notes.length) lines.push(...notes.map((note) => `Note: ${note}`), '');
	lines.push(formatSummary(results));
	return redactSecrets(lines.join('\n'));
}
