import {
	DEFAULT_MATCH_OPTIONS,
	comparisonKey,
	displaySku,
	invoiceFailure,
	lineSku,
	lookupPlan,
	looseKey,
	newItemName,
	queryValuesFor,
	resolveSku,
	skuDifference,
	suggestionText,
	truncateText,
	uniqueItemName,
	type MatchOptions,
	type QuickBooksItem,
} from '../../package/nodes/SkuMatch/skuMatching';

const item = (Id: string, Sku: string | undefined, Name = `Item ${Id}`, Active = true): QuickBooksItem => ({ Id, Sku, Name, Active, SyncToken: '0' });
const options = (overrides: Partial<MatchOptions> = {}): MatchOptions => ({ ...DEFAULT_MATCH_OPTIONS, ...overrides });

describe('SKU matching defaults (exact and case-sensitive)', () => {
	const catalog = [item('1', 'PROD-001'), item('2', 'PROD-002 '), item('3', 'Widget', 'PROD-003')];

	it('matches a SKU that equals a QuickBooks SKU exactly', () => {
		expect(resolveSku('PROD-001', catalog)).toEqual({ kind: 'matched', item: catalog[0], field: 'Sku' });
	});

	it('does not match a case variant, and suggests the QuickBooks SKU', () => {
		expect(resolveSku('prod-001', catalog)).toEqual({ kind: 'notFound', suggestions: ['PROD-001'], tooLong: false });
	});

	it('does not match a SKU differing only by surrounding spaces, and suggests it', () => {
		expect(resolveSku('PROD-002', catalog)).toEqual({ kind: 'notFound', suggestions: ['PROD-002 '], tooLong: false });
		expect(resolveSku(' PROD-001', catalog)).toMatchObject({ kind: 'notFound', suggestions: ['PROD-001'] });
	});

	it('suggests items differing only by inner spaces or Unicode width', () => {
		const items = [item('1', 'PROD 001'), item('2', 'ＡＢＣ-1')];
		expect(resolveSku('PROD001', items)).toMatchObject({ kind: 'notFound', suggestions: ['PROD 001'] });
		expect(resolveSku('abc-1', items)).toMatchObject({ kind: 'notFound', suggestions: ['ＡＢＣ-1'] });
	});

	it('never matches on the name unless asked, and gives no suggestion for a different SKU', () => {
		expect(resolveSku('PROD-003', catalog)).toEqual({ kind: 'notFound', suggestions: [], tooLong: false });
		expect(resolveSku('PROD-999', catalog)).toEqual({ kind: 'notFound', suggestions: [], tooLong: false });
	});

	it('never matches a Category (it cannot go on an invoice line)', () => {
		const category = { ...item('5', 'PROD-001', 'PROD-001'), Type: 'Category' };
		expect(resolveSku('PROD-001', [category], options({ matchOn: 'skuThenName' }))).toMatchObject({ kind: 'notFound', suggestions: [] });
	});

	it('ignores items without a SKU', () => {
		expect(resolveSku('PROD-001', [item('9', undefined, 'PROD-001')])).toMatchObject({ kind: 'notFound' });
	});
});

