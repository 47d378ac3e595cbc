/**
 * QuickBooks payments and credits on the HubSpot invoice. This package's properties always show
 * QuickBooks' figures (amount paid, balance, paid date, payment status). HubSpot's own amount paid,
 * balance due and Paid status follow HubSpot payment records: HubSpot documents associating
 * payments (commerce payments) with an invoice to mark it paid, and documents no API write of the
 * status `paid`. So, by the Paid Status setting: `recordPayment` records each new amount QuickBooks
 * received as a HubSpot payment on the invoice; `setStatus` writes the status itself (for accounts
 * where HubSpot accepts it); `propertiesOnly` leaves HubSpot's own figures alone. Payment status
 * always comes from QuickBooks, whichever side the invoice started on. Plain functions.
 */
import { formatMicros, toMicros } from '../shared/money';
import type { CanonicalInvoice, QuickBooksPayment } from '../shared/invoiceContract';
import type { HubSpotObject } from '../shared/transport/hubspot';

import { decimalText, type HubSpotInvoiceStatus } from './payload';
import type { PaymentStatus } from './properties';

export const PAID_STATUS_MODES = ['recordPayment', 'setStatus', 'propertiesOnly'] as const;
export type PaidStatusMode = (typeof PAID_STATUS_MODES)[number];

/** A HubSpot payment to record on the invoice: the amount QuickBooks received since the last run. */
export interface PaymentRecord {
	amount: string;
	date: string;
	/** Names the QuickBooks invoice and the total paid it brings the invoice to: one record per step, found again on a re-run. */
	reference: string;
	/** The total QuickBooks has been paid that this record brings HubSpot's payments to. */
	paidTo: string;
	method: string | null;
	/** The invoice's currency, when the HubSpot invoice is created by this run (nothing to read it from yet). */
	currency?: string;
}

/** How an invoice's own figures are recorded (not a payment item's): its reference and day. */
export interface RecordAs {
	reference: string;
	date: string;
}

