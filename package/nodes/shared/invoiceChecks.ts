/**
 * The checks an invoice must pass before anything is written for it, each in one place: the
 * QuickBooks Invoice Upsert builds its payload with them, and every node that writes earlier
 * (Customer Resolve, SKU Match) runs them first, so an invoice that can never sync creates no
 * customer and no item. They need the invoice, the company's Preferences and the upsert's
 * policies, never a request. Plain functions: no n8n, no HTTP.
 */
import { createHash } from 'crypto';
import { DateTime } from 'luxon';

import { toQuickBooksDate } from './dates';
import { SyncError } from './errors';
import type { CanonicalInvoice, InvoiceLine } from './invoiceContract';
import { invoiceTotals, requireFeeItem, type AdjustedTotals } from './invoiceTotals';
import { computeAmounts, discountedUnitPriceMicros, formatCents, formatMicros, lineAmountCents, toCents, toMicros } from './money';
import { isRejectedByQuickBooks, textCharacters, truncate } from './text';

export const DOC_NUMBER_MAX_LENGTH = 21;
export const DESCRIPTION_MAX_LENGTH = 4000;
/** Characters of the original number kept in front of the hash when a number is shortened. */
const SHORTENED_PREFIX_LENGTH = 12;

/**
 * The upsert's settings that decide whether a problem fails the invoice or is fixed (the upsert's
 * options; `UpsertOptions` has these fields).
 */
export interface InvoiceCheckPolicies {
	/** Invoice numbers longer than QuickBooks' 21 characters: fail, or shorten with a hash. */
	longInvoiceNumbers: 'error' | 'shorten';
	/** Characters QuickBooks rejects in the number or a line description: fail, or strip them. */
	invalidCharacters: 'error' | 'strip';
	/** A line amount that is not quantity × unit price: fit the unit price to HubSpot's amount, or fail. */
	amountMismatch: 'useHubSpotAmount' | 'error';
	/** Characters to reject on top of those QuickBooks never accepts. */
	extraInvalidCharacters: string;
	/**
	 * The item invoice-level fees are booked on: '' when none is chosen (an invoice with a fee fails
	 * with FEE_ITEM_MISSING); absent when not known here (the upsert checks it).
	 */
	feeItemId?: string;
}

/**
 * The policies that fix every problem they can: what an invoice still fails under them fails
 * under any setting of the upsert. Earlier nodes use them when they cannot see the upsert's.
 * The Fee Item is absent: unknown, so a fee fails only in the upsert.
 */
export const POLICY_INDEPENDENT: InvoiceCheckPolicies = {
	longInvoiceNumbers: 'shorten',
	invalidCharacters: 'strip',
	amountMismatch: 'useHubSpotAmount',
	extraInvalidCharacters: '',
};

/** The QuickBooks company facts the checks and the payload depend on (read once per execution). */
export interface CompanySettings {
	timeZone: string;
	homeCurrency: string;
	multiCurrency: boolean;
	/** Preferences.AccountingInfoPrefs.BookCloseDate (YYYY-MM-DD): transactions dated on or before it are refused. */
	bookCloseDate?: string | null;
	/** Preferences.SalesFormsPrefs.CustomTxnNumbers: off = QuickBooks numbers invoices itself and no DocNumber is sent. */
	customTxnNumbers: boolean;
	/** Preferences.SalesFormsPrefs.AllowDiscount: invoice-level discount lines are available. */
	allowDiscount: boolean;
}

/** True when luxon knows the IANA zone. */
export function isValidTimeZone(zone: string): boolean {
	return DateTime.local().setZone(zone).isValid;
}

