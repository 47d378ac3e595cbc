/**
 * `POST /crm/v3/objects/{type}/search`: filterGroups (groups OR'd, filters AND'd), one sort,
 * offset paging with `after`, and HubSpot's limits (5 groups, 10 filters per group, 25 in all,
 * 200 per page, 10,000 results per query).
 */
import { errors } from './errors';
import { presentObject, propertyList } from './present';
import { compareIds, parseHubSpotTime, type HubSpotStore } from './store';
import type { HubSpotObject, ObjectType, PropertyDefinition } from './types';

export const SEARCH_LIMITS = {
	maxGroups: 5,
	maxFiltersPerGroup: 10,
	maxFilters: 25,
	maxLimit: 200,
	defaultLimit: 10,
	maxResults: 10_000,
	maxQueryLength: 3000,
};

/**
 * How far HubSpot's search index trails the records (observed: a record created moments ago may
 * be missing from search results for a while). `indexLagMs`: records created less than this long
 * ago are left out of search results; 0 (the default) shows every record at once.
 */
export interface SearchSettings {
	indexLagMs: number;
}

export const DEFAULT_SEARCH_SETTINGS: SearchSettings = { indexLagMs: 0 };

const searchSettingsOf = new WeakMap<HubSpotStore, { settings: SearchSettings; now: () => Date }>();

/** The search settings (and clock) a store's searches follow. */
export function useSearchSettings(store: HubSpotStore, settings: SearchSettings, now: () => Date): void {
	searchSettingsOf.set(store, { settings, now });
}

/** Whether the search index has caught up with a record yet. */
function indexed(store: HubSpotStore, object: HubSpotObject): boolean {
	const entry = searchSettingsOf.get(store);
	if (!entry || entry.settings.indexLagMs <= 0) return true;
	return entry.now().getTime() - Date.parse(object.createdAt) >= entry.settings.indexLagMs;
}

const OPERATORS = [
	'EQ',
	'NEQ',
	'LT',
	'LTE',
	'GT',
	'GTE',
	'BETWEEN',
	'IN',
	'NOT_IN',
	'HAS_PROPERTY',
	'NOT_HAS_PROPERTY',
	'CONTAINS_TOKEN',
	'NOT_CONTAINS_TOKEN',
] as const;
type Operator = (typeof OPERATORS)[number];

interface Filter {
	propertyName: string;
	operator: Operator;
	value?: unknown;
	highValue?: unknown;
	values?: unknown[];
}

/** Properties the free-text `query` looks in (HubSpot's default searchable properties). */
const QUERY_PROPERTIES: Record<ObjectType, string[]> = {
	invoices: ['hs_number', 'hs_title'],
	line_items: ['name', 'hs_sku', 'description'],
	contacts: ['email', 'firstname', 'lastname', 'company', 'phone'],
	companies: ['name', 'domain', 'phone'],
	products: ['name', 'hs_sku', 'description'],
	discounts: ['hs_label'],
	fees: ['hs_label'],
	taxes: ['hs_label'],
	commerce_payments: ['hs_reference_number'],
};

export function searchObjects(store: HubSpotStore, type: ObjectType, body: unknown) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw errors.validation('Invalid input JSON: the search request must be a JSON object.');
	}
	const req = body as Record<string, unknown>;
	const groups = parseFilterGroups(store, type, req.filterGroups);
	const sort = parseSort(req.sorts);
	const limit = parseLimit(req.limit);
	const after = parseAfter(req.after);
	const requested = propertyList(req.properties);
	const query = req.query === undefined || req.query === null ? '' : String(req.query);
	if (query.length > SEARCH_LIMITS.maxQueryLength) {
		throw errors.validation(`query: length must be at most ${SEARCH_LIMITS.maxQueryLength} characters`);
	}

	let matches = store
		.list(type)
		.filter((o) => indexed(store, o))
		.filter((o) => groups.length === 0 || groups.some((filters) => filters.every((f) => matchFilter(store, type, o, f))));
	if (query) matches = matches.filter((o) => matchQuery(type, o, query));
	if (sort) matches.sort(compareBy(store, type, sort.propertyName, sort.descending));

	const total = matches.length;
	// HubSpot refuses to page past the 10,000th result of a query.
	if (after >= SEARCH_LIMITS.maxResults) {
		throw errors.validation(
			`Search results are limited to ${SEARCH_LIMITS.maxResults} per query; paging beyond result ${SEARCH_LIMITS.maxResults} is not supported (after=${after}). Narrow the filters instead.`,
		);
	}
	const end = Math.min(after + limit, total, SEARCH_LIMITS.maxResults);
	const results = matches.slice(after, end).map((o) => presentObject(store, type, o, requested));
	const response: Record<string, unknown> = { total, results };
	if (end < total) response.paging = { next: { after: String(end), link: `?after=${end}` } };
	return response;
}

