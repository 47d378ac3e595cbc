/**
 * Matching HubSpot contacts to QuickBooks customers by primary email. QuickBooks compares emails
 * ignoring case (its query comparisons are case-insensitive), so by default so do we, after
 * trimming; an option matches exactly. Every candidate QuickBooks returns is re-checked here.
 */

export interface EmailMatching {
	/** Compare emails character for character (no trimming, case counts). */
	exact: boolean;
}

/** QuickBooks' own comparison: what decides whether a customer holding a name has "our" email. */
export const QUICKBOOKS_EMAIL_MATCHING: EmailMatching = { exact: false };

/** A QuickBooks Customer as the API returns it (the fields this node reads). */
export interface QuickBooksCustomer {
	Id: string;
	SyncToken?: string;
	DisplayName?: string;
	Active?: boolean;
	Job?: boolean;
	ParentRef?: { value?: string };
	PrimaryEmailAddr?: { Address?: string };
	CurrencyRef?: { value?: string; name?: string };
	[key: string]: unknown;
}

/** The invoice's email as it is looked up; '' when there is none (CUSTOMER_EMAIL_MISSING). */
export function lookupEmail(email: string | null | undefined, matching: EmailMatching): string {
	if (typeof email !== 'string' || email.trim() === '') return '';
	return matching.exact ? email : email.trim();
}

/** The key two emails must share to match. */
export function emailKey(email: string, matching: EmailMatching): string {
	return matching.exact ? email : email.trim().toLowerCase();
}

/**
 * Values for the `PrimaryEmailAddr IN (...)` query. When case is ignored the lower-case form is
 * asked for too, so the usual spelling is found even if a company compared case-sensitively.
 */
export function queryValues(emails: Iterable<string>, matching: EmailMatching): string[] {
	const values = new Set<string>();
	for (const email of emails) {
		if (!email) continue;
		values.add(email);
		if (!matching.exact) values.add(email.toLowerCase());
	}
	return [...values];
}

function numericId(customer: QuickBooksCustomer): number {
	const value = Number(customer.Id);
	return Number.isFinite(value) ? value : Number.MAX_SAFE_INTEGER;
}

/**
 * Which of several customers sharing an email the invoice goes to: an active one before an
 * inactive one, a top-level customer before a sub-customer (job), then the oldest (lowest Id).
 */
export function preferredCustomer(candidates: QuickBooksCustomer[]): QuickBooksCustomer | undefined {
	const rank = (customer: QuickBooksCustomer) => [customer.Active === false ? 1 : 0, customer.Job === true || customer.ParentRef?.value ? 1 : 0, numericId(customer)];
	return [...candidates].sort((left, right) => {
		const a = rank(left);
		const b = rank(right);
		for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return a[index] - b[index];
		return String(left.Id).localeCompare(String(right.Id));
	})[0];
}

/** Groups what QuickBooks returned by match key, keeping only real matches of an email asked for. */
export function customersByEmail(customers: QuickBooksCustomer[], matching: EmailMatching): Map<string, QuickBooksCustomer[]> {
	const byKey = new Map<string, QuickBooksCustomer[]>();
	for (const customer of customers) {
		const address = customer.PrimaryEmailAddr?.Address;
		if (typeof address !== 'string' || address === '') continue;
		const key = emailKey(address, matching);
		const list = byKey.get(key) ?? [];
		if (!list.some((entry) => entry.Id === customer.Id)) list.push(customer);
		byKey.set(key, list);
	}
	return byKey;
}
