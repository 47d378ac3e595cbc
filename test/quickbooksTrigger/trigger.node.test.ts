/**
 * QuickBooks Trigger through n8n-core's PollContext (harness `runPoll`) against the kit's
 * QuickBooks company behind nock: every event, the cursor's rules (ties, late changes, the
 * 1,000-object CDC cap, windows older than 30 days, no repeats, first activation, backfill), the
 * loop guard, payment items and batched reads.
 */
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => {}),
}));

import type { IDataObject, INodeParameters } from 'n8n-workflow';
import nock from 'nock';

import { canonicalInvoiceSchema, emittedItemSchema, failedTriggerItemSchema, paymentItemSchema } from '../../package/nodes/shared/invoiceContract';
import { creditMemoItemSchema, deletedInvoiceItemSchema, emittedPaymentItemSchema } from '../../package/nodes/shared/quickbooksEventContract';
import { blockExternalNetwork } from '../harness';
import { FakeQuickBooks } from '../kit';
import { DAY, SECOND, changesOf, cursorOf, customer, invoice, item, payment, poll, qboTime, setClock } from './helpers';

let quickbooks: FakeQuickBooks;
let NOW: number;

beforeAll(() => blockExternalNetwork());
beforeEach(() => {
	NOW = Math.floor(Date.now() / 1000) * 1000;
	quickbooks = new FakeQuickBooks({
		entities: { Customer: [customer('11', 'ada@example.com'), customer('12', 'bo@example.com')], Item: [item('21', 'SKU-21'), item('22', 'SKU-22')] },
	}).install();
	setClock(quickbooks, NOW);
});
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const cdcCalls = () => quickbooks.apiRequests('/cdc');
const queries = () => quickbooks.requests.filter((request) => request.route === '/query' || request.route === '/batch').flatMap((request) => request.queries);

/** Activates the trigger (first poll: nothing emitted) and returns its static data. */
async function activated(parameters: INodeParameters = {}): Promise<IDataObject> {
	const staticData: IDataObject = {};
	const first = await poll(parameters, staticData);
	expect(first.items).toEqual([]);
	return staticData;
}

describe('first activation and backfill', () => {
	it('first activation emits nothing, starts at QuickBooks clock and never emits a change from before it', async () => {
		quickbooks.invoices.push(invoice('101', NOW - 20 * SECOND, NOW - 20 * SECOND));
		const staticData = await activated();
		expect(cursorOf(staticData)).toMatchObject({ cursorMs: NOW });
		setClock(quickbooks, NOW + 60 * SECOND);
		expect((await poll({}, staticData)).items).toEqual([]);
		quickbooks.invoices.push(invoice('102', NOW + 30 * SECOND, NOW + 30 * SECOND));
		setClock(quickbooks, NOW + 90 * SECOND);
		expect(changesOf((await poll({}, staticData)).items)).toEqual(['invoiceCreated:102']);
	});

	it('Backfill Since emits every change since that date on the first poll, then only new ones', async () => {
		quickbooks.invoices.push(invoice('101', NOW - 3 * DAY, NOW - 3 * DAY), invoice('102', NOW - 10 * DAY, NOW - 10 * DAY));
		const staticData: IDataObject = {};
		const backfillSince = new Date(NOW - 5 * DAY).toISOString();
		expect(changesOf((await poll({ backfillSince }, staticData)).items)).toEqual(['invoiceCreated:101']);
		expect(cdcCalls()).toHaveLength(1);
		expect(cdcCalls()[0].params.changedSince).toBe(`${new Date(NOW - 5 * DAY).toISOString().slice(0, 19)}Z`);
		expect((await poll({ backfillSince }, staticData)).items).toEqual([]);
	});

	it('a manual run returns the latest change and leaves the cursor alone', async () => {
		quickbooks.invoices.push(invoice('101', NOW - 2 * DAY, NOW - 2 * DAY), invoice('102', NOW - DAY, NOW - DAY));
		const staticData: IDataObject = {};
		const run = await poll({}, staticData, 'manual');
		expect(changesOf(run.items)).toEqual(['invoiceCreated:102']);
		expect(cursorOf(staticData)).toBeUndefined();
	});
});

