/**
 * Customer Resolve's batch logic: one lookup for every distinct email of the execution (with the
 * company's currency preferences beside it), then one /batch for all reactivations and creations;
 * only for names QuickBooks reported as duplicates, one lookup of those names and one /batch of
 * "<name> (<email>)" variants (and a lookup of any variant reported taken). Works on any client
 * with `findByValues`, `batch` and `preferences` (the QuickBooks transport).
 *
 * Currencies: QuickBooks fixes a customer's currency when it is created and an invoice must be in
 * its customer's currency. In a multicurrency company the invoice goes to a customer with its email
 * in its currency; when the email's customers are all in other currencies, a customer per currency
 * ("<name> (EUR)") is created, or the invoice fails, as the settings say. Without multicurrency an
 * invoice not in the home currency fails here, before anything is written.
 */
import { randomUUID } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { SyncError } from '../shared/errors';
import type { InvoiceOutcome, ValidInvoice } from '../shared/execution';
import { toSyncError, type FailureContext } from '../shared/faultTranslation';
import { describeInvoice, withQuickBooksPart, type InvoiceCustomer, type QuickBooksPart, type SyncItem } from '../shared/invoiceContract';
import type { BatchItemResult, BatchOperation, QuickBooksClient } from '../shared/transport/quickbooks';
import { companySettingsFrom, currencyRefFor, type CompanySettings } from '../shared/invoiceChecks';
import { COMPANY_NAME_MAX, PERSON_NAME_MAX, buildDisplayName, cleanName, duplicateNameVariant, perCurrencyName, singleLine, truncate, type NameCleaning } from './customerNames';
import { QUICKBOOKS_EMAIL_MATCHING, customersByEmail, emailKey, lookupEmail, preferredCustomer, queryValues, type QuickBooksCustomer } from './emailMatch';

export interface CustomerResolveSettings {
	ifNotFound: 'create' | 'error';
	ifInactive: 'error' | 'reactivate';
	/** Multicurrency companies: what to do when the email's customers are all in other currencies. */
	ifOtherCurrency: 'createPerCurrency' | 'error';
	/** Compare emails character for character instead of trimmed and ignoring case. */
	exactEmailMatch: boolean;
	sanitizeNames: boolean;
}

export type CustomerClient = Pick<QuickBooksClient, 'findByValues' | 'batch' | 'preferences'>;

/** QuickBooks' "Duplicate Name Exists" fault. */
const DUPLICATE_NAME = '6240';

export interface CustomerPayload {
	DisplayName: string;
	PrimaryEmailAddr: { Address: string };
	GivenName?: string;
	FamilyName?: string;
	CompanyName?: string;
	BillAddr?: Record<string, string>;
	/** Sent only in multicurrency companies; QuickBooks never lets it change afterwards. */
	CurrencyRef?: { value: string };
}

/**
 * The Customer sent to QuickBooks for a HubSpot contact that has no QuickBooks customer yet
 * (in `currency` when given: multicurrency companies).
 */
export function buildCustomerPayload(customer: InvoiceCustomer, email: string, options: NameCleaning, currency?: string): CustomerPayload {
	const payload: CustomerPayload = {
		DisplayName: buildDisplayName({ ...customer, email }, options),
		PrimaryEmailAddr: { Address: email },
	};
	const givenName = cleanName(customer.firstName, options, PERSON_NAME_MAX);
	const familyName = cleanName(customer.lastName, options, PERSON_NAME_MAX);
	const companyName = cleanName(customer.companyName, options, COMPANY_NAME_MAX);
	if (givenName) payload.GivenName = givenName;
	if (familyName) payload.FamilyName = familyName;
	if (companyName) payload.CompanyName = companyName;
	const address = customer.address ?? {};
	const billAddr: Record<string, string> = {};
	const fields: Array<[keyof typeof address, string, number]> = [
		['line1', 'Line1', 500],
		['city', 'City', 255],
		['state', 'CountrySubDivisionCode', 255],
		['postalCode', 'PostalCode', 30],
		['country', 'Country', 255],
	];
	for (const [from, to, max] of fields) {
		const value = address[from];
		if (typeof value !== 'string') continue;
		const text = truncate(singleLine(value), max);
		if (text) billAddr[to] = text;
	}
	if (Object.keys(billAddr).length) payload.BillAddr = billAddr;
	if (currency) payload.CurrencyRef = { value: currency };
	return payload;
}

