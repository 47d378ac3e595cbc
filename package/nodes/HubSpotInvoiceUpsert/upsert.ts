/**
 * The HubSpot Invoice Upsert's batch logic, for every item of the execution at once (no n8n types;
 * handed its client): find the linked HubSpot invoices in batched searches, decide per item, create
 * the new invoices as drafts with their associations (100 per call), create their line items
 * (100 per call), replace the lines of changed ones (their properties written first, so an invoice
 * HubSpot refuses keeps its lines), read the written invoices back as the HubSpot trigger would,
 * and set status, payment figures and the trigger's hash in one batch update per 100. HubSpot
 * payments for what QuickBooks received are announced on their invoices before they are recorded
 * (paymentWrites.ts), so a run stopped before the final update records nothing twice. An invoice
 * HubSpot refuses gets its own error and the others of its batch are written (refusals.ts); a new
 * invoice that cannot be finished is archived with its line items. A content update writes only
 * what differs from what HubSpot holds; on an invoice with payments a real change fails the item
 * (paidInvoices.ts).
 */
import { invoiceUrl } from '../HubSpotInvoiceTrigger/mapping';
import { portalOf, type Portal } from '../HubSpotInvoiceTrigger/portal';
import { chunk } from '../shared/collections';
import type { ValidInvoice, InvoiceOutcome } from '../shared/execution';
import type { SyncItem } from '../shared/invoiceContract';
import { SyncError } from '../shared/errors';
import type { HubSpotClient, HubSpotWriteInput } from '../shared/transport/hubspot';

import { findLinkedInvoices } from './findExisting';
import { compareLinesOfInvoicesWithPayments, refuseEditOfInvoiceWithPayments } from './paidInvoices';
import { changedProperties, invoiceCreateInput, contentProperties, lineItemInputs, sourceHashOf } from './payload';
import { announcePayments, openBeforePayments, recordingAnnouncement, recordingCleared, recordPayments } from './paymentWrites';
import { startedInQuickBooks, type PlanSettings } from './plan';
import { ensureUpsertProperties } from './properties';
import { checkTotal, invoiceFigures, triggerViews, type InvoiceFigures, type TriggerView } from './readBack';
import { batchUpdateInvoices, failWork, undoUnfinishedCreates, writeIsolating } from './refusals';
import { describeItem, linkOf, type ToHubSpotItem } from './items';
import { foldSameInvoicePayments, outputJson, planWork, replacesContent, type Work } from './work';

export type UpsertSettings = PlanSettings;

export interface UpsertClients {
	hubspot: HubSpotClient;
	now?: () => Date;
}

const BATCH = 100;

export async function upsertToHubSpot(clients: UpsertClients, inputs: Array<ValidInvoice<ToHubSpotItem>>, settings: UpsertSettings): Promise<Map<number, InvoiceOutcome>> {
	const { hubspot } = clients;
	const now = (clients.now ?? (() => new Date()))();
	await ensureUpsertProperties(hubspot);
	const portal = await portalOf(hubspot, {}, now.getTime());
	const links = inputs.map(({ item }) => linkOf(item));
	const linked = await findLinkedInvoices(
		hubspot,
		links.map((link) => link.quickbooksId).filter((id): id is string => !!id),
		links.map((link) => link.hubspotId).filter((id): id is string => !!id),
	);
	const works = inputs.map(({ index, item }) => planWork(index, item, linked, settings));
	foldSameInvoicePayments(works);
	const live = () => works.filter((work) => !work.error);
	await createInvoices(hubspot, live().filter((work) => work.kind === 'create'), portal?.timeZone);
	await readOldLineItems(hubspot, live().filter(replacesContent));
	await compareLinesOfInvoicesWithPayments(hubspot, live().filter(replacesContent));
	await writeContent(hubspot, live().filter(replacesContent), portal?.timeZone);
	await createLineItems(hubspot, live().filter((work) => work.kind === 'create' || (replacesContent(work) && !work.keepsLines)));
	await archiveOldLineItems(hubspot, live().filter((work) => work.replacedLineItemIds?.length));
	await openBeforePayments(hubspot, live().filter((work) => work.paymentRecord && (work.kind === 'create' || work.existing?.properties.hs_invoice_status === 'draft')));
	await announcePayments(hubspot, live().filter((work) => work.paymentRecord && work.kind === 'payment'));
	await recordPayments(hubspot, live().filter((work) => work.paymentRecord));
	await finalUpdate(hubspot, live(), portal, now);
	await undoUnfinishedCreates(hubspot, works);
	return new Map(works.map((work) => [work.index, outcomeOf(work, portal)] as const));
}

