/**
 * What is written to HubSpot for a QuickBooks invoice: the invoice's properties (dates as the
 * start of the day in the account's time zone, so HubSpot shows the day QuickBooks has), and one
 * line item per line, linked to its product, with exact money. Plain functions.
 */
import { DateTime } from 'luxon';

import { invoiceContentHash } from '../shared/contentHash';
import { firstTimeZone, toQuickBooksDate } from '../shared/dates';
import type { CanonicalInvoice, InvoiceLine, SyncItem } from '../shared/invoiceContract';
import { formatMicros, toMicros } from '../shared/money';
import type { HubSpotWriteInput } from '../shared/transport/hubspot';

/** HubSpot-defined association types (v4): invoice → contact, invoice → company, line item → invoice. */
export const ASSOCIATION_TYPES = { invoiceToContact: 177, invoiceToCompany: 179, lineItemToInvoice: 410 } as const;

/** The HubSpot invoice statuses, in the order an invoice moves through them. */
export type HubSpotInvoiceStatus = 'draft' | 'open' | 'paid' | 'voided';

/** A `YYYY-MM-DD` day as the instant HubSpot stores: the start of that day in the account's zone. */
export function hubSpotDateTime(day: string | null, timeZone: string | null | undefined): string | undefined {
	if (!day) return undefined;
	const zone = firstTimeZone(timeZone) ?? 'UTC';
	const start = DateTime.fromISO(day.slice(0, 10), { zone });
	return start.isValid ? start.toUTC().toISO({ suppressMilliseconds: false }) ?? undefined : undefined;
}

/** Exact decimal text for a money or quantity value (no float drift). */
export function decimalText(value: number | string): string {
	return formatMicros(toMicros(value));
}

/** The QuickBooks invoice's content hash: the QuickBooks Trigger's, else computed the same way. */
export function sourceHashOf(invoice: CanonicalInvoice): string {
	return invoice.contentHash ?? invoiceContentHash(invoice);
}

/** The content properties of the HubSpot invoice (created, or updated when QuickBooks changed it). */
export function contentProperties(invoice: CanonicalInvoice, timeZone: string | null | undefined): Record<string, string> {
	const properties: Record<string, string> = {
		hs_currency: invoice.currency,
		hs_number: invoice.number,
		qbo_invoice_id: invoice.source.id,
		qbo_doc_number: invoice.number,
		qbo_source_hash: sourceHashOf(invoice),
	};
	const issued = hubSpotDateTime(invoice.issueDate, timeZone);
	const due = hubSpotDateTime(invoice.dueDate, timeZone);
	if (issued) properties.hs_invoice_date = issued;
	if (due) properties.hs_due_date = due;
	return properties;
}

const DATE_PROPERTIES = new Set(['hs_invoice_date', 'hs_due_date']);

/**
 * Of the properties an update would write, those whose value differs from what HubSpot holds:
 * dates by the calendar day the user sees (HubSpot may answer another form of the instant
 * written), the rest as text (HubSpot answers an empty value as null). An invoice with a payment
 * refuses a write of HubSpot's own properties even when the value is the one it holds.
 */
export function changedProperties(wanted: Record<string, string>, held: Record<string, string | null | undefined>, timeZone: string | null | undefined): Record<string, string> {
	const zone = firstTimeZone(timeZone) ?? 'UTC';
	const differs = (name: string, value: string) => {
		const current = held[name] ?? '';
		return DATE_PROPERTIES.has(name) ? toQuickBooksDate(current, zone) !== toQuickBooksDate(value, zone) : current !== value;
	};
	return Object.fromEntries(Object.entries(wanted).filter(([name, value]) => !(name in held) || differs(name, value)));
}

/** A new invoice: a draft with its content, marked as started in QuickBooks, associated with its contact and company. */
export function invoiceCreateInput(item: SyncItem, timeZone: string | null | undefined): HubSpotWriteInput {
	const hubspot = item.hubspot!;
	const associations: NonNullable<HubSpotWriteInput['associations']> = [
		{ to: { id: hubspot.contact!.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ASSOCIATION_TYPES.invoiceToContact }] },
	];
	if (hubspot.company) {
		associations.push({ to: { id: hubspot.company.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ASSOCIATION_TYPES.invoiceToCompany }] });
	}
	// Without qbo_source_hash: that marks the content complete and comes with the final update.
	const content = contentProperties(item.invoice, timeZone);
	delete content.qbo_source_hash;
	return {
		properties: { ...content, hs_invoice_status: 'draft', qbo_origin: 'quickbooks' },
		associations,
	};
}

function lineProperties(line: InvoiceLine, productId: string, taxRateId: string | null | undefined): Record<string, string> {
	const properties: Record<string, string> = {
		name: line.name || line.sku || 'Line',
		quantity: decimalText(line.quantity),
		price: decimalText(line.unitPrice),
		hs_product_id: productId,
	};
	if (line.sku) properties.hs_sku = line.sku;
	if (line.description) properties.description = line.description;
	if (line.discount?.amount !== null && line.discount?.amount !== undefined) properties.discount = decimalText(line.discount.amount);
	if (line.discount?.percentage !== null && line.discount?.percentage !== undefined) properties.hs_discount_percentage = decimalText(line.discount.percentage);
	const rate = taxRateId ?? line.taxRateId;
	if (rate) properties.hs_tax_rate_group_id = rate;
	return properties;
}

/** The invoice's line items, each linked to its product and associated with the invoice. */
export function lineItemInputs(item: SyncItem, hubspotInvoiceId: string): HubSpotWriteInput[] {
	const parts = item.hubspot?.lines ?? [];
	return item.invoice.lines.map((line, index) => ({
		// In line order: HubSpot gives ids in creation order, and the trigger orders lines by id.
		properties: lineProperties(line, parts[index].productId, parts[index].taxRateId),
		associations: [{ to: { id: hubspotInvoiceId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ASSOCIATION_TYPES.lineItemToInvoice }] }],
	}));
}

/** The status the HubSpot invoice should have for the QuickBooks invoice's status and balance. */
export function wantedStatus(invoice: CanonicalInvoice, setsPaidStatus: boolean): HubSpotInvoiceStatus {
	if (invoice.status === 'voided') return 'voided';
	// Otherwise HubSpot's Paid comes from payments (recorded from the QuickBooks Trigger's payment items).
	if (invoice.status === 'paid') return setsPaidStatus ? 'paid' : 'open';
	return invoice.status === 'draft' ? 'draft' : 'open';
}
