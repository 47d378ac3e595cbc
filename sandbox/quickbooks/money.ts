/**
 * Exact decimal arithmetic for amounts, quantities and rates: values are parsed from their
 * shortest JSON text into BigInt units with a scale, so 0.1 + 0.2 never drifts and
 * Qty × UnitPrice is rounded half-up (away from zero) to cents exactly as QuickBooks does.
 */

/** value = units / 10^scale */
export interface Decimal {
	units: bigint;
	scale: number;
}

/** Parses a JSON number or numeric string; null when it isn't a finite plain number. */
export function parseDecimal(value: unknown): Decimal | null {
	if (typeof value !== 'number' && typeof value !== 'string') return null;
	if (typeof value === 'number' && !Number.isFinite(value)) return null;
	let text = String(value).trim();
	// Numbers like 1e-7 print in exponent form; expand them first.
	const exp = /^([+-]?)(\d+)(?:\.(\d*))?e([+-]?\d+)$/i.exec(text);
	if (exp) {
		const [, sign, intPart, frac = '', power] = exp;
		const digits = intPart + frac;
		const pointAt = intPart.length + Number(power);
		if (pointAt <= 0) text = `${sign}0.${'0'.repeat(-pointAt)}${digits}`;
		else if (pointAt >= digits.length) text = `${sign}${digits}${'0'.repeat(pointAt - digits.length)}`;
		else text = `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
	}
	const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
	if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
	const [, sign, intPart, frac = ''] = m;
	const units = BigInt((intPart || '0') + frac) * (sign === '-' ? -1n : 1n);
	return { units, scale: frac.length };
}

export function multiply(a: Decimal, b: Decimal): Decimal {
	return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** n / d rounded half away from zero (d > 0). */
export function divideRoundHalfUp(n: bigint, d: bigint): bigint {
	const negative = n < 0n;
	const abs = negative ? -n : n;
	const q = (abs * 2n + d) / (2n * d);
	return negative ? -q : q;
}

/** Rounds to whole cents, half away from zero. */
export function toCentsRounded(d: Decimal): bigint {
	if (d.scale <= 2) return d.units * 10n ** BigInt(2 - d.scale);
	return divideRoundHalfUp(d.units, 10n ** BigInt(d.scale - 2));
}

/** True when the decimal is exactly `cents` hundredths (no hidden extra digits). */
export function equalsCents(d: Decimal, cents: bigint): boolean {
	if (d.scale <= 2) return d.units * 10n ** BigInt(2 - d.scale) === cents;
	return d.units === cents * 10n ** BigInt(d.scale - 2);
}

/** `percent` % of an amount in cents, rounded half-up to cents. */
export function percentOfCents(cents: bigint, percent: Decimal): bigint {
	return divideRoundHalfUp(cents * percent.units, 100n * 10n ** BigInt(percent.scale));
}

/** Cents as the JSON number QuickBooks returns (e.g. 1234n → 12.34). */
export function centsToNumber(cents: bigint): number {
	const negative = cents < 0n;
	const abs = negative ? -cents : cents;
	const text = `${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
	return Number(negative ? `-${text}` : text);
}

/** Text of a decimal as supplied (for error messages). */
export function decimalToString(d: Decimal): string {
	const negative = d.units < 0n;
	const digits = (negative ? -d.units : d.units).toString().padStart(d.scale + 1, '0');
	const text = d.scale === 0 ? digits : `${digits.slice(0, -d.scale)}.${digits.slice(-d.scale)}`;
	return negative ? `-${text}` : text;
}
