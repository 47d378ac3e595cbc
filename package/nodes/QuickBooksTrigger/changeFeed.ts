/**
 * The trigger's batch module: one poll from a cursor. Reads the window's changes, decides each
 * one's event, reads the customers, items and invoices they reference in IN queries sent together
 * (one /batch, never one request per change), and returns the items, the next cursor and what was
 * skipped. No n8n types; handed its client.
 */
import type { IDataObject } from 'n8n-workflow';

import { allSettledOrThrow } from '../shared/collections';
import type { QuickBooksClient } from '../shared/transport/quickbooks';

import { advanceCursor, alreadySeen, changeKey, windowStart, type CursorState } from './cursor';
import { readChanges } from './changeReads';
import { entitiesFor, eventOf, toChanges, verdictFor, type Change, type EventFilter, type TriggerEvent, type Verdict } from './events';
import { mapQuickBooksInvoice, type QuickBooksRecord } from './invoiceMapping';
import { creditMemoOf, invoiceIdsOf, paymentFiguresOf, paymentsOf } from './paymentMapping';

export type FeedClient = Pick<QuickBooksClient, 'request' | 'findEachByValues' | 'invoiceUrl' | 'preferences'>;

export interface FeedSettings extends EventFilter {
	/** How far before the cursor each poll reads again, for changes QuickBooks shows late. */
	overlapMs: number;
	/** Most changes per entity one poll reads when it pages with queries; the rest follow next poll. */
	maxChanges: number;
}

/** One emitted item's JSON (an invoice, a payment, a credit memo or a deleted invoice, each with `change`). */
export type TriggerItem = IDataObject;

export interface FeedStats {
	read: number;
	emitted: number;
	skipped: Record<Exclude<Verdict, 'emit'>, number>;
	via: 'cdc' | 'query';
	deletionsIncomplete: boolean;
}

export interface FeedOutcome {
	items: TriggerItem[];
	cursor: CursorState;
	stats: FeedStats;
}

interface Selected {
	change: Change;
	/** `paymentFigures`: an invoice update the events leave out, emitted as its payment figures (below). */
	event: TriggerEvent | 'invoiceDeleted' | 'paymentFigures';
}

/**
 * With Payment Received, an updated invoice no invoice event takes is emitted as a payment item
 * of its figures now: a payment deleted or voided in QuickBooks names no invoice, but the invoice
 * whose balance it changed is a new version. The upsert writes only figures that differ. Not for a
 * new invoice, nor one a payment of the same poll already reports.
 */
function withPaymentFigures(selected: Selected[], unselected: Change[], settings: FeedSettings, seen: Record<string, number>, startMs: number): Selected[] {
	if (!settings.events.includes('paymentReceived')) return selected;
	const reported = new Set(selected.filter((entry) => entry.change.entity === 'Payment').flatMap((entry) => invoiceIdsOf(entry.change.record)));
	const figures = unselected.filter(
		(change) => change.entity === 'Invoice' && eventOf(change, seen, startMs) === 'invoiceUpdated' && !reported.has(change.record.Id),
	);
	return [...selected, ...figures.map((change) => ({ change, event: 'paymentFigures' as const }))];
}

/** A poll from `state`: the window's new changes as items, and the cursor after them. */
export async function pollChanges(client: FeedClient, settings: FeedSettings, state: CursorState, nowMs: number): Promise<FeedOutcome> {
	const startMs = windowStart(state, settings.overlapMs);
	const isProcessed = (entity: string, row: IDataObject) => {
		const changedAt = Date.parse(String(((row.MetaData ?? {}) as IDataObject).LastUpdatedTime ?? ''));
		return alreadySeen(state.seen, changeKey(entity, row), changedAt);
	};
	const read = await readChanges(client, entitiesFor(settings.events), startMs, nowMs, { changes: settings.maxChanges, isProcessed });
	const changes = toChanges(read.records).filter((change) => change.changedAtMs >= startMs && change.changedAtMs <= read.completeUpToMs && !alreadySeen(state.seen, change.key, change.changedAtMs));
	const skipped: FeedStats['skipped'] = { notSelected: 0, status: 0, linkedToHubSpot: 0 };
	const selected: Selected[] = [];
	const seen = { ...state.seen };
	const unselected: Change[] = [];
	for (const change of changes) {
		const event = eventOf(change, state.seen, startMs);
		const verdict = verdictFor(change, event, settings);
		seen[change.key] = change.changedAtMs;
		if (verdict === 'emit') selected.push({ change, event: event! });
		else {
			skipped[verdict]++;
			unselected.push(change);
		}
	}
	const items = await itemsOf(client, withPaymentFigures(selected, unselected, settings, state.seen, startMs));
	return {
		items,
		cursor: advanceCursor(state, seen, read.completeUpToMs, settings.overlapMs),
		stats: { read: changes.length, emitted: items.length, skipped, via: read.via, deletionsIncomplete: read.deletionsIncomplete },
	};
}

