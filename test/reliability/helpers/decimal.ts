/**
 * Exact decimal arithmetic for the checks, written independently of package/nodes/shared/money.ts (the
 * suite checks the nodes' arithmetic, so it must not reuse it): values as BigInt with a scale.
 */

export interface Scaled {
	units: bigint;
	scale: number;
}

/** "12.5", "-3", 1.25, "1e3" → exact units; undefined for anything that is not a finite decimal. */
export function parseDecimal(value: unknown): Scaled | undefined {
	let text: string;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return undefined;
		text = String(value);
	} else if (typeof value === 'string') {
		text = value.trim();
	} else return undefined;
	const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
	if (!match || (match[2] === '' && (match[3] ?? '') === '')) return undefined;
	const [, sign, whole, fraction = '', exponentText] = match;
	let digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '') || '0';
	let scale = fraction.length - Number(exponentText ?? 0);
	if (scale < 0) {
		digits += '0'.repeat(-scale);
		scale = 0;
	}
	const units = BigInt(digits) * (sign === '-' ? -1n : 1n);
	return { units, scale };
}

/** Rounds units/10^shift half away from zero (QuickBooks' and HubSpot's "half-up"). */
function roundShift(units: bigint, shift: number): bigint {
	if (shift <= 0) return units * 10n ** BigInt(-shift);
	const divisor = 10n ** BigInt(shift);
	const negative = units < 0n;
	const absolute = negative ? -units : units;
	const rounded = (absolute * 2n + divisor) / (divisor * 2n);
	return negative ? -rounded : rounded;
}

/** value rounded half-up to cents. */
export function toCents(value: unknown): bigint | undefined {
	const parsed = parseDecimal(value);
	return parsed ? roundShift(parsed.units, parsed.scale - 2) : undefined;
}

/** quantity × unit price, rounded half-up to cents. */
export function productCents(quantity: unknown, unitPrice: unknown): bigint | undefined {
	const q = parseDecimal(quantity);
	const p = parseDecimal(unitPrice);
	if (!q || !p) return undefined;
	return roundShift(q.units * p.units, q.scale + p.scale - 2);
}

/** amount × percent / 100, rounded half-up to cents (amount in cents). */
export function percentOfCents(amountCents: bigint, percent: unknown): bigint | undefined {
	const p = parseDecimal(percent);
	if (!p) return undefined;
	// cents × p.units / 10^p.scale / 100
	return roundShift(amountCents * p.units, p.scale + 2);
}

export function sameNumber(left: unknown, right: unknown): boolean {
	const a = parseDecimal(left);
	const b = parseDecimal(right);
	if (!a || !b) return false;
	const scale = Math.max(a.scale, b.scale);
	return a.units * 10n ** BigInt(scale - a.scale) === b.units * 10n ** BigInt(scale - b.scale);
}
