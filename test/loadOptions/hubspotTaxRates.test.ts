/**
 * The HubSpot tax-rate dropdown reads every page of HubSpot's paged tax-rate list
 * (`paging.next.after`), against nock and against the HubSpot simulator.
 */
import nock from 'nock';

import { createHubSpotSimulator, DEFAULT_PRIVATE_APP_TOKEN, type HubSpotSimulator } from '../../sandbox/hubspot';
import { blockExternalNetwork, runLoadOptions, PACKAGE_NAME } from '../harness';

const HUBSPOT = 'https://hubspot.test';

beforeAll(() => blockExternalNetwork());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const rate = (id: number) => ({ id: String(id), name: `Rate ${id}`, label: `Rate ${id}`, percentageRate: id, active: true });

function loadTaxRates(baseUrl: string, accessToken = 'pat-na1-token') {
	return runLoadOptions({
		nodeType: `${PACKAGE_NAME}.taxMap`,
		method: 'getHubSpotTaxRates',
		path: 'parameters.mappings.mapping[0].hubspotTaxRate',
		parameters: { hubspotAuthentication: 'appToken' },
		credentials: { hubSpotInvoiceSyncAppTokenApi: { accessToken, useCustomBaseUrl: true, baseUrl } },
	});
}

it('follows paging.next.after until the last page', async () => {
	const scope = nock(HUBSPOT)
		.get('/tax-rates/v1/tax-rates')
		.reply(200, { results: [rate(1), rate(2)], paging: { next: { after: 'MgT', link: 'x' } } })
		.get('/tax-rates/v1/tax-rates')
		.query({ after: 'MgT' })
		.reply(200, { results: [rate(3)], paging: { next: { after: 'AwZ' } } })
		.get('/tax-rates/v1/tax-rates')
		.query({ after: 'AwZ' })
		.reply(200, { results: [rate(4)] });
	const options = await loadTaxRates(HUBSPOT);
	expect(options.map((option) => option.value)).toEqual(['1', '2', '3', '4']);
	expect(scope.isDone()).toBe(true);
});

it('stops when HubSpot hands back the cursor it was given (no endless loop)', async () => {
	const scope = nock(HUBSPOT)
		.get('/tax-rates/v1/tax-rates')
		.reply(200, { results: [rate(1)], paging: { next: { after: 'same' } } })
		.get('/tax-rates/v1/tax-rates')
		.query({ after: 'same' })
		.reply(200, { results: [rate(2)], paging: { next: { after: 'same' } } });
	expect((await loadTaxRates(HUBSPOT)).map((option) => option.value)).toEqual(['1', '2']);
	expect(scope.isDone()).toBe(true);
});

describe('against the HubSpot simulator (pages of 2)', () => {
	let sim: HubSpotSimulator;
	beforeAll(async () => {
		sim = createHubSpotSimulator({
			dataset: { invoices: [], lineItems: [], contacts: [], companies: [], products: [], associations: [], taxRates: [1, 2, 3, 4, 5].map(rate) },
			limits: false,
			taxRatesPageSize: 2,
		});
		await sim.listen();
	});
	afterAll(() => sim.close());

	it('lists all five rates in three calls', async () => {
		const options = await loadTaxRates(sim.baseUrl, DEFAULT_PRIVATE_APP_TOKEN);
		expect(options.map((option) => option.value)).toEqual(['1', '2', '3', '4', '5']);
		expect(sim.log.entries.filter((entry) => entry.path === '/tax-rates/v1/tax-rates')).toHaveLength(3);
	});
});
