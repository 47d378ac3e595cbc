import {
	centsToNumber,
	discountedUnitPriceMicros,
	formatCents,
	formatMicros,
	InvalidAmountError,
	lineAmountCents,
	toCents,
	toMicros,
} from '../../package/nodes/shared/money';

describe('money', () => {
	it('parses decimal text and numbers exactly into micros', () => {
		expect(toMicros('12.5')).toBe(12_500_000n);
		expect(toMicros(0.1)).toBe(100_000n);
		expect(toMicros('-3')).toBe(-3_000_000n);
		expect(toMicros('.25')).toBe(250_000n);
		expect(toMicros('1e3')).toBe(1_000_000_000n);
	});

	it('gives the same micros for short decimals as the exact digit-by-digit parse of their text', () => {
		// Padding the text to 7+ decimals forces the digit-by-digit parse; the short text and the
		// number take the fast path. Deterministic pseudo-random values across magnitudes and signs.
		let seed = 12345;
		const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
		for (let index = 0; index < 20000; index++) {
			const digits = next() % 7;
			const whole = next() % 10 ** (1 + (next() % 8));
			const fraction = digits ? `.${String(next() % 10 ** digits).padStart(digits, '0')}` : '';
			const text = `${next() % 2 ? '-' : ''}${whole}${fraction}`;
			const exact = toMicros(`${text}${fraction ? '' : '.'}0000000`);
			expect([text, toMicros(text)]).toEqual([text, exact]);
			expect([text, toMicros(Number(text))]).toEqual([text, exact]);
		}
		expect(toMicros(99_999_999.999999)).toBe(99_999_999_999_999n);
		expect(toMicros(0.1234567)).toBe(123_457n);
		expect(toMicros('0.1234565')).toBe(123_457n);
		expect(toMicros(-0)).toBe(0n);
	});

	it('rejects text that is not a number', () => {
		for (const bad of ['', 'abc', '1.2.3', '--1', 'NaN']) expect(() => toMicros(bad)).toThrow(InvalidAmountError);
		expect(() => toMicros(Infinity)).toThrow(InvalidAmountError);
	});

	it('rejects magnitudes from 10^21 up as too large (toFixed would write "1e+21")', () => {
		for (const huge of [1e21, -1e21, 1e300, '1e21', '-2.5e25', '1000000000000000000000', '1000000000000000000000.5']) {
			expect(() => toMicros(huge)).toThrow(InvalidAmountError);
			expect(() => toMicros(huge)).toThrow(/is too large/);
		}
		expect(toMicros(1e20)).toBe(10n ** 26n);
		expect(toMicros('999999999999999999999.99')).toBe(999_999_999_999_999_999_999_990_000n);
	});

	it('rounds qty × unit price half-up to cents, as QuickBooks checks Amount', () => {
		expect(lineAmountCents(3, '0.335')).toBe(101n); // 1.005 → 1.01 (float would give 1.00)
		expect(lineAmountCents('1.5', '9.99')).toBe(1499n); // 14.985 → 14.99
		expect(lineAmountCents(2, '0.125')).toBe(25n);
		expect(lineAmountCents(-2, '0.125')).toBe(-25n); // half away from zero
		expect(lineAmountCents(0, '99.99')).toBe(0n);
	});

	it('never drifts like floats do', () => {
		expect(0.1 + 0.2).not.toBe(0.3);
		expect(toCents('0.1') + toCents('0.2')).toBe(toCents('0.3'));
		expect(centsToNumber(lineAmountCents(3, '0.1'))).toBe(0.3);
	});

	it('applies percentage then per-unit discounts to the unit price', () => {
		expect(formatMicros(discountedUnitPriceMicros('100', null, '15'))).toBe('85');
		expect(formatMicros(discountedUnitPriceMicros('100', '5', '10'))).toBe('85');
		expect(formatMicros(discountedUnitPriceMicros('9.99', null, '15'))).toBe('8.4915');
		expect(formatMicros(discountedUnitPriceMicros('20', '', undefined))).toBe('20');
	});

	it('formats cents for messages', () => {
		expect(formatCents(1499n)).toBe('14.99');
		expect(formatCents(-5n)).toBe('-0.05');
	});
});
