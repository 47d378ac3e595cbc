/** Exact money for the datasets: integer cents, quantities in thousandths, half-up rounding. */

export function formatCents(cents: number): string {
	const sign = cents < 0 ? '-' : '';
	const abs = Math.abs(cents);
	return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Rounds a non-negative rational numerator/denominator half-up to an integer. */
export function divHalfUp(numerator: number, denominator: number): number {
	return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

/** Quantity as a decimal string → thousandths (e.g. "2.5" → 2500). */
export function qtyMilli(qty: string): number {
	const [whole, frac = ''] = qty.split('.');
	return Number(whole) * 1000 + Number((frac + '000').slice(0, 3));
}

/**
 * A HubSpot line's amount: quantity × price − discounts, where `discount` is per unit and
 * `hs_discount_percentage` a percent of the price.
 */
export function lineAmountCents(o: { qty: string; priceCents: number; unitDiscountCents?: number; discountPercent?: number }): number {
	const netUnit = o.priceCents - (o.unitDiscountCents ?? 0);
	const milli = qtyMilli(o.qty);
	const pct = o.discountPercent ?? 0;
	// amount = qty × netUnit × (100 − pct) / 100, in cents
	return divHalfUp(milli * netUnit * (100 - pct), 1000 * 100);
}

/** Tax in cents on an amount at a percentage like 7.25 (half-up). */
export function taxCents(amountCents: number, percent: number): number {
	const basisPoints = Math.round(percent * 1000); // 7.25 % → 7250
	return divHalfUp(amountCents * basisPoints, 100_000);
}
