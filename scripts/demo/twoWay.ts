// Both directions on the same accounts: which records the sandbox holds at which version, and the
// writes one direction made only because of the other's own writes ("echo writes", must be 0).
// Used by `npm start` (scripts/start.ts) and the two-way sandbox test (test/twoWay/).
import type { Sandbox } from '../../sandbox';

/** `<api>:<type>:<id>` → a version that changes with every write to the record. */
export type RecordVersions = Map<string, string>;

/**
 * Every record of the main QuickBooks company (Id → SyncToken and last update) and of the HubSpot
 * portal (id → updatedAt and, for invoices, the properties), so any create, update, void, delete or
 * archive shows as a changed key.
 */
export function recordVersions(sandbox: Sandbox, realmId = sandbox.dataset.realmId): RecordVersions {
	const versions: RecordVersions = new Map();
	const entities = (sandbox.quickbooks.state.realms[realmId]?.entities ?? {}) as Record<string, Map<string, Record<string, any>>>;
	for (const [entity, records] of Object.entries(entities)) {
		for (const [id, record] of records) {
			versions.set(`quickbooks:${entity}:${id}`, `${record.SyncToken ?? ''}|${record.MetaData?.LastUpdatedTime ?? ''}|${record.status ?? record.TxnStatus ?? ''}`);
		}
	}
	const snapshot = sandbox.hubspot.snapshot() as { objects: Record<string, Array<{ id: string; updatedAt: string; properties: Record<string, unknown> }>> };
	for (const [type, objects] of Object.entries(snapshot.objects)) {
		for (const object of objects) versions.set(`hubspot:${type}:${object.id}`, `${object.updatedAt}|${JSON.stringify(object.properties)}`);
	}
	return versions;
}

/** Keys created, changed or gone between two readings. */
export function changedRecords(before: RecordVersions, after: RecordVersions): string[] {
	const changed = [...after].filter(([key, version]) => before.get(key) !== version).map(([key]) => key);
	const gone = [...before.keys()].filter((key) => !after.has(key));
	return [...changed, ...gone].sort();
}

/** What one direction's run wrote, per record it acted on: the upsert's action and the record on the other side. */
export interface DirectionWrite {
	/** The record the direction read (HubSpot invoice id forward, QuickBooks invoice id in reverse). */
	sourceId: string;
	/** The record it wrote on the other side, when it has one. */
	targetId?: string;
	action: string;
}

/** Upsert actions that write the invoice's content (payments and voids flowing back are not content). */
const CONTENT_WRITES = new Set(['created', 'updated']);

/**
 * Content writes one direction made to, or because of, a record the other direction wrote: the
 * forward sync creating or updating a QuickBooks invoice for a HubSpot invoice the reverse sync
 * created (or the reverse way round). The loop guards exist so that this list stays empty.
 */
export function crossDirectionEchoes(forward: DirectionWrite[], reverse: DirectionWrite[]): string[] {
	const madeByReverse = new Set(reverse.filter((write) => write.action === 'created' && write.targetId).map((write) => write.targetId!));
	const madeByForward = new Set(forward.filter((write) => write.action === 'created' && write.targetId).map((write) => write.targetId!));
	const echoes: string[] = [];
	for (const write of forward) {
		if (CONTENT_WRITES.has(write.action) && madeByReverse.has(write.sourceId)) echoes.push(`HubSpot → QuickBooks ${write.action} for HubSpot invoice ${write.sourceId}, which the QuickBooks → HubSpot sync created`);
	}
	for (const write of reverse) {
		if (CONTENT_WRITES.has(write.action) && madeByForward.has(write.sourceId)) echoes.push(`QuickBooks → HubSpot ${write.action} for QuickBooks invoice ${write.sourceId}, which the HubSpot → QuickBooks sync created`);
	}
	return echoes;
}