describe('SKU matching options', () => {
	it('ignore case: PROD-001 matches prod-001', () => {
		const items = [item('1', 'PROD-001')];
		expect(resolveSku('prod-001', items, options({ caseSensitive: false }))).toMatchObject({ kind: 'matched', item: { Id: '1' } });
		expect(resolveSku('prod-001 ', items, options({ caseSensitive: false }))).toMatchObject({ kind: 'notFound' });
	});

	it('trim spaces: surrounding spaces are ignored on both sides, case still counts', () => {
		const items = [item('1', ' PROD-001 ')];
		expect(resolveSku('PROD-001', items, options({ trimSpaces: true }))).toMatchObject({ kind: 'matched', item: { Id: '1' } });
		expect(resolveSku('prod-001', items, options({ trimSpaces: true }))).toMatchObject({ kind: 'notFound', suggestions: [' PROD-001 '] });
		expect(resolveSku(' prod-001', items, options({ trimSpaces: true, caseSensitive: false }))).toMatchObject({ kind: 'matched' });
	});

	it('an exact match wins over case variants when ignoring case (no false ambiguity)', () => {
		const items = [item('1', 'prod-001'), item('2', 'PROD-001')];
		expect(resolveSku('PROD-001', items, options({ caseSensitive: false }))).toMatchObject({ kind: 'matched', item: { Id: '2' } });
		expect(resolveSku('Prod-001', items, options({ caseSensitive: false }))).toMatchObject({ kind: 'ambiguous' });
	});

	it('match on name compares the SKU with the item name', () => {
		const items = [item('1', 'X-1', 'PROD-001'), item('2', 'PROD-001', 'Other')];
		expect(resolveSku('PROD-001', items, options({ matchOn: 'name' }))).toEqual({ kind: 'matched', item: items[0], field: 'Name' });
		expect(resolveSku('prod-001', items, options({ matchOn: 'name' }))).toMatchObject({ kind: 'notFound', suggestions: ['PROD-001'] });
	});

	it('SKU then name: the SKU wins; the name is tried only when no SKU matches', () => {
		const items = [item('1', 'X-1', 'PROD-001'), item('2', 'PROD-001', 'Other'), item('3', 'Y', 'ONLY-NAME')];
		const mode = options({ matchOn: 'skuThenName' });
		expect(resolveSku('PROD-001', items, mode)).toMatchObject({ kind: 'matched', item: { Id: '2' }, field: 'Sku' });
		expect(resolveSku('ONLY-NAME', items, mode)).toMatchObject({ kind: 'matched', item: { Id: '3' }, field: 'Name' });
		expect(resolveSku('only-name', items, mode)).toMatchObject({ kind: 'notFound', suggestions: ['ONLY-NAME'] });
	});
});

describe('inactive and duplicate items', () => {
	it('an inactive match is reported as inactive', () => {
		const items = [item('1', 'OLD-1', 'Old', false)];
		expect(resolveSku('OLD-1', items)).toEqual({ kind: 'inactive', item: items[0], field: 'Sku' });
	});

	it('two active items with the same SKU are ambiguous: the node does not guess', () => {
		const items = [item('1', 'DUP'), item('2', 'DUP')];
		expect(resolveSku('DUP', items)).toEqual({ kind: 'ambiguous', items, field: 'Sku' });
	});

	it('one active item among inactive duplicates wins (retired duplicates are inactive)', () => {
		const items = [item('1', 'DUP', 'Old', false), item('2', 'DUP')];
		expect(resolveSku('DUP', items)).toMatchObject({ kind: 'matched', item: { Id: '2' } });
	});

	it('several inactive duplicates are ambiguous', () => {
		const items = [item('1', 'DUP', 'a', false), item('2', 'DUP', 'b', false)];
		expect(resolveSku('DUP', items)).toMatchObject({ kind: 'ambiguous' });
	});
});