function outcomeOf(work: Work, portal: Portal | null): InvoiceOutcome {
	const error = work.error ?? work.recordedWith?.error;
	if (error) {
		return { error, failure: { invoice: describeItem(work.item), record: 'invoice' } };
	}
	return { json: outputJson(work, work.hubspotId ? invoiceUrl(portal, work.hubspotId) : null) };
}

function fail(works: Work[], error: unknown): void {
	for (const work of works) failWork(work, error);
}

/**
 * Drafts with their content and associations, 100 per call; the result's `qbo_invoice_id` says
 * which is which. `qbo_source_hash`, which says the content is complete, comes with the final update.
 */
async function createInvoices(hubspot: HubSpotClient, works: Work[], timeZone: string | null | undefined): Promise<void> {
	for (const group of chunk(works, BATCH)) {
		try {
			const created = await hubspot.batchCreate('invoices', group.map((work) => invoiceCreateInput(work.item as never, timeZone)));
			const byLink = new Map(created.map((invoice) => [invoice.properties.qbo_invoice_id ?? '', invoice.id] as const));
			for (const work of group) {
				const source = (work.item as { invoice: { source: { id: string } } }).invoice.source.id;
				work.hubspotId = byLink.get(source);
				work.properties.qbo_source_hash = sourceHashOf((work.item as { invoice: never }).invoice);
				if (!work.hubspotId) work.error = new SyncError('HUBSPOT_ERROR', { detail: `HubSpot did not return the invoice created for QuickBooks invoice ${source}` });
			}
		} catch (error) {
			fail(group, error);
		}
	}
}

/** The line items a content update replaces (v4 association reads, 1,000 invoices per call). */
async function readOldLineItems(hubspot: HubSpotClient, works: Work[]): Promise<void> {
	if (works.length === 0) return;
	try {
		const lineItems = await hubspot.batchReadAssociations('invoices', 'line_items', works.map((work) => work.hubspotId!));
		for (const work of works) work.replacedLineItemIds = lineItems.get(work.hubspotId!) ?? [];
	} catch (error) {
		fail(works, error);
	}
}

/**
 * A content update's write: only what differs from what HubSpot holds, and its status when that
 * moves now. An invoice with payments refuses changes (paidInvoices.ts).
 */
function contentWriteOf(work: Work, timeZone: string | null | undefined): void {
	const { qbo_source_hash: sourceHash, ...content } = contentProperties((work.item as { invoice: never }).invoice, timeZone);
	const { hs_invoice_status: status, ...rest } = work.properties;
	const held = work.existing?.properties ?? {};
	// A draft leaves draft only with its line items: that move waits for the final update.
	const statusNow = status !== undefined && held.hs_invoice_status !== 'draft';
	work.contentWrite = changedProperties({ ...content, ...rest, ...recordingAnnouncement(work) }, held, timeZone);
	if (statusNow && status !== held.hs_invoice_status) work.contentWrite.hs_invoice_status = status;
	work.properties = { qbo_source_hash: sourceHash, ...(statusNow || status === undefined ? {} : { hs_invoice_status: status }) };
	refuseEditOfInvoiceWithPayments(work, work.contentWrite);
}

/**
 * A content update's new properties and status, written before its lines are touched: an invoice
 * HubSpot refuses keeps its lines too. `qbo_source_hash` waits for the final update, so a run
 * stopped between the two is finished by the next.
 */
async function writeContent(hubspot: HubSpotClient, works: Work[], timeZone: string | null | undefined): Promise<void> {
	for (const work of works) contentWriteOf(work, timeZone);
	await batchUpdateInvoices(hubspot, works.filter((work) => !work.error && Object.keys(work.contentWrite!).length > 0), (work) => work.contentWrite!);
}

/** Line items, packed into calls of at most 100 without splitting an invoice's lines where it fits. */
function packLines(works: Work[]): Array<{ works: Work[]; inputs: HubSpotWriteInput[] }> {
	const packs: Array<{ works: Work[]; inputs: HubSpotWriteInput[] }> = [];
	for (const work of works) {
		const inputs = lineItemInputs(work.item as never, work.hubspotId!);
		const last = packs[packs.length - 1];
		if (last && last.inputs.length + inputs.length <= BATCH) {
			last.works.push(work);
			last.inputs.push(...inputs);
		} else packs.push({ works: [work], inputs });
	}
	return packs;
}

/** Line items, 100 per call; an invoice whose lines HubSpot refuses fails alone (its new invoice undone at the end). */
async function createLineItems(hubspot: HubSpotClient, works: Work[]): Promise<void> {
	const create = async (group: Work[]) => {
		await hubspot.batchCreate('line_items', group.flatMap((work) => lineItemInputs(work.item as never, work.hubspotId!)));
	};
	for (const pack of packLines(works)) await writeIsolating(pack.works, create);
}

