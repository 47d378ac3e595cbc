/**
 * Exact money arithmetic. Values are parsed from their decimal text into integers of millionths
 * ("micros"), multiplied as BigInt and rounded half-up (away from zero) to cents, the way QuickBooks
 * checks Amount = Qty × UnitPrice. No float ever carries a money value between steps.
 */

const MICRO_DIGITS = 6;
const MICROS_PER_UNIT = BigInt(10 ** MICRO_DIGITS);
const MICROS_PER_CENT = BigInt(10 ** (MICRO_DIGITS - 2));
const DECIMAL_PATTERN = /^([+-])?(\d+)?(?:\.(\d*))?$/;
/**
 * Amounts from 10^21 up are refused: no invoice holds them, a JSON number that large has lost its
 * cents, and `toFixed` would write it in exponent notation.
 */
const TOO_LARGE = 1e21;
const TOO_LARGE_WHOLE = 10n ** 21n;

export class InvalidAmountError extends Error {}

/**
 * Runs a computation on amounts and gives back its result, or the message of the error it threw
 * (an amount that is not a number, or too large), for the caller to report as bad input.
 */
export function computeAmounts<T>(compute: () => T): { value: T } | { problem: string } {
	try {
		return { value: compute() };
	} catch (error) {
		return { problem: (error as Error).message };
	}
}

/** Plain decimals small and short enough that a double holds their micros exactly. */
const SHORT_DECIMAL = /^[+-]?\d{1,8}(?:\.\d{0,6})?$/;
const SHORT_DECIMAL_LIMIT = 1e8;

/**
 * The common case without building strings: a decimal text or a number with at most 6 decimals
 * below 10^8. Their micros are below 2^53 and the double nearest to the decimal, times 10^6, rounds
 * to exactly those micros; a number qualifies only when its micros divided back give the same
 * number. Anything else returns undefined and goes through the digit-by-digit parse.
 */
function shortDecimalMicros(value: string | number): bigint | undefined {
	let number: number;
	if (typeof value === 'number') {
		number = value;
		if (!(Math.abs(number) < SHORT_DECIMAL_LIMIT)) return undefined;
	} else {
		if (!SHORT_DECIMAL.test(value)) return undefined;
		number = Number(value);
	}
	const micros = Math.round(number * 1e6);
	if (micros / 1e6 !== number) return undefined;
	return BigInt(micros);
}

/** Parses "12.5", "-3", 1.25, "1e3" into micros. Digits beyond the sixth decimal are rounded half-up. */
export function toMicros(value: string | number): bigint {
	const short = shortDecimalMicros(value);
	if (short !== undefined) return short;
	let text = typeof value === 'number' ? numberToPlainString(value) : String(value).trim();
	if (/e/i.test(text)) text = numberToPlainString(Number(text));
	const match = DECIMAL_PATTERN.exec(text);
	if (!match || (match[2] === undefined && (match[3] === undefined || match[3] === ''))) {
		throw new InvalidAmountError(`"${String(value)}" is not a number`);
	}
	const sign = match[1] === '-' ? -1n : 1n;
	const whole = BigInt(match[2] ?? '0');
	if (whole >= TOO_LARGE_WHOLE) throw new InvalidAmountError(`"${String(value)}" is too large`);
	const fraction = (match[3] ?? '').padEnd(MICRO_DIGITS + 1, '0');
	let micros = whole * MICROS_PER_UNIT + BigInt(fraction.slice(0, MICRO_DIGITS));
	if (Number(fraction[MICRO_DIGITS]) >= 5) micros += 1n;
	return sign * micros;
}

function numberToPlainString(value: number): string {
	if (!Number.isFinite(value)) throw new InvalidAmountError(`${value} is not a finite number`);
	if (Math.abs(value) >= TOO_LARGE) throw new InvalidAmountError(`${value} is too large`);
	// toFixed avoids exponent notation; 10 decimals keeps every digit a price can meaningfully have.
	return value.toFixed(10);
}

/** Rounds a micros value half-up (away from zero) to whole cents. */
export function microsToCents(micros: bigint): bigint {
	const negative = micros < 0n;
	const absolute = negative ? -micros : micros;
	const cents = (absolute + MICROS_PER_CENT / 2n) / MICROS_PER_CENT;
	return negative ? -cents : cents;
}

export function toCents(value: string | number): bigint {
	return microsToCents(toMicros(value));
}

/** Cents as a JSON number with at most two decimals (exact in its shortest decimal form). */
export function centsToNumber(cents: bigint): number {
	return Number(cents) / 100;
}

/** Micros as a JSON number (for unit prices with more than two decimals). */
export function microsToNumber(micros: bigint): number {
	return Number(formatMicros(micros));
}

export function formatMicros(micros: bigint): string {
	const negative = micros < 0n;
	const absolute = negative ? -micros : micros;
	const whole = absolute / MICROS_PER_UNIT;
	const fraction = (absolute % MICROS_PER_UNIT).toString().padStart(MICRO_DIGITS, '0').replace(/0+$/, '');
	return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

export function formatCents(cents: bigint): string {
	const negative = cents < 0n;
	const absolute = negative ? -cents : cents;
	return `${negative ? '-' : ''}${absolute / 100n}.${(absolute % 100n).toString().padStart(2, '0')}`;
}

/** Quantity × unit price, rounded half-up to cents: the Amount QuickBooks requires on a line. */
export function lineAmountCents(quantity: string | number, unitPrice: string | number): bigint {
	const product = toMicros(quantity) * toMicros(unitPrice); // scale 10^12
	const negative = product < 0n;
	const absolute = negative ? -product : product;
	const perCent = MICROS_PER_UNIT * MICROS_PER_CENT;
	const cents = (absolute + perCent / 2n) / perCent;
	return negative ? -cents : cents;
}

/**
 * The unit price after HubSpot's line discounts: percentage first, then the per-unit amount.
 * Kept in micros so Qty × UnitPrice reproduces HubSpot's line amount as closely as cents allow.
 */
export function discountedUnitPriceMicros(
	price: string | number,
	discountAmount?: string | number | null,
	discountPercentage?: string | number | null,
): bigint {
	let unit = toMicros(price);
	if (discountPercentage !== undefined && discountPercentage !== null && discountPercentage !== '') {
		const percentMicros = toMicros(discountPercentage);
		const reduction = unit * percentMicros; // scale 10^12, percent → divide by 100
		const divisor = MICROS_PER_UNIT * 100n;
		unit -= (reduction + divisor / 2n) / divisor;
	}
	if (discountAmount !== undefined && discountAmount !== null && discountAmount !== '') {
		unit -= toMicros(discountAmount);
	}
	return unit;
}

export function sumCents(values: bigint[]): bigint {
	return values.reduce((total, value) => total + value, 0n);
}