describe('hostile SKUs', () => {
	const hostile = ["O'Brien-1", 'C:\\temp\\x', '100%', "a\\'b", 'Ünïcødé-ß', 'naïve', '🚀-ROCKET', '\u0000nul', '%', "'", '\\'];

	it.each(hostile)('matches %j exactly and only exactly', (sku) => {
		const variant = sku.toUpperCase() === sku ? sku.toLowerCase() : sku.toUpperCase();
		const items = [item('1', sku), item('2', `${sku}x`), item('3', ` ${sku}`), ...(variant !== sku ? [item('4', variant)] : [])];
		const result = resolveSku(sku, items);
		expect(result).toMatchObject({ kind: 'matched', item: { Id: '1' } });
	});

	it('treats % and _ as literal characters, not wildcards', () => {
		expect(resolveSku('10%', [item('1', '10% off'), item('2', '10_')])).toMatchObject({ kind: 'notFound', suggestions: [] });
		expect(resolveSku('A_C', [item('1', 'ABC')])).toMatchObject({ kind: 'notFound', suggestions: [] });
	});

	it('keeps composed and decomposed accents apart by default but suggests one for the other', () => {
		const composed = 'caf\u00e9';
		const decomposed = 'cafe\u0301';
		expect(resolveSku(decomposed, [item('1', composed)])).toMatchObject({ kind: 'notFound', suggestions: [composed] });
	});

	it('leaves out of the query values that cannot be QuickBooks SKUs (over 100 characters), and flags them', () => {
		const long = 'X'.repeat(101);
		expect(queryValuesFor([long, 'OK'])).toEqual(['OK']);
		expect(resolveSku(long, [])).toEqual({ kind: 'notFound', suggestions: [], tooLong: true });
		expect(queryValuesFor(['Y'.repeat(100)])).toEqual(['Y'.repeat(100)]);
	});

	it('lookup plan: values with a backslash are looked up by the text before it (LIKE), the rest by equality (IN)', () => {
		expect(lookupPlan(['A-1', 'C:\\temp\\x', 'C:\\other', '\\lead', "O'B"])).toEqual({ exact: ['A-1', "O'B"], prefixes: ['C:', ''] });
	});

	it('query values: each SKU and its trimmed form, once each, never empty', () => {
		expect(queryValuesFor(['PROD-001 ', 'PROD-001', ' A ', "O'B"])).toEqual(['PROD-001 ', 'PROD-001', ' A ', 'A', "O'B"]);
		expect(queryValuesFor(['   '])).toEqual([]);
	});
});

describe('small helpers', () => {
	it('lineSku: empty and whitespace-only SKUs are missing; others are kept as written', () => {
		expect(lineSku(null)).toBeNull();
		expect(lineSku(undefined)).toBeNull();
		expect(lineSku('')).toBeNull();
		expect(lineSku(' \t')).toBeNull();
		expect(lineSku(' A ')).toBe(' A ');
	});

	it('comparisonKey and looseKey', () => {
		expect(comparisonKey(' Ab ', { caseSensitive: true, trimSpaces: false })).toBe(' Ab ');
		expect(comparisonKey(' Ab ', { caseSensitive: false, trimSpaces: true })).toBe('ab');
		expect(looseKey(' P R\tO-1 ')).toBe('pro-1');
	});

	it('displaySku quotes SKUs whose edges or invisible characters would hide a difference', () => {
		expect(displaySku('PROD-001')).toBe('PROD-001');
		expect(displaySku('A B')).toBe('A B');
		expect(displaySku('PROD-001 ')).toBe('"PROD-001 "');
		expect(displaySku('a\u200bb')).toBe('"a\u200bb"');
	});

	it('suggestion text for one and for several missing SKUs says what differs', () => {
		expect(suggestionText([{ sku: 'prod-001', suggestions: ['PROD-001'] }])).toBe(' — did you mean PROD-001 (differs only in case)?');
		expect(suggestionText([{ sku: 'x', suggestions: [] }])).toBe('');
		expect(
			suggestionText([
				{ sku: 'prod-001', suggestions: ['PROD-001'] },
				{ sku: 'NOPE', suggestions: [] },
				{ sku: 'ab', suggestions: ['AB', 'Ab '] },
			]),
		).toBe(
			' — did you mean PROD-001 for prod-001 (differs only in case), AB for ab (differs only in case), ' +
				'"Ab " for ab (differs in case; QuickBooks\' SKU has a trailing space)?',
		);
	});
});

