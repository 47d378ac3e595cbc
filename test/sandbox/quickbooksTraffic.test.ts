/** Batch, requestid idempotency, rate limits, fault injection and control paths of the QuickBooks simulator. */
import { RequestLog } from '../../sandbox/common/requestLog';
import { createQuickBooksSimulator, type QboSimulator, type QboSimulatorOptions } from '../../sandbox/quickbooks';
import { EXAMPLE_CLIENT, EXAMPLE_US_REALM, exampleUsCompany } from '../../sandbox/quickbooks/exampleSeed';
import { qboClient } from '../../sandbox/quickbooks/simpleClient';

async function start(options: Partial<QboSimulatorOptions> = {}) {
	const sim = createQuickBooksSimulator({ companies: [exampleUsCompany()], clients: [EXAMPLE_CLIENT], ...options });
	const base = await sim.listen(0);
	const tokens = sim.issueTokens(EXAMPLE_CLIENT.clientId, EXAMPLE_US_REALM);
	return { sim, base, tokens, qbo: qboClient(base, EXAMPLE_US_REALM, tokens.access_token) };
}

const invoice = (docNumber: string, extra: Record<string, unknown> = {}) => ({
	DocNumber: docNumber,
	TxnDate: '2026-03-01',
	CustomerRef: { value: '1' },
	Line: [{ DetailType: 'SalesItemLineDetail', Amount: 10, SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: 10 } }],
	...extra,
});

