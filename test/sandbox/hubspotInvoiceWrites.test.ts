/**
 * HubSpot simulator: invoice writes as the QuickBooks → HubSpot direction makes them — draft with
 * hs_currency, line items linked to products, v4 associations (single and batch), the move to open,
 * what paid and voided invoices refuse, and the lookups (product by hs_sku, contact by email).
 */
import type { HubSpotSimulator } from '../../sandbox/hubspot';
import { callHubSpot, hubSpotRecord, useHubSpotSimulator } from '../fixtures/hubspotSimulator';

let sim: HubSpotSimulator;

useHubSpotSimulator({ contacts: [hubSpotRecord('21', { email: 'Ap@Example.com', firstname: 'Ann' })], companies: [hubSpotRecord('31', { name: 'Acme' })], products: [hubSpotRecord('41', { name: 'Widget', hs_sku: 'WID-1', price: '10.00' })] }, (started) => (sim = started), (started) => (started.invoiceWriteSettings.paidStatusWrite = 'refused'));

const call = (method: string, path: string, body?: unknown) => callHubSpot(sim, method, path, body);

const status = async (id: string) => (await call('GET', `/crm/v3/objects/invoices/${id}?properties=hs_invoice_status`)).body.properties.hs_invoice_status;

/** A draft invoice with a contact and one line item for product 41, ready to open. */
async function readyDraft(): Promise<string> {
	const inv = await call('POST', '/crm/v3/objects/invoices', { properties: { hs_currency: 'USD' } });
	const id = inv.body.id;
	const items = await call('POST', '/crm/v3/objects/line_items/batch/create', {
		inputs: [{ properties: { hs_product_id: '41', quantity: '2', price: '10.00', name: 'Widget' }, associations: [{ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 410 }] }] }],
	});
	expect(items.status).toBe(201);
	expect((await call('PUT', `/crm/v4/objects/invoices/${id}/associations/default/contacts/21`)).status).toBe(200);
	return id;
}

describe('invoice create and status', () => {
	it('creates a draft only with hs_currency; a create asking for another status is refused', async () => {
		const missing = await call('POST', '/crm/v3/objects/invoices', { properties: { hs_number: 'X-1' } });
		expect(missing.status).toBe(400);
		expect(missing.body.message).toMatch(/hs_currency/);
		const open = await call('POST', '/crm/v3/objects/invoices', { properties: { hs_currency: 'USD', hs_invoice_status: 'open' } });
		expect(open.status).toBe(400);
		const made = await call('POST', '/crm/v3/objects/invoices', { properties: { hs_currency: 'USD' } });
		expect(made.status).toBe(201);
		expect(await status(made.body.id)).toBe('draft');
	});

	it('moves to open only with a contact and a line item associated', async () => {
		const bare = (await call('POST', '/crm/v3/objects/invoices', { properties: { hs_currency: 'USD' } })).body.id;
		const refused = await call('PATCH', `/crm/v3/objects/invoices/${bare}`, { properties: { hs_invoice_status: 'open' } });
		expect(refused.status).toBe(400);
		expect(refused.body.context.missingAssociations).toEqual(['contacts', 'line_items']);
		const id = await readyDraft();
		expect((await call('PATCH', `/crm/v3/objects/invoices/${id}`, { properties: { hs_invoice_status: 'open' } })).status).toBe(200);
		expect(await status(id)).toBe('open');
		expect((await call('PATCH', `/crm/v3/objects/invoices/${id}`, { properties: { hs_invoice_status: 'draft' } })).status).toBe(400);
	});

	it('paid cannot be written by default; with paidStatusWrite accepted it can, and a paid invoice keeps HubSpot\'s properties', async () => {
		const id = await readyDraft();
		await call('PATCH', `/crm/v3/objects/invoices/${id}`, { properties: { hs_invoice_status: 'open' } });
		expect((await call('POST', '/crm/v3/objects/invoices/batch/update', { inputs: [{ id, properties: { hs_invoice_status: 'paid' } }] })).status).toBe(400);
		expect(await status(id)).toBe('open');
		sim.invoiceWriteSettings.paidStatusWrite = 'accepted';
		expect((await call('PATCH', `/crm/v3/objects/invoices/${id}`, { properties: { hs_invoice_status: 'paid' } })).status).toBe(200);
		expect((await call('PATCH', `/crm/v3/objects/invoices/${id}`, { properties: { hs_due_date: '2026-06-01' } })).status).toBe(400);
		expect((await call('PATCH', `/crm/v3/objects/invoices/${id}`, { properties: { hs_invoice_status: 'voided' } })).status).toBe(400);
	});

	it('voided is final: status and HubSpot properties are refused, in a batch too (nothing of the batch is written)', async () => {
		const a = await readyDraft();
		const b = (await call('POST', '/crm/v3/objects/invoices', { properties: { hs_currency: 'USD' } })).body.id;
		expect((await call('PATCH', `/crm/v3/objects/invoices/${a}`, { properties: { hs_invoice_status: 'voided' } })).status).toBe(200);
		const batch = await call('POST', '/crm/v3/objects/invoices/batch/update', { inputs: [{ id: b, properties: { hs_number: 'B-1' } }, { id: a, properties: { hs_invoice_status: 'open' } }] });
		expect(batch.status).toBe(400);
		const bNumber = (await call('GET', `/crm/v3/objects/invoices/${b}?properties=hs_number`)).body.properties.hs_number;
		expect(bNumber).toBeNull();
		expect((await call('PATCH', `/crm/v3/objects/invoices/${a}`, { properties: { hs_currency: 'EUR' } })).status).toBe(400);
	});
});

