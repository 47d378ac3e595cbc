/**
 * What one poll does, without n8n: scan the invoices changed since the cursor (HubSpot search,
 * 200 per page, ascending), read everything they refer to in batches (v4 associations, then
 * line items, contacts and companies 100 per call), map them to canonical invoices, apply the loop
 * guard, and compute the next cursor.
 *
 * Paging is by keyset, not offset: every page is a fresh search from the last timestamp processed
 * (`GTE`, already-processed ids skipped). An offset (`after`) is fragile twice over: HubSpot refuses
 * to page past 10,000 results, and an invoice modified while we page moves to the end of the
 * result list and shifts every later one back by a place, so the next offset page would skip an
 * invoice. A fresh search per page costs the same one call and moves the window every page.
 * Only when a whole page shares one timestamp does it page through that millisecond by record id.
 */
import type { HubSpotFilter, HubSpotObject, HubSpotSearchPage, HubSpotSearchRequest } from '../shared/transport/hubspot';
import type { InvoiceStatus, TriggerSummary } from '../shared/invoiceContract';

import { allSettledOrThrow } from '../shared/collections';

import { batchReadLabeledAssociations } from './associations';
import { advanceCursor, alreadySeen, type CursorProperty, type CursorState, windowStart } from './cursor';
import { loopGuard, type LoopGuardSkip } from './loopGuard';
import {
	ADJUSTMENT_PROPERTIES,
	COMPANY_PROPERTIES,
	CONTACT_PROPERTIES,
	INVOICE_PROPERTIES,
	LINE_ITEM_PROPERTIES,
	compareIds,
	mapInvoice,
	toEpochMs,
	type InvoiceRecords,
	type MappedInvoice,
	type MappingContext,
} from './mapping';

export const ALL_STATUSES: InvoiceStatus[] = ['draft', 'open', 'paid', 'voided'];
export const SEARCH_PAGE_SIZE = 200;
/** Invoices read together: the v4 association batch read takes up to 1,000 ids. */
export const READ_CHUNK_SIZE = 1000;
/** HubSpot serves property history for fewer records per call than plain reads; 50 is safe. */
const HISTORY_BATCH_SIZE = 50;

/** The HubSpot calls the feed needs (HubSpotClient implements them). */
export interface InvoiceApi {
	search(objectType: string, body: HubSpotSearchRequest): Promise<HubSpotSearchPage>;
	batchRead(objectType: string, ids: Iterable<string>, properties: string[]): Promise<{ results: Map<string, HubSpotObject>; missingIds: string[] }>;
	batchReadAssociations(fromType: string, toType: string, ids: Iterable<string>): Promise<Map<string, string[]>>;
	request<T>(method: 'POST', path: string, options: { body?: unknown }): Promise<T>;
}

export type TriggerEvent = 'createdOrUpdated' | 'created' | 'updated' | 'statusChanged';

export interface FeedOptions {
	event: TriggerEvent;
	/** Statuses to emit (for statusChanged: the statuses a change must lead to). Empty = all. */
	statuses: InvoiceStatus[];
	/** The loop guard: skip invoices made by `integrationSources` and unchanged since this sync's write-back. */
	skipIntegrationSource: boolean;
	/** Invoice Source values (or labels) of integrations whose invoices are skipped. */
	integrationSources: string[];
	/** Association labels that mark the billing contact. */
	billingContactLabels?: string[];
	/** Extra invoice properties to read and emit under `hubspotProperties`. */
	extraProperties: string[];
	/** Most invoices read in full per run; the rest wait for the next poll. */
	maxInvoices: number;
	lookbackMs: number;
	portal?: MappingContext['portal'];
	/** Returns true once the poll should stop starting new searches (n8n's poll budget). */
	outOfTime?: () => boolean;
	/**
	 * Emit invoices whose last sync failed even when their content is unchanged (manual runs and
	 * the backfill template: "retry the failed sync" after fixing QuickBooks). Polls never do, or
	 * the failure's own write-back would re-trigger it forever.
	 */
	retryFailed?: boolean;
}

export interface FeedItem {
	invoice: MappedInvoice['invoice'];
	error?: MappedInvoice['error'];
	hubspotProperties?: Record<string, string | null>;
	/** Manual runs: what was skipped and why, on the first item (see runs.ts manualOutput). */
	triggerSummary?: TriggerSummary;
}

