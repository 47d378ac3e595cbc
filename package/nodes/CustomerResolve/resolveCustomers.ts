/**
 * Customer Resolve's batch logic, on the shared `resolveByKeys`: one lookup for every distinct
 * email of the execution (with the company's currency preferences beside it), then one /batch for
 * all reactivations and creations; only for names QuickBooks reported as duplicates, one lookup of
 * those names and one /batch of "<name> (<email>)" variants (and a lookup of any variant reported
 * taken). Works on any client with `findByValues`, `batch` and `preferences` (the QuickBooks
 * transport).
 *
 * Currencies: QuickBooks fixes a customer's currency when it is created and an invoice must be in
 * its customer's currency. In a multicurrency company the invoice goes to a customer with its email
 * in its currency; when the email's customers are all in other currencies, a customer per currency
 * ("<name> (EUR)") is created, or the invoice fails, as the settings say. Without multicurrency an
 * invoice not in the home currency fails here, before anything is written.
 */
import { SyncError } from '../shared/errors';
import type { InvoiceOutcome, ValidInvoice } from '../shared/execution';
import { toSyncError, type FailureContext } from '../shared/faultTranslation';
import { describeInvoice, withQuickBooksPart, type QuickBooksPart, type SyncItem } from '../shared/invoiceContract';
import type { QuickBooksClient } from '../shared/transport/quickbooks';
import { companySettingsFrom, currencyRefFor, type CompanySettings } from '../shared/invoiceChecks';
import { quickBooksWriter } from '../shared/quickBooksWrites';
import { resolveByKeys, type Decision, type KeyResolution, type TakenCreation, type WriteFailure, type Written } from '../shared/resolveByKeys';
import { buildCustomerPayload, nameCurrenciesApart, retryName, type CustomerPayload } from './customerPayload';
import { perCurrencyName } from './customerNames';
import { QUICKBOOKS_EMAIL_MATCHING, customersByEmail, emailKey, lookupEmail, preferredCustomer, queryValues, type QuickBooksCustomer } from './emailMatch';
import type { CustomerResolveSettings } from './settings';

export type { CustomerResolveSettings } from './settings';
export { buildCustomerPayload, type CustomerPayload } from './customerPayload';

export type CustomerClient = Pick<QuickBooksClient, 'findByValues' | 'batch' | 'preferences'>;

/** An invoice with an email, waiting for its customer. */
interface Planned {
	invoice: ValidInvoice<SyncItem>;
	email: string;
	key: string;
	label: string;
	/** The invoice's currency (ISO code, upper case). */
	currency: string;
}

