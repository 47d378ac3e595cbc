import { SyncError } from '../../package/nodes/shared/errors';
import { DEFAULT_UPSERT_OPTIONS, toUpsertOptions, type UpsertOptions } from '../../package/nodes/QuickBooksInvoiceUpsert/settings';
import { upsertProperties } from '../../package/nodes/QuickBooksInvoiceUpsert/description';
import {
	buildDesiredInvoice,
	companyCurrency,
	companySalesForms,
	companyTimeZone,
	docNumberFor,
	findInvalidCharacters,
	fitUnitPrice,
	mergePrivateNote,
	shortenDocNumber,
	stripInvalidCharacters,
	type PayloadCompanySettings,
	type QuickBooksInvoiceLine,
	type QuickBooksSalesLine,
} from '../../package/nodes/QuickBooksInvoiceUpsert/payload';
import { linkedHubSpotIds } from '../../package/nodes/shared/quickbooksInvoiceLink';
import { lineAmountCents } from '../../package/nodes/shared/money';
import { parsedItem } from '../kit';

const US: PayloadCompanySettings = { timeZone: 'UTC', homeCurrency: 'USD', multiCurrency: false, customTxnNumbers: true, allowDiscount: true, country: 'US' };
const options = (overrides: Partial<UpsertOptions> = {}): UpsertOptions => ({ ...DEFAULT_UPSERT_OPTIONS, ...overrides });

const salesLine = (line: QuickBooksInvoiceLine) => line as QuickBooksSalesLine;

function codeOf(run: () => unknown): string | undefined {
	try {
		run();
	} catch (error) {
		return error instanceof SyncError ? error.code : `not a SyncError: ${String(error)}`;
	}
	return undefined;
}

