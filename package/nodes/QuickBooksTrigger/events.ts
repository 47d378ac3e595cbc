/**
 * Which event a QuickBooks change is, and whether the trigger emits it (events chosen, status
 * filter, loop guard). Plain functions.
 */
import type { IDataObject } from 'n8n-workflow';

import type { InvoiceStatus, QuickBooksChange } from '../shared/invoiceContract';

import { changeKey, recordSeen } from './cursor';
import { hubSpotLinkOf, invoiceStatusOf, type QuickBooksRecord } from './invoiceMapping';

export type TriggerEvent = QuickBooksChange['event'];
export type ChangedEntity = QuickBooksChange['entity'];

export const TRIGGER_EVENTS: TriggerEvent[] = ['invoiceCreated', 'invoiceUpdated', 'invoiceVoided', 'paymentReceived', 'creditMemoCreated'];

/** One changed record as a change: its entity, its key in the cursor's `seen`, its LastUpdatedTime. */
export interface Change {
	entity: ChangedEntity;
	record: QuickBooksRecord;
	key: string;
	changedAt: string;
	changedAtMs: number;
	deleted: boolean;
}

/** The entities a set of events needs read. */
export function entitiesFor(events: TriggerEvent[]): ChangedEntity[] {
	const entities: ChangedEntity[] = [];
	if (events.some((event) => event.startsWith('invoice'))) entities.push('Invoice');
	if (events.includes('paymentReceived')) entities.push('Payment');
	if (events.includes('creditMemoCreated')) entities.push('CreditMemo');
	return entities;
}

function timestampOf(record: IDataObject, field: 'LastUpdatedTime' | 'CreateTime'): { text: string; ms: number } | undefined {
	const text = ((record.MetaData ?? {}) as IDataObject)[field];
	const ms = typeof text === 'string' ? Date.parse(text) : Number.NaN;
	return Number.isFinite(ms) ? { text: text as string, ms } : undefined;
}

/**
 * The changes in time order (entity and Id break ties, so every poll sees the same order). A record
 * read twice (changed again while the read paged) counts once, at its latest change.
 */
export function toChanges(records: Record<string, IDataObject[]>): Change[] {
	const latest = new Map<string, Change>();
	// Keyed by record: a record read twice (changed while paging) is one change, its latest.
	for (const [entity, rows] of Object.entries(records)) {
		for (const record of rows) {
			const changed = timestampOf(record, 'LastUpdatedTime');
			if (!changed || record.Id === undefined || record.Id === null) continue;
			const key = changeKey(entity, record);
			const change: Change = { entity: entity as ChangedEntity, record: { ...record, Id: String(record.Id) }, key, changedAt: changed.text, changedAtMs: changed.ms, deleted: record.status === 'Deleted' };
			const recordKey = `${entity}:${change.record.Id}`;
			const previous = latest.get(recordKey);
			if (!previous || previous.changedAtMs <= change.changedAtMs) latest.set(recordKey, change);
		}
	}
	return [...latest.values()].sort((a, b) => a.changedAtMs - b.changedAtMs || a.entity.localeCompare(b.entity) || Number(a.record.Id) - Number(b.record.Id) || a.record.Id.localeCompare(b.record.Id));
}

/**
 * A record is new when it was created inside this poll's window and no earlier poll processed it
 * (an earlier poll's change is still in `seen`: the window never reaches before what it keeps).
 */
function isNew(change: Change, seen: Record<string, number>, windowStartMs: number): boolean {
	const created = timestampOf(change.record, 'CreateTime');
	return !recordSeen(seen, change.entity, change.record.Id) && !!created && created.ms >= windowStartMs;
}

/** The event a change is; undefined for changes no event covers (a deleted payment, an edited credit memo). */
export function eventOf(change: Change, seen: Record<string, number>, windowStartMs: number): TriggerEvent | 'invoiceDeleted' | undefined {
	if (change.entity === 'Invoice') {
		if (change.deleted) return 'invoiceDeleted';
		if (invoiceStatusOf(change.record) === 'voided') return 'invoiceVoided';
		return isNew(change, seen, windowStartMs) ? 'invoiceCreated' : 'invoiceUpdated';
	}
	if (change.deleted) return undefined;
	if (change.entity === 'Payment') return 'paymentReceived';
	return isNew(change, seen, windowStartMs) ? 'creditMemoCreated' : undefined;
}

export interface EventFilter {
	events: TriggerEvent[];
	/** Invoice Created / Updated only: the statuses that trigger (none selected: every status). */
	statuses: InvoiceStatus[];
	/** Loop guard: skip invoices this package created from HubSpot (their link), except payments, voids and deletions. */
	skipLinkedInvoices: boolean;
}

export type Verdict = 'emit' | 'notSelected' | 'status' | 'linkedToHubSpot';

/** Whether the trigger emits a change of this event. Deletions go with "Invoice Voided or Deleted". */
export function verdictFor(change: Change, event: TriggerEvent | 'invoiceDeleted' | undefined, filter: EventFilter): Verdict {
	if (!event) return 'notSelected';
	if (!filter.events.includes(event === 'invoiceDeleted' ? 'invoiceVoided' : event)) return 'notSelected';
	if (event !== 'invoiceCreated' && event !== 'invoiceUpdated') return 'emit';
	if (filter.skipLinkedInvoices && hubSpotLinkOf(change.record) !== null) return 'linkedToHubSpot';
	if (filter.statuses.length && !filter.statuses.includes(invoiceStatusOf(change.record))) return 'status';
	return 'emit';
}