/** A field of a JSON object QuickBooks returned, undefined when the value is not an object; read with typeof checks. */
function field(value: unknown, key: string): unknown {
	return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function arrayOrNone(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

/**
 * The company's time zone if QuickBooks reports one (a NameValue pair such as "TimeZone" in
 * CompanyInfo or Preferences.OtherPrefs), else the node's option, else UTC.
 */
export function companyTimeZone(companyInfo: unknown, preferences: unknown, fallback: string): string {
	const pairs = [...arrayOrNone(field(companyInfo, 'NameValue')), ...arrayOrNone(field(field(preferences, 'OtherPrefs'), 'NameValue'))];
	for (const pair of pairs) {
		const value = field(pair, 'Value');
		if (/time\s*zone/i.test(String(field(pair, 'Name') ?? '')) && typeof value === 'string' && isValidTimeZone(value.trim())) {
			return value.trim();
		}
	}
	return isValidTimeZone(fallback) ? fallback : 'UTC';
}

/** Home currency and multicurrency from Preferences.CurrencyPrefs. */
export function companyCurrency(preferences: unknown): { homeCurrency: string; multiCurrency: boolean } {
	const prefs = field(preferences, 'CurrencyPrefs');
	const homeCurrency = field(prefs, 'HomeCurrency');
	const home = field(homeCurrency, 'value') ?? homeCurrency ?? 'USD';
	const multiCurrency = field(prefs, 'MultiCurrencyEnabled');
	return { homeCurrency: String(home).toUpperCase(), multiCurrency: multiCurrency === true || multiCurrency === 'true' };
}

/** The books-closed date (YYYY-MM-DD) from Preferences.AccountingInfoPrefs, or null when the books are open. */
export function bookCloseDate(preferences: unknown): string | null {
	const value = field(field(preferences, 'AccountingInfoPrefs'), 'BookCloseDate');
	if (typeof value !== 'string') return null;
	const day = /^\d{4}-\d{2}-\d{2}/.exec(value.trim());
	return day ? day[0] : null;
}

/** Custom transaction numbers and discounts from Preferences.SalesFormsPrefs; on unless QuickBooks says off. */
export function companySalesForms(preferences: unknown): { customTxnNumbers: boolean; allowDiscount: boolean } {
	const prefs = field(preferences, 'SalesFormsPrefs');
	const off = (value: unknown) => value === false || value === 'false';
	return { customTxnNumbers: !off(field(prefs, 'CustomTxnNumbers')), allowDiscount: !off(field(prefs, 'AllowDiscount')) };
}

/** Everything the checks and the payload need of CompanyInfo and Preferences. */
export function companySettingsFrom(companyInfo: unknown, preferences: unknown, fallbackTimeZone: string): CompanySettings {
	return {
		timeZone: companyTimeZone(companyInfo, preferences, fallbackTimeZone),
		...companyCurrency(preferences),
		bookCloseDate: bookCloseDate(preferences),
		...companySalesForms(preferences),
	};
}

/**
 * A number QuickBooks accepts (≤ 21 characters) that always comes out the same for the same
 * HubSpot number: its first characters, a dash and 8 hex digits of its SHA-256.
 */
export function shortenDocNumber(number: string): string {
	if (number.length <= DOC_NUMBER_MAX_LENGTH) return number;
	const hash = createHash('sha256').update(number, 'utf8').digest('hex').slice(0, 8).toUpperCase();
	// Cut between characters: half an emoji (an unpaired surrogate) is a character QuickBooks rejects.
	const prefix = truncate(number, SHORTENED_PREFIX_LENGTH).replace(/[\s-]+$/, '');
	return `${prefix}-${hash}`;
}

function isInvalidCharacter(char: string, allowLineBreaks: boolean, extra: string): boolean {
	return isRejectedByQuickBooks(char, { allowLineBreaks }) || (extra !== '' && extra.includes(char));
}

/** Readable name of a character for a message: itself, or U+XXXX when it does not print. */
export function describeCharacter(char: string): string {
	const code = char.codePointAt(0) ?? 0;
	if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff) || (code >= 0xfffd && code <= 0xffff)) {
		return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
	}
	return `"${char}"`;
}

export interface CharacterRule {
	allowLineBreaks: boolean;
	extra?: string;
}

/**
 * Every character `isRejectedByQuickBooks` may reject (the C0 and C1 controls are \p{Cc}; then lone
 * surrogates, U+FFFD to U+FFFF, and characters beyond U+FFFF): a text without any of them (nearly every
 * text) needs no character-by-character look.
 */
const MAYBE_REJECTED = /[\p{Cc}\ud800-\udfff\ufffd-\uffff\u{10000}-\u{10ffff}]/u;

/** The distinct characters of `text` QuickBooks rejects, in order of appearance. */
export function findInvalidCharacters(text: string, rule: CharacterRule): string[] {
	const found: string[] = [];
	if (!rule.extra && !MAYBE_REJECTED.test(text)) return found;
	for (const char of textCharacters(text)) {
		if (isInvalidCharacter(char, rule.allowLineBreaks, rule.extra ?? '') && !found.includes(char)) found.push(char);
	}
	return found;
}

export function stripInvalidCharacters(text: string, rule: CharacterRule): string {
	if (!rule.extra && !MAYBE_REJECTED.test(text)) return text;
	return textCharacters(text)
		.filter((char) => !isInvalidCharacter(char, rule.allowLineBreaks, rule.extra ?? ''))
		.join('');
}

