/**
 * The steps of one poll of the HubSpot Invoice Trigger, so poll() reads as what it does: the
 * parameters read once, a manual run (backfill or test events, cursor untouched), or a scheduled
 * poll from the cursor (created on first activation), and a failure reported the n8n way.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type IPollFunctions } from 'n8n-workflow';

import { toSyncError } from '../shared/faultTranslation';
import type { InvoiceStatus, TriggerSummary } from '../shared/invoiceContract';
import { toNodeError } from '../shared/nodeErrors';
import type { HubSpotAuthentication, HubSpotClient } from '../shared/transport/hubspot';

import { isCursorState, newCursor, type CursorState } from './cursor';
import { DEFAULT_MAX_INVOICES } from './description';
import { backfillInvoices, cursorPropertyFor, latestInvoices, newestInvoices, type FeedItem, type FeedOptions, type FeedStats, type TriggerEvent } from './invoiceFeed';
import { DEFAULT_BILLING_CONTACT_LABELS, DEFAULT_INTEGRATION_SOURCES } from './mapping';
import { portalOf, type PortalCache } from './portal';

/** Static data of this node (workflow static data, per node). */
export interface TriggerStaticData extends IDataObject {
	cursor?: IDataObject;
	portal?: PortalCache;
}

/** The node's parameters for one poll, read and checked once. */
export interface TriggerSettings {
	authentication: HubSpotAuthentication;
	/** As entered ('' when empty), and as epoch ms (NaN when empty). */
	backfillSince: string;
	backfillMs: number;
	testEventCount: number;
	feed: FeedOptions;
}

