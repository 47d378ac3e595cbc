/** Rate limiting primitives for the simulators: a sliding time window and an in-flight gauge. */

/**
 * At most `limit` takes per key within a sliding window of `windowMs`.
 * `timeScale` speeds time up so tests can exercise minute windows quickly
 * (timeScale 60: the one-minute window lasts one second).
 */
export class WindowLimiter {
	private readonly limit: number;
	private readonly windowMs: number;
	private readonly takenAt = new Map<string, number[]>();

	constructor(o: { limit: number; windowMs: number; timeScale?: number }) {
		this.limit = o.limit;
		this.windowMs = o.windowMs / (o.timeScale && o.timeScale > 0 ? o.timeScale : 1);
	}

	/** Records one use for `key` and returns true, or returns false (recording nothing) if the window is full. */
	tryTake(key: string): boolean {
		const now = Date.now();
		const times = (this.takenAt.get(key) ?? []).filter((t) => now - t < this.windowMs);
		if (times.length >= this.limit) {
			this.takenAt.set(key, times);
			return false;
		}
		times.push(now);
		this.takenAt.set(key, times);
		return true;
	}

	/** Forgets all recorded uses. */
	reset(): void {
		this.takenAt.clear();
	}
}

/** Counts requests in flight per key (e.g. per QuickBooks realm). */
export class ConcurrencyGauge {
	private readonly inFlight = new Map<string, number>();

	/** Registers one more request in flight; returns the count including it. */
	enter(key: string): number {
		const n = (this.inFlight.get(key) ?? 0) + 1;
		this.inFlight.set(key, n);
		return n;
	}

	leave(key: string): void {
		const n = (this.inFlight.get(key) ?? 0) - 1;
		if (n <= 0) this.inFlight.delete(key);
		else this.inFlight.set(key, n);
	}

	current(key: string): number {
		return this.inFlight.get(key) ?? 0;
	}
}
