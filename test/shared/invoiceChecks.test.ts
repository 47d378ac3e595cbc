/**
 * The write-free invoice checks as plain functions: each check's code, the policies that fix a
 * problem, the closed period, the company facts they read, and that the upsert's payload and the
 * earlier nodes' checks give one invoice the same code.
 */
import { SyncError } from '../../package/nodes/shared/errors';
import {
	POLICY_INDEPENDENT,
	bookCloseDate,
	checkInvoice,
	closedPeriodError,
	companySettingsFrom,
	currencyRefFor,
	invoiceDocNumber,
	invoiceLabel,
	requireLines,
	shortenDocNumber,
	type CompanySettings,
	type InvoiceCheckPolicies,
} from '../../package/nodes/shared/invoiceChecks';
import { DEFAULT_UPSERT_OPTIONS } from '../../package/nodes/QuickBooksInvoiceUpsert/settings';
import { buildDesiredInvoice } from '../../package/nodes/QuickBooksInvoiceUpsert/payload';
import { parsedItem, type ItemInput } from '../kit';

const US: CompanySettings = { timeZone: 'UTC', homeCurrency: 'USD', multiCurrency: false, bookCloseDate: null, customTxnNumbers: true, allowDiscount: true };
const STRICT: InvoiceCheckPolicies = { longInvoiceNumbers: 'error', invalidCharacters: 'error', amountMismatch: 'error', extraInvalidCharacters: '' };

function codeOf(run: () => unknown): string | undefined {
	try {
		run();
	} catch (error) {
		return error instanceof SyncError ? error.code : `not a SyncError: ${String(error)}`;
	}
	return undefined;
}

const invoiceOf = (input: ItemInput = {}) => parsedItem(input).invoice;

describe('invoice checks: one code per problem', () => {
	it('passes a good invoice and returns the TxnDate the upsert will send', () => {
		expect(checkInvoice(invoiceOf({ issueDate: '2026-07-10T00:00:00.000Z' }), US, STRICT)).toEqual({ txnDate: '2026-07-10' });
		expect(checkInvoice(invoiceOf({ issueDate: null }), US, STRICT)).toEqual({ txnDate: undefined });
	});

	it.each<[string, ItemInput, string]>([
		['no lines', { lines: [] }, 'INVOICE_HAS_NO_LINES'],
		['a currency the company cannot take', { currency: 'EUR' }, 'CURRENCY_MISMATCH'],
		['an invoice date that is no date', { issueDate: '2026-02-30' }, 'INVALID_DATE'],
		['a due date that is no date', { dueDate: 'next week' }, 'INVALID_DATE'],
		['a number of 22 characters', { number: 'INV-2026-0000000000042' }, 'DOC_NUMBER_TOO_LONG'],
		['a control character in the number', { number: 'INV\u0007-1' }, 'INVALID_CHARACTERS'],
		['a control character in a line description', { lines: [{ description: 'Widget\u0000' }] }, 'INVALID_CHARACTERS'],
		['a line amount more than a cent off quantity × price', { lines: [{ quantity: 2, unitPrice: 10, amount: 25 }] }, 'AMOUNT_MISMATCH'],
		['an empty number', { number: '  ' }, 'INVALID_INPUT'],
	])('%s fails with its code', (_name, input, code) => {
		expect(codeOf(() => checkInvoice(invoiceOf(input), US, STRICT))).toBe(code);
	});

	it('the upsert\'s payload meets the same failure first for the same invoice (one piece of code per check)', () => {
		const inputs: ItemInput[] = [
			{ lines: [], currency: 'EUR' },
			{ number: 'INV-2026-0000000000042', lines: [] },
			{ currency: 'EUR', issueDate: 'soon' },
			{ issueDate: 'soon', lines: [{ quantity: 2, unitPrice: 10, amount: 25 }] },
			{ lines: [{ quantity: 2, unitPrice: 10, amount: 25, description: 'bad\u0001' }] },
			{ totals: { subtotal: '50.01' }, adjustments: [{ kind: 'fee', name: 'Handling', amount: 5 }] },
			{ adjustments: [{ kind: 'fee', name: 'Handling', amount: 5 }, { kind: 'discount', name: 'Promo', amount: 1 }] },
			{ adjustments: [{ kind: 'discount', name: 'Promo\u0007', amount: 1 }] },
			{ adjustments: [{ kind: 'discount', name: 'Promo', amount: -1 }] },
		];
		const upsertOptions = { ...DEFAULT_UPSERT_OPTIONS, ...STRICT };
		for (const company of [US, { ...US, allowDiscount: false }, { ...US, customTxnNumbers: false }]) {
			for (const input of [...inputs, { number: 'INV-2026-0000000000042', totals: { total: '52.00', taxTotal: '0.00' } }]) {
				const code = codeOf(() => checkInvoice(invoiceOf(input), company, upsertOptions));
				expect(code).toBeDefined();
				expect(codeOf(() => buildDesiredInvoice(parsedItem(input), { ...company, country: 'US' }, upsertOptions))).toBe(code);
			}
		}
	});

	it('INVOICE_HAS_NO_LINES names the invoice and says what to fix in HubSpot', () => {
		let error: SyncError | undefined;
		try {
			requireLines({ lines: [] }, 'INV-7');
		} catch (caught) {
			error = caught as SyncError;
		}
		expect(error?.message).toBe('Invoice INV-7 has no line items');
		expect(error?.hint).toMatch(/Add a line item .* in HubSpot/);
		expect(error?.retryable).toBe(false);
	});

	it('names an invoice by its readable number, or its HubSpot id when nothing readable is left', () => {
		expect(invoiceLabel(invoiceOf({ number: ' INV\u0007-9 ' }))).toBe('INV-9');
		expect(invoiceLabel(invoiceOf({ id: '3010000042', number: '\u0007' }))).toBe('HubSpot #3010000042');
	});
});

