/** HubSpot simulator: ten-secondly, secondly (search) and daily limits; fault injection. */
import { createHubSpotSimulator, DEFAULT_PRIVATE_APP_TOKEN, type HubSpotSimulator, type HubSpotSimulatorOptions } from '../../sandbox/hubspot';
import { defaultDataset } from '../../sandbox/dataset';

const dataset = defaultDataset();
const sims: HubSpotSimulator[] = [];

async function startSim(o: HubSpotSimulatorOptions): Promise<HubSpotSimulator> {
	const sim = createHubSpotSimulator({ dataset: dataset.hubspot, ...o });
	await sim.listen();
	sims.push(sim);
	return sim;
}
afterAll(() => Promise.all(sims.map((s) => s.close())));

async function call(sim: HubSpotSimulator, method: string, path: string, body?: unknown, token = DEFAULT_PRIVATE_APP_TOKEN, signal?: AbortSignal) {
	const res = await fetch(sim.baseUrl + path, {
		method,
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
		signal,
	});
	return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('rate limits', () => {
	it('ten-secondly: X-HubSpot-RateLimit headers count down, then 429 TEN_SECONDLY_ROLLING; the window rolls', async () => {
		// A 5 s window: five requests fit in it even on a loaded machine (a 200 ms one rolled mid-count).
		const sim = await startSim({ limits: { tenSecondly: 5, timeScale: 2 } });
		const remaining: string[] = [];
		for (let i = 0; i < 5; i++) {
			const r = await call(sim, 'GET', '/crm/v3/objects/contacts?limit=1');
			expect(r.status).toBe(200);
			expect(r.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
			expect(r.headers.get('x-hubspot-ratelimit-max')).toBe('5');
			remaining.push(r.headers.get('x-hubspot-ratelimit-remaining')!);
		}
		expect(remaining).toEqual(['4', '3', '2', '1', '0']);
		const limited = await call(sim, 'GET', '/crm/v3/objects/contacts?limit=1');
		expect(limited.status).toBe(429);
		expect(limited.body).toEqual({
			status: 'error',
			message: 'You have reached your ten_secondly_rolling limit.',
			errorType: 'RATE_LIMIT',
			correlationId: expect.any(String),
			policyName: 'TEN_SECONDLY_ROLLING',
			requestId: expect.any(String),
		});
		expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
		await sleep(5_100);
		expect((await call(sim, 'GET', '/crm/v3/objects/contacts?limit=1')).status).toBe(200);
	}, 30_000);

	it('limits per app: another private app has its own window', async () => {
		const sim = await startSim({ limits: { tenSecondly: 2 }, privateAppTokens: [DEFAULT_PRIVATE_APP_TOKEN, 'sandbox-hubspot-pat-second-app'] });
		await call(sim, 'GET', '/crm/v3/objects/contacts');
		await call(sim, 'GET', '/crm/v3/objects/contacts');
		expect((await call(sim, 'GET', '/crm/v3/objects/contacts')).status).toBe(429);
		expect((await call(sim, 'GET', '/crm/v3/objects/contacts', undefined, 'sandbox-hubspot-pat-second-app')).status).toBe(200);
	});

	it('search: 4 per second with the "secondly" message, exempt from the ten-secondly window', async () => {
		const sim = await startSim({ limits: { tenSecondly: 2 } });
		const statuses: number[] = [];
		let last: any;
		for (let i = 0; i < 5; i++) {
			last = await call(sim, 'POST', '/crm/v3/objects/invoices/search', { limit: 1 });
			statuses.push(last.status);
		}
		expect(statuses).toEqual([200, 200, 200, 200, 429]);
		expect(last.body).toMatchObject({ status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', policyName: 'SECONDLY' });
		// v4 association batch reads are exempt from the ten-secondly limit too.
		for (let i = 0; i < 4; i++) {
			expect((await call(sim, 'POST', '/crm/v4/associations/invoices/line_items/batch/read', { inputs: [{ id: dataset.hubspot.invoices[0].id }] })).status).toBe(200);
		}
		expect((await call(sim, 'GET', '/crm/v3/objects/contacts')).status).toBe(200);
	});

	it('daily limit for private apps (policy DAILY), not for OAuth apps', async () => {
		const sim = await startSim({ limits: { daily: 2 } });
		const a = await call(sim, 'GET', '/crm/v3/objects/contacts');
		expect(a.headers.get('x-hubspot-ratelimit-daily')).toBe('2');
		expect(a.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('1');
		await call(sim, 'GET', '/crm/v3/objects/contacts');
		const limited = await call(sim, 'GET', '/crm/v3/objects/contacts');
		expect(limited.status).toBe(429);
		expect(limited.body).toMatchObject({ policyName: 'DAILY', message: 'You have reached your daily limit.' });
		const oauth = sim.issueTokens();
		const viaOauth = await call(sim, 'GET', '/crm/v3/objects/contacts', undefined, oauth.access_token);
		expect(viaOauth.status).toBe(200);
		expect(viaOauth.headers.get('x-hubspot-ratelimit-daily')).toBeNull();
	});

	it('limits: false turns every limit off', async () => {
		const sim = await startSim({ limits: false });
		for (let i = 0; i < 12; i++) expect((await call(sim, 'POST', '/crm/v3/objects/invoices/search', {})).status).toBe(200);
	});
});

describe('fault injection', () => {
	it('429 / 500 / 503 by endpoint pattern, logged with the fault', async () => {
		const sim = await startSim({ limits: false, faults: { rules: [{ match: '/search$', rate429: 1 }, { match: 'line_items', rate503: 1 }, { match: 'contacts', rate500: 1 }] } });
		const throttled = await call(sim, 'POST', '/crm/v3/objects/invoices/search', {});
		expect(throttled.status).toBe(429);
		expect(throttled.body.policyName).toBe('TEN_SECONDLY_ROLLING');
		expect((await call(sim, 'GET', '/crm/v3/objects/line_items')).status).toBe(503);
		const err = await call(sim, 'GET', '/crm/v3/objects/contacts');
		expect(err.status).toBe(500);
		expect(err.body.status).toBe('error');
		expect((await call(sim, 'GET', '/crm/v3/objects/invoices')).status).toBe(200);
		expect(sim.log.entries.map((e) => e.fault)).toEqual(['429', '503', '500', undefined]);
	});

	it('drops connections, hangs (timeout) and slows responses', async () => {
		const sim = await startSim({ limits: false });
		sim.setFaults({ rules: [{ dropRate: 1 }] });
		await expect(call(sim, 'GET', '/crm/v3/objects/invoices')).rejects.toThrow();
		sim.setFaults({ rules: [{ timeoutRate: 1 }] });
		await expect(call(sim, 'GET', '/crm/v3/objects/invoices', undefined, undefined, AbortSignal.timeout(200))).rejects.toThrow();
		sim.setFaults({ rules: [{ slowRate: 1, slowMs: 150 }] });
		const t0 = Date.now();
		expect((await call(sim, 'GET', '/crm/v3/objects/invoices')).status).toBe(200);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
		sim.setFaults(undefined);
		expect(sim.log.entries.map((e) => e.fault)).toEqual(['drop', 'timeout', 'slow']);
	});

	it('is deterministic for a given seed', async () => {
		const sim = await startSim({ limits: false });
		const run = async () => {
			sim.setFaults({ seed: 42, rules: [{ rate500: 0.5 }] });
			const out: number[] = [];
			for (let i = 0; i < 12; i++) out.push((await call(sim, 'GET', '/crm/v3/objects/contacts')).status);
			return out;
		};
		const first = await run();
		expect(first).toContain(500);
		expect(first).toContain(200);
		expect(await run()).toEqual(first);
	});
});
