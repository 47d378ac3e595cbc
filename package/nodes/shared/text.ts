/**
 * Text helpers: a value read as text, and the characters QuickBooks rejects, for every node that
 * writes text to QuickBooks (the upsert's numbers and descriptions, Customer Resolve's names).
 * Plain functions: no n8n.
 */

/** Any value as text: a string as it is, null and undefined as '', anything else through String. */
export function textOf(value: unknown): string {
	return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** A value as text, or null when it is missing or only spaces (the text itself is kept untrimmed). */
export function nonBlankText(value: unknown): string | null {
	const text = textOf(value);
	return text.trim() === '' ? null : text;
}

/** A parameter the user typed or chose: a string trimmed, a number as its digits, anything else ''. */
export function parameterText(value: unknown): string {
	return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

/**
 * Characters QuickBooks never stores: C0/C1 control characters (tab and line breaks are fine in a
 * description, not in a number or name), U+FFFD (a decoding accident upstream), the
 * noncharacters U+FFFE/U+FFFF and unpaired surrogates. QuickBooks answers those with a fault or
 * mangles them. `char` is one entry of `textCharacters`.
 */
export function isRejectedByQuickBooks(char: string, options: { allowLineBreaks: boolean }): boolean {
	if (char.length === 2) return false; // a surrogate pair: a real (astral) character
	const code = char.charCodeAt(0);
	if (code === 0x09 || code === 0x0a || code === 0x0d) return !options.allowLineBreaks;
	return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff) || code >= 0xfffd;
}

/** The characters of a text, keeping surrogate pairs together and unpaired surrogates apart. */
export function textCharacters(text: string): string[] {
	const result: string[] = [];
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
			const next = text.charCodeAt(index + 1);
			if (next >= 0xdc00 && next <= 0xdfff) {
				result.push(text.slice(index, index + 2));
				index++;
				continue;
			}
		}
		result.push(text[index]);
	}
	return result;
}

/**
 * Shortens to at most `max` UTF-16 units without splitting a character (emoji, astral scripts),
 * then drops a trailing space the cut may leave.
 */
export function truncate(text: string, max: number): string {
	if (text.length <= max) return text;
	let result = '';
	for (const character of text) {
		if (result.length + character.length > max) break;
		result += character;
	}
	return result.trimEnd();
}
