/**
 * Recording what QuickBooks received as HubSpot payments (Payments in HubSpot: Record HubSpot
 * Payments) for the whole execution: payments are found again by their references before any is
 * created (searches of 100), created 100 per call and associated with their invoices.
 *
 * Every payment is announced on its invoice before it is recorded (`qbo_payments_recording`, the
 * total it brings the invoice to), and the final update, which shows QuickBooks' figures, clears
 * the announcement. A run stopped in between leaves it: the next run for that invoice, whichever
 * item comes first, looks for the announced payments in the same search as its own, records only
 * what QuickBooks received beyond them, and associates them with the invoice if the stopped run
 * did not get that far. An invoice item announces with a write it makes anyway (its content or
 * its opening); payment items announce in one batch update of their own per 100. Executions
 * running at the same time for one invoice are settled after the fact (paymentDuplicates.ts).
 */
import { chunk } from '../shared/collections';
import { SyncError } from '../shared/errors';
import { formatMicros, toMicros } from '../shared/money';
import type { HubSpotClient, HubSpotFilter, HubSpotObject } from '../shared/transport/hubspot';

import { SEARCH_IN_VALUES } from './findExisting';
import { linkOf } from './items';
import { archiveDuplicatePayments, PAYMENT_PROPERTIES } from './paymentDuplicates';
import { recordingTotals, stepReference, withInvoiceReference, withRecordingTotal } from './payments';
import { batchUpdateInvoices, failWork } from './refusals';
import type { Work } from './work';

const RECORDING = 'qbo_payments_recording';

/** Written on the invoice before its payment is recorded. */
export function recordingAnnouncement(work: Work): Record<string, string> {
	if (!work.paymentRecord) return {};
	return { [RECORDING]: withRecordingTotal(work.existing?.properties[RECORDING], work.paymentRecord.paidTo) };
}

/** Written with the final update: the figures it writes show the announced payments now. */
export function recordingCleared(work: Work): Record<string, string> {
	return work.paymentRecord || recordingTotals(work.existing?.properties[RECORDING]).length > 0 ? { [RECORDING]: '' } : {};
}

/** The payments a stopped run announced on the invoice: each total with the references its payment may carry. */
function announced(work: Work): Array<{ total: string; references: string[] }> {
	const quickbooksId = linkOf(work.item).quickbooksId ?? work.existing?.properties.qbo_invoice_id ?? '';
	return recordingTotals(work.existing?.properties[RECORDING]).map((total) => ({ total, references: [withInvoiceReference(quickbooksId, total), stepReference(quickbooksId, total)] }));
}

/** A payment item's announcement, in a batch update of its own per 100 invoices. */
export async function announcePayments(hubspot: HubSpotClient, works: Work[]): Promise<void> {
	await batchUpdateInvoices(hubspot, works, recordingAnnouncement);
}

/**
 * A new (or draft) invoice recording what QuickBooks was paid before it reached HubSpot is opened
 * first, with its lines in place: HubSpot marks an open invoice paid when its payments cover it.
 * Its status is then HubSpot's, read back by the final update.
 */
export async function openBeforePayments(hubspot: HubSpotClient, works: Work[]): Promise<void> {
	await batchUpdateInvoices(hubspot, works, (work) => ({ hs_invoice_status: 'open', ...recordingAnnouncement(work) }));
	for (const work of works) delete work.properties.hs_invoice_status;
}

function paymentProperties(work: Work): Record<string, string> {
	const record = work.paymentRecord!;
	const properties: Record<string, string> = { hs_initial_amount: record.amount, hs_initiated_date: `${record.date}T00:00:00.000Z`, hs_reference_number: record.reference };
	const currency = record.currency ?? work.existing?.properties.hs_currency;
	if (currency) properties.hs_currency_code = currency;
	return properties;
}

