/**
 * The two runs of the HubSpot Invoice Trigger, which poll() chooses between: a manual run
 * (backfill or test events, cursor untouched) and a scheduled poll from the cursor (created on
 * first activation), each reporting a failure the n8n way. The HubSpot reads are invoiceFeed.ts's.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { toSyncError } from '../shared/faultTranslation';
import type { TriggerSummary } from '../shared/invoiceContract';
import { toNodeError } from '../shared/nodeErrors';
import { HubSpotClient } from '../shared/transport/hubspot';

import { isCursorState, newCursor, type CursorState } from './cursor';
import { backfillInvoices, cursorPropertyFor, latestInvoices, newestInvoices, pollInvoices, type FeedItem, type FeedOptions, type FeedStats } from './invoiceFeed';
import { portalOf, type PortalCache } from './portal';
import { redeliverUnconfirmed } from './redelivery';
import type { TriggerSettings } from './settings';

/** Static data of this node (workflow static data, per node). */
export interface TriggerStaticData extends IDataObject {
	cursor?: IDataObject;
	portal?: PortalCache;
}

/**
 * A manual run (test event, "Execute step"): every invoice since Backfill Since, or the latest
 * invoice(s); failed syncs are offered again and the cursor is not touched.
 */
export async function manualPoll(context: IPollFunctions, settings: TriggerSettings, startedAt: number): Promise<INodeExecutionData[][] | null> {
	const staticData = context.getWorkflowStaticData('node') as TriggerStaticData;
	try {
		const client = await HubSpotClient.create(context, settings.authentication);
		return toOutput(context, manualOutput(context, await manualRun(client, settings, staticData, startedAt)));
	} catch (error) {
		throw pollFailure(context, error, false);
	}
}

/** A scheduled poll: every invoice changed since the cursor (bounded by Max Invoices), and the next cursor. */
export async function scheduledPoll(context: IPollFunctions, settings: TriggerSettings, startedAt: number): Promise<INodeExecutionData[][] | null> {
	const staticData = context.getWorkflowStaticData('node') as TriggerStaticData;
	const firstPoll = !isCursorState(staticData.cursor);
	try {
		const client = await HubSpotClient.create(context, settings.authentication);
		const state = await cursorForPoll(client, settings, staticData, startedAt);
		if (!state) return null;
		const portal = await portalOf(client, staticData, startedAt);
		const outcome = await pollInvoices(client, { ...settings.feed, portal }, state, startedAt);
		const redelivered = await redeliverUnconfirmed(client, { ...settings.feed, portal }, staticData, outcome.items, startedAt, settings.redeliverAfterMs);
		staticData.cursor = outcome.state as unknown as IDataObject;
		context.logger.debug('HubSpot Invoice Trigger poll', { ...outcome.stats, redelivered: redelivered.length, requests: client.requestCount });
		logSkips(context, skipSummary(outcome.stats));
		return toOutput(context, [...outcome.items, ...redelivered]);
	} catch (error) {
		throw pollFailure(context, error, !firstPoll);
	}
}

function toOutput(context: IPollFunctions, items: FeedItem[]): INodeExecutionData[][] | null {
	if (items.length === 0) return null;
	return [context.helpers.returnJsonArray(items as unknown as IDataObject[])];
}

/** The invoices of a manual run, with the portal read (or cached) for their links. */
async function manualRun(
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
	const skipped = stats.skippedIntegrationSource + stats.skippedAlreadySynced + stats.skippedStartedInQuickBooks + stats.skippedStatusUnchanged;
	if (skipped === 0) return undefined;
	const reasons: string[] = [];
	if (stats.skippedIntegrationSource) {
		const sources = Object.entries(stats.skippedSources)
			.map(([source, count]) => `"${source}": ${count}`)
			.join(', ');
		reasons.push(`${stats.skippedIntegrationSource} made by an integration (Invoice Source ${sources})`);
	}
	if (stats.skippedAlreadySynced) reasons.push(`${stats.skippedAlreadySynced} unchanged since their last sync`);
	if (stats.skippedStartedInQuickBooks) reasons.push(`${stats.skippedStartedInQuickBooks} started in QuickBooks: content comes from QuickBooks`);
	if (stats.skippedStatusUnchanged) reasons.push(`${stats.skippedStatusUnchanged} changed without a status change`);
	return {
		emitted: stats.emitted,
		skipped,
		integrationSources: { ...stats.skippedSources },
		unchangedSinceLastSync: stats.skippedAlreadySynced,
		startedInQuickBooks: stats.skippedStartedInQuickBooks,
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
		startedInQuickBooks: summary.startedInQuickBooks,
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
				'If invoices made in HubSpot were skipped for their Invoice Source, remove that source from Options → Integration Sources to Skip. Invoices unchanged since their last sync are emitted again once they change. Invoices that started in QuickBooks are never emitted: edit them in QuickBooks.',
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
