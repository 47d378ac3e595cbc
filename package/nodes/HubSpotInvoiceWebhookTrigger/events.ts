/**
 * HubSpot's webhook events for invoices, and which of them still need a read. Plain functions
 * without n8n, unit-tested on their own.
 *
 * De-duplication is by what a read covers, not by event id (HubSpot does not promise eventId is
 * unique): HubSpot sends an event after the change is saved, so reading the invoice after an event
 * arrived sees that change and every earlier one. The trigger remembers, per invoice, the newest
 * `occurredAt` its reads have covered; an event at or before it (a retry, a replay, an older event
 * arriving late) needs nothing, and several events for one invoice in a batch make one read.
 */
import { z } from 'zod';

/** HubSpot's object type id of invoices (generic webhook subscriptions name objects by it). */
export const INVOICE_OBJECT_TYPE_ID = '0-53';

/** Invoices remembered at most; past it the ones covered longest ago are forgotten (a late retry of those costs a read, never a second sync). */
export const MAX_REMEMBERED_INVOICES = 5000;

export type WebhookEvent = 'created' | 'createdOrUpdated';

const eventSchema = z
	.object({
		objectId: z.union([z.number(), z.string()]),
		occurredAt: z.union([z.number(), z.string()]),
		subscriptionType: z.string(),
		objectTypeId: z.string().optional(),
		propertyName: z.string().optional(),
	})
	.passthrough();

export type HubSpotWebhookEvent = z.infer<typeof eventSchema>;

/** invoice id → the newest occurredAt (epoch ms) a read has covered. */
export type CoveredChanges = Record<string, number>;

/** The events of a request body (a JSON array of up to 100), or undefined when it is not one. */
export function parseEvents(body: string): HubSpotWebhookEvent[] | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return undefined;
	}
	const events = z.array(eventSchema).safeParse(parsed);
	return events.success ? events.data : undefined;
}

/**
 * What an event is about: an invoice's creation or property change (generic subscriptions:
 * `object.creation` with objectTypeId 0-53; `invoice.creation` as the object-named form), else undefined.
 */
export function invoiceChange(event: HubSpotWebhookEvent): 'creation' | 'propertyChange' | undefined {
	const [object, change] = event.subscriptionType.split('.');
	const isInvoice = object === 'invoice' || (object === 'object' && event.objectTypeId === INVOICE_OBJECT_TYPE_ID);
	if (!isInvoice) return undefined;
	return change === 'creation' || change === 'propertyChange' ? change : undefined;
}

export interface PendingReads {
	/** invoice id → the newest occurredAt among its new events. */
	invoices: Map<string, number>;
	/** Events that needed no read: already covered, or not about what the trigger watches. */
	skipped: number;
}

/** The invoices a request's events still need read, one entry per invoice. */
export function pendingReads(events: HubSpotWebhookEvent[], covered: CoveredChanges, event: WebhookEvent): PendingReads {
	const invoices = new Map<string, number>();
	let skipped = 0;
	for (const entry of events) {
		const change = invoiceChange(entry);
		const occurredAt = Number(entry.occurredAt);
		const id = String(entry.objectId);
		const watched = change === 'creation' || (change === 'propertyChange' && event === 'createdOrUpdated');
		if (!watched || !Number.isFinite(occurredAt) || (covered[id] ?? -1) >= occurredAt) {
			skipped++;
			continue;
		}
		invoices.set(id, Math.max(invoices.get(id) ?? occurredAt, occurredAt));
	}
	return { invoices, skipped };
}

/** Records the reads of a request as covered, keeping at most `limit` invoices. */
export function recordCovered(covered: CoveredChanges, reads: Map<string, number>, limit = MAX_REMEMBERED_INVOICES): void {
	for (const [id, occurredAt] of reads) covered[id] = Math.max(covered[id] ?? occurredAt, occurredAt);
	const ids = Object.keys(covered);
	if (ids.length <= limit) return;
	ids.sort((left, right) => covered[left] - covered[right]);
	for (const id of ids.slice(0, ids.length - limit)) delete covered[id];
}
