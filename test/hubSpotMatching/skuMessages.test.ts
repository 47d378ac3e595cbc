/**
 * SKU Match's messages name the systems the right way round in both directions: the SKU comes
 * from the source (HubSpot for HubSpot → QuickBooks, QuickBooks for QuickBooks → HubSpot) and is
 * looked for in the destination's products; "did you mean", the differences, the hints and the
 * fixes all say which side is which.
 */
import { invoiceFailure, skuDifference, suggestionText, type LineProblem } from '../../package/nodes/SkuMatch/skuMatching';

const TO_QUICKBOOKS = { source: 'HubSpot', destination: 'QuickBooks' };
const TO_HUBSPOT = { source: 'QuickBooks', destination: 'HubSpot' };
const composedE = '\u00c9CRU-1';
const decomposedE = 'E\u0301CRU-1';
const notFound = (sku: string, suggestions: string[]): LineProblem => ({ line: 1, problem: 'notFound', sku, suggestions, tooLong: false });

describe('HubSpot → QuickBooks (the SKU from HubSpot, looked for in QuickBooks)', () => {
	it('names the side with the extra space and each side\'s Unicode form', () => {
		expect(skuDifference('PROD-002', 'PROD-002 ', TO_QUICKBOOKS).description).toBe("QuickBooks' SKU has a trailing space");
		expect(skuDifference('PROD-002 ', 'PROD-002', TO_QUICKBOOKS).description).toBe("HubSpot's SKU has a trailing space");
		expect(skuDifference(decomposedE, composedE, TO_QUICKBOOKS).description).toBe('another Unicode form of É (one character in QuickBooks, É as E + U+0301 in HubSpot)');
		expect(suggestionText([{ sku: 'PROD-002', suggestions: ['PROD-002 '] }], TO_QUICKBOOKS)).toBe(' — did you mean "PROD-002 " (QuickBooks\' SKU has a trailing space)?');
	});

	it('errors say the product is missing in QuickBooks and the line needs a SKU in HubSpot', () => {
		const missing = invoiceFailure('INV-1', [notFound('GONE', [])], undefined, TO_QUICKBOOKS);
		expect(missing?.message).toBe('Invoice INV-1: no QuickBooks product with SKU GONE');
		expect(missing?.hint).toMatch(/^No QuickBooks product has this SKU/);
		expect(missing?.hint).toContain('In QuickBooks, update the product');
		const noSku = invoiceFailure('INV-2', [{ line: 2, problem: 'missingSku' }], undefined, TO_QUICKBOOKS);
		expect(noSku?.hint).toContain('In HubSpot, pick a product with a SKU');
	});
});

describe('QuickBooks → HubSpot (the SKU from QuickBooks, looked for in HubSpot)', () => {
	it('names the side with the extra space and each side\'s Unicode form', () => {
		expect(skuDifference('PROD-002', 'PROD-002 ', TO_HUBSPOT).description).toBe("HubSpot's SKU has a trailing space");
		expect(skuDifference('PROD-002 ', 'PROD-002', TO_HUBSPOT).description).toBe("QuickBooks' SKU has a trailing space");
		expect(skuDifference(decomposedE, composedE, TO_HUBSPOT).description).toBe('another Unicode form of É (one character in HubSpot, É as E + U+0301 in QuickBooks)');
		expect(skuDifference('abc-1', 'ＡＢＣ-1', TO_HUBSPOT).description).toBe('differs in case; another Unicode form of A (full-width or compatibility character Ａ in HubSpot)');
	});

	it('SKU_NOT_FOUND: the product is missing in HubSpot; "did you mean" offers HubSpot\'s SKU and says HubSpot\'s has the space', () => {
		const error = invoiceFailure('QB-1', [notFound('PROD-002', ['PROD-002 '])], undefined, TO_HUBSPOT);
		expect(error?.message).toBe('Invoice QB-1: no HubSpot product with SKU PROD-002 — did you mean "PROD-002 " (HubSpot\'s SKU has a trailing space)?');
		expect(error?.details.suggestions).toEqual([{ sku: 'PROD-002', didYouMean: ['PROD-002 '], differences: ["HubSpot's SKU has a trailing space"] }]);
		expect(error?.hint).toContain('In HubSpot, update the product');
		expect(error?.hint).not.toContain('QuickBooks product');
	});

	it('without a near miss the hint says no HubSpot product has it', () => {
		const error = invoiceFailure('QB-2', [notFound('GONE', [])], undefined, TO_HUBSPOT);
		expect(error?.hint).toMatch(/^No HubSpot product has this SKU or one differing only in case, spaces or Unicode form\. /);
		expect(error?.hint).not.toContain('QuickBooks');
	});

	it('SKU_MISSING: the fix is in QuickBooks (the line\'s product or service has no SKU)', () => {
		const error = invoiceFailure('QB-3', [{ line: 2, problem: 'missingSku' }], undefined, TO_HUBSPOT);
		expect(error?.message).toBe('Invoice QB-3: line 2 has no SKU');
		expect(error?.hint).toBe('Every line item needs a product with a SKU. In QuickBooks, give the product or service on the line a SKU (Sales → Products and services → Edit), then retry.');
	});

	it('SKU_AMBIGUOUS: several HubSpot products, fixed in HubSpot', () => {
		const items = [
			{ Id: '1', Name: 'A', Sku: 'DUP', Active: true },
			{ Id: '2', Name: 'B', Sku: 'DUP', Active: true },
		];
		const error = invoiceFailure('QB-4', [{ line: 1, problem: 'ambiguous', sku: 'DUP', items }], undefined, TO_HUBSPOT);
		expect(error?.message).toBe('Invoice QB-4: several HubSpot products have SKU DUP (A #1, B #2)');
		expect(error?.hint).toBe('HubSpot does not keep SKUs unique, so the sync will not guess. Give each product its own SKU in HubSpot (or delete the duplicates), then retry.');
	});
});