describe('payload: the invoice QuickBooks should hold', () => {
	it('maps customer, number, dates, lines, tax codes and the HubSpot link', () => {
		const desired = buildDesiredInvoice(
			parsedItem({
				id: '3010000003',
				number: 'INV-1003',
				lines: [
					{ sku: 'PROD-005', quantity: 4, unitPrice: '125.00', amount: '500.00', itemId: '5', taxCodeId: 'TAX', description: 'Sensor Module' },
					{ sku: 'PROD-015', quantity: 2, unitPrice: '250.00', amount: '450.00', discount: { amount: '25.00' }, itemId: '15', taxCodeId: 'NON' },
					{ sku: 'PROD-008', quantity: '2.5', unitPrice: '80.00', amount: '200.00', itemId: '8', taxCodeId: null },
				],
			}),
			US,
			options(),
		);
		expect(desired.payload).toEqual({
			CustomerRef: { value: '1' },
			DocNumber: 'INV-1003',
			TxnDate: '2026-07-10',
			DueDate: '2026-08-09',
			Line: [
				{ DetailType: 'SalesItemLineDetail', Amount: 500, Description: 'Sensor Module', SalesItemLineDetail: { ItemRef: { value: '5' }, Qty: 4, UnitPrice: 125, TaxCodeRef: { value: 'TAX' } } },
				{ DetailType: 'SalesItemLineDetail', Amount: 450, Description: 'Product 2', SalesItemLineDetail: { ItemRef: { value: '15' }, Qty: 2, UnitPrice: 225, TaxCodeRef: { value: 'NON' } } },
				{ DetailType: 'SalesItemLineDetail', Amount: 200, Description: 'Product 3', SalesItemLineDetail: { ItemRef: { value: '8' }, Qty: 2.5, UnitPrice: 80 } },
			],
			TxnTaxDetail: { TxnTaxCodeRef: { value: '3' } },
			PrivateNote: 'HubSpot invoice 3010000003',
		});
		expect(desired.notes).toEqual([]);
		expect(desired.voided).toBe(false);
	});

	it('applies a percentage discount to the unit price and keeps Amount = Qty × UnitPrice half-up', () => {
		const desired = buildDesiredInvoice(
			parsedItem({ lines: [{ quantity: 3, unitPrice: '80.00', discount: { percentage: 10 }, amount: '216.00' }] }),
			US,
			options(),
		);
		const line = salesLine(desired.payload.Line[0]);
		expect(line.SalesItemLineDetail.UnitPrice).toBe(72);
		expect(line.Amount).toBe(216);
	});

	it('computes an exact half-up amount for awkward quantities (no float drift)', () => {
		const desired = buildDesiredInvoice(parsedItem({ lines: [{ quantity: '0.333', unitPrice: '10.015', amount: null }] }), US, options());
		// 0.333 × 10.015 = 3.334995 → 3.33
		expect(desired.payload.Line[0].Amount).toBe(3.33);
		expect(lineAmountCents('0.333', '10.015')).toBe(333n);
	});

	it('converts HubSpot date-times in the company time zone; midnight-UTC dates keep their day', () => {
		const ny = { ...US, timeZone: 'America/New_York' };
		const desired = buildDesiredInvoice(parsedItem({ issueDate: '2026-07-10T02:30:00.000Z', dueDate: '2026-08-09T00:00:00.000Z' }), ny, options());
		expect(desired.payload.TxnDate).toBe('2026-07-09');
		expect(desired.payload.DueDate).toBe('2026-08-09');
	});

	it('omits missing dates and rejects invalid ones with INVALID_DATE', () => {
		const desired = buildDesiredInvoice(parsedItem({ issueDate: null, dueDate: null }), US, options());
		expect(desired.payload.TxnDate).toBeUndefined();
		expect(desired.payload.DueDate).toBeUndefined();
		expect(codeOf(() => buildDesiredInvoice(parsedItem({ issueDate: 'yesterday' }), US, options()))).toBe('INVALID_DATE');
		expect(codeOf(() => buildDesiredInvoice(parsedItem({ dueDate: '2026-02-30' }), US, options()))).toBe('INVALID_DATE');
	});

	it('without multicurrency: no CurrencyRef for the home currency; another currency is CURRENCY_MISMATCH', () => {
		expect(buildDesiredInvoice(parsedItem({ currency: 'usd' }), US, options()).payload.CurrencyRef).toBeUndefined();
		expect(codeOf(() => buildDesiredInvoice(parsedItem({ currency: 'EUR' }), US, options()))).toBe('CURRENCY_MISMATCH');
	});

	it('with multicurrency on, CurrencyRef is always sent (QuickBooks requires it then), the home currency included', () => {
		const multi = { ...US, multiCurrency: true };
		expect(buildDesiredInvoice(parsedItem({ currency: 'EUR' }), multi, options()).payload.CurrencyRef).toEqual({ value: 'EUR' });
		expect(buildDesiredInvoice(parsedItem({ currency: 'usd' }), multi, options()).payload.CurrencyRef).toEqual({ value: 'USD' });
	});

	it('omits TxnTaxDetail and line TaxCodeRef when Tax Map gave none', () => {
		const desired = buildDesiredInvoice(parsedItem({ txnTaxCodeId: null, lines: [{ quantity: 1, unitPrice: 5, taxCodeId: null }] }), US, options());
		expect(desired.payload.TxnTaxDetail).toBeUndefined();
		expect(salesLine(desired.payload.Line[0]).SalesItemLineDetail.TaxCodeRef).toBeUndefined();
	});

	it('rejects an invoice without number as INVALID_INPUT and one without lines as INVOICE_HAS_NO_LINES', () => {
		expect(codeOf(() => buildDesiredInvoice(parsedItem({ number: '   ' }), US, options()))).toBe('INVALID_INPUT');
		expect(codeOf(() => buildDesiredInvoice(parsedItem({ lines: [] }), US, options()))).toBe('INVOICE_HAS_NO_LINES');
	});

	it('rejects a line amount of 10^21 or more as INVALID_INPUT, not as an unexpected error', () => {
		for (const amount of [1e21, `1${'0'.repeat(21)}`, -1e22]) {
			expect(codeOf(() => buildDesiredInvoice(parsedItem({ lines: [{ quantity: 1, unitPrice: 5, amount }] }), US, options()))).toBe('INVALID_INPUT');
		}
		expect(codeOf(() => buildDesiredInvoice(parsedItem({ lines: [{ quantity: 1, unitPrice: 1e21 }] }), US, options()))).toBe('INVALID_INPUT');
	});
});

