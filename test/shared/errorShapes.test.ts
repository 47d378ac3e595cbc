/**
 * A failed request looks different on n8n 1.x and 2.x (see package/nodes/shared/transport/http.ts). The
 * transports must read the wait, the policy and the Fault on both. Each case runs with the
 * context throwing n8n 1.x's NodeApiError and n8n 2.x's axios-shaped error.
 */
import { NodeApiError } from 'n8n-workflow';

import { toSyncError } from '../../package/nodes/shared/faultTranslation';
import { HubSpotClient } from '../../package/nodes/shared/transport/hubspot';
import { QuickBooksClient, QuickBooksFault, toQuickBooksError } from '../../package/nodes/shared/transport/quickbooks';
import { describeHttpFailure } from '../../package/nodes/shared/transport/retry';
import { type FakeContextOptions, type FakeResponse, fakeContext, httpError, n8nV1ApiError, noWait } from './fakeContext';

const fault400 = {
	Fault: {
		Error: [{ Message: 'Required param missing, need to supply the required value for the API', Detail: 'Required parameter Line.Amount is missing in the request', code: '2020' }],
		type: 'ValidationFault',
	},
};
const qboThrottle = { Fault: { Error: [{ Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', code: '3001' }], type: 'SERVICE' } };
const hubspotDaily = { status: 'error', errorType: 'RATE_LIMIT', policyName: 'DAILY', message: 'You have reached your daily limit.' };

const shapes: Array<FakeContextOptions['errorShape']> = ['n8n1', 'n8n2'];

function quickBooks(answers: FakeResponse[], errorShape: FakeContextOptions['errorShape'], waits: number[] = []) {
	const fake = fakeContext((_request, index) => answers[Math.min(index, answers.length - 1)], undefined, { errorShape });
	return { fake, create: async () => await QuickBooksClient.create(fake.context, { retry: { ...noWait, sleep: async (ms: number) => void waits.push(ms) } }) };
}

describe.each(shapes)('errors from n8n %s', (errorShape) => {
	it('a QuickBooks 429 with Retry-After: 2 is retried after 2 s', async () => {
		const waits: number[] = [];
		const { fake, create } = quickBooks([{ status: 429, body: qboThrottle, headers: { 'Retry-After': '2' } }, { body: { Preferences: {} } }], errorShape, waits);
		const qbo = await create();
		await qbo.preferences();
		expect(fake.requests).toHaveLength(2);
		expect(waits).toEqual([2000]);
	});

	it('a QuickBooks HTTP 400 Fault keeps its code, message and detail', async () => {
		const { create } = quickBooks([{ status: 400, body: fault400 }], errorShape);
		const error = await (await create()).read('Invoice', '1').catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(QuickBooksFault);
		expect((error as QuickBooksFault).code).toBe('2020');
		const userFacing = toSyncError(error, { invoice: 'INV-1' });
		expect(userFacing.code).toBe('QUICKBOOKS_VALIDATION');
		expect(userFacing.message).toContain('Required parameter Line.Amount is missing');
	});

	it('a HubSpot 429 with policyName DAILY is not retried and is DAILY_LIMIT_REACHED', async () => {
		const fake = fakeContext(() => ({ status: 429, body: hubspotDaily }), { accessToken: 'pat-na1-00000000-0000', useCustomBaseUrl: true, baseUrl: 'http://hs.test' }, { errorShape });
		const hubspot = await HubSpotClient.create(fake.context, 'appToken', { retry: noWait, now: () => 0 });
		const error = await hubspot.listTaxRates().catch((caught: unknown) => caught);
		expect(fake.requests).toHaveLength(1);
		expect(toSyncError(error, { invoice: 'INV-1' }).code).toBe('DAILY_LIMIT_REACHED');
	});

	it('a HubSpot ten-secondly 429 waits the interval HubSpot names in its headers', async () => {
		const waits: number[] = [];
		const answers: FakeResponse[] = [
			{ status: 429, body: { status: 'error', policyName: 'TEN_SECONDLY_ROLLING', message: 'ten secondly' }, headers: { 'Retry-After': '3' } },
			{ body: { results: [] } },
		];
		const fake = fakeContext((_request, index) => answers[index], { accessToken: 'pat-na1-00000000-0000', useCustomBaseUrl: true, baseUrl: 'http://hs.test' }, { errorShape });
		const hubspot = await HubSpotClient.create(fake.context, 'appToken', { retry: { ...noWait, sleep: async (ms: number) => void waits.push(ms) }, now: () => 0 });
		await hubspot.listTaxRates();
		expect(waits).toEqual([3000]);
	});
});

describe('the full answer is asked for, and n8n still refreshes OAuth2 tokens', () => {
	it('asks n8n for the full response without judging the status', async () => {
		const { fake, create } = quickBooks([{ body: { Preferences: {} } }], 'n8n1');
		await (await create()).preferences();
		expect(fake.requests[0]).toMatchObject({ returnFullResponse: true, ignoreHttpStatusErrors: true });
	});

	it('a 401 is asked once more letting n8n throw it, so n8n refreshes the token and retries', async () => {
		const answers: FakeResponse[] = [{ status: 401, body: { fault: 'expired' } }, { body: { Preferences: { ok: true } } }];
		const { fake, create } = quickBooks(answers, 'n8n2');
		expect(await (await create()).preferences()).toEqual({ ok: true });
		expect(fake.requests.map((request) => request.ignoreHttpStatusErrors)).toEqual([true, false]);
	});

	it('a private-app token is not asked twice on 401 (n8n has no token to refresh)', async () => {
		const fake = fakeContext(() => ({ status: 401, body: { status: 'error', message: 'Authentication credentials not found.' } }), { accessToken: 'pat-na1-00000000-0000', useCustomBaseUrl: true, baseUrl: 'http://hs.test' });
		const hubspot = await HubSpotClient.create(fake.context, 'appToken', { retry: noWait, now: () => 0 });
		const error = await hubspot.listTaxRates().catch((caught: unknown) => caught);
		expect(fake.requests).toHaveLength(1);
		expect(toSyncError(error, { invoice: 'INV-1' }).code).toBe('AUTH_EXPIRED');
	});
});

describe('describeHttpFailure reads every error shape', () => {
	it('n8n 1.x NodeApiError: status from httpCode, body from context.data', () => {
		const failure = describeHttpFailure(n8nV1ApiError(400, fault400));
		expect(failure.status).toBe(400);
		expect(failure.body).toEqual(fault400);
		expect(toQuickBooksError(n8nV1ApiError(400, fault400))).toBeInstanceOf(QuickBooksFault);
	});

	it('n8n 1.x network failure: the code n8n puts in httpCode is a network code, not a status', () => {
		const error = Object.assign(new Error('The connection to the server was closed unexpectedly'), { name: 'NodeApiError', httpCode: 'ECONNRESET', context: {} });
		const failure = describeHttpFailure(error);
		expect(failure.status).toBeUndefined();
		expect(failure.networkCode).toBe('ECONNRESET');
	});

	it('n8n 2.x NodeApiError keeps axios error as cause, with headers', () => {
		const node = { id: '1', name: 'QuickBooks', type: 'x', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
		const error = new NodeApiError(node, httpError(429, qboThrottle, { 'retry-after': '4' }) as never);
		const failure = describeHttpFailure(error);
		expect(failure.status).toBe(429);
		expect(failure.headers['retry-after']).toBe('4');
	});
});
