/**
 * Invoice-level discounts and fees, and the check that the QuickBooks invoice adds up to HubSpot's
 * before tax. HubSpot applies discounts first, then fees, then taxes (HubSpot's discounts and fees
 * guides): several discounts are taken one after the other, in the order HubSpot lists them, and a
 * percentage fee is taken of the discounted subtotal. Write-free checks, run with the others by
 * `checkInvoice` (invoiceChecks.ts) in every node that writes; the upsert builds its discount and
 * fee lines from the same results. Plain functions, exact money.
 */
import { SyncError } from './errors';
import type { CanonicalInvoice, InvoiceAdjustment } from './invoiceContract';
import { computeAmounts, formatCents, microsToCents, toCents, toMicros } from './money';

/** A discount or fee with its amount decided: a fixed amount, or a percentage of its base. */
export interface Adjustment {
	kind: InvoiceAdjustment['kind'];
	name: string;
	/** Set for a fixed amount. */
	fixedCents?: bigint;
	/** Set for a percentage, e.g. 12.5 → 12_500_000n micros. */
	percentMicros?: bigint;
	/** The percentage as HubSpot gave it (for QuickBooks' DiscountPercent). */
	percentage?: number;
	/** What it comes to on this invoice. */
	cents: bigint;
}

const HUNDRED_PERCENT_MICROS = 100_000_000n;

/** `percentMicros` percent of `baseCents`, rounded half-up (away from zero) to cents. */
export function percentOfCents(baseCents: bigint, percentMicros: bigint): bigint {
	// cents × percent-micros / 10^8 is cents; / 10^4 instead gives micros of a unit, exact to the
	// half cent, so the one rounding is microsToCents' half-up.
	return microsToCents((baseCents * percentMicros) / 10_000n);
}

function present(value: unknown): value is number | string {
	return value !== undefined && value !== null && value !== '';
}

/**
 * The invoice's discounts and fees, checked and without the ones that come to nothing. A negative
 * amount, a percentage outside 0–100 or neither set is INVALID_INPUT naming the adjustment.
 */
export function checkedAdjustments(adjustments: InvoiceAdjustment[]): Array<Omit<Adjustment, 'cents'>> {
	const checked: Array<Omit<Adjustment, 'cents'>> = [];
	adjustments.forEach((adjustment, index) => {
		const field = `invoice.adjustments.${index}`;
		const invalid = (detail: string) => new SyncError('INVALID_INPUT', { detail: `${field} (${adjustment.kind} "${adjustment.name}"): ${detail}` }, { field });
		const name = adjustment.name.trim();
		const amounts = computeAmounts(() => ({
			fixedCents: present(adjustment.amount) ? toCents(adjustment.amount) : undefined,
			percentMicros: !present(adjustment.amount) && present(adjustment.percentage) ? toMicros(adjustment.percentage) : undefined,
		}));
		if ('problem' in amounts) throw invalid(amounts.problem);
		const { fixedCents, percentMicros } = amounts.value;
		let parsed: Omit<Adjustment, 'cents'>;
		if (fixedCents !== undefined) {
			if (fixedCents < 0n) throw invalid('amount must not be negative (a discount is subtracted, a fee added)');
			parsed = { kind: adjustment.kind, name, fixedCents };
		} else if (percentMicros !== undefined) {
			if (percentMicros < 0n || percentMicros > HUNDRED_PERCENT_MICROS) throw invalid('percentage must be between 0 and 100');
			parsed = { kind: adjustment.kind, name, percentMicros, percentage: Number(adjustment.percentage) };
		} else {
			throw invalid('has neither an amount nor a percentage');
		}
		if (parsed.fixedCents !== 0n && parsed.percentMicros !== 0n) checked.push(parsed);
	});
	return checked;
}

export interface AdjustedTotals {
	subtotalCents: bigint;
	discounts: Adjustment[];
	fees: Adjustment[];
	discountCents: bigint;
	feeCents: bigint;
	/** Subtotal − discounts + fees. */
	preTaxCents: bigint;
}

/** What the discounts and fees come to on a subtotal, in HubSpot's order of application. */
export function applyAdjustments(subtotalCents: bigint, adjustments: Array<Omit<Adjustment, 'cents'>>): AdjustedTotals {
	let base = subtotalCents;
	const discounts: Adjustment[] = [];
	for (const adjustment of adjustments) {
		if (adjustment.kind !== 'discount') continue;
		const cents = adjustment.fixedCents ?? percentOfCents(base, adjustment.percentMicros!);
		discounts.push({ ...adjustment, cents });
		base -= cents;
	}
	const fees: Adjustment[] = [];
	for (const adjustment of adjustments) {
		if (adjustment.kind !== 'fee') continue;
		fees.push({ ...adjustment, cents: adjustment.fixedCents ?? percentOfCents(base, adjustment.percentMicros!) });
	}
	const discountCents = discounts.reduce((total, entry) => total + entry.cents, 0n);
	const feeCents = fees.reduce((total, entry) => total + entry.cents, 0n);
	return { subtotalCents, discounts, fees, discountCents, feeCents, preTaxCents: subtotalCents - discountCents + feeCents };
}

function centsOf(value: unknown): bigint | undefined {
	if (!present(value)) return undefined;
	try {
		return toCents(value);
	} catch {
		return undefined;
	}
}

