/**
 * The trigger against the HubSpot simulator for what the real API has beyond the basics: an
 * account in Los Angeles with dates stored at the end of the chosen day, an invoice in its own time
 * zone, invoice-level discounts and fees with HubSpot's calculated totals, a labelled billing
 * contact, and Invoice Sources the loop guard must and must not skip.
 */
import type { IDataObject } from 'n8n-workflow';

import { canonicalInvoiceSchema } from '../../package/nodes/shared/invoiceContract';
import { createHubSpotSimulator, DEFAULT_PRIVATE_APP_TOKEN, type HubSpotSeed, type HubSpotSimulator } from '../../sandbox/hubspot';
import { blockExternalNetwork } from '../harness';
import { idsOf, poll } from './helpers';

const AT = '2026-05-01T10:00:00.000Z';
const record = (id: string, properties: Record<string, string>, at = AT) => ({ id, properties: { hs_object_id: id, ...properties }, createdAt: at, updatedAt: at, archived: false });
const invoice = (id: string, minute: number, properties: Record<string, string>) => {
	const at = `2026-05-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
	return record(id, { hs_number: `INV-${id}`, hs_invoice_status: 'open', hs_currency: 'USD', hs_invoice_source: 'hubspot', hs_createdate: at, hs_lastmodifieddate: at, ...properties }, at);
};
const line = (id: string) => record(id, { name: 'Widget', hs_sku: 'W-1', quantity: '2', price: '50.00', amount: '100.00', hs_tax_amount: '7.25', hs_tax_rate_group_id: '1001' });

function seed(): HubSpotSeed {
	const invoices = [
		// picked as 1 and 31 March in Los Angeles, stored as the end of those days
		invoice('1', 1, { hs_invoice_date: '2026-03-02T07:59:59.999Z', hs_due_date: '2026-04-01T06:59:59.999Z' }),
		// picked as 1 March in Auckland (the invoice's own zone), stored as the start of that day
		invoice('2', 2, { hs_invoice_date: '2026-02-28T11:00:00.000Z', hs_due_date: '2026-03-31T00:00:00.000Z', hs_timezone: 'Pacific/Auckland' }),
		invoice('3', 3, { hs_invoice_date: '2026-03-01T00:00:00.000Z', hs_invoice_source: 'data_sync' }),
		invoice('4', 4, { hs_invoice_date: '2026-03-01T00:00:00.000Z', hs_invoice_source: 'API' }),
	];
	const links = invoices.flatMap((entry) => [
		{ fromType: 'invoices' as const, fromId: entry.id, toType: 'line_items' as const, toId: `1${entry.id}` },
		{ fromType: 'invoices' as const, fromId: entry.id, toType: 'contacts' as const, toId: '21' },
	]);
	return {
		invoices,
		lineItems: invoices.map((entry) => line(`1${entry.id}`)),
		contacts: [record('21', { email: 'rep@example.com', firstname: 'Rep' }), record('22', { email: 'ap@acme.example', firstname: 'Avery' })],
		companies: [],
		products: [],
		taxRates: [],
		discounts: [record('31', { hs_label: 'Spring promo', hs_type: 'PERCENT', hs_value: '10' })],
		fees: [record('41', { hs_label: 'Shipping', hs_type: 'FIXED', hs_value: '12.50' })],
		associations: [
			...links,
			{ fromType: 'invoices', fromId: '1', toType: 'contacts', toId: '22', labels: ['Billing contact'] },
			{ fromType: 'invoices', fromId: '1', toType: 'discounts', toId: '31' },
			{ fromType: 'invoices', fromId: '1', toType: 'fees', toId: '41' },
		],
		timeZone: 'America/Los_Angeles',
	};
}

let sim: HubSpotSimulator;
let credentials: Record<string, IDataObject>;

beforeAll(async () => {
	blockExternalNetwork();
	sim = createHubSpotSimulator({ dataset: seed(), limits: false });
	await sim.listen();
	credentials = { hubSpotInvoiceSyncAppTokenApi: { accessToken: DEFAULT_PRIVATE_APP_TOKEN, useCustomBaseUrl: true, baseUrl: sim.baseUrl } };
});
afterAll(() => sim.close());

const PARAMETERS = { backfillSince: '2026-04-01T00:00:00.000Z' };

it('emits the days the HubSpot user picked, totals, discounts and fees, and the billing contact; skips only data_sync', async () => {
	const { items } = await poll(PARAMETERS, {}, 'trigger', credentials);
	expect(idsOf(items)).toEqual(['1', '2', '4']);
	for (const item of items) {
		expect(item.error).toBeUndefined();
		expect(canonicalInvoiceSchema.safeParse(item.invoice).success).toBe(true);
	}
	const [first, second] = items.map((item) => item.invoice as any);
	expect([first.issueDate, first.dueDate]).toEqual(['2026-03-01', '2026-03-31']);
	expect([second.issueDate, second.dueDate]).toEqual(['2026-03-01', '2026-03-31']);
	// subtotal 100.00; 10 % discount 10.00; fee 12.50; line tax 7.25
	expect(first.totals).toEqual({ subtotal: 100, discountTotal: 10, feeTotal: 12.5, taxTotal: 7.25, total: 109.75 });
	expect(first.adjustments).toEqual([
		{ kind: 'discount', hubspotId: '31', name: 'Spring promo', amount: null, percentage: 10 },
		{ kind: 'fee', hubspotId: '41', name: 'Shipping', amount: 12.5, percentage: null },
	]);
	expect(first.customer).toMatchObject({ hubspotContactId: '22', email: 'ap@acme.example' });
	expect(second.adjustments).toEqual([]);
	expect(second.totals).toMatchObject({ subtotal: 100, total: 107.25 });
});

it('a manual run names the skipped integration source', async () => {
	const { items } = await poll(PARAMETERS, {}, 'manual', credentials);
	expect(items[0].triggerSummary).toMatchObject({ emitted: 3, skipped: 1, integrationSources: { data_sync: 1 } });
});
