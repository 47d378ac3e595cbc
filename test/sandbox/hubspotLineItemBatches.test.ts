/**
 * HubSpot simulator: the CRM v3 batch endpoints the HubSpot Invoice Upsert writes line items and
 * invoices with, by HubSpot's documented rules: at most 100 inputs per call; a batch create or
 * update is validated as a whole (one refused input writes nothing); ids that do not exist make an
 * update a 207 Multi-Status with the others written; batch archive answers 204 whatever each id's
 * state, and an archived record leaves reads, searches, association reads and its invoice's totals.
 */
import type { HubSpotSimulator } from '../../sandbox/hubspot';
import { callHubSpot, hubSpotRecord, useHubSpotSimulator } from '../fixtures/hubspotSimulator';

let sim: HubSpotSimulator;

useHubSpotSimulator({ contacts: [hubSpotRecord('21', { email: 'ann@example.com' })], products: [hubSpotRecord('41', { name: 'Widget', hs_sku: 'WID-1', price: '10.00' })] }, (started) => (sim = started));

const call = (method: string, path: string, body?: unknown) => callHubSpot(sim, method, path, body);

const toInvoice = (id: string) => [{ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 410 }] }];
const line = (invoiceId: string, quantity = '1', productId = '41') => ({ properties: { hs_product_id: productId, quantity, price: '10.00', name: 'Widget' }, associations: toInvoice(invoiceId) });

async function invoice(): Promise<string> {
	return (await call('POST', '/crm/v3/objects/invoices', { properties: { hs_currency: 'USD', hs_number: 'Q1' } })).body.id;
}

const lineIdsOf = async (invoiceId: string): Promise<string[]> =>
	((await call('POST', '/crm/v4/associations/invoices/line_items/batch/read', { inputs: [{ id: invoiceId }] })).body.results[0]?.to ?? []).map((to: { toObjectId: number }) => String(to.toObjectId));
const billed = (invoiceId: string) => sim.state.get('invoices', invoiceId)!.properties.hs_amount_billed;

describe('line items: batch create and update', () => {
	it('refuse more than 100 inputs, and write nothing', async () => {
		const id = await invoice();
		const create = await call('POST', '/crm/v3/objects/line_items/batch/create', { inputs: Array.from({ length: 101 }, () => line(id)) });
		expect(create.status).toBe(400);
		expect(create.body.context).toEqual({ maxInputs: ['100'] });
		expect(sim.state.list('line_items')).toEqual([]);
		const update = await call('POST', '/crm/v3/objects/line_items/batch/update', { inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i), properties: { quantity: '2' } })) });
		expect(update.status).toBe(400);
	});

	it('a create with one refused input (a product that does not exist) creates none of the batch', async () => {
		const id = await invoice();
		const create = await call('POST', '/crm/v3/objects/line_items/batch/create', { inputs: [line(id), line(id, '1', '999')] });
		expect(create.status).toBe(400);
		expect(sim.state.list('line_items')).toEqual([]);
		expect(await lineIdsOf(id)).toEqual([]);
	});

	it('an update with an id that does not exist is a 207 naming it, the others updated; one refused value updates none', async () => {
		const id = await invoice();
		const created = await call('POST', '/crm/v3/objects/line_items/batch/create', { inputs: [line(id), line(id)] });
		expect(created.status).toBe(201);
		const [a, b] = created.body.results.map((result: { id: string }) => result.id);
		const partial = await call('POST', '/crm/v3/objects/line_items/batch/update', { inputs: [{ id: a, properties: { quantity: '3' } }, { id: '987654', properties: { quantity: '3' } }] });
		expect(partial.status).toBe(207);
		expect(partial.body.errors).toEqual([expect.objectContaining({ category: 'OBJECT_NOT_FOUND', context: { ids: ['987654'] } })]);
		expect(sim.state.get('line_items', a)!.properties.quantity).toBe('3');
		expect(billed(id)).toBe('40.00');
		const refused = await call('POST', '/crm/v3/objects/line_items/batch/update', { inputs: [{ id: a, properties: { quantity: '5' } }, { id: b, properties: { hs_product_id: '999' } }] });
		expect(refused.status).toBe(400);
		expect(sim.state.get('line_items', a)!.properties.quantity).toBe('3');
	});
});

describe('batch archive (line items and invoices)', () => {
	it('answers 204 with no body for live, already archived and unknown ids; archived line items leave the invoice and its totals', async () => {
		const id = await invoice();
		const created = await call('POST', '/crm/v3/objects/line_items/batch/create', { inputs: [line(id, '1'), line(id, '2')] });
		const [a, b] = created.body.results.map((result: { id: string }) => result.id);
		expect(billed(id)).toBe('30.00');
		const archived = await call('POST', '/crm/v3/objects/line_items/batch/archive', { inputs: [{ id: a }, { id: '987654' }] });
		expect(archived).toEqual({ status: 204, body: undefined });
		expect((await call('POST', '/crm/v3/objects/line_items/batch/archive', { inputs: [{ id: a }] })).status).toBe(204);
		expect(await lineIdsOf(id)).toEqual([b]);
		expect(billed(id)).toBe('20.00');
		const read = await call('POST', '/crm/v3/objects/line_items/batch/read', { inputs: [{ id: a }, { id: b }], properties: ['quantity'] });
		expect(read.status).toBe(207);
		expect(read.body.results.map((result: { id: string }) => result.id)).toEqual([b]);
	});

	it('refuses more than 100 ids and archives none of them', async () => {
		const id = await invoice();
		const created = await call('POST', '/crm/v3/objects/line_items/batch/create', { inputs: [line(id)] });
		const ids = [created.body.results[0].id, ...Array.from({ length: 100 }, (_, i) => String(900000 + i))];
		const archived = await call('POST', '/crm/v3/objects/line_items/batch/archive', { inputs: ids.map((lineId) => ({ id: lineId })) });
		expect(archived.status).toBe(400);
		expect(await lineIdsOf(id)).toEqual([created.body.results[0].id]);
	});

	it('an archived invoice leaves searches (by its link), reads and association reads', async () => {
		const id = await invoice();
		await call('POST', '/crm/v3/objects/line_items/batch/create', { inputs: [line(id)] });
		const search = () => call('POST', '/crm/v3/objects/invoices/search', { filterGroups: [{ filters: [{ propertyName: 'hs_number', operator: 'IN', values: ['Q1'] }] }] });
		expect((await search()).body.total).toBe(1);
		expect((await call('POST', '/crm/v3/objects/invoices/batch/archive', { inputs: [{ id }] })).status).toBe(204);
		expect((await search()).body.total).toBe(0);
		expect((await call('GET', `/crm/v3/objects/invoices/${id}`)).status).toBe(404);
		expect(await lineIdsOf(id)).toEqual([]);
	});
});
