/**
 * The QuickBooks Trigger against the QuickBooks simulator (its change data capture, payments,
 * voids and deletes, its clock) over several polls while invoices and payments change: every
 * change is emitted once, with the simulator's own figures.
 */
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => {}),
}));

import type { IDataObject } from 'n8n-workflow';

import { runPoll } from '../harness';
import { quickBooksCredential } from '../kit';
import { createQuickBooksSimulator, type QboSimulator } from '../../sandbox/quickbooks';
import { EXAMPLE_CLIENT, EXAMPLE_US_REALM, exampleUsCompany } from '../../sandbox/quickbooks/exampleSeed';
import { qboClient } from '../../sandbox/quickbooks/simpleClient';
import { emittedItemSchema } from '../../package/nodes/shared/invoiceContract';
import { deletedInvoiceItemSchema, emittedPaymentItemSchema } from '../../package/nodes/shared/quickbooksEventContract';
import { TRIGGER_TYPE, changesOf } from './helpers';

let sim: QboSimulator;
let qbo: ReturnType<typeof qboClient>;
let credentials: Record<string, IDataObject>;

beforeAll(async () => {
	const company = exampleUsCompany();
	company.entities.PaymentMethod = [{ Id: '1', Name: 'Check' }];
	sim = createQuickBooksSimulator({ companies: [company], clients: [EXAMPLE_CLIENT], limits: false });
	const base = await sim.listen(0);
	const tokens = sim.issueTokens(EXAMPLE_CLIENT.clientId, EXAMPLE_US_REALM);
	qbo = qboClient(base, EXAMPLE_US_REALM, tokens.access_token);
	const credential = quickBooksCredential({ baseUrl: base, realmId: EXAMPLE_US_REALM, ...EXAMPLE_CLIENT, tokens: { ...tokens } }) as Record<string, IDataObject>;
	credentials = { quickBooksInvoiceSyncOAuth2Api: { ...credential.quickBooksInvoiceSyncOAuth2Api, useCustomBaseUrl: true } };
});
beforeEach(() => sim.reset());
afterAll(() => sim.close());

const EVENTS = ['invoiceCreated', 'invoiceUpdated', 'invoiceVoided', 'paymentReceived'];

async function poll(staticData: IDataObject, parameters: IDataObject = {}): Promise<IDataObject[]> {
	const result = await runPoll({ nodeType: TRIGGER_TYPE, parameters: { events: EVENTS, statuses: [], ...parameters } as never, credentials: credentials as never, staticData });
	return (result.items?.[0] ?? []).map((entry) => entry.json);
}

async function post(path: string, body: unknown, params?: Record<string, string>): Promise<IDataObject> {
	const res = await qbo.request('POST', path, body, { params });
	expect(res.status).toBe(200);
	return res.json;
}

const line = (amount: number, itemId = '1') => ({ DetailType: 'SalesItemLineDetail', Amount: amount, SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: 1, UnitPrice: amount, TaxCodeRef: { value: 'NON' } } });

