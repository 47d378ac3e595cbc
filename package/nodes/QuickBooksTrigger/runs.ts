/**
 * The two ways the trigger runs: a scheduled poll from the cursor in the workflow's static data
 * (created on first activation), and a manual run (a test event, or everything since Backfill
 * Since) that leaves the cursor alone. n8n glue: reads the settings and static data, builds the
 * client, hands the poll to the feed and reports failures the n8n way.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { toSyncError } from '../shared/faultTranslation';
import { toNodeError } from '../shared/nodeErrors';
import { QuickBooksClient } from '../shared/transport/quickbooks';
import { readChangeDataCapture } from '../shared/transport/quickbooksChanges';

import { pollChanges, type FeedClient, type FeedOutcome, type TriggerItem } from './changeFeed';
import { isCursorState, newCursor, type CursorState } from './cursor';
import { entitiesFor, toChanges } from './events';
import { readSettings, type TriggerSettings } from './settings';

/** How far back a manual run without Backfill Since looks for its test events. */
const TEST_EVENT_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;

interface TriggerStaticData extends IDataObject {
	cursor?: IDataObject;
}

/**
 * The cursor a scheduled poll continues from. A new Backfill Since restarts from that date. On
 * first activation without one, the changes of the overlap window are recorded as seen and the
 * cursor starts at QuickBooks' clock: nothing is emitted, and nothing from before is emitted later.
 */
export async function cursorForPoll(client: FeedClient, settings: TriggerSettings, staticData: TriggerStaticData, nowMs: number): Promise<CursorState | undefined> {
	const state = isCursorState(staticData.cursor) ? staticData.cursor : undefined;
	const backfill = Number.isFinite(settings.backfillMs);
	if (state && !(backfill && settings.backfillSince !== state.backfillSince)) return state;
	if (backfill) return newCursor(settings.backfillMs, { backfillSince: settings.backfillSince });
	const overlapMs = settings.feed.overlapMs;
	const recent = await readChangeDataCapture(client, entitiesFor(settings.feed.events), nowMs - overlapMs);
	const startMs = recent.serverTimeMs ?? nowMs;
	const seen = Object.fromEntries(toChanges(recent.records).map((change) => [change.key, change.changedAtMs]));
	staticData.cursor = newCursor(startMs, { floorMs: Math.min(startMs, nowMs) - overlapMs, seen }) as unknown as IDataObject;
	return undefined;
}

function toOutput(context: IPollFunctions, items: TriggerItem[]): INodeExecutionData[][] | null {
	if (items.length === 0) return null;
	return [context.helpers.returnJsonArray(items)];
}

function logPoll(context: IPollFunctions, outcome: FeedOutcome, requests: number): void {
	context.logger.debug('QuickBooks Trigger poll', { ...outcome.stats, requests });
	if (outcome.stats.deletionsIncomplete && outcome.stats.read > 0) {
		context.logger.warn('QuickBooks Trigger: more changes than Change Data Capture returns at once were read page by page; invoices deleted in that window may not be reported', {
			node: context.getNode().name,
		});
	}
}

/**
 * The error a failed poll throws. The cursor is left as it was, so the next poll reads the same
 * changes again; later scheduled polls also log it.
 */
function pollFailure(context: IPollFunctions, error: unknown, scheduledAfterFirst: boolean): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const syncError = toSyncError(error);
	if (scheduledAfterFirst) context.logger.error(`QuickBooks Trigger poll failed: ${syncError.message}`, { code: syncError.code, node: context.getNode().name });
	return toNodeError(context.getNode(), syncError);
}

export async function scheduledRun(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const nowMs = Date.now();
	const settings = readSettings(context);
	const staticData = context.getWorkflowStaticData('node') as TriggerStaticData;
	const firstPoll = !isCursorState(staticData.cursor);
	try {
		const client = await QuickBooksClient.create(context);
		const state = await cursorForPoll(client, settings, staticData, nowMs);
		if (!state) return null;
		const outcome = await pollChanges(client, settings.feed, state, nowMs);
		staticData.cursor = outcome.cursor as unknown as IDataObject;
		logPoll(context, outcome, client.requestCount);
		return toOutput(context, outcome.items);
	} catch (error) {
		throw pollFailure(context, error, !firstPoll);
	}
}

/** A manual run: every change since Backfill Since, or the latest few of the last week; the cursor is not touched. */
export async function manualRun(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const nowMs = Date.now();
	const settings = readSettings(context);
	try {
		const client = await QuickBooksClient.create(context);
		const backfill = Number.isFinite(settings.backfillMs);
		const state = newCursor(backfill ? settings.backfillMs : nowMs - TEST_EVENT_LOOKBACK_MS);
		const outcome = await pollChanges(client, settings.feed, state, nowMs);
		logPoll(context, outcome, client.requestCount);
		return toOutput(context, backfill ? outcome.items : outcome.items.slice(-settings.testEventCount));
	} catch (error) {
		throw pollFailure(context, error, false);
	}
}
