/**
 * Reads every change in a window: one Change Data Capture call when it can answer, else paged
 * queries per entity (a window older than CDC's 30 days, or a CDC answer at its 1,000-object cap).
 * No n8n types; handed its client.
 */
import type { IDataObject } from 'n8n-workflow';

import { QUICKBOOKS_MAX_RESULTS, QuickBooksFault } from '../shared/transport/quickbooks';
import { CDC_LOOKBACK_MS, queryChangedSince, readChangeDataCapture, type ChangeRequester } from '../shared/transport/quickbooksChanges';

/** CDC is asked only for windows this much younger than its 30 days, so clock differences never push it past. */
const CDC_MARGIN_MS = 60 * 60 * 1000;

export interface ChangesRead {
	records: Record<string, IDataObject[]>;
	/** Every change stamped up to here was read (at this exact time, perhaps not all: the next window covers it). */
	completeUpToMs: number;
	via: 'cdc' | 'query';
	/** Deletions can be missing: they come only from CDC, and its answer was cut at the cap or not asked. */
	deletionsIncomplete: boolean;
	requests: number;
}

function lastUpdated(row: IDataObject): number {
	return Date.parse(String(((row.MetaData ?? {}) as IDataObject).LastUpdatedTime ?? ''));
}

/** Tells the changes an earlier poll processed (the overlap reads them again) from new ones. */
export type IsProcessed = (entity: string, row: IDataObject) => boolean;

/**
 * Pages one entity from `sinceMs` by LastUpdatedTime, until `budget` new changes are read. Each
 * page starts at the last timestamp read and skips the rows already read at it, so rows that move
 * while paging are not skipped.
 */
async function queryEntity(client: ChangeRequester, entity: string, sinceMs: number, budget: Budget) {
	const rows: IDataObject[] = [];
	let fresh = 0;
	let since = sinceMs;
	let position = 1;
	let requests = 0;
	let serverTimeMs: number | undefined;
	for (;;) {
		const page = await queryChangedSince(client, entity, since, position, QUICKBOOKS_MAX_RESULTS);
		requests++;
		serverTimeMs ??= page.serverTimeMs;
		rows.push(...page.rows);
		fresh += page.rows.filter((row) => !budget.isProcessed(entity, row)).length;
		if (page.rows.length < QUICKBOOKS_MAX_RESULTS) return { rows, requests, serverTimeMs };
		const last = lastUpdated(page.rows[page.rows.length - 1]);
		if (fresh >= budget.changes || !Number.isFinite(last)) return { rows, requests, serverTimeMs, stoppedAtMs: last };
		const tiesAtLast = page.rows.filter((row) => lastUpdated(row) === last).length;
		position = (last === since ? position : 1) + tiesAtLast;
		since = last;
	}
}

/** Most new changes per entity one poll reads by query, and how to tell new ones. */
export interface Budget {
	changes: number;
	isProcessed: IsProcessed;
}

async function readByQueries(client: ChangeRequester, entities: string[], sinceMs: number, nowMs: number, budget: Budget): Promise<ChangesRead> {
	const records: Record<string, IDataObject[]> = {};
	let completeUpToMs = Number.POSITIVE_INFINITY;
	let serverTimeMs: number | undefined;
	let requests = 0;
	for (const entity of entities) {
		const read = await queryEntity(client, entity, sinceMs, budget);
		records[entity] = read.rows;
		requests += read.requests;
		serverTimeMs = Math.min(serverTimeMs ?? Number.POSITIVE_INFINITY, read.serverTimeMs ?? nowMs);
		if (read.stoppedAtMs !== undefined) completeUpToMs = Math.min(completeUpToMs, Number.isFinite(read.stoppedAtMs) ? read.stoppedAtMs : sinceMs);
	}
	if (!Number.isFinite(completeUpToMs)) completeUpToMs = serverTimeMs ?? nowMs;
	return { records, completeUpToMs, via: 'query', deletionsIncomplete: true, requests };
}

/**
 * Every change to `entities` since `sinceMs`. CDC answers in one call while the window is within
 * its 30 days and the answer stays under its cap; otherwise paged queries read the changes (at most
 * `budget.changes` new ones per entity per poll; the rest next poll). Deleted records come only from CDC: when it
 * was cut short, the deletions it did return are kept and `deletionsIncomplete` says so.
 */
export async function readChanges(client: ChangeRequester, entities: string[], sinceMs: number, nowMs: number, budget: Budget): Promise<ChangesRead> {
	if (entities.length === 0) return { records: {}, completeUpToMs: nowMs, via: 'cdc', deletionsIncomplete: false, requests: 0 };
	if (nowMs - sinceMs > CDC_LOOKBACK_MS - CDC_MARGIN_MS) return await readByQueries(client, entities, sinceMs, nowMs, budget);
	const cdc = await readChangeDataCapture(client, entities, sinceMs).catch((error: unknown) => {
		// QuickBooks' clock decides the 30 days: a window it refuses is read by query instead.
		if (error instanceof QuickBooksFault && error.status !== undefined && error.status < 500) return undefined;
		throw error;
	});
	if (!cdc) return await readByQueries(client, entities, sinceMs, nowMs, budget);
	if (!cdc.atCap) return { records: cdc.records, completeUpToMs: cdc.serverTimeMs ?? nowMs, via: 'cdc', deletionsIncomplete: false, requests: 1 };
	const queried = await readByQueries(client, entities, sinceMs, cdc.serverTimeMs ?? nowMs, budget);
	for (const [entity, rows] of Object.entries(cdc.records)) {
		const deleted = rows.filter((row) => row.status === 'Deleted' && lastUpdated(row) <= queried.completeUpToMs);
		(queried.records[entity] ??= []).push(...deleted);
	}
	return { ...queried, requests: queried.requests + 1 };
}