describe('what differs between a missing SKU and the near miss QuickBooks has', () => {
	const composedE = '\u00c9CRU-1'; // É as one character
	const decomposedE = 'E\u0301CRU-1'; // E + combining acute accent: looks the same

	it('names a trailing or leading space and the side that has it', () => {
		expect(skuDifference('PROD-002', 'PROD-002 ')).toEqual({ kinds: ['spaces'], description: "QuickBooks' SKU has a trailing space" });
		expect(skuDifference('PROD-001 ', 'PROD-001')).toEqual({ kinds: ['spaces'], description: "HubSpot's SKU has a trailing space" });
		expect(skuDifference('PROD-001', '  PROD-001').description).toBe("QuickBooks' SKU has 2 leading spaces");
		expect(skuDifference('PROD-001', 'PROD-001\u00a0').description).toBe("QuickBooks' SKU has a trailing no-break space (U+00A0)");
		expect(skuDifference('PROD001', 'PROD 001')).toEqual({ kinds: ['spaces'], description: 'the spaces inside the SKU differ' });
	});

	it('names another Unicode form of the same letter, and which side has which form', () => {
		expect(skuDifference(decomposedE, composedE)).toEqual({
			kinds: ['unicodeForm'],
			description: 'another Unicode form of É (one character in QuickBooks, É as E + U+0301 in HubSpot)',
		});
		expect(skuDifference(composedE, decomposedE).description).toBe('another Unicode form of É (É as E + U+0301 in QuickBooks, one character in HubSpot)');
		expect(skuDifference('abc-1', 'ＡＢＣ-1')).toEqual({
			kinds: ['case', 'unicodeForm'],
			description: 'differs in case; another Unicode form of A (full-width or compatibility character Ａ in QuickBooks)',
		});
	});

	it('says "differs only in case" only when case is the only difference', () => {
		expect(skuDifference('prod-001', 'PROD-001')).toEqual({ kinds: ['case'], description: 'differs only in case' });
		expect(skuDifference('ab', 'Ab ')).toEqual({ kinds: ['case', 'spaces'], description: "differs in case; QuickBooks' SKU has a trailing space" });
	});

	it('a SKU with a trailing space in QuickBooks: the message names the space, the hint is about spaces, not case', () => {
		const error = invoiceFailure('INV-9', [{ line: 1, problem: 'notFound', sku: 'PROD-002', suggestions: ['PROD-002 '], tooLong: false }]);
		expect(error?.message).toBe('Invoice INV-9: no QuickBooks product with SKU PROD-002 — did you mean "PROD-002 " (QuickBooks\' SKU has a trailing space)?');
		expect(error?.hint).not.toMatch(/case-sensitive/);
		expect(error?.hint).toMatch(/spaces before and after/);
		expect(error?.details.suggestions).toEqual([
			{ sku: 'PROD-002', didYouMean: ['PROD-002 '], differences: ["QuickBooks' SKU has a trailing space"] },
		]);
	});

	it('a SKU in another Unicode form: the message says so, the hint is about Unicode, not case', () => {
		const error = invoiceFailure('INV-10', [{ line: 1, problem: 'notFound', sku: decomposedE, suggestions: [composedE], tooLong: false }]);
		expect(error?.message).toContain('another Unicode form of É');
		expect(error?.hint).not.toMatch(/case-sensitive/);
		expect(error?.hint).toMatch(/Unicode/);
	});

	it('a real case difference keeps the case-sensitivity hint; no near miss gets neither', () => {
		const caseError = invoiceFailure('INV-11', [{ line: 1, problem: 'notFound', sku: 'prod-001', suggestions: ['PROD-001'], tooLong: false }]);
		expect(caseError?.hint).toMatch(/case-sensitive \(PROD-001 differs from prod-001\)/);
		expect(caseError?.hint).not.toMatch(/Unicode|spaces before/);
		const plain = invoiceFailure('INV-12', [{ line: 1, problem: 'notFound', sku: 'GONE', suggestions: [], tooLong: false }]);
		expect(plain?.hint).not.toMatch(/case-sensitive|spaces before/);
		expect(plain?.hint).toMatch(/^No QuickBooks product has this SKU or one differing only in case, spaces or Unicode form/);
		expect(plain?.hint).toMatch(/create a product with this SKU/);
	});
});