describe('line items and associations', () => {
	it('a line item must name an existing product and belongs to one invoice only', async () => {
		const bad = await call('POST', '/crm/v3/objects/line_items', { properties: { hs_product_id: '999', quantity: '1', price: '1' } });
		expect(bad.status).toBe(400);
		const first = await readyDraft();
		const second = (await call('POST', '/crm/v3/objects/invoices', { properties: { hs_currency: 'USD' } })).body.id;
		const [lineItem] = sim.state.associatedIds('invoices', first, 'line_items');
		expect((await call('PUT', `/crm/v4/objects/invoices/${second}/associations/default/line_items/${lineItem}`)).status).toBe(400);
	});

	it('v4 batch create and batch associate default link records; missing records are per-input errors (207)', async () => {
		const inv = (await call('POST', '/crm/v3/objects/invoices', { properties: { hs_currency: 'USD' } })).body.id;
		const created = await call('POST', '/crm/v4/associations/invoices/companies/batch/create', {
			inputs: [{ from: { id: inv }, to: { id: '31' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 179 }] }],
		});
		expect(created.status).toBe(201);
		expect(sim.state.associatedIds('invoices', inv, 'companies')).toEqual(['31']);
		const partial = await call('POST', '/crm/v4/associations/invoices/contacts/batch/associate/default', { inputs: [{ from: { id: inv }, to: { id: '21' } }, { from: { id: inv }, to: { id: '404' } }] });
		expect(partial.status).toBe(207);
		expect(partial.body.numErrors).toBe(1);
		expect(sim.state.associatedIds('invoices', inv, 'contacts')).toEqual(['21']);
		const wrongType = await call('POST', '/crm/v4/associations/invoices/contacts/batch/create', { inputs: [{ from: { id: inv }, to: { id: '21' }, types: [{ associationTypeId: 999 }] }] });
		expect(wrongType.status).toBe(400);
	});
});