describe('invoice checks: policies', () => {
	it('at the fixing settings (POLICY_INDEPENDENT) only what no setting fixes fails', () => {
		expect(codeOf(() => checkInvoice(invoiceOf({ number: 'INV-2026-0000000000042' }), US, POLICY_INDEPENDENT))).toBeUndefined();
		expect(codeOf(() => checkInvoice(invoiceOf({ number: 'INV\u0007-1', lines: [{ description: 'x\u0000' }] }), US, POLICY_INDEPENDENT))).toBeUndefined();
		// HubSpot's 25.00 for 2 × 10: a unit price of 12.5 fits it.
		expect(codeOf(() => checkInvoice(invoiceOf({ lines: [{ quantity: 2, unitPrice: 10, amount: 25 }] }), US, POLICY_INDEPENDENT))).toBeUndefined();
		// 7 × 0.001429 rounds to 0.01; nothing times 0 gives 5.00.
		expect(codeOf(() => checkInvoice(invoiceOf({ lines: [{ quantity: 7, unitPrice: 0, amount: '0.01' }] }), US, POLICY_INDEPENDENT))).toBeUndefined();
		expect(codeOf(() => checkInvoice(invoiceOf({ lines: [{ quantity: 0, unitPrice: 1, amount: 5 }] }), US, POLICY_INDEPENDENT))).toBe('AMOUNT_MISMATCH');
		expect(codeOf(() => checkInvoice(invoiceOf({ lines: [] }), US, POLICY_INDEPENDENT))).toBe('INVOICE_HAS_NO_LINES');
		expect(codeOf(() => checkInvoice(invoiceOf({ currency: 'CAD' }), US, POLICY_INDEPENDENT))).toBe('CURRENCY_MISMATCH');
		// Nothing readable is left of a number made of rejected characters.
		expect(codeOf(() => checkInvoice(invoiceOf({ number: '\u0007\u0008' }), US, POLICY_INDEPENDENT))).toBe('INVALID_INPUT');
	});

	it('extra invalid characters count only when the policy names them', () => {
		expect(codeOf(() => checkInvoice(invoiceOf({ number: 'INV#1' }), US, STRICT))).toBeUndefined();
		expect(codeOf(() => checkInvoice(invoiceOf({ number: 'INV#1' }), US, { ...STRICT, extraInvalidCharacters: '#' }))).toBe('INVALID_CHARACTERS');
	});
});