function parseFilterGroups(store: HubSpotStore, type: ObjectType, raw: unknown): Filter[][] {
	if (raw === undefined || raw === null) return [];
	if (!Array.isArray(raw)) throw errors.validation('filterGroups: must be an array');
	if (raw.length > SEARCH_LIMITS.maxGroups) {
		throw errors.validation(
			`Too many filter groups: ${raw.length}. A search request can have at most ${SEARCH_LIMITS.maxGroups} filterGroups.`,
		);
	}
	let totalFilters = 0;
	const groups = raw.map((group, gi) => {
		const filters = (group as { filters?: unknown })?.filters;
		if (!Array.isArray(filters)) throw errors.validation(`filterGroups[${gi}].filters: must be an array`);
		if (filters.length > SEARCH_LIMITS.maxFiltersPerGroup) {
			throw errors.validation(
				`Too many filters in filterGroups[${gi}]: ${filters.length}. A filter group can have at most ${SEARCH_LIMITS.maxFiltersPerGroup} filters.`,
			);
		}
		totalFilters += filters.length;
		return filters.map((f, fi) => parseFilter(store, type, f, `filterGroups[${gi}].filters[${fi}]`));
	});
	if (totalFilters > SEARCH_LIMITS.maxFilters) {
		throw errors.validation(
			`Too many filters: ${totalFilters}. A search request can have at most ${SEARCH_LIMITS.maxFilters} filters in total.`,
		);
	}
	// An empty group matches nothing useful in HubSpot; drop it so it doesn't match everything.
	return groups.filter((g) => g.length > 0);
}

function parseFilter(store: HubSpotStore, type: ObjectType, raw: unknown, at: string): Filter {
	if (!raw || typeof raw !== 'object') throw errors.validation(`${at}: must be an object`);
	const f = raw as Record<string, unknown>;
	const propertyName = typeof f.propertyName === 'string' ? f.propertyName : '';
	if (!propertyName) throw errors.validation(`${at}.propertyName: must not be empty`);
	const operator = String(f.operator ?? 'EQ').toUpperCase() as Operator;
	if (!OPERATORS.includes(operator)) {
		throw errors.validation(`${at}.operator: '${String(f.operator)}' is not one of ${OPERATORS.join(', ')}`);
	}
	if (!store.propertyDefinition(type, propertyName) && propertyName !== 'id') {
		throw errors.validation(`${at}.propertyName: Property "${propertyName}" does not exist on ${type}`);
	}
	const needsValue = !['HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'IN', 'NOT_IN'].includes(operator);
	if (needsValue && (f.value === undefined || f.value === null)) {
		throw errors.validation(`${at}.value: operator ${operator} requires a value`);
	}
	if (operator === 'BETWEEN' && (f.highValue === undefined || f.highValue === null)) {
		throw errors.validation(`${at}.highValue: operator BETWEEN requires a highValue`);
	}
	if ((operator === 'IN' || operator === 'NOT_IN') && !Array.isArray(f.values)) {
		throw errors.validation(`${at}.values: operator ${operator} requires a values array`);
	}
	return {
		propertyName,
		operator,
		value: f.value,
		highValue: f.highValue,
		values: f.values as unknown[] | undefined,
	};
}

function parseSort(raw: unknown): { propertyName: string; descending: boolean } | undefined {
	if (raw === undefined || raw === null) return undefined;
	if (!Array.isArray(raw)) throw errors.validation('sorts: must be an array');
	// HubSpot honours only one sort: the first.
	const first = raw[0];
	if (first === undefined) return undefined;
	if (typeof first === 'string') {
		const descending = first.startsWith('-');
		return { propertyName: descending ? first.slice(1) : first, descending };
	}
	if (first && typeof first === 'object' && typeof (first as any).propertyName === 'string') {
		const direction = String((first as any).direction ?? 'ASCENDING').toUpperCase();
		if (direction !== 'ASCENDING' && direction !== 'DESCENDING') {
			throw errors.validation(`sorts[0].direction: '${direction}' is not one of ASCENDING, DESCENDING`);
		}
		return { propertyName: (first as any).propertyName, descending: direction === 'DESCENDING' };
	}
	throw errors.validation('sorts[0]: must be a property name or {propertyName, direction}');
}

function parseLimit(raw: unknown): number {
	if (raw === undefined || raw === null) return SEARCH_LIMITS.defaultLimit;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0) throw errors.validation(`limit: '${String(raw)}' is not a valid integer`);
	if (n > SEARCH_LIMITS.maxLimit) {
		throw errors.validation(`limit: must be less than or equal to ${SEARCH_LIMITS.maxLimit} (got ${n})`);
	}
	return n;
}