describe('payload: Amount check against HubSpot', () => {
	it('fits the unit price to HubSpot\'s amount within a cent, whatever the policy', () => {
		// 3 × 33.3333 = 99.9999 → 100.00 but HubSpot says 99.99
		for (const amountMismatch of ['useHubSpotAmount', 'error'] as const) {
			const desired = buildDesiredInvoice(parsedItem({ lines: [{ quantity: 3, unitPrice: '33.3333', amount: '99.99' }] }), US, options({ amountMismatch }));
			const line = salesLine(desired.payload.Line[0]);
			expect(line.Amount).toBe(99.99);
			expect(lineAmountCents(String(line.SalesItemLineDetail.Qty), String(line.SalesItemLineDetail.UnitPrice))).toBe(9999n);
			expect(desired.notes[0]).toMatch(/line 1: unit price 33.3333 → 33.33/);
		}
	});

	it('by default takes HubSpot\'s amount (what the customer owes) when it differs by more than a cent', () => {
		const desired = buildDesiredInvoice(parsedItem({ lines: [{ quantity: 3, unitPrice: '10.00', amount: '27.00' }] }), US, options());
		expect(desired.payload.Line[0]).toMatchObject({ Amount: 27, SalesItemLineDetail: { Qty: 3, UnitPrice: 9 } });
	});

	it('"Error" policy: AMOUNT_MISMATCH naming the line, the amount and qty × price', () => {
		try {
			buildDesiredInvoice(parsedItem({ number: 'INV-9', lines: [{ quantity: 1, unitPrice: 1 }, { quantity: 3, unitPrice: '10.00', amount: '27.00' }] }), US, options({ amountMismatch: 'error' }));
			throw new Error('expected AMOUNT_MISMATCH');
		} catch (error) {
			expect((error as SyncError).code).toBe('AMOUNT_MISMATCH');
			expect((error as SyncError).message).toBe('Invoice INV-9: line 2 amount 27.00 is not quantity × unit price (30.00)');
		}
	});

	it('fails when no unit price can reproduce HubSpot\'s amount (quantity 0)', () => {
		expect(codeOf(() => buildDesiredInvoice(parsedItem({ lines: [{ quantity: 0, unitPrice: 5, amount: '5.00' }] }), US, options()))).toBe('AMOUNT_MISMATCH');
	});

	it('fitUnitPrice uses the fewest decimals that work', () => {
		expect(fitUnitPrice('3', 2700n)).toBe('9');
		expect(fitUnitPrice('3', 10000n)).toBe('33.333');
		expect(fitUnitPrice('7', 100n)).toBe('0.143');
		expect(fitUnitPrice('0', 0n)).toBe('0');
		expect(fitUnitPrice('0', 1n)).toBeUndefined();
		expect(fitUnitPrice('-2', -500n)).toBe('2.5');
	});
});