describe('events', () => {
	it('Invoice Created emits the canonical invoice with the QuickBooks customer, SKUs, exact amounts and QuickBooks dates', async () => {
		const staticData = await activated();
		quickbooks.invoices.push(invoice('101', NOW + 5 * SECOND, NOW + 5 * SECOND, { itemIds: ['21', '22'], extra: { BillEmail: { Address: 'other@example.com' } } }));
		setClock(quickbooks, NOW + 10 * SECOND);
		const { items } = await poll({}, staticData);
		expect(items).toHaveLength(1);
		expect(emittedItemSchema.safeParse(items[0]).success).toBe(true);
		const emitted = items[0].invoice as IDataObject;
		expect(canonicalInvoiceSchema.safeParse(emitted).success).toBe(true);
		expect(emitted).toMatchObject({
			source: { system: 'quickbooks', id: '101', quickbooksInvoiceId: '101', hubspotInvoiceId: null, url: 'https://qbo.test/app/invoice?txnId=101', lastModifiedAt: qboTime(NOW + 5 * SECOND) },
			number: 'QB-101',
			status: 'open',
			currency: 'USD',
			issueDate: '2026-03-01',
			dueDate: '2026-03-31',
			customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Buyer11', companyName: 'Company 11' },
			totals: { subtotal: 42, taxTotal: 0, total: 42 },
		});
		expect((emitted.lines as IDataObject[]).map((line) => [line.sku, line.name, line.quantity, line.unitPrice, line.amount])).toEqual([
			['SKU-21', 'Widget 21', 2, 10.5, 21],
			['SKU-22', 'Widget 22', 2, 10.5, 21],
		]);
		expect(items[0].quickbooks).toEqual({
			customer: { id: '11', displayName: 'Customer 11', created: false },
			lines: [
				{ itemId: '21', itemName: 'Widget 21', taxCodeId: 'NON' },
				{ itemId: '22', itemName: 'Widget 22', taxCodeId: 'NON' },
			],
			txnTaxCodeId: null,
		});
		expect(items[0].change).toEqual({ event: 'invoiceCreated', entity: 'Invoice', id: '101', changedAt: qboTime(NOW + 5 * SECOND) });
	});

	it('Invoice Updated for an invoice created before the window; an invoice emitted as created and changed again is Updated', async () => {
		quickbooks.invoices.push(invoice('101', NOW - 10 * DAY, NOW - 10 * DAY));
		const staticData = await activated();
		quickbooks.invoices[0] = invoice('101', NOW - 10 * DAY, NOW + 5 * SECOND);
		quickbooks.invoices.push(invoice('102', NOW + 6 * SECOND, NOW + 6 * SECOND));
		setClock(quickbooks, NOW + 10 * SECOND);
		expect(changesOf((await poll({}, staticData)).items)).toEqual(['invoiceUpdated:101', 'invoiceCreated:102']);
		quickbooks.invoices[1] = invoice('102', NOW + 6 * SECOND, NOW + 12 * SECOND);
		setClock(quickbooks, NOW + 20 * SECOND);
		expect(changesOf((await poll({}, staticData)).items)).toEqual(['invoiceUpdated:102']);
	});

	it('Invoice Voided or Deleted: a voided invoice as the invoice (status voided), a deleted one as its id', async () => {
		const staticData = await activated();
		quickbooks.invoices.push(invoice('101', NOW - DAY, NOW + 5 * SECOND, { note: 'Voided', total: 0, balance: 0 }));
		quickbooks.deleted.Invoice = [{ Id: '102', status: 'Deleted', domain: 'QBO', MetaData: { LastUpdatedTime: qboTime(NOW + 6 * SECOND) } }];
		setClock(quickbooks, NOW + 10 * SECOND);
		const { items } = await poll({}, staticData);
		expect(changesOf(items)).toEqual(['invoiceVoided:101', 'invoiceDeleted:102']);
		expect((items[0].invoice as IDataObject).status).toBe('voided');
		expect(deletedInvoiceItemSchema.parse(items[1])).toEqual({
			deletedInvoice: { quickbooksInvoiceId: '102', deletedAt: qboTime(NOW + 6 * SECOND) },
			change: { event: 'invoiceDeleted', entity: 'Invoice', id: '102', changedAt: qboTime(NOW + 6 * SECOND) },
		});
	});

	it('Payment Received: one item per invoice the payment applies to, with the invoice figures after it, invoices read in one query', async () => {
		quickbooks.invoices.push(invoice('101', NOW - DAY, NOW - DAY, { total: 100, balance: 40, note: 'HubSpot invoice 9001' }), invoice('102', NOW - DAY, NOW - DAY, { total: 50, balance: 0 }));
		const staticData = await activated({ events: ['paymentReceived'] });
		quickbooks.entities.Payment = [payment('301', NOW + 5 * SECOND, { '101': 60, '102': 50 })];
		setClock(quickbooks, NOW + 10 * SECOND);
		quickbooks.requests.length = 0;
		const { items } = await poll({ events: ['paymentReceived'] }, staticData);
		expect(items.map((entry) => emittedPaymentItemSchema.parse(entry).payment)).toEqual([
			{ quickbooksInvoiceId: '101', hubspotInvoiceId: '9001', amountPaid: 60, balance: 40, paidAt: '2026-03-15', method: 'Check' },
			{ quickbooksInvoiceId: '102', hubspotInvoiceId: null, amountPaid: 50, balance: 0, paidAt: '2026-03-15', method: 'Check' },
		]);
		expect(changesOf(items)).toEqual(['paymentReceived:301', 'paymentReceived:301']);
		// The item contract's payment item (what the HubSpot Invoice Upsert takes) accepts them as they are.
		for (const entry of items) expect(paymentItemSchema.safeParse(entry).success).toBe(true);
		expect(quickbooks.requests.map((request) => request.route)).toEqual(['/cdc', '/query']);
		expect(queries()).toEqual([expect.stringMatching(/^SELECT \* FROM Invoice WHERE Id IN \('101', '102'\)/)]);
	});

	it('the customers, items and paid invoices a poll references are read in one /batch of queries', async () => {
		quickbooks.invoices.push(invoice('102', NOW - DAY, NOW - DAY, { total: 50, balance: 0 }));
		const staticData = await activated({ events: ['invoiceCreated', 'paymentReceived'] });
		quickbooks.invoices.push(invoice('101', NOW + 5 * SECOND, NOW + 5 * SECOND, { itemIds: ['21', '22'] }));
		quickbooks.entities.Payment = [payment('301', NOW + 6 * SECOND, { '102': 50 })];
		setClock(quickbooks, NOW + 10 * SECOND);
		quickbooks.requests.length = 0;
		const { items } = await poll({ events: ['invoiceCreated', 'paymentReceived'] }, staticData);
		expect(changesOf(items)).toEqual(['invoiceCreated:101', 'paymentReceived:301']);
		expect(items[0].quickbooks).toMatchObject({ customer: { id: '11', displayName: 'Customer 11' }, lines: [{ itemName: 'Widget 21' }, { itemName: 'Widget 22' }] });
		expect(emittedPaymentItemSchema.parse(items[1]).payment).toMatchObject({ quickbooksInvoiceId: '102', balance: 0 });
		expect(quickbooks.requests.map((request) => request.route)).toEqual(['/cdc', '/batch']);
		expect(queries()).toEqual([
			expect.stringMatching(/^SELECT \* FROM Customer WHERE Id IN \('11'\) AND Active IN \(true, false\)/),
			expect.stringMatching(/^SELECT \* FROM Item WHERE Id IN \('21', '22'\) AND Active IN \(true, false\)/),
			expect.stringMatching(/^SELECT \* FROM Invoice WHERE Id IN \('102'\)/),
		]);
	});

	it('a credit memo applied to an invoice arrives as a payment with method "Credit Memo"', async () => {
		quickbooks.invoices.push(invoice('101', NOW - DAY, NOW - DAY, { total: 100, balance: 75 }));
		const staticData = await activated();
		quickbooks.entities.Payment = [payment('302', NOW + 5 * SECOND, { '101': 25, 'CreditMemo:401': 25 }, { PaymentMethodRef: undefined })];
		setClock(quickbooks, NOW + 10 * SECOND);
		const { items } = await poll({}, staticData);
		expect(items.map((entry) => entry.payment)).toEqual([{ quickbooksInvoiceId: '101', hubspotInvoiceId: null, amountPaid: 25, balance: 75, paidAt: '2026-03-15', method: 'Credit Memo' }]);
	});

	it('Credit Memo Created emits the credit memo with its customer; a later edit of it emits nothing', async () => {
		const staticData = await activated();
		const memo = { Id: '401', DocNumber: 'CM-1', TxnDate: '2026-03-20', CustomerRef: { value: '12' }, CurrencyRef: { value: 'USD' }, TotalAmt: 25.1, RemainingCredit: 25.1, MetaData: { CreateTime: qboTime(NOW + 5 * SECOND), LastUpdatedTime: qboTime(NOW + 5 * SECOND) } };
		quickbooks.entities.CreditMemo = [memo];
		setClock(quickbooks, NOW + 10 * SECOND);
		const { items } = await poll({}, staticData);
		expect(items.map((entry) => creditMemoItemSchema.parse(entry).creditMemo)).toEqual([
			{ quickbooksCreditMemoId: '401', number: 'CM-1', quickbooksCustomerId: '12', customerName: 'Customer 12', customerEmail: 'bo@example.com', date: '2026-03-20', currency: 'USD', total: 25.1, remainingCredit: 25.1 },
		]);
		quickbooks.entities.CreditMemo = [{ ...memo, RemainingCredit: 0, MetaData: { ...memo.MetaData, LastUpdatedTime: qboTime(NOW + 15 * SECOND) } }];
		setClock(quickbooks, NOW + 20 * SECOND);
		expect((await poll({}, staticData)).items).toEqual([]);
	});

	it('only the events chosen trigger: a payment is not read when Payment Received is not chosen', async () => {
		const staticData = await activated({ events: ['invoiceCreated'] });
		quickbooks.entities.Payment = [payment('301', NOW + 5 * SECOND, { '101': 60 })];
		setClock(quickbooks, NOW + 10 * SECOND);
		expect((await poll({ events: ['invoiceCreated'] }, staticData)).items).toEqual([]);
		expect(cdcCalls().every((request) => request.params.entities === 'Invoice')).toBe(true);
	});

	it('an invoice whose customer cannot be read is emitted with QUICKBOOKS_INVOICE_INCOMPLETE', async () => {
		const staticData = await activated();
		quickbooks.invoices.push(invoice('101', NOW + 5 * SECOND, NOW + 5 * SECOND, { customerId: '99' }));
		setClock(quickbooks, NOW + 10 * SECOND);
		const { items } = await poll({}, staticData);
		expect(failedTriggerItemSchema.safeParse(items[0]).success).toBe(true);
		expect(items[0].error).toMatchObject({ code: 'QUICKBOOKS_INVOICE_INCOMPLETE', details: { quickbooksInvoiceId: '101', problems: ['customer 99 could not be read'] } });
	});
});

