/**
 * What to do with one invoice once we know what QuickBooks holds: create it, update what differs
 * (a sparse update with the current SyncToken), void it, leave it alone, skip it, or stop with an
 * error — decided here from data only, so every rule is unit-testable.
 */
import { SyncError } from '../shared/errors';
import { toCents, toMicros } from '../shared/money';
import type { ExistingMatch, QuickBooksInvoice } from './findExisting';
import type { UpsertOptions } from './settings';
import { mergePrivateNote, type DesiredInvoice, type QuickBooksInvoiceLine, type QuickBooksInvoicePayload, type QuickBooksSalesLine } from './payload';
import { mergeObjects } from '../shared/objects';
import { isVoidedInvoice } from '../shared/quickbooksInvoiceLink';

export type PlanStep =
	| { kind: 'create'; payload: QuickBooksInvoicePayload }
	| { kind: 'update'; payload: QuickBooksInvoicePayload; existing: QuickBooksInvoice; changes: string[] }
	| { kind: 'void'; payload: { Id: string; SyncToken: string }; existing: QuickBooksInvoice }
	| { kind: 'unchanged'; existing: QuickBooksInvoice }
	| { kind: 'skipped'; reason: string; existing?: QuickBooksInvoice }
	| { kind: 'error'; error: SyncError };

function micros(value: unknown): bigint | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	try {
		return toMicros(value as string | number);
	} catch {
		return undefined;
	}
}

function cents(value: unknown): bigint | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	try {
		return toCents(value as string | number);
	} catch {
		return undefined;
	}
}

const refValue = (ref: unknown): string | undefined => {
	const value = (ref as { value?: unknown } | undefined)?.value;
	return value === undefined || value === null ? undefined : String(value);
};

/** A line of an invoice QuickBooks returned, with the fields compared and reused (values as QuickBooks sent them). */
interface ExistingLine {
	Id?: unknown;
	DetailType?: unknown;
	Amount?: unknown;
	Description?: unknown;
	DiscountLineDetail?: { PercentBased?: unknown; DiscountPercent?: unknown };
	SalesItemLineDetail?: { ItemRef?: unknown; Qty?: unknown; UnitPrice?: unknown; TaxCodeRef?: unknown };
}

/** The existing invoice's lines without the subtotal line QuickBooks adds of its own. */
export function existingItemLines(existing: QuickBooksInvoice): ExistingLine[] {
	const lines = (Array.isArray(existing.Line) ? existing.Line : []) as Array<ExistingLine | null | undefined>;
	return lines.filter((line): line is ExistingLine => Boolean(line) && line?.DetailType !== 'SubTotalLineDetail');
}

const isDiscountLine = (line: { DetailType?: unknown } | undefined) => line?.DetailType === 'DiscountLineDetail';

/**
 * Lines in the order that matters: every line but the discount in order, then the discount lines
 * (QuickBooks may answer with the invoice-level discount after its subtotal line, not where it was sent).
 */
function comparableLines<T extends { DetailType?: unknown }>(lines: T[]): T[] {
	return [...lines.filter((line) => !isDiscountLine(line)), ...lines.filter(isDiscountLine)];
}

function lineDiffers(wanted: QuickBooksInvoiceLine, existing: ExistingLine): boolean {
	if (existing.DetailType !== wanted.DetailType) return true;
	if (wanted.DetailType === 'DiscountLineDetail') {
		const detail = existing.DiscountLineDetail ?? {};
		if (Boolean(detail.PercentBased) !== wanted.DiscountLineDetail.PercentBased) return true;
		if (wanted.DiscountLineDetail.PercentBased && micros(detail.DiscountPercent) !== micros(wanted.DiscountLineDetail.DiscountPercent)) return true;
		if (cents(existing.Amount) !== cents(wanted.Amount)) return true;
		return sameText(existing.Description, wanted.Description) === false;
	}
	const detail = existing.SalesItemLineDetail ?? {};
	const want = wanted.SalesItemLineDetail;
	if (refValue(detail.ItemRef) !== want.ItemRef.value) return true;
	if (micros(detail.Qty) !== micros(want.Qty)) return true;
	if (micros(detail.UnitPrice) !== micros(want.UnitPrice)) return true;
	if (cents(existing.Amount) !== cents(wanted.Amount)) return true;
	if (want.TaxCodeRef && (refValue(detail.TaxCodeRef) ?? '').toUpperCase() !== want.TaxCodeRef.value.toUpperCase()) return true;
	return sameText(existing.Description, wanted.Description) === false;
}

/** Text equality that ignores how line breaks are encoded and surrounding whitespace. */
function sameText(a: unknown, b: unknown): boolean {
	const normal = (value: unknown) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : '');
	return normal(a) === normal(b);
}

/**
 * The fields whose desired value differs from the existing invoice: customer, dates, number,
 * currency, transaction tax code, our PrivateNote link, memo and every line (item, quantity,
 * unit price, amount, tax code, description). Empty = nothing to write.
 */