describe('payload: invoice number (DocNumber)', () => {
	const long = 'INV-1018-2026-CONTRACT-AB';

	it('rejects numbers over 21 characters with DOC_NUMBER_TOO_LONG by default', () => {
		try {
			docNumberFor(long, options());
			throw new Error('expected an error');
		} catch (error) {
			expect((error as SyncError).code).toBe('DOC_NUMBER_TOO_LONG');
			expect((error as SyncError).message).toBe(`Invoice number ${long} has 25 characters; QuickBooks allows at most 21`);
		}
	});

	it('"Shorten": the same long number always gives the same ≤ 21-character number', () => {
		const short = shortenDocNumber(long);
		expect(short).toBe(shortenDocNumber(long));
		expect(short.length).toBeLessThanOrEqual(21);
		expect(short).toMatch(/^INV-1018-202-[0-9A-F]{8}$/);
		expect(shortenDocNumber(`${long}X`)).not.toBe(short);
		expect(shortenDocNumber('INV-1')).toBe('INV-1');
	});

	it('"Shorten" never cuts an emoji in half (an unpaired surrogate QuickBooks rejects)', () => {
		const short = shortenDocNumber('ABCDEFGHIJK😀XYZXYZXYZXYZ');
		expect(short).toMatch(/^ABCDEFGHIJK-[0-9A-F]{8}$/);
		expect(findInvalidCharacters(short, { allowLineBreaks: false })).toEqual([]);
		expect(shortenDocNumber('ABCDEFGHIJ😀XYZXYZXYZXYZ')).toMatch(/^ABCDEFGHIJ😀-[0-9A-F]{8}$/);
	});

	it('"Shorten" keeps the full number in PrivateNote and CustomerMemo', () => {
		const desired = buildDesiredInvoice(parsedItem({ id: '3010000018', number: long }), US, options({ longInvoiceNumbers: 'shorten' }));
		expect(desired.docNumber).toBe(shortenDocNumber(long));
		expect(desired.payload.DocNumber).toBe(desired.docNumber);
		expect(desired.payload.PrivateNote).toBe(`HubSpot invoice 3010000018\nHubSpot invoice number ${long}`);
		expect(desired.payload.CustomerMemo).toEqual({ value: `Invoice number ${long}` });
		expect(desired.notes[0]).toMatch(/shortened/);
	});

	it('"Shorten" keeps rejected characters and split emoji out of PrivateNote and CustomerMemo, and cuts long texts between characters', () => {
		const number = `INV-\u0007${'😀'.repeat(600)}\ud83d-END`;
		const desired = buildDesiredInvoice(parsedItem({ id: '3010000019', number, lines: [{ quantity: 1, unitPrice: 5, description: `${'d'.repeat(3999)}😀` }] }), US, options({ longInvoiceNumbers: 'shorten', invalidCharacters: 'strip' }));
		const texts = [desired.payload.DocNumber!, desired.payload.PrivateNote, desired.payload.CustomerMemo!.value, desired.payload.Line[0].Description!];
		for (const text of texts) expect(findInvalidCharacters(text, { allowLineBreaks: true })).toEqual([]);
		expect(desired.payload.PrivateNote.split('\n')[1]).toBe(`HubSpot invoice number INV-${'😀'.repeat(600)}-END`);
		expect(desired.payload.CustomerMemo!.value.length).toBeLessThanOrEqual(1000);
		expect(desired.payload.Line[0].Description).toBe('d'.repeat(3999));
		expect(mergePrivateNote([`x${'😀'.repeat(2100)}`], undefined)).toBe(`x${'😀'.repeat(1999)}`);
	});

	it('trims surrounding spaces without complaint', () => {
		expect(docNumberFor('  INV-7 ', options()).docNumber).toBe('INV-7');
	});
});

describe('payload: QuickBooks numbers the invoices (Custom transaction numbers off)', () => {
	const auto = { ...US, customTxnNumbers: false };

	it('sends no DocNumber and keeps HubSpot\'s number in the private note', () => {
		const desired = buildDesiredInvoice(parsedItem({ id: '3010000007', number: 'INV-1007' }), auto, options());
		expect(desired.payload).not.toHaveProperty('DocNumber');
		expect(desired.docNumber).toBe('');
		expect(desired.payload.PrivateNote).toBe('HubSpot invoice 3010000007\nHubSpot invoice number INV-1007');
		expect(desired.payload.CustomerMemo).toBeUndefined();
	});

	it('a HubSpot number QuickBooks could not take as DocNumber does not stop the invoice', () => {
		const long = 'INV-1018-2026-CONTRACT-AB';
		const desired = buildDesiredInvoice(parsedItem({ id: '3010000018', number: long }), auto, options());
		expect(desired.payload).not.toHaveProperty('DocNumber');
		expect(desired.payload.PrivateNote).toBe(`HubSpot invoice 3010000018\nHubSpot invoice number ${long}`);
		expect(buildDesiredInvoice(parsedItem({ number: '   ' }), auto, options()).payload.PrivateNote).toBe('HubSpot invoice 3010000001');
	});
});