describe('status filter and loop guard', () => {
	it('Invoice Statuses filters Created and Updated (a paid invoice with Open only), not voids', async () => {
		const staticData = await activated({ statuses: ['open'] });
		quickbooks.invoices.push(invoice('101', NOW + 5 * SECOND, NOW + 5 * SECOND, { balance: 0 }), invoice('102', NOW + 5 * SECOND, NOW + 5 * SECOND), invoice('103', NOW - DAY, NOW + 5 * SECOND, { note: 'Voided', total: 0, balance: 0 }));
		setClock(quickbooks, NOW + 10 * SECOND);
		expect(changesOf((await poll({ statuses: ['open'] }, staticData)).items)).toEqual(['invoiceCreated:102', 'invoiceVoided:103']);
	});

	it('a status the filter cannot use (voided is its own event) is a setting error, not a silent filter', async () => {
		await expect(poll({ statuses: ['voided'] }, {})).rejects.toThrow('Unknown invoice status: voided');
	});

	it('invoices created from HubSpot (memo link) are skipped for Created and Updated, but their payments and voids trigger', async () => {
		const staticData = await activated();
		quickbooks.invoices.push(
			invoice('101', NOW + 5 * SECOND, NOW + 5 * SECOND, { note: 'HubSpot invoice 9001', total: 100, balance: 100 }),
			invoice('102', NOW - DAY, NOW + 5 * SECOND, { note: 'Voided\nHubSpot invoice 9002', total: 0, balance: 0 }),
		);
		setClock(quickbooks, NOW + 10 * SECOND);
		const first = await poll({}, staticData);
		expect(changesOf(first.items)).toEqual(['invoiceVoided:102']);
		expect(((first.items[0].invoice as IDataObject).source as IDataObject).hubspotInvoiceId).toBe('9002');
		quickbooks.invoices[0] = invoice('101', NOW + 5 * SECOND, NOW + 12 * SECOND, { note: 'HubSpot invoice 9001', total: 100, balance: 0 });
		quickbooks.entities.Payment = [payment('301', NOW + 12 * SECOND, { '101': 100 })];
		setClock(quickbooks, NOW + 20 * SECOND);
		const second = await poll({}, staticData);
		expect(changesOf(second.items)).toEqual(['paymentReceived:301']);
		expect(second.items[0].payment).toMatchObject({ quickbooksInvoiceId: '101', hubspotInvoiceId: '9001', amountPaid: 100, balance: 0 });
	});

	it('with Skip Invoices Synced From HubSpot off, a linked invoice triggers and carries its HubSpot id', async () => {
		const staticData = await activated({ skipLinkedInvoices: false });
		quickbooks.invoices.push(invoice('101', NOW + 5 * SECOND, NOW + 5 * SECOND, { note: 'HubSpot invoice 9001' }));
		setClock(quickbooks, NOW + 10 * SECOND);
		const { items } = await poll({ skipLinkedInvoices: false }, staticData);
		expect(changesOf(items)).toEqual(['invoiceCreated:101']);
		expect(((items[0].invoice as IDataObject).source as IDataObject).hubspotInvoiceId).toBe('9001');
	});
});

