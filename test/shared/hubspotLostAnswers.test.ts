/**
 * HubSpot creates take no idempotency key: a create whose request may have reached HubSpot (the
 * connection broke after sending, a timeout, a 5xx) is not retried by the transport, since a retry
 * would make every record a second time. It fails at once with an `unavailable` error saying the
 * outcome is unknown. Failures where nothing was sent (connection refused, no address), limits
 * (429) and every other call (searches, reads, updates) are retried as before.
 */
import { HubSpotApiError, HubSpotClient, createOutcomeUnknown } from '../../package/nodes/shared/transport/hubspot';
import { toSyncError } from '../../package/nodes/shared/faultTranslation';
import { fakeContext, noWait, type FakeResponse } from './fakeContext';

async function client(answers: FakeResponse[]) {
	const fake = fakeContext((_request, index) => answers[Math.min(index, answers.length - 1)], { accessToken: 'pat-na1-secret', useCustomBaseUrl: true, baseUrl: 'http://hs.test/' });
	const hubspot = await HubSpotClient.create(fake.context, 'appToken', { retry: noWait, now: () => 0 });
	return { hubspot, ...fake };
}

const created = { body: { status: 'COMPLETE', results: [{ id: '501', properties: { qbo_invoice_id: '7' } }] } };
const input = { properties: { qbo_invoice_id: '7' } };

describe('HubSpot transport: a create whose answer was lost is not retried', () => {
	it.each([
		['the connection reset after sending', { networkCode: 'ECONNRESET' }],
		['a timeout', { networkCode: 'ECONNABORTED' }],
		['a 502', { status: 502 }],
		['a 500', { status: 500 }],
	])('batch create, %s: one request, an unavailable error saying the outcome is unknown', async (_case, failure) => {
		const { hubspot, requests } = await client([failure, created]);
		const error = await hubspot.batchCreate('invoices', [input]).catch((caught: unknown) => caught);
		expect(requests).toHaveLength(1);
		expect(error).toBeInstanceOf(HubSpotApiError);
		expect(error).toMatchObject({ kind: 'unavailable' });
		expect((error as Error).message).toMatch(/outcome of the create \/crm\/v3\/objects\/invoices\/batch\/create is unknown.*next run/);
		const syncError = toSyncError(error, { invoice: 'QB-7' });
		expect(syncError.code).toBe('HUBSPOT_UNAVAILABLE');
		expect(syncError.retryable).toBe(true);
	});

	it('a single create (POST /crm/v3/objects/<type>) is not retried either', async () => {
		const { hubspot, requests } = await client([{ networkCode: 'ECONNRESET' }, { body: { id: '1', properties: {} } }]);
		await expect(hubspot.request('POST', '/crm/v3/objects/line_items', { body: input })).rejects.toMatchObject({ kind: 'unavailable' });
		expect(requests).toHaveLength(1);
	});

	it.each([
		['connection refused (nothing sent)', { networkCode: 'ECONNREFUSED' }],
		['no address (nothing sent)', { networkCode: 'ENOTFOUND' }],
		['the ten-secondly limit (429: not carried out)', { status: 429, body: { status: 'error', policyName: 'TEN_SECONDLY_ROLLING' } }],
	])('batch create, %s: retried, one set of records', async (_case, failure) => {
		const { hubspot, requests } = await client([failure, created]);
		const result = await hubspot.batchCreate('invoices', [input]);
		expect(requests).toHaveLength(2);
		expect(result.map((object) => object.id)).toEqual(['501']);
	});

	it.each([
		['search', '/crm/v3/objects/invoices/search'],
		['batch read', '/crm/v3/objects/invoices/batch/read'],
		['batch update', '/crm/v3/objects/invoices/batch/update'],
		['batch archive', '/crm/v3/objects/line_items/batch/archive'],
	])('a %s after a lost answer is retried (repeating it changes nothing more)', async (_name, path) => {
		const { hubspot, requests } = await client([{ networkCode: 'ECONNRESET' }, { status: 502 }, { body: { results: [] } }]);
		await hubspot.request('POST', path, { body: { inputs: [] } });
		expect(requests).toHaveLength(3);
	});

	it('only POST creates count: a GET of an object list or a PATCH of one object is not a create', () => {
		const lost = { headers: {}, networkCode: 'ECONNRESET', message: 'socket hang up' };
		expect(createOutcomeUnknown('POST', '/crm/v3/objects/invoices', lost)).toBe(true);
		expect(createOutcomeUnknown('POST', '/crm/v3/objects/invoices/batch/create', lost)).toBe(true);
		expect(createOutcomeUnknown('GET', '/crm/v3/objects/invoices', lost)).toBe(false);
		expect(createOutcomeUnknown('PATCH', '/crm/v3/objects/invoices/9', lost)).toBe(false);
		expect(createOutcomeUnknown('POST', '/crm/v3/objects/invoices/batch/upsert', lost)).toBe(false);
	});
});