export function invoiceChanges(desired: DesiredInvoice, existing: QuickBooksInvoice): string[] {
	const want = desired.payload;
	const changes: string[] = [];
	if (refValue(existing.CustomerRef) !== want.CustomerRef.value) changes.push('CustomerRef');
	// Without a DocNumber of ours (QuickBooks numbers the invoices) QuickBooks' number stays.
	if (want.DocNumber !== undefined && existing.DocNumber !== want.DocNumber) changes.push('DocNumber');
	if (want.TxnDate !== undefined && existing.TxnDate !== want.TxnDate) changes.push('TxnDate');
	if (want.DueDate !== undefined && existing.DueDate !== want.DueDate) changes.push('DueDate');
	if (want.CurrencyRef && refValue(existing.CurrencyRef) !== want.CurrencyRef.value) changes.push('CurrencyRef');
	if (want.TxnTaxDetail && refValue((existing.TxnTaxDetail as { TxnTaxCodeRef?: unknown } | undefined)?.TxnTaxCodeRef) !== want.TxnTaxDetail.TxnTaxCodeRef.value) {
		changes.push('TxnTaxCodeRef');
	}
	if (!sameText(existing.PrivateNote, mergePrivateNote(desired.linkLines, existing.PrivateNote))) changes.push('PrivateNote');
	if (want.CustomerMemo && refValue(existing.CustomerMemo) !== want.CustomerMemo.value) changes.push('CustomerMemo');
	if (want.ApplyTaxAfterDiscount !== undefined && existing.ApplyTaxAfterDiscount !== want.ApplyTaxAfterDiscount) changes.push('ApplyTaxAfterDiscount');
	const lines = comparableLines(existingItemLines(existing));
	const wanted = comparableLines(want.Line);
	if (lines.length !== wanted.length || wanted.some((line, index) => lineDiffers(line, lines[index]))) changes.push('Line');
	return changes;
}

/**
 * A sparse update: Id + current SyncToken + every field we own. The Line array replaces all
 * lines, so every line is sent; a sales line keeps the Id of the existing sales line at its
 * position when it is for the same item (QuickBooks then updates that line instead of replacing it).
 */
export function buildUpdatePayload(desired: DesiredInvoice, existing: QuickBooksInvoice): QuickBooksInvoicePayload {
	const current = existingItemLines(existing).filter((line) => line.DetailType === 'SalesItemLineDetail');
	let salesIndex = 0;
	const Line = desired.payload.Line.map((line): QuickBooksInvoiceLine => {
		if (line.DetailType !== 'SalesItemLineDetail') return mergeObjects(line);
		const previous = current[salesIndex++];
		const sameItem = refValue(previous?.SalesItemLineDetail?.ItemRef) === (line as QuickBooksSalesLine).SalesItemLineDetail.ItemRef.value;
		return sameItem && previous.Id !== undefined ? mergeObjects({ Id: String(previous.Id) }, line) : mergeObjects(line);
	});
	return mergeObjects(desired.payload, {
		Id: String(existing.Id),
		SyncToken: String(existing.SyncToken),
		sparse: true,
		PrivateNote: mergePrivateNote(desired.linkLines, existing.PrivateNote),
		Line,
	});
}

function duplicate(desired: DesiredInvoice, existing: QuickBooksInvoice, reason: string, details: Record<string, unknown> = {}): PlanStep {
	return {
		kind: 'error',
		error: new SyncError(
			'DUPLICATE_INVOICE',
			{ invoice: desired.invoiceNumber, txnId: String(existing.Id) },
			{ txnId: String(existing.Id), docNumber: existing.DocNumber, reason, ...details },
		),
	};
}

/** Decides the step for one invoice given the existing match (undefined = none in QuickBooks). */
export function planInvoice(desired: DesiredInvoice, match: ExistingMatch | undefined, options: UpsertOptions): PlanStep {
	if (!match) {
		if (desired.voided) return { kind: 'skipped', reason: 'voided in HubSpot and never synced to QuickBooks' };
		return { kind: 'create', payload: desired.payload };
	}
	const existing = match.invoice;
	// Voided on both sides: nothing to do, whoever made it (QuickBooks may replace the note on void).
	if (desired.voided && isVoidedInvoice(existing)) return { kind: 'unchanged', existing };
	if (match.linkState === 'other') {
		// Same number, but the invoice belongs to another HubSpot invoice: never take it over.
		if (options.whenExists === 'skip') {
			return { kind: 'skipped', reason: `QuickBooks invoice ${existing.Id} with this number belongs to HubSpot invoice ${match.linkedTo.join(', ')}`, existing };
		}
		return duplicate(desired, existing, 'linked to another HubSpot invoice', { linkedTo: match.linkedTo });
	}
	if (match.linkState === 'none') {
		if (options.whenExists === 'skip') {
			return { kind: 'skipped', reason: `QuickBooks invoice ${existing.Id} has this number but was not created by this sync`, existing };
		}
		if (options.whenExists === 'error') return duplicate(desired, existing, 'exists in QuickBooks without a link to HubSpot');
	}
	if (isVoidedInvoice(existing)) {
		if (desired.voided) return { kind: 'unchanged', existing };
		// QuickBooks cannot un-void; a person has to decide (delete it there, then re-sync).
		return duplicate(desired, existing, 'voided in QuickBooks but not in HubSpot');
	}
	if (desired.voided) {
		if (!options.syncVoidStatus) return { kind: 'skipped', reason: 'voided in HubSpot; "Sync Void Status" is off', existing };
		return { kind: 'void', payload: { Id: String(existing.Id), SyncToken: String(existing.SyncToken) }, existing };
	}
	const changes = invoiceChanges(desired, existing);
	if (changes.length === 0) return { kind: 'unchanged', existing };
	return { kind: 'update', payload: buildUpdatePayload(desired, existing), existing, changes };
}