export interface PaymentUpdate {
	/** Properties to write; empty when HubSpot already shows these figures. */
	properties: Record<string, string>;
	paymentStatus: PaymentStatus;
	/** The status the invoice moves to (setStatus), when it changes. */
	status?: HubSpotInvoiceStatus;
	record?: PaymentRecord;
	reason?: string;
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

/** setStatus: the HubSpot status a payment moves the invoice to (draft and voided invoices keep theirs). */
export function statusAfterPayment(current: string | null | undefined, paymentStatus: PaymentStatus): HubSpotInvoiceStatus | undefined {
	if (current === 'open' && paymentStatus === 'paid') return 'paid';
	if (current === 'paid' && paymentStatus !== 'paid') return 'open';
	return undefined;
}

function amountOr0(value: string | null | undefined): bigint {
	try {
		return value ? toMicros(value) : 0n;
	} catch {
		return 0n;
	}
}

/** recordPayment: the HubSpot payment for what QuickBooks received since the amount last applied (`qbo_amount_paid`). */
function paymentRecord(payment: QuickBooksPayment, invoice: HubSpotObject, amountPaid: string, day: string | undefined, recordAs?: RecordAs): Pick<PaymentUpdate, 'record' | 'reason'> {
	const received = toMicros(amountPaid) - amountOr0(invoice.properties.qbo_amount_paid);
	if (received < 0n) return { reason: 'QuickBooks shows less paid than before (a payment was removed or refunded): remove the matching payment in HubSpot by hand' };
	if (received === 0n || invoice.properties.hs_invoice_status !== 'open') return {};
	return {
		record: {
			amount: formatMicros(received),
			date: recordAs?.date ?? day ?? new Date(0).toISOString().slice(0, 10),
			reference: recordAs?.reference ?? stepReference(payment.quickbooksInvoiceId, amountPaid),
			paidTo: amountPaid,
			method: payment.method,
		},
	};
}

/** What to write on `invoice` for `payment`. */
export function paymentUpdate(payment: QuickBooksPayment, invoice: HubSpotObject, mode: PaidStatusMode, recordAs?: RecordAs): PaymentUpdate {
	const amountPaid = decimalText(payment.amountPaid);
	const balance = decimalText(payment.balance);
	const paymentStatus = paymentStatusOf(amountPaid, balance);
	const current = invoice.properties;
	const properties: Record<string, string> = {};
	// Nothing ever paid and no figures shown yet (an invoice's edit in QuickBooks reported as its figures): nothing to write.
	if (!current.qbo_amount_paid && toMicros(amountPaid) === 0n) return { properties, paymentStatus, amountPaid, balance };
	if (!sameAmount(current.qbo_amount_paid, amountPaid)) properties.qbo_amount_paid = amountPaid;
	if (!sameAmount(current.qbo_balance, balance)) properties.qbo_balance = balance;
	if (current.qbo_payment_status !== paymentStatus) properties.qbo_payment_status = paymentStatus;
	// A date property: the calendar day, which HubSpot shows as that day in every time zone.
	const paidDay = payment.paidAt?.slice(0, 10);
	if (paidDay && paymentStatus !== 'unpaid' && current.qbo_paid_at?.slice(0, 10) !== paidDay) properties.qbo_paid_at = paidDay;
	const update: PaymentUpdate = { properties, paymentStatus, amountPaid, balance };
	if (mode === 'setStatus') {
		update.status = statusAfterPayment(current.hs_invoice_status, paymentStatus);
		if (update.status) properties.hs_invoice_status = update.status;
	}
	if (mode === 'recordPayment' && Object.keys(properties).length) Object.assign(update, paymentRecord(payment, invoice, amountPaid, paidDay, recordAs));
	return update;
}

/**
 * The payment figures a QuickBooks invoice carries (the QuickBooks Trigger's balance against its
 * total), as a payment with no date or method: the payment items bring those. None when the
 * invoice does not carry both (not from the trigger) or is voided.
 */
export function paymentOfInvoice(invoice: CanonicalInvoice): QuickBooksPayment | undefined {
	const total = invoice.totals?.total;
	if (invoice.status === 'voided' || total === null || total === undefined || invoice.balance === null || invoice.balance === undefined) return undefined;
	const amountPaid = formatMicros(toMicros(total) - toMicros(invoice.balance));
	return { quickbooksInvoiceId: invoice.source.id, hubspotInvoiceId: invoice.source.hubspotInvoiceId ?? null, amountPaid: Number(amountPaid), balance: invoice.balance, paidAt: null, method: null };
}

/**
 * What a create or content update writes of QuickBooks' payment figures, on `invoice` as HubSpot
 * will hold it when the payment is recorded (open). The HubSpot payment (Record HubSpot Payments)
 * covers what was paid before the invoice reached HubSpot, under its own reference: the payment
 * path's references name the steps it records, so none of them is found for this money, and a
 * payment item arriving later finds `qbo_amount_paid` already at QuickBooks' figure and records
 * nothing. A re-run after a failure finds it by its reference (the same figure gives the same one).
 */
export function invoicePaymentUpdate(source: CanonicalInvoice, invoice: HubSpotObject, mode: PaidStatusMode): PaymentUpdate | undefined {
	const payment = paymentOfInvoice(source);
	if (!payment) return undefined;
	const reference = withInvoiceReference(payment.quickbooksInvoiceId, payment.amountPaid);
	// The day QuickBooks last changed the invoice (a payment changes its balance), else its date.
	const date = (source.source.lastModifiedAt ?? source.issueDate ?? new Date(0).toISOString()).slice(0, 10);
	const update = paymentUpdate(payment, invoice, mode, { reference, date });
	if (update.record) update.record.currency = source.currency;
	return update;
}

/** The reference of the HubSpot payment a payment item records for what brought QuickBooks' amount paid to `total`. */
export function stepReference(quickbooksInvoiceId: string, total: number | string): string {
	return `QuickBooks invoice ${quickbooksInvoiceId}: paid ${decimalText(total)}`;
}

/** The reference of the HubSpot payment recorded with an invoice when QuickBooks had been paid `total` in all. */
export function withInvoiceReference(quickbooksInvoiceId: string, total: number | string): string {
	return `QuickBooks invoice ${quickbooksInvoiceId}: paid ${decimalText(total)} with the invoice`;
}

/**
 * The totals named in `qbo_payments_recording`: written on the invoice before a HubSpot payment
 * is recorded on it, cleared by the final update that shows QuickBooks' figures. A run stopped in
 * between leaves them, so the next run can look for those payments (by the references above)
 * before trusting `qbo_amount_paid`, which still predates them.
 */
export function recordingTotals(value: string | null | undefined): string[] {
	const totals: string[] = [];
	for (const word of (value ?? '').split(' ')) {
		if (!/^\d+(\.\d+)?$/.test(word)) continue;
		const total = decimalText(word);
		if (!totals.includes(total)) totals.push(total);
	}
	return totals;
}

/** `qbo_payments_recording` once `total` is being recorded too (what an earlier stopped run left is kept). */
export function withRecordingTotal(value: string | null | undefined, total: string): string {
	return [...new Set([...recordingTotals(value), decimalText(total)])].join(' ');
}
