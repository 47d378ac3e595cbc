/**
 * Reading what changed in a QuickBooks company: Change Data Capture (`GET /cdc`) and, where CDC
 * cannot answer (a window older than its 30 days, or an answer at its 1,000-object cap), paged
 * queries ordered by MetaData.LastUpdatedTime. Knows nothing of invoices or cursors.
 */
import type { IDataObject } from 'n8n-workflow';

import { QUICKBOOKS_MAX_RESULTS, buildQuery, type QuickBooksClient } from './quickbooks';

/** Intuit: CDC looks back at most 30 days. */
export const CDC_LOOKBACK_MS = 30 * 24 * 60 * 60 * 1000;
/** Intuit: a CDC answer holds at most 1,000 objects; an answer that reaches it may be cut short. */
export const CDC_MAX_OBJECTS = 1000;

export type ChangeRequester = Pick<QuickBooksClient, 'request'>;

export interface ChangeSet {
	/** Changed records per entity (a deleted one is `{ Id, status: 'Deleted', MetaData }`). */
	records: Record<string, IDataObject[]>;
	/** QuickBooks' clock when it answered (the answer's `time`), epoch ms; undefined when absent. */
	serverTimeMs?: number;
}

export interface CdcAnswer extends ChangeSet {
	/** True when the answer reached the 1,000-object cap: it may not hold every change. */
	atCap: boolean;
}

/**
 * A timestamp as QuickBooks takes it in `changedSince` and query literals: whole seconds in UTC
 * (its LastUpdatedTime has second precision, so rounding down never drops a change).
 */
export function quickBooksTimestamp(epochMs: number): string {
	return `${new Date(Math.floor(epochMs / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

function timeOf(answer: IDataObject): number | undefined {
	const time = typeof answer.time === 'string' ? Date.parse(answer.time) : Number.NaN;
	return Number.isFinite(time) ? time : undefined;
}

/**
 * `GET /cdc?entities=…&changedSince=…`. The answer is `{ CDCResponse: [{ QueryResponse: [{ <Entity>:
 * [...] , startPosition, maxResults }, …] }], time }`: one QueryResponse per entity that changed.
 */
export async function readChangeDataCapture(client: ChangeRequester, entities: string[], changedSinceMs: number): Promise<CdcAnswer> {
	const answer = await client.request<IDataObject>('GET', '/cdc', {
		qs: { entities: entities.join(','), changedSince: quickBooksTimestamp(changedSinceMs) },
	});
	const records: Record<string, IDataObject[]> = Object.fromEntries(entities.map((entity) => [entity, [] as IDataObject[]]));
	let total = 0;
	for (const cdc of (answer.CDCResponse ?? []) as IDataObject[]) {
		for (const response of (cdc.QueryResponse ?? []) as IDataObject[]) {
			for (const [key, value] of Object.entries(response)) {
				if (!Array.isArray(value)) continue;
				(records[key] ??= []).push(...(value as IDataObject[]));
				total += value.length;
			}
		}
	}
	// The cap is documented per answer; counting per entity as well covers either reading of it.
	const atCap = total >= CDC_MAX_OBJECTS || Object.values(records).some((rows) => rows.length >= CDC_MAX_OBJECTS);
	return { records, serverTimeMs: timeOf(answer), atCap };
}

export interface ChangedPage {
	rows: IDataObject[];
	serverTimeMs?: number;
}

/**
 * One page of `SELECT * FROM <entity> WHERE MetaData.LastUpdatedTime >= '<since>' ORDERBY
 * MetaData.LastUpdatedTime STARTPOSITION n MAXRESULTS m`. Queries never return deleted records.
 */
export async function queryChangedSince(client: ChangeRequester, entity: string, sinceMs: number, startPosition: number, maxResults = QUICKBOOKS_MAX_RESULTS): Promise<ChangedPage> {
	const query = buildQuery(entity, [{ field: 'MetaData.LastUpdatedTime', op: '>=', value: quickBooksTimestamp(sinceMs) }], {
		orderBy: 'MetaData.LastUpdatedTime',
		startPosition,
		maxResults,
	});
	const answer = await client.request<IDataObject>('POST', '/query', { body: query, contentType: 'application/text' });
	const response = (answer.QueryResponse ?? {}) as IDataObject;
	return { rows: (response[entity] ?? []) as IDataObject[], serverTimeMs: timeOf(answer) };
}