export interface FeedStats {
	searches: number;
	scanned: number;
	emitted: number;
	skippedIntegrationSource: number;
	/** Invoice Source value → invoices skipped for it. */
	skippedSources: Record<string, number>;
	skippedAlreadySynced: number;
	/** Started in QuickBooks (`qbo_origin` = quickbooks): content comes from QuickBooks. */
	skippedStartedInQuickBooks: number;
	skippedStatusUnchanged: number;
	/** False when the run stopped early (max invoices, time budget): the next poll continues. */
	complete: boolean;
}

export interface PollOutcome {
	items: FeedItem[];
	state: CursorState;
	stats: FeedStats;
}

export function cursorPropertyFor(event: TriggerEvent): CursorProperty {
	return event === 'created' ? 'hs_createdate' : 'hs_lastmodifieddate';
}

function statusFilters(statuses: InvoiceStatus[]): HubSpotFilter[] {
	const distinct = [...new Set(statuses)];
	if (distinct.length === 0 || ALL_STATUSES.every((status) => distinct.includes(status))) return [];
	return [{ propertyName: 'hs_invoice_status', operator: 'IN', values: distinct } as HubSpotFilter];
}

function eventFilters(options: FeedOptions, fromMs: number): HubSpotFilter[] {
	const filters = statusFilters(options.statuses);
	// "Updated" leaves out invoices created inside the window: "Invoice Created" reports those.
	if (options.event === 'updated') filters.push({ propertyName: 'hs_createdate', operator: 'LT', value: String(fromMs) } as HubSpotFilter);
	return filters;
}

function invoiceProperties(options: FeedOptions): string[] {
	return [...new Set([...INVOICE_PROPERTIES, ...options.extraProperties])];
}

interface ScannedInvoice {
	invoice: HubSpotObject;
	timestampMs: number;
	/** When this invoice was processed before (lookback window), else undefined. */
	previouslySeenMs?: number;
	/** Needs a full read (not skipped on its own properties). */
	read: boolean;
	/** Why the loop guard skips it (known from the search result). */
	skipped?: LoopGuardSkip;
}

interface ScanResult {
	scanned: ScannedInvoice[];
	lastProcessedMs: number;
	complete: boolean;
	searches: number;
}

/**
 * One scan search: from the window start by timestamp, or, while paging through the single
 * millisecond `windowMs` (`idAfter` set), by record id after `idAfter`.
 */
function scanSearch(property: CursorProperty, operator: 'GTE' | 'GT', windowMs: number, idAfter: string | undefined, filters: HubSpotFilter[]): HubSpotSearchRequest {
	if (idAfter === undefined) {
		return {
			filterGroups: [{ filters: [{ propertyName: property, operator, value: String(windowMs) } as HubSpotFilter, ...filters] }],
			sorts: [{ propertyName: property, direction: 'ASCENDING' }],
		};
	}
	return {
		filterGroups: [
			{
				filters: [
					{ propertyName: property, operator: 'EQ', value: String(windowMs) } as HubSpotFilter,
					{ propertyName: 'hs_object_id', operator: 'GT', value: idAfter } as HubSpotFilter,
					...filters,
				],
			},
		],
		sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
	};
}

/**
 * Scans invoices with `property >= fromMs` in ascending order, skipping those in `seen`, until
 * `maxReads` invoices need a full read or nothing is left. Mutates `seen`.
 */