describe('invoice failure: one failing line fails the whole invoice', () => {
	it('no problems → no failure', () => {
		expect(invoiceFailure('INV-1', [])).toBeUndefined();
	});

	it('SKU_NOT_FOUND lists every missing SKU once with the lines and "did you mean" suggestions', () => {
		const error = invoiceFailure('INV-1', [
			{ line: 1, problem: 'notFound', sku: 'prod-001', suggestions: ['PROD-001'], tooLong: false },
			{ line: 3, problem: 'notFound', sku: 'GONE', suggestions: [], tooLong: false },
			{ line: 4, problem: 'notFound', sku: 'prod-001', suggestions: ['PROD-001'], tooLong: false },
		]);
		expect(error?.code).toBe('SKU_NOT_FOUND');
		expect(error?.message).toBe('Invoice INV-1: no QuickBooks product with SKU prod-001, GONE — did you mean PROD-001 for prod-001 (differs only in case)?');
		expect(error?.hint).toMatch(/case-sensitive/);
		expect(error?.details).toMatchObject({
			missingSkus: ['prod-001', 'GONE'],
			suggestions: [{ sku: 'prod-001', didYouMean: ['PROD-001'], differences: ['differs only in case'] }],
			lines: [1, 3, 4],
			matchOn: 'sku',
			caseSensitive: true,
		});
	});

	it('a single missing SKU reads "did you mean PROD-001 (differs only in case)?"', () => {
		const error = invoiceFailure('INV-2', [{ line: 2, problem: 'notFound', sku: 'prod-001', suggestions: ['PROD-001'], tooLong: false }]);
		expect(error?.message).toBe('Invoice INV-2: no QuickBooks product with SKU prod-001 — did you mean PROD-001 (differs only in case)?');
	});

	it('SKU_MISSING names the line numbers and comes first', () => {
		const error = invoiceFailure('INV-3', [
			{ line: 2, problem: 'missingSku' },
			{ line: 3, problem: 'notFound', sku: 'X', suggestions: [], tooLong: false },
			{ line: 5, problem: 'missingSku' },
		]);
		expect(error?.code).toBe('SKU_MISSING');
		expect(error?.message).toBe('Invoice INV-3: line 2, 5 has no SKU');
		expect(error?.details.lines).toEqual([2, 5]);
		expect(error?.details.problems).toEqual([
			{ line: 2, problem: 'SKU_MISSING' },
			{ line: 3, problem: 'SKU_NOT_FOUND', sku: 'X', didYouMean: [] },
			{ line: 5, problem: 'SKU_MISSING' },
		]);
	});

	it('SKU_AMBIGUOUS names the duplicate items', () => {
		const error = invoiceFailure('INV-4', [{ line: 1, problem: 'ambiguous', sku: 'DUP', items: [item('1', 'DUP', 'A'), item('2', 'DUP', 'B')] }]);
		expect(error?.code).toBe('SKU_AMBIGUOUS');
		expect(error?.message).toBe('Invoice INV-4: several QuickBooks products have SKU DUP (A #1, B #2)');
	});

	it('ITEM_INACTIVE names the SKU', () => {
		const error = invoiceFailure('INV-5', [{ line: 1, problem: 'inactive', sku: 'OLD-1', item: item('7', 'OLD-1', 'Old', false) }]);
		expect(error?.code).toBe('ITEM_INACTIVE');
		expect(error?.message).toBe('Invoice INV-5: QuickBooks product OLD-1 is inactive');
		expect(error?.details.items).toEqual([{ id: '7', name: 'Old', sku: 'OLD-1', active: false }]);
	});
});

describe('names of created items', () => {
	it('cleans the line name: no colon, no control characters, single spaces, at most 100 characters', () => {
		expect(newItemName('Parent: Child\tthing\n', 'S')).toBe('Parent- Child thing');
		expect(newItemName('x'.repeat(150), 'S')).toHaveLength(100);
		expect(newItemName('   ', 'SKU:1')).toBe('SKU-1');
		expect(newItemName(null, 'SKU-2')).toBe('SKU-2');
	});

	it('never splits an emoji when truncating', () => {
		const name = `${'a'.repeat(99)}🚀`;
		expect(truncateText(name, 100)).toBe('a'.repeat(99));
		expect(newItemName(name, 'S')).toBe('a'.repeat(99));
	});

	it('unique variant "<name> (<sku>)" stays within 100 characters', () => {
		expect(uniqueItemName('Widget', 'W-1')).toBe('Widget (W-1)');
		const long = uniqueItemName('n'.repeat(100), 'SKU-123');
		expect(long).toHaveLength(100);
		expect(long.endsWith(' (SKU-123)')).toBe(true);
		expect(uniqueItemName('n', 's'.repeat(100)).length).toBeLessThanOrEqual(100);
	});
});
