/** Payment (receive payment) and CreditMemo in the QuickBooks simulator: balances move in exact cents, within the rules. */
import { createQuickBooksSimulator, type QboSimulator } from '../../sandbox/quickbooks';
import { EXAMPLE_CLIENT, EXAMPLE_US_REALM, exampleUsCompany } from '../../sandbox/quickbooks/exampleSeed';
import { qboClient } from '../../sandbox/quickbooks/simpleClient';

let sim: QboSimulator;
let qbo: ReturnType<typeof qboClient>;

beforeAll(async () => {
	const company = exampleUsCompany();
	company.entities.PaymentMethod = [{ Id: '1', Name: 'Check' }];
	sim = createQuickBooksSimulator({ companies: [company], clients: [EXAMPLE_CLIENT], limits: false, now: () => new Date('2026-03-10T12:00:00.000Z') });
	const base = await sim.listen(0);
	qbo = qboClient(base, EXAMPLE_US_REALM, sim.issueTokens(EXAMPLE_CLIENT.clientId, EXAMPLE_US_REALM).access_token);
});
afterAll(() => sim.close());
beforeEach(() => {
	sim.reset();
	sim.assumptions.paymentTouchesInvoice = 'updated';
});

const line = (amount: number, unitPrice = amount) => ({
	DetailType: 'SalesItemLineDetail',
	Amount: amount,
	SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: amount / unitPrice, UnitPrice: unitPrice, TaxCodeRef: { value: 'NON' } },
});

async function invoice(total: number, customer = '1') {
	const res = await qbo.post('invoice', { CustomerRef: { value: customer }, TxnDate: '2026-03-01', Line: [line(total)] });
	expect(res.status).toBe(200);
	return res.json.Invoice;
}

const applied = (amount: number, txnId: string, txnType = 'Invoice') => ({ Amount: amount, LinkedTxn: [{ TxnId: txnId, TxnType: txnType }] });

function faultOf(res: { status: number; json: any }, code: string) {
	expect(res.status).toBe(400);
	expect(res.json.Fault.Error[0].code).toBe(code);
	return res.json.Fault.Error[0];
}

