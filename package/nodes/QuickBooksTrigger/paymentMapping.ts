/**
 * QuickBooks Payments as one payment item per invoice they apply to, and credit memos as credit
 * memo items. Plain functions.
 *
 * A Payment's lines each link what they apply to (`LinkedTxn`): invoices, and the credit memos
 * whose credit it uses. QuickBooks applies a credit memo to an invoice this way (a Payment, often
 * of total 0, linking both), so a credit applied is a payment event like money received: the
 * invoice's figures after it are what the item reports.
 */
import type { IDataObject } from 'n8n-workflow';

import { centsToNumber, toCents } from '../shared/money';
import { nonBlankText } from '../shared/text';
import type { QuickBooksPayment } from '../shared/invoiceContract';
import type { CreditMemo } from '../shared/quickbooksEventContract';

import { hubSpotLinkOf, type QuickBooksRecord } from './invoiceMapping';

function centsOf(value: unknown): bigint {
	try {
		return value === undefined || value === null || value === '' ? 0n : toCents(value as string | number);
	} catch {
		return 0n;
	}
}

function refOf(value: unknown): IDataObject {
	return (value ?? {}) as IDataObject;
}

/** Every transaction a payment's lines link, with the amount of each line: [type, id, cents]. */
function linkedAmounts(payment: IDataObject): Array<{ type: string; id: string; cents: bigint }> {
	return ((payment.Line ?? []) as IDataObject[]).flatMap((line) =>
		((line.LinkedTxn ?? []) as IDataObject[]).map((linked) => ({ type: String(linked.TxnType ?? ''), id: String(linked.TxnId ?? ''), cents: centsOf(line.Amount) })),
	);
}

/** The invoices a payment applies to (their Ids), for the batched read of their balances. */
export function invoiceIdsOf(payment: IDataObject): string[] {
	return [...new Set(linkedAmounts(payment).filter((linked) => linked.type === 'Invoice' && linked.id).map((linked) => linked.id))];
}

/**
 * One payment per invoice the payment applies to, in its line order, with the invoice's figures
 * now: `amountPaid` is everything applied to it so far (total − balance, payments and credits
 * together), `balance` what is still due. An invoice that can no longer be read (deleted) has no
 * figures and is left out.
 */
export function paymentsOf(payment: QuickBooksRecord, invoices: Map<string, QuickBooksRecord>): QuickBooksPayment[] {
	const linked = linkedAmounts(payment);
	const creditOnly = centsOf(payment.TotalAmt) === 0n && linked.some((entry) => entry.type === 'CreditMemo' && entry.cents > 0n);
	const method = nonBlankText(refOf(payment.PaymentMethodRef).name) ?? (creditOnly ? 'Credit Memo' : null);
	const invoiceIds = [...new Set(linked.filter((entry) => entry.type === 'Invoice' && entry.id).map((entry) => entry.id))];
	return invoiceIds.flatMap((invoiceId) => {
		const invoice = invoices.get(invoiceId);
		return invoice ? [{ ...paymentFiguresOf(invoice), paidAt: nonBlankText(payment.TxnDate), method }] : [];
	});
}

/**
 * An invoice's payment figures as QuickBooks holds them now, with no payment named: what a
 * payment's removal (deleted or voided, which keep no link to their invoices) leaves on it.
 */
export function paymentFiguresOf(invoice: QuickBooksRecord): QuickBooksPayment {
	const total = centsOf(invoice.TotalAmt);
	const balance = centsOf(invoice.Balance);
	return {
		quickbooksInvoiceId: String(invoice.Id),
		hubspotInvoiceId: hubSpotLinkOf(invoice),
		amountPaid: centsToNumber(total - balance),
		balance: centsToNumber(balance),
		paidAt: null,
		method: null,
	};
}

export function creditMemoOf(creditMemo: QuickBooksRecord, customers: Map<string, QuickBooksRecord>): CreditMemo {
	const customerRef = refOf(creditMemo.CustomerRef);
	const customer = customerRef.value ? customers.get(String(customerRef.value)) : undefined;
	const remaining = creditMemo.RemainingCredit;
	return {
		quickbooksCreditMemoId: creditMemo.Id,
		number: nonBlankText(creditMemo.DocNumber),
		quickbooksCustomerId: nonBlankText(customerRef.value),
		customerName: nonBlankText(customer?.DisplayName) ?? nonBlankText(customerRef.name),
		customerEmail: nonBlankText(refOf(customer?.PrimaryEmailAddr).Address)?.trim() ?? null,
		date: nonBlankText(creditMemo.TxnDate),
		currency: nonBlankText(refOf(creditMemo.CurrencyRef).value),
		total: centsToNumber(centsOf(creditMemo.TotalAmt)),
		remainingCredit: remaining === undefined || remaining === null ? null : centsToNumber(centsOf(remaining)),
	};
}