describe('the cursor never skips or repeats a change', () => {
	it('ties: a change stamped in the same second as one already emitted is emitted next poll, the emitted one is not repeated', async () => {
		const staticData = await activated();
		quickbooks.invoices.push(invoice('101', NOW + 5 * SECOND, NOW + 5 * SECOND));
		setClock(quickbooks, NOW + 5 * SECOND);
		expect(changesOf((await poll({}, staticData)).items)).toEqual(['invoiceCreated:101']);
		quickbooks.invoices.push(invoice('102', NOW + 5 * SECOND, NOW + 5 * SECOND));
		setClock(quickbooks, NOW + 6 * SECOND);
		expect(changesOf((await poll({}, staticData)).items)).toEqual(['invoiceCreated:102']);
		setClock(quickbooks, NOW + 7 * SECOND);
		expect((await poll({}, staticData)).items).toEqual([]);
	});

	it('a record changed twice within one second is emitted for each change (its SyncToken tells them apart)', async () => {
		const staticData = await activated();
		quickbooks.invoices.push(invoice('101', NOW + 5 * SECOND, NOW + 5 * SECOND));
		setClock(quickbooks, NOW + 5 * SECOND);
		expect(changesOf((await poll({}, staticData)).items)).toEqual(['invoiceCreated:101']);
		quickbooks.invoices[0] = invoice('101', NOW + 5 * SECOND, NOW + 5 * SECOND, { balance: 0, extra: { SyncToken: '1' } });
		setClock(quickbooks, NOW + 6 * SECOND);
		const { items } = await poll({}, staticData);
		expect(changesOf(items)).toEqual(['invoiceUpdated:101']);
		expect((items[0].invoice as IDataObject).status).toBe('paid');
	});

	it('clock skew: a change that shows up after a poll with an earlier time (within Overlap) is emitted once', async () => {
		const staticData = await activated();
		setClock(quickbooks, NOW + 60 * SECOND);
		expect((await poll({}, staticData)).items).toEqual([]);
		quickbooks.invoices.push(invoice('101', NOW + 30 * SECOND, NOW + 30 * SECOND));
		setClock(quickbooks, NOW + 120 * SECOND);
		expect(changesOf((await poll({}, staticData)).items)).toEqual(['invoiceCreated:101']);
		setClock(quickbooks, NOW + 180 * SECOND);
		expect((await poll({}, staticData)).items).toEqual([]);
		expect(Object.keys(cursorOf(staticData).seen as IDataObject)).toEqual(['Invoice:101@0']);
	});

	it('an answer at the 1,000-object CDC cap is read again with paged queries ordered by LastUpdatedTime: every change once', async () => {
		const staticData = await activated();
		for (let index = 0; index < 1005; index++) {
			const at = NOW + (1 + Math.floor(index / 10)) * SECOND; // ten changes per second: ties across page ends
			quickbooks.invoices.push(invoice(String(1000 + index), at, at));
		}
		setClock(quickbooks, NOW + 200 * SECOND);
		quickbooks.requests.length = 0;
		const { items } = await poll({}, staticData);
		expect(new Set(changesOf(items)).size).toBe(1005);
		expect(items).toHaveLength(1005);
		const pages = quickbooks.requests.filter((request) => request.route === '/query' && /FROM Invoice WHERE MetaData/.test(request.queries[0]));
		// The second page starts at the last second read and skips its ten changes already read.
		const lastRead = `${new Date(NOW + 100 * SECOND).toISOString().slice(0, 19)}Z`;
		expect(pages.map((request) => request.queries[0])).toEqual([
			expect.stringMatching(/ORDERBY MetaData\.LastUpdatedTime STARTPOSITION 1 MAXRESULTS 1000$/),
			expect.stringContaining(`>= '${lastRead}' ORDERBY MetaData.LastUpdatedTime STARTPOSITION 11 MAXRESULTS 1000`),
		]);
		// Customers and items of all 1,005 invoices: one query each, both in one /batch.
		expect(queries().filter((query) => /FROM (Customer|Item) /.test(query))).toHaveLength(2);
		const lookups = quickbooks.requests.filter((request) => request.queries.some((query) => /FROM (Customer|Item) /.test(query)));
		expect(lookups.map((request) => [request.route, request.queries.length])).toEqual([['/batch', 2]]);
		setClock(quickbooks, NOW + 260 * SECOND);
		expect((await poll({}, staticData)).items).toEqual([]);
	});

	it('a window older than 30 days is read with paged queries, Max Changes per Run at a time, continuing exactly', async () => {
		const old = NOW - 40 * DAY;
		for (let index = 0; index < 1500; index++) {
			const at = old + Math.floor(index / 4) * SECOND;
			quickbooks.invoices.push(invoice(String(1000 + index), at, at));
		}
		const staticData: IDataObject = {};
		const parameters = { backfillSince: new Date(old - DAY).toISOString(), options: { maxChanges: 1000 } };
		const first = await poll(parameters, staticData);
		expect(cdcCalls()).toHaveLength(0);
		expect(first.items.length).toBeGreaterThanOrEqual(1000);
		const second = await poll(parameters, staticData);
		const all = [...changesOf(first.items), ...changesOf(second.items)];
		expect(all).toHaveLength(1500);
		expect(new Set(all).size).toBe(1500);
		expect((await poll(parameters, staticData)).items).toEqual([]);
	});
});

