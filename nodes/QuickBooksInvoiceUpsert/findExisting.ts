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
function sameDocNumber(a: unknown, b: string): boolean {
	return typeof a === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The existing invoice for one HubSpot invoice among the candidates: the id written back, else
 * one whose PrivateNote links to it (preferring the same DocNumber), else the same DocNumber
 * (exact before case-insensitive; one linked to us before others). Exact values are re-checked
 * here, whatever the query engine matched.
 */
export function matchExisting(key: LookupKey, candidates: QuickBooksInvoice[]): ExistingMatch | undefined {
	const writtenBackId = key.quickbooksInvoiceId?.trim();
	if (writtenBackId) {
		const byId = candidates.find((candidate) => String(candidate.Id) === writtenBackId);
		if (byId) return { invoice: byId, matchedBy: 'link', linkState: 'ours', linkedTo: linkedHubSpotIds(byId.PrivateNote) };
	}
	const linked = candidates.filter((candidate) => linkStateOf(candidate, key.hubspotId).linkState === 'ours');
	if (linked.length) {
		const best = linked.find((candidate) => candidate.DocNumber === key.docNumber) ?? linked.find((candidate) => sameDocNumber(candidate.DocNumber, key.docNumber)) ?? linked[0];
		return { invoice: best, matchedBy: 'link', linkState: 'ours', linkedTo: linkedHubSpotIds(best.PrivateNote) };
	}
	const exact = candidates.filter((candidate) => candidate.DocNumber === key.docNumber);
	const loose = exact.length ? exact : candidates.filter((candidate) => sameDocNumber(candidate.DocNumber, key.docNumber));
	if (loose.length === 0) return undefined;
	const unlinked = loose.find((candidate) => linkStateOf(candidate, key.hubspotId).linkState === 'none');
	const chosen = unlinked ?? loose[0];
	return { invoice: chosen, matchedBy: 'docNumber', ...linkStateOf(chosen, key.hubspotId) };
}
