/** Builds HubSpot records (wire shape, all-string properties) for the datasets. */
import { TIMESTAMP_PROPERTIES } from '../hubspot/schema';
import type { AssociationRecord, HubSpotObject, HubSpotTaxRate, ObjectType } from '../hubspot/types';
import { formatCents, lineAmountCents, taxCents } from './money';

export function hubspotObject(
	type: ObjectType,
	id: string,
	properties: Record<string, string | undefined>,
	createdAt: string,
	updatedAt: string = createdAt,
): HubSpotObject {
	const ts = TIMESTAMP_PROPERTIES[type];
	const props: Record<string, string | null> = {};
	for (const [k, v] of Object.entries(properties)) if (v !== undefined) props[k] = v;
	props[ts.created] = createdAt;
	props[ts.modified] = updatedAt;
	props.hs_object_id = id;
	return { id, properties: props, createdAt, updatedAt, archived: false };
}

export const DEMO_TAX_RATES: HubSpotTaxRate[] = [
	{ id: '1001', name: 'CA Sales Tax', label: 'CA Sales Tax (7.25%)', percentageRate: 7.25, active: true },
	{ id: '1002', name: 'Exempt', label: 'Exempt (0%)', percentageRate: 0, active: true },
	{ id: '1003', name: 'NY Sales Tax', label: 'NY Sales Tax (8.875%)', percentageRate: 8.875, active: true },
];

export interface LineSpec {
	sku?: string;
	name: string;
	qty: string;
	priceCents: number;
	unitDiscountCents?: number;
	discountPercent?: number;
	taxRateId?: string;
	productId?: string;
	description?: string;
}

/** A line item with its exact `amount` and tax fields; returns the record and its cents. */
export function lineItem(
	id: string,
	spec: LineSpec,
	currency: string,
	at: string,
	taxRates: HubSpotTaxRate[],
): { object: HubSpotObject; amountCents: number; taxCents: number } {
	const amountCents = lineAmountCents(spec);
	const rate = taxRates.find((r) => r.id === spec.taxRateId);
	const tax = rate ? taxCents(amountCents, rate.percentageRate) : 0;
	const object = hubspotObject(
		'line_items',
		id,
		{
			name: spec.name,
			description: spec.description ?? spec.name,
			hs_sku: spec.sku,
			quantity: spec.qty,
			price: formatCents(spec.priceCents),
			amount: formatCents(amountCents),
			discount: spec.unitDiscountCents !== undefined ? formatCents(spec.unitDiscountCents) : undefined,
			hs_discount_percentage: spec.discountPercent !== undefined ? String(spec.discountPercent) : undefined,
			hs_tax_rate_group_id: spec.taxRateId,
			hs_tax_label: rate?.label,
			hs_tax_rate: rate ? String(rate.percentageRate) : undefined,
			hs_tax_amount: rate ? formatCents(tax) : undefined,
			hs_product_id: spec.productId,
			hs_line_item_currency_code: currency,
		},
		at,
	);
	return { object, amountCents, taxCents: tax };
}

export interface InvoiceSpec {
	id: string;
	number: string;
	status: 'draft' | 'open' | 'paid' | 'voided';
	source?: string;
	currency?: string;
	invoiceDate: string; // YYYY-MM-DD
	/** A time of day for hs_invoice_date instead of midnight UTC (e.g. "07:30:00.000Z"). */
	invoiceTime?: string;
	dueDate: string; // YYYY-MM-DD
	title?: string;
	createdAt: string;
	updatedAt: string;
}

export function invoice(spec: InvoiceSpec, amountBilledCents: number): HubSpotObject {
	return hubspotObject(
		'invoices',
		spec.id,
		{
			hs_number: spec.number,
			hs_title: spec.title ?? `Invoice ${spec.number}`,
			hs_invoice_status: spec.status,
			hs_currency: spec.currency ?? 'USD',
			hs_invoice_date: `${spec.invoiceDate}T${spec.invoiceTime ?? '00:00:00.000Z'}`,
			hs_due_date: `${spec.dueDate}T00:00:00.000Z`,
			hs_invoice_source: spec.source ?? 'hubspot',
			hs_amount_billed: formatCents(amountBilledCents),
			hs_balance_due: formatCents(spec.status === 'paid' || spec.status === 'voided' ? 0 : amountBilledCents),
		},
		spec.createdAt,
		spec.updatedAt,
	);
}

export function link(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): AssociationRecord {
	return { fromType, fromId, toType, toId };
}

/** ISO date (YYYY-MM-DD) `days` after `isoDate`. */
export function addDays(isoDate: string, days: number): string {
	return new Date(Date.parse(`${isoDate.slice(0, 10)}T00:00:00.000Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** ISO timestamp `minutes` after `iso`. */
export function addMinutes(iso: string, minutes: number): string {
	return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}
