/**
 * From an upsert-ready item to the QuickBooks Invoice the sync wants to exist: pre-send validation
 * (number length and characters, dates, currency, Amount = Qty × UnitPrice) with the policies that
 * can fix a problem instead of failing. Plain functions: no n8n, no HTTP.
 */
import { createHash } from 'crypto';
import { DateTime } from 'luxon';

import { SyncError } from '../shared/errors';
import type { SyncItem } from '../shared/invoiceContract';
import { toQuickBooksDate } from '../shared/dates';
import { isRejectedByQuickBooks, textCharacters, truncate } from '../shared/text';
import {
	centsToNumber,
	discountedUnitPriceMicros,
	formatCents,
	formatMicros,
	lineAmountCents,
	toCents,
	toMicros,
} from '../shared/money';
import type { UpsertOptions } from './options';

export const DOC_NUMBER_MAX_LENGTH = 21;
export const DESCRIPTION_MAX_LENGTH = 4000;
export const PRIVATE_NOTE_MAX_LENGTH = 4000;
export const CUSTOMER_MEMO_MAX_LENGTH = 1000;
/** Characters of the original number kept in front of the hash when a number is shortened. */
const SHORTENED_PREFIX_LENGTH = 12;

/** The QuickBooks company facts the payload depends on (read once per execution). */
export interface CompanySettings {
	timeZone: string;
	homeCurrency: string;
	multiCurrency: boolean;
}

export interface QuickBooksRef {
	value: string;
	name?: string;
}

export interface QuickBooksInvoiceLine {
	Id?: string;
	DetailType: 'SalesItemLineDetail';
	Amount: number;
	Description?: string;
	SalesItemLineDetail: {
		ItemRef: QuickBooksRef;
		Qty: number;
		UnitPrice: number;
		TaxCodeRef?: QuickBooksRef;
	};
}

export interface QuickBooksInvoicePayload {
	Id?: string;
	SyncToken?: string;
	sparse?: boolean;
	CustomerRef: QuickBooksRef;
	DocNumber: string;
	TxnDate?: string;
	DueDate?: string;
	CurrencyRef?: QuickBooksRef;
	Line: QuickBooksInvoiceLine[];
	TxnTaxDetail?: { TxnTaxCodeRef: QuickBooksRef };
	PrivateNote: string;
	CustomerMemo?: { value: string };
}

/** The invoice as the sync wants it in QuickBooks, before anything is known about what exists. */
export interface DesiredInvoice {
	hubspotId: string;
	/** HubSpot's invoice number as received. */
	invoiceNumber: string;
	/** The DocNumber sent (the number after the character and length policies). */
	docNumber: string;
	voided: boolean;
	/** Our lines of PrivateNote: the link, plus the full number when it was shortened. */
	linkLines: string[];
	payload: QuickBooksInvoicePayload;
	/** What a policy changed, for the output (shortened number, stripped characters, fitted prices). */
	notes: string[];
	/** SKU per line, for messages about items. */
	lineSkus: Array<string | null>;
	/** QuickBooks item id per line (to name the SKU in item faults). */
	lineItemIds: string[];
	/** For messages about the customer. */
	customerName?: string;
	customerEmail?: string | null;
}

/** The line of PrivateNote that links a QuickBooks invoice to its HubSpot invoice. */
export function linkLine(hubspotId: string): string {
	return `HubSpot invoice ${hubspotId}`;
}

const FULL_NUMBER_PREFIX = 'HubSpot invoice number ';
const OUR_NOTE_LINE = /^HubSpot invoice (?:number .*|\S+)$/;

/** The HubSpot invoice ids a PrivateNote links to (any line "HubSpot invoice <id>"). */
export function linkedHubSpotIds(privateNote: unknown): string[] {
	if (typeof privateNote !== 'string') return [];
	const ids: string[] = [];
	for (const line of privateNote.split(/\r?\n/)) {
		const match = /^\s*HubSpot invoice (\d+)\s*$/.exec(line);
		if (match) ids.push(match[1]);
	}
	return ids;
}

/**
 * Our link lines first, then whatever else the note said (a bookkeeper's remark, "Voided"),
 * without our old lines; capped at QuickBooks' 4000 characters.
 */
