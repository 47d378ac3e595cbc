/**
 * QuickBooks' per-company request budgets, kept on our side once they bind: 500 requests and 40
 * /batch calls in any 60 s (Intuit's limits-and-throttles page). Without pacing, a request refused
 * with 429 backs off exponentially (0.5, 1, 2 … 30 s) and lands on average well after the window
 * has freed a slot; a month-end sync of 1,000 invoices (42 /batch calls) then took 1.4 × the
 * minute the limits impose. With pacing, a request waits exactly until our own last 60 s of
 * requests leave room, and goes then.
 *
 * Pacing starts for a company once QuickBooks has throttled it in this process while our own
 * requests of the last minute filled a budget: until then the budgets have not bound (QuickBooks
 * does not publish what remains of them), so requests go as fast as the in-flight cap allows, as
 * before, and a throttle our requests do not explain gets the transport's usual backoff. Times
 * recorded are when an answer arrived, which is no earlier than when QuickBooks counted the
 * request, so a paced request never starts before the window QuickBooks keeps has room.
 */

export interface WindowBudget {
	limit: number;
	windowMs: number;
}

/** Intuit's documented per-company budgets (all requests include /batch calls). */
export const QUICKBOOKS_BUDGETS = {
	all: { limit: 500, windowMs: 60_000 },
	batch: { limit: 40, windowMs: 60_000 },
} as const satisfies Record<string, WindowBudget>;

export type RequestKind = 'batch' | 'other';

/** When a window has no finished request to wait for (all in flight), look again after this long. */
const RECHECK_MS = 50;

/** Sliding window over our own requests: in flight ones count until they finish, finished ones for a window after. */
class OwnWindow {
	private inFlight = 0;
	/** Finish times, ascending (requests finish in time order). */
	private readonly finished: number[] = [];

	constructor(private readonly budget: WindowBudget) {}

	/** Milliseconds until one more request fits, 0 when it fits now. */
	waitMs(now: number, windowMs: number): number {
		while (this.finished.length && this.finished[0] <= now - windowMs) this.finished.shift();
		const used = this.inFlight + this.finished.length;
		if (used < this.budget.limit) return 0;
		// The request that frees the slot: the (used − limit + 1)-th oldest finished one.
		const freeing = this.finished[used - this.budget.limit];
		return freeing === undefined ? RECHECK_MS : Math.max(1, freeing + windowMs - now);
	}

	start(): void {
		this.inFlight++;
	}

	finish(at: number, counted: boolean): void {
		this.inFlight--;
		if (counted) this.finished.push(at);
	}
}

export interface PacerClock {
	now: () => number;
	sleep: (ms: number) => Promise<void>;
}

/** One company's budgets as this process has used them. */
export class QuickBooksPacer {
	/** Set by the first throttled answer: from then on requests wait for room. */
	private paced = false;

	private readonly all: OwnWindow;

	private readonly batch: OwnWindow;

	constructor(
		private readonly budgets: { all: WindowBudget; batch: WindowBudget } = QUICKBOOKS_BUDGETS,
		private readonly windowScale: () => number = () => 1,
	) {
		this.all = new OwnWindow(budgets.all);
		this.batch = new OwnWindow(budgets.batch);
	}

	get pacing(): boolean {
		return this.paced;
	}

	/** Waits (when pacing) until the request fits both budgets, then counts it as started. */
	async acquire(kind: RequestKind, clock: PacerClock): Promise<void> {
		for (;;) {
			const wait = this.paced ? this.waitMs(kind, clock.now()) : 0;
			if (wait === 0) break;
			await clock.sleep(wait);
		}
		this.all.start();
		if (kind === 'batch') this.batch.start();
	}

	/**
	 * Counts the request as finished at `at`. A throttled request counts against the all-requests
	 * budget only: QuickBooks refused it, so it did not use one of the 40 /batch calls.
	 */
	release(kind: RequestKind, at: number, throttled: boolean): void {
		this.all.finish(at, true);
		if (kind === 'batch') this.batch.finish(at, !throttled);
		// Our own requests filled the budget: pace from now on. A throttle they do not explain (the
		// 10-in-flight cap, another app, a shorter outage) keeps the transport's usual backoff.
		if (throttled && this.waitMs(kind, at) > 0) this.paced = true;
	}

	private waitMs(kind: RequestKind, now: number): number {
		const scale = this.windowScale();
		const all = this.all.waitMs(now, this.budgets.all.windowMs / scale);
		return kind === 'batch' ? Math.max(all, this.batch.waitMs(now, this.budgets.batch.windowMs / scale)) : all;
	}
}

let windowScale = 1;

/**
 * Divides the budgets' windows by `scale`, for a simulator whose windows run that much faster
 * (the benchmark's time-scaled sandbox). 1 is QuickBooks' real minute.
 */
export function setQuickBooksWindowScale(scale: number): void {
	windowScale = scale > 0 ? scale : 1;
}

const pacers = new Map<string, QuickBooksPacer>();

/** The pacer of one company (API base URL and realm), shared by every execution in this process. */
export function companyPacer(key: string): QuickBooksPacer {
	let pacer = pacers.get(key);
	if (!pacer) {
		pacer = new QuickBooksPacer(QUICKBOOKS_BUDGETS, () => windowScale);
		pacers.set(key, pacer);
	}
	return pacer;
}
