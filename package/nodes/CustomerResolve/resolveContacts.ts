/**
 * Customer Resolve with Destination HubSpot (QuickBooks → HubSpot), on the shared `resolveByKeys`:
 * the HubSpot contact of each QuickBooks invoice's customer by email, and the HubSpot company of
 * its company name, for the whole execution at once: one search per 100 company names and one
 * batch create of the missing companies; one search per 100 emails and one batch create of the
 * missing contacts (an email HubSpot reports in use meanwhile adopts that contact); one batch of
 * contact–company associations.
 *
 * Emails are matched as HubSpot keeps them: unique, ignoring case and surrounding spaces.
 */
import { SyncError } from '../shared/errors';
import type { InvoiceOutcome, ValidInvoice } from '../shared/execution';
import { toSyncError, type FailureContext } from '../shared/faultTranslation';
import { findByValues, oldestRecord } from '../shared/hubSpotLookups';
import { CreateRefused, HeldByExisting, hubSpotWriter, propertyRefusals } from '../shared/hubSpotWrites';
import { describeInvoice, withHubSpotPart, type InvoiceCustomer, type SyncItem } from '../shared/invoiceContract';
import { resolveByKeys, type Decision, type KeyResolution, type Written } from '../shared/resolveByKeys';
import type { HubSpotClient, HubSpotObject, HubSpotWriteInput } from '../shared/transport/hubspot';
import { QUICKBOOKS_EMAIL_MATCHING, emailKey, lookupEmail } from './emailMatch';
import { companyKey, resolveCompanies, type CompanyOutcome, type CompanyPolicy } from './hubSpotCompanies';

export type ContactClient = Pick<HubSpotClient, 'searchAll' | 'batchCreate' | 'batchRead' | 'batchAssociateDefault'>;

export interface HubSpotContactSettings {
	ifNotFound: 'create' | 'error';
	/** What to do about the customer's company: find or create it, only find it, or leave companies alone. */
	companies: CompanyPolicy | 'none';
}

/** HubSpot keeps one contact per email, compared ignoring case: the comparison QuickBooks makes too. */
const HUBSPOT_EMAIL_MATCHING = QUICKBOOKS_EMAIL_MATCHING;

interface Planned {
	invoice: ValidInvoice<SyncItem>;
	email: string;
	key: string;
	label: string;
	company: { id: string; created: boolean } | null;
}

type ContactOutcome = { contact: { id: string; created: boolean; email: string } } | { error: unknown };

export async function resolveContacts(client: ContactClient, invoices: Array<ValidInvoice<SyncItem>>, settings: HubSpotContactSettings): Promise<Map<number, InvoiceOutcome>> {
	const outcomes = new Map<number, InvoiceOutcome>();
	const planned = await planWithCompanies(client, invoices, settings, outcomes);
	let contacts: Map<Planned, ContactOutcome>;
	try {
		contacts = await resolveByKeys(planned, contactResolution(client, settings));
	} catch (error) {
		// Only the lookup throws: the writes report their failures per contact.
		for (const plan of planned) outcomes.set(plan.invoice.index, failed(plan, error));
		return outcomes;
	}
	const associationError = await associateCompanies(client, planned, contacts);
	for (const plan of planned) outcomes.set(plan.invoice.index, invoiceOutcome(plan, contacts.get(plan), associationError));
	return outcomes;
}

