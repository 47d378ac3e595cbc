/** Runs a parsed query against a realm's records and builds the QueryResponse QBO returns. */
import type { QboAssumptions } from './assumptions';
import { parseQuery, type Condition, type Literal, type ParsedQuery } from './queryParser';
import { cloneJson, getPath, type QboRecord, type RealmState } from './state';

/** Records of one queryable entity, in Id order. */
function recordsOf(realm: RealmState, entity: ParsedQuery['entity']): QboRecord[] {
	if (entity === 'CompanyInfo') return [realm.companyInfo];
	if (entity === 'Preferences') return [realm.preferences];
	return [...realm.entities[entity].values()].sort((a, b) => Number(a.Id) - Number(b.Id) || String(a.Id).localeCompare(String(b.Id)));
}

/**
 * The value a condition compares: references compare by their `value`
 * (CustomerRef = '5') and PrimaryEmailAddr by its `Address`, as QBO filters them.
 */
function comparableValue(record: QboRecord, field: string): unknown {
	const raw = getPath(record, field);
	if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
		const obj = raw as Record<string, unknown>;
		if ('value' in obj) return obj.value;
		if ('Address' in obj) return obj.Address;
		if ('FreeFormNumber' in obj) return obj.FreeFormNumber;
	}
	return raw;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Three-way compare; null = incomparable. Strings compare case-insensitively. For ordering
 * (< > ORDERBY) numeric strings compare as numbers and ISO dates as instants; equality against a
 * string literal stays textual, so Sku '0100' never equals '100'.
 */
function compare(actual: unknown, literal: Literal, ordering = true): number | null {
	if (actual === undefined || actual === null) return null;
	if (typeof literal === 'boolean' || typeof actual === 'boolean') {
		const a = typeof actual === 'boolean' ? actual : String(actual).toLowerCase() === 'true';
		const b = typeof literal === 'boolean' ? literal : String(literal).toLowerCase() === 'true';
		return a === b ? 0 : a ? 1 : -1;
	}
	const a = String(actual);
	const b = String(literal);
	const numA = Number(a);
	const numB = Number(b);
	const numeric = a.trim() !== '' && b.trim() !== '' && Number.isFinite(numA) && Number.isFinite(numB);
	if (numeric && (ordering || typeof literal === 'number' || typeof actual === 'number')) return Math.sign(numA - numB);
	if (ordering && ISO_DATE.test(a) && ISO_DATE.test(b)) {
		const ta = Date.parse(a);
		const tb = Date.parse(b);
		if (!Number.isNaN(ta) && !Number.isNaN(tb)) return Math.sign(ta - tb);
	}
	const la = a.toLowerCase();
	const lb = b.toLowerCase();
	return la === lb ? 0 : la < lb ? -1 : 1;
}

function likeToRegExp(pattern: string): RegExp {
	// Only % is a wildcard; every other character is literal.
	const body = pattern
		.split('%')
		.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
		.join('.*');
	return new RegExp(`^${body}$`, 'is');
}

function matches(record: QboRecord, condition: Condition): boolean {
	const actual = comparableValue(record, condition.field);
	switch (condition.op) {
		case 'IN':
			return condition.values.some((v) => compare(actual, v, false) === 0);
		case 'LIKE':
			return actual !== undefined && actual !== null && likeToRegExp(condition.pattern).test(String(actual));
		default: {
			const c = compare(actual, condition.value, condition.op !== '=');
			if (c === null) return false;
			switch (condition.op) {
				case '=':
					return c === 0;
				case '<':
					return c < 0;
				case '>':
					return c > 0;
				case '<=':
					return c <= 0;
				case '>=':
					return c >= 0;
			}
		}
	}
	return false;
}

export function runParsedQuery(realm: RealmState, query: ParsedQuery): Record<string, unknown> {
	let rows = recordsOf(realm, query.entity).filter((r) => query.where.every((c) => matches(r, c)));
	// Inactive records are hidden unless the query filters on Active itself.
	const mentionsActive = query.where.some((c) => c.field.toLowerCase() === 'active');
	if (!mentionsActive) rows = rows.filter((r) => r.Active !== false);

	if (query.projection === 'count') return { totalCount: rows.length };

	if (query.orderBy.length) {
		rows = [...rows].sort((x, y) => {
			for (const { field, descending } of query.orderBy) {
				const a = comparableValue(x, field);
				const b = comparableValue(y, field);
				let c: number;
				if (a === undefined || a === null) c = b === undefined || b === null ? 0 : -1;
				else if (b === undefined || b === null) c = 1;
				else c = compare(a, b as Literal) ?? 0;
				if (c !== 0) return descending ? -c : c;
			}
			return 0;
		});
	}
	const page = rows.slice(query.startPosition - 1, query.startPosition - 1 + query.maxResults);
	if (page.length === 0) return {};
	return {
		[query.entity]: page.map((r) => cloneJson(r)),
		startPosition: query.startPosition,
		maxResults: page.length,
	};
}

/** Parses and runs a query text; throws QboError 4000 on unsupported syntax. */
export function runQuery(realm: RealmState, text: string, assumptions?: Pick<QboAssumptions, 'queryBackslash'>): Record<string, unknown> {
	return runParsedQuery(realm, parseQuery(text, assumptions));
}
