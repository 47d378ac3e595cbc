/**
 * Finds the HubSpot invoices linked to QuickBooks invoices, for the whole execution at once: one
 * search per 100 QuickBooks ids (`qbo_invoice_id` IN …, the link both directions write), then one
 * batch read per 100 for the HubSpot ids QuickBooks itself names (an invoice synced from HubSpot
 * without the write-back carries no `qbo_invoice_id`, but its QuickBooks invoice names it).
 */
import { chunk } from '../shared/collections';
import type { HubSpotClient, HubSpotFilter, HubSpotObject } from '../shared/transport/hubspot';

import { EXISTING_INVOICE_PROPERTIES } from './properties';

/** Values per IN filter: HubSpot's search takes up to 100 values in one IN filter. */
export const SEARCH_IN_VALUES = 100;

export type LinkFinder = Pick<HubSpotClient, 'searchAll' | 'batchRead'>;

export interface LinkedInvoices {
	/** QuickBooks invoice id → the HubSpot invoices carrying it in `qbo_invoice_id`. */
	byQuickBooksId: Map<string, HubSpotObject[]>;
	/** HubSpot invoices read by id (those QuickBooks names), archived or unknown ones absent. */
	byHubSpotId: Map<string, HubSpotObject>;
}

export async function findLinkedInvoices(client: LinkFinder, quickbooksIds: Iterable<string>, hubspotIds: Iterable<string>): Promise<LinkedInvoices> {
	const byQuickBooksId = new Map<string, HubSpotObject[]>();
	for (const group of chunk([...new Set(quickbooksIds)], SEARCH_IN_VALUES)) {
		const found = await client.searchAll('invoices', {
			filterGroups: [{ filters: [{ propertyName: 'qbo_invoice_id', operator: 'IN', values: group } as HubSpotFilter] }],
			properties: EXISTING_INVOICE_PROPERTIES,
		});
		for (const invoice of found) {
			const link = invoice.properties.qbo_invoice_id;
			// The search may compare loosely; the link must equal exactly.
			if (!link || !group.includes(link)) continue;
			byQuickBooksId.set(link, [...(byQuickBooksId.get(link) ?? []), invoice]);
		}
	}
	const linked = new Set([...byQuickBooksId.values()].flat().map((invoice) => invoice.id));
	const toRead = [...new Set(hubspotIds)].filter((id) => !linked.has(id));
	const byHubSpotId = new Map<string, HubSpotObject>();
	if (toRead.length) {
		const { results } = await client.batchRead('invoices', toRead, EXISTING_INVOICE_PROPERTIES);
		for (const [id, invoice] of results) byHubSpotId.set(id, invoice);
	}
	return { byQuickBooksId, byHubSpotId };
}

/**
 * The HubSpot invoice for a QuickBooks invoice: the one carrying its id, else the one QuickBooks
 * names (when that one is not linked to another QuickBooks invoice). Several: the ids, for the error.
 */
export function linkedInvoiceFor(linked: LinkedInvoices, quickbooksId: string, hubspotId: string | null | undefined): HubSpotObject | string[] | undefined {
	const found = linked.byQuickBooksId.get(quickbooksId) ?? [];
	if (found.length > 1) return found.map((invoice) => invoice.id).sort();
	if (found.length === 1) return found[0];
	const named = hubspotId ? linked.byHubSpotId.get(hubspotId) : undefined;
	const otherLink = named?.properties.qbo_invoice_id;
	return named && (!otherLink || otherLink === quickbooksId) ? named : undefined;
}

/**
 * A draft this node created and has not finished: it carries the link and `qbo_origin` but not yet
 * `qbo_source_hash`, which only the final update writes (a stopped run, or a create whose answer
 * was lost). The invoice run that finishes it writes its content, lines and payment figures.
 */
export function isUnfinishedCreate(invoice: HubSpotObject): boolean {
	const { hs_invoice_status: status, qbo_origin: origin, qbo_source_hash: sourceHash } = invoice.properties;
	return status === 'draft' && origin === 'quickbooks' && !sourceHash;
}
