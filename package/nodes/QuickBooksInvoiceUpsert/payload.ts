/**
 * From an upsert-ready item to the QuickBooks Invoice the sync wants to exist. The checks (number
 * length and characters, lines, dates, currency, Amount = Qty × UnitPrice, discounts, fees and
 * totals) and the policies that can fix a problem instead of failing live in
 * shared/invoiceChecks.ts, which the nodes that write before the upsert run too. Plain functions:
 * no n8n, no HTTP.
 */
import { SyncError } from '../shared/errors';
import type { SyncItem } from '../shared/invoiceContract';
import {
	currencyRefFor,
	invoiceAdjustments,
	invoiceDates,
	invoiceDocNumber,
	invoiceLabel,
	lineAmounts,
	lineDescription,
	requireLines,
	stripInvalidCharacters,
	type CheckedAdjustments,
	type CompanySettings,
} from '../shared/invoiceChecks';
import { truncate } from '../shared/text';
import { centsToNumber } from '../shared/money';
import type { UpsertOptions } from './settings';

export {
	DESCRIPTION_MAX_LENGTH,
	DOC_NUMBER_MAX_LENGTH,
	companyCurrency,
	companySalesForms,
	companyTimeZone,
	describeCharacter,
	docNumberFor,
	findInvalidCharacters,
	fitUnitPrice,
	isValidTimeZone,
	shortenDocNumber,
	stripInvalidCharacters,
	type CharacterRule,
	type CompanySettings,
} from '../shared/invoiceChecks';

export const PRIVATE_NOTE_MAX_LENGTH = 4000;
export const CUSTOMER_MEMO_MAX_LENGTH = 1000;

export interface QuickBooksRef {
	value: string;
	name?: string;
}

/** What the payload needs of the company beyond what the checks need. */
export interface PayloadCompanySettings extends CompanySettings {
	/** CompanyInfo.Country: US companies can be told to tax after the discount. */
	country: string;
}