export async function scanInvoices(
	api: InvoiceApi,
	options: FeedOptions,
	property: CursorProperty,
	fromMs: number,
	seen: Record<string, number>,
	maxReads: number,
): Promise<ScanResult> {
	const filters = eventFilters(options, fromMs);
	const properties = invoiceProperties(options);
	const scanned: ScannedInvoice[] = [];
	let windowMs = fromMs;
	let operator: 'GTE' | 'GT' = 'GTE';
	/** Set while paging through a single millisecond by record id. */
	let idAfter: string | undefined;
	let reads = 0;
	let searches = 0;
	for (;;) {
		if (searches > 0 && options.outOfTime?.()) return { scanned, lastProcessedMs: windowMs, complete: false, searches };
		const body = scanSearch(property, operator, windowMs, idAfter, filters);
		const page = await api.search('invoices', { ...body, properties, limit: SEARCH_PAGE_SIZE });
		searches++;
		const pageStartMs = windowMs;
		for (const invoice of page.results) {
			const timestampMs = toEpochMs(invoice.properties[property]);
			if (!Number.isFinite(timestampMs)) continue;
			if (idAfter !== undefined) idAfter = compareIds(invoice.id, idAfter) > 0 ? invoice.id : idAfter;
			if (alreadySeen(seen, invoice.id, timestampMs)) {
				// Seen ones move the window too: a page of only seen invoices (after a large write-back,
				// inside the lookback) would otherwise be searched again and again.
				if (timestampMs > windowMs) windowMs = timestampMs;
				continue;
			}
			const skipped = loopGuard(invoice, options);
			const read = skipped === undefined;
			if (read && reads >= maxReads) return { scanned, lastProcessedMs: windowMs, complete: false, searches };
			if (read) reads++;
			scanned.push({ invoice, timestampMs, previouslySeenMs: seen[invoice.id], read, skipped });
			seen[invoice.id] = timestampMs;
			if (timestampMs > windowMs) windowMs = timestampMs;
		}
		if (page.nextAfter === undefined || page.results.length === 0) {
			if (idAfter === undefined) return { scanned, lastProcessedMs: windowMs, complete: true, searches };
			// Every invoice at this millisecond is done: carry on after it.
			idAfter = undefined;
			operator = 'GT';
			continue;
		}
		if (idAfter !== undefined) continue;
		if (windowMs > pageStartMs) {
			operator = 'GTE';
			continue;
		}
		// A full page without progress: more invoices share this millisecond than fit a page.
		idAfter = '0';
	}
}

/**
 * Contacts and companies read so far in one poll: invoices of later chunks often bill the same
 * customers, and reading them again would cost a batch call per chunk.
 */
export interface CustomerRecordCache {
	contacts: Map<string, HubSpotObject>;
	companies: Map<string, HubSpotObject>;
}

export function emptyCustomerRecordCache(): CustomerRecordCache {
	return { contacts: new Map(), companies: new Map() };
}

/** Reads into `known` the objects it does not hold yet; ids HubSpot does not return stay absent. */
async function readMissing(api: InvoiceApi, objectType: string, ids: string[], properties: string[], known: Map<string, HubSpotObject>): Promise<void> {
	const missing = ids.filter((id) => !known.has(id));
	if (missing.length === 0) return;
	for (const [id, object] of (await api.batchRead(objectType, missing, properties)).results) known.set(id, object);
}

/** True unless HubSpot says the invoice's total for these adjustments is zero (then none is associated). */
function mayHaveAdjustments(invoice: HubSpotObject, totalProperty: string): boolean {
	const total = invoice.properties[totalProperty];
	return total === null || total === undefined || total.trim() === '' || Number(total) !== 0;
}

/**
 * Reads associations, line items, contacts, companies, discounts and fees for a chunk of invoices:
 * a few batch calls. Contacts and companies already in `customers` (from earlier chunks) are not
 * read again; discounts and fees only for invoices whose totals say they may have some.
 */
