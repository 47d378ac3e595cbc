/**
 * HubSpot's calculated invoice money properties, from the invoice's line items and its associated
 * discounts, fees and taxes. HubSpot documents the order: discounts apply first, then fees, then
 * taxes (discounts, fees and taxes guides). The rest is this simulator's model of what public code
 * observed: `hs_subtotal` is the sum of the line amounts (after line discounts) and
 * `hs_discounts_total` counts line-level discounts too (a setting, as it is not documented);
 * percentages apply to the running total before them.
 */
import { divHalfUp, formatCents, lineAmountCents, qtyMilli } from '../dataset/money';
import type { HubSpotObject } from './types';

export interface InvoiceTotalsSettings {
	/** Whether `hs_discounts_total` includes line-level discounts besides invoice-level ones. */
	discountsTotalIncludesLineDiscounts: boolean;
}

export const DEFAULT_INVOICE_TOTALS_SETTINGS: InvoiceTotalsSettings = { discountsTotalIncludesLineDiscounts: true };

/** A decimal money text as whole cents (rounded half-up past the cent); 0 when empty or unreadable. */
export function cents(value: string | null | undefined): number {
	const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(String(value ?? '').trim());
	if (!match || (match[2] === '' && !match[3])) return 0;
	const fraction = (match[3] ?? '').padEnd(3, '0');
	const magnitude = Number(match[2] || '0') * 100 + Number(fraction.slice(0, 2)) + (Number(fraction[2]) >= 5 ? 1 : 0);
	return match[1] ? -magnitude : magnitude;
}

/**
 * A line item's `amount` (HubSpot's calculated net price) after a write that changed its quantity,
 * price or discounts without sending an amount; undefined when nothing it depends on changed.
 */
export function lineItemAmount(properties: Record<string, string | null>, changed: string[]): string | undefined {
	if (changed.includes('amount') || !changed.some((n) => ['quantity', 'price', 'discount', 'hs_discount_percentage'].includes(n))) return undefined;
	const qty = String(properties.quantity ?? '').trim();
	if (!/^\d+(\.\d+)?$/.test(qty)) return undefined;
	const discountPercent = Number(properties.hs_discount_percentage ?? 0) || 0;
	return formatCents(lineAmountCents({ qty, priceCents: cents(properties.price), unitDiscountCents: cents(properties.discount), discountPercent }));
}

/** `percent` % (e.g. "7.25") of a non-negative amount in cents, half-up. */
function percentOf(amountCents: number, percent: string | null | undefined): number {
	const basisPoints = Math.round(Number(percent ?? 0) * 1000);
	if (!Number.isFinite(basisPoints) || amountCents <= 0 || basisPoints <= 0) return 0;
	return divHalfUp(amountCents * basisPoints, 100_000);
}

function adjustmentCents(records: HubSpotObject[], baseCents: number): number {
	let total = 0;
	for (const record of records) {
		const type = String(record.properties.hs_type ?? '').toUpperCase();
		total += type === 'PERCENT' ? percentOf(baseCents, record.properties.hs_value) : cents(record.properties.hs_value);
	}
	return total;
}

export interface InvoiceParts {
	lineItems: HubSpotObject[];
	discounts: HubSpotObject[];
	fees: HubSpotObject[];
	taxes: HubSpotObject[];
}

/** The calculated properties, as HubSpot returns numbers (decimal text). */
export function invoiceTotals(parts: InvoiceParts, settings: InvoiceTotalsSettings): Record<string, string> {
	let subtotal = 0;
	let lineDiscounts = 0;
	let lineTaxes = 0;
	for (const line of parts.lineItems) {
		const p = line.properties;
		const amount = cents(p.amount);
		const gross = divHalfUp(Math.max(0, qtyMilli(String(p.quantity ?? '0'))) * Math.max(0, cents(p.price)), 1000);
		subtotal += amount;
		lineDiscounts += Math.max(0, gross - amount);
		lineTaxes += cents(p.hs_tax_amount);
	}
	const discounts = adjustmentCents(parts.discounts, subtotal);
	const fees = adjustmentCents(parts.fees, subtotal - discounts);
	const taxes = lineTaxes + adjustmentCents(parts.taxes, subtotal - discounts + fees);
	return {
		hs_subtotal: formatCents(subtotal),
		hs_discounts_total: formatCents(discounts + (settings.discountsTotalIncludesLineDiscounts ? lineDiscounts : 0)),
		hs_fees_total: formatCents(fees),
		hs_taxes_total: formatCents(taxes),
		hs_amount_billed: formatCents(subtotal - discounts + fees + taxes),
	};
}
