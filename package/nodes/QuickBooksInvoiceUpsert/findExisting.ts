/**
 * Finding the QuickBooks invoice a HubSpot invoice already has: by the link this sync writes
 * (the id written back to HubSpot as qbo_invoice_id, and "HubSpot invoice <id>" in PrivateNote),
 * then by DocNumber. When QuickBooks numbers the invoices itself there is no number of ours to
 * look for: the candidates are then the invoices of the execution's customers, and only the link
 * counts. One round of batched IN queries covers every invoice of the execution.
 */
import type { QueryCondition, QuickBooksClient } from '../shared/transport/quickbooks';
import { QUICKBOOKS_IN_CHUNK } from '../shared/transport/quickbooks';
import { chunk } from '../shared/collections';
import { linkedHubSpotIds } from '../shared/quickbooksInvoiceLink';

/** A QuickBooks Invoice as the API returns it. */
export type QuickBooksInvoice = Record<string, unknown>;

/**
 * Whose invoice this is: `ours` (linked to this HubSpot invoice), `none` (no link: typed in by
 * hand or made by another tool), `other` (linked to a different HubSpot invoice).
 */
export type LinkState = 'ours' | 'none' | 'other';

export interface ExistingMatch {
	invoice: QuickBooksInvoice;
	matchedBy: 'link' | 'docNumber';
	linkState: LinkState;
	/** HubSpot ids the invoice's PrivateNote links to. */
	linkedTo: string[];
}

export interface LookupKey {
	hubspotId: string;
	/** The DocNumber the invoice gets; '' when QuickBooks numbers it. */
	docNumber: string;
	/** The QuickBooks customer the invoice is for (Customer Resolve's). */
	customerId?: string;
	/** `qbo_invoice_id` written back by an earlier sync. */
	quickbooksInvoiceId?: string | null;
}

export interface LookupMode {
	/** QuickBooks numbers the invoices (Custom transaction numbers off): find them by the link only. */
	byLinkOnly: boolean;
}

const distinctValues = (values: Array<string | null | undefined>) => [...new Set(values.map((value) => value?.trim()).filter((value): value is string => Boolean(value)))];

/**
 * The IN queries for a set of invoices (QUICKBOOKS_IN_CHUNK values each): ids written back, then
 * DocNumbers, or the customers' invoices when there is no number of ours to look for.
 */
export function lookupQueries(keys: LookupKey[], mode: LookupMode = { byLinkOnly: false }): QueryCondition[][] {
	const inQueries = (field: string, values: string[]) => chunk(values, QUICKBOOKS_IN_CHUNK).map((group) => [{ field, op: 'IN' as const, value: group }]);
	return [
		...inQueries('Id', distinctValues(keys.map((key) => key.quickbooksInvoiceId))),
		...(mode.byLinkOnly ? inQueries('CustomerRef', distinctValues(keys.map((key) => key.customerId))) : inQueries('DocNumber', distinctValues(keys.map((key) => key.docNumber)))),
	];
}

/**
 * Every candidate invoice for the keys, in as few requests as QuickBooks' limits allow (the
 * transport keeps each /batch answer within QuickBooks' 1,000 objects and continues a query that
 * fills its share, so a cut-short answer is never read as "not found").
 */
export async function findExistingInvoices(client: QuickBooksClient, keys: LookupKey[], mode: LookupMode = { byLinkOnly: false }): Promise<QuickBooksInvoice[]> {
	const queries = lookupQueries(keys, mode);
	if (queries.length === 0) return [];
	const byId = new Map<string, QuickBooksInvoice>();
	for (const row of await client.queryMany<QuickBooksInvoice>('Invoice', queries)) if (row && row.Id !== undefined) byId.set(String(row.Id), row);
	return [...byId.values()];
}

/** Reads invoices by id (after a 6140 race or a stale SyncToken), in one request. */
export async function readInvoices(client: QuickBooksClient, ids: string[]): Promise<Map<string, QuickBooksInvoice>> {
	const result = new Map<string, QuickBooksInvoice>();
	for (const row of await client.findByValues<QuickBooksInvoice>('Invoice', 'Id', distinctValues(ids))) result.set(String(row.Id), row);
	return result;
}

