/**
 * The QuickBooks → HubSpot invariant, checked against both simulators' state after a run, with
 * expectations from the data set and from QuickBooks itself (never from what the nodes did):
 *   - each QuickBooks invoice expected to sync has exactly one HubSpot invoice (found by
 *     `qbo_invoice_id` or its memo's link) with the expected status, amount paid and balance
 *     (compareToHubSpot, the same comparison as `npm start`); unless voided, its line items are
 *     QuickBooks' sales lines exactly (SKU, quantity, unit price), none twice; its HubSpot payments
 *     carry no reference twice and add up to no more than QuickBooks' amount paid;
 *   - each invoice expected to fail reached an error output with its code and has nothing in HubSpot;
 *   - nothing else: no HubSpot invoice for a QuickBooks invoice outside the expectations, no
 *     contact created twice for one email.
 */
import type { Sandbox } from '../../../sandbox';
import type { ReverseExpectation } from '../../../sandbox/dataset';
import { compareToHubSpot, sandboxHubSpotInvoicesFor, type ToHubSpotSummary } from '../../../scripts/demo/reverseReport';
import { formatMicros, toMicros } from '../../../package/nodes/shared/money';
import type { InvariantReport } from './invariant';

type Json = Record<string, any>;

export interface ReverseInvariantInput {
	sandbox: Sandbox;
	realmId: string;
	/** Keyed by QuickBooks invoice Id. */
	expectations: Record<string, ReverseExpectation>;
	summary: ToHubSpotSummary;
	/**
	 * After a crash, or a create whose answer was lost, the next execution finds the invoice the
	 * earlier one created and updates it (or leaves it, or, when the crashed execution is never
	 * re-run, only applies a payment to it): then 'updated', 'unchanged' or 'paymentApplied' stands
	 * for the expected 'created' (the checks of HubSpot's invoice itself stay).
	 */
	createdByCrashedRun?: boolean;
	/**
	 * QuickBooks invoice Ids whose HubSpot payments must add up to QuickBooks' amount paid exactly
	 * (not only "no more than"), with every payment recorded for it on it: invoices that received
	 * payments only (no credit, none removed), whose amount paid is then their payments' sum.
	 */
	exactPayments?: string[];
}

/** Exact micro-units of a decimal (text or number), or `?value` when it is none. */
export const micros = (value: unknown): string => {
	try {
		return String(toMicros(value as string));
	} catch {
		return `?${String(value)}`;
	}
};

/** Sales lines of a QuickBooks invoice as `sku|qty|unit price` (exact). */
export function quickBooksLines(invoice: Json, items: Map<string, Json>): string[] {
	return (invoice.Line as Json[])
		.filter((line) => line.DetailType === 'SalesItemLineDetail')
		.map((line) => {
			const detail = line.SalesItemLineDetail as Json;
			return `${String(items.get(String(detail.ItemRef?.value))?.Sku ?? '')}|${micros(detail.Qty ?? 1)}|${micros(detail.UnitPrice ?? 0)}`;
		});
}

export function associated(snapshot: Json, type: string, id: string, otherType: string): string[] {
	const ids = new Set<string>();
	for (const link of snapshot.associations as Json[]) {
		if (link.fromType === type && link.fromId === id && link.toType === otherType) ids.add(String(link.toId));
		if (link.toType === type && link.toId === id && link.fromType === otherType) ids.add(String(link.fromId));
	}
	return [...ids];
}

