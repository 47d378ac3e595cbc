/**
 * Finding the QuickBooks invoice a HubSpot invoice already has: by the link this sync writes
 * (the id written back to HubSpot as qbo_invoice_id, and "HubSpot invoice <id>" in PrivateNote),
 * then by DocNumber. One round of batched IN queries covers every invoice of the execution.
 */
import type { QueryCondition, QuickBooksClient } from '../shared/transport/quickbooks';
import { QUICKBOOKS_IN_CHUNK } from '../shared/transport/quickbooks';
import { chunk } from '../shared/transport/retry';
import { linkedHubSpotIds } from './payload';

/** A QuickBooks Invoice as the API returns it. */
export type QuickBooksInvoice = Record<string, any>;

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
	docNumber: string;
	/** `qbo_invoice_id` written back by an earlier sync. */
	quickbooksInvoiceId?: string | null;
}

/** The IN queries for a set of invoices: ids written back, then DocNumbers, 100 values each. */
export function lookupQueries(keys: LookupKey[]): QueryCondition[][] {
	const ids = [...new Set(keys.map((key) => key.quickbooksInvoiceId?.trim()).filter((id): id is string => Boolean(id)))];
	const docNumbers = [...new Set(keys.map((key) => key.docNumber).filter(Boolean))];
	return [
		...chunk(ids, QUICKBOOKS_IN_CHUNK).map((group) => [{ field: 'Id', op: 'IN' as const, value: group }]),
		...chunk(docNumbers, QUICKBOOKS_IN_CHUNK).map((group) => [{ field: 'DocNumber', op: 'IN' as const, value: group }]),
	];
}

/** Every candidate invoice for the keys, in one request (/query, or /batch of up to 30 queries). */
export async function findExistingInvoices(client: QuickBooksClient, keys: LookupKey[]): Promise<QuickBooksInvoice[]> {
	const queries = lookupQueries(keys);
	if (queries.length === 0) return [];
	const rows = await client.queryMany<QuickBooksInvoice>('Invoice', queries);
	const byId = new Map<string, QuickBooksInvoice>();
	for (const row of rows) if (row && row.Id !== undefined) byId.set(String(row.Id), row);
	return [...byId.values()];
}

/** Reads invoices by id (after a 6140 race or a stale SyncToken), in one request. */
export async function readInvoices(client: QuickBooksClient, ids: string[]): Promise<Map<string, QuickBooksInvoice>> {
	const distinct = [...new Set(ids)];
	const result = new Map<string, QuickBooksInvoice>();
	if (distinct.length === 0) return result;
	const queries = chunk(distinct, QUICKBOOKS_IN_CHUNK).map((group) => [{ field: 'Id', op: 'IN' as const, value: group }]);
	for (const row of await client.queryMany<QuickBooksInvoice>('Invoice', queries)) result.set(String(row.Id), row);
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
	const exact = candidates.byDocNumber.get(key.docNumber) ?? [];
	const loose = exact.length ? exact : (folded !== undefined && candidates.byFoldedDocNumber.get(folded)) || [];
	if (loose.length === 0) return undefined;
	// None of these links to this HubSpot invoice (that would have matched above).
	const chosen = loose.find((candidate) => linkedToOf(candidate).length === 0) ?? loose[0];
	const linkedTo = linkedToOf(chosen);
	return { invoice: chosen, matchedBy: 'docNumber', linkState: linkedTo.length ? 'other' : 'none', linkedTo };
}