describe('QuickBooks Trigger on the QuickBooks simulator', () => {
	it('emits every invoice change, payment, void and deletion once over several polls, with the figures QuickBooks holds', async () => {
		const staticData: IDataObject = {};
		expect(await poll(staticData)).toEqual([]);

		const created = (await post('invoice', { CustomerRef: { value: '2' }, TxnDate: '2026-03-01', DueDate: '2026-03-31', Line: [line(100.3), line(150, '2')] })).Invoice as IDataObject;
		const linked = (await post('invoice', { CustomerRef: { value: '1' }, TxnDate: '2026-03-02', PrivateNote: 'HubSpot invoice 777', Line: [line(40)] })).Invoice as IDataObject;
		const first = await poll(staticData);
		expect(changesOf(first)).toEqual([`invoiceCreated:${created.Id}`]);
		expect(emittedItemSchema.safeParse(first[0]).success).toBe(true);
		expect(first[0].invoice).toMatchObject({
			source: { system: 'quickbooks', id: created.Id, hubspotInvoiceId: null },
			status: 'open',
			currency: 'USD',
			issueDate: '2026-03-01',
			dueDate: '2026-03-31',
			customer: { email: 'pat@obrien.example', firstName: 'Pat', lastName: "O'Brien" },
			totals: { total: 250.3 },
		});
		expect(((first[0].invoice as IDataObject).lines as IDataObject[]).map((entry) => [entry.sku, entry.amount])).toEqual([
			['WID-001', 100.3],
			['CONS-HR', 150],
		]);

		const paid = (await post('payment', { CustomerRef: { value: '1' }, TotalAmt: 40, TxnDate: '2026-03-05', PaymentMethodRef: { value: '1' }, Line: [{ Amount: 40, LinkedTxn: [{ TxnId: linked.Id, TxnType: 'Invoice' }] }] })).Payment as IDataObject;
		const second = await poll(staticData);
		// The payment also changes the linked invoice (its balance): the loop guard skips that update, not the payment.
		expect(changesOf(second)).toEqual([`paymentReceived:${paid.Id}`]);
		expect(emittedPaymentItemSchema.parse(second[0]).payment).toEqual({ quickbooksInvoiceId: linked.Id, hubspotInvoiceId: '777', amountPaid: 40, balance: 0, paidAt: '2026-03-05', method: 'Check' });

		const current = (await qbo.get('invoice', String(created.Id))).json.Invoice;
		await post('invoice', { Id: current.Id, SyncToken: current.SyncToken }, { operation: 'void' });
		const doomed = (await post('invoice', { CustomerRef: { value: '1' }, TxnDate: '2026-03-03', Line: [line(5)] })).Invoice as IDataObject;
		const third = await poll(staticData);
		expect(changesOf(third)).toEqual([`invoiceVoided:${created.Id}`, `invoiceCreated:${doomed.Id}`]);
		expect((third[0].invoice as IDataObject).status).toBe('voided');

		const fresh = (await qbo.get('invoice', String(doomed.Id))).json.Invoice;
		await post('invoice', { Id: fresh.Id, SyncToken: fresh.SyncToken }, { operation: 'delete' });
		const fourth = await poll(staticData);
		expect(changesOf(fourth)).toEqual([`invoiceDeleted:${doomed.Id}`]);
		expect(deletedInvoiceItemSchema.safeParse(fourth[0]).success).toBe(true);

		expect(await poll(staticData)).toEqual([]);
	});

	it('changes stamped in the same second (the company clock frozen) are each emitted once, across polls', async () => {
		const staticData: IDataObject = {};
		expect(await poll(staticData)).toEqual([]);
		sim.setClock({ freezeAt: new Date(Date.now() + 2000).toISOString() });
		try {
			const a = (await post('invoice', { CustomerRef: { value: '2' }, Line: [line(1)] })).Invoice as IDataObject;
			expect(changesOf(await poll(staticData))).toEqual([`invoiceCreated:${a.Id}`]);
			const b = (await post('invoice', { CustomerRef: { value: '2' }, Line: [line(2)] })).Invoice as IDataObject;
			expect(b.MetaData).toEqual(a.MetaData);
			expect(changesOf(await poll(staticData))).toEqual([`invoiceCreated:${b.Id}`]);
			expect(await poll(staticData)).toEqual([]);
		} finally {
			sim.setClock({ freezeAt: null });
		}
	});

	it('a backlog older than 30 days on the company clock is read by query: Backfill Since 40 days back emits each invoice once', async () => {
		const made = (await post('invoice', { CustomerRef: { value: '2' }, Line: [line(3)] })).Invoice as IDataObject;
		const staticData: IDataObject = {};
		const backfillSince = new Date(Date.now() - 40 * 24 * 60 * 60 * 1000).toISOString();
		const items = await poll(staticData, { backfillSince });
		const ids = changesOf(items);
		expect(ids).toContain(`invoiceCreated:${made.Id}`);
		expect(new Set(ids).size).toBe(ids.length);
		expect(await poll(staticData, { backfillSince })).toEqual([]);
	});
});
