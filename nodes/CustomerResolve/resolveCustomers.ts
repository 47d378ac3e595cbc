/**
 * Customer Resolve's batch logic: one lookup for every distinct email of the execution, then one
 * /batch for all reactivations and creations; only for names QuickBooks reported as duplicates,
 * one lookup of those names and one /batch of "<name> (<email>)" variants (and a lookup of any
 * variant reported taken). Works on any client with `findByValues` and `batch` (the QuickBooks transport).
 */
import { randomUUID } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { SyncError } from '../shared/errors';
import type { InvoiceOutcome, ValidInvoice } from '../shared/execution';
import { toSyncError, type FailureContext } from '../shared/faultTranslation';
import { describeInvoice, withQuickBooksPart, type InvoiceCustomer, type QuickBooksPart, type SyncItem } from '../shared/invoiceContract';
import type { BatchItemResult, BatchOperation, QuickBooksClient } from '../shared/transport/quickbooks';
import { COMPANY_NAME_MAX, PERSON_NAME_MAX, buildDisplayName, cleanName, duplicateNameVariant, singleLine, truncate, type NameCleaning } from './customerNames';
import { customersByEmail, emailKey, lookupEmail, preferredCustomer, queryValues, type QuickBooksCustomer } from './emailMatch';

export interface CustomerResolveSettings {
	ifNotFound: 'create' | 'error';
	ifInactive: 'error' | 'reactivate';
	ignoreEmailCaseAndSpaces: boolean;
	sanitizeNames: boolean;
}

export type CustomerClient = Pick<QuickBooksClient, 'findByValues' | 'batch'>;

/** QuickBooks' "Duplicate Name Exists" fault. */
const DUPLICATE_NAME = '6240';

export interface CustomerPayload {
	DisplayName: string;
	PrimaryEmailAddr: { Address: string };
	GivenName?: string;
	FamilyName?: string;
	CompanyName?: string;
	BillAddr?: Record<string, string>;
}

/** The Customer sent to QuickBooks for a HubSpot contact that has no QuickBooks customer yet. */
export function buildCustomerPayload(customer: InvoiceCustomer, email: string, options: NameCleaning): CustomerPayload {
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
	return payload;
}

interface Planned {
	invoice: ValidInvoice<SyncItem>;
	email: string;
	key: string;
	label: string;
}

/** A creation QuickBooks refused because its DisplayName is in use (6240). */
interface TakenName {
	payload: CustomerPayload;
	plans: Planned[];
	fault: unknown;
}

interface Resolved {
	id: string;
	displayName: string;
	created: boolean;
	reactivated?: boolean;
}

/** bIds are at most 10 characters. */
const bId = (prefix: string, index: number) => `${prefix}${index}`;

export async function resolveCustomers(
	client: CustomerClient,
	invoices: Array<ValidInvoice<SyncItem>>,
	settings: CustomerResolveSettings,
): Promise<Map<number, InvoiceOutcome>> {
	const matching = { ignoreCaseAndSpaces: settings.ignoreEmailCaseAndSpaces };
	const naming = { sanitize: settings.sanitizeNames };
	const outcomes = new Map<number, InvoiceOutcome>();
	const fail = (plan: { invoice: ValidInvoice<SyncItem>; label: string; email?: string }, error: unknown, name?: string) => {
		const failure: FailureContext = { invoice: plan.label, record: 'customer', email: plan.email, name };
		outcomes.set(plan.invoice.index, { error: toSyncError(error, failure), failure });
	};
	const succeed = (plan: Planned, customer: Resolved) => {
		// `reactivated` only when it happened, so the usual part stays { id, displayName, created }.
		const part: QuickBooksPart['customer'] & { reactivated?: boolean } = { id: customer.id, displayName: customer.displayName, created: customer.created };
		if (customer.reactivated) part.reactivated = true;
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
		planned.push({ invoice, email, key: emailKey(email, matching), label });
	}
	if (planned.length === 0) return outcomes;

	// 2. One lookup for all distinct emails, inactive customers included.
	let found: Map<string, QuickBooksCustomer[]>;
	try {
		const records = await client.findByValues<QuickBooksCustomer>('Customer', 'PrimaryEmailAddr', queryValues(planned.map((plan) => plan.email), matching), {
			includeInactive: true,
		});
		found = customersByEmail(records, matching);
	} catch (error) {
		for (const plan of planned) fail(plan, error);
		return outcomes;
	}

	// 3. Decide per invoice; collect one reactivation per customer and one creation per email.
	const toReactivate = new Map<string, { customer: QuickBooksCustomer; plans: Planned[] }>();
	const toCreate = new Map<string, { payload: CustomerPayload; plans: Planned[] }>();
	for (const plan of planned) {
		const customer = preferredCustomer(found.get(plan.key) ?? []);
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
		if (settings.ifNotFound === 'error') {
			fail(plan, new SyncError('CUSTOMER_NOT_FOUND', { invoice: plan.label, email: plan.email }, { email: plan.email, matching: settings.ignoreEmailCaseAndSpaces ? 'ignore case and spaces' : 'exact' }));
			continue;
		}
		const entry = toCreate.get(plan.key) ?? { payload: buildCustomerPayload(plan.invoice.item.invoice.customer, plan.email, naming), plans: [] };
		entry.plans.push(plan);
		toCreate.set(plan.key, entry);
	}
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

	// 5. A taken display name (6240) is often held by the customer a concurrent execution created
	// for the same email meanwhile: reuse it. Otherwise one retry as "<name> (<email>)", which a
	// concurrent execution may have taken the same way, so it is checked the same way.
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
		payload: { ...taken.payload, DisplayName: duplicateNameVariant(taken.payload.DisplayName, taken.payload.PrimaryEmailAddr.Address, naming) },
		plans: taken.plans,
		firstFault: taken.fault,
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
			finishCreation(retry.plans, result.entity as unknown as QuickBooksCustomer, retry.payload);
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
	 * active holder has (as the email option compares) get that customer. Returns the rest.
	 */
	async function reuseSameEmailHolders<T extends TakenName>(taken: T[]): Promise<T[]> {
		if (taken.length === 0) return [];
		let holders: Map<string, QuickBooksCustomer[]>;
		try {
			const records = await client.findByValues<QuickBooksCustomer>('Customer', 'DisplayName', taken.map((entry) => entry.payload.DisplayName), { includeInactive: true });
			holders = customersByEmail(
				records.filter((customer) => customer.Active !== false),
				matching,
			);
		} catch (error) {
			for (const entry of taken) for (const plan of entry.plans) fail(plan, error, entry.payload.DisplayName);
			return [];
		}
		return taken.filter((entry) => {
			const holder = preferredCustomer(holders.get(entry.plans[0].key) ?? []);
			if (!holder) return true;
			for (const plan of entry.plans) succeed(plan, { id: String(holder.Id), displayName: holder.DisplayName ?? entry.payload.DisplayName, created: false });
			return false;
		});
	}

	function finishCreation(plans: Planned[], entity: QuickBooksCustomer, payload: CustomerPayload): void {
		for (const plan of plans) succeed(plan, { id: String(entity.Id), displayName: entity.DisplayName ?? payload.DisplayName, created: true });
	}
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
