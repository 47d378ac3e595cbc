/**
 * Contract test: HubSpot's official Node client (@hubspot/api-client 13.5) against the simulator.
 * It must get typed results for the calls the nodes make: search, line-item batch read (incl. a
 * 207 partial), v4 association batch read, and ApiException for errors.
 */
import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/objects/models/Filter';
import { createHubSpotSimulator, DEFAULT_PRIVATE_APP_TOKEN, type HubSpotSimulator } from '../../sandbox/hubspot';
import { defaultDataset } from '../../sandbox/dataset';

const dataset = defaultDataset();
let sim: HubSpotSimulator;
let client: Client;

beforeAll(async () => {
	sim = createHubSpotSimulator({ dataset: dataset.hubspot });
	const basePath = await sim.listen();
	client = new Client({ accessToken: DEFAULT_PRIVATE_APP_TOKEN, basePath });
});
afterAll(() => sim.close());

describe('@hubspot/api-client against the simulator', () => {
	it('crm.objects.searchApi.doSearch pages through invoices modified since a cursor', async () => {
		const since = String(Date.parse('2026-09-30T00:00:00.000Z'));
		const request = {
			filterGroups: [
				{
					filters: [
						{ propertyName: 'hs_lastmodifieddate', operator: FilterOperatorEnum.Gte, value: since },
						{ propertyName: 'hs_invoice_status', operator: FilterOperatorEnum.In, values: ['open', 'paid', 'voided'] },
					],
				},
			],
			sorts: ['hs_lastmodifieddate'],
			properties: ['hs_number', 'hs_invoice_status', 'hs_invoice_source'],
			limit: 10,
			after: '0',
		};
		const first = await client.crm.objects.searchApi.doSearch('invoices', request);
		const expected = dataset.hubspot.invoices.filter((i) => i.properties.hs_invoice_status !== 'draft');
		expect(first.total).toBe(expected.length);
		expect(first.results).toHaveLength(10);
		expect(first.results[0].createdAt).toBeInstanceOf(Date);
		expect(first.results[0].properties.hs_number).toBe('INV-1001');
		expect(first.paging?.next?.after).toBe('10');
		const second = await client.crm.objects.searchApi.doSearch('invoices', { ...request, after: first.paging!.next!.after });
		expect(second.results[0].properties.hs_number).toBe(expected[10].properties.hs_number);
	});

	it('crm.commerce.invoices.searchApi.doSearch works too', async () => {
		const r = await client.crm.commerce.invoices.searchApi.doSearch({
			filterGroups: [{ filters: [{ propertyName: 'hs_number', operator: FilterOperatorEnum.Eq, value: 'INV-1017' }] }],
			properties: ['hs_number'],
			limit: 1,
		});
		expect(r.total).toBe(1);
		expect(r.results[0].id).toBe('3010000017');
	});

	it('crm.lineItems.batchApi.read returns typed line items, and the 207 partial shape', async () => {
		const inputs = dataset.hubspot.lineItems.slice(0, 3).map((l) => ({ id: l.id }));
		const r = await client.crm.lineItems.batchApi.read({ inputs, properties: ['hs_sku', 'quantity', 'price', 'amount'], propertiesWithHistory: [] });
		expect(r.status).toBe('COMPLETE');
		expect(r.completedAt).toBeInstanceOf(Date);
		expect(r.results.map((l) => l.properties.hs_sku)).toEqual(['PROD-001', 'PROD-002', 'PROD-003']);
		const partial: any = await client.crm.lineItems.batchApi.read({ inputs: [...inputs, { id: '77' }], properties: ['hs_sku'], propertiesWithHistory: [] });
		expect(partial.results).toHaveLength(3);
		expect(partial.numErrors).toBe(1);
		expect(partial.errors[0].category).toBe('OBJECT_NOT_FOUND');
		expect(partial.errors[0].context.ids).toEqual(['77']);
	});

	it('crm.associations.v4.batchApi.getPage reads invoice → line item associations', async () => {
		const ids = dataset.hubspot.invoices.slice(0, 2).map((i) => ({ id: i.id }));
		const r = await client.crm.associations.v4.batchApi.getPage('invoices', 'line_items', { inputs: ids });
		expect(r.status).toBe('COMPLETE');
		expect(r.results).toHaveLength(2);
		const first = r.results.find((x) => x._from.id === ids[0].id)!;
		expect(first.to.map((t) => String(t.toObjectId))).toEqual(['4010000001', '4010000002', '4010000003']);
		expect(first.to[0].associationTypes[0]).toMatchObject({ category: 'HUBSPOT_DEFINED', typeId: 409 });
	});

	it('errors arrive as ApiException with code and HubSpot body', async () => {
		const bad = new Client({ accessToken: 'wrong', basePath: sim.baseUrl });
		await expect(bad.crm.objects.basicApi.getById('invoices', '3010000001')).rejects.toMatchObject({
			code: 401,
			body: { category: 'INVALID_AUTHENTICATION' },
		});
		await expect(client.crm.objects.basicApi.getById('invoices', '1')).rejects.toMatchObject({ code: 404 });
	});
});