describe('payments recorded in HubSpot (commerce payments)', () => {
	it('need an amount and a date; associated with an invoice they set amount paid, balance due, payment date, then paid', async () => {
		const missing = await call('POST', '/crm/v3/objects/commerce_payments', { properties: { hs_initial_amount: '5.00' } });
		expect(missing.status).toBe(400);
		const id = await readyDraft();
		await call('PATCH', `/crm/v3/objects/invoices/${id}`, { properties: { hs_invoice_status: 'open' } });
		const read = async () => (await call('GET', `/crm/v3/objects/invoices/${id}?properties=hs_amount_billed,hs_amount_paid,hs_balance_due,hs_payment_date,hs_invoice_status`)).body.properties;
		expect((await read()).hs_amount_billed).toBe('20.00');
		const first = await call('POST', '/crm/v3/objects/commerce_payments', {
			properties: { hs_initial_amount: '7.10', hs_initiated_date: '2026-05-02T00:00:00.000Z' },
			associations: [{ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 9_008 }] }],
		});
		expect(first.status).toBe(201);
		expect(await read()).toMatchObject({ hs_amount_paid: '7.10', hs_balance_due: '12.90', hs_payment_date: '2026-05-02T00:00:00.000Z', hs_invoice_status: 'open' });
		const second = (await call('POST', '/crm/v3/objects/commerce_payments', { properties: { hs_initial_amount: '12.90', hs_initiated_date: '2026-05-03T00:00:00.000Z' } })).body.id;
		expect((await call('POST', '/crm/v4/associations/commerce_payments/invoices/batch/associate/default', { inputs: [{ from: { id: second }, to: { id } }] })).status).toBe(201);
		expect(await read()).toMatchObject({ hs_amount_paid: '20.00', hs_balance_due: '0.00', hs_payment_date: '2026-05-03T00:00:00.000Z', hs_invoice_status: 'paid' });
	});
});

describe('an invoice with a payment on it (HubSpot: "An invoice cannot be edited if a payment has been made on it")', () => {
	it('an open, part-paid invoice refuses changes to HubSpot\'s own properties; custom properties and the status stay writable', async () => {
		const id = await readyDraft();
		await call('PATCH', `/crm/v3/objects/invoices/${id}`, { properties: { hs_invoice_status: 'open' } });
		expect((await call('PATCH', `/crm/v3/objects/invoices/${id}`, { properties: { hs_due_date: '2026-06-01' } })).status).toBe(200);
		const payment = await call('POST', '/crm/v3/objects/commerce_payments', {
			properties: { hs_initial_amount: '5.00', hs_initiated_date: '2026-05-02T00:00:00.000Z' },
			associations: [{ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 9_008 }] }],
		});
		expect(payment.status).toBe(201);
		const refused = await call('POST', '/crm/v3/objects/invoices/batch/update', { inputs: [{ id, properties: { hs_due_date: '2026-07-01', hs_number: 'N-2' } }] });
		expect(refused.status).toBe(400);
		expect(JSON.stringify(refused.body)).toContain('hs_due_date, hs_number');
		expect((await call('POST', '/crm/v3/properties/invoices', { name: 'custom_note', label: 'Note', type: 'string', fieldType: 'text', groupName: 'invoiceinformation' })).status).toBe(201);
		expect((await call('PATCH', `/crm/v3/objects/invoices/${id}`, { properties: { custom_note: 'part paid' } })).status).toBe(200);
		expect((await call('PATCH', `/crm/v3/objects/invoices/${id}`, { properties: { hs_invoice_status: 'voided' } })).status).toBe(200);
	});
});

describe('lookups the reverse direction makes', () => {
	it('finds a product by hs_sku and a contact by email with EQ, which HubSpot matches ignoring case', async () => {
		const search = (type: string, propertyName: string, value: string) =>
			call('POST', `/crm/v3/objects/${type}/search`, { filterGroups: [{ filters: [{ propertyName, operator: 'EQ', value }] }], properties: [propertyName] });
		expect((await search('products', 'hs_sku', 'WID-1')).body.results.map((r: any) => r.id)).toEqual(['41']);
		// Case-insensitive: an exact (case-sensitive) SKU match has to be checked by the caller.
		expect((await search('products', 'hs_sku', 'wid-1')).body.total).toBe(1);
		expect((await search('contacts', 'email', 'ap@example.com')).body.results.map((r: any) => r.id)).toEqual(['21']);
	});

	it('batch creates contacts and companies', async () => {
		const res = await call('POST', '/crm/v3/objects/contacts/batch/create', { inputs: [{ properties: { email: 'new@example.com' } }, { properties: { email: 'two@example.com' } }] });
		expect(res.status).toBe(201);
		expect(res.body.results).toHaveLength(2);
		expect((await call('POST', '/crm/v3/objects/companies/batch/create', { inputs: [{ properties: { name: 'Beta' } }] })).status).toBe(201);
	});
});
