/**
 * HubSpot simulator: a line item's tax comes from its tax rate (`hs_tax_rate_group_id`), applied to
 * the line's amount after its discounts, and counts in the invoice's hs_taxes_total and
 * hs_amount_billed. Rounding to the cent per line is assumed (setting lineTaxRounding), so both
 * rounding rules are checked.
 */
import type { HubSpotSimulator } from '../../sandbox/hubspot';
import { callHubSpot, useHubSpotSimulator } from '../fixtures/hubspotSimulator';

let sim: HubSpotSimulator;

useHubSpotSimulator({ taxRates: [{ id: '1001', name: 'Sales tax', label: 'Sales tax 7.25%', percentageRate: 7.25, active: true }] }, (started) => (sim = started), (started) => (started.invoiceTotalsSettings.lineTaxRounding = 'eachLine'));

/** The parts of HubSpot's answers these tests read. */
interface Answer {
	id: string;
	results: { id: string }[];
	properties: Record<string, string>;
}

const call = (method: string, path: string, body?: unknown) => callHubSpot<Answer>(sim, method, path, body);

/** An invoice with the given lines (created as the HubSpot Invoice Upsert creates them); returns its id and the line ids. */
async function invoiceWith(lines: Record<string, string>[]): Promise<{ id: string; lineIds: string[] }> {
	const id = (await call('POST', '/crm/v3/objects/invoices', { properties: { hs_currency: 'USD' } })).body.id;
	const to = [{ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 410 }] }];
	const created = await call('POST', '/crm/v3/objects/line_items/batch/create', { inputs: lines.map((properties) => ({ properties, associations: to })) });
	expect(created.status).toBe(201);
	return { id, lineIds: created.body.results.map((r) => r.id) };
}

const totals = async (id: string) =>
	(await call('GET', `/crm/v3/objects/invoices/${id}?properties=hs_subtotal,hs_taxes_total,hs_amount_billed`)).body.properties;
const line = async (id: string) => (await call('GET', `/crm/v3/objects/line_items/${id}?properties=hs_tax_amount,amount`)).body.properties;

describe('line item tax from its tax rate', () => {
	it("computes hs_tax_amount from the rate on the line's amount after discount, and the invoice totals include it", async () => {
		// 3 × 30.00 less 10 % = 81.00; 7.25 % of 81.00 = 5.8725 → 5.87. 19.99 × 1 at 7.25 % = 1.449275 → 1.45.
		const { id, lineIds } = await invoiceWith([
			{ name: 'Widget', quantity: '3', price: '30.00', hs_discount_percentage: '10', hs_tax_rate_group_id: '1001' },
			{ name: 'Gadget', quantity: '1', price: '19.99', hs_tax_rate_group_id: '1001' },
			{ name: 'Untaxed', quantity: '1', price: '5.00' },
		]);
		expect((await line(lineIds[0])).hs_tax_amount).toBe('5.87');
		expect((await line(lineIds[1])).hs_tax_amount).toBe('1.45');
		expect(await totals(id)).toMatchObject({ hs_subtotal: '105.99', hs_taxes_total: '7.32', hs_amount_billed: '113.31' });
	});

	it('recomputes the tax when the line changes or loses its rate', async () => {
		const { id, lineIds } = await invoiceWith([{ name: 'Widget', quantity: '1', price: '100.00', hs_tax_rate_group_id: '1001' }]);
		expect((await totals(id)).hs_amount_billed).toBe('107.25');
		expect((await call('PATCH', `/crm/v3/objects/line_items/${lineIds[0]}`, { properties: { quantity: '2' } })).status).toBe(200);
		expect((await line(lineIds[0])).hs_tax_amount).toBe('14.50');
		expect((await totals(id)).hs_amount_billed).toBe('214.50');
		expect((await call('PATCH', `/crm/v3/objects/line_items/${lineIds[0]}`, { properties: { hs_tax_rate_group_id: '' } })).status).toBe(200);
		expect(await totals(id)).toMatchObject({ hs_taxes_total: '0.00', hs_amount_billed: '200.00' });
	});

	it('rounds per line by default, and once for the invoice under lineTaxRounding invoiceTotal', async () => {
		// Two lines of 0.10 at 7.25 %: 0.00725 each → 0.01 + 0.01 per line; 0.0145 → 0.01 once.
		const lines = [0, 1].map((n) => ({ name: `Pin ${n}`, quantity: '1', price: '0.10', hs_tax_rate_group_id: '1001' }));
		const eachLine = await invoiceWith(lines);
		expect((await totals(eachLine.id)).hs_taxes_total).toBe('0.02');
		sim.invoiceTotalsSettings.lineTaxRounding = 'invoiceTotal';
		const once = await invoiceWith(lines);
		expect((await totals(once.id)).hs_taxes_total).toBe('0.01');
	});
});
