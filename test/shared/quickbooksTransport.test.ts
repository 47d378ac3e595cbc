import { QuickBooksClient, QuickBooksFault, QuickBooksTransportError } from '../../package/nodes/shared/transport/quickbooks';
import { fakeContext, noWait } from './fakeContext';

const throttled = { status: 429, body: { Fault: { Error: [{ Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', code: '3001' }], type: 'SERVICE' } } };

async function client(handler: Parameters<typeof fakeContext>[0], retry: object = {}) {
	const fake = fakeContext(handler);
	const qbo = await QuickBooksClient.create(fake.context, { retry: { ...noWait, ...retry } });
	return { qbo, ...fake };
}

describe('QuickBooks transport', () => {
	it('addresses the company, sends minorversion=75 and JSON', async () => {
		const { qbo, requests } = await client(() => ({ body: { Invoice: { Id: '1' } } }));
		await qbo.read('Invoice', '1');
		expect(requests[0].url).toBe('http://qbo.test/v3/company/123/invoice/1');
		expect(requests[0].qs).toMatchObject({ minorversion: '75' });
	});

	it('uses Intuit\'s hosts per environment and the realm override', async () => {
		const fake = fakeContext(() => ({ body: {} }), { environment: 'sandbox', realmIdOverride: '999', oauthTokenData: { callbackQueryString: { realmId: '1' } } });
		const qbo = await QuickBooksClient.create(fake.context);
		expect(qbo.companyUrl).toBe('https://sandbox-quickbooks.api.intuit.com/v3/company/999');
		expect(qbo.invoiceUrl('42')).toBe('https://app.sandbox.qbo.intuit.com/app/invoice?txnId=42');
	});

	it('links invoices under the custom base URL as <base>/app/invoice?txnId=<id>', async () => {
		const { qbo } = await client(() => ({ body: {} }));
		expect(qbo.invoiceUrl('500')).toBe('http://qbo.test/app/invoice?txnId=500');
		const production = await QuickBooksClient.create(fakeContext(() => ({ body: {} }), { environment: 'production', oauthTokenData: { callbackQueryString: { realmId: '1' } } }).context);
		expect(production.invoiceUrl('7')).toBe('https://app.qbo.intuit.com/app/invoice?txnId=7');
	});

	it('refuses a credential without a company id with a reconnect message', async () => {
		const fake = fakeContext(() => ({ body: {} }), { environment: 'production', oauthTokenData: {} });
		await expect(QuickBooksClient.create(fake.context)).rejects.toThrow(/reconnect/);
	});

	it('retries throttling (429 / 3001, 403 ThrottleExceeded), 5xx and network errors, then succeeds', async () => {
		const answers = [
			throttled,
			{ status: 403, body: { Fault: { Error: [{ Message: 'ThrottleExceeded', code: '003001' }] } } },
			{ status: 503, body: 'down' },
			{ networkCode: 'ECONNRESET' },
			{ body: { CompanyInfo: { CompanyName: 'ok' } } },
		];
		const { qbo, requests } = await client((_request, index) => answers[index]);
		expect(await qbo.companyInfo()).toEqual({ CompanyName: 'ok' });
		expect(requests).toHaveLength(5);
	});

	it('backs off exponentially and honours Retry-After', async () => {
		const waits: number[] = [];
		const answers = [throttled, { ...throttled, headers: { 'retry-after': '2' } }, { status: 500 }, { body: {} }];
		const { qbo } = await client((_request, index) => answers[index], { sleep: async (ms: number) => void waits.push(ms), random: () => 1 });
		await qbo.request('GET', '/preferences');
		expect(waits).toEqual([500, 2000, 2000]);
	});

	it('gives up after bounded attempts with a throttling error that keeps the attempt count', async () => {
		const { qbo, requests } = await client(() => throttled, { maxAttempts: 3, rateLimitWindowAttempts: 3 });
		const error = await qbo.request('GET', '/preferences').catch((caught) => caught);
		expect(error).toBeInstanceOf(QuickBooksTransportError);
		expect(error.kind).toBe('throttled');
		expect(error.attempts).toBe(3);
		expect(requests).toHaveLength(3);
	});

	it('waits out a whole one-minute rate-limit window before giving up on throttling (not just the usual retries)', async () => {
		const waits: number[] = [];
		// random 0: every backoff at its shortest (half the ceiling).
		const { qbo, requests } = await client(() => throttled, { sleep: async (ms: number) => void waits.push(ms), random: () => 0 });
		const error = await qbo.request('POST', '/batch', { body: {} }).catch((caught) => caught);
		expect(error).toMatchObject({ kind: 'throttled', attempts: 10 });
		expect(requests).toHaveLength(10);
		expect(waits.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThanOrEqual(60_000);
		// Other retryable failures keep the usual budget.
		const outage = await client(() => ({ status: 503, body: 'down' }));
		await outage.qbo.request('GET', '/preferences').catch(() => undefined);
		expect(outage.requests).toHaveLength(6);
	});

	it('does not retry validation faults and parses them with intuit_tid', async () => {
		const { qbo, requests } = await client(() => ({
			status: 400,
			headers: { intuit_tid: 'tid-1' },
			body: { Fault: { Error: [{ Message: 'Duplicate Name Exists Error', Detail: 'Another customer…', code: '6240', element: 'DisplayName' }], type: 'ValidationFault' } },
		}));
		const error = await qbo.write('Customer', { DisplayName: 'x' }).catch((caught) => caught);
		expect(error).toBeInstanceOf(QuickBooksFault);
		expect(error).toMatchObject({ code: '6240', intuitTid: 'tid-1', status: 400 });
		expect(error.errors[0].element).toBe('DisplayName');
		expect(requests).toHaveLength(1);
	});

	it('treats a Fault inside an HTTP 200 as a failure', async () => {
		const { qbo } = await client(() => ({ body: { Fault: { Error: [{ Message: 'Invalid Company Status', code: '6190' }], type: 'ValidationFault' } } }));
		await expect(qbo.request('GET', '/preferences')).rejects.toMatchObject({ code: '6190' });
	});

	it('never puts the bearer token of a failed request into the error', async () => {
		const { qbo } = await client(() => ({ status: 418, body: 'teapot' }), { maxAttempts: 1 });
		const error = await qbo.request('GET', '/x').catch((caught) => caught);
		expect(JSON.stringify(error)).not.toContain('super-secret-token-value');
		expect(String(error.message)).not.toContain('super-secret-token-value');
	});

	it('pages queries with STARTPOSITION/MAXRESULTS 1000 until a short page', async () => {
		const { qbo, requests } = await client((request) => {
			const start = Number(/STARTPOSITION (\d+)/.exec(String(request.body))?.[1]);
			const count = start === 1 || start === 1001 ? 1000 : 3;
			return { body: { QueryResponse: { Item: Array.from({ length: count }, (_unused, index) => ({ Id: String(start + index) })) } } };
		});
		const items = await qbo.queryAll('Item');
		expect(items).toHaveLength(2003);
		expect(requests.map((request) => request.body)).toEqual([
			'SELECT * FROM Item STARTPOSITION 1 MAXRESULTS 1000',
			'SELECT * FROM Item STARTPOSITION 1001 MAXRESULTS 1000',
			'SELECT * FROM Item STARTPOSITION 2001 MAXRESULTS 1000',
		]);
		expect(requests[0].headers).toMatchObject({ 'Content-Type': 'application/text' });
	});

	it('chunks /batch in 30s, correlates by bId and maps per-operation faults', async () => {
		const { qbo, requests } = await client((request) => {
			const operations = (request.body as { BatchItemRequest: Array<{ bId: string }> }).BatchItemRequest;
			expect(operations.length).toBeLessThanOrEqual(30);
			return {
				body: {
					BatchItemResponse: operations
						.map((operation) =>
							operation.bId === 'b7'
								? { bId: operation.bId, Fault: { type: 'ValidationFault', Error: [{ Message: 'Account Period Closed', code: '6210' }] } }
								: { bId: operation.bId, Invoice: { Id: operation.bId.slice(1) } },
						)
						.reverse(),
				},
			};
		});
		const operations = Array.from({ length: 65 }, (_unused, index) => ({ bId: `b${index}`, operation: 'create' as const, entity: 'Invoice', payload: { DocNumber: String(index) } }));
		const results = await qbo.batch(operations, (chunkOps) => `req-${chunkOps[0].bId}`);
		expect(requests).toHaveLength(3);
		expect(requests.map((request) => request.qs?.requestid).sort()).toEqual(['req-b0', 'req-b30', 'req-b60']);
		expect(results.get('b12')?.entity).toEqual({ Id: '12' });
		expect(results.get('b7')?.fault?.code).toBe('6210');
		expect(results.size).toBe(65);
	});

	it('sends many IN lookups as one /batch of queries', async () => {
		const { qbo, requests } = await client((request) => {
			const operations = (request.body as { BatchItemRequest: Array<{ bId: string; Query: string }> }).BatchItemRequest;
			return { body: { BatchItemResponse: operations.map((operation) => ({ bId: operation.bId, QueryResponse: { Item: [{ Id: operation.bId }] } })) } };
		});
		const skus = Array.from({ length: 250 }, (_unused, index) => `SKU-${index}`);
		const items = await qbo.findByValues('Item', 'Sku', skus, { includeInactive: true });
		expect(requests).toHaveLength(1);
		const queries = (requests[0].body as { BatchItemRequest: Array<{ Query: string }> }).BatchItemRequest.map((operation) => operation.Query);
		expect(queries).toHaveLength(3);
		expect(queries[0]).toMatch(/^SELECT \* FROM Item WHERE Sku IN \('SKU-0', .*\) AND Active IN \(true, false\) MAXRESULTS 100$/);
		expect(items).toHaveLength(3);
	});

	it('keeps at most 8 requests in flight per company', async () => {
		const fake = fakeContext(() => ({ body: {}, delayMs: 5 }));
		const clients = await Promise.all([1, 2].map(async () => await QuickBooksClient.create(fake.context, { retry: noWait })));
		await Promise.all(Array.from({ length: 40 }, async (_unused, index) => await clients[index % 2].request('GET', '/preferences')));
		expect(fake.maxInFlight()).toBe(8);
	});

	it('maps a failed token refresh to an auth error', async () => {
		const { qbo } = await client(() => ({ status: 400, body: { error: 'invalid_grant' } }));
		await expect(qbo.request('GET', '/preferences')).rejects.toMatchObject({ kind: 'auth' });
	});
});