describe('a window QuickBooks refuses', () => {
	it('a CDC answer refusing changedSince (QuickBooks clock says more than 30 days) is read with paged queries instead', async () => {
		const staticData = await activated();
		quickbooks.invoices.push(invoice('101', NOW + 5 * SECOND, NOW + 5 * SECOND));
		setClock(quickbooks, NOW + 10 * SECOND);
		const refusal = { Fault: { type: 'ValidationFault', Error: [{ code: '2010', Message: 'Request has invalid or unsupported property', Detail: 'Property Name:changedSince is more than 30 days in the past' }] } };
		quickbooks.respond = (request) => (request.route === '/cdc' ? { status: 400, body: refusal } : undefined);
		expect(changesOf((await poll({}, staticData)).items)).toEqual(['invoiceCreated:101']);
		expect(queries()).toContainEqual(expect.stringMatching(/^SELECT \* FROM Invoice WHERE MetaData\.LastUpdatedTime >= /));
	});
});

describe('failures', () => {
	it('a failed poll leaves the cursor where it was, so the next poll reads the same changes', async () => {
		const staticData = await activated();
		const before = structuredClone(cursorOf(staticData));
		quickbooks.invoices.push(invoice('101', NOW + 5 * SECOND, NOW + 5 * SECOND));
		setClock(quickbooks, NOW + 10 * SECOND);
		quickbooks.respond = (request) => (request.route === '/cdc' ? { status: 503, body: 'Service Unavailable' } : undefined);
		await expect(poll({}, staticData)).rejects.toThrow(/QUICKBOOKS_UNAVAILABLE/);
		expect(cursorOf(staticData)).toEqual(before);
		quickbooks.respond = () => undefined;
		expect(changesOf((await poll({}, staticData)).items)).toEqual(['invoiceCreated:101']);
	});
});
