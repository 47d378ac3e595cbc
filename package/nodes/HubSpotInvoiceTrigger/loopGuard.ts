/**
 * The loop guard: the invoices the trigger leaves out so the sync never feeds on its own writes.
 * An invoice made by an integration (its Invoice Source is one of Integration Sources to Skip) is
 * known from the search result, before anything else is read; one unchanged since this sync's
 * write-back (`qbo_sync_hash` equals its content hash: the write-back changed
 * hs_lastmodifieddate, not the content) only once it is read and mapped. An invoice that started in
 * QuickBooks (`qbo_origin` = quickbooks, set by HubSpot Invoice Upsert on the invoices it creates)
 * is always left out, guard on or off: its content comes from QuickBooks, so a HubSpot edit must
 * not overwrite the QuickBooks invoice (the QuickBooks → HubSpot sync writes QuickBooks' content
 * back over it).
 */
import type { HubSpotObject } from '../shared/transport/hubspot';

import { integrationSourceOf, type MappedInvoice } from './mapping';

export interface LoopGuardOptions {
	/** The guard is on (Skip Invoices Made by Integrations). */
	skipIntegrationSource: boolean;
	integrationSources: string[];
	/** Manual runs: an invoice whose last sync failed is offered again even when unchanged. */
	retryFailed?: boolean;
}

export type LoopGuardSkip = { reason: 'startedInQuickBooks' } | { reason: 'integrationSource'; source: string } | { reason: 'alreadySynced' };

/** Why the guard skips the invoice, or undefined. Without `mapped` only the Invoice Source is checked. */
export function loopGuard(invoice: HubSpotObject, options: LoopGuardOptions, mapped?: MappedInvoice): LoopGuardSkip | undefined {
	if (invoice.properties.qbo_origin === 'quickbooks') return { reason: 'startedInQuickBooks' };
	if (!options.skipIntegrationSource) return undefined;
	const source = integrationSourceOf(invoice, options.integrationSources);
	if (source !== null) return { reason: 'integrationSource', source };
	if (!mapped?.valid || mapped.error) return undefined;
	const { contentHash, source: link } = mapped.invoice as { contentHash?: unknown; source?: { syncedHash?: string | null } };
	if (typeof contentHash !== 'string' || link?.syncedHash !== contentHash) return undefined;
	if (options.retryFailed && invoice.properties.qbo_sync_status === 'failed') return undefined;
	return { reason: 'alreadySynced' };
}
