import http from 'http';
import { applyTransportFault, FaultInjector } from '../../sandbox/common/faults';
import { closeServer, listen, readBody, sendJson } from '../../sandbox/common/http';
import { seededRandom } from '../../sandbox/common/random';
import { ConcurrencyGauge, WindowLimiter } from '../../sandbox/common/rateLimit';
import { RequestLog } from '../../sandbox/common/requestLog';

describe('seededRandom', () => {
	it('repeats the same sequence for the same seed and differs across seeds', () => {
		const a = seededRandom(42);
		const b = seededRandom(42);
		const c = seededRandom(43);
		const seqA = Array.from({ length: 5 }, a);
		expect(Array.from({ length: 5 }, b)).toEqual(seqA);
		expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
		for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
	});
});

describe('FaultInjector', () => {
	const rules = [{ match: '^GET /v3/', rate429: 0.2, rate500: 0.1, dropRate: 0.1, slowRate: 0.1, slowMs: 5 }];

	it('is deterministic for a seed', () => {
		const decide = (seed: number) => {
			const f = new FaultInjector({ seed, rules });
			return Array.from({ length: 50 }, () => f.decide('GET', '/v3/company/1/query').kind);
		};
		expect(decide(7)).toEqual(decide(7));
		expect(decide(7)).not.toEqual(decide(8));
		expect(new Set(decide(7)).size).toBeGreaterThan(2);
	});

	it('applies only to matching requests and restarts the sequence on set()', () => {
		const f = new FaultInjector({ seed: 1, rules: [{ match: '^POST ', rate503: 1 }] });
		expect(f.decide('GET', '/x').kind).toBe('none');
		expect(f.decide('POST', '/x').kind).toBe('503');
		f.set({ rules: [{ timeoutRate: 1 }] });
		expect(f.decide('GET', '/anything')).toEqual({ kind: 'timeout', delayMs: 30000 });
		f.set(undefined);
		expect(f.decide('GET', '/anything').kind).toBe('none');
	});

	it('says to expire tokens every N authenticated calls', () => {
		const f = new FaultInjector({ expireTokensAfterCalls: 3 });
		expect([1, 2, 3, 4, 5, 6].map(() => f.shouldExpireTokens())).toEqual([false, false, true, false, false, true]);
		expect(new FaultInjector().shouldExpireTokens()).toBe(false);
	});
});

describe('WindowLimiter and ConcurrencyGauge', () => {
	it('limits per key within the window, and timeScale shrinks the window', async () => {
		const limiter = new WindowLimiter({ limit: 2, windowMs: 60_000, timeScale: 600 }); // window = 100 ms
		expect(limiter.tryTake('a')).toBe(true);
		expect(limiter.tryTake('a')).toBe(true);
		expect(limiter.tryTake('a')).toBe(false);
		expect(limiter.tryTake('b')).toBe(true);
		await new Promise((r) => setTimeout(r, 130));
		expect(limiter.tryTake('a')).toBe(true);
	});

	it('counts in-flight requests per key', () => {
		const g = new ConcurrencyGauge();
		expect(g.enter('r')).toBe(1);
		expect(g.enter('r')).toBe(2);
		expect(g.current('other')).toBe(0);
		g.leave('r');
		expect(g.current('r')).toBe(1);
	});
});

describe('RequestLog', () => {
	it('counts by endpoint, filters, and reports the highest concurrency', () => {
		const log = new RequestLog();
		const base = { t: 0, api: 'quickbooks' as const, method: 'GET', path: '/p', status: 200, ms: 1 };
		log.add({ ...base, endpoint: 'GET /a', concurrent: 1 });
		log.add({ ...base, endpoint: 'GET /a', concurrent: 3 });
		log.add({ ...base, endpoint: 'POST /b', concurrent: 2, status: 429 });
		expect(log.countsByEndpoint()).toEqual({ 'GET /a': 2, 'POST /b': 1 });
		expect(log.count((e) => e.status === 429)).toBe(1);
		expect(log.count()).toBe(3);
		expect(log.maxConcurrent()).toBe(3);
		log.clear();
		expect(log.entries).toEqual([]);
	});
});

describe('http helpers', () => {
	it('listen on a free loopback port, readBody with a limit, sendJson, and close with hung sockets', async () => {
		const server = http.createServer(async (req, res) => {
			if (req.url === '/hang') {
				await applyTransportFault(res, { kind: 'timeout', delayMs: 30000 });
				return;
			}
			try {
				const body = await readBody(req, 10);
				sendJson(res, 200, { got: body.toString() });
			} catch (err) {
				sendJson(res, (err as { statusCode?: number }).statusCode ?? 500, { error: (err as Error).message });
			}
		});
		const base = await listen(server, 0);
		expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const ok = await fetch(`${base}/`, { method: 'POST', body: 'hello' });
		expect(await ok.json()).toEqual({ got: 'hello' });
		const big = await fetch(`${base}/`, { method: 'POST', body: 'x'.repeat(50) });
		expect(big.status).toBe(413);
		const hung = fetch(`${base}/hang`).catch((e) => e);
		await new Promise((r) => setTimeout(r, 50));
		const started = Date.now();
		await closeServer(server);
		expect(Date.now() - started).toBeLessThan(2000);
		expect(String(await hung)).toMatch(/fetch failed|socket|terminated/i);
	});
});