describe('invoice checks: numbers QuickBooks gives itself', () => {
	const numberedByQuickBooks = { ...US, customTxnNumbers: false };

	it('with custom transaction numbers off no DocNumber is sent, so HubSpot\'s number is not checked as one', () => {
		for (const number of ['INV-2026-000000000000000042', 'INV\u0007-1', '  ']) {
			expect(codeOf(() => checkInvoice(invoiceOf({ number }), numberedByQuickBooks, STRICT))).toBeUndefined();
			expect(codeOf(() => checkInvoice(invoiceOf({ number }), US, STRICT))).toBeDefined();
		}
	});

	it('invoiceDocNumber: the number after the policies with custom numbers on, none with them off', () => {
		expect(invoiceDocNumber(invoiceOf({ number: 'INV-2026-000000000000000042' }), US, POLICY_INDEPENDENT)).toEqual({ docNumber: shortenDocNumber('INV-2026-000000000000000042'), shortened: true });
		expect(invoiceDocNumber(invoiceOf({ number: 'INV-2026-000000000000000042' }), numberedByQuickBooks, STRICT)).toEqual({ docNumber: '', shortened: false });
	});
});

describe('invoice checks: totals, discounts and fees', () => {
	// One line of 2 × 25.00 = 50.00.
	it('TOTAL_MISMATCH when QuickBooks\' total before tax would differ from HubSpot\'s', () => {
		expect(codeOf(() => checkInvoice(invoiceOf({ totals: { total: '52.00', taxTotal: '2.00' } }), US, STRICT))).toBeUndefined();
		expect(codeOf(() => checkInvoice(invoiceOf({ totals: { total: '52.00', taxTotal: '1.99' } }), US, STRICT))).toBe('TOTAL_MISMATCH');
		// No policy changes QuickBooks' line amounts for a line that adds up.
		expect(codeOf(() => checkInvoice(invoiceOf({ totals: { subtotal: '50.01' } }), US, POLICY_INDEPENDENT))).toBe('TOTAL_MISMATCH');
	});

	it('DISCOUNTS_DISABLED for an invoice-level discount in a company with discounts off', () => {
		const discounted = invoiceOf({ adjustments: [{ kind: 'discount', name: 'Promo', amount: 1 }] });
		expect(codeOf(() => checkInvoice(discounted, { ...US, allowDiscount: false }, POLICY_INDEPENDENT))).toBe('DISCOUNTS_DISABLED');
		expect(codeOf(() => checkInvoice(discounted, US, POLICY_INDEPENDENT))).toBeUndefined();
	});

	it('FEE_ITEM_MISSING only when the upsert is known to have no Fee Item; unknown (undefined) is left to the upsert', () => {
		const withFee = invoiceOf({ adjustments: [{ kind: 'fee', name: 'Handling', amount: 5 }] });
		expect(codeOf(() => checkInvoice(withFee, US, { ...STRICT, feeItemId: '' }))).toBe('FEE_ITEM_MISSING');
		expect(codeOf(() => checkInvoice(withFee, US, { ...STRICT, feeItemId: '42' }))).toBeUndefined();
		expect(codeOf(() => checkInvoice(withFee, US, STRICT))).toBeUndefined();
		expect(codeOf(() => checkInvoice(withFee, US, POLICY_INDEPENDENT))).toBeUndefined();
		expect(codeOf(() => checkInvoice(invoiceOf(), US, { ...STRICT, feeItemId: '' }))).toBeUndefined();
	});

	it('a discount or fee name with a character QuickBooks rejects follows the invalid-characters policy', () => {
		const named = invoiceOf({ adjustments: [{ kind: 'fee', name: 'Rush\u0007', amount: 5 }] });
		expect(codeOf(() => checkInvoice(named, US, { ...STRICT, feeItemId: '42' }))).toBe('INVALID_CHARACTERS');
		expect(codeOf(() => checkInvoice(named, US, { ...STRICT, feeItemId: '42', invalidCharacters: 'strip' }))).toBeUndefined();
	});

	it('a malformed discount or fee is INVALID_INPUT naming it', () => {
		expect(codeOf(() => checkInvoice(invoiceOf({ adjustments: [{ kind: 'discount', name: 'Promo', percentage: 150 }] }), US, POLICY_INDEPENDENT))).toBe('INVALID_INPUT');
	});
});

describe('invoice checks: currency', () => {
	it('without multicurrency only the home currency is taken (any case), with no CurrencyRef', () => {
		expect(currencyRefFor({ currency: 'usd' }, US, 'INV-1')).toBeUndefined();
		expect(codeOf(() => currencyRefFor({ currency: 'EUR' }, US, 'INV-1'))).toBe('CURRENCY_MISMATCH');
	});

	it('with multicurrency every currency is taken and CurrencyRef is always set', () => {
		const multi = { ...US, multiCurrency: true };
		expect(currencyRefFor({ currency: 'eur' }, multi, 'INV-1')).toEqual({ value: 'EUR' });
		expect(currencyRefFor({ currency: 'USD' }, multi, 'INV-1')).toEqual({ value: 'USD' });
	});
});

