/**
 * HubSpot Invoice Upsert through n8n-core's engine against the in-memory HubSpot portal behind
 * nock: creating, updating, voiding and leaving invoices, payments back, idempotency, batch sizes
 * and request counts, each error code; and the HubSpot trigger's loop guard over what it wrote.
 */
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => {}),
}));

import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { blockExternalNetwork } from '../harness';
import { FakeHubSpot, hubSpotTestCredentials, runNode } from '../kit';
import { poll } from '../trigger/helpers';
import { linkedInvoice, paymentItem, reverseItem, seedCustomer } from './items';

let hubspot: FakeHubSpot;
/** The token credential, its custom base URL (the fake portal) switched on. */
const CREDENTIALS = { hubSpotInvoiceSyncAppTokenApi: { ...(hubSpotTestCredentials().hubSpotInvoiceSyncAppTokenApi as IDataObject), useCustomBaseUrl: true } } as never;

beforeAll(() => blockExternalNetwork());
beforeEach(() => {
	hubspot = new FakeHubSpot();
	hubspot.install();
	seedCustomer(hubspot);
});
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

async function upsert(items: IDataObject[], options: IDataObject = {}, paidStatus = 'recordPayment') {
	hubspot.calls = [];
	return await runNode('hubSpotInvoiceUpsert', { hubspotAuthentication: 'appToken', paidStatus, options }, items, CREDENTIALS);
}

const part = (item: IDataObject) => (item.hubspot as IDataObject).invoice as IDataObject;
/** What the HubSpot trigger emits when backfilling everything (its loop guard on). */
const triggerEmits = async () => (await poll({ backfillSince: '2020-01-01T00:00:00.000Z', invoiceStatuses: ['draft', 'open', 'paid', 'voided'] }, {}, 'trigger', CREDENTIALS)).items;
/** Record writes (our property definitions, created on a portal's first run, aside). */
const writes = () => hubspot.calls.filter((call) => call.method !== 'GET' && !call.path.endsWith('/search') && !call.path.endsWith('/batch/read') && !call.path.startsWith('/crm/v3/properties/')).map((call) => call.path);

describe('creating', () => {
	it('creates a draft with its currency, number and dates, associated with contact and company, adds its line items linked to products, then opens it', async () => {
		const { main, errors } = await upsert([reverseItem('130', { lines: [{ quantity: 3, unitPrice: '19.99', productId: '3001' }, { quantity: '0.5', unitPrice: '100', productId: '3002' }] })]);
		expect(errors).toEqual([]);
		expect(part(main[0])).toMatchObject({ action: 'created', status: 'open' });
		const invoice = linkedInvoice(hubspot, '130')!;
		expect(invoice.properties).toMatchObject({
			hs_currency: 'USD',
			hs_number: 'QB-130',
			hs_invoice_status: 'open',
			// the start of the day in the account's zone (US/Eastern): HubSpot shows 1 March
			hs_invoice_date: '2026-03-01T05:00:00.000Z',
			hs_due_date: '2026-03-31T04:00:00.000Z',
			qbo_origin: 'quickbooks',
			qbo_sync_status: 'synced',
		});
		expect(part(main[0]).id).toBe(invoice.id);
		expect(hubspot.associations.get(invoice.id)).toMatchObject({ contacts: ['5001'], companies: ['7001'] });
		const lines = hubspot.associations.get(invoice.id)!.line_items.map((id) => hubspot.lineItems.get(id)!.properties);
		expect(lines).toEqual([
			expect.objectContaining({ hs_product_id: '3001', quantity: '3', price: '19.99', hs_sku: 'SKU-1', name: 'Widget 1' }),
			expect.objectContaining({ hs_product_id: '3002', quantity: '0.5', price: '100', hs_sku: 'SKU-2' }),
		]);
		const create = hubspot.calls.find((call) => call.path === '/crm/v3/objects/invoices/batch/create')!;
		expect(create.body.inputs[0].properties.hs_invoice_status).toBe('draft');
	});

	it('costs 7 requests for one new invoice: 2 per execution, a search, 3 writes and one read of its status and total (no read-back for the loop guard: the HubSpot trigger never emits an invoice that started in QuickBooks)', async () => {
		await upsert([reverseItem('131')]); // the portal's first run also creates the properties
		await upsert([reverseItem('132')]);
		expect(hubspot.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
			'GET /crm/v3/properties/invoices',
			'GET /account-info/v3/details',
			'POST /crm/v3/objects/invoices/search',
			'POST /crm/v3/objects/invoices/batch/create',
			'POST /crm/v3/objects/line_items/batch/create',
			'POST /crm/v3/objects/invoices/batch/read',
			'POST /crm/v3/objects/invoices/batch/update',
		]);
		expect(hubspot.calls.find((call) => call.path === '/crm/v3/objects/invoices/batch/read')?.body.properties).toEqual(['hs_invoice_status', 'hs_amount_billed']);
		expect(linkedInvoice(hubspot, '132')!.properties.qbo_sync_hash ?? null).toBeNull();
	});

	it('writes 150 invoices in two creates and two updates of at most 100, with two searches of at most 100 ids', async () => {
		await upsert([reverseItem('999')]); // the portal's first run also creates the properties
		const items = Array.from({ length: 150 }, (_unused, index) => reverseItem(String(1000 + index)));
		const { main, errors } = await upsert(items);
		expect(errors).toEqual([]);
		expect(main.map((item) => part(item).action)).toEqual(Array(150).fill('created'));
		const sizes = (path: string) => hubspot.calls.filter((call) => call.path === path).map((call) => call.body.inputs.length);
		expect(sizes('/crm/v3/objects/invoices/batch/create')).toEqual([100, 50]);
		expect(sizes('/crm/v3/objects/line_items/batch/create')).toEqual([100, 50]);
		expect(sizes('/crm/v3/objects/invoices/batch/update')).toEqual([100, 50]);
		const searches = hubspot.searches().map((body) => body.filterGroups[0].filters[0].values.length);
		expect(searches).toEqual([100, 50]);
		// 12 requests: 0.08 per invoice (a single invoice costs 7)
		expect(hubspot.calls.length).toBe(12);
	});
});