/**
 * The unit price (as decimal text) with the fewest decimals (2 to 6) for which
 * Qty × UnitPrice rounds half-up to exactly `amountCents`; undefined when none does.
 */
export function fitUnitPrice(quantity: string, amountCents: bigint): string | undefined {
	const qtyMicros = toMicros(quantity);
	if (qtyMicros === 0n) return amountCents === 0n ? '0' : undefined;
	for (let scale = 2; scale <= 6; scale++) {
		// unit (in 10^-scale) = amount / qty = amountCents × 10^(scale-2) × 10^6 / qtyMicros
		const numerator = amountCents * 10n ** BigInt(scale - 2) * 1_000_000n;
		const negative = numerator < 0n !== qtyMicros < 0n;
		const absNumerator = numerator < 0n ? -numerator : numerator;
		const absQty = qtyMicros < 0n ? -qtyMicros : qtyMicros;
		let units = (absNumerator * 2n + absQty) / (absQty * 2n);
		if (negative) units = -units;
		const text = formatScaled(units, scale);
		if (lineAmountCents(quantity, text) === amountCents) return text;
	}
	return undefined;
}

function formatScaled(units: bigint, scale: number): string {
	const negative = units < 0n;
	const absolute = negative ? -units : units;
	const divisor = 10n ** BigInt(scale);
	const fraction = (absolute % divisor).toString().padStart(scale, '0').replace(/0+$/, '');
	return `${negative ? '-' : ''}${absolute / divisor}${fraction ? `.${fraction}` : ''}`;
}

/** The invoice as messages name it: its number without unreadable characters, or its HubSpot id. */
export function invoiceLabel(invoice: Pick<CanonicalInvoice, 'number' | 'source'>): string {
	return stripInvalidCharacters(invoice.number.trim(), { allowLineBreaks: false }) || `HubSpot #${invoice.source.id}`;
}

/** `text` after the invalid-characters policy: unchanged, stripped (noted), or INVALID_CHARACTERS. */
export function checkText(
	text: string,
	field: string,
	invoice: string,
	policies: InvoiceCheckPolicies,
	allowLineBreaks: boolean,
	notes: string[],
): string {
	const rule = { allowLineBreaks, extra: policies.extraInvalidCharacters };
	const invalid = findInvalidCharacters(text, rule);
	if (invalid.length === 0) return text;
	const characters = invalid.map(describeCharacter).join(', ');
	if (policies.invalidCharacters === 'error') {
		throw new SyncError('INVALID_CHARACTERS', { invoice, field, characters }, { field, characters: invalid.map(describeCharacter) });
	}
	notes.push(`removed ${characters} from ${field}`);
	return stripInvalidCharacters(text, rule);
}

/** The DocNumber for a HubSpot number after the character and length policies. */
export function docNumberFor(number: string, policies: InvoiceCheckPolicies, notes: string[] = []): { docNumber: string; shortened: boolean } {
	// Messages name the number without the characters that make it unreadable.
	const label = stripInvalidCharacters(number.trim(), { allowLineBreaks: false }) || '(empty)';
	let docNumber = checkText(number.trim(), 'the invoice number', label, policies, false, notes).trim();
	if (docNumber === '') {
		throw new SyncError('INVALID_INPUT', { detail: 'invoice.number is empty: QuickBooks finds the invoice again by its number' }, { field: 'invoice.number' });
	}
	if (docNumber.length <= DOC_NUMBER_MAX_LENGTH) return { docNumber, shortened: false };
	if (policies.longInvoiceNumbers === 'error') {
		throw new SyncError('DOC_NUMBER_TOO_LONG', { invoice: label, length: docNumber.length }, { length: docNumber.length, max: DOC_NUMBER_MAX_LENGTH });
	}
	const full = docNumber;
	docNumber = shortenDocNumber(full);
	notes.push(`invoice number shortened to ${docNumber} (QuickBooks allows ${DOC_NUMBER_MAX_LENGTH} characters); the full number is in the memo`);
	return { docNumber, shortened: true };
}

/**
 * The DocNumber the upsert sends: HubSpot's number after the policies. With custom transaction
 * numbers off QuickBooks numbers the invoice, and Intuit advises sending no DocNumber then (it can
 * lead to duplicate numbers), so HubSpot's number is not checked as one and '' is returned.
 */
