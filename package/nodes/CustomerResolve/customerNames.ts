/**
 * Customer names QuickBooks accepts: no colon in any name field (it separates sub-customers),
 * optionally none of `&`, `#`, `/` (which some QuickBooks screens reject), single spaces, and
 * the length limits (DisplayName 500; Given/Family 100; CompanyName 100).
 */
import { isRejectedByQuickBooks, textCharacters, truncate } from '../shared/text';

export { truncate };

export const DISPLAY_NAME_MAX = 500;
export const PERSON_NAME_MAX = 100;
export const COMPANY_NAME_MAX = 100;

export interface NameCleaning {
	/** Also remove `&`, `#` and `/`, which some QuickBooks screens and integrations reject. */
	sanitize: boolean;
}


/**
 * One line of text QuickBooks accepts: the characters it rejects (control characters such as tabs
 * and newlines, U+FFFD, unpaired surrogates) count as spaces; runs of spaces become one.
 */
export function singleLine(value: string): string {
	return textCharacters(value)
		.map((char) => (isRejectedByQuickBooks(char, { allowLineBreaks: false }) ? ' ' : char))
		.join('')
		.replace(/\s+/g, ' ')
		.trim();
}

/** Removes the characters QuickBooks rejects in names and normalises spaces; '' when nothing is left. */
export function cleanName(value: string | null | undefined, options: NameCleaning, max = DISPLAY_NAME_MAX): string {
	if (!value) return '';
	let text = value.replace(/:/g, '');
	if (options.sanitize) text = text.replace(/[&#/]/g, '');
	return truncate(singleLine(text), max);
}

export interface NameSource {
	email: string;
	firstName?: string | null;
	lastName?: string | null;
	companyName?: string | null;
}

/** Display name: the company name, else "First Last", else the email — the first that survives cleaning. */
export function buildDisplayName(source: NameSource, options: NameCleaning): string {
	const personName = [source.firstName, source.lastName].map((part) => (part ?? '').trim()).filter(Boolean).join(' ');
	for (const candidate of [source.companyName, personName, source.email]) {
		const cleaned = cleanName(candidate, options);
		if (cleaned) return cleaned;
	}
	return '';
}

/** `"<name> <suffix>"` within the DisplayName limit; the name is shortened, never the suffix. */
function withSuffix(displayName: string, suffix: string): string {
	const room = DISPLAY_NAME_MAX - suffix.length - 1;
	if (room <= 0) return truncate(suffix, DISPLAY_NAME_MAX);
	return `${truncate(displayName, room)} ${suffix}`.trim();
}

/**
 * The deterministic alternative used once after QuickBooks answers "Duplicate Name Exists" (6240):
 * `"<name> (<email>)"`. The name is shortened rather than the email so the result stays unique.
 */
export function duplicateNameVariant(displayName: string, email: string, options: NameCleaning): string {
	return withSuffix(displayName, cleanName(`(${email})`, options));
}

/**
 * The name of a contact's customer in a currency other than that of its existing customers:
 * `"<name> (EUR)"`. QuickBooks fixes a customer's currency at creation, so a contact invoiced in
 * several currencies has one customer per currency (all with its email).
 */
export function perCurrencyName(displayName: string, currency: string): string {
	return withSuffix(displayName, `(${currency})`);
}