export function readTriggerSettings(context: IPollFunctions, startedAt: number): TriggerSettings {
	const event = context.getNodeParameter('event', 'createdOrUpdated') as TriggerEvent;
	const backfillSince = (context.getNodeParameter('backfillSince', '') as string) || '';
	const extra = context.getNodeParameter('options', {}) as IDataObject;
	const backfillMs = backfillSince ? Date.parse(backfillSince) : Number.NaN;
	if (backfillSince && !Number.isFinite(backfillMs)) {
		throw new NodeOperationError(context.getNode(), `Backfill Since "${backfillSince}" is not a date`, { description: 'Pick a date, or leave it empty.' });
	}
	// n8n abandons a poll that runs past its budget: stop searching at half of it and continue next poll.
	const budgetMs = typeof context.getPollBudgetMs === 'function' ? context.getPollBudgetMs() : undefined;
	return {
		authentication: context.getNodeParameter('hubspotAuthentication', 'oAuth2') as HubSpotAuthentication,
		backfillSince,
		backfillMs,
		testEventCount: Math.min(10, Math.max(1, Number(extra.testEventCount ?? 1))),
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

/** A comma- or line-separated list option; the default when the option is not set. */
function listOption(value: unknown, fallback: string[]): string[] {
	if (typeof value !== 'string') return fallback;
	return value
		.split(/[,\n]/)
		.map((entry) => entry.trim())
		.filter(Boolean);
}

/**
 * A manual run (test event, "Execute step"): every invoice since Backfill Since, or the latest
 * invoice(s); failed syncs are offered again and the cursor is not touched.
 */
export async function manualRun(
	client: HubSpotClient,
	settings: TriggerSettings,
	staticData: TriggerStaticData,
	startedAt: number,
): Promise<{ items: FeedItem[]; stats: FeedStats }> {
	const options: FeedOptions = { ...settings.feed, retryFailed: true, portal: await portalOf(client, staticData, startedAt) };
	return Number.isFinite(settings.backfillMs)
		? await backfillInvoices(client, options, settings.backfillMs)
		: await latestInvoices(client, options, settings.testEventCount);
}

/** What the loop guard and the status check left out of a run, for people and the log. */
export type SkipSummary = TriggerSummary;

export function skipSummary(stats: FeedStats): SkipSummary | undefined {
	const skipped = stats.skippedIntegrationSource + stats.skippedAlreadySynced + stats.skippedStatusUnchanged;
	if (skipped === 0) return undefined;
	const reasons: string[] = [];
	if (stats.skippedIntegrationSource) {
		const sources = Object.entries(stats.skippedSources)
			.map(([source, count]) => `"${source}": ${count}`)
			.join(', ');
		reasons.push(`${stats.skippedIntegrationSource} made by an integration (Invoice Source ${sources})`);
	}
	if (stats.skippedAlreadySynced) reasons.push(`${stats.skippedAlreadySynced} unchanged since their last sync`);
	if (stats.skippedStatusUnchanged) reasons.push(`${stats.skippedStatusUnchanged} changed without a status change`);
	return {
		emitted: stats.emitted,
		skipped,
		integrationSources: { ...stats.skippedSources },
		unchangedSinceLastSync: stats.skippedAlreadySynced,
		statusNotChanged: stats.skippedStatusUnchanged,
		message: `${stats.emitted} invoice${stats.emitted === 1 ? '' : 's'} emitted, ${skipped} skipped: ${reasons.join('; ')}`,
	};
}

/** Logs what a run skipped (every run that skipped something), so a wrong Invoice Source guess shows. */
export function logSkips(context: IPollFunctions, summary: SkipSummary | undefined): void {
	if (!summary) return;
	context.logger.info(`HubSpot Invoice Trigger: ${summary.message}`, {
		node: context.getNode().name,
		integrationSources: summary.integrationSources,
		unchangedSinceLastSync: summary.unchangedSinceLastSync,
		statusNotChanged: summary.statusNotChanged,
	});
}

/**
 * A manual run's items, with what was skipped shown where the user looks: on the first item
 * (`triggerSummary`, which later nodes carry along untouched) or, when everything was skipped, as
 * the run's error instead of an empty "no data".
 */
export function manualOutput(context: IPollFunctions, result: { items: FeedItem[]; stats: FeedStats }): FeedItem[] {
	const summary = skipSummary(result.stats);
	logSkips(context, summary);
	if (!summary) return result.items;
	if (result.items.length === 0) {
		throw new NodeOperationError(context.getNode(), `No invoice to emit: ${summary.message}`, {
			description:
				'If invoices made in HubSpot were skipped for their Invoice Source, remove that source from Options → Integration Sources to Skip. Invoices unchanged since their last sync are emitted again once they change.',
		});
	}
	const [first, ...rest] = result.items;
	return [{ ...first, triggerSummary: summary }, ...rest];
}

/**
 * The cursor a scheduled poll continues from. On first activation without Backfill Since it
 * records a start after HubSpot's newest invoices and returns undefined: nothing is emitted. A new
 * Backfill Since restarts from that date; a changed event keeps the point in time.
 */
export async function cursorForPoll(client: HubSpotClient, settings: TriggerSettings, staticData: TriggerStaticData, startedAt: number): Promise<CursorState | undefined> {
	const property = cursorPropertyFor(settings.feed.event);
	const state = isCursorState(staticData.cursor) ? staticData.cursor : undefined;
	const backfill = Number.isFinite(settings.backfillMs);
	if (state && !(backfill && settings.backfillSince !== state.backfillSince)) {
		return state.property === property ? state : { ...state, property, seen: {} };
	}
	if (backfill) return newCursor(property, settings.backfillMs, { backfillSince: settings.backfillSince, now: startedAt });
	const newest = await newestInvoices(client, property);
	staticData.cursor = newCursor(property, newest?.timestampMs ?? startedAt, {
		now: startedAt,
		seen: Object.fromEntries((newest?.ids ?? []).map((id) => [id, newest!.timestampMs])),
	}) as unknown as IDataObject;
	await portalOf(client, staticData, startedAt);
	return undefined;
}

/**
 * The error a failed poll throws. On later scheduled polls n8n records it as a failed execution
 * (and runs the error workflow); it is logged too, and the unchanged cursor makes the next poll
 * retry the same invoices.
 */
export function pollFailure(context: IPollFunctions, error: unknown, scheduledAfterFirst: boolean): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const syncError = toSyncError(error);
	if (scheduledAfterFirst) {
		context.logger.error(`HubSpot Invoice Trigger poll failed: ${syncError.message}`, { code: syncError.code, node: context.getNode().name });
	}
	return toNodeError(context.getNode(), syncError);
}