describe('invoice checks: closed books', () => {
	const closed = { ...US, bookCloseDate: '2026-06-30' };

	it('an invoice dated on or before the books-closed date is PERIOD_CLOSED, naming both dates', () => {
		expect(closedPeriodError('2026-06-30', closed, 'INV-1')?.toJSON()).toMatchObject({
			code: 'PERIOD_CLOSED',
			message: 'Invoice INV-1: its date falls in a closed accounting period in QuickBooks',
			details: { txnDate: '2026-06-30', bookCloseDate: '2026-06-30' },
		});
		expect(closedPeriodError('2025-12-31', closed, 'INV-1')?.code).toBe('PERIOD_CLOSED');
	});

	it('a later date, no date (QuickBooks takes today) or open books pass', () => {
		expect(closedPeriodError('2026-07-01', closed, 'INV-1')).toBeUndefined();
		expect(closedPeriodError(undefined, closed, 'INV-1')).toBeUndefined();
		expect(closedPeriodError('2020-01-01', US, 'INV-1')).toBeUndefined();
	});

	it('the closed period is not among checkInvoice\'s failures (an invoice QuickBooks holds unchanged is fine)', () => {
		expect(checkInvoice(invoiceOf({ issueDate: '2026-01-02T00:00:00.000Z' }), closed, STRICT)).toEqual({ txnDate: '2026-01-02' });
	});

	it('the day compared is the one the upsert sends: an instant is taken in the company\'s time zone', () => {
		const auckland = { ...closed, timeZone: 'Pacific/Auckland' };
		// 2026-06-30 13:00 UTC is already 1 July in Auckland.
		const { txnDate } = checkInvoice(invoiceOf({ issueDate: '2026-06-30T13:00:00.000Z' }), auckland, STRICT);
		expect(txnDate).toBe('2026-07-01');
		expect(closedPeriodError(txnDate, auckland, 'INV-1')).toBeUndefined();
		const { txnDate: utcDay } = checkInvoice(invoiceOf({ issueDate: '2026-06-30T13:00:00.000Z' }), closed, STRICT);
		expect(closedPeriodError(utcDay, closed, 'INV-1')?.code).toBe('PERIOD_CLOSED');
	});
});

describe('invoice checks: company facts', () => {
	it('reads the books-closed date from Preferences.AccountingInfoPrefs.BookCloseDate', () => {
		expect(bookCloseDate({ AccountingInfoPrefs: { BookCloseDate: '2025-12-31' } })).toBe('2025-12-31');
		expect(bookCloseDate({ AccountingInfoPrefs: { BookCloseDate: '2025-12-31T00:00:00-08:00' } })).toBe('2025-12-31');
		expect(bookCloseDate({ AccountingInfoPrefs: {} })).toBeNull();
		expect(bookCloseDate({ AccountingInfoPrefs: { BookCloseDate: '' } })).toBeNull();
		expect(bookCloseDate(undefined)).toBeNull();
	});

	it('companySettingsFrom gathers currency, multicurrency, books-closed date, time zone, numbering and discounts', () => {
		const preferences = {
			CurrencyPrefs: { HomeCurrency: { value: 'cad' }, MultiCurrencyEnabled: 'true' },
			AccountingInfoPrefs: { BookCloseDate: '2026-03-31' },
			SalesFormsPrefs: { CustomTxnNumbers: false, AllowDiscount: 'false' },
		};
		expect(companySettingsFrom({}, preferences, 'America/Toronto')).toEqual({
			timeZone: 'America/Toronto',
			homeCurrency: 'CAD',
			multiCurrency: true,
			bookCloseDate: '2026-03-31',
			customTxnNumbers: false,
			allowDiscount: false,
		});
		// Custom numbers and discounts count as on unless QuickBooks says off.
		expect(companySettingsFrom(undefined, undefined, 'Not/AZone')).toEqual({
			timeZone: 'UTC',
			homeCurrency: 'USD',
			multiCurrency: false,
			bookCloseDate: null,
			customTxnNumbers: true,
			allowDiscount: true,
		});
	});
});