export function invoiceDocNumber(
	invoice: Pick<CanonicalInvoice, 'number'>,
	company: Pick<CompanySettings, 'customTxnNumbers'>,
	policies: InvoiceCheckPolicies,
	notes: string[] = [],
): { docNumber: string; shortened: boolean } {
	return company.customTxnNumbers ? docNumberFor(invoice.number, policies, notes) : { docNumber: '', shortened: false };
}

/** QuickBooks refuses an invoice without lines; an empty HubSpot invoice is a data problem, not a wiring one. */
export function requireLines(invoice: Pick<CanonicalInvoice, 'lines'>, label: string): void {
	if (invoice.lines.length === 0) throw new SyncError('INVOICE_HAS_NO_LINES', { invoice: label }, { field: 'invoice.lines' });
}

/**
 * The CurrencyRef the invoice needs: always the currency code when multicurrency is on (QuickBooks
 * requires it then), none without multicurrency; CURRENCY_MISMATCH when the company cannot take
 * the currency at all.
 */
export function currencyRefFor(invoice: Pick<CanonicalInvoice, 'currency'>, company: CompanySettings, label: string): { value: string } | undefined {
	const currency = invoice.currency.toUpperCase();
	if (company.multiCurrency) return { value: currency };
	if (currency !== company.homeCurrency) {
		throw new SyncError('CURRENCY_MISMATCH', { invoice: label, currency, homeCurrency: company.homeCurrency }, { currency, homeCurrency: company.homeCurrency });
	}
	return undefined;
}

function quickBooksDate(value: string | null, field: string, invoice: string, timeZone: string): string | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	const date = toQuickBooksDate(value, timeZone);
	if (!date) throw new SyncError('INVALID_DATE', { invoice, field, value }, { field, value });
	return date;
}

/** TxnDate and DueDate as QuickBooks takes them (YYYY-MM-DD); INVALID_DATE for a value that is no date. */
export function invoiceDates(invoice: Pick<CanonicalInvoice, 'issueDate' | 'dueDate'>, timeZone: string, label: string): { txnDate?: string; dueDate?: string } {
	return {
		txnDate: quickBooksDate(invoice.issueDate, 'invoice date', label, timeZone),
		dueDate: quickBooksDate(invoice.dueDate, 'due date', label, timeZone),
	};
}

/**
 * PERIOD_CLOSED when the invoice date falls on or before the books-closed date: QuickBooks refuses
 * to create or change a transaction there (fault 6210). An invoice without a date takes today's.
 */
export function closedPeriodError(txnDate: string | undefined, company: CompanySettings, label: string): SyncError | undefined {
	const closed = company.bookCloseDate;
	if (!closed || !txnDate || txnDate > closed) return undefined;
	return new SyncError('PERIOD_CLOSED', { invoice: label }, { txnDate, bookCloseDate: closed });
}

export interface LineAmounts {
	/** Decimal texts, exact. */
	quantity: string;
	unitPrice: string;
	/** Qty × UnitPrice rounded half-up, which QuickBooks requires as Amount. */
	amountCents: bigint;
}

/**
 * Quantity, unit price and amount of one line such that Amount = Qty × UnitPrice, after the
 * amount-mismatch policy. HubSpot's amount within a cent of quantity × price is rounding and wins;
 * beyond a cent the data disagrees (AMOUNT_MISMATCH under the "error" policy, or when no unit
 * price of up to 6 decimals gives HubSpot's amount).
 */
export function lineAmounts(line: InvoiceLine, index: number, label: string, policies: InvoiceCheckPolicies, notes: string[]): LineAmounts {
	const lineNumber = index + 1;
	const parsed = computeAmounts(() => {
		const quantity = formatMicros(toMicros(line.quantity));
		const unitPrice = formatMicros(discountedUnitPriceMicros(line.unitPrice, line.discount?.amount, line.discount?.percentage));
		const hubspotCents = line.amount !== null && line.amount !== undefined ? toCents(line.amount) : undefined;
		return { quantity, unitPrice, amountCents: lineAmountCents(quantity, unitPrice), hubspotCents };
	});
	if ('problem' in parsed) {
		throw new SyncError('INVALID_INPUT', { detail: `invoice.lines.${index}: ${parsed.problem}` }, { field: `invoice.lines.${index}` });
	}
	const { quantity, unitPrice, amountCents, hubspotCents } = parsed.value;
	if (hubspotCents === undefined || hubspotCents === amountCents) return { quantity, unitPrice, amountCents };
	const difference = hubspotCents > amountCents ? hubspotCents - amountCents : amountCents - hubspotCents;
	const mismatch = () =>
		new SyncError(
			'AMOUNT_MISMATCH',
			{ invoice: label, lines: lineNumber, amount: formatCents(hubspotCents), expected: formatCents(amountCents) },
			{ line: lineNumber, hubspotAmount: formatCents(hubspotCents), quantity, unitPrice, expected: formatCents(amountCents) },
		);
	if (difference > 1n && policies.amountMismatch === 'error') throw mismatch();
	const fitted = fitUnitPrice(quantity, hubspotCents);
	if (fitted === undefined) {
		if (difference > 1n) throw mismatch();
		return { quantity, unitPrice, amountCents };
	}
	notes.push(`line ${lineNumber}: unit price ${unitPrice} → ${fitted} so quantity × price equals HubSpot's amount ${formatCents(hubspotCents)}`);
	return { quantity, unitPrice: fitted, amountCents: hubspotCents };
}