describe('payload: invoice-level discounts and fees', () => {
	const lines = [
		{ quantity: 2, unitPrice: '100.00', amount: '200.00', itemId: '1' },
		{ quantity: 1, unitPrice: '50.00', amount: '50.00', itemId: '2' },
	];
	const discountLines = (desired: ReturnType<typeof buildDesiredInvoice>) => desired.payload.Line.filter((line) => line.DetailType === 'DiscountLineDetail');
	const feeLines = (desired: ReturnType<typeof buildDesiredInvoice>) => desired.payload.Line.slice(lines.length).filter((line) => line.DetailType === 'SalesItemLineDetail');

	it('one percentage discount and no fee: a PercentBased discount line after the item lines', () => {
		const desired = buildDesiredInvoice(
			parsedItem({ lines, adjustments: [{ kind: 'discount', name: 'Spring promo', percentage: 10 }], totals: { subtotal: '250.00', discountTotal: '25.00', feeTotal: '0' } }),
			US,
			options(),
		);
		expect(desired.payload.Line.at(-1)).toEqual({
			DetailType: 'DiscountLineDetail',
			Amount: 25,
			Description: 'Spring promo',
			DiscountLineDetail: { PercentBased: true, DiscountPercent: 10 },
		});
		expect(desired.payload.Line).toHaveLength(3);
		// HubSpot taxes after discounts; US QuickBooks taxes before them unless told otherwise.
		expect(desired.payload.ApplyTaxAfterDiscount).toBe(true);
	});

	it('a fixed discount and a fee: one fixed-amount discount line and a fee line on the Fee Item', () => {
		const desired = buildDesiredInvoice(
			parsedItem({
				lines,
				adjustments: [
					{ kind: 'discount', name: 'Loyalty', amount: '20.00' },
					{ kind: 'fee', name: 'Handling', amount: '15.50' },
				],
				totals: { subtotal: '250.00', discountTotal: '20.00', feeTotal: '15.50' },
			}),
			US,
			options({ feeItemId: '99' }),
		);
		// Taxed like the item lines (both TAX here).
		expect(feeLines(desired)).toEqual([
			{ DetailType: 'SalesItemLineDetail', Amount: 15.5, Description: 'Handling', SalesItemLineDetail: { ItemRef: { value: '99' }, Qty: 1, UnitPrice: 15.5, TaxCodeRef: { value: 'TAX' } } },
		]);
		expect(discountLines(desired)).toEqual([{ DetailType: 'DiscountLineDetail', Amount: 20, Description: 'Loyalty', DiscountLineDetail: { PercentBased: false } }]);
	});

	it('a percentage discount next to a fee becomes a fixed amount (QuickBooks would take the fee line into its base), fees on the discounted subtotal', () => {
		const desired = buildDesiredInvoice(
			parsedItem({
				lines,
				adjustments: [
					{ kind: 'discount', name: 'Promo', percentage: '12.5' },
					{ kind: 'fee', name: 'Card fee', percentage: 3 },
				],
			}),
			US,
			options({ feeItemId: '99' }),
		);
		// 250 × 12.5 % = 31.25; fee 3 % of 218.75 = 6.5625 → 6.56
		expect(discountLines(desired)).toEqual([{ DetailType: 'DiscountLineDetail', Amount: 31.25, Description: 'Promo', DiscountLineDetail: { PercentBased: false } }]);
		expect(feeLines(desired)[0]).toMatchObject({ Amount: 6.56, SalesItemLineDetail: { ItemRef: { value: '99' }, Qty: 1, UnitPrice: 6.56 } });
	});

	it('several discounts become one line with their total, applied one after the other', () => {
		const desired = buildDesiredInvoice(
			parsedItem({ lines, adjustments: [{ kind: 'discount', name: 'A', percentage: 10 }, { kind: 'discount', name: 'B', amount: 5 }, { kind: 'discount', name: 'C', percentage: 10 }] }),
			US,
			options(),
		);
		// 250 − 25 = 225; − 5 = 220; − 22 = 198 → 52.00 off
		expect(discountLines(desired)).toEqual([{ DetailType: 'DiscountLineDetail', Amount: 52, Description: 'A; B; C', DiscountLineDetail: { PercentBased: false } }]);
	});

	it('zero discounts and fees add no line; no adjustments leave the invoice as before', () => {
		const plain = buildDesiredInvoice(parsedItem({ lines }), US, options());
		const zero = buildDesiredInvoice(parsedItem({ lines, adjustments: [{ kind: 'discount', amount: 0 }, { kind: 'fee', percentage: 0 }] }), US, options());
		expect(zero.payload).toEqual(plain.payload);
		expect(plain.payload).not.toHaveProperty('ApplyTaxAfterDiscount');
	});

	it('a fee without a Fee Item is FEE_ITEM_MISSING naming the fee', () => {
		try {
			buildDesiredInvoice(parsedItem({ number: 'INV-5', lines, adjustments: [{ kind: 'fee', name: 'Handling', amount: 5 }] }), US, options());
			throw new Error('expected FEE_ITEM_MISSING');
		} catch (error) {
			expect((error as SyncError).code).toBe('FEE_ITEM_MISSING');
			expect((error as SyncError).message).toBe('Invoice INV-5 has a fee (Handling 5.00) but no QuickBooks product is set to book fees on');
			expect((error as SyncError).hint).toMatch(/Fee Item/);
		}
	});

	it('a discount in a company with discounts turned off is DISCOUNTS_DISABLED', () => {
		const noDiscounts = { ...US, allowDiscount: false };
		expect(codeOf(() => buildDesiredInvoice(parsedItem({ lines, adjustments: [{ kind: 'discount', name: 'Promo', percentage: 10 }] }), noDiscounts, options()))).toBe('DISCOUNTS_DISABLED');
		expect(codeOf(() => buildDesiredInvoice(parsedItem({ lines }), noDiscounts, options()))).toBeUndefined();
	});

	it('malformed adjustments (negative, over 100 %, neither amount nor percentage) are INVALID_INPUT', () => {
		for (const adjustment of [{ kind: 'discount' as const, amount: -5 }, { kind: 'discount' as const, percentage: 150 }, { kind: 'fee' as const }]) {
			expect(codeOf(() => buildDesiredInvoice(parsedItem({ lines, adjustments: [adjustment] }), US, options({ feeItemId: '99' })))).toBe('INVALID_INPUT');
		}
	});

	it('TOTAL_MISMATCH when HubSpot\'s subtotal − discounts + fees differs from QuickBooks\' by a cent, naming both figures', () => {
		try {
			buildDesiredInvoice(
				parsedItem({ number: 'INV-7', lines, adjustments: [{ kind: 'discount', name: 'Promo', percentage: 10 }], totals: { subtotal: '250.00', discountTotal: '25.01' } }),
				US,
				options(),
			);
			throw new Error('expected TOTAL_MISMATCH');
		} catch (error) {
			expect((error as SyncError).code).toBe('TOTAL_MISMATCH');
			expect((error as SyncError).message).toBe("Invoice INV-7: the QuickBooks total before tax would be 225.00, HubSpot's is 224.99");
			expect((error as SyncError).details).toMatchObject({
				quickbooks: { subtotal: '250.00', discounts: '25.00', fees: '0.00', total: '225.00' },
				hubspot: { subtotal: '250.00', discounts: '25.01', fees: '0.00', total: '224.99' },
			});
		}
	});

	it('TOTAL_MISMATCH when HubSpot\'s subtotal is not the sum of its lines (a line did not come across)', () => {
		expect(codeOf(() => buildDesiredInvoice(parsedItem({ lines, totals: { subtotal: '300.00' } }), US, options()))).toBe('TOTAL_MISMATCH');
		expect(codeOf(() => buildDesiredInvoice(parsedItem({ lines, totals: { subtotal: '250.00', discountTotal: null, feeTotal: null, taxTotal: '20.00', total: '270.00' } }), US, options()))).toBeUndefined();
	});

	it('with HubSpot\'s amount billed and tax total, the figure before tax is their difference, whatever its discount total counts', () => {
		// Line 1 has a line-level discount of 10.00; HubSpot's discount total may count it next to the invoice's 5.00.
		const discountedLines = [{ quantity: 2, unitPrice: '105.00', amount: '200.00', discount: { amount: '5.00' }, itemId: '1' }, lines[1]];
		const adjustments = [{ kind: 'discount' as const, name: 'Promo', amount: '5.00' }];
		const totals = { subtotal: '250.00', discountTotal: '15.00', feeTotal: '0.00', taxTotal: '20.63', total: '265.63' };
		expect(codeOf(() => buildDesiredInvoice(parsedItem({ lines: discountedLines, adjustments, totals }), US, options()))).toBeUndefined();
		try {
			buildDesiredInvoice(parsedItem({ number: 'INV-8', lines: discountedLines, adjustments, totals: { ...totals, total: '266.63' } }), US, options());
			throw new Error('expected TOTAL_MISMATCH');
		} catch (error) {
			expect((error as SyncError).message).toBe("Invoice INV-8: the QuickBooks total before tax would be 245.00, HubSpot's is 246.00");
			expect((error as SyncError).details).toMatchObject({ hubspot: { billed: '266.63', taxes: '20.63', total: '246.00' } });
		}
	});

	it('without totals from HubSpot the lines, discounts and fees are the reference, and the check passes', () => {
		const desired = buildDesiredInvoice(parsedItem({ lines, adjustments: [{ kind: 'fee', name: 'Rush', amount: '9.99' }] }), US, options({ feeItemId: '99' }));
		expect(desired.payload.Line.reduce((sum, line) => sum + line.Amount, 0)).toBeCloseTo(259.99, 2);
	});

	it('non-US companies: the fee line carries the tax code the item lines share, and no ApplyTaxAfterDiscount (US only)', () => {
		const canada = { ...US, homeCurrency: 'CAD', country: 'CA' };
		const desired = buildDesiredInvoice(
			parsedItem({ currency: 'CAD', txnTaxCodeId: null, lines: lines.map((line) => ({ ...line, taxCodeId: '5' })), adjustments: [{ kind: 'fee', name: 'Rush', amount: 5 }] }),
			canada,
			options({ feeItemId: '99' }),
		);
		expect(feeLines(desired)[0]).toMatchObject({ SalesItemLineDetail: { ItemRef: { value: '99' }, TaxCodeRef: { value: '5' } } });
		const discounted = buildDesiredInvoice(
			parsedItem({ currency: 'CAD', txnTaxCodeId: null, lines: lines.map((line) => ({ ...line, taxCodeId: '5' })), adjustments: [{ kind: 'discount', amount: 5 }] }),
			canada,
			options(),
		);
		expect(discountLines(discounted)).toHaveLength(1);
		expect(discounted.payload).not.toHaveProperty('ApplyTaxAfterDiscount');
	});
});

