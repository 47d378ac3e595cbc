/**
 * QuickBooks Trigger, Payment Received, on the QuickBooks simulator: a payment deleted or voided in
 * QuickBooks names no invoice any more, so the invoice whose balance it changed is reported as a
 * payment item of its figures now. That relies on QuickBooks making a new version of the invoice
 * when its balance changes (the simulator's `paymentTouchesInvoice`, undocumented by Intuit); run
 * both ways.
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
import { emittedPaymentItemSchema } from '../../package/nodes/shared/quickbooksEventContract';
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
beforeEach(() => {
	sim.reset();
	sim.assumptions.paymentTouchesInvoice = 'updated';
});
afterAll(() => sim.close());

/** The payments template's events. */
async function poll(staticData: IDataObject): Promise<IDataObject[]> {
	const result = await runPoll({ nodeType: TRIGGER_TYPE, parameters: { events: ['paymentReceived', 'invoiceVoided'], statuses: [] } as never, credentials: credentials as never, staticData });
	return (result.items?.[0] ?? []).map((entry) => entry.json);
}

async function post(path: string, body: unknown, params?: Record<string, string>): Promise<IDataObject> {
	const res = await qbo.request('POST', path, body, { params });
	expect(res.status).toBe(200);
	return res.json;
}

const line = (amount: number) => ({ DetailType: 'SalesItemLineDetail', Amount: amount, SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: amount, TaxCodeRef: { value: 'NON' } } });
const pay = async (invoiceId: string, amount: number) =>
	(await post('payment', { CustomerRef: { value: '1' }, TotalAmt: amount, TxnDate: '2026-03-05', PaymentMethodRef: { value: '1' }, Line: [{ Amount: amount, LinkedTxn: [{ TxnId: invoiceId, TxnType: 'Invoice' }] }] })).Payment as IDataObject;

it('a deleted and a voided payment are each reported once as the invoice\'s payment figures now; an invoice that is only created or paid is not reported twice', async () => {
	const staticData: IDataObject = {};
	expect(await poll(staticData)).toEqual([]);
	const invoice = (await post('invoice', { CustomerRef: { value: '1' }, TxnDate: '2026-03-02', PrivateNote: 'HubSpot invoice 777', Line: [line(100)] })).Invoice as IDataObject;
	expect(await poll(staticData)).toEqual([]);
	const first = await pay(String(invoice.Id), 30);
	const second = await pay(String(invoice.Id), 50);
	expect(changesOf(await poll(staticData))).toEqual([`paymentReceived:${first.Id}`, `paymentReceived:${second.Id}`]);

	await post('payment', { Id: first.Id, SyncToken: first.SyncToken }, { operation: 'delete' });
	const afterDelete = await poll(staticData);
	expect(afterDelete.map((item) => item.change)).toEqual([expect.objectContaining({ event: 'paymentReceived', entity: 'Invoice', id: invoice.Id })]);
	expect(emittedPaymentItemSchema.parse(afterDelete[0]).payment).toEqual({ quickbooksInvoiceId: invoice.Id, hubspotInvoiceId: '777', amountPaid: 50, balance: 50, paidAt: null, method: null });

	const current = (await qbo.get('payment', String(second.Id))).json.Payment;
	await post('payment', { Id: current.Id, SyncToken: current.SyncToken }, { operation: 'void' });
	const afterVoid = await poll(staticData);
	expect(afterVoid.map((item) => (item.payment as IDataObject).amountPaid)).toEqual([0]);
	expect(await poll(staticData)).toEqual([]);
});

it('where QuickBooks leaves the invoice\'s version alone when a payment goes (paymentTouchesInvoice "unchanged"), a deleted payment is not seen', async () => {
	sim.assumptions.paymentTouchesInvoice = 'unchanged';
	const staticData: IDataObject = {};
	expect(await poll(staticData)).toEqual([]);
	const invoice = (await post('invoice', { CustomerRef: { value: '1' }, TxnDate: '2026-03-02', Line: [line(100)] })).Invoice as IDataObject;
	const payment = await pay(String(invoice.Id), 30);
	expect(changesOf(await poll(staticData))).toEqual([`paymentReceived:${payment.Id}`]);
	await post('payment', { Id: payment.Id, SyncToken: payment.SyncToken }, { operation: 'delete' });
	expect(await poll(staticData)).toEqual([]);
});