export async function readInvoiceRecords(api: InvoiceApi, invoices: HubSpotObject[], customers: CustomerRecordCache = emptyCustomerRecordCache()): Promise<InvoiceRecords[]> {
	const ids = invoices.map((invoice) => invoice.id);
	const withDiscounts = invoices.filter((invoice) => mayHaveAdjustments(invoice, 'hs_discounts_total')).map((invoice) => invoice.id);
	const withFees = invoices.filter((invoice) => mayHaveAdjustments(invoice, 'hs_fees_total')).map((invoice) => invoice.id);
	const [contactsByInvoice, companyIdsByInvoice, lineItemIdsByInvoice, discountIdsByInvoice, feeIdsByInvoice] = await allSettledOrThrow([
		batchReadLabeledAssociations(api, 'invoices', 'contacts', ids),
		api.batchReadAssociations('invoices', 'companies', ids),
		api.batchReadAssociations('invoices', 'line_items', ids),
		withDiscounts.length ? api.batchReadAssociations('invoices', 'discounts', withDiscounts) : Promise.resolve(new Map<string, string[]>()),
		withFees.length ? api.batchReadAssociations('invoices', 'fees', withFees) : Promise.resolve(new Map<string, string[]>()),
	] as const);
	const all = (byInvoice: Map<string, string[]>) => [...new Set([...byInvoice.values()].flat())];
	const contactIdsByInvoice = new Map([...contactsByInvoice].map(([id, contacts]) => [id, contacts.map((contact) => contact.id)]));
	const [lineItems, discounts, fees] = await allSettledOrThrow([
		api.batchRead('line_items', all(lineItemIdsByInvoice), LINE_ITEM_PROPERTIES),
		api.batchRead('discounts', all(discountIdsByInvoice), ADJUSTMENT_PROPERTIES),
		api.batchRead('fees', all(feeIdsByInvoice), ADJUSTMENT_PROPERTIES),
		readMissing(api, 'contacts', all(contactIdsByInvoice), CONTACT_PROPERTIES, customers.contacts),
		readMissing(api, 'companies', all(companyIdsByInvoice), COMPANY_PROPERTIES, customers.companies),
	] as const);
	return invoices.map((invoice) => {
		const contacts = contactsByInvoice.get(invoice.id) ?? [];
		return {
			invoice,
			contactIds: [...new Set(contacts.map((contact) => contact.id))],
			contactLabels: new Map(contacts.filter((contact) => contact.labels.length).map((contact) => [contact.id, contact.labels])),
			companyIds: [...new Set(companyIdsByInvoice.get(invoice.id) ?? [])],
			lineItemIds: [...new Set(lineItemIdsByInvoice.get(invoice.id) ?? [])],
			discountIds: [...new Set(discountIdsByInvoice.get(invoice.id) ?? [])],
			feeIds: [...new Set(feeIdsByInvoice.get(invoice.id) ?? [])],
			contacts: customers.contacts,
			companies: customers.companies,
			lineItems: lineItems.results,
			discounts: discounts.results,
			fees: fees.results,
		};
	});
}

/**
 * When each invoice's current status was set (property history, 50 invoices per call); an
 * invoice HubSpot returns no history for is left out.
 */
export async function statusChangeTimes(api: InvoiceApi, ids: string[]): Promise<Map<string, number>> {
	const times = new Map<string, number>();
	for (let index = 0; index < ids.length; index += HISTORY_BATCH_SIZE) {
		const group = ids.slice(index, index + HISTORY_BATCH_SIZE);
		const response = await api.request<{ results?: Array<HubSpotObject & { propertiesWithHistory?: Record<string, Array<{ value: string | null; timestamp: string }>> }> }>(
			'POST',
			'/crm/v3/objects/invoices/batch/read',
			{ body: { inputs: group.map((id) => ({ id })), properties: ['hs_invoice_status'], propertiesWithHistory: ['hs_invoice_status'] } },
		);
		for (const result of response.results ?? []) {
			const history = result.propertiesWithHistory?.hs_invoice_status;
			if (!history?.length) continue;
			const current = result.properties?.hs_invoice_status ?? history[0].value;
			// History is newest first; the change to the current value is the newest entry holding it
			// before an entry with a different value.
			let changedAt = Number.NaN;
			for (const entry of history) {
				if (entry.value !== current) break;
				changedAt = toEpochMs(entry.timestamp);
			}
			if (Number.isFinite(changedAt)) times.set(String(result.id), changedAt);
		}
	}
	return times;
}

function extraPropertiesOf(invoice: HubSpotObject, names: string[]): Record<string, string | null> {
	const values: Record<string, string | null> = {};
	for (const name of names) values[name] = invoice.properties[name] ?? null;
	return values;
}

interface EmitDecision {
	fromMs: number;
	statusChangedAt?: Map<string, number>;
}

/**
 * Reads and maps the scanned invoices that need it, in chunks, applying the loop guard. Takes
 * `scanned` over (empties it): HubSpot's objects are dropped chunk by chunk as they are mapped, so
 * a poll of 10,000 invoices does not hold them all until the end.
 */