export interface QuickBooksSalesLine {
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

/** QuickBooks' discount on the whole invoice: a fixed amount, or a percentage of the subtotal. */
export interface QuickBooksDiscountLine {
	Id?: string;
	DetailType: 'DiscountLineDetail';
	Amount: number;
	Description?: string;
	DiscountLineDetail: { PercentBased: boolean; DiscountPercent?: number };
}

export type QuickBooksInvoiceLine = QuickBooksSalesLine | QuickBooksDiscountLine;

export interface QuickBooksInvoicePayload {
	Id?: string;
	SyncToken?: string;
	sparse?: boolean;
	CustomerRef: QuickBooksRef;
	/** Absent when QuickBooks numbers invoices itself (Custom transaction numbers off). */
	DocNumber?: string;
	TxnDate?: string;
	DueDate?: string;
	CurrencyRef?: QuickBooksRef;
	Line: QuickBooksInvoiceLine[];
	TxnTaxDetail?: { TxnTaxCodeRef: QuickBooksRef };
	/** US only: tax the discounted amount, as HubSpot does (its taxes apply after discounts). */
	ApplyTaxAfterDiscount?: boolean;
	PrivateNote: string;
	CustomerMemo?: { value: string };
}

/** The invoice as the sync wants it in QuickBooks, before anything is known about what exists. */
export interface DesiredInvoice {
	hubspotId: string;
	/** HubSpot's invoice number as received. */
	invoiceNumber: string;
	/** The DocNumber sent (the number after the character and length policies); '' when QuickBooks numbers the invoice. */
	docNumber: string;
	voided: boolean;
	/** Our lines of PrivateNote: the link, plus HubSpot's number when it was shortened or is not the DocNumber. */
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

function isUsCompany(company: PayloadCompanySettings): boolean {
	return ['US', 'USA'].includes(company.country.trim().toUpperCase());
}

/**
 * The fee and discount lines that follow the item lines. Fees are lines on the Fee Item, taxed
 * like the item lines (their shared tax code, else the first line's). Discounts become one
 * DiscountLineDetail line: PercentBased when it is a single percentage and no fee line would enter
 * QuickBooks' base, else their total as a fixed amount.
 */
function adjustmentLines(checked: CheckedAdjustments, itemLines: QuickBooksSalesLine[], options: UpsertOptions, notes: string[]): QuickBooksInvoiceLine[] {
	const { totals, feeDescriptions, discountDescription } = checked;
	const lines: QuickBooksInvoiceLine[] = [];
	if (totals.fees.length) {
		const taxCodes = [...new Set(itemLines.map((line) => line.SalesItemLineDetail.TaxCodeRef?.value))];
		const taxCode = taxCodes[0];
		if (taxCodes.length > 1) notes.push(`fees taxed with tax code ${taxCode ?? '(none)'} of line 1; the item lines use different codes`);
		totals.fees.forEach((fee, index) => {
			const amount = centsToNumber(fee.cents);
			const detail: QuickBooksSalesLine['SalesItemLineDetail'] = { ItemRef: { value: options.feeItemId }, Qty: 1, UnitPrice: amount };
			if (taxCode) detail.TaxCodeRef = { value: taxCode };
			const line: QuickBooksSalesLine = { DetailType: 'SalesItemLineDetail', Amount: amount, SalesItemLineDetail: detail };
			if (feeDescriptions[index]) line.Description = feeDescriptions[index];
			lines.push(line);
		});
	}
	if (totals.discounts.length) {
		const [only] = totals.discounts;
		const percentBased = totals.discounts.length === 1 && only.percentage !== undefined && totals.fees.length === 0;
		const line: QuickBooksDiscountLine = {
			DetailType: 'DiscountLineDetail',
			Amount: centsToNumber(totals.discountCents),
			DiscountLineDetail: percentBased ? { PercentBased: true, DiscountPercent: only.percentage } : { PercentBased: false },
		};
		if (discountDescription) line.Description = discountDescription;
		lines.push(line);
	}
	return lines;
}

/**
 * The item lines, one per HubSpot line on the item SKU Match chose, with the item ids and cent
 * amounts the fault messages and the total checks need. Throws on the first line that fails.
 */
function itemLines(item: SyncItem, label: string, options: UpsertOptions, notes: string[]): { lines: QuickBooksSalesLine[]; lineItemIds: string[]; lineCents: bigint[] } {
	const lineItemIds: string[] = [];
	const lineCents: bigint[] = [];
	const lines = item.invoice.lines.map((line, index): QuickBooksSalesLine => {
		const linePart = item.quickbooks?.lines?.[index];
		const itemId = linePart?.itemId;
		if (!itemId) {
			throw new SyncError('INVALID_INPUT', { detail: `quickbooks.lines.${index}.itemId: missing: run SKU Match first` }, { field: `quickbooks.lines.${index}.itemId` });
		}
		lineItemIds.push(itemId);
		const { quantity, unitPrice, amountCents } = lineAmounts(line, index, label, options, notes);
		lineCents.push(amountCents);
		const description = lineDescription(line, index, label, options, notes);
		const detail: QuickBooksSalesLine['SalesItemLineDetail'] = {
			ItemRef: { value: itemId },
			Qty: Number(quantity),
			UnitPrice: Number(unitPrice),
		};
		if (linePart?.taxCodeId) detail.TaxCodeRef = { value: linePart.taxCodeId };
		const result: QuickBooksSalesLine = { DetailType: 'SalesItemLineDetail', Amount: centsToNumber(amountCents), SalesItemLineDetail: detail };
		if (description) result.Description = description;
		return result;
	});
	return { lines, lineItemIds, lineCents };
}

/**
 * Builds the invoice QuickBooks should hold for one item. Throws a SyncError (DOC_NUMBER_TOO_LONG,
 * INVALID_CHARACTERS, INVOICE_HAS_NO_LINES, CURRENCY_MISMATCH, INVALID_DATE, AMOUNT_MISMATCH,
 * DISCOUNTS_DISABLED, TOTAL_MISMATCH, FEE_ITEM_MISSING, INVALID_INPUT) when a check fails and its
 * policy does not fix it, in the order `checkInvoice` runs them.
 */
export function buildDesiredInvoice(item: SyncItem, company: PayloadCompanySettings, options: UpsertOptions): DesiredInvoice {
	const invoice = item.invoice;
	const part = item.quickbooks ?? {};
	const notes: string[] = [];
	const hubspotId = invoice.source.id;
	const { docNumber, shortened } = invoiceDocNumber(invoice, company, options, notes);
	const label = invoiceLabel(invoice);

	if (!part.customer?.id) {
		throw new SyncError('INVALID_INPUT', { detail: 'quickbooks.customer: missing: run Customer Resolve first' }, { field: 'quickbooks.customer' });
	}
	requireLines(invoice, label);
	const currencyRef = currencyRefFor(invoice, company, label);
	const { txnDate, dueDate } = invoiceDates(invoice, company.timeZone, label);

	const { lines, lineItemIds, lineCents } = itemLines(item, label, options, notes);

	const checked = invoiceAdjustments(invoice, lineCents, company, options, label, notes);
	const { totals } = checked;
	const adjustments = adjustmentLines(checked, lines, options, notes);

	const linkLines = [linkLine(hubspotId)];
	// The full number as text QuickBooks stores: without rejected characters and line breaks.
	const hubspotNumber = stripInvalidCharacters(invoice.number.trim(), { allowLineBreaks: false });
	if (shortened || (!company.customTxnNumbers && hubspotNumber)) linkLines.push(`${FULL_NUMBER_PREFIX}${hubspotNumber}`);
	const payload: QuickBooksInvoicePayload = {
		CustomerRef: { value: part.customer.id },
		Line: adjustments.length ? [...lines, ...adjustments] : lines,
		PrivateNote: mergePrivateNote(linkLines, undefined),
	};
	if (company.customTxnNumbers) payload.DocNumber = docNumber;
	if (txnDate) payload.TxnDate = txnDate;
	if (dueDate) payload.DueDate = dueDate;
	if (currencyRef) payload.CurrencyRef = currencyRef;
	if (part.txnTaxCodeId) payload.TxnTaxDetail = { TxnTaxCodeRef: { value: part.txnTaxCodeId } };
	if (totals.discounts.length && isUsCompany(company)) payload.ApplyTaxAfterDiscount = true;
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