describe('the HubSpot trigger does not sync back what this node wrote', () => {
	it('skips a created invoice, also once someone changes it in HubSpot: its content comes from QuickBooks, where it started', async () => {
		await upsert([reverseItem('140')]);
		expect(await triggerEmits()).toEqual([]);
		const lineId = hubspot.associations.get(linkedInvoice(hubspot, '140')!.id)!.line_items[0];
		hubspot.lineItems.get(lineId)!.properties.quantity = '5';
		expect(await triggerEmits()).toEqual([]);
	});

	it('skips an updated, a voided and a paid invoice', async () => {
		await upsert([reverseItem('141'), reverseItem('142'), reverseItem('143')]);
		await upsert([reverseItem('141', { lines: [{ quantity: 4 }] }), reverseItem('142', { status: 'voided' }), paymentItem('143', '21', '0')]);
		expect(linkedInvoice(hubspot, '142')!.properties.hs_invoice_status).toBe('voided');
		expect(linkedInvoice(hubspot, '143')!.properties.hs_invoice_status).toBe('paid');
		expect(await triggerEmits()).toEqual([]);
	});
});

describe('updating and leaving alone', () => {
	it('leaves an unchanged invoice alone on a re-run: nothing written', async () => {
		await upsert([reverseItem('150')]);
		const { main } = await upsert([reverseItem('150')]);
		expect(part(main[0])).toMatchObject({ action: 'unchanged', status: 'open', rule: 'content from QuickBooks, where the invoice started' });
		expect(writes()).toEqual([]);
		expect(hubspot.invoices.size).toBe(1);
	});

	it('updates a changed invoice: new dates, its line items replaced', async () => {
		await upsert([reverseItem('151', { lines: [{}, {}] })]);
		const invoice = linkedInvoice(hubspot, '151')!;
		const oldLines = [...hubspot.associations.get(invoice.id)!.line_items];
		const { main } = await upsert([reverseItem('151', { dueDate: '2026-04-15', lines: [{ quantity: 7, unitPrice: '3.25' }] })]);
		expect(part(main[0])).toMatchObject({ action: 'updated', changes: ['content', 'lines'] });
		expect(invoice.properties.hs_due_date).toBe('2026-04-15T04:00:00.000Z');
		const lines = hubspot.associations.get(invoice.id)!.line_items;
		expect(lines).toHaveLength(1);
		expect(oldLines.some((id) => hubspot.lineItems.has(id))).toBe(false);
		expect(hubspot.lineItems.get(lines[0])!.properties).toMatchObject({ quantity: '7', price: '3.25' });
		expect(hubspot.invoices.size).toBe(1);
	});

	it('keeps the content of an invoice that started in HubSpot, and takes only its paid status from QuickBooks', async () => {
		hubspot.paidStatusWrite = 'accepted';
		hubspot.addInvoice('800', { hs_invoice_status: 'open', hs_currency: 'USD', hs_number: 'HS-800', qbo_invoice_id: '160' }, { contacts: ['5001'] });
		const { main } = await upsert([reverseItem('160', { lines: [{ quantity: 9 }] })]);
		expect(part(main[0])).toMatchObject({ id: '800', action: 'unchanged', rule: 'content from HubSpot, where the invoice started; payment status and voids from QuickBooks' });
		expect(writes()).toEqual([]);
		const paid = await upsert([reverseItem('160', { status: 'paid' })], {}, 'setStatus');
		expect(part(paid.main[0])).toMatchObject({ action: 'updated', status: 'paid', changes: ['status'] });
		expect(hubspot.invoices.get('800')!.properties.hs_number).toBe('HS-800');
	});
});