interface Planned {
	invoice: ValidInvoice<SyncItem>;
	email: string;
	key: string;
	label: string;
	/** The invoice's currency (ISO code, upper case). */
	currency: string;
}

/** Customers to create: one per email and currency. */
interface Creation {
	payload: CustomerPayload;
	plans: Planned[];
}

/** A creation QuickBooks refused because its DisplayName is in use (6240). */
interface TakenName extends Creation {
	fault: unknown;
	/** The name's holder has this email but another currency: the retry is named for the currency. */
	heldInOtherCurrency?: boolean;
}

interface Resolved {
	id: string;
	displayName: string;
	created: boolean;
	reactivated?: boolean;
	/** The DisplayName we asked for when QuickBooks made us use another (6240). */
	renamedFrom?: string;
	currency?: string;
}

/** bIds are at most 10 characters. */
const bId = (prefix: string, index: number) => `${prefix}${index}`;

export async function resolveCustomers(
	client: CustomerClient,
	invoices: Array<ValidInvoice<SyncItem>>,
	settings: CustomerResolveSettings,
): Promise<Map<number, InvoiceOutcome>> {
	const matching = { exact: settings.exactEmailMatch };
	const naming = { sanitize: settings.sanitizeNames };
	const outcomes = new Map<number, InvoiceOutcome>();
	const fail = (plan: { invoice: ValidInvoice<SyncItem>; label: string; email?: string; currency?: string }, error: unknown, name?: string) => {
		const failure: FailureContext = { invoice: plan.label, record: 'customer', email: plan.email, name, currency: plan.currency };
		outcomes.set(plan.invoice.index, { error: toSyncError(error, failure), failure });
	};
	let multiCurrency = false;
	const succeed = (plan: Planned, customer: Resolved) => {
		// Optional fields only when they apply, so the usual part stays { id, displayName, created }.
		const part: NonNullable<QuickBooksPart['customer']> = { id: customer.id, displayName: customer.displayName, created: customer.created };
		if (customer.reactivated) part.reactivated = true;
		if (customer.renamedFrom) part.renamedFrom = customer.renamedFrom;
		if (multiCurrency) part.currency = customer.currency ?? plan.currency;
		outcomes.set(plan.invoice.index, { json: withQuickBooksPart(plan.invoice.item, { customer: part }) });
	};

	// 1. Every invoice needs an email.
	const planned: Planned[] = [];
	for (const invoice of invoices) {
		const label = describeInvoice(invoice.input);
		const email = lookupEmail(invoice.item.invoice.customer.email, matching);
		if (!email) {
			fail({ invoice, label }, new SyncError('CUSTOMER_EMAIL_MISSING', { invoice: label }, { hubspotContactId: invoice.item.invoice.customer.hubspotContactId }));
			continue;
		}
		planned.push({ invoice, email, key: emailKey(email, matching), label, currency: invoice.item.invoice.currency.trim().toUpperCase() });
	}
	if (planned.length === 0) return outcomes;

	// 2. One lookup for all distinct emails, inactive customers included, and the company's
	// currencies (read once per execution and shared with the other nodes).
	let found: Map<string, QuickBooksCustomer[]>;
	let company: CompanySettings;
	try {
		const [records, preferences] = await Promise.all([
			client.findByValues<QuickBooksCustomer>('Customer', 'PrimaryEmailAddr', queryValues(planned.map((plan) => plan.email), matching), { includeInactive: true }),
			client.preferences(),
		]);
		found = customersByEmail(records, matching);
		// Only the currency settings matter here; the time zone is the upsert's concern.
		company = companySettingsFrom(undefined, preferences, 'UTC');
		multiCurrency = company.multiCurrency;
	} catch (error) {
		for (const plan of planned) fail(plan, error);
		return outcomes;
	}
	/** Without multicurrency every customer is in the home currency (QuickBooks may omit CurrencyRef). */
	const currencyOf = (customer: QuickBooksCustomer) => (multiCurrency && customer.CurrencyRef?.value ? String(customer.CurrencyRef.value).toUpperCase() : company.homeCurrency);

	// 3. Decide per invoice; collect one reactivation per customer and one creation per email and currency.
	const toReactivate = new Map<string, { customer: QuickBooksCustomer; plans: Planned[] }>();
	const toCreate = new Map<string, Creation>();
	for (const plan of planned) {
		let currencyRef: { value: string } | undefined;
		try {
			// CURRENCY_MISMATCH when the company cannot take the currency: a customer created for the
			// invoice would be of no use, and its currency could never change. Fail before any write.
			currencyRef = currencyRefFor({ currency: plan.currency }, company, plan.label);
		} catch (error) {
			fail(plan, error);
			continue;
		}
		const sameEmail = found.get(plan.key) ?? [];
		const customer = preferredCustomer(sameEmail.filter((candidate) => currencyOf(candidate) === plan.currency));
		if (customer) {
			const displayName = customer.DisplayName ?? '';
			if (customer.Active !== false) {
				succeed(plan, { id: String(customer.Id), displayName, created: false });
			} else if (settings.ifInactive === 'reactivate') {
				const entry = toReactivate.get(customer.Id) ?? { customer, plans: [] };
				entry.plans.push(plan);
				toReactivate.set(customer.Id, entry);
			} else {
				fail(
					plan,
					new SyncError('CUSTOMER_INACTIVE', { invoice: plan.label, customer: displayName || `#${customer.Id}`, email: plan.email }, { customerId: customer.Id, email: plan.email }),
				);
			}
			continue;
		}
		// The email's customers are all in other currencies (only possible with multicurrency).
		const otherCurrency = preferredCustomer(sameEmail);
		if (otherCurrency && (settings.ifOtherCurrency === 'error' || settings.ifNotFound === 'error')) {
			fail(plan, currencyMismatch(plan, otherCurrency, currencyOf(otherCurrency)));
			continue;
		}
		if (settings.ifNotFound === 'error') {
			fail(plan, new SyncError('CUSTOMER_NOT_FOUND', { invoice: plan.label, email: plan.email }, { email: plan.email, matching: settings.exactEmailMatch ? 'exact' : 'ignoring case and surrounding spaces' }));
			continue;
		}
		const creationKey = `${plan.key}\n${plan.currency}`;
		let entry = toCreate.get(creationKey);
		if (!entry) {
			const payload = buildCustomerPayload(plan.invoice.item.invoice.customer, plan.email, naming, currencyRef?.value);
			if (otherCurrency) payload.DisplayName = perCurrencyName(payload.DisplayName, plan.currency);
			entry = { payload, plans: [] };
			toCreate.set(creationKey, entry);
		}
		entry.plans.push(plan);
	}
	nameCurrenciesApart([...toCreate.values()], company.homeCurrency);
	if (toReactivate.size === 0 && toCreate.size === 0) return outcomes;

	// 4. Reactivations and creations together in one /batch (30 per call).
	const reactivations = [...toReactivate.values()];
	const creations = [...toCreate.values()];
	const operations: BatchOperation[] = [
		...reactivations.map(({ customer }, index) => ({
			bId: bId('r', index),
			operation: 'update' as const,
			entity: 'Customer',
			payload: { Id: customer.Id, SyncToken: customer.SyncToken ?? '0', sparse: true, Active: true },
		})),
		...creations.map(({ payload }, index) => ({
			bId: bId('c', index),
			operation: 'create' as const,
			entity: 'Customer',
			payload: payload as unknown as IDataObject,
		})),
	];
	let results: Map<string, BatchItemResult>;
	try {
		results = await client.batch(operations, () => randomUUID());
	} catch (error) {
		for (const entry of [...reactivations, ...creations]) for (const plan of entry.plans) fail(plan, error);
		return outcomes;
	}

	reactivations.forEach(({ customer, plans }, index) => {
		const result = results.get(bId('r', index));
		const name = customer.DisplayName ?? `#${customer.Id}`;
		if (!result || result.fault || !result.entity) {
			for (const plan of plans) fail(plan, result?.fault ?? missingAnswer(plan.label), name);
			return;
		}
		const entity = result.entity as unknown as QuickBooksCustomer;
		for (const plan of plans) succeed(plan, { id: String(entity.Id ?? customer.Id), displayName: entity.DisplayName ?? name, created: false, reactivated: true });
	});

	// 5. A taken display name (6240) is often held by the customer of this email: created by a
	// concurrent execution meanwhile, or (with exact matching) spelled in another case. Reuse it.
	// Otherwise one retry as "<name> (<email>)", which a concurrent execution may have taken the
	// same way, so it is checked the same way. A renamed customer is reported (renamedFrom).
	const nameTaken: TakenName[] = [];
	creations.forEach((creation, index) => {
		const result = results.get(bId('c', index));
		if (result?.entity) {
			finishCreation(creation.plans, result.entity as unknown as QuickBooksCustomer, creation.payload);
		} else if (result?.fault?.hasCode(DUPLICATE_NAME)) {
			nameTaken.push({ ...creation, fault: result.fault });
		} else {
			for (const plan of creation.plans) fail(plan, createFailure(result?.fault ?? missingAnswer(plan.label), plan, creation.payload.DisplayName), creation.payload.DisplayName);
		}
	});
	const retries = (await reuseSameEmailHolders(nameTaken)).map((taken) => ({
		payload: { ...taken.payload, DisplayName: retryName(taken, naming) },
		plans: taken.plans,
		firstFault: taken.fault,
		renamedFrom: taken.payload.DisplayName,
	}));
	if (retries.length === 0) return outcomes;

	let retryResults: Map<string, BatchItemResult>;
	try {
		retryResults = await client.batch(
			retries.map(({ payload }, index) => ({ bId: bId('d', index), operation: 'create' as const, entity: 'Customer', payload: payload as unknown as IDataObject })),
			() => randomUUID(),
		);
	} catch (error) {
		for (const retry of retries) for (const plan of retry.plans) fail(plan, error, retry.payload.DisplayName);
		return outcomes;
	}
	const variantTaken: Array<TakenName & { firstFault: unknown }> = [];
	retries.forEach((retry, index) => {
		const result = retryResults.get(bId('d', index));
		if (result?.entity) {
			finishCreation(retry.plans, result.entity as unknown as QuickBooksCustomer, retry.payload, retry.renamedFrom);
		} else if (result?.fault?.hasCode(DUPLICATE_NAME)) {
			variantTaken.push({ ...retry, fault: result.fault });
		} else {
			for (const plan of retry.plans) fail(plan, createFailure(result?.fault ?? missingAnswer(plan.label), plan, retry.payload.DisplayName, retry.firstFault), retry.payload.DisplayName);
		}
	});
	for (const taken of await reuseSameEmailHolders(variantTaken)) {
		for (const plan of taken.plans) fail(plan, createFailure(taken.fault, plan, taken.payload.DisplayName, taken.firstFault), taken.payload.DisplayName);
	}
	return outcomes;

	/**
	 * One lookup of all the taken names (inactive customers included); invoices whose email an
	 * active holder in their currency has get that customer. Emails are compared as QuickBooks
	 * compares them (ignoring case), whatever the matching option: a name held by the same email
	 * is the same customer. Returns the rest.
	 */
	async function reuseSameEmailHolders<T extends TakenName>(taken: T[]): Promise<T[]> {
		if (taken.length === 0) return [];
		let holders: Map<string, QuickBooksCustomer[]>;
		try {
			const records = await client.findByValues<QuickBooksCustomer>('Customer', 'DisplayName', taken.map((entry) => entry.payload.DisplayName), { includeInactive: true });
			holders = customersByEmail(
				records.filter((customer) => customer.Active !== false),
				QUICKBOOKS_EMAIL_MATCHING,
			);
		} catch (error) {
			for (const entry of taken) for (const plan of entry.plans) fail(plan, error, entry.payload.DisplayName);
			return [];
		}
		return taken.filter((entry) => {
			const plan = entry.plans[0];
			const sameEmail = holders.get(emailKey(plan.email, QUICKBOOKS_EMAIL_MATCHING)) ?? [];
			const holder = preferredCustomer(sameEmail.filter((customer) => currencyOf(customer) === plan.currency));
			if (!holder) {
				entry.heldInOtherCurrency = sameEmail.length > 0;
				return true;
			}
			for (const each of entry.plans) succeed(each, { id: String(holder.Id), displayName: holder.DisplayName ?? entry.payload.DisplayName, created: false });
			return false;
		});
	}

	function finishCreation(plans: Planned[], entity: QuickBooksCustomer, payload: CustomerPayload, renamedFrom?: string): void {
		for (const plan of plans) succeed(plan, { id: String(entity.Id), displayName: entity.DisplayName ?? payload.DisplayName, created: true, renamedFrom });
	}
}

