import { HubSpotApiError, HubSpotClient } from '../../package/nodes/shared/transport/hubspot';
import { fakeContext, noWait } from './fakeContext';

async function client(handler: Parameters<typeof fakeContext>[0], retry: object = {}) {
	const fake = fakeContext(handler, { accessToken: 'pat-na1-secret', useCustomBaseUrl: true, baseUrl: 'http://hs.test/' });
	const hubspot = await HubSpotClient.create(fake.context, 'appToken', { retry: { ...noWait, ...retry }, now: () => 0 });
	return { hubspot, ...fake };
}

const tenSecondly = { status: 429, body: { status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', message: 'You have reached your ten_secondly_rolling limit.' } };

describe('HubSpot transport', () => {
	it('retries the ten-secondly limit after the window and 5xx, then succeeds', async () => {
		const waits: number[] = [];
		const answers = [
			{ ...tenSecondly, headers: { 'x-hubspot-ratelimit-interval-milliseconds': '10000' } },
			{ status: 429, body: { status: 'error', message: 'You have reached your secondly limit.' } },
			{ status: 502 },
			{ body: { results: [] } },
		];
		const { hubspot, requests } = await client((_request, index) => answers[index], { sleep: async (ms: number) => void waits.push(ms), random: () => 1 });
		await hubspot.listTaxRates();
		expect(requests).toHaveLength(4);
		expect(waits).toEqual([10000, 1000, 2000]);
		expect(requests[0].url).toBe('http://hs.test/tax-rates/v1/tax-rates');
	});

	it('never loops on the daily limit', async () => {
		const { hubspot, requests } = await client(() => ({ status: 429, body: { status: 'error', policyName: 'DAILY', message: 'You have reached your daily limit.' } }));
		const error = await hubspot.listTaxRates().catch((caught) => caught);
		expect(error).toBeInstanceOf(HubSpotApiError);
		expect(error.kind).toBe('daily-limit');
		expect(requests).toHaveLength(1);
	});

	it('names missing scopes from a 403', async () => {
		const { hubspot } = await client(() => ({
			status: 403,
			body: { status: 'error', category: 'MISSING_SCOPES', message: 'This app hasn\'t been granted all required scopes', errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.invoices.read'] } }] },
		}));
		const error = await hubspot.search('invoices', {}).catch((caught) => caught);
		expect(error.kind).toBe('scope');
		expect(error.requiredScopes).toEqual(['crm.objects.invoices.read']);
		expect(error.message).toContain('crm.objects.invoices.read');
	});

	it('search returns one page with the next cursor, 200 per page', async () => {
		const { hubspot, requests } = await client(() => ({ body: { total: 450, results: [{ id: '1', properties: {} }], paging: { next: { after: '200' } } } }));
		const page = await hubspot.search('invoices', { filterGroups: [], sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }] });
		expect(page).toMatchObject({ total: 450, nextAfter: '200' });
		expect(requests[0].body).toMatchObject({ limit: 200 });
		expect(requests[0].url).toBe('http://hs.test/crm/v3/objects/invoices/search');
	});

	it('batch reads in chunks of 100 and reports missing ids', async () => {
		const { hubspot, requests } = await client((request) => {
			const inputs = (request.body as { inputs: Array<{ id: string }> }).inputs;
			return { body: { results: inputs.filter((input) => input.id !== '7').map((input) => ({ id: input.id, properties: {} })) } };
		});
		const ids = Array.from({ length: 250 }, (_unused, index) => String(index));
		const { results, missingIds } = await hubspot.batchRead('line_items', [...ids, '3'], ['hs_sku']);
		expect(requests).toHaveLength(3);
		expect(results.size).toBe(249);
		expect(missingIds).toEqual(['7']);
	});

	it('follows per-input paging of v4 association batch reads', async () => {
		const { hubspot, requests } = await client((request) => {
			const inputs = (request.body as { inputs: Array<{ id: string; after?: string }> }).inputs;
			return {
				body: {
					results: inputs.map((input) =>
						input.id === '1' && !input.after
							? { from: { id: '1' }, to: [{ toObjectId: 10 }], paging: { next: { after: 'p2' } } }
							: { from: { id: input.id }, to: [{ toObjectId: Number(input.id) * 100 }] },
					),
				},
			};
		});
		const map = await hubspot.batchReadAssociations('invoices', 'line_items', ['1', '2']);
		expect(map.get('1')).toEqual(['10', '100']);
		expect(map.get('2')).toEqual(['200']);
		expect(requests).toHaveLength(2);
		expect(requests[0].url).toBe('http://hs.test/crm/v4/associations/invoices/line_items/batch/read');
	});

	it('a 401 says the credential was rejected', async () => {
		const { hubspot } = await client(() => ({ status: 401, body: { status: 'error', category: 'INVALID_AUTHENTICATION' } }));
		await expect(hubspot.listTaxRates()).rejects.toMatchObject({ kind: 'auth' });
	});
});