describe('voids', () => {
	it('voids the HubSpot invoice when QuickBooks voided it, and does nothing on a re-run', async () => {
		await upsert([reverseItem('170')]);
		const { main } = await upsert([reverseItem('170', { status: 'voided' })]);
		expect(part(main[0])).toMatchObject({ action: 'voided', status: 'voided' });
		expect(linkedInvoice(hubspot, '170')!.properties).toMatchObject({ hs_invoice_status: 'voided', qbo_sync_status: 'voided', qbo_payment_status: 'voided' });
		const again = await upsert([reverseItem('170', { status: 'voided' })]);
		expect(part(again.main[0]).action).toBe('unchanged');
		expect(writes()).toEqual([]);
	});

	it('skips an invoice voided in QuickBooks that never reached HubSpot: nothing created', async () => {
		const { main } = await upsert([reverseItem('171', { status: 'voided' })]);
		expect(part(main[0])).toMatchObject({ id: null, action: 'skipped', reason: 'voided in QuickBooks and never synced to HubSpot' });
		expect(hubspot.invoices.size).toBe(0);
	});

	it('voids from the payments template\'s items: a voided invoice without contact or products, and a deleted invoice', async () => {
		await upsert([reverseItem('173'), reverseItem('174')]);
		const voided = reverseItem('173', { status: 'voided' });
		delete voided.hubspot;
		const change = { event: 'invoiceDeleted', entity: 'Invoice', id: '174', changedAt: '2026-03-12T10:00:00.000Z' };
		const { main, errors } = await upsert([voided, { deletedInvoice: { quickbooksInvoiceId: '174', deletedAt: '2026-03-12T10:00:00.000Z' }, change }]);
		expect(errors).toEqual([]);
		expect(main.map((item) => part(item).action)).toEqual(['voided', 'voided']);
		expect(linkedInvoice(hubspot, '174')!.properties.hs_invoice_status).toBe('voided');
		expect(await triggerEmits()).toEqual([]);
	});

	it('skips a deleted invoice that never reached HubSpot, and a credit memo (its application arrives as a payment)', async () => {
		const change = { event: 'creditMemoCreated', entity: 'CreditMemo', id: '9', changedAt: '2026-03-12T10:00:00.000Z' };
		const creditMemo = { quickbooksCreditMemoId: '9', number: 'CM-9', quickbooksCustomerId: '1', customerName: 'Buyer Co', customerEmail: 'ada@buyer.example', date: '2026-03-12', currency: 'USD', total: 5, remainingCredit: 5 };
		const { main } = await upsert([{ deletedInvoice: { quickbooksInvoiceId: '175', deletedAt: '2026-03-12T10:00:00.000Z' }, change: { ...change, event: 'invoiceDeleted', entity: 'Invoice', id: '175' } }, { creditMemo, change }]);
		expect(main.map((item) => part(item))).toEqual([
			expect.objectContaining({ id: null, action: 'skipped', reason: 'deleted in QuickBooks and never synced to HubSpot' }),
			expect.objectContaining({ id: null, action: 'skipped', reason: expect.stringContaining('arrives as a payment') }),
		]);
		expect(writes()).toEqual([]);
	});

	it('leaves a voided invoice open with Sync Voids off', async () => {
		await upsert([reverseItem('172')]);
		const { main } = await upsert([reverseItem('172', { status: 'voided' })], { syncVoids: false });
		expect(part(main[0])).toMatchObject({ action: 'unchanged', reason: 'voided in QuickBooks; Sync Voids is off' });
		expect(linkedInvoice(hubspot, '172')!.properties.hs_invoice_status).toBe('open');
	});
});

