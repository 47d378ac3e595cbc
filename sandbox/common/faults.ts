/**
 * Fault injection shared by all simulators: per-endpoint probabilities of throttling, server
 * errors, dropped connections, hung requests and slow answers, plus forced token expiry.
 * Decisions come from a seeded PRNG, so a given seed and request sequence always fail the same way.
 */
import type { ServerResponse } from 'http';
import { seededRandom } from './random';

export interface FaultRule {
	/** Regex source tested against "METHOD /path"; absent = all requests. */
	match?: string;
	rate429?: number;
	rate500?: number;
	rate503?: number;
	/** Destroy the socket without answering. */
	dropRate?: number;
	/** Never answer until the client gives up; capped at 30 s, then the socket is destroyed. */
	timeoutRate?: number;
	slowRate?: number;
	slowMs?: number;
}

export interface FaultConfig {
	seed?: number;
	rules?: FaultRule[];
	/** Every N authenticated calls, the current access tokens are expired. */
	expireTokensAfterCalls?: number;
}

export type FaultDecision = {
	kind: 'none' | '429' | '500' | '503' | 'drop' | 'timeout' | 'slow';
	delayMs?: number;
};

/** How long a "timeout" fault holds a request before destroying its socket. */
export const TIMEOUT_FAULT_CAP_MS = 30_000;
const DEFAULT_SLOW_MS = 2_000;
const DEFAULT_SEED = 1;

export class FaultInjector {
	private cfg: FaultConfig = {};
	private random: () => number = seededRandom(DEFAULT_SEED);
	private compiled: { re?: RegExp; rule: FaultRule }[] = [];
	private authenticatedCalls = 0;

	constructor(cfg?: FaultConfig) {
		this.set(cfg);
	}

	/** Replaces the configuration; restarts the random sequence and the token-expiry counter. */
	set(cfg: FaultConfig | undefined): void {
		this.cfg = cfg ?? {};
		this.random = seededRandom(this.cfg.seed ?? DEFAULT_SEED);
		this.compiled = (this.cfg.rules ?? []).map((rule) => ({
			re: rule.match !== undefined ? new RegExp(rule.match) : undefined,
			rule,
		}));
		this.authenticatedCalls = 0;
	}

	get config(): FaultConfig {
		return this.cfg;
	}

	/** Picks the fault (if any) for one request. The first rule whose `match` fits applies. */
	decide(method: string, path: string): FaultDecision {
		const target = `${method.toUpperCase()} ${path}`;
		const entry = this.compiled.find((c) => !c.re || c.re.test(target));
		if (!entry) return { kind: 'none' };
		const r = entry.rule;
		// One draw per request keeps the sequence stable however many rates a rule sets.
		const draw = this.random();
		let edge = 0;
		const bands: [number | undefined, FaultDecision][] = [
			[r.rate429, { kind: '429' }],
			[r.rate500, { kind: '500' }],
			[r.rate503, { kind: '503' }],
			[r.dropRate, { kind: 'drop' }],
			[r.timeoutRate, { kind: 'timeout', delayMs: TIMEOUT_FAULT_CAP_MS }],
			[r.slowRate, { kind: 'slow', delayMs: r.slowMs ?? DEFAULT_SLOW_MS }],
		];
		for (const [rate, decision] of bands) {
			if (!rate || rate <= 0) continue;
			edge += rate;
			if (draw < edge) return decision;
		}
		return { kind: 'none' };
	}

	/** Counts one authenticated call; true on every N-th call when expireTokensAfterCalls = N. */
	shouldExpireTokens(): boolean {
		const n = this.cfg.expireTokensAfterCalls;
		if (!n || n <= 0) return false;
		this.authenticatedCalls++;
		return this.authenticatedCalls % n === 0;
	}
}

/**
 * Carries out the transport part of a decision on a response:
 * - 'drop' destroys the socket, 'timeout' holds it (up to the cap) then destroys it → 'handled';
 * - 'slow' waits delayMs → 'continue' (serve the request normally afterwards);
 * - '429' / '500' / '503' → 'respond': the caller sends its API's own error body;
 * - 'none' → 'continue'.
 */
export async function applyTransportFault(
	res: ServerResponse,
	decision: FaultDecision,
): Promise<'handled' | 'continue' | 'respond'> {
	switch (decision.kind) {
		case 'none':
			return 'continue';
		case '429':
		case '500':
		case '503':
			return 'respond';
		case 'slow':
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, decision.delayMs ?? DEFAULT_SLOW_MS);
				// If the client or the server closes first, stop waiting.
				res.once('close', () => {
					clearTimeout(timer);
					resolve();
				});
			});
			return 'continue';
		case 'drop':
			res.socket?.destroy();
			return 'handled';
		case 'timeout': {
			const socket = res.socket;
			const timer = setTimeout(() => socket?.destroy(), decision.delayMs ?? TIMEOUT_FAULT_CAP_MS);
			timer.unref();
			socket?.once('close', () => clearTimeout(timer));
			return 'handled';
		}
	}
}
