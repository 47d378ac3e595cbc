/**
 * The QuickBooks Customer that Customer Resolve creates for a HubSpot contact, and its DisplayName
 * when another customer holds the name: plain functions on plain data.
 */
import type { InvoiceCustomer } from '../shared/invoiceContract';
import { COMPANY_NAME_MAX, PERSON_NAME_MAX, buildDisplayName, cleanName, duplicateNameVariant, perCurrencyName, singleLine, truncate, type NameCleaning } from './customerNames';
import { QUICKBOOKS_EMAIL_MATCHING, emailKey } from './emailMatch';

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


/** A customer to create and the invoices waiting for it (email and currency are those of every one). */
export interface PlannedCreation {
	payload: CustomerPayload;
	keys: Array<{ email: string; currency: string }>;
}

/**
 * A new email invoiced in several currencies in one execution gets one customer per currency: the
 * one in the home currency (else the first) keeps the plain name, the others are "<name> (EUR)".
 */
export function nameCurrenciesApart(creations: PlannedCreation[], homeCurrency: string): void {
	const byEmail = new Map<string, PlannedCreation[]>();
	for (const creation of creations) {
		const key = emailKey(creation.keys[0].email, QUICKBOOKS_EMAIL_MATCHING);
		byEmail.set(key, [...(byEmail.get(key) ?? []), creation]);
	}
	for (const group of byEmail.values()) {
		if (group.length < 2) continue;
		const primary = group.find((creation) => creation.keys[0].currency === homeCurrency) ?? group[0];
		for (const creation of group) {
			const currency = creation.keys[0].currency;
			const suffixed = perCurrencyName(creation.payload.DisplayName, currency);
			if (creation !== primary && !creation.payload.DisplayName.endsWith(`(${currency})`)) creation.payload.DisplayName = suffixed;
		}
	}
}

/** The one retry after 6240: named for the currency when the holder is this email in another currency, else for the email. */
export function retryName(taken: PlannedCreation, heldInOtherCurrency: boolean, naming: NameCleaning): string {
	const { DisplayName, PrimaryEmailAddr } = taken.payload;
	const perCurrency = perCurrencyName(DisplayName, taken.keys[0].currency);
	if (heldInOtherCurrency && !DisplayName.endsWith(`(${taken.keys[0].currency})`)) return perCurrency;
	return duplicateNameVariant(DisplayName, PrimaryEmailAddr.Address, naming);
}