/**
 * A new email invoiced in several currencies in one execution gets one customer per currency: the
 * one in the home currency (else the first) keeps the plain name, the others are "<name> (EUR)".
 */
function nameCurrenciesApart(creations: Creation[], homeCurrency: string): void {
	const byEmail = new Map<string, Creation[]>();
	for (const creation of creations) {
		const key = emailKey(creation.plans[0].email, QUICKBOOKS_EMAIL_MATCHING);
		byEmail.set(key, [...(byEmail.get(key) ?? []), creation]);
	}
	for (const group of byEmail.values()) {
		if (group.length < 2) continue;
		const primary = group.find((creation) => creation.plans[0].currency === homeCurrency) ?? group[0];
		for (const creation of group) {
			const currency = creation.plans[0].currency;
			const suffixed = perCurrencyName(creation.payload.DisplayName, currency);
			if (creation !== primary && !creation.payload.DisplayName.endsWith(`(${currency})`)) creation.payload.DisplayName = suffixed;
		}
	}
}

/** The one retry after 6240: named for the currency when the holder is this email in another currency, else for the email. */
function retryName(taken: TakenName, naming: NameCleaning): string {
	const { DisplayName, PrimaryEmailAddr } = taken.payload;
	const perCurrency = perCurrencyName(DisplayName, taken.plans[0].currency);
	if (taken.heldInOtherCurrency && !DisplayName.endsWith(`(${taken.plans[0].currency})`)) return perCurrency;
	return duplicateNameVariant(DisplayName, PrimaryEmailAddr.Address, naming);
}