/** The records the selected changes reference, each kind read once in batched IN queries. */
async function referencesOf(client: FeedClient, selected: Selected[]) {
	const invoices = selected.filter((entry) => entry.change.entity === 'Invoice' && !entry.change.deleted && entry.event !== 'paymentFigures').map((entry) => entry.change.record);
	const creditMemos = selected.filter((entry) => entry.change.entity === 'CreditMemo').map((entry) => entry.change.record);
	const payments = selected.filter((entry) => entry.change.entity === 'Payment').map((entry) => entry.change.record);
	const customerIds = [...invoices, ...creditMemos].map((record) => String(((record.CustomerRef ?? {}) as IDataObject).value ?? ''));
	const itemIds = invoices.flatMap((invoice) => itemRefsOf((invoice.Line ?? []) as IDataObject[]));
	const known = new Map(invoices.map((invoice) => [invoice.Id, invoice]));
	const paidInvoiceIds = payments.flatMap(invoiceIdsOf).filter((id) => !known.has(id));
	// One /batch for all three when they take more than one query (see findEachByValues): a poll
	// spends one of the company's 40 /batch a minute in place of two or three of its 500 requests.
	const [[customers, items, paidInvoices], homeCurrency] = await allSettledOrThrow([
		client.findEachByValues<QuickBooksRecord>([
			{ entity: 'Customer', field: 'Id', values: customerIds, includeInactive: true },
			{ entity: 'Item', field: 'Id', values: itemIds, includeInactive: true },
			{ entity: 'Invoice', field: 'Id', values: paidInvoiceIds },
		]),
		invoices.some((invoice) => !invoice.CurrencyRef) ? homeCurrencyOf(client) : Promise.resolve(null),
	] as const);
	for (const invoice of paidInvoices) known.set(String(invoice.Id), invoice);
	return { customers: byId(customers), items: byId(items), invoices: known, homeCurrency };
}

function itemRefsOf(lines: IDataObject[]): string[] {
	return lines.flatMap((line) => {
		if (line.DetailType === 'GroupLineDetail') return itemRefsOf((((line.GroupLineDetail ?? {}) as IDataObject).Line ?? []) as IDataObject[]);
		const itemRef = ((line.SalesItemLineDetail ?? {}) as IDataObject).ItemRef as IDataObject | undefined;
		return itemRef?.value ? [String(itemRef.value)] : [];
	});
}

function byId(records: QuickBooksRecord[]): Map<string, QuickBooksRecord> {
	return new Map(records.map((record) => [String(record.Id), record]));
}

async function homeCurrencyOf(client: FeedClient): Promise<string | null> {
	const preferences = await client.preferences();
	const home = ((preferences.CurrencyPrefs ?? {}) as IDataObject).HomeCurrency as IDataObject | undefined;
	return home?.value ? String(home.value) : null;
}

async function itemsOf(client: FeedClient, selected: Selected[]): Promise<TriggerItem[]> {
	if (selected.length === 0) return [];
	const references = await referencesOf(client, selected);
	const invoiceReferences = { ...references, invoiceUrl: (id: string) => client.invoiceUrl(id) };
	return selected.flatMap(({ change, event }): TriggerItem[] => {
		const changeJson = { event, entity: change.entity, id: change.record.Id, changedAt: change.changedAt };
		if (event === 'invoiceDeleted') return [{ deletedInvoice: { quickbooksInvoiceId: change.record.Id, deletedAt: change.changedAt }, change: changeJson }];
		if (event === 'paymentFigures') return [{ payment: paymentFiguresOf(change.record), change: { ...changeJson, event: 'paymentReceived' } }];
		if (change.entity === 'Payment') return paymentsOf(change.record, references.invoices).map((payment) => ({ payment, change: changeJson }));
		if (change.entity === 'CreditMemo') return [{ creditMemo: creditMemoOf(change.record, references.customers), change: changeJson }];
		const mapped = mapQuickBooksInvoice(change.record, invoiceReferences);
		return mapped.ok
			? [{ invoice: mapped.invoice, quickbooks: mapped.quickbooks, change: changeJson }]
			: [{ invoice: mapped.invoice, error: mapped.error, change: changeJson }];
	});
}
