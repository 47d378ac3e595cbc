/** The trigger's parameters for one poll, read and checked once. */
import { NodeOperationError, type IPollFunctions } from 'n8n-workflow';

import type { InvoiceStatus } from '../shared/invoiceContract';
import { oneOf, optionsCollection } from '../shared/parameters';
import type { HubSpotAuthentication } from '../shared/transport/hubspot';

import { DEFAULT_MAX_INVOICES } from './description';
import type { FeedOptions, TriggerEvent } from './invoiceFeed';
import { DEFAULT_BILLING_CONTACT_LABELS, DEFAULT_INTEGRATION_SOURCES } from './mapping';
import { DEFAULT_REDELIVER_AFTER_MINUTES } from './redelivery';

export interface TriggerSettings {
	authentication: HubSpotAuthentication;
	/** As entered ('' when empty), and as epoch ms (NaN when empty). */
	backfillSince: string;
	backfillMs: number;
	testEventCount: number;
	feed: FeedOptions;
	/** Emit an unconfirmed invoice again this long after it was emitted (0: never; redelivery.ts). */
	redeliverAfterMs: number;
}

/** `startedAt`: when the poll started (its time budget counts from then). */
export function readSettings(context: IPollFunctions, startedAt: number): TriggerSettings {
	const event: TriggerEvent = oneOf(context, 'Event', context.getNodeParameter('event', 'createdOrUpdated'), ['createdOrUpdated', 'created', 'updated', 'statusChanged'] as const);
	const backfillSince = (context.getNodeParameter('backfillSince', '') as string) || '';
	const extra = optionsCollection(context.getNodeParameter('options', {}));
	const backfillMs = backfillSince ? Date.parse(backfillSince) : Number.NaN;
	if (backfillSince && !Number.isFinite(backfillMs)) {
		throw new NodeOperationError(context.getNode(), `Backfill Since "${backfillSince}" is not a date`, { description: 'Pick a date, or leave it empty.' });
	}
	// n8n abandons a poll that runs past its budget: stop searching at half of it and continue next poll.
	const budgetMs = typeof context.getPollBudgetMs === 'function' ? context.getPollBudgetMs() : undefined;
	return {
		authentication: oneOf(context, 'HubSpot Authentication', context.getNodeParameter('hubspotAuthentication', 'oAuth2'), ['oAuth2', 'appToken'] as const),
		backfillSince,
		backfillMs,
		testEventCount: Math.min(10, Math.max(1, Number(extra.testEventCount ?? 1))),
		redeliverAfterMs: redeliverAfterMs(extra.redeliverAfterMinutes),
		feed: {
			event,
			statuses: context.getNodeParameter('statuses', []) as InvoiceStatus[],
			skipIntegrationSource: context.getNodeParameter('skipIntegrationSource', true) as boolean,
			integrationSources: listOption(extra.integrationSources, DEFAULT_INTEGRATION_SOURCES),
			billingContactLabels: listOption(extra.billingContactLabels, DEFAULT_BILLING_CONTACT_LABELS),
			extraProperties: ((extra.extraProperties as string[] | undefined) ?? []).filter(Boolean),
			maxInvoices: Math.max(1, Number(context.getNodeParameter('maxInvoices', DEFAULT_MAX_INVOICES)) || DEFAULT_MAX_INVOICES),
			lookbackMs: Math.max(0, Number(extra.lookbackSeconds ?? 60)) * 1000,
			outOfTime: budgetMs ? () => Date.now() - startedAt > budgetMs / 2 : undefined,
		},
	};
}

function redeliverAfterMs(option: unknown): number {
	const minutes = Number(option ?? DEFAULT_REDELIVER_AFTER_MINUTES);
	return Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : 0;
}

/** A comma- or line-separated list option; the default when the option is not set. */
export function listOption(value: unknown, fallback: string[]): string[] {
	if (typeof value !== 'string') return fallback;
	return value
		.split(/[,\n]/)
		.map((entry) => entry.trim())
		.filter(Boolean);
}