/** Reference → payment id, for those of `references` HubSpot holds; what was read of each goes into `seen`. */
async function findPayments(hubspot: HubSpotClient, references: string[], seen: Map<string, HubSpotObject['properties']>): Promise<Map<string, string>> {
	const found = new Map<string, string>();
	for (const group of chunk([...new Set(references)], SEARCH_IN_VALUES)) {
		const payments = await hubspot.searchAll('commerce_payments', {
			filterGroups: [{ filters: [{ propertyName: 'hs_reference_number', operator: 'IN', values: group } as HubSpotFilter] }],
			properties: PAYMENT_PROPERTIES,
		});
		for (const payment of payments) {
			seen.set(payment.id, payment.properties);
			if (payment.properties.hs_reference_number) found.set(payment.properties.hs_reference_number, payment.id);
		}
	}
	return found;
}

/**
 * Whether the work's payment is still to be created, with its amount: what QuickBooks received
 * beyond the largest total a stopped run recorded (its payment found), else beyond
 * `qbo_amount_paid` as planned.
 */
function stillToRecord(work: Work, found: Map<string, string>): boolean {
	const record = work.paymentRecord!;
	if (found.has(record.reference)) return false;
	const recordedTo = announced(work)
		.filter((entry) => entry.references.some((reference) => found.has(reference)))
		.reduce<bigint | undefined>((highest, entry) => (highest === undefined || toMicros(entry.total) > highest ? toMicros(entry.total) : highest), undefined);
	if (recordedTo === undefined) return true;
	const rest = toMicros(record.paidTo) - recordedTo;
	record.amount = formatMicros(rest > 0n ? rest : 0n);
	return rest > 0n;
}

/** The payments the invoice must carry: this run's, and those a stopped run recorded for it. */
function paymentIdsOf(work: Work, found: Map<string, string>): string[] {
	const references = [work.paymentRecord!.reference, ...announced(work).flatMap((entry) => entry.references)];
	return [...new Set(references.map((reference) => found.get(reference)).filter((id): id is string => !!id))];
}

/**
 * HubSpot payments for what QuickBooks received, associated with their invoices. Each is found
 * again by its reference first, so a re-run after a failure records none twice. An execution
 * running at the same time can still have created one for the same money: an invoice this run
 * created a payment for (or found announced by a stopped run, which may have stopped before
 * this check) keeps one payment per money (paymentDuplicates.ts). Should that check fail, the
 * item fails before its final update, so the announcement stays and the next run checks again.
 */
export async function recordPayments(hubspot: HubSpotClient, works: Work[]): Promise<void> {
	if (works.length === 0) return;
	try {
		const seen = new Map<string, HubSpotObject['properties']>();
		const found = await findPayments(hubspot, works.flatMap((work) => [work.paymentRecord!.reference, ...announced(work).flatMap((entry) => entry.references)]), seen);
		const toRecord = works.filter((work) => stillToRecord(work, found));
		// Works naming the same reference name the same money: one payment, which each associates.
		const toCreate = toRecord.filter((work, at) => toRecord.findIndex((other) => other.paymentRecord!.reference === work.paymentRecord!.reference) === at);
		for (const payment of await hubspot.batchCreate('commerce_payments', toCreate.map((work) => ({ properties: paymentProperties(work) })))) {
			found.set(payment.properties.hs_reference_number ?? '', payment.id);
			seen.set(payment.id, payment.properties);
		}
		if (toCreate.some((work) => !found.has(work.paymentRecord!.reference))) throw new SyncError('HUBSPOT_ERROR', { detail: 'HubSpot did not return every payment created' });
		const pairs = works.flatMap((work) => paymentIdsOf(work, found).map((fromId) => ({ fromId, toId: work.hubspotId! })));
		await hubspot.batchAssociateDefault('commerce_payments', 'invoices', pairs);
		const created = new Set(toCreate);
		const checked = works.filter((work) => created.has(work) || announced(work).length > 0);
		const archived = await archiveDuplicatePayments(hubspot, [...new Set(checked.map((work) => work.hubspotId!))], seen);
		for (const work of checked) if (archived.has(work.hubspotId!)) work.part.reason = archived.get(work.hubspotId!);
	} catch (error) {
		for (const work of works) failWork(work, error);
	}
}