async function readAndMap(api: InvoiceApi, options: FeedOptions, scanned: ScannedInvoice[], stats: FeedStats, decision: EmitDecision | undefined): Promise<FeedItem[]> {
	const items: FeedItem[] = [];
	const toRead = scanned.filter((entry) => {
		if (entry.skipped) countSkip(stats, entry.skipped);
		return entry.read;
	});
	scanned.length = 0;
	const customers = emptyCustomerRecordCache();
	while (toRead.length) {
		let chunk = toRead.splice(0, READ_CHUNK_SIZE);
		if (decision && options.event === 'statusChanged') {
			const changedAt = await statusChangeTimes(api, chunk.map((entry) => entry.invoice.id));
			chunk = chunk.filter((entry) => {
				// Without history (not returned), the modification time stands in for the change time.
				const at = changedAt.get(entry.invoice.id) ?? toEpochMs(entry.invoice.properties.hs_lastmodifieddate);
				const changedSinceSeen = at >= decision.fromMs && !(entry.previouslySeenMs !== undefined && entry.previouslySeenMs >= at);
				if (!changedSinceSeen) stats.skippedStatusUnchanged++;
				return changedSinceSeen;
			});
			if (chunk.length === 0) continue;
		}
		const records = await readInvoiceRecords(
			api,
			chunk.map((entry) => entry.invoice),
			customers,
		);
		for (const record of records) {
			const mapped = mapInvoice(record, { portal: options.portal, billingContactLabels: options.billingContactLabels });
			const skip = loopGuard(record.invoice, options, mapped);
			if (skip) {
				countSkip(stats, skip);
				continue;
			}
			const item: FeedItem = { invoice: mapped.invoice };
			if (options.extraProperties.length) item.hubspotProperties = extraPropertiesOf(record.invoice, options.extraProperties);
			if (mapped.error) item.error = mapped.error;
			items.push(item);
		}
	}
	stats.emitted = items.length;
	return items;
}

function emptyStats(): FeedStats {
	return { searches: 0, scanned: 0, emitted: 0, skippedIntegrationSource: 0, skippedSources: {}, skippedAlreadySynced: 0, skippedStartedInQuickBooks: 0, skippedStatusUnchanged: 0, complete: true };
}

function countSkip(stats: FeedStats, skip: LoopGuardSkip): void {
	if (skip.reason === 'alreadySynced') stats.skippedAlreadySynced++;
	else if (skip.reason === 'startedInQuickBooks') stats.skippedStartedInQuickBooks++;
	else {
		stats.skippedIntegrationSource++;
		stats.skippedSources[skip.source] = (stats.skippedSources[skip.source] ?? 0) + 1;
	}
}

/** One scheduled poll: everything since the cursor (bounded by maxInvoices), and the next cursor. */
export async function pollInvoices(api: InvoiceApi, options: FeedOptions, state: CursorState, now: number): Promise<PollOutcome> {
	const fromMs = windowStart(state, options.lookbackMs);
	const seen = { ...state.seen };
	const scan = await scanInvoices(api, options, state.property, fromMs, seen, options.maxInvoices);
	const stats = { ...emptyStats(), searches: scan.searches, scanned: scan.scanned.length, complete: scan.complete };
	const items = await readAndMap(api, options, scan.scanned, stats, { fromMs });
	return { items, stats, state: advanceCursor(state, seen, scan.lastProcessedMs, now, options.lookbackMs) };
}

/** Manual run with "Backfill Since": every matching invoice since then (up to maxInvoices); no cursor. */
export async function backfillInvoices(api: InvoiceApi, options: FeedOptions, sinceMs: number): Promise<{ items: FeedItem[]; stats: FeedStats }> {
	const scan = await scanInvoices(api, options, cursorPropertyFor(options.event), sinceMs, {}, options.maxInvoices);
	const stats = { ...emptyStats(), searches: scan.searches, scanned: scan.scanned.length, complete: scan.complete };
	const items = await readAndMap(api, options, scan.scanned, stats, { fromMs: sinceMs });
	return { items, stats };
}

/** True when the invoice's status is one of `statuses` (every status when empty), as the poll's search filter. */
export function hasWantedStatus(invoice: HubSpotObject, statuses: InvoiceStatus[]): boolean {
	return statuses.length === 0 || statuses.includes(invoice.properties.hs_invoice_status as InvoiceStatus);
}

/**
 * Reads and maps invoices by id (the trigger's redelivery, the webhook trigger's events), the loop
 * guard applied; missing ids are left out, and so are invoices `keep` refuses (before anything
 * else is read for them).
 */