/** Counts of each value. */
function tally(values: string[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
	return counts;
}

/**
 * An invoice QuickBooks has received nothing for carries no payment properties: the upsert writes
 * them with the first payment (or credit) it applies.
 */
const NOTHING_PAID_YET = /: HubSpot (qbo_amount_paid \(none\), expected 0\.00|qbo_balance \(none\), expected [\d.]+)$/;

/** An invoice voided in QuickBooks before it ever reached HubSpot is rightly skipped: nothing to void there. */
const VOIDED_BEFORE_SYNC = /: (expected voided, got skipped|0 HubSpot invoices, expected 1)$/;

function classify(report: InvariantReport, problem: string, paidNothing: (problem: string) => boolean, neverSynced: (problem: string) => boolean): void {
	if (NOTHING_PAID_YET.test(problem) && paidNothing(problem)) return;
	if (VOIDED_BEFORE_SYNC.test(problem) && neverSynced(problem)) return;
	report.problems.push(problem);
	const count = /: (\d+) HubSpot invoices, expected 1/.exec(problem);
	if (count && Number(count[1]) === 0) report.lost++;
	else if (count) report.duplicated += Number(count[1]) - 1;
	else if (/expected error .*, got nothing/.test(problem)) report.lost++;
	else report.wrong++;
}

export function checkLines(report: InvariantReport, label: string, want: string[], got: string[]): void {
	const wanted = tally(want);
	const have = tally(got);
	for (const [line, n] of have) {
		const expected = wanted.get(line) ?? 0;
		if (n > expected && expected > 0) {
			report.duplicated += n - expected;
			report.problems.push(`${label}: line ${line} ${n} times in HubSpot, ${expected} in QuickBooks`);
		} else if (n > expected) {
			report.wrong++;
			report.problems.push(`${label}: HubSpot line ${line} is not on the QuickBooks invoice`);
		}
	}
	for (const [line, n] of wanted) {
		if ((have.get(line) ?? 0) < n) {
			report.wrong++;
			report.problems.push(`${label}: QuickBooks line ${line} missing in HubSpot (${have.get(line) ?? 0} of ${n})`);
		}
	}
}

/** The HubSpot payments associated with the invoice. */
function paymentsOn(snapshot: Json, invoiceId: string): Json[] {
	const payments = new Map((snapshot.objects.commerce_payments as Json[]).map((payment) => [String(payment.id), payment]));
	return associated(snapshot, 'invoices', invoiceId, 'commerce_payments').map((id) => payments.get(id)).filter(Boolean) as Json[];
}

const paymentsTotal = (payments: Json[]) => payments.reduce((sum, payment) => sum + BigInt(micros(payment.properties.hs_initial_amount ?? 0).replace('?', '0') || '0'), 0n);

/**
 * The invoice's HubSpot payments add up to exactly what QuickBooks was paid, and every payment
 * recorded for its QuickBooks invoice (by the reference the upsert gives it) is on it.
 */
function checkPaymentsExact(report: InvariantReport, label: string, snapshot: Json, invoice: Json, quickbooksId: string, amountPaid: string): void {
	const linked = paymentsOn(snapshot, String(invoice.id));
	const total = paymentsTotal(linked);
	if (total !== BigInt(micros(amountPaid))) {
		if (total > BigInt(micros(amountPaid))) report.duplicated++;
		else report.wrong++;
		report.problems.push(`${label}: HubSpot payments on the invoice add up to ${formatMicros(total)}, QuickBooks' amount paid is ${amountPaid}`);
	}
	const on = new Set(linked.map((payment) => String(payment.id)));
	const prefix = `QuickBooks invoice ${quickbooksId}:`;
	const off = (snapshot.objects.commerce_payments as Json[]).filter((payment) => String(payment.properties.hs_reference_number ?? '').startsWith(prefix) && !on.has(String(payment.id)));
	if (off.length > 0) {
		report.wrong += off.length;
		report.problems.push(`${label}: ${off.length} HubSpot payment(s) recorded for it but not on the invoice (${off.map((payment) => String(payment.properties.hs_reference_number)).join('; ')})`);
	}
}

function checkPayments(report: InvariantReport, label: string, snapshot: Json, invoice: Json): void {
	const linked = paymentsOn(snapshot, String(invoice.id));
	for (const [reference, n] of tally(linked.map((payment) => String(payment.properties.hs_reference_number ?? '')))) {
		if (n > 1) {
			report.duplicated += n - 1;
			report.problems.push(`${label}: HubSpot payment "${reference}" recorded ${n} times`);
		}
	}
	const total = paymentsTotal(linked);
	const paid = invoice.properties.qbo_amount_paid;
	if (linked.length && paid !== undefined && paid !== null && total > BigInt(micros(paid).replace('?', '0'))) {
		report.duplicated++;
		report.problems.push(`${label}: HubSpot payments add up to more than QuickBooks' amount paid ${String(paid)}`);
	}
}

/** The HubSpot portal without archived records. */
export function liveSnapshot(sandbox: Sandbox): Json {
	const snapshot = sandbox.hubspot.snapshot() as Json;
	const objects: Json = {};
	for (const [type, list] of Object.entries(snapshot.objects as Record<string, Json[]>)) objects[type] = list.filter((object) => !object.archived);
	return { ...snapshot, objects };
}

function withCreatedForRewrites(summary: ToHubSpotSummary): ToHubSpotSummary {
	const byInvoice = new Map([...summary.byInvoice].map(([id, entry]) => {
		const actions = new Set(entry.actions);
		if (actions.has('updated') || actions.has('unchanged') || actions.has('paymentApplied')) actions.add('created');
		return [id, { ...entry, actions }] as const;
	}));
	return { ...summary, byInvoice };
}

export function checkReverseInvariant(input: ReverseInvariantInput): InvariantReport {
	const { sandbox, realmId, expectations } = input;
	const summary = input.createdByCrashedRun ? withCreatedForRewrites(input.summary) : input.summary;
	const report: InvariantReport = { lost: 0, duplicated: 0, wrong: 0, duplicatedCustomers: 0, checked: { syncable: 0, failing: 0, notEmitted: 0 }, problems: [] };
	const linkedTo = sandboxHubSpotInvoicesFor(sandbox, realmId);
	const dataset = { expectations } as Parameters<typeof compareToHubSpot>[1];
	const paidNothing = (problem: string) => {
		const id = /\(QuickBooks (\w+)\)/.exec(problem)?.[1];
		const expected = id ? expectations[id]?.hubspot : undefined;
		return Boolean(expected) && Math.round(Number(expected!.amountPaid) * 100) === 0 && !linkedTo(id!)[0]?.properties.qbo_amount_paid;
	};
	const neverSynced = (problem: string) => {
		const id = /\(QuickBooks (\w+)\)/.exec(problem)?.[1];
		const seen = id ? summary.byInvoice.get(id) : undefined;
		return Boolean(id) && expectations[id!]?.hubspot?.status === 'voided' && linkedTo(id!).length === 0 && !seen?.actions.has('created');
	};
	for (const problem of compareToHubSpot(summary, dataset, linkedTo)) classify(report, problem, paidNothing, neverSynced);

	const entities = sandbox.quickbooks.state.realms[realmId].entities as Record<string, Map<string, Json>>;
	const snapshot = liveSnapshot(sandbox);
	const lineItems = new Map((snapshot.objects.line_items as Json[]).map((line) => [String(line.id), line]));
	for (const [id, expected] of Object.entries(expectations)) {
		if (expected.outcome === 'error') {
			report.checked.failing++;
			continue;
		}
		report.checked.syncable++;
		const linked = linkedTo(id);
		const invoice = entities.Invoice?.get(id);
		if (linked.length !== 1) continue;
		const label = `${expected.docNumber} (QuickBooks ${id})`;
		checkPayments(report, label, snapshot, linked[0]);
		if (input.exactPayments?.includes(id) && expected.hubspot && expected.hubspot.status !== 'voided') checkPaymentsExact(report, label, snapshot, linked[0], id, expected.hubspot.amountPaid);
		if (expected.hubspot?.status === 'voided' || !invoice) continue;
		const got = associated(snapshot, 'invoices', String(linked[0].id), 'line_items')
			.map((lineId) => lineItems.get(lineId))
			.filter(Boolean)
			.map((line) => `${String(line!.properties.hs_sku ?? '')}|${micros(line!.properties.quantity)}|${micros(line!.properties.price)}`);
		checkLines(report, label, quickBooksLines(invoice, entities.Item ?? new Map()), got);
	}

	for (const invoice of snapshot.objects.invoices as Json[]) {
		const qboId = invoice.properties.qbo_invoice_id;
		if (qboId && !expectations[qboId]) {
			report.wrong++;
			report.problems.push(`HubSpot invoice ${String(invoice.id)} for QuickBooks invoice ${String(qboId)}, which is not expected to sync`);
		}
	}
	for (const [email, n] of tally((snapshot.objects.contacts as Json[]).map((contact) => String(contact.properties.email ?? '').trim().toLowerCase()).filter(Boolean))) {
		if (n > 1) {
			report.duplicated += n - 1;
			report.duplicatedCustomers += n - 1;
			report.problems.push(`HubSpot contact ${email} exists ${n} times`);
		}
	}
	return report;
}
