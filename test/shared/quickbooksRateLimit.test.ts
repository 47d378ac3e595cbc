import { QuickBooksPacer, type PacerClock } from '../../package/nodes/shared/transport/quickbooksRateLimit';
import { QuickBooksClient } from '../../package/nodes/shared/transport/quickbooks';
import { fakeContext, noWait } from './fakeContext';

/** A clock that only moves when someone sleeps. */
function virtualClock(start = 1_000_000): PacerClock & { slept: number[] } {
	let now = start;
	const slept: number[] = [];
	return {
		now: () => now,
		sleep: async (ms: number) => {
			slept.push(ms);
			now += ms;
		},
		slept,
	};
}

const throttled = { status: 429, body: { Fault: { Error: [{ Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', code: '3001' }], type: 'SERVICE' } } };

async function sendBatches(pacer: QuickBooksPacer, clock: PacerClock, count: number, throttledAt?: number): Promise<number[]> {
	const startedAt: number[] = [];
	for (let index = 0; index < count; index++) {
		await pacer.acquire('batch', clock);
		startedAt.push(clock.now());
		pacer.release('batch', clock.now(), index === throttledAt);
	}
	return startedAt;
}

describe('QuickBooks pacing of the per-company budgets', () => {
	it('does not pace a company QuickBooks has not throttled: 60 /batch calls go without waiting', async () => {
		const clock = virtualClock();
		const pacer = new QuickBooksPacer();
		await sendBatches(pacer, clock, 60);
		expect(clock.slept).toEqual([]);
		expect(pacer.pacing).toBe(false);
	});

	it('after a throttle, the 41st /batch call of a minute waits until the first leaves the window, not a backoff', async () => {
		const clock = virtualClock();
		const pacer = new QuickBooksPacer();
		// 40 calls accepted over 10 s, then one refused (it does not use a /batch slot).
		for (let index = 0; index < 40; index++) {
			await pacer.acquire('batch', clock);
			pacer.release('batch', clock.now(), false);
			await clock.sleep(250);
		}
		const firstFinished = 1_000_000;
		await pacer.acquire('batch', clock);
		pacer.release('batch', clock.now(), true);
		expect(pacer.pacing).toBe(true);
		clock.slept.length = 0;
		await pacer.acquire('batch', clock);
		expect(clock.now()).toBe(firstFinished + 60_000);
		pacer.release('batch', clock.now(), false);
		// The next one waits for the second call's slot, 250 ms later.
		await pacer.acquire('batch', clock);
		expect(clock.now()).toBe(firstFinished + 60_250);
	});

	it('does not pace after a throttle its own requests do not explain (another app, the in-flight cap)', async () => {
		const clock = virtualClock();
		const pacer = new QuickBooksPacer();
		await sendBatches(pacer, clock, 5, 4);
		expect(pacer.pacing).toBe(false);
		await sendBatches(pacer, clock, 60);
		expect(clock.slept).toEqual([]);
	});

	it('counts a request in flight until it finishes, and a finished one from when its answer arrived', async () => {
		const clock = virtualClock();
		const pacer = new QuickBooksPacer({ all: { limit: 500, windowMs: 60_000 }, batch: { limit: 2, windowMs: 60_000 } });
		await sendBatches(pacer, clock, 3, 2); // two accepted, the third refused: pacing on
		expect(pacer.pacing).toBe(true);
		await clock.sleep(60_000);
		await pacer.acquire('batch', clock);
		await pacer.acquire('batch', clock);
		// Two in flight fill the budget of 2: the third waits for one to finish, then a minute.
		let third = false;
		const waiting = pacer.acquire('batch', clock).then(() => (third = true));
		await clock.sleep(10);
		expect(third).toBe(false);
		const finishedAt = clock.now() + 5_000;
		pacer.release('batch', finishedAt, false);
		await waiting;
		expect(clock.now()).toBeGreaterThanOrEqual(finishedAt + 60_000);
	});

	it('keeps non-batch requests to 500 a minute and does not hold them for the /batch budget', async () => {
		const clock = virtualClock();
		const pacer = new QuickBooksPacer();
		await sendBatches(pacer, clock, 41, 40);
		const before = clock.now();
		await pacer.acquire('other', clock);
		expect(clock.now()).toBe(before);
		pacer.release('other', clock.now(), false);
		for (let index = 0; index < 457; index++) {
			await pacer.acquire('other', clock);
			pacer.release('other', clock.now(), false);
		}
		// 41 + 1 + 457 = 499 requests; the 500th fits, the 501st waits a minute.
		await pacer.acquire('other', clock);
		pacer.release('other', clock.now(), false);
		expect(clock.now()).toBe(before);
		await pacer.acquire('other', clock);
		expect(clock.now()).toBe(before + 60_000);
	});

	it('divides the windows by the simulator time scale', async () => {
		const clock = virtualClock();
		const pacer = new QuickBooksPacer(undefined, () => 60);
		await sendBatches(pacer, clock, 41, 40);
		await pacer.acquire('batch', clock);
		expect(clock.now()).toBe(1_000_000 + 1_000);
	});
});

describe('QuickBooks transport paces a throttled company', () => {
	it('retries a /batch call refused at the 41st of the minute when the window has room, once', async () => {
		const clock = virtualClock();
		const finished: number[] = [];
		const fake = fakeContext(
			(_request, index) => {
				finished.push(clock.now());
				// QuickBooks' window: 40 accepted /batch calls, then refusals until a minute after the first.
				if (index >= 40 && clock.now() < finished[0] + 60_000) return throttled;
				return { body: { BatchItemResponse: [] } };
			},
			{ useCustomBaseUrl: true, baseUrl: 'http://qbo.test', oauthTokenData: { callbackQueryString: { realmId: 'pacing-1' } } },
		);
		const qbo = await QuickBooksClient.create(fake.context, { retry: { ...noWait, sleep: clock.sleep }, now: clock.now, concurrency: 1 });
		for (let index = 0; index < 42; index++) await qbo.request('POST', '/batch', { body: { BatchItemRequest: [] } });
		// 40 + the refused one + its retry + the 42nd: one 429, no hammering.
		expect(fake.requests).toHaveLength(43);
		const retryAt = finished[41];
		expect(retryAt).toBeGreaterThanOrEqual(finished[0] + 60_000);
		// The backoff is the first step only (≤ 0.5 s); the rest of the wait is the pacing's, to the millisecond.
		expect(retryAt - (finished[0] + 60_000)).toBeLessThan(600);
	});
});
