/** In-memory company data of the simulator: one RealmState per QuickBooks company (realm). */

export const ENTITY_NAMES = [
	'Item',
	'Customer',
	'Invoice',
	'TaxCode',
	'TaxRate',
	'Account',
	'Vendor',
	'Employee',
	'Payment',
	'CreditMemo',
	'PaymentMethod',
] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];

/** Entities the query endpoint knows (CompanyInfo and Preferences are single records). */
export const QUERYABLE_ENTITIES = [...ENTITY_NAMES, 'CompanyInfo', 'Preferences'] as const;
export type QueryableEntity = (typeof QUERYABLE_ENTITIES)[number];

export type QboRecord = Record<string, any>;

export interface QboCompanySeed {
	realmId: string;
	/** QBO CompanyInfo JSON incl. Country, CompanyName. */
	companyInfo: any;
	/** QBO Preferences JSON incl. TaxPrefs.PartnerTaxEnabled, CurrencyPrefs, AccountingInfoPrefs.BookCloseDate. */
	preferences: any;
	entities: Partial<Record<EntityName, any[]>>;
}

/** A response remembered for `?requestid=` replay. */
export interface StoredResponse {
	status: number;
	body: unknown;
}

export interface RealmState {
	realmId: string;
	companyInfo: QboRecord;
	preferences: QboRecord;
	/** Records by Id, in creation order. */
	entities: Record<EntityName, Map<string, QboRecord>>;
	/** Next numeric Id per entity. */
	nextId: Record<EntityName, number>;
	/** requestid → the original response (per company, as in QBO). */
	requestIds: Map<string, StoredResponse>;
	/** What deletes left behind for change data capture: `{ entity, record: { Id, status: 'Deleted', MetaData } }`. */
	deleted: { entity: EntityName; record: QboRecord }[];
}

export interface QboState {
	realms: Record<string, RealmState>;
}

export function cloneJson<T>(value: T): T {
	return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

/**
 * A MetaData time as QuickBooks writes it: whole seconds (Intuit's samples, e.g.
 * "2015-07-01T09:16:28-07:00"), so changes within one second share their LastUpdatedTime.
 */
export function qboTimestamp(now: Date): string {
	return new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function metaData(now: Date, createTime?: string): { CreateTime: string; LastUpdatedTime: string } {
	const stamp = qboTimestamp(now);
	return { CreateTime: createTime ?? stamp, LastUpdatedTime: stamp };
}

/** Builds a realm from its seed: fills in Id, SyncToken, MetaData, domain and sparse like QBO returns them. */
export function realmFromSeed(seed: QboCompanySeed, now: Date): RealmState {
	const entities = {} as Record<EntityName, Map<string, QboRecord>>;
	const nextId = {} as Record<EntityName, number>;
	for (const name of ENTITY_NAMES) {
		const map = new Map<string, QboRecord>();
		let maxId = 0;
		for (const raw of seed.entities[name] ?? []) {
			const numericId = Number(raw.Id);
			if (raw.Id !== undefined && Number.isInteger(numericId)) maxId = Math.max(maxId, numericId);
		}
		for (const raw of seed.entities[name] ?? []) {
			const record = cloneJson(raw);
			if (record.Id === undefined) record.Id = String(++maxId);
			record.Id = String(record.Id);
			record.SyncToken = String(record.SyncToken ?? '0');
			record.domain = record.domain ?? 'QBO';
			record.sparse = false;
			record.MetaData = { ...metaData(now), ...(record.MetaData ?? {}) };
			if (['Item', 'Customer', 'TaxCode', 'TaxRate', 'Account', 'Vendor', 'Employee', 'PaymentMethod'].includes(name) && record.Active === undefined) {
				record.Active = true;
			}
			map.set(record.Id, record);
		}
		entities[name] = map;
		nextId[name] = maxId + 1;
	}
	const single = (raw: any) => ({
		...cloneJson(raw ?? {}),
		Id: String(raw?.Id ?? '1'),
		SyncToken: String(raw?.SyncToken ?? '0'),
		domain: 'QBO',
		sparse: false,
		MetaData: { ...metaData(now), ...(raw?.MetaData ?? {}) },
	});
	return {
		realmId: seed.realmId,
		companyInfo: single(seed.companyInfo),
		preferences: single(seed.preferences),
		entities,
		nextId,
		requestIds: new Map(),
		deleted: [],
	};
}

/** Plain-JSON view of all realms (for /__sandbox/state and tests). */
export function snapshotState(state: QboState): any {
	const realms: Record<string, unknown> = {};
	for (const [realmId, realm] of Object.entries(state.realms)) {
		const entities: Record<string, QboRecord[]> = {};
		for (const name of ENTITY_NAMES) entities[name] = cloneJson([...realm.entities[name].values()]);
		realms[realmId] = {
			realmId,
			companyInfo: cloneJson(realm.companyInfo),
			preferences: cloneJson(realm.preferences),
			entities,
			requestIdsRemembered: realm.requestIds.size,
		};
	}
	return { realms };
}

/** Reads a dotted path ("MetaData.LastUpdatedTime"), matching each segment case-insensitively. */
export function getPath(record: unknown, path: string): unknown {
	let current: any = record;
	for (const segment of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		if (segment in current) {
			current = current[segment];
			continue;
		}
		const key = Object.keys(current).find((k) => k.toLowerCase() === segment.toLowerCase());
		current = key === undefined ? undefined : current[key];
	}
	return current;
}

/** QBO's US pseudo tax codes on lines (not TaxCode records). */
export const US_LINE_TAX_CODES = ['TAX', 'NON'];

export function isUsCompany(realm: RealmState): boolean {
	const country = String(realm.companyInfo.Country ?? '').toUpperCase();
	return country === 'US' || country === 'USA';
}