describe('batch, requestid, routes and control paths', () => {
	let sim: QboSimulator;
	let base: string;
	let qbo: ReturnType<typeof qboClient>;

	beforeAll(async () => {
		({ sim, base, qbo } = await start({ limits: false }));
	});
	afterAll(() => sim.close());
	beforeEach(() => sim.reset());

	it('runs batch items serially: creates, updates, voids, queries and per-item Faults, HTTP 200', async () => {
		const res = await qbo.batch([
			{ bId: 'c1', operation: 'create', Invoice: invoice('B-1') },
			{ bId: 'c2', operation: 'create', Invoice: invoice('INV-1001') },
			{ bId: 'q1', Query: "SELECT * FROM Invoice WHERE DocNumber IN ('B-1', 'INV-1001')" },
			{ bId: 'u1', operation: 'update', Invoice: { Id: '1', SyncToken: '0', sparse: true, PrivateNote: 'batched' } },
			{ bId: 'v1', operation: 'update', optionsData: 'void', Invoice: { Id: '1', SyncToken: '1' } },
			{ bId: 'cu', operation: 'create', Customer: { DisplayName: 'Batch Customer' } },
			{ bId: 'bad', Query: 'SELECT * FROM Nope' },
		]);
		expect(res.status).toBe(200);
		const [c1, c2, q1, u1, v1, cu, bad] = res.json.BatchItemResponse;
		expect(c1).toMatchObject({ bId: 'c1', Invoice: { DocNumber: 'B-1', Id: '2' } });
		expect(c2.bId).toBe('c2');
		expect(c2.Fault).toMatchObject({ type: 'ValidationFault', Error: [{ code: '6140' }] });
		expect(c2.Fault.Error[0].Detail).toMatch(/TxnId=1$/);
		expect(q1.QueryResponse.Invoice.map((i: any) => i.DocNumber)).toEqual(['INV-1001', 'B-1']);
		expect(u1.Invoice).toMatchObject({ PrivateNote: 'batched', SyncToken: '1' });
		expect(v1.Invoice).toMatchObject({ TotalAmt: 0, SyncToken: '2' });
		expect(cu.Customer.DisplayName).toBe('Batch Customer');
		expect(bad.Fault.Error[0].code).toBe('4000');
		const entry = sim.log.entries[sim.log.entries.length - 1];
		expect(entry).toMatchObject({ endpoint: 'POST /v3/company/:realmId/batch', detail: '7', status: 200 });
	});

	it('rejects a batch of more than 30 items, or a bId longer than 10 characters, with HTTP 400', async () => {
		const items = Array.from({ length: 31 }, (_, i) => ({ bId: `q${i}`, Query: 'SELECT * FROM Item' }));
		const tooMany = await qbo.batch(items);
		expect(tooMany.status).toBe(400);
		expect(tooMany.json.Fault.Error[0].Detail).toMatch(/at most 30/);
		expect((await qbo.batch(items.slice(0, 30))).status).toBe(200);
		const longBid = await qbo.batch([{ bId: 'abcdefghijk', Query: 'SELECT * FROM Item' }]);
		expect(longBid.status).toBe(400);
		expect(longBid.json.Fault.Error[0].element).toBe('bId');
	});

	it('replays the original response for a repeated requestid without repeating the write', async () => {
		const first = await qbo.post('invoice', invoice('R-1'), { requestid: 'req-0001' });
		const second = await qbo.post('invoice', invoice('R-1', { PrivateNote: 'different body' }), { requestid: 'req-0001' });
		expect(first.status).toBe(200);
		expect(second.status).toBe(200);
		expect(second.json).toEqual(first.json);
		expect((await qbo.query("SELECT count(*) FROM Invoice WHERE DocNumber = 'R-1'")).json.QueryResponse.totalCount).toBe(1);
		// A failed write is replayed as the same failure.
		const failed = await qbo.post('invoice', invoice('INV-1001'), { requestid: 'req-0002' });
		expect(failed.status).toBe(400);
		expect((await qbo.post('invoice', invoice('NEW-1'), { requestid: 'req-0002' })).json).toEqual(failed.json);
		// Too long: 50 characters for a call, 36 for a batch.
		expect((await qbo.post('invoice', invoice('R-2'), { requestid: 'x'.repeat(51) })).status).toBe(400);
		expect((await qbo.batch([{ bId: 'q', Query: 'SELECT * FROM Item' }], { requestid: 'x'.repeat(37) })).status).toBe(400);
		const batchFirst = await qbo.batch([{ bId: 'c', operation: 'create', Invoice: invoice('RB-1') }], { requestid: 'batch-1' });
		const batchAgain = await qbo.batch([{ bId: 'c', operation: 'create', Invoice: invoice('RB-1') }], { requestid: 'batch-1' });
		expect(batchAgain.json).toEqual(batchFirst.json);
		expect(batchAgain.json.BatchItemResponse[0].Invoice).toBeDefined();
	});

	it('answers unknown routes with 404 and a QBO fault', async () => {
		const outside = await fetch(`${base}/no/such/route`);
		expect(outside.status).toBe(404);
		expect(((await outside.json()) as any).Fault.Error[0]).toMatchObject({ code: '500', Message: 'Unsupported Operation' });
		const unknownEntity = await qbo.request('GET', 'widgetthing/1');
		expect(unknownEntity.status).toBe(404);
		expect(unknownEntity.json.Fault.type).toBe('ValidationFault');
	});

	it('answers a malformed or empty JSON body with 400 and keeps serving', async () => {
		const malformed = await qbo.request('POST', 'invoice', '{"DocNumber": ', {});
		expect(malformed.status).toBe(400);
		expect(malformed.json.Fault.Error[0]).toMatchObject({ code: '2010', Message: 'Request has invalid or unsupported property' });
		expect((await qbo.request('POST', 'customer', '', {})).status).toBe(400);
		expect((await qbo.request('POST', 'customer', '[1,2]', {})).status).toBe(400);
		expect((await qbo.request('POST', 'batch', '{"BatchItemRequest": 5}', {})).status).toBe(400);
		expect((await qbo.query('SELECT * FROM Item')).status).toBe(200);
	});

	it('serves state, reset, log and faults on /__sandbox/ without logging them', async () => {
		await qbo.post('customer', { DisplayName: 'Temp' });
		const state = (await (await fetch(`${base}/__sandbox/state`)).json()) as any;
		expect(state.realms[EXAMPLE_US_REALM].entities.Customer.map((c: any) => c.DisplayName)).toContain('Temp');
		expect(JSON.stringify(state)).not.toContain(sim.issueTokens(EXAMPLE_CLIENT.clientId, EXAMPLE_US_REALM).access_token);
		const before = sim.log.count();
		const log = (await (await fetch(`${base}/__sandbox/log`)).json()) as any;
		expect(log.countsByEndpoint['POST /v3/company/:realmId/customer']).toBeGreaterThanOrEqual(1);
		expect((await fetch(`${base}/__sandbox/reset`, { method: 'POST' })).status).toBe(200);
		expect([...sim.state.realms[EXAMPLE_US_REALM].entities.Customer.values()].map((c) => c.DisplayName)).not.toContain('Temp');
		const faults = await fetch(`${base}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ rules: [{ rate500: 1 }] }) });
		expect(faults.status).toBe(200);
		expect((await qbo.query('SELECT * FROM Item')).status).toBe(500);
		expect((await fetch(`${base}/__sandbox/state`)).status).toBe(200); // control paths are never faulted
		await fetch(`${base}/__sandbox/faults`, { method: 'POST', body: '' });
		expect((await qbo.query('SELECT * FROM Item')).status).toBe(200);
		expect(sim.log.count()).toBe(before + 2);
		expect((await fetch(`${base}/__sandbox/faults`, { method: 'POST', body: '{oops' })).status).toBe(400);
	});
});

describe('rate limits', () => {
	it('3001: more than perMinute requests in the window → 429 ThrottleExceeded; the window passes (timeScale)', async () => {
		const { sim, qbo } = await start({ limits: { perMinute: 5, timeScale: 60 } });
		try {
			const statuses = [];
			for (let i = 0; i < 6; i++) statuses.push((await qbo.query('SELECT * FROM Item')).status);
			expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
			const throttled = await qbo.query('SELECT * FROM Item');
			expect(throttled.json).toMatchObject({
				Fault: { Error: [{ Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', code: '3001' }], type: 'SERVICE' },
			});
			await new Promise((r) => setTimeout(r, 1050)); // one simulated minute
			expect((await qbo.query('SELECT * FROM Item')).status).toBe(200);
		} finally {
			await sim.close();
		}
	});

	it('3001: more than `concurrent` requests in flight for a realm → 429', async () => {
		const log = new RequestLog();
		const { sim, qbo } = await start({ limits: { concurrent: 3 }, faults: { rules: [{ slowRate: 1, slowMs: 300 }] }, log });
		try {
			const results = await Promise.all(Array.from({ length: 6 }, () => qbo.query('SELECT * FROM Item')));
			const statuses = results.map((r) => r.status).sort();
			expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
			expect(results.find((r) => r.status === 429)?.json.Fault.Error[0].code).toBe('3001');
			expect(log.maxConcurrent()).toBe(6);
			expect(log.count((e) => e.fault === 'slow')).toBe(6);
		} finally {
			await sim.close();
		}
	});

	it('3001: more than batchPerMinute batch calls → 429', async () => {
		const { sim, qbo } = await start({ limits: { batchPerMinute: 2 } });
		try {
			const batch = () => qbo.batch([{ bId: 'q', Query: 'SELECT * FROM Item' }]);
			expect([(await batch()).status, (await batch()).status, (await batch()).status]).toEqual([200, 200, 429]);
			expect((await qbo.query('SELECT * FROM Item')).status).toBe(200);
		} finally {
			await sim.close();
		}
	});
});

describe('fault injection', () => {
	it('is deterministic for a seed', async () => {
		const run = async (seed: number) => {
			const { sim, qbo } = await start({ limits: false, faults: { seed, rules: [{ match: 'query', rate429: 0.3, rate500: 0.2, rate503: 0.1 }] } });
			try {
				const statuses: number[] = [];
				for (let i = 0; i < 30; i++) statuses.push((await qbo.query('SELECT * FROM Item')).status);
				return statuses;
			} finally {
				await sim.close();
			}
		};
		const a = await run(11);
		expect(await run(11)).toEqual(a);
		expect(new Set(a)).toEqual(new Set([200, 429, 500, 503]));
		expect(await run(12)).not.toEqual(a);
	});

	it('injects 500/503 SystemFault bodies, drops and timeouts, also on the token endpoint', async () => {
		const { sim, base, qbo, tokens } = await start({ limits: false });
		try {
			sim.setFaults({ rules: [{ match: '^GET .*/item/', rate503: 1 }, { match: '^POST /oauth2', rate500: 1 }, { match: 'drop', dropRate: 1 }, { match: 'hang', timeoutRate: 1 }] });
			const unavailable = await qbo.get('item', '1');
			expect(unavailable.status).toBe(503);
			expect(unavailable.json.Fault).toMatchObject({ type: 'SystemFault', Error: [{ code: '10000' }] });
			const token = await fetch(`${base}/oauth2/v1/tokens/bearer`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: `grant_type=refresh_token&refresh_token=${tokens.refresh_token}&client_id=${EXAMPLE_CLIENT.clientId}&client_secret=${EXAMPLE_CLIENT.clientSecret}`,
			});
			expect(token.status).toBe(500);
			await expect(fetch(`${base}/v3/company/${EXAMPLE_US_REALM}/drop`)).rejects.toThrow();
			await expect(fetch(`${base}/v3/company/${EXAMPLE_US_REALM}/hang`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
			await new Promise((r) => setTimeout(r, 50));
			expect(sim.log.entries.filter((e) => e.fault).map((e) => [e.fault, e.status])).toEqual([
				['503', 503],
				['500', 500],
				['drop', 0],
				['timeout', 0],
			]);
			expect((await qbo.get('item', '2')).status).toBe(503);
			sim.setFaults(undefined);
			expect((await qbo.get('item', '2')).status).toBe(200);
		} finally {
			await sim.close();
		}
	});

	it('expireTokensAfterCalls: every N authenticated calls the access tokens expire (next call 401, refresh recovers)', async () => {
		const { sim, base, qbo, tokens } = await start({ limits: false, faults: { expireTokensAfterCalls: 3 } });
		try {
			const statuses = [];
			for (let i = 0; i < 4; i++) statuses.push((await qbo.query('SELECT * FROM Item')).status);
			expect(statuses).toEqual([200, 200, 200, 401]);
			const refreshed = (await (
				await fetch(`${base}/oauth2/v1/tokens/bearer`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${EXAMPLE_CLIENT.clientId}:${EXAMPLE_CLIENT.clientSecret}`).toString('base64')}` },
					body: `grant_type=refresh_token&refresh_token=${tokens.refresh_token}`,
				})
			).json()) as any;
			expect((await qbo.query('SELECT * FROM Item', refreshed.access_token)).status).toBe(200);
		} finally {
			await sim.close();
		}
	});
});