export async function readInvoicesByIds(api: InvoiceApi, options: FeedOptions, ids: string[], keep: (invoice: HubSpotObject) => boolean = () => true): Promise<FeedItem[]> {
	const { results } = await api.batchRead('invoices', ids, invoiceProperties(options));
	const scanned = [...results.values()].filter(keep).map((invoice) => ({ invoice, timestampMs: toEpochMs(invoice.properties.hs_lastmodifieddate), read: true }));
	return await readAndMap(api, options, scanned, emptyStats(), undefined);
}

/** Manual run without a backfill date: the most recent matching invoice(s), newest first. */
export async function latestInvoices(api: InvoiceApi, options: FeedOptions, limit: number): Promise<{ items: FeedItem[]; stats: FeedStats }> {
	const property = cursorPropertyFor(options.event);
	const filters = statusFilters(options.statuses);
	const page = await api.search('invoices', {
		filterGroups: filters.length ? [{ filters }] : [],
		sorts: [{ propertyName: property, direction: 'DESCENDING' }],
		properties: invoiceProperties(options),
		limit: Math.min(SEARCH_PAGE_SIZE, Math.max(20, limit * 5)),
	});
	const stats = { ...emptyStats(), searches: 1, scanned: page.results.length };
	const candidates = page.results.map((invoice) => {
		const skipped = loopGuard(invoice, options);
		return { invoice, timestampMs: toEpochMs(invoice.properties[property]), read: skipped === undefined, skipped };
	});
	for (const entry of candidates) if (entry.skipped) countSkip(stats, entry.skipped);
	const readable = candidates.filter((entry) => entry.read);
	const items: FeedItem[] = [];
	// Read only as many as needed; read more only when the loop guard skipped some.
	for (let index = 0; index < readable.length && items.length < limit; ) {
		const chunk = readable.slice(index, index + (limit - items.length));
		index += chunk.length;
		const chunkStats = emptyStats();
		items.push(...(await readAndMap(api, { ...options, event: 'createdOrUpdated' }, chunk, chunkStats, undefined)));
		stats.skippedAlreadySynced += chunkStats.skippedAlreadySynced;
	}
	stats.emitted = items.length;
	return { items, stats };
}

/**
 * The first poll without a backfill date starts after the newest invoices HubSpot has now: nothing
 * existing is emitted, and HubSpot's own clock sets the start, so a skewed local clock cannot drop
 * the first changes. Every invoice at that newest millisecond is returned (usually one search; more
 * only when over 200 share it), so none of them is emitted by the next poll.
 */
export async function newestInvoices(api: InvoiceApi, property: CursorProperty): Promise<{ timestampMs: number; ids: string[] } | undefined> {
	const page = await api.search('invoices', {
		filterGroups: [],
		sorts: [{ propertyName: property, direction: 'DESCENDING' }],
		properties: [property],
		limit: SEARCH_PAGE_SIZE,
	});
	const newest = page.results.find((invoice) => Number.isFinite(toEpochMs(invoice.properties[property])));
	if (!newest) return undefined;
	const timestampMs = toEpochMs(newest.properties[property]);
	const ids = page.results.filter((invoice) => toEpochMs(invoice.properties[property]) === timestampMs).map((invoice) => invoice.id);
	if (ids.length < page.results.length || page.nextAfter === undefined) return { timestampMs, ids };
	// The whole page shares the newest millisecond: page through it by record id.
	const all = new Set<string>();
	let idAfter = '0';
	for (;;) {
		const byId = await api.search('invoices', {
			filterGroups: [
				{
					filters: [
						{ propertyName: property, operator: 'EQ', value: String(timestampMs) } as HubSpotFilter,
						{ propertyName: 'hs_object_id', operator: 'GT', value: idAfter } as HubSpotFilter,
					],
				},
			],
			sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
			properties: [property],
			limit: SEARCH_PAGE_SIZE,
		});
		for (const invoice of byId.results) {
			all.add(invoice.id);
			if (compareIds(invoice.id, idAfter) > 0) idAfter = invoice.id;
		}
		if (byId.nextAfter === undefined || byId.results.length === 0) return { timestampMs, ids: [...all] };
	}
}
