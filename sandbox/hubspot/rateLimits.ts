/**
 * HubSpot's request limits: a ten-second rolling window per app (100 by default, the
 * Free/Starter value), a per-second search limit (4/s) and an optional daily limit for
 * private apps. Each check returns the X-HubSpot-RateLimit-* headers HubSpot sends.
 */
import { errors } from './errors';
import type { Principal } from './auth';

export interface HubSpotLimits {
	/** Requests per app per 10 s (default 100). */
	tenSecondly?: number;
	/** Search requests per app per second (default 4). */
	searchPerSecond?: number;
	/** Requests per day per account for private apps (default: no daily limit). */
	daily?: number;
	/** Speeds time up: 10 makes the ten-second window last one second. */
	timeScale?: number;
}

/** Which limit applies to an endpoint. */
export type RateClass = 'standard' | 'search' | 'exempt';

const TEN_SECONDS = 10_000;
const ONE_SECOND = 1_000;
const ONE_DAY = 86_400_000;

/** Sliding window that also reports how many calls remain. */
class RollingWindow {
	private readonly hits = new Map<string, number[]>();
	constructor(
		readonly limit: number,
		private readonly windowMs: number,
	) {}

	take(key: string): { ok: boolean; remaining: number } {
		const now = Date.now();
		const recent = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
		if (recent.length >= this.limit) {
			this.hits.set(key, recent);
			return { ok: false, remaining: 0 };
		}
		recent.push(now);
		this.hits.set(key, recent);
		return { ok: true, remaining: this.limit - recent.length };
	}

	reset(): void {
		this.hits.clear();
	}
}

export class HubSpotRateLimiter {
	private readonly tenSecondly?: RollingWindow;
	private readonly search?: RollingWindow;
	private readonly daily?: RollingWindow;

	constructor(limits: HubSpotLimits | false | undefined) {
		if (limits === false) return;
		const scale = limits?.timeScale && limits.timeScale > 0 ? limits.timeScale : 1;
		this.tenSecondly = new RollingWindow(limits?.tenSecondly ?? 100, TEN_SECONDS / scale);
		this.search = new RollingWindow(limits?.searchPerSecond ?? 4, ONE_SECOND / scale);
		if (limits?.daily) this.daily = new RollingWindow(limits.daily, ONE_DAY / scale);
	}

	/** Counts one call; returns the headers to send, or throws HubSpot's 429. */
	check(principal: Principal, rateClass: RateClass): Record<string, string> {
		const headers: Record<string, string> = {};
		// OAuth apps have no daily limit (and get no daily headers).
		if (this.daily && principal.kind === 'private-app') {
			const d = this.daily.take('account');
			headers['X-HubSpot-RateLimit-Daily'] = String(this.daily.limit);
			headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(d.remaining);
			if (!d.ok) throw errors.rateLimit('DAILY', headers);
		}
		if (rateClass === 'search' && this.search) {
			const s = this.search.take(principal.appKey);
			if (!s.ok) throw errors.rateLimit('SECONDLY', headers);
		}
		if (rateClass === 'standard' && this.tenSecondly) {
			const t = this.tenSecondly.take(principal.appKey);
			headers['X-HubSpot-RateLimit-Interval-Milliseconds'] = String(TEN_SECONDS);
			headers['X-HubSpot-RateLimit-Max'] = String(this.tenSecondly.limit);
			headers['X-HubSpot-RateLimit-Remaining'] = String(t.remaining);
			if (!t.ok) throw errors.rateLimit('TEN_SECONDLY_ROLLING', headers);
		}
		return headers;
	}

	reset(): void {
		this.tenSecondly?.reset();
		this.search?.reset();
		this.daily?.reset();
	}
}
