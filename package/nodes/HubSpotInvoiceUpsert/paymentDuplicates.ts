/**
 * One HubSpot payment per piece of QuickBooks money, whatever executions ran at the same time.
 *
 * The invoice template (an invoice's content update carries QuickBooks' payment figures) and the
 * payments template poll QuickBooks independently, so n8n can run both for the same invoice at
 * once, as it can two payments-template executions. Both read the old `qbo_amount_paid`, search the
 * references (nothing yet) and create a payment for the same money. HubSpot offers nothing to stop
 * the second create: no transactions, no conditional writes, no unique constraint on payments; and
 * its search trails new records, so searching again would not see the other's payment either.
 * Naming the money the same way on both paths would not help: both searches still come before
 * both creates.
 *
 * So a run that created a payment reads its invoice's payments afterwards, through the v4
 * association read, which is not search and sees the other run's association at once. Each of
 * this package's payments covers the QuickBooks money (paid before, paid to] that its reference
 * and amount name (`… paid <to>` for `amount`: from = to − amount). A payment whose money lies
 * within another's covers money the other already holds; it is archived (HubSpot then totals the
 * invoice without it). Equal money keeps the lowest id. The choice depends only on the payments,
 * never on which run looks, and a run that sees fewer payments only archives what one seeing all
 * of them archives too (within is transitive). Of two runs, the one that associated last sees both
 * payments: so exactly one payment for the money stays, whichever order the runs take. Payments
 * that overlap without one holding the other are left (that takes three executions for one
 * invoice at once, one of them reading a figure another had already moved).
 *
 * Costs: one association read per 1,000 invoices that created a payment, one batch read per 100
 * payments this run did not see (an invoice's earlier payments), and an archive only when there
 * is a duplicate.
 */
import { formatMicros, toMicros } from '../shared/money';
import type { HubSpotClient } from '../shared/transport/hubspot';

/** What the upsert reads of a HubSpot payment. */
export const PAYMENT_PROPERTIES = ['hs_reference_number', 'hs_initial_amount'];

/** The QuickBooks money a payment this package recorded covers, in micros: (from, to]. */
export interface CoveredMoney {
	id: string;
	quickbooksInvoiceId: string;
	from: bigint;
	to: bigint;
}

/** `QuickBooks invoice <id>: paid <to>`, optionally `… with the invoice` (payments.ts names them). */
const REFERENCE = /^QuickBooks invoice (.+): paid (\d+(?:\.\d+)?)(?: with the invoice)?$/;

/** The money one of this package's payments covers; undefined for any other payment. */
export function coveredMoney(id: string, properties: Record<string, string | null | undefined>): CoveredMoney | undefined {
	const match = REFERENCE.exec(properties.hs_reference_number ?? '');
	if (!match || !properties.hs_initial_amount) return undefined;
	try {
		const to = toMicros(match[2]);
		return { id, quickbooksInvoiceId: match[1], from: to - toMicros(properties.hs_initial_amount), to };
	} catch {
		return undefined;
	}
}

/** HubSpot ids are numbers written as text: the shorter is the lower. */
function lowerId(a: string, b: string): boolean {
	return a.length !== b.length ? a.length < b.length : a < b;
}

/** Whether `payment`'s money lies within `other`'s (equal money: the higher id is the one within). */
function within(payment: CoveredMoney, other: CoveredMoney): boolean {
	if (payment.id === other.id || payment.quickbooksInvoiceId !== other.quickbooksInvoiceId) return false;
	if (other.from > payment.from || other.to < payment.to) return false;
	const equal = other.from === payment.from && other.to === payment.to;
	return !equal || lowerId(other.id, payment.id);
}

/** The payments whose money another of `payments` already covers. */
export function redundantPayments(payments: CoveredMoney[]): CoveredMoney[] {
	return payments.filter((payment) => payments.some((other) => within(payment, other)));
}

/** For the item: which payments were archived, and why. */
function archivedReason(archived: CoveredMoney[]): string {
	const money = archived.map((payment) => `${payment.id} (${formatMicros(payment.to - payment.from)})`).join(', ');
	return `another execution recorded the same QuickBooks money at the same time: HubSpot payment ${money} archived, one payment kept`;
}

/**
 * Reads the payments on `invoiceIds` (their properties from `seen` where this run has them) and
 * archives those whose QuickBooks money another of them covers. Returns invoice id → the reason
 * to report, for the invoices that had one archived.
 */
export async function archiveDuplicatePayments(
	hubspot: HubSpotClient,
	invoiceIds: string[],
	seen: Map<string, Record<string, string | null | undefined>>,
): Promise<Map<string, string>> {
	const reasons = new Map<string, string>();
	if (invoiceIds.length === 0) return reasons;
	const onInvoices = await hubspot.batchReadAssociations('invoices', 'commerce_payments', invoiceIds);
	const unseen = [...new Set([...onInvoices.values()].flat())].filter((id) => !seen.get(id)?.hs_initial_amount);
	if (unseen.length) {
		const { results } = await hubspot.batchRead('commerce_payments', unseen, PAYMENT_PROPERTIES);
		for (const [id, payment] of results) seen.set(id, payment.properties);
	}
	const archive: string[] = [];
	for (const [invoiceId, paymentIds] of onInvoices) {
		const covered = paymentIds.map((id) => coveredMoney(id, seen.get(id) ?? {})).filter((money): money is CoveredMoney => !!money);
		const redundant = redundantPayments(covered);
		if (redundant.length === 0) continue;
		archive.push(...redundant.map((payment) => payment.id));
		reasons.set(invoiceId, archivedReason(redundant));
	}
	await hubspot.batchArchive('commerce_payments', archive);
	return reasons;
}
