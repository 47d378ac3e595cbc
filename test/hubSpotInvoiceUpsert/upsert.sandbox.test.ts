/**
 * HubSpot Invoice Upsert against the HubSpot simulator, which enforces HubSpot's invoice rules
 * (draft with hs_currency, open only with contact and line items, products must exist, payments
 * mark an invoice paid, the status paid not writable by default): create, pay, and the HubSpot
 * trigger's loop guard over what was written.
 */
import type { IDataObject } from 'n8n-workflow';

import { createHubSpotSimulator, DEFAULT_PRIVATE_APP_TOKEN, type HubSpotSimulator } from '../../sandbox/hubspot';
import { blockExternalNetwork, PACKAGE_NAME, runPoll } from '../harness';
import { runNode } from '../kit';
import { paymentItem, reverseItem } from './items';

const AT = '2026-05-01T10:00:00.000Z';
const object = (id: string, properties: Record<string, string>) => ({ id, properties: { hs_object_id: id, ...properties }, createdAt: AT, updatedAt: AT, archived: false });

let sim: HubSpotSimulator;
let credentials: never;

beforeAll(async () => {
	blockExternalNetwork();
	sim = createHubSpotSimulator({
		limits: false,
		dataset: {
			invoices: [],
			lineItems: [],
			contacts: [object('5001', { email: 'ada@buyer.example', firstname: 'Ada', lastname: 'Buyer' })],
			companies: [object('7001', { name: 'Buyer Co' })],
			products: [object('3001', { name: 'Widget 1', hs_sku: 'SKU-1', price: '10.50' })],
			taxRates: [{ id: '1001', name: 'Sales tax', label: 'Sales tax 7.25%', percentageRate: 7.25, active: true }],
			associations: [],
		},
	});
	await sim.listen(0);
	credentials = { hubSpotInvoiceSyncAppTokenApi: { accessToken: DEFAULT_PRIVATE_APP_TOKEN, baseUrl: sim.baseUrl, useCustomBaseUrl: true } } as never;
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const upsert = async (items: IDataObject[], paidStatus = 'recordPayment') =>
	await runNode('hubSpotInvoiceUpsert', { hubspotAuthentication: 'appToken', paidStatus, options: {} }, items, credentials);
const part = (item: IDataObject) => (item.hubspot as IDataObject).invoice as IDataObject;
const triggerEmits = async () =>
	(
		await runPoll({
			nodeType: `${PACKAGE_NAME}.hubSpotInvoiceTrigger`,
			parameters: { hubspotAuthentication: 'appToken', backfillSince: '2020-01-01T00:00:00.000Z', invoiceStatuses: ['draft', 'open', 'paid', 'voided'] },
			credentials,
			staticData: {},
			mode: 'trigger',
		})
	).items?.[0] ?? [];

it('creates an open invoice HubSpot accepts, records a QuickBooks payment that makes it paid, and the HubSpot trigger emits neither', async () => {
	const created = await upsert([reverseItem('130')]);
	expect(created.errors).toEqual([]);
	expect(part(created.main[0])).toMatchObject({ action: 'created', status: 'open' });
	expect(await triggerEmits()).toEqual([]);
	const paid = await upsert([paymentItem('130', '21', '0')]);
	expect(paid.errors).toEqual([]);
	expect(part(paid.main[0])).toMatchObject({ action: 'paymentApplied', status: 'paid', paymentStatus: 'paid' });
	expect(await triggerEmits()).toEqual([]);
});

it('Set Status to Paid where HubSpot refuses the write (the simulator\'s default): HUBSPOT_ERROR', async () => {
	await upsert([reverseItem('131')]);
	const { errors } = await upsert([paymentItem('131', '21', '0')], 'setStatus');
	expect(errors[0].error).toMatchObject({ code: 'HUBSPOT_ERROR' });
});

it('replaces a changed invoice\'s line items through HubSpot\'s batch create and archive; the HubSpot trigger emits nothing', async () => {
	await upsert([reverseItem('190', { lines: [{ productId: '3001' }, { productId: '3001', quantity: 5 }] })]);
	const invoice = sim.state.list('invoices').find((found) => found.properties.qbo_invoice_id === '190')!;
	const oldLines = sim.state.associatedIds('invoices', invoice.id, 'line_items');
	expect(oldLines).toHaveLength(2);
	const { main, errors } = await upsert([reverseItem('190', { lines: [{ productId: '3001', quantity: 7 }] })]);
	expect(errors).toEqual([]);
	expect(part(main[0])).toMatchObject({ action: 'updated', changes: ['content', 'lines'] });
	const lines = sim.state.associatedIds('invoices', invoice.id, 'line_items');
	expect(lines).toHaveLength(1);
	expect(oldLines.filter((id) => sim.state.get('line_items', id))).toEqual([]);
	expect(sim.state.get('line_items', lines[0])!.properties.quantity).toBe('7');
	expect(sim.state.get('invoices', invoice.id)!.properties.hs_amount_billed).toBe('73.50');
	expect(await triggerEmits()).toEqual([]);
});

describe('an invoice HubSpot refuses in a batch update', () => {
	const store = () => sim.state;
	const linked = (quickbooksId: string) => store().list('invoices').filter((invoice) => invoice.properties.qbo_invoice_id === quickbooksId);
	/** Line items that belong to no live invoice: what a half-done create leaves. */
	const orphanLineItems = () => store().list('line_items').filter((line) => store().associatedIds('line_items', line.id, 'invoices').length === 0);

	it('gets its own coded error; the other invoices of the batch sync; a refused new invoice leaves no draft, line item or association', async () => {
		await upsert([reverseItem('200')]);
		const before = { ...linked('200')[0].properties };
		// Set Status to Paid where HubSpot refuses the status paid: the new invoice 202 (paid in
		// QuickBooks) and the payment on 200 are refused; 201 is fine.
		const { main, errors } = await upsert([reverseItem('201'), reverseItem('202', { status: 'paid' }), paymentItem('200', '21', '0')], 'setStatus');
		expect(main.map((item) => [(item.invoice as IDataObject).number, part(item).action, part(item).status])).toEqual([['QB-201', 'created', 'open']]);
		expect(linked('201')).toHaveLength(1);
		expect(linked('201')[0].properties.hs_invoice_status).toBe('open');
		expect(errors.map((error) => (error.error as IDataObject).code)).toEqual(['HUBSPOT_ERROR', 'HUBSPOT_ERROR']);
		expect(errors.map((error) => String((error.error as IDataObject).message))).toEqual([expect.stringMatching(/paid/), expect.stringMatching(/paid/)]);
		expect(linked('202')).toEqual([]);
		expect(orphanLineItems()).toEqual([]);
		expect(linked('200')[0].properties).toEqual(before);
	});

	it('a line item HubSpot refuses (its product does not exist) fails its invoice alone, which leaves nothing; the others of the batch sync', async () => {
		const { main, errors } = await upsert([reverseItem('230', { lines: [{ productId: '3001' }] }), reverseItem('231', { lines: [{ productId: '3001' }, { productId: '999999' }] }), reverseItem('232', { lines: [{ productId: '3001' }] })]);
		expect(main.map((item) => [(item.invoice as IDataObject).number, part(item).action])).toEqual([['QB-230', 'created'], ['QB-232', 'created']]);
		expect(errors.map((error) => [(error.error as IDataObject).code, String((error.error as IDataObject).message)])).toEqual([['HUBSPOT_ERROR', expect.stringMatching(/999999/)]]);
		expect(linked('231')).toEqual([]);
		expect(orphanLineItems()).toEqual([]);
		expect(store().list('line_items')).toHaveLength(2);
	});

	it('a content change HubSpot refuses (the invoice is paid there) keeps the invoice\'s lines and properties; the other invoice of the batch syncs', async () => {
		await upsert([reverseItem('210')]);
		await upsert([paymentItem('210', '21', '0')]);
		const invoice = linked('210')[0];
		expect(invoice.properties.hs_invoice_status).toBe('paid');
		const before = { properties: { ...invoice.properties }, lines: store().associatedIds('invoices', invoice.id, 'line_items') };
		const { main, errors } = await upsert([reverseItem('210', { dueDate: '2026-05-30', lines: [{ quantity: 9 }] }), reverseItem('211')]);
		expect(main.map((item) => part(item).action)).toEqual(['created']);
		expect(errors.map((error) => (error.error as IDataObject).code)).toEqual(['HUBSPOT_INVOICE_HAS_PAYMENTS']);
		expect({ properties: linked('210')[0].properties, lines: store().associatedIds('invoices', invoice.id, 'line_items') }).toEqual(before);
		expect(orphanLineItems()).toEqual([]);
	});

	it('finishes a draft a stopped run left behind (linked, no qbo_source_hash) instead of creating a second invoice', async () => {
		const draft = sim.createObject('invoices', { hs_currency: 'USD', hs_invoice_status: 'draft', qbo_invoice_id: '220', qbo_origin: 'quickbooks' }, [{ toType: 'contacts', toId: '5001' }]);
		const { main, errors } = await upsert([reverseItem('220')]);
		expect(errors).toEqual([]);
		expect(part(main[0])).toMatchObject({ id: draft.id, action: 'updated', status: 'open' });
		expect(linked('220').map((invoice) => invoice.properties.hs_invoice_status)).toEqual(['open']);
		expect(store().associatedIds('invoices', draft.id, 'line_items')).toHaveLength(1);
		expect(await triggerEmits()).toEqual([]);
	});
});

describe("HubSpot's total against QuickBooks' (tax included)", () => {
	/** 2 × 10.50 at HubSpot's 7.25 % rate: 21.00 + 1.52 tax = 22.52 in HubSpot. */
	const taxedItem = (quickbooksId: string, quickbooksTotal: string) => {
		const item = reverseItem(quickbooksId, { lines: [{ productId: '3001', taxRateId: '1001' }] });
		item.invoice.totals = { subtotal: '21.00', discountTotal: '0.00', feeTotal: '0.00', taxTotal: (Number(quickbooksTotal) - 21).toFixed(2), total: quickbooksTotal };
		return item;
	};
	const created = (quickbooksId: string) => sim.state.list('invoices').filter((found) => found.properties.qbo_invoice_id === quickbooksId);

	it('syncs an invoice whose HubSpot total, with the tax HubSpot computes from the line tax rate, equals QuickBooks\'', async () => {
		const { main, errors } = await upsert([taxedItem('240', '22.52')]);
		expect(errors).toEqual([]);
		expect(part(main[0])).toMatchObject({ action: 'created' });
		expect(created('240')[0].properties).toMatchObject({ hs_taxes_total: '1.52', hs_amount_billed: '22.52' });
	});

	it('a cent apart on one taxed line is HubSpot rounding the line\'s tax: it syncs and the item names both totals', async () => {
		const { main, errors } = await upsert([taxedItem('244', '22.53')]);
		expect(errors).toEqual([]);
		expect(part(main[0])).toMatchObject({ action: 'created', totalDifference: { hubspotTotal: '22.52', quickbooksTotal: '22.53' } });
		expect(created('244')).toHaveLength(1);
	});

	it('paid in full in QuickBooks with HubSpot\'s rounded total a cent above: the HubSpot payment records what QuickBooks received (money exact), QuickBooks\' payment properties say paid, HubSpot keeps the cent due', async () => {
		const quickbooksTotal = '22.51'; // HubSpot bills 22.52
		const { main } = await upsert([taxedItem('245', quickbooksTotal)]);
		expect(part(main[0])).toMatchObject({ action: 'created', totalDifference: { hubspotTotal: '22.52', quickbooksTotal } });
		const { errors } = await upsert([paymentItem('245', quickbooksTotal, '0')]);
		expect(errors).toEqual([]);
		expect(created('245')[0].properties).toMatchObject({ qbo_payment_status: 'paid', qbo_amount_paid: quickbooksTotal, hs_amount_paid: quickbooksTotal, hs_balance_due: '0.01' });
	});

	it('a total further apart than rounding explains (a tax rate that differs) is HUBSPOT_TOTAL_MISMATCH naming both totals; the new invoice is not left in HubSpot', async () => {
		const { main, errors } = await upsert([taxedItem('241', '22.60'), taxedItem('242', '22.52')]);
		expect(main.map((item) => (item.invoice as IDataObject).number)).toEqual(['QB-242']);
		expect(errors).toHaveLength(1);
		const error = errors[0].error as IDataObject;
		expect(error.code).toBe('HUBSPOT_TOTAL_MISMATCH');
		expect(String(error.message)).toMatch(/QB-241.*22\.52.*22\.60/);
		expect(created('241')).toEqual([]);
	});

	it('an update whose new total differs fails the same way and leaves the invoice\'s sync marks as they were, so the next run writes it again', async () => {
		await upsert([taxedItem('243', '22.52')]);
		const before = created('243')[0].properties;
		const changed = taxedItem('243', '33.90');
		changed.invoice.lines[0].quantity = 3; // 31.50 + 2.28 tax = 33.78 in HubSpot
		changed.invoice.totals.subtotal = '31.50';
		const { errors } = await upsert([changed]);
		expect(errors.map((error) => (error.error as IDataObject).code)).toEqual(['HUBSPOT_TOTAL_MISMATCH']);
		const after = created('243')[0].properties;
		expect(after.hs_amount_billed).toBe('33.78');
		expect({ source: after.qbo_source_hash, sync: after.qbo_sync_hash, at: after.qbo_synced_at }).toEqual({ source: before.qbo_source_hash, sync: before.qbo_sync_hash, at: before.qbo_synced_at });
	});
});