describe('payload: characters QuickBooks rejects', () => {
	it('finds control characters, U+FFFD and unpaired surrogates; line breaks only where they are not allowed', () => {
		expect(findInvalidCharacters('INV\u0007-1\uFFFD', { allowLineBreaks: false })).toEqual(['\u0007', '\uFFFD']);
		expect(findInvalidCharacters('a\nb\tc', { allowLineBreaks: true })).toEqual([]);
		expect(findInvalidCharacters('a\nb', { allowLineBreaks: false })).toEqual(['\n']);
		expect(findInvalidCharacters('ok \uD83D\uDE00 \uD83D', { allowLineBreaks: true })).toEqual(['\uD83D']);
		expect(findInvalidCharacters('R&D #2 / West', { allowLineBreaks: true })).toEqual([]);
		expect(findInvalidCharacters('R&D #2 / West', { allowLineBreaks: true, extra: '&#/' })).toEqual(['&', '#', '/']);
		expect(stripInvalidCharacters('INV\u0000-1\u001F', { allowLineBreaks: false })).toBe('INV-1');
	});

	it('"Error" policy: INVALID_CHARACTERS naming the field and the characters', () => {
		try {
			buildDesiredInvoice(parsedItem({ number: 'INV-1\u0007' }), US, options());
			throw new Error('expected an error');
		} catch (error) {
			expect((error as SyncError).code).toBe('INVALID_CHARACTERS');
			expect((error as SyncError).message).toBe('Invoice INV-1: the invoice number contains characters QuickBooks rejects (U+0007)');
		}
		expect(codeOf(() => buildDesiredInvoice(parsedItem({ lines: [{ description: 'Bad\u0000byte' }] }), US, options()))).toBe('INVALID_CHARACTERS');
		expect(codeOf(() => buildDesiredInvoice(parsedItem({ lines: [{ description: 'Parts & labour' }] }), US, options({ extraInvalidCharacters: '&' })))).toBe(
			'INVALID_CHARACTERS',
		);
	});

	it('"Strip" policy: removes them and says so', () => {
		const desired = buildDesiredInvoice(
			parsedItem({ number: 'INV-\u00071', lines: [{ description: 'Line\u0000 one\nsecond line' }] }),
			US,
			options({ invalidCharacters: 'strip' }),
		);
		expect(desired.payload.DocNumber).toBe('INV-1');
		expect(desired.payload.Line[0].Description).toBe('Line one\nsecond line');
		expect(desired.notes).toEqual(['removed U+0007 from the invoice number', 'removed U+0000 from line 1 description']);
	});

	it('a number that is only invalid characters cannot be stripped to nothing', () => {
		expect(codeOf(() => buildDesiredInvoice(parsedItem({ number: '\u0001\u0002' }), US, options({ invalidCharacters: 'strip' })))).toBe('INVALID_INPUT');
	});

	it('cuts descriptions to QuickBooks\' 4000 characters', () => {
		const desired = buildDesiredInvoice(parsedItem({ lines: [{ description: 'x'.repeat(4100) }] }), US, options());
		expect(desired.payload.Line[0].Description).toHaveLength(4000);
		expect(desired.notes).toEqual(['line 1: description cut to 4000 characters']);
	});
});