/** The line's description (or name) after the invalid-characters policy, cut to QuickBooks' 4000 characters. */
export function lineDescription(line: InvoiceLine, index: number, label: string, policies: InvoiceCheckPolicies, notes: string[]): string {
	const lineNumber = index + 1;
	let description = (line.description ?? '').trim() || line.name.trim();
	if (!description) return '';
	description = checkText(description, `line ${lineNumber} description`, label, policies, true, notes);
	if (description.length > DESCRIPTION_MAX_LENGTH) {
		description = truncate(description, DESCRIPTION_MAX_LENGTH);
		notes.push(`line ${lineNumber}: description cut to ${DESCRIPTION_MAX_LENGTH} characters`);
	}
	return description;
}

/** The invoice's discounts and fees after every check on them, with the texts of their lines. */
export interface CheckedAdjustments {
	totals: AdjustedTotals;
	/** Description of each fee's line, in the order of `totals.fees` ('' = none). */
	feeDescriptions: string[];
	/** Description of the one discount line ('' = none). */
	discountDescription: string;
}

function adjustmentDescription(names: string[], field: string, label: string, policies: InvoiceCheckPolicies, notes: string[]): string {
	const text = names.filter(Boolean).join('; ');
	return text ? truncate(checkText(text, field, label, policies, false, notes), DESCRIPTION_MAX_LENGTH) : '';
}

/**
 * Discounts and fees from `lineCents` (each line's Amount as sent): well-formed (INVALID_INPUT),
 * discounts allowed (DISCOUNTS_DISABLED), totals equal to HubSpot's (TOTAL_MISMATCH), a Fee Item for
 * fees when the policies know it (FEE_ITEM_MISSING), names after the invalid-characters policy.
 */
export function invoiceAdjustments(
	invoice: Pick<CanonicalInvoice, 'lines' | 'totals' | 'adjustments'>,
	lineCents: bigint[],
	company: Pick<CompanySettings, 'allowDiscount'>,
	policies: InvoiceCheckPolicies,
	label: string,
	notes: string[],
): CheckedAdjustments {
	const totals = invoiceTotals(invoice, lineCents, company, label);
	requireFeeItem(totals.fees, policies.feeItemId, label);
	const feeDescriptions = totals.fees.map((fee, index) => adjustmentDescription([fee.name], `fee ${index + 1} name`, label, policies, notes));
	const discountDescription = totals.discounts.length
		? adjustmentDescription(
				totals.discounts.map((discount) => discount.name),
				'discount name',
				label,
				policies,
				notes,
			)
		: '';
	return { totals, feeDescriptions, discountDescription };
}

export interface InvoiceCheckResult {
	/** The TxnDate the upsert will send, for the closed-period check of the nodes that write. */
	txnDate?: string;
}

/**
 * Every write-free check, in the order the upsert meets them when it builds the payload; throws
 * the first failure as a SyncError. The closed period is not among them: an invoice QuickBooks
 * already holds unchanged is no failure (see `closedPeriodError`).
 */
export function checkInvoice(invoice: CanonicalInvoice, company: CompanySettings, policies: InvoiceCheckPolicies): InvoiceCheckResult {
	const notes: string[] = [];
	const label = invoiceLabel(invoice);
	invoiceDocNumber(invoice, company, policies, notes);
	requireLines(invoice, label);
	currencyRefFor(invoice, company, label);
	const { txnDate } = invoiceDates(invoice, company.timeZone, label);
	const lineCents = invoice.lines.map((line, index) => {
		const { amountCents } = lineAmounts(line, index, label, policies, notes);
		lineDescription(line, index, label, policies, notes);
		return amountCents;
	});
	invoiceAdjustments(invoice, lineCents, company, policies, label, notes);
	return { txnDate };
}