describe('payments back', () => {
	const recorded = () => [...hubspot.payments.values()].map((payment) => payment.properties);

	it('shows a partial payment: a HubSpot payment recorded on the invoice, QuickBooks\' figures and "partially paid", the invoice still open', async () => {
		await upsert([reverseItem('180')]);
		// as the QuickBooks Trigger emits it, with its change
		const { main } = await upsert([{ ...paymentItem('180', '10.00', '11.00'), change: { event: 'paymentReceived', entity: 'Payment', id: '77', changedAt: '2026-03-10T09:00:00.000Z' } }]);
		expect(part(main[0])).toMatchObject({ action: 'paymentApplied', status: 'open', amountPaid: '10', balance: '11', paymentStatus: 'partially_paid', paidAt: '2026-03-10' });
		const invoice = linkedInvoice(hubspot, '180')!;
		expect(invoice.properties).toMatchObject({ hs_invoice_status: 'open', qbo_amount_paid: '10', qbo_balance: '11', qbo_payment_status: 'partially_paid', qbo_paid_at: '2026-03-10' });
		expect(recorded()).toEqual([expect.objectContaining({ hs_initial_amount: '10', hs_initiated_date: '2026-03-10T00:00:00.000Z', hs_currency_code: 'USD', hs_reference_number: 'QuickBooks invoice 180: paid 10' })]);
		expect([...hubspot.paymentLinks.get(invoice.id)!]).toEqual([...hubspot.payments.keys()]);
	});

	it('records only what QuickBooks received since: the invoice is paid when HubSpot\'s payments cover it, and the trigger skips it', async () => {
		await upsert([reverseItem('181')]);
		await upsert([paymentItem('181', '10', '11')]);
		const { main } = await upsert([paymentItem('181', '21.00', '0.00')]);
		expect(part(main[0])).toMatchObject({ action: 'paymentApplied', status: 'paid', paymentStatus: 'paid' });
		expect(recorded().map((payment) => payment.hs_initial_amount)).toEqual(['10', '11']);
		expect(linkedInvoice(hubspot, '181')!.properties).toMatchObject({ hs_invoice_status: 'paid', qbo_payment_status: 'paid', qbo_balance: '0' });
		expect(await triggerEmits()).toEqual([]);
		const again = await upsert([paymentItem('181', '21', '0')]);
		expect(part(again.main[0]).action).toBe('unchanged');
		expect(writes()).toEqual([]);
	});

	/** A QuickBooks invoice of 21.00 with `balance` left (the rest paid) when it first reaches HubSpot (the payments template polled first). */
	const paidBeforeSync = (id: string, balance: string) => {
		const item = reverseItem(id, { status: balance === '0' ? 'paid' : 'open' });
		Object.assign(item.invoice, { totals: { subtotal: 21, discountTotal: null, feeTotal: null, taxTotal: null, total: 21 }, balance });
		return item;
	};

	it('creates an invoice QuickBooks has part paid with its figures and a HubSpot payment for what was paid; the payment item after it records nothing twice', async () => {
		const { main, errors } = await upsert([paidBeforeSync('187', '11')]);
		expect(errors).toEqual([]);
		expect(part(main[0])).toMatchObject({ action: 'created', status: 'open', amountPaid: '10', balance: '11', paymentStatus: 'partially_paid' });
		const invoice = linkedInvoice(hubspot, '187')!;
		expect(invoice.properties).toMatchObject({ hs_invoice_status: 'open', hs_amount_paid: '10.00', qbo_amount_paid: '10', qbo_balance: '11', qbo_payment_status: 'partially_paid' });
		expect(recorded()).toEqual([expect.objectContaining({ hs_initial_amount: '10', hs_currency_code: 'USD', hs_reference_number: 'QuickBooks invoice 187: paid 10 with the invoice' })]);
		expect(await triggerEmits()).toEqual([]);
		// The payment that made it part paid arrives later (the payments template's next poll): already shown, nothing recorded.
		const later = await upsert([paymentItem('187', '10', '11')]);
		expect(part(later.main[0])).toMatchObject({ action: 'paymentApplied', status: 'open', paidAt: '2026-03-10' });
		expect(recorded()).toHaveLength(1);
		const rest = await upsert([paymentItem('187', '21', '0')]);
		expect(part(rest.main[0])).toMatchObject({ action: 'paymentApplied', status: 'paid', paymentStatus: 'paid' });
		expect(recorded().map((payment) => payment.hs_initial_amount)).toEqual(['10', '11']);
	});

	it('creates an invoice QuickBooks has fully paid as paid in HubSpot: one HubSpot payment for the total, QuickBooks\' figures, nothing to echo', async () => {
		const { main, errors } = await upsert([paidBeforeSync('188', '0')]);
		expect(errors).toEqual([]);
		expect(part(main[0])).toMatchObject({ action: 'created', status: 'paid', amountPaid: '21', balance: '0', paymentStatus: 'paid' });
		expect(linkedInvoice(hubspot, '188')!.properties).toMatchObject({ hs_invoice_status: 'paid', qbo_amount_paid: '21', qbo_balance: '0', qbo_payment_status: 'paid' });
		expect(recorded().map((payment) => payment.hs_initial_amount)).toEqual(['21']);
		expect(await triggerEmits()).toEqual([]);
		// The invoice again (QuickBooks lists it as changed by the payment): HubSpot's paid stays, nothing written.
		const again = await upsert([paidBeforeSync('188', '0')]);
		expect(part(again.main[0])).toMatchObject({ action: 'unchanged', status: 'paid' });
		expect(writes()).toEqual([]);
		// Its payment item: only the paid date it brings is written, no second HubSpot payment.
		const payment = await upsert([paymentItem('188', '21', '0')]);
		expect(part(payment.main[0])).toMatchObject({ action: 'paymentApplied', status: 'paid', paidAt: '2026-03-10' });
		expect(recorded().map((recordedPayment) => recordedPayment.hs_initial_amount)).toEqual(['21']);
	});

	it('a content update carries QuickBooks\' figures too: what was paid since HubSpot last showed it is recorded once, a re-run records nothing', async () => {
		await upsert([reverseItem('191')]);
		const changed = paidBeforeSync('191', '11');
		changed.invoice.dueDate = '2026-04-30';
		const { main, errors } = await upsert([changed]);
		expect(errors).toEqual([]);
		expect(part(main[0])).toMatchObject({ action: 'updated', status: 'open', amountPaid: '10', paymentStatus: 'partially_paid' });
		expect(linkedInvoice(hubspot, '191')!.properties).toMatchObject({ hs_amount_paid: '10.00', qbo_amount_paid: '10', qbo_balance: '11' });
		const again = await upsert([changed]);
		expect(part(again.main[0]).action).toBe('unchanged');
		expect(recorded().map((payment) => payment.hs_reference_number)).toEqual(['QuickBooks invoice 191: paid 10 with the invoice']);
	});

	it('creates a fully paid invoice in the other modes: Set Status to Paid writes paid, QuickBooks Properties Only the figures alone; no HubSpot payment', async () => {
		hubspot.paidStatusWrite = 'accepted';
		const set = await upsert([paidBeforeSync('189', '0')], {}, 'setStatus');
		expect(part(set.main[0])).toMatchObject({ action: 'created', status: 'paid', paymentStatus: 'paid' });
		const only = await upsert([paidBeforeSync('190', '0')], {}, 'propertiesOnly');
		expect(part(only.main[0])).toMatchObject({ action: 'created', status: 'open', paymentStatus: 'paid' });
		expect(linkedInvoice(hubspot, '190')!.properties).toMatchObject({ hs_invoice_status: 'open', qbo_amount_paid: '21', qbo_balance: '0', qbo_payment_status: 'paid' });
		expect(recorded()).toEqual([]);
	});

	it('applies a credit memo the same way', async () => {
		await upsert([reverseItem('182')]);
		const { main } = await upsert([paymentItem('182', '21', '0', { method: 'Credit Memo' })]);
		expect(part(main[0])).toMatchObject({ status: 'paid', paymentStatus: 'paid' });
		expect(recorded()).toHaveLength(1);
	});

	it('records no payment twice when a run fails after recording it', async () => {
		await upsert([reverseItem('183')]);
		hubspot.failNext(/invoices\/batch\/update/, 503, { status: 'error', message: 'unavailable' }, 10);
		const failed = await upsert([paymentItem('183', '21', '0')]);
		expect(failed.errors[0].error).toMatchObject({ code: 'HUBSPOT_UNAVAILABLE' });
		const { main } = await upsert([paymentItem('183', '21', '0')]);
		expect(part(main[0])).toMatchObject({ action: 'paymentApplied', status: 'paid' });
		expect(recorded()).toHaveLength(1);
	});

	it('Set Status to Paid: writes the status, and opens the invoice again when QuickBooks removes the payment', async () => {
		hubspot.paidStatusWrite = 'accepted';
		await upsert([reverseItem('184')]);
		const paid = await upsert([paymentItem('184', '21', '0')], {}, 'setStatus');
		expect(part(paid.main[0])).toMatchObject({ status: 'paid', paymentStatus: 'paid' });
		expect(recorded()).toEqual([]);
		const { main } = await upsert([paymentItem('184', '0', '21')], {}, 'setStatus');
		expect(part(main[0])).toMatchObject({ status: 'open', paymentStatus: 'unpaid' });
		expect(await triggerEmits()).toEqual([]);
	});

	it('Set Status to Paid where HubSpot refuses the write: HUBSPOT_ERROR, nothing else changes', async () => {
		await upsert([reverseItem('185')]);
		const { errors } = await upsert([paymentItem('185', '21', '0')], {}, 'setStatus');
		expect(errors[0].error).toMatchObject({ code: 'HUBSPOT_ERROR' });
		expect(linkedInvoice(hubspot, '185')!.properties.qbo_amount_paid).toBeUndefined();
	});

	it('QuickBooks Properties Only: QuickBooks\' figures, HubSpot\'s status and payments untouched', async () => {
		await upsert([reverseItem('186')]);
		const { main } = await upsert([paymentItem('186', '21', '0')], {}, 'propertiesOnly');
		expect(part(main[0])).toMatchObject({ status: 'open', paymentStatus: 'paid' });
		expect(linkedInvoice(hubspot, '186')!.properties).toMatchObject({ hs_invoice_status: 'open', qbo_payment_status: 'paid' });
		expect(recorded()).toEqual([]);
	});

	it('says so when QuickBooks shows less paid than the payments recorded in HubSpot', async () => {
		await upsert([reverseItem('187')]);
		await upsert([paymentItem('187', '10', '11')]);
		const { main } = await upsert([paymentItem('187', '0', '21')]);
		expect(part(main[0])).toMatchObject({ paymentStatus: 'unpaid', reason: expect.stringContaining('remove the matching payment in HubSpot') });
		expect(recorded()).toHaveLength(1);
	});

	it('applies a payment to an invoice synced from HubSpot without its link, found by the HubSpot id QuickBooks names', async () => {
		hubspot.addInvoice('810', { hs_invoice_status: 'open', hs_currency: 'USD', hs_number: 'HS-810' }, { contacts: ['5001'] });
		const { main, errors } = await upsert([paymentItem('190', '5', '16', { hubspotInvoiceId: '810' })]);
		expect(errors).toEqual([]);
		expect(part(main[0])).toMatchObject({ id: '810', action: 'paymentApplied', paymentStatus: 'partially_paid' });
		expect(hubspot.invoices.get('810')!.properties.qbo_amount_paid).toBe('5');
	});

	it('does not hide a HubSpot change the forward sync has not seen: the hash is left, and the trigger emits the invoice', async () => {
		hubspot.paidStatusWrite = 'accepted';
		hubspot.addInvoice('820', { hs_invoice_status: 'open', hs_currency: 'USD', hs_number: 'HS-820', qbo_invoice_id: '191', qbo_sync_hash: 'hash-of-an-older-version', hs_lastmodifieddate: '2026-03-01T00:00:00.000Z' }, { contacts: ['5001'] });
		const { main } = await upsert([paymentItem('191', '30', '0')], {}, 'setStatus');
		expect(part(main[0])).toMatchObject({ status: 'paid', reason: 'HubSpot holds changes not yet synced to QuickBooks: the HubSpot → QuickBooks sync takes them' });
		expect(hubspot.invoices.get('820')!.properties.qbo_sync_hash).toBe('hash-of-an-older-version');
		expect((await triggerEmits()).map((item) => (item.invoice as IDataObject).number)).toEqual(['HS-820']);
	});
});