/** The email's customers are all in another currency and no per-currency customer may be created. */
function currencyMismatch(plan: Planned, customer: QuickBooksCustomer, customerCurrency: string): SyncError {
	const name = customer.DisplayName || `#${customer.Id}`;
	return new SyncError(
		'CUSTOMER_CURRENCY_MISMATCH',
		{ invoice: plan.label, currency: plan.currency, customer: `${name} (${plan.email})`, customerCurrency },
		{ currency: plan.currency, customerId: customer.Id, customerCurrency, email: plan.email },
	);
}

function missingAnswer(invoice: string): SyncError {
	return new SyncError('UNEXPECTED_ERROR', { invoice, detail: 'QuickBooks did not answer for this customer in the batch' });
}

/**
 * A rejected creation is CUSTOMER_CREATE_FAILED with QuickBooks' detail, unless the fault means
 * something broader (expired authorisation, throttling, a suspended company).
 */
function createFailure(fault: unknown, plan: Planned, displayName: string, firstFault?: unknown): SyncError {
	const translated = toSyncError(fault, { invoice: plan.label, record: 'customer', name: displayName, email: plan.email });
	const details = { ...translated.details, displayName, email: plan.email, ...(firstFault ? { firstAttempt: toSyncError(firstFault, { record: 'customer' }).details } : {}) };
	if (translated.code === 'QUICKBOOKS_VALIDATION' || translated.code === 'CUSTOMER_CREATE_FAILED') {
		const quickbooks = translated.details as { quickbooksMessage?: string; quickbooksDetail?: string };
		const detail = [quickbooks.quickbooksMessage, quickbooks.quickbooksDetail].filter(Boolean).join(': ') || translated.message;
		return new SyncError('CUSTOMER_CREATE_FAILED', { invoice: plan.label, customer: displayName, detail }, details);
	}
	return translated;
}