export function linkStateOf(invoice: QuickBooksInvoice, hubspotId: string): { linkState: LinkState; linkedTo: string[] } {
	const linkedTo = linkedHubSpotIds(invoice.PrivateNote);
	if (linkedTo.includes(hubspotId)) return { linkState: 'ours', linkedTo };
	return { linkState: linkedTo.length ? 'other' : 'none', linkedTo };
}

/** QuickBooks treats DocNumbers that differ only in case as the same number (6140). */
function foldDocNumber(docNumber: unknown): string | undefined {
	return typeof docNumber === 'string' ? docNumber.trim().toLowerCase() : undefined;
}

/**
 * The candidates of one execution indexed once by id, linked HubSpot id and DocNumber, so matching
 * each of thousands of invoices is a few map reads instead of a scan (and a PrivateNote parse) of
 * every candidate. Each list keeps the candidates' order.
 */
export interface CandidateIndex {
	byId: Map<string, QuickBooksInvoice>;
	byLinkedHubSpotId: Map<string, QuickBooksInvoice[]>;
	byDocNumber: Map<string, QuickBooksInvoice[]>;
	byFoldedDocNumber: Map<string, QuickBooksInvoice[]>;
	linkedTo: Map<QuickBooksInvoice, string[]>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

export function indexCandidates(candidates: QuickBooksInvoice[]): CandidateIndex {
	const index: CandidateIndex = { byId: new Map(), byLinkedHubSpotId: new Map(), byDocNumber: new Map(), byFoldedDocNumber: new Map(), linkedTo: new Map() };
	for (const candidate of candidates) {
		const id = String(candidate.Id);
		if (!index.byId.has(id)) index.byId.set(id, candidate);
		const linkedTo = linkedHubSpotIds(candidate.PrivateNote);
		index.linkedTo.set(candidate, linkedTo);
		for (const hubspotId of new Set(linkedTo)) push(index.byLinkedHubSpotId, hubspotId, candidate);
		if (typeof candidate.DocNumber === 'string') {
			push(index.byDocNumber, candidate.DocNumber, candidate);
			push(index.byFoldedDocNumber, foldDocNumber(candidate.DocNumber)!, candidate);
		}
	}
	return index;
}

/**
 * The existing invoice for one HubSpot invoice among the candidates: the id written back, else
 * one whose PrivateNote links to it (preferring the same DocNumber), else the same DocNumber
 * (exact before case-insensitive; one linked to nothing before one linked elsewhere). Exact values
 * are re-checked here, whatever the query engine matched.
 */
export function matchExisting(key: LookupKey, candidates: CandidateIndex): ExistingMatch | undefined {
	const linkedToOf = (invoice: QuickBooksInvoice) => candidates.linkedTo.get(invoice) ?? linkedHubSpotIds(invoice.PrivateNote);
	const writtenBackId = key.quickbooksInvoiceId?.trim();
	const byId = writtenBackId ? candidates.byId.get(writtenBackId) : undefined;
	if (byId) return { invoice: byId, matchedBy: 'link', linkState: 'ours', linkedTo: linkedToOf(byId) };

	const folded = foldDocNumber(key.docNumber);
	const linked = candidates.byLinkedHubSpotId.get(key.hubspotId) ?? [];
	if (linked.length) {
		const best =
			linked.find((candidate) => candidate.DocNumber === key.docNumber) ??
			linked.find((candidate) => folded !== undefined && foldDocNumber(candidate.DocNumber) === folded) ??
			linked[0];
		return { invoice: best, matchedBy: 'link', linkState: 'ours', linkedTo: linkedToOf(best) };
	}
	// Without a number of ours (QuickBooks numbers the invoices) only the link identifies an invoice.
	if (!key.docNumber) return undefined;
	const exact = candidates.byDocNumber.get(key.docNumber) ?? [];
	const loose = exact.length ? exact : (folded !== undefined && candidates.byFoldedDocNumber.get(folded)) || [];
	if (loose.length === 0) return undefined;
	// None of these links to this HubSpot invoice (that would have matched above).
	const chosen = loose.find((candidate) => linkedToOf(candidate).length === 0) ?? loose[0];
	const linkedTo = linkedToOf(chosen);
	return { invoice: chosen, matchedBy: 'docNumber', linkState: linkedTo.length ? 'other' : 'none', linkedTo };
}
