/**
 * Redelivery of invoices the sync never confirmed. In n8n's queue mode the poll runs on the main
 * instance, which saves the advanced cursor at once, and the execution runs on a worker; when that
 * worker dies mid-execution, n8n (1.123) marks the execution crashed and runs it no more. So every
 * emitted invoice is remembered in the node's static data until the sync confirms it (QuickBooks
 * Invoice Upsert's write-back sets `qbo_sync_hash`, or changes the invoice, which hands it back to
 * the cursor); one still unconfirmed after the delay is emitted again, at most MAX_REDELIVERIES
 * times. The upsert is idempotent, so a redelivered invoice that did sync changes nothing.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { readInvoicesByIds, type FeedItem, type FeedOptions, type InvoiceApi } from './invoiceFeed';

export const PENDING_KEY = 'pendingDeliveries';
export const MAX_REDELIVERIES = 2;
export const DEFAULT_REDELIVER_AFTER_MINUTES = 10;

export const REDELIVERY_OPTION: INodeProperties = {
	displayName: 'Redeliver Unconfirmed After (Minutes)',
	name: 'redeliverAfterMinutes',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 1440 },
	default: DEFAULT_REDELIVER_AFTER_MINUTES,
	description:
		"Emits an invoice again when the sync has not confirmed it this long after it was emitted (its execution may have died with an n8n worker); at most twice. The confirmation is QuickBooks Invoice Upsert's write-back to HubSpot. Keep it longer than a run takes; 0 turns it off.",
};

/** One emitted invoice awaiting confirmation. */
export interface PendingDelivery {
	/** When it was emitted (local clock, epoch ms). */
	emittedAt: number;
	/** Its hs_lastmodifieddate then (epoch ms): a later one means it changed, and the cursor has it. */
	modifiedMs: number;
	/** Its content hash then: the write-back stores it in qbo_sync_hash. */
	hash: string;
	/** How often it was emitted again. */
	redeliveries: number;
}

export type PendingDeliveries = Record<string, PendingDelivery>;

function sourceOf(item: FeedItem): { id?: string; lastModifiedAt?: string | null } {
	return (item.invoice?.source ?? {}) as { id?: string; lastModifiedAt?: string | null };
}

function remember(pending: PendingDeliveries, items: FeedItem[], now: number, redeliveries: (id: string) => number): void {
	for (const item of items) {
		const { id, lastModifiedAt } = sourceOf(item);
		if (!id) continue;
		const hash = typeof item.invoice.contentHash === 'string' ? item.invoice.contentHash : '';
		pending[id] = { emittedAt: now, modifiedMs: Date.parse(lastModifiedAt ?? '') || 0, hash, redeliveries: redeliveries(id) };
	}
}

/** The due invoices that are still unconfirmed; confirmed, changed, deleted or exhausted ones are forgotten. */
async function unconfirmed(api: InvoiceApi, pending: PendingDeliveries, due: string[]): Promise<string[]> {
	const { results } = await api.batchRead('invoices', due, ['hs_lastmodifieddate', 'qbo_sync_hash']);
	const again: string[] = [];
	for (const id of due) {
		const entry = pending[id];
		// An overlapping poll (n8n starts one on schedule while the last still runs) settled it already.
		if (!entry) continue;
		const current = results.get(id)?.properties;
		const changed = current && (Date.parse(current.hs_lastmodifieddate ?? '') || 0) > entry.modifiedMs;
		const confirmed = current && entry.hash !== '' && current.qbo_sync_hash === entry.hash;
		if (!current || changed || confirmed || entry.redeliveries >= MAX_REDELIVERIES) delete pending[id];
		else again.push(id);
	}
	return again;
}

/**
 * Remembers this poll's emitted invoices and returns the remembered ones to emit again: due
 * (emitted at least `afterMs` ago) and unconfirmed, at most `options.maxInvoices` of them, oldest first.
 */
export async function redeliverUnconfirmed(
	api: InvoiceApi,
	options: FeedOptions,
	staticData: IDataObject,
	emitted: FeedItem[],
	now: number,
	afterMs: number,
): Promise<FeedItem[]> {
	if (afterMs <= 0) {
		delete staticData[PENDING_KEY];
		return [];
	}
	const pending = (staticData[PENDING_KEY] ?? {}) as PendingDeliveries;
	staticData[PENDING_KEY] = pending as unknown as IDataObject;
	remember(pending, emitted, now, () => 0);
	const due = Object.keys(pending)
		.filter((id) => now - pending[id].emittedAt >= afterMs)
		.sort((left, right) => pending[left].emittedAt - pending[right].emittedAt)
		.slice(0, options.maxInvoices);
	if (due.length === 0) return [];
	const ids = await unconfirmed(api, pending, due);
	if (ids.length === 0) return [];
	const items = await readInvoicesByIds(api, options, ids);
	const emittedAgain = new Set(items.map((item) => sourceOf(item).id));
	const previous = new Map(ids.map((id) => [id, pending[id]?.redeliveries ?? 0]));
	// What the read left out (the loop guard found it synced after all) needs nothing more.
	for (const id of ids) if (!emittedAgain.has(id)) delete pending[id];
	remember(pending, items, now, (id) => (previous.get(id) ?? 0) + 1);
	return items;
}
