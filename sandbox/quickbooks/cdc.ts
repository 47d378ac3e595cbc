/**
 * Change data capture: `GET /cdc?entities=Invoice,Payment&changedSince=<ISO>` (Intuit, ChangeDataCapture).
 * Every record of the named entities whose MetaData.LastUpdatedTime is at or after changedSince,
 * grouped by entity in the order asked, oldest change first, deletes after the live records; at most
 * 30 days back; at most 1,000 objects per answer, the rest left out without a fault.
 */
import type { QboAssumptions } from './assumptions';
import { ENTITY_BY_PATH } from './entities';
import { invalidProperty, requiredParamMissing } from './qboErrors';
import type { EntityName, QboRecord, RealmState } from './state';

export const CDC_LOOKBACK_DAYS = 30;
export const CDC_MAX_OBJECTS = 1000;
const DAY_MS = 86_400_000;
/** Intuit: CDC serves every entity except JournalCode, TaxAgency, TimeActivity, TaxCode and TaxRate. */
const NOT_CAPTURED: EntityName[] = ['TaxCode', 'TaxRate'];

function entitiesParam(raw: string | null): EntityName[] {
	if (raw === null || raw.trim() === '') throw requiredParamMissing('entities');
	return raw.split(',').map((name) => {
		const entity = ENTITY_BY_PATH[name.trim().toLowerCase()];
		if (!entity || NOT_CAPTURED.includes(entity)) throw invalidProperty(`entities: change data capture does not support "${name.trim()}"`, 'entities');
		return entity;
	});
}

/** changedSince: an ISO date or date-time within the last 30 days of the company's clock. */
function changedSinceParam(raw: string | null, now: Date): number {
	if (raw === null || raw.trim() === '') throw requiredParamMissing('changedSince');
	const ms = /^\d{4}-\d{2}-\d{2}([T ].*)?$/.test(raw.trim()) ? Date.parse(raw.trim()) : NaN;
	if (Number.isNaN(ms)) throw invalidProperty(`changedSince value "${raw}" is not a valid ISO date-time`, 'changedSince');
	if (ms < now.getTime() - CDC_LOOKBACK_DAYS * DAY_MS) {
		throw invalidProperty(`changedSince value "${raw}" is more than ${CDC_LOOKBACK_DAYS} days in the past; change data capture looks back at most ${CDC_LOOKBACK_DAYS} days`, 'changedSince');
	}
	return ms;
}

const changedAt = (record: QboRecord) => Date.parse(String(record.MetaData?.LastUpdatedTime ?? '')) || 0;

/** One entity's changes: live records by LastUpdatedTime (then Id), then its deletes. */
function changesOf(realm: RealmState, entity: EntityName, since: number, assumptions: QboAssumptions): QboRecord[] {
	const after = (record: QboRecord) => (assumptions.cdcChangedSinceBoundary === 'exclusive' ? changedAt(record) > since : changedAt(record) >= since);
	const byTime = (a: QboRecord, b: QboRecord) => changedAt(a) - changedAt(b) || Number(a.Id) - Number(b.Id);
	const live = [...realm.entities[entity].values()].filter(after).sort(byTime);
	const deleted = realm.deleted.filter((d) => d.entity === entity && after(d.record)).map((d) => d.record);
	return [...live, ...deleted.sort(byTime)];
}

/** The CDCResponse body; `time` is the company clock's now. */
export function changeDataCapture(realm: RealmState, url: URL, now: Date, assumptions: QboAssumptions): unknown {
	const entities = entitiesParam(url.searchParams.get('entities'));
	const since = changedSinceParam(url.searchParams.get('changedSince'), now);
	let room = CDC_MAX_OBJECTS;
	const queryResponses = [...new Set(entities)].map((entity) => {
		const all = changesOf(realm, entity, since, assumptions);
		const kept = all.slice(0, assumptions.cdcObjectCap === 'perEntity' ? CDC_MAX_OBJECTS : room);
		room -= kept.length;
		return kept.length ? { [entity]: JSON.parse(JSON.stringify(kept)), startPosition: 1, maxResults: kept.length } : {};
	});
	return { CDCResponse: [{ QueryResponse: queryResponses }], time: now.toISOString() };
}