async function archiveOldLineItems(hubspot: HubSpotClient, works: Work[]): Promise<void> {
	try {
		await hubspot.batchArchive('line_items', works.flatMap((work) => work.replacedLineItemIds ?? []));
	} catch (error) {
		// The new lines exist; the old ones stay associated. Report it: a re-run replaces them again.
		fail(works, error);
	}
}

/** Invoices that started in QuickBooks: the HubSpot trigger never emits them, so they need no hash. */
const startedHere = (work: Work) => work.kind === 'create' || (work.existing !== undefined && startedInQuickBooks(work.existing));

/** Reads `works` back with `read`; when the read fails, they fail. */
async function readBack<T>(works: Work[], read: (ids: string[]) => Promise<Map<string, T>>): Promise<Map<string, T>> {
	return await read(works.map((work) => work.hubspotId!)).catch((error) => {
		fail(works, error);
		return new Map<string, T>();
	});
}

/** Status, payment figures, sync time and the trigger's hash: one batch update per 100 invoices. */
async function finalUpdate(hubspot: HubSpotClient, works: Work[], portal: Portal | null, now: Date): Promise<void> {
	const reading = works.filter((work) => work.needsHash);
	const readingStartedHere = reading.filter(startedHere);
	const views = await readBack(reading.filter((work) => !startedHere(work)), (ids) => triggerViews(hubspot, ids, portal));
	const figures = await readBack(readingStartedHere, (ids) => invoiceFigures(hubspot, ids));
	checkTotals(works, new Map<string, InvoiceFigures>([...figures, ...views]));
	for (const work of readingStartedHere) {
		// A recorded payment: the status is whatever HubSpot made of it.
		work.status = work.status ?? figures.get(work.hubspotId!)?.status;
	}
	const writes = works.filter((work) => !work.error && (work.needsHash || Object.keys(work.properties).length > 0));
	for (const work of writes) addSyncProperties(work, views.get(work.hubspotId!), now);
	await batchUpdateInvoices(hubspot, writes, (work) => work.properties);
}

/**
 * An invoice whose content this run wrote fails when HubSpot's total is not QuickBooks' (no status,
 * no hash written); a difference HubSpot's per-line tax rounding explains syncs and is reported.
 */
function checkTotals(works: Work[], views: Map<string, InvoiceFigures>): void {
	for (const work of works) {
		if (work.error || !(work.kind === 'create' || replacesContent(work))) continue;
		// Only invoice items create or replace content.
		const item = work.item as SyncItem;
		const taxedLines = item.invoice.lines.filter((line, index) => item.hubspot?.lines?.[index]?.taxRateId ?? line.taxRateId).length;
		const check = checkTotal(item.invoice.number, item.invoice.totals?.total, views.get(work.hubspotId!), taxedLines);
		if (check.kind === 'mismatch') failWork(work, check.error);
		if (check.kind === 'rounding') {
			work.part.totalDifference = { hubspotTotal: check.hubspotTotal, quickbooksTotal: check.quickbooksTotal, reason: 'HubSpot rounds each line\'s tax, QuickBooks the invoice\'s' };
		}
	}
}

/**
 * The status and the trigger's hash for it. The hash is written when this run's content wins, or
 * when HubSpot holds no change the forward sync has not seen (else that change must still reach
 * QuickBooks, and the trigger must see it).
 */
function addSyncProperties(work: Work, view: TriggerView | undefined, now: Date): void {
	Object.assign(work.properties, work.paymentFigures, recordingCleared(work));
	if (work.kind !== 'payment') {
		work.properties.qbo_sync_status = work.status === 'voided' ? 'voided' : 'synced';
		if (work.status && work.kind === 'create') work.properties.hs_invoice_status = work.status;
	}
	work.properties.qbo_synced_at = now.toISOString();
	if (!work.needsHash || !view) return;
	// A recorded payment: the status is whatever HubSpot made of it.
	work.status = work.status ?? view.status;
	// Unchanged in HubSpot since the forward sync saw it: the stored hash is the invoice's before this run.
	const before = work.existing?.properties.hs_invoice_status;
	const seenByForwardSync = view.storedHash === (before ? view.hashWithStatus(before) : view.currentHash);
	if (work.ownsContent || work.kind === 'create' || seenByForwardSync) {
		work.properties.qbo_sync_hash = view.hashWithStatus(work.status);
	} else {
		work.part.reason = 'HubSpot holds changes not yet synced to QuickBooks: the HubSpot → QuickBooks sync takes them';
	}
}
