/**
 * What payments recorded in HubSpot (commerce payments associated with an invoice) do to it:
 * HubSpot documents associating completed payments with invoices "to mark them as paid". The
 * simulator sums `hs_initial_amount` in cents into `hs_amount_paid`, sets `hs_balance_due`,
 * `hs_payment_date` (the latest payment) and, once the billed amount is covered, status `paid`.
 */
import { formatCents } from '../dataset/money';
import { cents } from './invoiceTotals';
import type { HubSpotObject } from './types';

/** The invoice's payment properties; empty (values kept as given) when no payment is associated. */
export function invoicePaymentValues(invoice: HubSpotObject, payments: HubSpotObject[]): Record<string, string> {
	if (payments.length === 0) return {};
	const paid = payments.reduce((sum, p) => sum + cents(p.properties.hs_initial_amount), 0);
	const billed = cents(invoice.properties.hs_amount_billed);
	const dates = payments.map((p) => Date.parse(String(p.properties.hs_initiated_date ?? ''))).filter((ms) => !Number.isNaN(ms));
	const values: Record<string, string> = { hs_amount_paid: formatCents(paid), hs_balance_due: formatCents(Math.max(billed - paid, 0)) };
	if (dates.length) values.hs_payment_date = new Date(Math.max(...dates)).toISOString();
	if (billed > 0 && paid >= billed && invoice.properties.hs_invoice_status === 'open') values.hs_invoice_status = 'paid';
	return values;
}
