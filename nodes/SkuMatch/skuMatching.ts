/**
 * SKU matching, without n8n: which QuickBooks item a HubSpot line's SKU names, why an invoice
 * fails when one does not, and the names of items the node creates. The seed's rule is the
 * default: the SKU must equal a QuickBooks item's SKU exactly (case-sensitive), and one failing
 * line fails the whole invoice.
 */
import { SyncError } from '../shared/errors';

/** QuickBooks' limit for Item.Name and Item.Sku (Finance.xsd). */
export const QUICKBOOKS_ITEM_TEXT_MAX = 100;
const DESCRIPTION_MAX = 4000;

export type MatchOn = 'sku' | 'name' | 'skuThenName';
export type ItemField = 'Sku' | 'Name';

export interface MatchOptions {
	matchOn: MatchOn;
	/** Default true: PROD-001 differs from prod-001, as the seed says. */
	caseSensitive: boolean;
	/** Default false: "PROD-001 " differs from "PROD-001". */
	trimSpaces: boolean;
}

export const DEFAULT_MATCH_OPTIONS: MatchOptions = { matchOn: 'sku', caseSensitive: true, trimSpaces: false };

/** The Item fields the node reads (QuickBooks JSON). */
export interface QuickBooksItem {
	Id: string;
	Name?: string;
	Sku?: string;
	Active?: boolean;
	Type?: string;
	SyncToken?: string;
	FullyQualifiedName?: string;
	[key: string]: unknown;
}

/** The item fields a mode compares the HubSpot SKU with, in order. */
export function fieldsFor(matchOn: MatchOn): ItemField[] {
	if (matchOn === 'name') return ['Name'];
	if (matchOn === 'skuThenName') return ['Sku', 'Name'];
	return ['Sku'];
}

/** A line's SKU, or null when it has none (empty or only spaces count as none). */
export function lineSku(sku: string | null | undefined): string | null {
	if (typeof sku !== 'string' || sku.trim() === '') return null;
	return sku;
}

/** Length as QuickBooks is most likely to count it (UTF-16 units; never fewer than code points). */
function textLength(value: string): number {
	return value.length;
}

/**
 * Values to put in the `IN (...)` query for these SKUs: each SKU and its trimmed form, so items
 * differing only by surrounding spaces come back (QuickBooks compares case-insensitively, so case
 * variants come back too). Values longer than QuickBooks allows cannot exist and are left out.
 */
export function queryValuesFor(skus: Iterable<string>): string[] {
	const values = new Set<string>();
	for (const sku of skus) {
		for (const value of [sku, sku.trim()]) {
			if (value.trim() !== '' && textLength(value) <= QUICKBOOKS_ITEM_TEXT_MAX) values.add(value);
		}
	}
	return [...values];
}

/** The comparison key under the chosen options. */
export function comparisonKey(value: string, options: Pick<MatchOptions, 'caseSensitive' | 'trimSpaces'>): string {
	let key = options.trimSpaces ? value.trim() : value;
	if (!options.caseSensitive) key = key.toLowerCase();
	return key;
}

/** Key under which values "differ only by case or spaces": Unicode-normalized, no whitespace, lower case. */
export function looseKey(value: string): string {
	return value.normalize('NFKC').replace(/\s+/gu, '').toLowerCase();
}

export type SkuResolution =
	| { kind: 'matched'; item: QuickBooksItem; field: ItemField }
	| { kind: 'inactive'; item: QuickBooksItem; field: ItemField }
	| { kind: 'ambiguous'; items: QuickBooksItem[]; field: ItemField }
	| { kind: 'notFound'; suggestions: string[]; tooLong: boolean };