function parseAfter(raw: unknown): number {
	if (raw === undefined || raw === null || raw === '') return 0;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0) throw errors.validation(`after: '${String(raw)}' is not a valid paging cursor`);
	return n;
}

type Comparable = number | string;

function definition(store: HubSpotStore, type: ObjectType, name: string): PropertyDefinition | undefined {
	return store.propertyDefinition(type, name);
}

/** Normalizes a value for comparison according to the property's type. */
function normalize(def: PropertyDefinition | undefined, value: unknown): Comparable | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value);
	switch (def?.type) {
		case 'number': {
			const n = Number(text);
			return Number.isFinite(n) ? n : undefined;
		}
		case 'datetime':
		case 'date':
			return parseHubSpotTime(text);
		default:
			// HubSpot's string matching is case-insensitive.
			return text.toLowerCase();
	}
}

function valueOf(o: HubSpotObject, name: string): string | undefined {
	if (name === 'id') return o.id;
	const v = o.properties[name];
	return v === null || v === undefined || v === '' ? undefined : v;
}

function matchFilter(store: HubSpotStore, type: ObjectType, o: HubSpotObject, f: Filter): boolean {
	const def = f.propertyName === 'id' ? ({ type: 'number' } as PropertyDefinition) : definition(store, type, f.propertyName);
	const raw = valueOf(o, f.propertyName);
	const actual = normalize(def, raw);
	const wanted = () => normalize(def, f.value);
	switch (f.operator) {
		case 'HAS_PROPERTY':
			return raw !== undefined;
		case 'NOT_HAS_PROPERTY':
			return raw === undefined;
		case 'EQ':
			return actual !== undefined && actual === wanted();
		case 'NEQ':
			return actual === undefined || actual !== wanted();
		case 'IN':
			return actual !== undefined && (f.values ?? []).some((v) => normalize(def, v) === actual);
		case 'NOT_IN':
			return actual === undefined || !(f.values ?? []).some((v) => normalize(def, v) === actual);
		case 'LT':
		case 'LTE':
		case 'GT':
		case 'GTE': {
			const w = wanted();
			if (actual === undefined || w === undefined) return false;
			if (f.operator === 'LT') return actual < w;
			if (f.operator === 'LTE') return actual <= w;
			if (f.operator === 'GT') return actual > w;
			return actual >= w;
		}
		case 'BETWEEN': {
			const lo = wanted();
			const hi = normalize(def, f.highValue);
			return actual !== undefined && lo !== undefined && hi !== undefined && actual >= lo && actual <= hi;
		}
		case 'CONTAINS_TOKEN':
			return raw !== undefined && containsToken(raw, String(f.value));
		case 'NOT_CONTAINS_TOKEN':
			return raw === undefined || !containsToken(raw, String(f.value));
	}
}

/** Token match; `*` in the token is a wildcard (HubSpot's CONTAINS_TOKEN). */
function containsToken(text: string, token: string): boolean {
	const pattern = new RegExp(
		'^' + token.toLowerCase().split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$',
	);
	const lower = text.toLowerCase();
	if (pattern.test(lower)) return true;
	return lower.split(/[\s,;:@._\-/]+/).some((t) => t && pattern.test(t));
}

function matchQuery(type: ObjectType, o: HubSpotObject, query: string): boolean {
	const q = query.toLowerCase();
	return QUERY_PROPERTIES[type].some((name) => (o.properties[name] ?? '').toLowerCase().includes(q));
}

function compareBy(store: HubSpotStore, type: ObjectType, name: string, descending: boolean) {
	const def = name === 'id' ? ({ type: 'number' } as PropertyDefinition) : definition(store, type, name);
	return (a: HubSpotObject, b: HubSpotObject): number => {
		const va = normalize(def, valueOf(a, name));
		const vb = normalize(def, valueOf(b, name));
		// Records without the property sort last either way.
		if (va === undefined && vb === undefined) return compareIds(a.id, b.id);
		if (va === undefined) return 1;
		if (vb === undefined) return -1;
		if (va === vb) return compareIds(a.id, b.id);
		const order = va < vb ? -1 : 1;
		return descending ? -order : order;
	};
}
