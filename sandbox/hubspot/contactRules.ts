/**
 * Rules HubSpot applies to contact creates (docs/API_FACTS.md, "HubSpot: matching contacts,
 * companies and products"): the email is validated (RFC 2822 form, no quoted local part, the
 * domain ending in a top-level domain), and it is the contact's unique key, compared ignoring
 * case: a create whose email a contact already has is refused with 409 CONFLICT "Contact already
 * exists. Existing ID: <id>", and a batch fails whole on its first such input. Two inputs of one
 * batch with the same email are refused with 409 too (the body for that case is this simulator's).
 */
import { correlationId, errors, HubSpotHttpError } from './errors';
import type { HubSpotStore } from './store';
import type { ObjectType } from './types';

/** A local part of RFC 2822 atoms (no quotes, no spaces), one @, dot-separated labels ending in a letters-only TLD. */
const EMAIL_FORM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;

const emailKey = (value: unknown) => String(value ?? '').trim().toLowerCase();

function conflict(message: string): HubSpotHttpError {
	return new HubSpotHttpError(409, { status: 'error', message, correlationId: correlationId(), category: 'CONFLICT' });
}

/** HubSpot's 400 for a malformed email: one `Property values were not valid` entry, INVALID_EMAIL. */
function checkEmailForm(email: string): void {
	if (EMAIL_FORM.test(email)) return;
	throw errors.invalidProperties([{ name: 'email', error: 'INVALID_EMAIL', message: `Email address ${email} is invalid` }]);
}

/**
 * Checks the contacts one create call (single or batch) would add, in input order; the first
 * refusal fails the call. Other object types have no such rule.
 */
export function checkContactCreates(store: HubSpotStore, type: ObjectType, inputs: Array<Record<string, unknown>>): void {
	if (type !== 'contacts') return;
	const emails = inputs.map((values) => (values.email === undefined || values.email === null || values.email === '' ? undefined : String(values.email)));
	for (const email of emails) if (email !== undefined) checkEmailForm(email);
	const held = new Map<string, string>();
	for (const contact of store.list('contacts')) {
		const key = emailKey(contact.properties.email);
		if (key && !held.has(key)) held.set(key, contact.id);
	}
	const inBatch = new Set<string>();
	for (const email of emails) {
		if (email === undefined) continue;
		const key = emailKey(email);
		const existing = held.get(key);
		if (existing !== undefined) throw conflict(`Contact already exists. Existing ID: ${existing}`);
		if (inBatch.has(key)) throw conflict(`Duplicate email ${key} in the batch input: a contact's email must be unique.`);
		inBatch.add(key);
	}
}
