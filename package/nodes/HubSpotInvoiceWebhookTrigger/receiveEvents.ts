/**
 * What one webhook request does, without n8n: find the invoices its events still need, read them
 * all with the polling trigger's own reads (one batch read of the invoices, then their line items,
 * contacts, companies, discounts and fees in batches), map them to the same canonical items and
 * apply the same loop guard. The covered changes are recorded only once the read succeeded, so a
 * request that failed (and that HubSpot sends again) is read again.
 */
import { hasWantedStatus, readInvoicesByIds, type FeedItem, type FeedOptions, type InvoiceApi } from '../HubSpotInvoiceTrigger/invoiceFeed';

import { pendingReads, recordCovered, type CoveredChanges, type HubSpotWebhookEvent, type WebhookEvent } from './events';

export interface ReceiveOptions {
	event: WebhookEvent;
	feed: FeedOptions;
}

export interface ReceiveOutcome {
	items: FeedItem[];
	/** Invoices read (0 when every event was covered already). */
	invoicesRead: number;
	/** Events that needed no read. */
	eventsSkipped: number;
}

export async function receiveInvoiceEvents(api: InvoiceApi, options: ReceiveOptions, covered: CoveredChanges, events: HubSpotWebhookEvent[]): Promise<ReceiveOutcome> {
	const pending = pendingReads(events, covered, options.event);
	if (pending.invoices.size === 0) return { items: [], invoicesRead: 0, eventsSkipped: pending.skipped };
	const items = await readInvoicesByIds(api, options.feed, [...pending.invoices.keys()], (invoice) => hasWantedStatus(invoice, options.feed.statuses));
	recordCovered(covered, pending.invoices);
	return { items, invoicesRead: pending.invoices.size, eventsSkipped: pending.skipped };
}
