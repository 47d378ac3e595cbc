import { isRejectedByQuickBooks, textCharacters } from '../../package/nodes/shared/text';

describe('isRejectedByQuickBooks', () => {
	const rejected = (char: string, allowLineBreaks = false) => isRejectedByQuickBooks(char, { allowLineBreaks });

	it('rejects C0 and C1 controls and DEL; tab and line breaks only where line breaks are not allowed', () => {
		for (const code of [0x00, 0x07, 0x0b, 0x0c, 0x1f, 0x7f, 0x80, 0x85, 0x9f]) expect([code, rejected(String.fromCharCode(code), true)]).toEqual([code, true]);
		for (const char of ['\t', '\n', '\r']) {
			expect(rejected(char, false)).toBe(true);
			expect(rejected(char, true)).toBe(false);
		}
	});

	it('rejects U+FFFD..U+FFFF and unpaired surrogates, accepts astral characters and ordinary text', () => {
		for (const char of ['\ufffd', '\ufffe', '\uffff', '\ud83d', '\ude80']) expect(rejected(char)).toBe(true);
		for (const char of ['🚀', 'a', ' ', 'é', '\u00a0', '株', '\ufffc']) expect(rejected(char)).toBe(false);
	});
});

describe('textCharacters', () => {
	it('keeps surrogate pairs together and unpaired surrogates apart', () => {
		expect(textCharacters('a🚀\ud83db\ude80')).toEqual(['a', '🚀', '\ud83d', 'b', '\ude80']);
		expect(textCharacters('x\ud83d')).toEqual(['x', '\ud83d']);
	});
});
