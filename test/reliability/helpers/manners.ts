/**
 * Backoff manners measured from a recording proxy's exchanges: every 429 is paired with the next
 * identical request (same method, URL with query, body) — its retry — and the gap between them
 * is compared with the smallest backoff the transports allow.
 */
import type { Exchange } from './proxy';

/** The smallest wait the transports' backoff allows before a first retry (500 ms base, full jitter ≥ half). */
export const BACKOFF_FLOOR_MS = 250;

export interface Manners {
	throttled: number;
	/** Throttled requests whose retry came sooner than the backoff floor. */
	hammered: number;
	/** Same-request retries that arrived within the backoff window after a 429 (must be 0). */
	retriesWithinBackoffWindow: number;
	/** 429s another identical request was in flight for (attribution unclear; left out). */
	ambiguous: number;
	minRetryGapMs?: number;
	medianRetryGapMs?: number;
	maxAttemptsOfOneRequest: number;
	/** All requests (from anyone) that arrived within the window after a 429, per 429 (for information). */
	requestsWithinWindowPer429: number;
}

/** Pairs every 429 with the next identical request (same method, URL with query, body). */
export function measureManners(exchanges: Exchange[]): Manners {
	const signature = (exchange: Exchange) => `${exchange.method} ${exchange.url}\n${exchange.body}`;
	const bySignature = new Map<string, Exchange[]>();
	for (const exchange of exchanges) bySignature.set(signature(exchange), [...(bySignature.get(signature(exchange)) ?? []), exchange]);
	const gaps: number[] = [];
	const manners: Manners = { throttled: 0, hammered: 0, retriesWithinBackoffWindow: 0, ambiguous: 0, maxAttemptsOfOneRequest: 0, requestsWithinWindowPer429: 0 };
	let nearby = 0;
	for (const same of bySignature.values()) manners.maxAttemptsOfOneRequest = Math.max(manners.maxAttemptsOfOneRequest, same.length);
	for (const exchange of exchanges) {
		if (exchange.status !== 429 || exchange.answeredAt === undefined) continue;
		manners.throttled++;
		const answeredAt = exchange.answeredAt;
		nearby += exchanges.filter((other) => other.startedAt >= answeredAt && other.startedAt < answeredAt + BACKOFF_FLOOR_MS).length;
		const same = bySignature.get(signature(exchange)) ?? [];
		const concurrentTwin = same.some((other) => other !== exchange && other.startedAt <= answeredAt && (other.answeredAt ?? Infinity) >= exchange.startedAt);
		if (concurrentTwin) {
			manners.ambiguous++;
			continue;
		}
		const retry = same.find((other) => other.startedAt >= answeredAt);
		if (!retry) continue;
		const gap = retry.startedAt - answeredAt;
		gaps.push(gap);
		if (gap < BACKOFF_FLOOR_MS) {
			manners.hammered++;
			manners.retriesWithinBackoffWindow += same.filter((other) => other.startedAt >= answeredAt && other.startedAt < answeredAt + BACKOFF_FLOOR_MS).length;
		}
	}
	gaps.sort((a, b) => a - b);
	manners.minRetryGapMs = gaps[0];
	manners.medianRetryGapMs = gaps[Math.floor(gaps.length / 2)];
	manners.requestsWithinWindowPer429 = manners.throttled ? Math.round((nearby / manners.throttled) * 100) / 100 : 0;
	return manners;
}