describe('payments on invoices not linked to HubSpot, and payments removed in QuickBooks', () => {
	it('skips a payment on a QuickBooks invoice nothing links to HubSpot (never synced there): no error, nothing written', async () => {
		const { main, errors } = await upsert([paymentItem('998', '5', '5')]);
		expect(errors).toEqual([]);
		expect(part(main[0])).toMatchObject({ id: null, action: 'skipped', reason: 'QuickBooks invoice 998 is not linked to a HubSpot invoice (never synced to HubSpot)' });
		expect(writes()).toEqual([]);
	});

	it('a payment deleted in QuickBooks (the invoice\'s figures now: nothing paid) sets amount paid, balance and payment status back, and says the HubSpot payment is left to remove', async () => {
		await upsert([reverseItem('260')]);
		await upsert([paymentItem('260', '21', '0')]);
		const invoice = linkedInvoice(hubspot, '260')!;
		expect(invoice.properties).toMatchObject({ qbo_payment_status: 'paid', hs_invoice_status: 'paid' });
		const { main, errors } = await upsert([{ payment: { quickbooksInvoiceId: '260', hubspotInvoiceId: null, amountPaid: 0, balance: 21, paidAt: null, method: null } }]);
		expect(errors).toEqual([]);
		expect(part(main[0])).toMatchObject({ action: 'paymentApplied', amountPaid: '0', balance: '21', paymentStatus: 'unpaid', reason: expect.stringMatching(/less paid than before/) });
		expect(invoice.properties).toMatchObject({ qbo_amount_paid: '0', qbo_balance: '21', qbo_payment_status: 'unpaid' });
		expect(await triggerEmits()).toEqual([]);
	});

	it('an edit of a never-paid invoice reported as its figures (nothing paid) writes nothing', async () => {
		await upsert([reverseItem('261')]);
		const { main } = await upsert([{ payment: { quickbooksInvoiceId: '261', hubspotInvoiceId: null, amountPaid: 0, balance: 21, paidAt: null, method: null } }]);
		expect(part(main[0])).toMatchObject({ action: 'unchanged' });
		expect(writes()).toEqual([]);
	});
});