describe('payload: PrivateNote link', () => {
	it('reads the HubSpot ids a note links to, also under "Voided"', () => {
		expect(linkedHubSpotIds('Voided\nHubSpot invoice 3010000023')).toEqual(['3010000023']);
		expect(linkedHubSpotIds('Entered manually by the bookkeeper')).toEqual([]);
		expect(linkedHubSpotIds(undefined)).toEqual([]);
	});

	it('puts our lines first and keeps a bookkeeper\'s remark, replacing our old lines', () => {
		expect(mergePrivateNote(['HubSpot invoice 1'], 'Entered manually by the bookkeeper')).toBe('HubSpot invoice 1\nEntered manually by the bookkeeper');
		expect(mergePrivateNote(['HubSpot invoice 1'], 'HubSpot invoice 1\nHubSpot invoice number OLD\nnote')).toBe('HubSpot invoice 1\nnote');
		expect(mergePrivateNote(['HubSpot invoice 1'], 'x'.repeat(5000))).toHaveLength(4000);
	});
});

describe('company settings', () => {
	it('time zone: from a NameValue pair when QuickBooks reports one, else the option, else UTC', () => {
		expect(companyTimeZone({ NameValue: [{ Name: 'CompanyTimeZone', Value: 'America/Chicago' }] }, {}, 'UTC')).toBe('America/Chicago');
		expect(companyTimeZone({}, { OtherPrefs: { NameValue: [{ Name: 'TimeZone', Value: 'Europe/Berlin' }] } }, 'UTC')).toBe('Europe/Berlin');
		expect(companyTimeZone({ NameValue: [{ Name: 'OfferingSku', Value: 'QuickBooks Online Plus' }] }, {}, 'America/Denver')).toBe('America/Denver');
		expect(companyTimeZone({}, {}, 'Not/AZone')).toBe('UTC');
	});

	it('sales forms: custom transaction numbers and discounts from Preferences.SalesFormsPrefs (on when QuickBooks does not say)', () => {
		expect(companySalesForms({ SalesFormsPrefs: { CustomTxnNumbers: false, AllowDiscount: false } })).toEqual({ customTxnNumbers: false, allowDiscount: false });
		expect(companySalesForms({ SalesFormsPrefs: { CustomTxnNumbers: true, AllowDiscount: true } })).toEqual({ customTxnNumbers: true, allowDiscount: true });
		expect(companySalesForms({})).toEqual({ customTxnNumbers: true, allowDiscount: true });
	});

	it('currency: home currency and multicurrency from Preferences.CurrencyPrefs', () => {
		expect(companyCurrency({ CurrencyPrefs: { HomeCurrency: { value: 'CAD' }, MultiCurrencyEnabled: true } })).toEqual({ homeCurrency: 'CAD', multiCurrency: true });
		expect(companyCurrency({})).toEqual({ homeCurrency: 'USD', multiCurrency: false });
	});
});

describe('options', () => {
	it('unknown or missing values take the defaults, and the node description shows the same defaults', () => {
		expect(toUpsertOptions({ whenExists: 'nonsense', timeZone: ' ' })).toEqual(DEFAULT_UPSERT_OPTIONS);
		const collection = upsertProperties.find((property) => property.name === 'options')!;
		// Read as the node reads it: a resource locator's default ({ mode: 'list', value: '' }) is no Id.
		for (const option of collection.options as Array<{ name: string; default: unknown }>) {
			const name = option.name as keyof UpsertOptions;
			expect([name, toUpsertOptions({ [name]: option.default })[name]]).toEqual([name, DEFAULT_UPSERT_OPTIONS[name]]);
		}
	});
});