interface CustomersFound {
	byEmail: Map<string, QuickBooksCustomer[]>;
	company: CompanySettings;
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

type CustomerResolution = KeyResolution<Planned, CustomersFound, QuickBooksCustomer, CustomerPayload, InvoiceOutcome>;

export async function resolveCustomers(
	client: CustomerClient,
	invoices: Array<ValidInvoice<SyncItem>>,
	settings: CustomerResolveSettings,
): Promise<Map<number, InvoiceOutcome>> {
	const outcomes = new Map<number, InvoiceOutcome>();
	const planned = planInvoices(invoices, settings, outcomes);
	let resolved: Map<Planned, InvoiceOutcome>;
	try {
		resolved = await resolveByKeys(planned, customerResolution(client, settings));
	} catch (error) {
		// Only the lookup throws: the writes and the name lookups report their failures per invoice.
		for (const plan of planned) outcomes.set(plan.invoice.index, failed(plan, error));
		return outcomes;
	}
	for (const [plan, outcome] of resolved) outcomes.set(plan.invoice.index, outcome);
	return outcomes;
}

/** Every invoice needs an email; the others fail here. */
function planInvoices(invoices: Array<ValidInvoice<SyncItem>>, settings: CustomerResolveSettings, outcomes: Map<number, InvoiceOutcome>): Planned[] {
	const matching = { exact: settings.exactEmailMatch };
	const planned: Planned[] = [];
	for (const invoice of invoices) {
		const label = describeInvoice(invoice.input);
		const email = lookupEmail(invoice.item.invoice.customer.email, matching);
		if (!email) {
			const error = new SyncError('CUSTOMER_EMAIL_MISSING', { invoice: label }, { hubspotContactId: invoice.item.invoice.customer.hubspotContactId });
			outcomes.set(invoice.index, failed({ invoice, label }, error));
			continue;
		}
		planned.push({ invoice, email, key: emailKey(email, matching), label, currency: invoice.item.invoice.currency.trim().toUpperCase() });
	}
	return planned;
}

function customerResolution(client: CustomerClient, settings: CustomerResolveSettings): CustomerResolution {
	const naming = { sanitize: settings.sanitizeNames };
	return {
		lookup: async (planned) => await lookupCustomers(client, planned, settings),
		decide: (plan, found) => decideCustomer(plan, found, settings),
		prepareCreations: (creations, found) => nameCurrenciesApart(creations, found.company.homeCurrency),
		// Customer takes a sparse update: only Active changes.
		write: quickBooksWriter(client, 'Customer', {
			reactivation: (customer: QuickBooksCustomer) => ({ Id: customer.Id, SyncToken: customer.SyncToken ?? '0', sparse: true, Active: true }),
		}),
		taken: {
			firstRefusal: async (taken, found) =>
				await withNameHolders(client, taken, found, (entry, heldInOtherCurrency) => ({ retry: { ...entry.payload, DisplayName: retryName(entry, heldInOtherCurrency, naming) } })),
			secondRefusal: async (taken, found) => await withNameHolders(client, taken, found, () => undefined),
		},
		outcome: (plan, written, found) => customerOutcome(plan, written, found),
	};
}

/** One lookup for all distinct emails, inactive customers included, and the company's currencies (read once per execution and shared with the other nodes). */
async function lookupCustomers(client: CustomerClient, planned: Planned[], settings: CustomerResolveSettings): Promise<CustomersFound> {
	const matching = { exact: settings.exactEmailMatch };
	const [records, preferences] = await Promise.all([
		client.findByValues<QuickBooksCustomer>('Customer', 'PrimaryEmailAddr', queryValues(planned.map((plan) => plan.email), matching), { includeInactive: true }),
		client.preferences(),
	]);
	// Only the currency settings matter here; the time zone is the upsert's concern.
	return { byEmail: customersByEmail(records, matching), company: companySettingsFrom(undefined, preferences, 'UTC') };
}

/** Without multicurrency every customer is in the home currency (QuickBooks may omit CurrencyRef). */
function currencyOf(customer: QuickBooksCustomer, company: CompanySettings): string {
	return company.multiCurrency && customer.CurrencyRef?.value ? String(customer.CurrencyRef.value).toUpperCase() : company.homeCurrency;
}

/** The invoice's customer: its email's customer in its currency, reactivated or created as the settings say. */
function decideCustomer(plan: Planned, found: CustomersFound, settings: CustomerResolveSettings): Decision<QuickBooksCustomer, CustomerPayload, InvoiceOutcome> {
	let currencyRef: { value: string } | undefined;
	try {
		// CURRENCY_MISMATCH when the company cannot take the currency: a customer created for the
		// invoice would be of no use, and its currency could never change. Fail before any write.
		currencyRef = currencyRefFor({ currency: plan.currency }, found.company, plan.label);
	} catch (error) {
		return { settle: failed(plan, error) };
	}
	const sameEmail = found.byEmail.get(plan.key) ?? [];
	const customer = preferredCustomer(sameEmail.filter((candidate) => currencyOf(candidate, found.company) === plan.currency));
	if (customer) return existingCustomer(plan, customer, found, settings);
	// The email's customers are all in other currencies (only possible with multicurrency).
	const otherCurrency = preferredCustomer(sameEmail);
	if (otherCurrency && (settings.ifOtherCurrency === 'error' || settings.ifNotFound === 'error')) {
		return { settle: failed(plan, currencyMismatch(plan, otherCurrency, currencyOf(otherCurrency, found.company))) };
	}
	if (settings.ifNotFound === 'error') {
		const matching = settings.exactEmailMatch ? 'exact' : 'ignoring case and surrounding spaces';
		return { settle: failed(plan, new SyncError('CUSTOMER_NOT_FOUND', { invoice: plan.label, email: plan.email }, { email: plan.email, matching })) };
	}
	return {
		group: `${plan.key}\n${plan.currency}`,
		create: () => {
			const payload = buildCustomerPayload(plan.invoice.item.invoice.customer, plan.email, { sanitize: settings.sanitizeNames }, currencyRef?.value);
			if (otherCurrency) payload.DisplayName = perCurrencyName(payload.DisplayName, plan.currency);
			return payload;
		},
	};
}

function existingCustomer(plan: Planned, customer: QuickBooksCustomer, found: CustomersFound, settings: CustomerResolveSettings): Decision<QuickBooksCustomer, CustomerPayload, InvoiceOutcome> {
	const displayName = customer.DisplayName ?? '';
	if (customer.Active !== false) return { settle: succeeded(plan, { id: String(customer.Id), displayName, created: false }, found) };
	if (settings.ifInactive === 'reactivate') return { reactivate: customer, id: customer.Id };
	const error = new SyncError('CUSTOMER_INACTIVE', { invoice: plan.label, customer: displayName || `#${customer.Id}`, email: plan.email }, { customerId: customer.Id, email: plan.email });
	return { settle: failed(plan, error) };
}

/**
 * A taken display name (6240) is often held by the customer of this email: created by a
 * concurrent execution meanwhile, or (with exact matching) spelled in another case. One lookup of
 * all the taken names (inactive customers included); an invoice whose email an active holder in
 * its currency has gets that customer. Emails are compared as QuickBooks compares them (ignoring
 * case), whatever the matching option: a name held by the same email is the same customer. The
 * others get `otherwise` (a retry as "<name> (<email>)", checked the same way when it is taken too).
 */
async function withNameHolders<A>(
	client: CustomerClient,
	taken: Array<TakenCreation<Planned, CustomerPayload>>,
	found: CustomersFound,
	otherwise: (entry: TakenCreation<Planned, CustomerPayload>, heldInOtherCurrency: boolean) => A,
): Promise<Array<A | { use: QuickBooksCustomer } | { fail: (plan: Planned) => InvoiceOutcome }>> {
	let holders: Map<string, QuickBooksCustomer[]>;
	try {
		const records = await client.findByValues<QuickBooksCustomer>('Customer', 'DisplayName', taken.map((entry) => entry.payload.DisplayName), { includeInactive: true });
		holders = customersByEmail(
			records.filter((customer) => customer.Active !== false),
			QUICKBOOKS_EMAIL_MATCHING,
		);
	} catch (error) {
		return taken.map((entry) => ({ fail: (plan: Planned) => failed(plan, error, entry.payload.DisplayName) }));
	}
	return taken.map((entry) => {
		const plan = entry.keys[0];
		const sameEmail = holders.get(emailKey(plan.email, QUICKBOOKS_EMAIL_MATCHING)) ?? [];
		const holder = preferredCustomer(sameEmail.filter((customer) => currencyOf(customer, found.company) === plan.currency));
		return holder ? { use: holder } : otherwise(entry, sameEmail.length > 0);
	});
}

/** The invoice's outcome once the writes are done. */
function customerOutcome(plan: Planned, written: Written<QuickBooksCustomer, CustomerPayload>, found: CustomersFound): InvoiceOutcome {
	if ('reactivated' in written) {
		const name = written.before.DisplayName ?? `#${written.before.Id}`;
		return succeeded(plan, { id: String(written.reactivated.Id ?? written.before.Id), displayName: written.reactivated.DisplayName ?? name, created: false, reactivated: true }, found);
	}
	if ('reactivateFailed' in written) {
		const { reactivateFailed: failure, before } = written;
		if ('cause' in failure && failure.cause === 'callFailed') return failed(plan, failure.error);
		return failed(plan, 'cause' in failure && failure.cause === 'noAnswer' ? missingAnswer(plan.label) : failure.error, before.DisplayName ?? `#${before.Id}`);
	}
	if ('created' in written) {
		const renamedFrom = written.renamedFrom?.DisplayName;
		return succeeded(plan, { id: String(written.created.Id), displayName: written.created.DisplayName ?? written.payload.DisplayName, created: true, renamedFrom }, found);
	}
	if ('adopted' in written) {
		return succeeded(plan, { id: String(written.adopted.Id), displayName: written.adopted.DisplayName ?? written.payload.DisplayName, created: false }, found);
	}
	return creationFailed(plan, written.createFailed, written.payload.DisplayName, written.firstAttempt);
}

/**
 * A creation QuickBooks refused. A failed call is reported as it is (naming the name only on the
 * retry); a refusal becomes CUSTOMER_CREATE_FAILED with QuickBooks' detail.
 */
function creationFailed(plan: Planned, failure: WriteFailure, displayName: string, firstAttempt?: WriteFailure): InvoiceOutcome {
	if ('cause' in failure && failure.cause === 'callFailed') return failed(plan, failure.error, firstAttempt ? displayName : undefined);
	const error = 'cause' in failure && failure.cause === 'noAnswer' ? missingAnswer(plan.label) : failure.error;
	return failed(plan, createFailure(error, plan, displayName, firstAttempt?.error), displayName);
}

function failed(plan: { invoice: ValidInvoice<SyncItem>; label: string; email?: string; currency?: string }, error: unknown, name?: string): InvoiceOutcome {
	const failure: FailureContext = { invoice: plan.label, record: 'customer', email: plan.email, name, currency: plan.currency };
	return { error: toSyncError(error, failure), failure };
}

function succeeded(plan: Planned, customer: Resolved, found: CustomersFound): InvoiceOutcome {
	// Optional fields only when they apply, so the usual part stays { id, displayName, created }.
	const part: NonNullable<QuickBooksPart['customer']> = { id: customer.id, displayName: customer.displayName, created: customer.created };
	if (customer.reactivated) part.reactivated = true;
	if (customer.renamedFrom) part.renamedFrom = customer.renamedFrom;
	if (found.company.multiCurrency) part.currency = customer.currency ?? plan.currency;
	return { json: withQuickBooksPart(plan.invoice.item, { customer: part }) };
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