describe('errors', () => {
	it('HUBSPOT_INVOICE_NOT_FOUND: a payment for an invoice QuickBooks links to a HubSpot invoice HubSpot does not have', async () => {
		const { main, errors } = await upsert([paymentItem('999', '5', '5', { hubspotInvoiceId: '987654' })]);
		expect(main).toEqual([]);
		expect(errors[0].error).toMatchObject({ code: 'HUBSPOT_INVOICE_NOT_FOUND', retryable: true });
	});

	it('HUBSPOT_INVOICE_LINKED_TWICE: two HubSpot invoices carry the same QuickBooks id; nothing is written', async () => {
		hubspot.addInvoice('830', { hs_invoice_status: 'open', hs_currency: 'USD', qbo_invoice_id: '200' });
		hubspot.addInvoice('831', { hs_invoice_status: 'open', hs_currency: 'USD', qbo_invoice_id: '200' });
		const { errors } = await upsert([reverseItem('200'), paymentItem('200', '1', '1')]);
		expect(errors.map((item) => (item.error as IDataObject).code)).toEqual(['HUBSPOT_INVOICE_LINKED_TWICE', 'HUBSPOT_INVOICE_LINKED_TWICE']);
		expect((errors[0].error as IDataObject).message).toContain('830, 831');
		expect(writes()).toEqual([]);
	});

	it('HUBSPOT_INVOICE_VOIDED: voided in HubSpot, open in QuickBooks', async () => {
		await upsert([reverseItem('210')]);
		linkedInvoice(hubspot, '210')!.properties.hs_invoice_status = 'voided';
		const { errors } = await upsert([reverseItem('210')]);
		expect(errors[0].error).toMatchObject({ code: 'HUBSPOT_INVOICE_VOIDED', retryable: false });
	});

	it('INVALID_INPUT: an invoice item without the product match', async () => {
		const item = reverseItem('220');
		delete item.hubspot.lines;
		const { errors } = await upsert([item]);
		expect(errors[0].error).toMatchObject({ code: 'INVALID_INPUT' });
		expect((errors[0].error as IDataObject).message).toContain('hubspot.lines');
		expect(hubspot.calls).toEqual([]);
	});

	it('a line item create HubSpot refuses (400, nothing written) is tried again by halves: every invoice is written', async () => {
		hubspot.failNext(/line_items\/batch\/create/, 400, { status: 'error', category: 'VALIDATION_ERROR', message: 'Property values were not valid' });
		const items = Array.from({ length: 60 }, (_unused, index) => reverseItem(String(300 + index), { lines: [{}, {}] }));
		const { main, errors } = await upsert(items);
		expect(errors).toEqual([]);
		expect(main).toHaveLength(60);
		// 50 invoices' lines fit the first call (100 lines): refused once, then its halves of 25; then the last 10.
		expect(hubspot.calls.filter((call) => call.path === '/crm/v3/objects/line_items/batch/create').map((call) => call.body.inputs.length)).toEqual([100, 50, 50, 20]);
		expect(hubspot.lineItems.size).toBe(120);
	});

	it('HUBSPOT_ERROR: an invoice whose line items HubSpot keeps refusing fails alone and is archived again with nothing left; the others are written', async () => {
		hubspot.failNext(/line_items\/batch\/create/, 400, { status: 'error', category: 'VALIDATION_ERROR', message: 'Property values were not valid' }, 3);
		const { main, errors } = await upsert([reverseItem('310'), reverseItem('311')]);
		// [310, 311] refused, [310] refused, [311] refused: both fail alone, and nothing of either stays.
		expect(errors.map((error) => (error.error as IDataObject).code)).toEqual(['HUBSPOT_ERROR', 'HUBSPOT_ERROR']);
		expect(main).toEqual([]);
		expect(hubspot.invoices.size).toBe(0);
		expect(hubspot.lineItems.size).toBe(0);
	});

	it('AUTH_EXPIRED for every item when HubSpot refuses the token', async () => {
		hubspot.failNext(/properties\/invoices$/, 401, { status: 'error', category: 'INVALID_AUTHENTICATION', message: 'Authentication credentials not found.' });
		const { errors } = await upsert([reverseItem('230'), paymentItem('231', '1', '0')]);
		expect(errors.map((item) => (item.error as IDataObject).code)).toEqual(['AUTH_EXPIRED', 'AUTH_EXPIRED']);
	});

	it('HUBSPOT_UNAVAILABLE when the status update keeps failing: the new draft and its line items are archived again; a re-run creates it once', async () => {
		hubspot.failNext(/invoices\/batch\/update/, 503, { status: 'error', message: 'unavailable' }, 10);
		const first = await upsert([reverseItem('240')]);
		expect(first.errors[0].error).toMatchObject({ code: 'HUBSPOT_UNAVAILABLE', retryable: true });
		expect(linkedInvoice(hubspot, '240')).toBeUndefined();
		expect(hubspot.lineItems.size).toBe(0);
		const second = await upsert([reverseItem('240')]);
		expect(part(second.main[0])).toMatchObject({ action: 'created', status: 'open' });
		expect(hubspot.invoices.size).toBe(1);
		expect(await triggerEmits()).toEqual([]);
	});

	it('when the undo fails too, the draft is left without qbo_source_hash and a re-run finishes it (its lines replaced) without creating it twice', async () => {
		hubspot.failNext(/invoices\/batch\/update/, 503, { status: 'error', message: 'unavailable' }, 10);
		hubspot.failNext(/batch\/archive/, 503, { status: 'error', message: 'unavailable' }, 10);
		const first = await upsert([reverseItem('241')]);
		expect(first.errors[0].error).toMatchObject({ code: 'HUBSPOT_UNAVAILABLE' });
		const draft = linkedInvoice(hubspot, '241')!;
		expect(draft.properties).toMatchObject({ hs_invoice_status: 'draft' });
		expect(draft.properties.qbo_source_hash ?? null).toBeNull();
		const second = await upsert([reverseItem('241')]);
		expect(part(second.main[0])).toMatchObject({ id: draft.id, action: 'updated', status: 'open', changes: ['content', 'lines', 'status'] });
		expect(hubspot.invoices.size).toBe(1);
		expect(hubspot.associations.get(draft.id)!.line_items).toHaveLength(1);
		expect(hubspot.lineItems.size).toBe(1);
		expect(await triggerEmits()).toEqual([]);
	});
});