export function mergePrivateNote(linkLines: string[], existingNote: unknown): string {
	const others =
		typeof existingNote === 'string'
			? existingNote.split(/\r?\n/).filter((line) => line.trim() !== '' && !OUR_NOTE_LINE.test(line.trim()))
			: [];
	return truncate([...linkLines, ...others].join('\n'), PRIVATE_NOTE_MAX_LENGTH);
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

/** The distinct characters of `text` QuickBooks rejects, in order of appearance. */
export function findInvalidCharacters(text: string, rule: CharacterRule): string[] {
	const found: string[] = [];
	for (const char of textCharacters(text)) {
		if (isInvalidCharacter(char, rule.allowLineBreaks, rule.extra ?? '') && !found.includes(char)) found.push(char);
	}
	return found;
}

export function stripInvalidCharacters(text: string, rule: CharacterRule): string {
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

/** True when luxon knows the IANA zone. */
export function isValidTimeZone(zone: string): boolean {
	return DateTime.local().setZone(zone).isValid;
}

/**
 * The company's time zone if QuickBooks reports one (a NameValue pair such as "TimeZone" in
 * CompanyInfo or Preferences.OtherPrefs), else the node's option, else UTC.
 */
export function companyTimeZone(companyInfo: Record<string, any> | undefined, preferences: Record<string, any> | undefined, fallback: string): string {
	const pairs: any[] = [
		...(Array.isArray(companyInfo?.NameValue) ? companyInfo.NameValue : []),
		...(Array.isArray(preferences?.OtherPrefs?.NameValue) ? preferences.OtherPrefs.NameValue : []),
	];
	for (const pair of pairs) {
		if (pair && /time\s*zone/i.test(String(pair.Name ?? '')) && typeof pair.Value === 'string' && isValidTimeZone(pair.Value.trim())) {
			return pair.Value.trim();
		}
	}
	return isValidTimeZone(fallback) ? fallback : 'UTC';
}

/** Home currency and multicurrency from Preferences.CurrencyPrefs. */
export function companyCurrency(preferences: Record<string, any> | undefined): { homeCurrency: string; multiCurrency: boolean } {
	const prefs = preferences?.CurrencyPrefs ?? {};
	const home = prefs.HomeCurrency?.value ?? prefs.HomeCurrency ?? 'USD';
	return { homeCurrency: String(home).toUpperCase(), multiCurrency: prefs.MultiCurrencyEnabled === true || prefs.MultiCurrencyEnabled === 'true' };
}

function checkText(
	text: string,
	field: string,
	invoice: string,
	options: UpsertOptions,
	allowLineBreaks: boolean,
	notes: string[],
): string {
	const rule = { allowLineBreaks, extra: options.extraInvalidCharacters };
	const invalid = findInvalidCharacters(text, rule);
	if (invalid.length === 0) return text;
	const characters = invalid.map(describeCharacter).join(', ');
	if (options.invalidCharacters === 'error') {
		throw new SyncError('INVALID_CHARACTERS', { invoice, field, characters }, { field, characters: invalid.map(describeCharacter) });
	}
	notes.push(`removed ${characters} from ${field}`);
	return stripInvalidCharacters(text, rule);
}

function quickBooksDate(value: string | null, field: string, invoice: string, timeZone: string): string | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	const date = toQuickBooksDate(value, timeZone);
	if (!date) throw new SyncError('INVALID_DATE', { invoice, field, value }, { field, value });
	return date;
}

/** The DocNumber for a HubSpot number after the character and length policies. */
export function docNumberFor(number: string, options: UpsertOptions, notes: string[] = []): { docNumber: string; shortened: boolean } {
	// Messages name the number without the characters that make it unreadable.
	const label = stripInvalidCharacters(number.trim(), { allowLineBreaks: false }) || '(empty)';
	let docNumber = checkText(number.trim(), 'the invoice number', label, options, false, notes).trim();
	if (docNumber === '') {
		throw new SyncError('INVALID_INPUT', { detail: 'invoice.number is empty: QuickBooks finds the invoice again by its number' }, { field: 'invoice.number' });
	}
	if (docNumber.length <= DOC_NUMBER_MAX_LENGTH) return { docNumber, shortened: false };
	if (options.longInvoiceNumbers === 'error') {
		throw new SyncError('DOC_NUMBER_TOO_LONG', { invoice: label, length: docNumber.length }, { length: docNumber.length, max: DOC_NUMBER_MAX_LENGTH });
	}
	const full = docNumber;
	docNumber = shortenDocNumber(full);
	notes.push(`invoice number shortened to ${docNumber} (QuickBooks allows ${DOC_NUMBER_MAX_LENGTH} characters); the full number is in the memo`);
	return { docNumber, shortened: true };
}

/**
 * Builds the invoice QuickBooks should hold for one item. Throws a SyncError (DOC_NUMBER_TOO_LONG,
 * INVALID_CHARACTERS, INVALID_DATE, CURRENCY_MISMATCH, AMOUNT_MISMATCH, INVALID_INPUT) when a
 * check fails and its policy does not fix it.
 */
export function buildDesiredInvoice(item: SyncItem, company: CompanySettings, options: UpsertOptions): DesiredInvoice {
	const invoice = item.invoice;
	const part = item.quickbooks ?? {};
	const notes: string[] = [];
	const hubspotId = invoice.source.id;
	const { docNumber, shortened } = docNumberFor(invoice.number, options, notes);
	const label = stripInvalidCharacters(invoice.number.trim(), { allowLineBreaks: false }) || `HubSpot #${hubspotId}`;

	if (!part.customer?.id) {
		throw new SyncError('INVALID_INPUT', { detail: 'quickbooks.customer: missing: run Customer Resolve first' }, { field: 'quickbooks.customer' });
	}
	if (invoice.lines.length === 0) {
		throw new SyncError('INVALID_INPUT', { detail: 'invoice.lines: QuickBooks needs at least one line' }, { field: 'invoice.lines' });
	}

	const currency = invoice.currency.toUpperCase();
	let currencyRef: QuickBooksRef | undefined;
	if (currency !== company.homeCurrency) {
		if (!company.multiCurrency) {
			throw new SyncError('CURRENCY_MISMATCH', { invoice: label, currency, homeCurrency: company.homeCurrency }, { currency, homeCurrency: company.homeCurrency });
		}
		currencyRef = { value: currency };
	}

	const txnDate = quickBooksDate(invoice.issueDate, 'invoice date', label, company.timeZone);
	const dueDate = quickBooksDate(invoice.dueDate, 'due date', label, company.timeZone);

	const lineItemIds: string[] = [];
	const lines = invoice.lines.map((line, index): QuickBooksInvoiceLine => {
		const linePart = part.lines?.[index];
		const itemId = linePart?.itemId;
		if (!itemId) {
			throw new SyncError('INVALID_INPUT', { detail: `quickbooks.lines.${index}.itemId: missing: run SKU Match first` }, { field: `quickbooks.lines.${index}.itemId` });
		}
		lineItemIds.push(itemId);
		const lineNumber = index + 1;
		let quantity: string;
		let unitPrice: string;
		let amountCents: bigint;
		let hubspotCents: bigint | undefined;
		try {
			quantity = formatMicros(toMicros(line.quantity));
			unitPrice = formatMicros(discountedUnitPriceMicros(line.unitPrice, line.discount?.amount, line.discount?.percentage));
			amountCents = lineAmountCents(quantity, unitPrice);
			if (line.amount !== null && line.amount !== undefined) hubspotCents = toCents(line.amount);
		} catch (error) {
			throw new SyncError('INVALID_INPUT', { detail: `invoice.lines.${index}: ${(error as Error).message}` }, { field: `invoice.lines.${index}` });
		}
		if (hubspotCents !== undefined) {
			if (hubspotCents !== amountCents) {
				const difference = hubspotCents > amountCents ? hubspotCents - amountCents : amountCents - hubspotCents;
				const mismatch = () =>
					new SyncError(
						'AMOUNT_MISMATCH',
						{ invoice: label, lines: lineNumber, amount: formatCents(hubspotCents), expected: formatCents(amountCents) },
						{ line: lineNumber, hubspotAmount: formatCents(hubspotCents), quantity, unitPrice, expected: formatCents(amountCents) },
					);
				// Beyond a cent the data disagrees; within a cent it is rounding and HubSpot's amount wins.
				if (difference > 1n && options.amountMismatch === 'error') throw mismatch();
				const fitted = fitUnitPrice(quantity, hubspotCents);
				if (fitted !== undefined) {
					notes.push(`line ${lineNumber}: unit price ${unitPrice} → ${fitted} so quantity × price equals HubSpot's amount ${formatCents(hubspotCents)}`);
					unitPrice = fitted;
					amountCents = hubspotCents;
				} else if (difference > 1n) {
					throw mismatch();
				}
			}
		}
		let description = (line.description ?? '').trim() || line.name.trim();
		if (description) {
			description = checkText(description, `line ${lineNumber} description`, label, options, true, notes);
			if (description.length > DESCRIPTION_MAX_LENGTH) {
				description = truncate(description, DESCRIPTION_MAX_LENGTH);
				notes.push(`line ${lineNumber}: description cut to ${DESCRIPTION_MAX_LENGTH} characters`);
			}
		}
		const detail: QuickBooksInvoiceLine['SalesItemLineDetail'] = {
			ItemRef: { value: itemId },
			Qty: Number(quantity),
			UnitPrice: Number(unitPrice),
		};
		if (linePart?.taxCodeId) detail.TaxCodeRef = { value: linePart.taxCodeId };
		const result: QuickBooksInvoiceLine = { DetailType: 'SalesItemLineDetail', Amount: centsToNumber(amountCents), SalesItemLineDetail: detail };
		if (description) result.Description = description;
		return result;
	});

	const linkLines = [linkLine(hubspotId)];
	// The full number as text QuickBooks stores: without rejected characters and line breaks.
	if (shortened) linkLines.push(`${FULL_NUMBER_PREFIX}${label}`);
	const payload: QuickBooksInvoicePayload = {
		CustomerRef: { value: part.customer.id },
		DocNumber: docNumber,
		Line: lines,
		PrivateNote: mergePrivateNote(linkLines, undefined),
	};
	if (txnDate) payload.TxnDate = txnDate;
	if (dueDate) payload.DueDate = dueDate;
	if (currencyRef) payload.CurrencyRef = currencyRef;
	if (part.txnTaxCodeId) payload.TxnTaxDetail = { TxnTaxCodeRef: { value: part.txnTaxCodeId } };
	if (shortened) payload.CustomerMemo = { value: truncate(`Invoice number ${label}`, CUSTOMER_MEMO_MAX_LENGTH) };

	return {
		hubspotId,
		invoiceNumber: invoice.number,
		docNumber,
		voided: invoice.status === 'voided',
		linkLines,
		payload,
		notes,
		lineSkus: invoice.lines.map((line) => line.sku),
		lineItemIds,
		customerName: part.customer.displayName,
		customerEmail: invoice.customer.email,
	};
}
