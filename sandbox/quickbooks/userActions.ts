/**
 * Acts as a QuickBooks user through QuickBooks' own API: receive a payment, apply a credit memo,
 * void or delete an invoice, each invoice named by its DocNumber (tests and the demo use it to
 * change QuickBooks between polls).
 */
import type { QuickBooksUserAction } from '../dataset/reverseTypes';
import { qboClient, type SimpleResponse } from './simpleClient';

type Client = ReturnType<typeof qboClient>;

function ok(res: SimpleResponse, what: string): any {
	if (res.status !== 200) throw new Error(`${what} failed (${res.status}): ${JSON.stringify(res.json?.Fault?.Error ?? res.json)}`);
	return res.json;
}

async function invoiceByNumber(qbo: Client, docNumber: string): Promise<any> {
	const found = ok(await qbo.query(`select * from Invoice where DocNumber = '${docNumber.replace(/'/g, "\\'")}'`), `finding invoice ${docNumber}`);
	const invoice = found.QueryResponse?.Invoice?.[0];
	if (!invoice) throw new Error(`No QuickBooks invoice numbered ${docNumber}`);
	return invoice;
}

const linked = (amount: string | number, txnId: string, txnType: string) => ({ Amount: Number(amount), LinkedTxn: [{ TxnId: txnId, TxnType: txnType }] });

/** A 0.00 payment linking a new credit memo (one non-taxable line) to the invoice: QuickBooks' way to apply a credit. */
async function applyCredit(qbo: Client, invoice: any, amount: string, itemId: string): Promise<unknown> {
	const line = { DetailType: 'SalesItemLineDetail', Amount: Number(amount), SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: 1, UnitPrice: Number(amount), TaxCodeRef: { value: 'NON' } } };
	// The invoice's currency: a company with multicurrency on requires CurrencyRef on a credit memo.
	const memo = ok(await qbo.post('creditmemo', { CustomerRef: invoice.CustomerRef, CurrencyRef: invoice.CurrencyRef, Line: [line] }), 'credit memo').CreditMemo;
	const payment = { CustomerRef: invoice.CustomerRef, TotalAmt: 0, Line: [linked(amount, invoice.Id, 'Invoice'), linked(amount, memo.Id, 'CreditMemo')] };
	return ok(await qbo.post('payment', payment), 'applying the credit memo');
}

/** Performs one action; returns QuickBooks' answer. */
export async function performQuickBooksAction(qbo: Client, action: QuickBooksUserAction): Promise<unknown> {
	const invoice = await invoiceByNumber(qbo, action.docNumber);
	switch (action.kind) {
		case 'receivePayment': {
			const amount = action.amount === 'balance' ? invoice.Balance : Number(action.amount);
			const method = action.paymentMethodId ? { PaymentMethodRef: { value: action.paymentMethodId } } : {};
			return ok(await qbo.post('payment', { CustomerRef: invoice.CustomerRef, TotalAmt: amount, ...method, Line: [linked(amount, invoice.Id, 'Invoice')] }), 'payment');
		}
		case 'applyCredit':
			return applyCredit(qbo, invoice, action.amount, action.itemId);
		case 'void':
		case 'delete':
			return ok(await qbo.post('invoice', { Id: invoice.Id, SyncToken: invoice.SyncToken }, { operation: action.kind }), action.kind);
	}
}

/** Performs the actions in order against one company, with an access token for it. */
export async function performQuickBooksActions(baseUrl: string, realmId: string, accessToken: string, actions: QuickBooksUserAction[]): Promise<unknown[]> {
	const qbo = qboClient(baseUrl, realmId, accessToken);
	const answers: unknown[] = [];
	for (const action of actions) answers.push(await performQuickBooksAction(qbo, action));
	return answers;
}