export interface TotalsFigures {
	subtotalCents: bigint;
	discountCents: bigint;
	feeCents: bigint;
	preTaxCents: bigint;
	/** HubSpot's amount billed and tax total, when the pre-tax figure comes from them. */
	billedCents?: bigint;
	taxCents?: bigint;
}

/**
 * HubSpot's own figure before tax. Where it gives its amount billed and its tax total, their
 * difference: that needs no reading of what `hs_discounts_total` counts (it has been observed to
 * include line-level discounts that `hs_subtotal` already took off). Otherwise its subtotal −
 * discount total + fee total, each where given, else what its line amounts, discounts and fees come to.
 */
export function hubSpotTotals(totals: CanonicalInvoice['totals'], lineCents: bigint, adjustments: Array<Omit<Adjustment, 'cents'>>): TotalsFigures {
	const subtotalCents = centsOf(totals?.subtotal) ?? lineCents;
	const computed = applyAdjustments(subtotalCents, adjustments);
	const given = centsOf(totals?.discountTotal);
	// A discount is never a surcharge, whichever sign HubSpot stores it with.
	const discountCents = given === undefined ? computed.discountCents : given < 0n ? -given : given;
	const feeCents = centsOf(totals?.feeTotal) ?? computed.feeCents;
	const billedCents = centsOf(totals?.total);
	const taxCents = centsOf(totals?.taxTotal);
	if (billedCents !== undefined && taxCents !== undefined) {
		return { subtotalCents, discountCents, feeCents, preTaxCents: billedCents - taxCents, billedCents, taxCents };
	}
	return { subtotalCents, discountCents, feeCents, preTaxCents: subtotalCents - discountCents + feeCents };
}

/** Throws TOTAL_MISMATCH, naming both figures and their parts, unless the totals agree to the cent. */
function assertTotalsAgree(invoiceLabel: string, quickbooks: TotalsFigures, hubspot: TotalsFigures): void {
	if (quickbooks.preTaxCents === hubspot.preTaxCents) return;
	const figures = (side: TotalsFigures) => ({
		subtotal: formatCents(side.subtotalCents),
		discounts: formatCents(side.discountCents),
		fees: formatCents(side.feeCents),
		...(side.billedCents !== undefined ? { billed: formatCents(side.billedCents), taxes: formatCents(side.taxCents!) } : {}),
		total: formatCents(side.preTaxCents),
	});
	throw new SyncError(
		'TOTAL_MISMATCH',
		{ invoice: invoiceLabel, quickbooksTotal: formatCents(quickbooks.preTaxCents), hubspotTotal: formatCents(hubspot.preTaxCents) },
		{ quickbooks: figures(quickbooks), hubspot: figures(hubspot) },
	);
}

/**
 * The invoice's discounts and fees as QuickBooks will hold them, after the checks: the adjustments
 * are well-formed (INVALID_INPUT), the company takes discounts when there are any
 * (DISCOUNTS_DISABLED), and the QuickBooks total before tax, from `quickbooksLineCents` (each
 * line's Amount as sent), equals HubSpot's to the cent (TOTAL_MISMATCH).
 */
export function invoiceTotals(
	invoice: Pick<CanonicalInvoice, 'lines' | 'totals' | 'adjustments'>,
	quickbooksLineCents: bigint[],
	company: { allowDiscount: boolean },
	label: string,
): AdjustedTotals {
	const adjustments = checkedAdjustments(invoice.adjustments ?? []);
	const discounts = adjustments.filter((adjustment) => adjustment.kind === 'discount');
	if (discounts.length && !company.allowDiscount) {
		throw new SyncError('DISCOUNTS_DISABLED', { invoice: label, discounts: describeAdjustments(discounts) }, { discounts: discounts.map((entry) => entry.name) });
	}
	const subtotalCents = quickbooksLineCents.reduce((total, cents) => total + cents, 0n);
	const quickbooks = applyAdjustments(subtotalCents, adjustments);
	// HubSpot's own line amounts where it gives them (the amount policy may have fitted ours to them).
	const hubspotLineCents = invoice.lines.reduce((total, line, index) => total + (centsOf(line.amount) ?? quickbooksLineCents[index] ?? 0n), 0n);
	assertTotalsAgree(label, quickbooks, hubSpotTotals(invoice.totals, hubspotLineCents, adjustments));
	return quickbooks;
}

/**
 * FEE_ITEM_MISSING when the invoice has fees and no item is chosen to book them on (`feeItemId`
 * ''); an unknown Fee Item (undefined) passes: the node that knows it checks again.
 */
export function requireFeeItem(fees: Adjustment[], feeItemId: string | undefined, label: string): void {
	if (fees.length && feeItemId === '') {
		throw new SyncError('FEE_ITEM_MISSING', { invoice: label, fees: describeAdjustments(fees) }, { fees: fees.map((fee) => fee.name) });
	}
}

/** "Handling 5.00, Card fee 3 %" for messages. */
export function describeAdjustments(adjustments: Array<Omit<Adjustment, 'cents'>>): string {
	return adjustments
		.map((adjustment) => {
			const value = adjustment.fixedCents !== undefined ? formatCents(adjustment.fixedCents) : `${adjustment.percentage} %`;
			return adjustment.name ? `${adjustment.name} ${value}` : value;
		})
		.join(', ');
}
