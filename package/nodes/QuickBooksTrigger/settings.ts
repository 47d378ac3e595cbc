/** Reads and checks the QuickBooks Trigger's parameters once per poll. */
import { NodeOperationError, type IDataObject, type IPollFunctions } from 'n8n-workflow';

import type { InvoiceStatus } from '../shared/invoiceContract';

import { DEFAULT_MAX_CHANGES, DEFAULT_OVERLAP_SECONDS } from './description';
import { TRIGGER_EVENTS, type TriggerEvent } from './events';
import type { FeedSettings } from './changeFeed';

const FILTERED_STATUSES: InvoiceStatus[] = ['open', 'paid'];

export interface TriggerSettings {
	feed: FeedSettings;
	/** As entered ('' when empty), and as epoch ms (NaN when empty). */
	backfillSince: string;
	backfillMs: number;
	testEventCount: number;
}

function listParameter<T extends string>(value: unknown, allowed: readonly T[], what: string, context: IPollFunctions): T[] {
	const list = Array.isArray(value) ? value.map(String) : [];
	const unknown = list.filter((entry) => !allowed.includes(entry as T));
	if (unknown.length) throw new NodeOperationError(context.getNode(), `Unknown ${what}: ${unknown.join(', ')}`, { description: `Choose from ${allowed.join(', ')}.` });
	return [...new Set(list)] as T[];
}

function bounded(value: unknown, fallback: number, min: number, max: number): number {
	const number = Number(value ?? fallback);
	return Number.isFinite(number) ? Math.min(max, Math.max(min, Math.floor(number))) : fallback;
}

export function readSettings(context: IPollFunctions): TriggerSettings {
	const events = listParameter<TriggerEvent>(context.getNodeParameter('events', []), TRIGGER_EVENTS, 'event', context);
	if (events.length === 0) throw new NodeOperationError(context.getNode(), 'Choose at least one event to trigger on', { description: 'Trigger On is empty.' });
	// A voided invoice is its own event (Invoice Voided or Deleted), so only these two filter.
	const statuses = listParameter<InvoiceStatus>(context.getNodeParameter('statuses', []), FILTERED_STATUSES, 'invoice status', context);
	const backfillSince = String(context.getNodeParameter('backfillSince', '') || '');
	const backfillMs = backfillSince ? Date.parse(backfillSince) : Number.NaN;
	if (backfillSince && !Number.isFinite(backfillMs)) {
		throw new NodeOperationError(context.getNode(), `Backfill Since "${backfillSince}" is not a date`, { description: 'Pick a date, or leave it empty.' });
	}
	const options = context.getNodeParameter('options', {}) as IDataObject;
	return {
		feed: {
			events,
			statuses,
			skipLinkedInvoices: context.getNodeParameter('skipLinkedInvoices', true) as boolean,
			overlapMs: bounded(options.overlapSeconds, DEFAULT_OVERLAP_SECONDS, 0, 3600) * 1000,
			maxChanges: bounded(options.maxChanges, DEFAULT_MAX_CHANGES, 1000, 100000),
		},
		backfillSince,
		backfillMs,
		testEventCount: bounded(options.testEventCount, 1, 1, 10),
	};
}