/** Every invoice needs an email; then its company, found or created (an invoice whose company failed fails here). */
async function planWithCompanies(client: ContactClient, invoices: Array<ValidInvoice<SyncItem>>, settings: HubSpotContactSettings, outcomes: Map<number, InvoiceOutcome>): Promise<Planned[]> {
	const withEmail: Planned[] = [];
	for (const invoice of invoices) {
		const label = describeInvoice(invoice.input);
		const email = lookupEmail(firstAddress(invoice.item.invoice.customer.email), HUBSPOT_EMAIL_MATCHING);
		if (!email) {
			outcomes.set(invoice.index, failed({ invoice, label }, new SyncError('CUSTOMER_EMAIL_MISSING', { invoice: label, source: 'QuickBooks', customerKind: 'customer' })));
			continue;
		}
		withEmail.push({ invoice, email, key: emailKey(email, HUBSPOT_EMAIL_MATCHING), label, company: null });
	}
	if (settings.companies === 'none') return withEmail;
	const companies = await resolveCompanies(client, withEmail.map((plan) => companyName(plan.invoice.item.invoice.customer)), settings.companies);
	return withEmail.filter((plan) => {
		const name = companyName(plan.invoice.item.invoice.customer);
		const outcome: CompanyOutcome = name ? (companies.get(companyKey(name)) ?? { error: new Error(`no result for company ${name}`) }) : { company: null };
		if ('error' in outcome) outcomes.set(plan.invoice.index, failed(plan, outcome.error instanceof CreateRefused ? customerCreateFailed(plan.label, 'company', name, outcome.error) : outcome.error));
		else plan.company = outcome.company;
		return !('error' in outcome);
	});
}

/** QuickBooks' email field may hold several addresses separated by commas (or semicolons); a HubSpot contact has one: the first. */
function firstAddress(email: string | null | undefined): string | null | undefined {
	if (typeof email !== 'string') return email;
	return email.split(/[,;]/).find((address) => address.trim() !== '') ?? '';
}

function companyName(customer: InvoiceCustomer): string {
	return customer.companyName?.trim() ?? '';
}

function contactResolution(client: ContactClient, settings: HubSpotContactSettings): KeyResolution<Planned, Map<string, HubSpotObject[]>, HubSpotObject, HubSpotWriteInput, ContactOutcome> {
	return {
		lookup: async (planned) => groupByEmail(await findByValues(client, 'contacts', 'email', planned.map((plan) => plan.email.toLowerCase()), ['email'])),
		decide: (plan, found) => decideContact(plan, found, settings),
		write: hubSpotWriter(client, 'contacts', { unique: { property: 'email', key: (email) => emailKey(email, HUBSPOT_EMAIL_MATCHING) } }),
		// Created meanwhile (by another execution, or since the search's index caught up): that contact is this email's.
		taken: { firstRefusal: async (taken) => await Promise.resolve(taken.map(({ error }) => (error instanceof HeldByExisting ? { use: error.existing } : { fail: (plan: Planned) => ({ error: toSyncError(error, { invoice: plan.label }) }) }))) },
		outcome: (plan, written) => contactOutcome(plan, written),
	};
}

function groupByEmail(contacts: HubSpotObject[]): Map<string, HubSpotObject[]> {
	const byKey = new Map<string, HubSpotObject[]>();
	for (const contact of contacts) {
		const email = contact.properties.email;
		if (!email) continue;
		const key = emailKey(email, HUBSPOT_EMAIL_MATCHING);
		byKey.set(key, [...(byKey.get(key) ?? []), contact]);
	}
	return byKey;
}

function decideContact(plan: Planned, found: Map<string, HubSpotObject[]>, settings: HubSpotContactSettings): Decision<HubSpotObject, HubSpotWriteInput, ContactOutcome> {
	const contact = oldestRecord(found.get(plan.key) ?? []);
	if (contact) return { settle: { contact: { id: String(contact.id), created: false, email: contact.properties.email ?? plan.email } } };
	if (settings.ifNotFound === 'error') {
		const error = new SyncError('CUSTOMER_NOT_FOUND', { invoice: plan.label, email: plan.email, destination: 'HubSpot', customerKind: 'contact' }, { email: plan.email, matching: 'ignoring case and surrounding spaces' });
		return { settle: { error } };
	}
	return { group: plan.key, create: () => ({ properties: contactProperties(plan.invoice.item.invoice.customer, plan.email) }) };
}

