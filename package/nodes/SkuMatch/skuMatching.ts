/**
 * SKU matching, without n8n: which QuickBooks item a HubSpot line's SKU names, why an invoice
 * fails when one does not, and the names of items the node creates. By default the SKU must
 * equal a QuickBooks item's SKU exactly (case-sensitive), and one failing line fails the whole
 * invoice (docs/BEHAVIOUR.md).
 */
import { SyncError } from '../shared/errors';
import type { QuickBooksLinePart } from '../shared/invoiceContract';

/** QuickBooks' limit for Item.Name and Item.Sku (Finance.xsd). */
export const QUICKBOOKS_ITEM_TEXT_MAX = 100;
const DESCRIPTION_MAX = 4000;

export type MatchOn = 'sku' | 'name' | 'skuThenName';
export type ItemField = 'Sku' | 'Name';

export interface MatchOptions {
	matchOn: MatchOn;
	/** Default true: PROD-001 differs from prod-001 (docs/BEHAVIOUR.md). */
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

/**
 * Whether QuickBooks refuses a new item without ExpenseAccountRef in a company of this country
 * (CompanyInfo.Country): UK and Canadian companies do.
 */
export function itemNeedsExpenseAccount(country: string): boolean {
	return ['GB', 'UK', 'CA', 'UNITED KINGDOM', 'CANADA'].includes(country.trim().toUpperCase());
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

/**
 * How to look the query values up: by equality (`IN`), or, for a value with a backslash, by the
 * text before its first backslash (`LIKE 'prefix%'`). Intuit documents only \' as an escape, so
 * how QuickBooks reads \\ is not known; a prefix without backslashes reads the same either way,
 * and the exact comparison happens here anyway. A value starting with a backslash has an empty
 * prefix: every item is read.
 */
export function lookupPlan(values: string[]): { exact: string[]; prefixes: string[] } {
	const exact = values.filter((value) => !value.includes('\\'));
	const prefixes = new Set(values.filter((value) => value.includes('\\')).map((value) => value.slice(0, value.indexOf('\\'))));
	return { exact, prefixes: [...prefixes] };
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

/** A line's part as SKU Match emits it (declared in the item contract). */
export type LineMatch = Required<Pick<QuickBooksLinePart, 'itemId' | 'itemName' | 'matchedBy'>>;

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

/**
 * The two systems of a match: `source` holds the line whose SKU is looked for, `destination` the
 * products it is looked for in (HubSpot → QuickBooks, or QuickBooks → HubSpot). Messages name them.
 */
export interface SkuSides {
	source: string;
	destination: string;
}

export const TO_QUICKBOOKS: SkuSides = { source: 'HubSpot', destination: 'QuickBooks' };

/** "QuickBooks'", "HubSpot's". */
function possessive(system: string): string {
	return system.endsWith('s') ? `${system}'` : `${system}'s`;
}

/** How a near miss differs from the SKU asked for; picks the hint. */
export type DifferenceKind = 'case' | 'spaces' | 'unicodeForm';

export interface SkuDifference {
	kinds: DifferenceKind[];
	/** "QuickBooks' SKU has a trailing space", "differs only in case", "another Unicode form of É (…)". */
	description: string;
}

const SPACE_NAMES: Record<string, string> = { ' ': 'space', '\t': 'tab', '\u00a0': 'no-break space (U+00A0)' };

function codePoint(char: string): string {
	return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** "a trailing space", "2 leading spaces", "a trailing no-break space (U+00A0)", "trailing whitespace (U+0020 U+0009)". */
function spacesText(spaces: string, edge: 'leading' | 'trailing'): string {
	const chars = [...spaces];
	const name = chars.every((char) => char === chars[0]) ? SPACE_NAMES[chars[0]] : undefined;
	if (!name) return `${edge} whitespace (${chars.map(codePoint).join(' ')})`;
	if (chars.length === 1) return `a ${edge} ${name}`;
	const [word, rest] = name.split(/ (.*)/s);
	return `${chars.length} ${edge} ${word}s${rest ? ` ${rest}` : ''}`;
}

/** What differs in the spaces at one edge of the asked and the found SKU; undefined when nothing does. */
function edgeDifference(asked: string, found: string, edge: 'leading' | 'trailing', sides: SkuSides): string | undefined {
	if (asked === found) return undefined;
	if (asked === '') return `${possessive(sides.destination)} SKU has ${spacesText(found, edge)}`;
	if (found === '') return `${possessive(sides.source)} SKU has ${spacesText(asked, edge)}`;
	return `the ${edge} spaces differ`;
}

/** A letter with the marks written after it: the unit whose Unicode form can differ. */
function letters(value: string): string[] {
	return value.match(/\P{M}\p{M}*|\p{M}+/gu) ?? [];
}

/** "É as E + U+0301" for a decomposed letter, "one character" for a composed one. */
function formText(letter: string): string {
	const chars = [...letter];
	if (chars.length === 1) return 'one character';
	return `${letter.normalize('NFC')} as ${[chars[0], ...chars.slice(1).map(codePoint)].join(' + ')}`;
}

/**
 * How the SKU asked for (the source's) differs from a destination SKU that is equal under looseKey:
 * spaces at the edges (and which side has them), spaces inside, case, and Unicode form (composed vs
 * decomposed accents, full-width letters), so a message never shows two identical-looking SKUs unexplained.
 */
export function skuDifference(askedSku: string, foundSku: string, sides: SkuSides = TO_QUICKBOOKS): SkuDifference {
	const kinds = new Set<DifferenceKind>();
	const spaceParts: string[] = [];
	const edges = (value: string) => ({ lead: /^\s*/u.exec(value)?.[0] ?? '', trail: /\s*$/u.exec(value)?.[0] ?? '', core: value.trim() });
	const asked = edges(askedSku);
	const found = edges(foundSku);
	for (const [edge, left, right] of [
		['leading', asked.lead, found.lead],
		['trailing', asked.trail, found.trail],
	] as const) {
		const text = edgeDifference(left, right, edge, sides);
		if (text) spaceParts.push(text);
	}
	// Where the inner spaces are and what they are: "AB C" and "A BC" differ, so do "A B" and "A\u00a0B".
	const shape = (core: string) =>
		core
			.split(/(\s+)/u)
			.map((part, index) => (index % 2 ? part : letters(part.normalize('NFKC')).length))
			.join('|');
	if (shape(asked.core) !== shape(found.core)) spaceParts.push('the spaces inside the SKU differ');
	if (spaceParts.length) kinds.add('spaces');

	const inner = (value: string) => value.replace(/\s+/gu, '');
	const askedLetters = letters(inner(asked.core));
	const foundLetters = letters(inner(found.core));
	let formPart: string | undefined;
	if (askedLetters.length === foundLetters.length) {
		askedLetters.forEach((left, index) => {
			const right = foundLetters[index];
			if (left === right) return;
			if (left.normalize('NFKC') !== right.normalize('NFKC')) kinds.add('case');
			if (left.toLowerCase() === right.toLowerCase()) return;
			kinds.add('unicodeForm');
			if (formPart) return;
			if (left.toLowerCase().normalize('NFC') === right.toLowerCase().normalize('NFC')) {
				formPart = `another Unicode form of ${right.normalize('NFC')} (${formText(right)} in ${sides.destination}, ${formText(left)} in ${sides.source})`;
			} else {
				const [compatible, side] = right.normalize('NFKC') !== right ? [right, sides.destination] : [left, sides.source];
				formPart = `another Unicode form of ${compatible.normalize('NFKC')} (full-width or compatibility character ${compatible} in ${side})`;
			}
		});
	} else {
		// Compatibility characters that expand (a ligature such as "ﬁ") change the letter count.
		const [left, right] = [inner(asked.core).normalize('NFKC'), inner(found.core).normalize('NFKC')];
		if (left !== right && left.toLowerCase() === right.toLowerCase()) kinds.add('case');
		formPart = 'written with other Unicode characters (such as a ligature)';
		kinds.add('unicodeForm');
	}
	const parts: string[] = [];
	if (kinds.has('case')) parts.push(kinds.size === 1 ? 'differs only in case' : 'differs in case');
	parts.push(...spaceParts);
	if (formPart) parts.push(formPart);
	if (parts.length === 0 && askedSku !== foundSku) {
		kinds.add('unicodeForm');
		parts.push('written with other Unicode characters');
	}
	const ordered = (['case', 'spaces', 'unicodeForm'] as const).filter((kind) => kinds.has(kind));
	return { kinds: ordered, description: parts.join('; ') };
}

/**
 * " — did you mean PROD-001 (differs only in case)?" for one missing SKU; names the SKU each
 * suggestion is for when several are missing. Each suggestion says what differs.
 */
export function suggestionText(missing: Array<{ sku: string; suggestions: string[] }>, sides: SkuSides = TO_QUICKBOOKS): string {
	const withSuggestions = missing.filter((entry) => entry.suggestions.length > 0);
	if (withSuggestions.length === 0) return '';
	const forSku = missing.length > 1;
	const parts = withSuggestions.flatMap((entry) =>
		entry.suggestions.map(
			(suggestion) =>
				`${displaySku(suggestion)}${forSku ? ` for ${displaySku(entry.sku)}` : ''} (${skuDifference(entry.sku, suggestion, sides).description})`,
		),
	);
	return ` — did you mean ${parts.join(forSku ? ', ' : ' or ')}?`;
}

const HINT_BY_DIFFERENCE: Record<DifferenceKind, string> = {
	case: 'SKU matching is case-sensitive (PROD-001 differs from prod-001). ',
	spaces: 'SKU matching counts spaces before and after a SKU (the Trim Spaces option ignores them) and inside it. ',
	unicodeForm:
		'The SKUs look alike but are written with different Unicode characters (an accented letter as one character or as a letter plus an accent, or full-width letters); retype the SKU on one side. ',
};

/** The first sentence of SKU_NOT_FOUND's hint: what made the near misses miss. */
function notFoundReason(missing: Array<{ sku: string; suggestions: string[] }>, sides: SkuSides): string {
	const kinds = new Set(missing.flatMap((entry) => entry.suggestions.flatMap((suggestion) => skuDifference(entry.sku, suggestion, sides).kinds)));
	if (kinds.size === 0) return `No ${sides.destination} product has this SKU or one differing only in case, spaces or Unicode form. `;
	return (['case', 'spaces', 'unicodeForm'] as const)
		.filter((kind) => kinds.has(kind))
		.map((kind) => HINT_BY_DIFFERENCE[kind])
		.join('');
}

type ProblemOf<Kind extends LineProblem['problem']> = Extract<LineProblem, { problem: Kind }>;

function problemsOf<Kind extends LineProblem['problem']>(problems: LineProblem[], kind: Kind): Array<ProblemOf<Kind>> {
	return problems.filter((problem): problem is ProblemOf<Kind> => problem.problem === kind);
}

/** What every invoice failure's details carry: each line's problem and the match options used. */
interface FailureDetails {
	problems: Array<Record<string, unknown>>;
	matchOn: MatchOn;
	caseSensitive: boolean;
	trimSpaces: boolean;
}

interface MissingSku {
	sku: string;
	suggestions: string[];
	lines: number[];
	tooLong: boolean;
}

/** One entry per SKU not found, in the order of its first line. */
function missingSkus(notFound: Array<ProblemOf<'notFound'>>): MissingSku[] {
	const bySku = new Map<string, MissingSku>();
	for (const problem of notFound) {
		const entry = bySku.get(problem.sku) ?? { sku: problem.sku, suggestions: problem.suggestions, lines: [], tooLong: problem.tooLong };
		entry.lines.push(problem.line);
		bySku.set(problem.sku, entry);
	}
	return [...bySku.values()];
}

function notFoundFailure(invoice: string, notFound: Array<ProblemOf<'notFound'>>, base: FailureDetails, sides: SkuSides): SyncError {
	const missing = missingSkus(notFound);
	const fallbackMissing = notFound.find((problem) => problem.fallbackMissing)?.fallbackMissing;
	const suggestions = suggestionText(missing, sides) + (fallbackMissing ? ` (${fallbackMissing})` : '');
	const error = new SyncError(
		'SKU_NOT_FOUND',
		{ invoice, skus: missing.map((entry) => displaySku(entry.sku)).join(', '), suggestions, system: sides.destination },
		{
			...base,
			missingSkus: missing.map((entry) => entry.sku),
			suggestions: missing
				.filter((entry) => entry.suggestions.length)
				.map((entry) => ({
					sku: entry.sku,
					didYouMean: entry.suggestions,
					differences: entry.suggestions.map((suggestion) => skuDifference(entry.sku, suggestion, sides).description),
				})),
			lines: notFound.map((problem) => problem.line),
			...(fallbackMissing ? { fallbackItem: fallbackMissing } : {}),
		},
	);
	// The catalogue's hint explains a case difference; say what actually made the near misses miss.
	const rest = error.hint.replace(HINT_BY_DIFFERENCE.case, '');
	return SyncError.fromJSON({ ...error.toJSON(), hint: notFoundReason(missing, sides) + rest });
}

function ambiguousFailure(invoice: string, ambiguous: Array<ProblemOf<'ambiguous'>>, base: FailureDetails, sides: SkuSides): SyncError {
	const skus = unique(ambiguous.map((problem) => problem.sku));
	const items = unique(ambiguous.flatMap((problem) => problem.items)).map((item) => `${item.Name ?? '?'} #${item.Id}`);
	const error = new SyncError(
		'SKU_AMBIGUOUS',
		{ invoice, skus: skus.map(displaySku).join(', '), items: items.join(', '), system: sides.destination },
		{ ...base, ambiguousSkus: skus, lines: ambiguous.map((problem) => problem.line) },
	);
	// HubSpot products have no inactive state: a duplicate is deleted there.
	if (sides.destination !== 'HubSpot') return error;
	return SyncError.fromJSON({ ...error.toJSON(), hint: error.hint.replace('(or make the duplicates inactive)', '(or delete the duplicates)') });
}

/** SKU_MISSING: the line's product needs a SKU where the line comes from. */
function missingSkuFailure(invoice: string, missingSku: Array<ProblemOf<'missingSku'>>, base: FailureDetails, sides: SkuSides): SyncError {
	const lines = missingSku.map((problem) => problem.line);
	const error = new SyncError('SKU_MISSING', { invoice, lines: lines.join(', ') }, { ...base, lines });
	if (sides.source !== 'QuickBooks') return error;
	const hint = 'Every line item needs a product with a SKU. In QuickBooks, give the product or service on the line a SKU (Sales → Products and services → Edit), then retry.';
	return SyncError.fromJSON({ ...error.toJSON(), hint });
}

function inactiveFailure(invoice: string, inactive: Array<ProblemOf<'inactive'>>, base: FailureDetails): SyncError {
	const skus = unique(inactive.map((problem) => problem.sku));
	const items = unique(inactive.map((problem) => problem.item));
	return new SyncError(
		'ITEM_INACTIVE',
		{ invoice, skus: skus.map(displaySku).join(', ') },
		{ ...base, inactiveSkus: skus, items: items.map(itemSummary), lines: inactive.map((problem) => problem.line) },
	);
}

/**
 * The one error an invoice fails with when any line failed, or undefined when every line matched.
 * Order: lines without SKU, SKUs not found, ambiguous SKUs, inactive items, failed creates /
 * reactivations. `details.problems` lists every line's problem, whatever the code. `sides` names
 * where the lines come from and the catalogue the SKUs were looked for in.
 */
export function invoiceFailure(invoice: string, problems: LineProblem[], options: MatchOptions = DEFAULT_MATCH_OPTIONS, sides: SkuSides = TO_QUICKBOOKS): SyncError | undefined {
	if (problems.length === 0) return undefined;
	const base: FailureDetails = {
		problems: problems.map(problemDetail),
		matchOn: options.matchOn,
		caseSensitive: options.caseSensitive,
		trimSpaces: options.trimSpaces,
	};
	const missingSku = problemsOf(problems, 'missingSku');
	if (missingSku.length) return missingSkuFailure(invoice, missingSku, base, sides);
	const notFound = problemsOf(problems, 'notFound');
	if (notFound.length) return notFoundFailure(invoice, notFound, base, sides);
	const ambiguous = problemsOf(problems, 'ambiguous');
	if (ambiguous.length) return ambiguousFailure(invoice, ambiguous, base, sides);
	const inactive = problemsOf(problems, 'inactive');
	if (inactive.length) return inactiveFailure(invoice, inactive, base);
	// Creates and reactivations that QuickBooks refused: the error was built for this invoice already.
	return problemsOf(problems, 'failed')[0]?.error;
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