function fieldValue(item: QuickBooksItem, field: ItemField): string | undefined {
	const value = item[field];
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Picks among the items that match: the one active item wins (inactive duplicates are retired ones). */
function decide(matches: QuickBooksItem[], field: ItemField): SkuResolution | undefined {
	if (matches.length === 0) return undefined;
	const active = matches.filter((item) => item.Active !== false);
	if (active.length === 1) return { kind: 'matched', item: active[0], field };
	if (active.length > 1) return { kind: 'ambiguous', items: active, field };
	if (matches.length === 1) return { kind: 'inactive', item: matches[0], field };
	return { kind: 'ambiguous', items: matches, field };
}

function resolveOnField(sku: string, items: QuickBooksItem[], field: ItemField, options: MatchOptions): SkuResolution | undefined {
	const candidates = items.filter((item) => fieldValue(item, field) !== undefined);
	// An exact match always wins over one that only matches after case folding / trimming.
	const exact = decide(candidates.filter((item) => fieldValue(item, field) === sku), field);
	if (exact) return exact;
	const key = comparisonKey(sku, options);
	return decide(candidates.filter((item) => comparisonKey(fieldValue(item, field) as string, options) === key), field);
}

/**
 * Which item a SKU names. `items` are whatever the lookup returned (QuickBooks' query compares
 * case-insensitively, so it may return near misses); the exact comparison happens here.
 */
export function resolveSku(sku: string, allItems: QuickBooksItem[], options: MatchOptions = DEFAULT_MATCH_OPTIONS): SkuResolution {
	// A Category only groups products; it cannot go on an invoice line.
	const items = allItems.filter((item) => item.Type !== 'Category');
	const fields = fieldsFor(options.matchOn);
	for (const field of fields) {
		const resolution = resolveOnField(sku, items, field, options);
		if (resolution) return resolution;
	}
	const wanted = looseKey(sku);
	const suggestions = new Set<string>();
	for (const field of fields) {
		for (const item of items) {
			const value = fieldValue(item, field);
			if (value !== undefined && value !== sku && looseKey(value) === wanted) suggestions.add(value);
		}
	}
	return { kind: 'notFound', suggestions: [...suggestions].sort(), tooLong: textLength(sku.trim()) > QUICKBOOKS_ITEM_TEXT_MAX };
}

/** Shows a SKU in a message; quoted when spaces or invisible characters at its edges would hide the difference. */
export function displaySku(sku: string): string {
	return /^\S(?:[\s\S]*\S)?$/u.test(sku) && !/[\p{Cc}\p{Cf}]/u.test(sku) ? sku : JSON.stringify(sku);
}

/** Why a line could not get an item. */
export type LineProblem =
	| { line: number; problem: 'missingSku' }
	| { line: number; problem: 'notFound'; sku: string; suggestions: string[]; tooLong: boolean; fallbackMissing?: string }
	| { line: number; problem: 'ambiguous'; sku: string; items: QuickBooksItem[] }
	| { line: number; problem: 'inactive'; sku: string; item: QuickBooksItem }
	| { line: number; problem: 'failed'; sku: string; error: SyncError };

// A type, not an interface: it is passed where plain JSON records are expected.
export type LineMatch = {
	itemId: string;
	itemName: string;
	/** How the item was found: by SKU, by name, the fallback item, created or reactivated by this node. */
	matchedBy: 'sku' | 'name' | 'fallback' | 'created' | 'reactivated';
};

function unique<T>(values: T[]): T[] {
	return [...new Set(values)];
}

function itemSummary(item: QuickBooksItem) {
	return { id: item.Id, name: item.Name ?? null, sku: item.Sku ?? null, active: item.Active !== false };
}

function problemDetail(problem: LineProblem): Record<string, unknown> {
	switch (problem.problem) {
		case 'missingSku':
			return { line: problem.line, problem: 'SKU_MISSING' };
		case 'notFound':
			return {
				line: problem.line,
				problem: 'SKU_NOT_FOUND',
				sku: problem.sku,
				didYouMean: problem.suggestions,
				...(problem.tooLong ? { note: `longer than QuickBooks' ${QUICKBOOKS_ITEM_TEXT_MAX}-character SKU limit` } : {}),
			};
		case 'ambiguous':
			return { line: problem.line, problem: 'SKU_AMBIGUOUS', sku: problem.sku, items: problem.items.map(itemSummary) };
		case 'inactive':
			return { line: problem.line, problem: 'ITEM_INACTIVE', sku: problem.sku, item: itemSummary(problem.item) };
		case 'failed':
			return { line: problem.line, problem: problem.error.code, sku: problem.sku, message: problem.error.message };
	}
}

/** " — did you mean PROD-001?" for one missing SKU; names the SKU each suggestion is for when several are missing. */
export function suggestionText(missing: Array<{ sku: string; suggestions: string[] }>): string {
	const withSuggestions = missing.filter((entry) => entry.suggestions.length > 0);
	if (withSuggestions.length === 0) return '';
	if (missing.length === 1) {
		return ` — did you mean ${withSuggestions[0].suggestions.map(displaySku).join(' or ')}?`;
	}
	const parts = withSuggestions.map(
		(entry) => `${entry.suggestions.map(displaySku).join(' or ')} (for ${displaySku(entry.sku)})`,
	);
	return ` — did you mean ${parts.join(', ')}?`;
}

/**
 * The one error an invoice fails with when any line failed, or undefined when every line matched.
 * Order: lines without SKU, SKUs not found, ambiguous SKUs, inactive items, failed creates /
 * reactivations. `details.problems` lists every line's problem, whatever the code.
 */
export function invoiceFailure(invoice: string, problems: LineProblem[], options: MatchOptions = DEFAULT_MATCH_OPTIONS): SyncError | undefined {
	if (problems.length === 0) return undefined;
	const base = {
		problems: problems.map(problemDetail),
		matchOn: options.matchOn,
		caseSensitive: options.caseSensitive,
		trimSpaces: options.trimSpaces,
	};
	const missingSku = problems.filter((problem) => problem.problem === 'missingSku');
	if (missingSku.length) {
		const lines = missingSku.map((problem) => problem.line);
		return new SyncError('SKU_MISSING', { invoice, lines: lines.join(', ') }, { ...base, lines });
	}
	const notFound = problems.filter((problem): problem is Extract<LineProblem, { problem: 'notFound' }> => problem.problem === 'notFound');
	if (notFound.length) {
		const bySku = new Map<string, { sku: string; suggestions: string[]; lines: number[]; tooLong: boolean }>();
		for (const problem of notFound) {
			const entry = bySku.get(problem.sku) ?? { sku: problem.sku, suggestions: problem.suggestions, lines: [], tooLong: problem.tooLong };
			entry.lines.push(problem.line);
			bySku.set(problem.sku, entry);
		}
		const missing = [...bySku.values()];
		const fallbackMissing = notFound.find((problem) => problem.fallbackMissing)?.fallbackMissing;
		const suggestions = suggestionText(missing) + (fallbackMissing ? ` (${fallbackMissing})` : '');
		return new SyncError(
			'SKU_NOT_FOUND',
			{ invoice, skus: missing.map((entry) => displaySku(entry.sku)).join(', '), suggestions },
			{
				...base,
				missingSkus: missing.map((entry) => entry.sku),
				suggestions: missing
					.filter((entry) => entry.suggestions.length)
					.map((entry) => ({ sku: entry.sku, didYouMean: entry.suggestions })),
				lines: notFound.map((problem) => problem.line),
				...(fallbackMissing ? { fallbackItem: fallbackMissing } : {}),
			},
		);
	}
	const ambiguous = problems.filter((problem): problem is Extract<LineProblem, { problem: 'ambiguous' }> => problem.problem === 'ambiguous');
	if (ambiguous.length) {
		const skus = unique(ambiguous.map((problem) => problem.sku));
		const items = unique(ambiguous.flatMap((problem) => problem.items)).map((item) => `${item.Name ?? '?'} #${item.Id}`);
		return new SyncError(
			'SKU_AMBIGUOUS',
			{ invoice, skus: skus.map(displaySku).join(', '), items: items.join(', ') },
			{ ...base, ambiguousSkus: skus, lines: ambiguous.map((problem) => problem.line) },
		);
	}
	const inactive = problems.filter((problem): problem is Extract<LineProblem, { problem: 'inactive' }> => problem.problem === 'inactive');
	if (inactive.length) {
		const skus = unique(inactive.map((problem) => problem.sku));
		const items = unique(inactive.map((problem) => problem.item));
		return new SyncError(
			'ITEM_INACTIVE',
			{ invoice, skus: skus.map(displaySku).join(', ') },
			{ ...base, inactiveSkus: skus, items: items.map(itemSummary), lines: inactive.map((problem) => problem.line) },
		);
	}
	// Creates and reactivations that QuickBooks refused: the error was built for this invoice already.
	return problems.find((problem): problem is Extract<LineProblem, { problem: 'failed' }> => problem.problem === 'failed')?.error;
}

/** Truncates to `max` UTF-16 units without splitting a surrogate pair. */
export function truncateText(value: string, max: number): string {
	if (value.length <= max) return value;
	let cut = value.slice(0, max);
	if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
	return cut;
}

/** Cleans a name for QuickBooks: no colon (the sub-item separator), no control characters, single spaces. */
function cleanText(value: string): string {
	return value
		.normalize('NFC')
		.replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
		.replace(/:/g, '-')
		.replace(/\s+/gu, ' ')
		.trim();
}

/** The Name of an item created for a SKU: the line's name cleaned, at most 100 characters (the SKU when the name is empty). */
export function newItemName(lineName: string | null | undefined, sku: string): string {
	const cleaned = cleanText(lineName ?? '') || cleanText(sku);
	return truncateText(cleaned, QUICKBOOKS_ITEM_TEXT_MAX).trim();
}

/** The name to retry with when QuickBooks says the name is taken (6240): "<name> (<sku>)", within 100 characters. */
export function uniqueItemName(name: string, sku: string): string {
	const suffix = ` (${cleanText(sku)})`;
	if (suffix.length >= QUICKBOOKS_ITEM_TEXT_MAX - 10) return truncateText(`${name}${suffix}`, QUICKBOOKS_ITEM_TEXT_MAX).trim();
	return `${truncateText(name, QUICKBOOKS_ITEM_TEXT_MAX - suffix.length).trim()}${suffix}`;
}

export function newItemDescription(description: string | null | undefined): string | undefined {
	if (!description) return undefined;
	return truncateText(description, DESCRIPTION_MAX);
}