/** A new contact: the customer's email, names, company name and billing address, as far as given. */
export function contactProperties(customer: InvoiceCustomer, email: string): Record<string, string> {
	const address = customer.address ?? {};
	const properties: Record<string, string | null | undefined> = {
		email,
		firstname: customer.firstName,
		lastname: customer.lastName,
		company: customer.companyName,
		address: address.line1,
		city: address.city,
		state: address.state,
		zip: address.postalCode,
		country: address.country,
	};
	const given = Object.entries(properties).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== '');
	return Object.fromEntries(given.map(([name, value]) => [name, value.trim()]));
}

function contactOutcome(plan: Planned, written: Written<HubSpotObject, HubSpotWriteInput>): ContactOutcome {
	if ('created' in written) return { contact: { id: String(written.created.id), created: true, email: written.created.properties?.email ?? plan.email } };
	if ('adopted' in written) return { contact: { id: String(written.adopted.id), created: false, email: written.adopted.properties.email ?? plan.email } };
	if ('createFailed' in written) {
		const error = written.createFailed.error;
		return { error: error instanceof CreateRefused ? customerCreateFailed(plan.label, 'contact', plan.email, error) : error };
	}
	return { error: new Error('HubSpot contacts are never reactivated') };
}

const INVALID_EMAIL_FIX = "In QuickBooks, correct the customer's email address (HubSpot accepts only well-formed addresses whose domain ends in a real top-level domain)";

/**
 * HubSpot refused to create the contact or company of an invoice's customer (an invalid email, a
 * value a property rejects): CUSTOMER_CREATE_FAILED with HubSpot's reason and what to fix in QuickBooks.
 */
function customerCreateFailed(invoice: string, customerKind: 'contact' | 'company', customer: string, refused: CreateRefused): SyncError {
	const reasons = propertyRefusals(refused.refusal);
	const detail = reasons.length ? reasons.map((reason) => reason.message).join('; ') : refused.refusal.message;
	const fix = reasons.some((reason) => reason.error === 'INVALID_EMAIL')
		? INVALID_EMAIL_FIX
		: `In QuickBooks, correct what HubSpot names on the customer (the HubSpot ${customerKind} is made from its ${customerKind === 'contact' ? 'email, names, company name and billing address' : 'company name'})`;
	const details = { status: refused.refusal.status, category: refused.refusal.category, hubspotErrors: reasons };
	return new SyncError('CUSTOMER_CREATE_FAILED', { invoice, destination: 'HubSpot', customerKind, customer, detail, fix }, details);
}

/** One association call per 100 contact–company pairs (an existing association stays as it is); its failure fails those invoices. */
async function associateCompanies(client: ContactClient, planned: Planned[], contacts: Map<Planned, ContactOutcome>): Promise<unknown> {
	const pairs = new Map<string, { fromId: string; toId: string }>();
	for (const plan of planned) {
		const outcome = contacts.get(plan);
		if (!plan.company || !outcome || !('contact' in outcome)) continue;
		pairs.set(`${outcome.contact.id}:${plan.company.id}`, { fromId: outcome.contact.id, toId: plan.company.id });
	}
	if (pairs.size === 0) return undefined;
	try {
		await client.batchAssociateDefault('contacts', 'companies', [...pairs.values()]);
		return undefined;
	} catch (error) {
		return error;
	}
}

function invoiceOutcome(plan: Planned, contact: ContactOutcome | undefined, associationError: unknown): InvoiceOutcome {
	if (!contact) return failed(plan, new SyncError('UNEXPECTED_ERROR', { invoice: plan.label, detail: 'no result for this contact' }));
	if ('error' in contact) return failed(plan, contact.error);
	if (plan.company && associationError !== undefined) return failed(plan, associationError);
	return { json: withHubSpotPart(plan.invoice.item, { contact: contact.contact, company: plan.company }) };
}

function failed(plan: { invoice: ValidInvoice<SyncItem>; label: string; email?: string }, error: unknown): InvoiceOutcome {
	const failure: FailureContext = { invoice: plan.label, record: 'customer', email: plan.email };
	return { error: toSyncError(error, failure), failure };
}
