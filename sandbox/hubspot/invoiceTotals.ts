/**
 * HubSpot's calculated invoice money properties, from the invoice's line items and its associated
 * discounts, fees and taxes. HubSpot documents the order: discounts apply first, then fees, then
 * taxes (discounts, fees and taxes guides). The rest is this simulator's model of what public code
 * observed: `hs_subtotal` is the sum of the line amounts (after line discounts) and
 * `hs_discounts_total` counts line-level discounts too (a setting, as it is not documented);
 * percentages apply to the running total before them.
 *
 * A line item with a tax rate (`hs_tax_rate_group_id`, line items guide) is taxed at that rate's
 * `percentageRate` on its `amount` (after its discounts: discounts apply before taxes). HubSpot does
 * not document where the tax is rounded; per line to the cent is this simulator's default
 * (`lineTaxRounding`).
 */
import { divHalfUp, formatCents, lineAmountCents, qtyMilli } from '../dataset/money';
import type { HubSpotObject, HubSpotTaxRate } from './types';

export interface InvoiceTotalsSettings {
	/** Whether `hs_discounts_total` includes line-level discounts besides invoice-level ones. */
	discountsTotalIncludesLineDiscounts: boolean;
	/**
	 * Where line taxes from tax rates are rounded to the cent (undocumented): `eachLine` rounds each
	 * line's tax half-up and adds them; `invoiceTotal` adds the exact taxes and rounds once.
	 */
	lineTaxRounding: 'eachLine' | 'invoiceTotal';
}

export const DEFAULT_INVOICE_TOTALS_SETTINGS: InvoiceTotalsSettings = { discountsTotalIncludesLineDiscounts: true, lineTaxRounding: 'eachLine' };

const PERCENT_SCALE = 100_000; // percentages kept to 3 decimals: 7.25 % → 7250 / 100_000

/** The line's tax rate, when it names one the account has. */
function lineTaxRate(properties: Record<string, string | null>, taxRates: HubSpotTaxRate[]): HubSpotTaxRate | undefined {
	const id = String(properties.hs_tax_rate_group_id ?? '').trim();
	return id ? taxRates.find((r) => r.id === id) : undefined;
}

/** The line's exact tax in cents × PERCENT_SCALE (0 without a rate or a positive amount). */
function scaledLineTax(amountCents: number, rate: HubSpotTaxRate): number {
	const basisPoints = Math.round(rate.percentageRate * 1000);
	return amountCents > 0 && basisPoints > 0 ? amountCents * basisPoints : 0;
}

/**
 * The tax properties HubSpot calculates on a line item from its tax rate (`hs_tax_amount` rounded
 * per line, `hs_tax_rate`, `hs_tax_label`); empty values when the line has no known rate; undefined
 * when nothing the tax depends on changed.
 */
export function lineItemTax(properties: Record<string, string | null>, changed: string[], taxRates: HubSpotTaxRate[]): Record<string, string> | undefined {
	if (!changed.some((n) => ['hs_tax_rate_group_id', 'amount', 'quantity', 'price', 'discount', 'hs_discount_percentage'].includes(n))) return undefined;
	const rate = lineTaxRate(properties, taxRates);
	if (!rate) {
		// A line without a rate keeps a tax amount it was given, unless its rate was just removed.
		const hadRate = changed.includes('hs_tax_rate_group_id') || String(properties.hs_tax_rate_group_id ?? '').trim() !== '';
		return hadRate ? { hs_tax_amount: '', hs_tax_rate: '', hs_tax_label: '' } : undefined;
	}
	const tax = divHalfUp(scaledLineTax(cents(properties.amount), rate), PERCENT_SCALE);
	return { hs_tax_amount: formatCents(tax), hs_tax_rate: String(rate.percentageRate), hs_tax_label: rate.label };
}

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
	/** The account's tax rates, for lines with `hs_tax_rate_group_id`. */
	taxRates: HubSpotTaxRate[];
}

/** The lines' taxes in cents: from their tax rates (rounded as the setting says), else as stored. */
function lineTaxesCents(parts: InvoiceParts, settings: InvoiceTotalsSettings): number {
	let stored = 0;
	let scaled = 0;
	let rounded = 0;
	for (const line of parts.lineItems) {
		const rate = lineTaxRate(line.properties, parts.taxRates);
		if (!rate) {
			stored += cents(line.properties.hs_tax_amount);
			continue;
		}
		const exact = scaledLineTax(cents(line.properties.amount), rate);
		scaled += exact;
		rounded += divHalfUp(exact, PERCENT_SCALE);
	}
	return stored + (settings.lineTaxRounding === 'eachLine' ? rounded : divHalfUp(scaled, PERCENT_SCALE));
}

/** The calculated properties, as HubSpot returns numbers (decimal text). */
export function invoiceTotals(parts: InvoiceParts, settings: InvoiceTotalsSettings): Record<string, string> {
	let subtotal = 0;
	let lineDiscounts = 0;
	for (const line of parts.lineItems) {
		const p = line.properties;
		const amount = cents(p.amount);
		const gross = divHalfUp(Math.max(0, qtyMilli(String(p.quantity ?? '0'))) * Math.max(0, cents(p.price)), 1000);
		subtotal += amount;
		lineDiscounts += Math.max(0, gross - amount);
	}
	const discounts = adjustmentCents(parts.discounts, subtotal);
	const fees = adjustmentCents(parts.fees, subtotal - discounts);
	const taxes = lineTaxesCents(parts, settings) + adjustmentCents(parts.taxes, subtotal - discounts + fees);
	return {
		hs_subtotal: formatCents(subtotal),
		hs_discounts_total: formatCents(discounts + (settings.discountsTotalIncludesLineDiscounts ? lineDiscounts : 0)),
		hs_fees_total: formatCents(fees),
		hs_taxes_total: formatCents(taxes),
		hs_amount_billed: formatCents(subtotal - discounts + fees + taxes),
	};
}