describe('Payment applied to invoices', () => {
	it('a partial payment lowers the invoice Balance exactly, links both ways and keeps the method and date', async () => {
		const inv = await invoice(100.3);
		const res = await qbo.post('payment', { CustomerRef: { value: '1' }, TotalAmt: 0.1, TxnDate: '2026-03-05', PaymentMethodRef: { value: '1' }, Line: [applied(0.1, inv.Id)] });
		expect(res.status).toBe(200);
		expect(res.json.Payment).toMatchObject({ TotalAmt: 0.1, UnappliedAmt: 0, TxnDate: '2026-03-05', PaymentMethodRef: { value: '1', name: 'Check' }, SyncToken: '0' });
		const after = (await qbo.get('invoice', inv.Id)).json.Invoice;
		expect(after.Balance).toBe(100.2);
		expect(after.TotalAmt).toBe(100.3);
		expect(after.LinkedTxn).toEqual([{ TxnId: res.json.Payment.Id, TxnType: 'Payment' }]);
		expect(after.SyncToken).toBe('1');
	});

	it('two payments settle the invoice to 0; applying a cent more is refused with 6000 and changes nothing', async () => {
		const inv = await invoice(50);
		expect((await qbo.post('payment', { CustomerRef: { value: '1' }, TotalAmt: 20.01, Line: [applied(20.01, inv.Id)] })).status).toBe(200);
		const over = await qbo.post('payment', { CustomerRef: { value: '1' }, TotalAmt: 30, Line: [applied(30, inv.Id)] });
		expect(faultOf(over, '6000').Detail).toMatch(/open balance of 29\.99/);
		expect((await qbo.get('invoice', inv.Id)).json.Invoice.Balance).toBe(29.99);
		expect((await qbo.post('payment', { CustomerRef: { value: '1' }, TotalAmt: 29.99, Line: [applied(29.99, inv.Id)] })).status).toBe(200);
		expect((await qbo.get('invoice', inv.Id)).json.Invoice.Balance).toBe(0);
	});

	it('lines applying more than TotalAmt are refused; the rest of a larger payment is UnappliedAmt', async () => {
		const inv = await invoice(40);
		faultOf(await qbo.post('payment', { CustomerRef: { value: '1' }, TotalAmt: 10, Line: [applied(20, inv.Id)] }), '6000');
		const res = await qbo.post('payment', { CustomerRef: { value: '1' }, TotalAmt: 55, Line: [applied(40, inv.Id)] });
		expect(res.json.Payment.UnappliedAmt).toBe(15);
	});

	it('refuses a payment without TotalAmt or CustomerRef (2020), on another customer\'s invoice (6000), or on a missing invoice (2500)', async () => {
		const inv = await invoice(10);
		faultOf(await qbo.post('payment', { CustomerRef: { value: '1' }, Line: [applied(10, inv.Id)] }), '2020');
		faultOf(await qbo.post('payment', { TotalAmt: 10 }), '2020');
		faultOf(await qbo.post('payment', { CustomerRef: { value: '2' }, TotalAmt: 10, Line: [applied(10, inv.Id)] }), '6000');
		faultOf(await qbo.post('payment', { CustomerRef: { value: '1' }, TotalAmt: 10, Line: [applied(10, '999')] }), '2500');
	});

	it('updating a payment re-applies it; deleting or voiding it restores the invoice Balance', async () => {
		const inv = await invoice(80);
		let pay = (await qbo.post('payment', { CustomerRef: { value: '1' }, TotalAmt: 30, Line: [applied(30, inv.Id)] })).json.Payment;
		pay = (await qbo.post('payment', { ...pay, TotalAmt: 50, Line: [applied(50, inv.Id)] })).json.Payment;
		expect((await qbo.get('invoice', inv.Id)).json.Invoice.Balance).toBe(30);
		const voided = await qbo.post('payment', { Id: pay.Id, SyncToken: pay.SyncToken }, { operation: 'void' });
		expect(voided.json.Payment).toMatchObject({ TotalAmt: 0, UnappliedAmt: 0, Line: [], PrivateNote: 'Voided' });
		expect((await qbo.get('invoice', inv.Id)).json.Invoice).toMatchObject({ Balance: 80 });
		expect((await qbo.get('invoice', inv.Id)).json.Invoice.LinkedTxn).toBeUndefined();

		const second = (await qbo.post('payment', { CustomerRef: { value: '1' }, TotalAmt: 80, Line: [applied(80, inv.Id)] })).json.Payment;
		expect((await qbo.get('invoice', inv.Id)).json.Invoice.Balance).toBe(0);
		const deleted = await qbo.post('payment', { Id: second.Id, SyncToken: second.SyncToken }, { operation: 'delete' });
		expect(deleted.json.Payment).toEqual({ domain: 'QBO', status: 'Deleted', Id: second.Id });
		expect((await qbo.get('invoice', inv.Id)).json.Invoice.Balance).toBe(80);
	});

	it('an invoice with a payment applied cannot be voided or deleted, nor cut below what is applied', async () => {
		const inv = await invoice(25);
		await qbo.post('payment', { CustomerRef: { value: '1' }, TotalAmt: 20, Line: [applied(20, inv.Id)] });
		const current = (await qbo.get('invoice', inv.Id)).json.Invoice;
		faultOf(await qbo.post('invoice', { Id: inv.Id, SyncToken: current.SyncToken }, { operation: 'void' }), '6000');
		faultOf(await qbo.post('invoice', { Id: inv.Id, SyncToken: current.SyncToken }, { operation: 'delete' }), '6000');
		faultOf(await qbo.post('invoice', { ...current, Line: [line(10)] }), '6000');
		const raised = await qbo.post('invoice', { ...current, Line: [line(30)] });
		expect(raised.json.Invoice).toMatchObject({ TotalAmt: 30, Balance: 10 });
	});

	it('paymentTouchesInvoice "unchanged": the Balance moves but the invoice keeps its SyncToken and LastUpdatedTime', async () => {
		sim.assumptions.paymentTouchesInvoice = 'unchanged';
		const inv = await invoice(10);
		sim.setClock({ advanceMs: 60_000 });
		await qbo.post('payment', { CustomerRef: { value: '1' }, TotalAmt: 4, Line: [applied(4, inv.Id)] });
		const after = (await qbo.get('invoice', inv.Id)).json.Invoice;
		expect(after).toMatchObject({ Balance: 6, SyncToken: inv.SyncToken, MetaData: inv.MetaData });
	});

	it('payments are queryable by customer', async () => {
		const inv = await invoice(10);
		await qbo.post('payment', { CustomerRef: { value: '1' }, TotalAmt: 10, Line: [applied(10, inv.Id)] });
		const res = await qbo.query("select * from Payment where CustomerRef = '1'");
		expect(res.json.QueryResponse.Payment).toHaveLength(1);
	});
});

describe('CreditMemo', () => {
	it('is built like an invoice (lines, TotalAmt, Balance = RemainingCredit)', async () => {
		const res = await qbo.post('creditmemo', { CustomerRef: { value: '1' }, Line: [line(12.5)] });
		expect(res.status).toBe(200);
		expect(res.json.CreditMemo).toMatchObject({ TotalAmt: 12.5, Balance: 12.5, RemainingCredit: 12.5, CustomerRef: { value: '1', name: 'Acme Corp' } });
		expect(res.json.CreditMemo.DueDate).toBeUndefined();
		expect((await qbo.query('select * from CreditMemo')).json.QueryResponse.CreditMemo).toHaveLength(1);
	});

	it('reduces an invoice through a zero-amount payment linking both; more than its remaining credit is refused', async () => {
		const inv = await invoice(100);
		const memo = (await qbo.post('creditmemo', { CustomerRef: { value: '1' }, Line: [line(30)] })).json.CreditMemo;
		const res = await qbo.post('payment', { CustomerRef: { value: '1' }, TotalAmt: 0, Line: [applied(30, inv.Id), applied(30, memo.Id, 'CreditMemo')] });
		expect(res.status).toBe(200);
		expect((await qbo.get('invoice', inv.Id)).json.Invoice.Balance).toBe(70);
		expect((await qbo.get('creditmemo', memo.Id)).json.CreditMemo).toMatchObject({ Balance: 0, RemainingCredit: 0 });
		faultOf(await qbo.post('payment', { CustomerRef: { value: '1' }, TotalAmt: 0, Line: [applied(1, inv.Id), applied(1, memo.Id, 'CreditMemo')] }), '6000');
	});
});
