/**
 * QuickBooks payments and credits on the HubSpot invoice: the amount paid, the balance, the paid
 * date and a payment status in this package's properties, and HubSpot's own status `paid` at a
 * zero balance (back to `open` when a payment is removed in QuickBooks). Payment status always
 * comes from QuickBooks, whichever side the invoice started on. Plain functions.
 */
import { toMicros } from '../shared/money';
import type { QuickBooksPayment } from '../shared/invoiceContract';
import type { HubSpotObject } from '../shared/transport/hubspot';

import { decimalText, type HubSpotInvoiceStatus } from './payload';
import type { PaymentStatus } from './properties';

export interface PaymentUpdate {
	/** Properties to write; empty when HubSpot already shows these figures. */
	properties: Record<string, string>;
	paymentStatus: PaymentStatus;
	/** The status the invoice moves to, when it changes. */
	status?: HubSpotInvoiceStatus;
	amountPaid: string;
	balance: string;
}

/** unpaid, partially paid or paid, from QuickBooks' figures. */
export function paymentStatusOf(amountPaid: number | string, balance: number | string): PaymentStatus {
	if (toMicros(balance) <= 0n && toMicros(amountPaid) > 0n) return 'paid';
	return toMicros(amountPaid) > 0n ? 'partially_paid' : 'unpaid';
}

/** Equal decimal values, whatever their text ('10' and '10.00'); a missing value equals nothing. */
export function sameAmount(current: string | null | undefined, wanted: string): boolean {
	if (current === null || current === undefined || current.trim() === '') return false;
	try {
		return toMicros(current) === toMicros(wanted);
	} catch {
		return false;
	}
}

/** The HubSpot status a payment moves the invoice to (draft and voided invoices keep theirs). */
export function statusAfterPayment(current: string | null | undefined, paymentStatus: PaymentStatus, markPaid: boolean): HubSpotInvoiceStatus | undefined {
	if (!markPaid) return undefined;
	if (current === 'open' && paymentStatus === 'paid') return 'paid';
	if (current === 'paid' && paymentStatus !== 'paid') return 'open';
	return undefined;
}

/** What to write on `invoice` for `payment`. */
export function paymentUpdate(payment: QuickBooksPayment, invoice: HubSpotObject, markPaid: boolean): PaymentUpdate {
	const amountPaid = decimalText(payment.amountPaid);
	const balance = decimalText(payment.balance);
	const paymentStatus = paymentStatusOf(amountPaid, balance);
	const current = invoice.properties;
	const properties: Record<string, string> = {};
	if (!sameAmount(current.qbo_amount_paid, amountPaid)) properties.qbo_amount_paid = amountPaid;
	if (!sameAmount(current.qbo_balance, balance)) properties.qbo_balance = balance;
	if (current.qbo_payment_status !== paymentStatus) properties.qbo_payment_status = paymentStatus;
	// A date property: the calendar day, which HubSpot shows as that day in every time zone.
	const paidDay = payment.paidAt?.slice(0, 10);
	if (paidDay && paymentStatus !== 'unpaid' && current.qbo_paid_at?.slice(0, 10) !== paidDay) properties.qbo_paid_at = paidDay;
	const status = statusAfterPayment(current.hs_invoice_status, paymentStatus, markPaid);
	if (status) properties.hs_invoice_status = status;
	return { properties, paymentStatus, status, amountPaid, balance };
}
