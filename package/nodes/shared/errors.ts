/**
 * The error catalogue: every failure an invoice can meet, with the fix a person can act on.
 * Hints are the fixes in docs/BEHAVIOUR.md. Messages name the record (invoice number,
 * SKU, email) but never a credential: every text passes through `redactSecrets`.
 */

export type ErrorCode =
	| 'INVALID_INPUT'
	| 'INVOICE_INCOMPLETE'
	| 'QUICKBOOKS_INVOICE_INCOMPLETE'
	| 'INVOICE_HAS_NO_LINES'
	| 'SKU_NOT_FOUND'
	| 'SKU_MISSING'
	| 'SKU_AMBIGUOUS'
	| 'ITEM_INACTIVE'
	| 'ITEM_CREATE_FAILED'
	| 'ITEM_EXPENSE_ACCOUNT_MISSING'
	| 'CUSTOMER_EMAIL_MISSING'
	| 'CUSTOMER_NOT_FOUND'
	| 'CUSTOMER_INACTIVE'
	| 'CUSTOMER_CREATE_FAILED'
	| 'TAX_CODE_NOT_FOUND'
	| 'TAX_CODE_CONFLICT'
	| 'DUPLICATE_INVOICE'
	| 'HUBSPOT_INVOICE_NOT_FOUND'
	| 'HUBSPOT_INVOICE_LINKED_TWICE'
	| 'HUBSPOT_INVOICE_VOIDED'
	| 'HUBSPOT_INVOICE_HAS_PAYMENTS'
	| 'DOC_NUMBER_TOO_LONG'
	| 'INVALID_CHARACTERS'
	| 'AMOUNT_MISMATCH'
	| 'TOTAL_MISMATCH'
	| 'HUBSPOT_TOTAL_MISMATCH'
	| 'FEE_ITEM_MISSING'
	| 'DISCOUNTS_DISABLED'
	| 'INVALID_DATE'
	| 'CURRENCY_MISMATCH'
	| 'CUSTOMER_CURRENCY_MISMATCH'
	| 'PERIOD_CLOSED'
	| 'STALE_OBJECT'
	| 'COMPANY_SUSPENDED'
	| 'AUTH_EXPIRED'
	| 'PERMISSION_DENIED'
	| 'RATE_LIMITED'
	| 'DAILY_LIMIT_REACHED'
	| 'QUICKBOOKS_VALIDATION'
	| 'QUICKBOOKS_UNAVAILABLE'
	| 'HUBSPOT_ERROR'
	| 'HUBSPOT_UNAVAILABLE'
	| 'NETWORK_ERROR'
	| 'UNEXPECTED_ERROR';

export interface ErrorDefinition {
	/** What went wrong, in one line; `{placeholders}` are filled from the error's values. */
	message: string;
	/** How to fix it, in one or two lines. */
	hint: string;
	/** True when running the same invoice again later can succeed without anyone changing data. */
	retryable: boolean;
	/**
	 * The failure is the connection's (authorization, permission, a suspended company, limits,
	 * outages, the network), not the invoice's: it says nothing about the record being written, and
	 * after a reconnect or a wait the same invoice syncs by itself.
	 */
	connection?: true;
	/** Values of placeholders a caller may leave out: the usual (HubSpot → QuickBooks) wording. */
	defaults?: ErrorValues;
}

export const ERROR_CATALOGUE: Record<ErrorCode, ErrorDefinition> = {
	INVALID_INPUT: {
		message: 'The item does not fit the invoice format this node expects: {detail}',
		hint: 'Connect this node after the HubSpot Invoice Trigger (or a node that outputs its format) and check the field named above.',
		retryable: false,
	},
	INVOICE_INCOMPLETE: {
		message: 'Invoice {invoice} could not be read completely from HubSpot: {detail}',
		hint: 'Open the invoice in HubSpot and check its line items and contact still exist, then retry.',
		retryable: false,
	},
	QUICKBOOKS_INVOICE_INCOMPLETE: {
		message: 'QuickBooks invoice {invoice} could not be read completely: {detail}',
		hint: 'Open the invoice in QuickBooks and check its customer and products, then save it again (the QuickBooks Trigger emits it on its next change).',
		retryable: false,
	},
	INVOICE_HAS_NO_LINES: {
		message: 'Invoice {invoice} has no line items',
		hint: 'QuickBooks needs at least one line on an invoice. Add a line item (a product with a SKU) to the invoice in HubSpot, then retry.',
		retryable: false,
	},
	SKU_NOT_FOUND: {
		message: 'Invoice {invoice}: no {system} product with SKU {skus}{suggestions}',
		hint: 'SKU matching is case-sensitive (PROD-001 differs from prod-001). In {system}, update the product\'s SKU to match exactly or create a product with this SKU, then retry the sync.',
		retryable: false,
		defaults: { system: 'QuickBooks' },
	},
	SKU_MISSING: {
		message: 'Invoice {invoice}: line {lines} has no SKU',
		hint: 'Every line item needs a product with a SKU. In HubSpot, pick a product with a SKU for the line (or set the line\'s SKU), then retry.',
		retryable: false,
	},
	SKU_AMBIGUOUS: {
		message: 'Invoice {invoice}: several {system} products have SKU {skus} ({items})',
		hint: '{system} does not keep SKUs unique, so the sync will not guess. Give each product its own SKU in {system} (or make the duplicates inactive), then retry.',
		retryable: false,
		defaults: { system: 'QuickBooks' },
	},
	ITEM_INACTIVE: {
		message: 'Invoice {invoice}: QuickBooks product {skus} is inactive',
		hint: 'In QuickBooks, open Products and Services, show inactive items and mark the product active (or set SKU Match\'s inactive policy to reactivate), then retry.',
		retryable: false,
	},
	ITEM_CREATE_FAILED: {
		message: 'Invoice {invoice}: could not create QuickBooks product {skus}: {detail}',
		hint: 'Check the error details; common causes are a name already in use or a missing income account. Create the product in QuickBooks by hand, then retry.',
		retryable: false,
	},
	ITEM_EXPENSE_ACCOUNT_MISSING: {
		message: 'Invoice {invoice}: QuickBooks needs an expense account to create product {skus} in a company in {country}',
		hint: 'QuickBooks companies in the UK and Canada need an expense (cost of sales) account on every new product. In SKU Match, choose an Expense Account for new products, or create the product in QuickBooks by hand, then retry.',
		retryable: false,
	},
	CUSTOMER_EMAIL_MISSING: {
		message: 'Invoice {invoice}: the {source} {customerKind} has no email address',
		hint: 'Invoices require the customer to have an email address. In {source}, add an email to the {customerKind}, then retry the sync.',
		retryable: false,
		defaults: { source: 'HubSpot', customerKind: 'contact' },
	},
	CUSTOMER_NOT_FOUND: {
		message: 'Invoice {invoice}: no {destination} {customerKind} with email {email}',
		hint: 'The sync looks for an exact email match. Check the customer\'s email in {destination} for variations, or let Customer Resolve create missing {customerKind}s.',
		retryable: false,
		defaults: { destination: 'QuickBooks', customerKind: 'customer' },
	},
	CUSTOMER_INACTIVE: {
		message: 'Invoice {invoice}: QuickBooks customer {customer} ({email}) is inactive',
		hint: 'In QuickBooks, open Customers, include inactive ones and make this customer active (or set Customer Resolve\'s inactive policy to reactivate), then retry.',
		retryable: false,
	},
	CUSTOMER_CREATE_FAILED: {
		message: 'Invoice {invoice}: could not create {destination} {customerKind} {customer}: {detail}',
		hint: '{fix}, then retry the sync.',
		retryable: false,
		defaults: {
			destination: 'QuickBooks',
			customerKind: 'customer',
			fix: 'Common causes: invalid characters in the name or a name already used by another customer, vendor or employee. Fix the name in HubSpot or QuickBooks',
		},
	},
	TAX_CODE_NOT_FOUND: {
		message: 'Invoice {invoice}: {source} {taxRate} has no usable {destination}{reason}',
		hint: '{fix}, then retry.',
		retryable: false,
		defaults: { source: 'HubSpot tax rate', destination: 'QuickBooks tax code', fix: 'Add a mapping for this tax rate in the Tax Map node (or choose a default for unmapped rates)' },
	},
	TAX_CODE_CONFLICT: {
		message: 'Invoice {invoice}: its taxable lines map to different QuickBooks tax codes ({taxCodes}); a US invoice takes one sales tax code',
		hint: 'In US QuickBooks companies one tax code (or a combined tax group) applies to the whole invoice. Map these HubSpot rates to one QuickBooks code or tax group in the Tax Map node, then retry.',
		retryable: false,
	},
	DUPLICATE_INVOICE: {
		message: 'Invoice {invoice} already exists in QuickBooks (invoice id {txnId})',
		hint: 'Check the invoice in QuickBooks: if it is correct, no action is needed. If you need to re-sync, delete the QuickBooks invoice first.',
		retryable: false,
	},
	HUBSPOT_INVOICE_NOT_FOUND: {
		message: 'QuickBooks invoice {quickbooksInvoiceId} is linked to a HubSpot invoice HubSpot no longer has, so its payment cannot be shown in HubSpot',
		hint: 'Restore the HubSpot invoice, or sync the QuickBooks invoice to HubSpot again (the QuickBooks → HubSpot invoice sync creates it); the payment is applied on the next run.',
		retryable: true,
	},
	HUBSPOT_INVOICE_LINKED_TWICE: {
		message: 'Several HubSpot invoices ({hubspotInvoiceIds}) are linked to QuickBooks invoice {quickbooksInvoiceId}',
		hint: 'Keep one: delete the extra HubSpot invoices (or clear their QuickBooks Invoice ID), then retry.',
		retryable: false,
	},
	HUBSPOT_INVOICE_VOIDED: {
		message: 'Invoice {invoice} is voided in HubSpot (invoice {hubspotInvoiceId}) but not in QuickBooks, and HubSpot cannot un-void it',
		hint: 'Decide which is right: void the invoice in QuickBooks too, or delete the voided HubSpot invoice so the next run creates it again.',
		retryable: false,
	},
	HUBSPOT_INVOICE_HAS_PAYMENTS: {
		message: 'QuickBooks changed {properties} of invoice {invoice}, but HubSpot invoice {hubspotInvoiceId} has payments, and HubSpot does not let an invoice with payments be edited',
		hint: 'If the change in QuickBooks was a mistake, undo it there. Otherwise delete the HubSpot invoice and its payments, then edit the invoice in QuickBooks again: the next run creates it in HubSpot with QuickBooks\' content and payments.',
		retryable: false,
	},
	DOC_NUMBER_TOO_LONG: {
		message: 'Invoice number {invoice} has {length} characters; QuickBooks allows at most 21',
		hint: 'Shorten the invoice number in HubSpot, or set the upsert\'s "Long Invoice Numbers" option to shorten it and keep the full number in the memo.',
		retryable: false,
	},
	INVALID_CHARACTERS: {
		message: 'Invoice {invoice}: {field} contains characters QuickBooks rejects ({characters})',
		hint: 'Remove the characters in HubSpot, or set the "Invalid Characters" option to strip them.',
		retryable: false,
	},
	AMOUNT_MISMATCH: {
		message: 'Invoice {invoice}: line {lines} amount {amount} is not quantity × unit price ({expected})',
		hint: 'Correct the line in HubSpot so amount = quantity × price (minus discounts), then retry.',
		retryable: false,
	},
	TOTAL_MISMATCH: {
		message: 'Invoice {invoice}: the QuickBooks total before tax would be {quickbooksTotal}, HubSpot\'s is {hubspotTotal}',
		hint: 'HubSpot\'s subtotal, discounts and fees do not add up to what its line items, discounts and fees give (see details). Check them on the HubSpot invoice, then retry.',
		retryable: false,
	},
	HUBSPOT_TOTAL_MISMATCH: {
		message: 'Invoice {invoice}: HubSpot\'s total with tax is {hubspotTotal}, QuickBooks\' is {quickbooksTotal}',
		hint: 'The totals are further apart than HubSpot rounding each line\'s tax explains: most often a mapped HubSpot tax rate\'s percentage differs from the QuickBooks tax code\'s. Check the Tax Map\'s mapping and the invoice\'s tax in both, then retry; the invoice is not marked synced until the totals agree.',
		retryable: false,
	},
	FEE_ITEM_MISSING: {
		message: 'Invoice {invoice} has a fee ({fees}) but no QuickBooks product is set to book fees on',
		hint: 'In the QuickBooks Invoice Upsert node, choose the product or service for fees (Options → Fee Item), then retry.',
		retryable: false,
	},
	DISCOUNTS_DISABLED: {
		message: 'Invoice {invoice} has an invoice-level discount ({discounts}) but discounts are turned off in the QuickBooks company',
		hint: 'In QuickBooks, turn on Account and Settings → Sales → Discount, then retry.',
		retryable: false,
	},
	INVALID_DATE: {
		message: 'Invoice {invoice}: {field} "{value}" is not a valid date',
		hint: 'Set a valid invoice and due date on the HubSpot invoice, then retry.',
		retryable: false,
	},
	CURRENCY_MISMATCH: {
		message: 'Invoice {invoice} is in {currency} but the QuickBooks company uses {homeCurrency} without multicurrency',
		hint: 'Turn on multicurrency in QuickBooks (Account and Settings → Advanced → Currency) or issue the invoice in the home currency.',
		retryable: false,
	},
	CUSTOMER_CURRENCY_MISMATCH: {
		message: 'Invoice {invoice} is in {currency} but its QuickBooks customer {customer} is in {customerCurrency}',
		hint: 'QuickBooks fixes a customer\'s currency when the customer is created, and an invoice must be in its customer\'s currency. Add a customer in {currency} with this email in QuickBooks, or let Customer Resolve create one ("Customer in Another Currency": Use a Customer per Currency), then retry.',
		retryable: false,
	},
	PERIOD_CLOSED: {
		message: 'Invoice {invoice}: its date falls in a closed accounting period in QuickBooks',
		hint: 'In QuickBooks, go to Account and Settings → Advanced → Accounting and move the closing date (or change the invoice date), then retry.',
		retryable: false,
	},
	STALE_OBJECT: {
		message: 'Invoice {invoice}: the QuickBooks record changed while the sync was updating it',
		hint: 'Someone edited the record at the same time. Retry the sync.',
		retryable: true,
	},
	COMPANY_SUSPENDED: {
		message: 'The QuickBooks company cannot accept changes: {detail}',
		hint: 'Check the QuickBooks subscription status of the company, then retry.',
		retryable: false,
		connection: true,
	},
	AUTH_EXPIRED: {
		message: '{system} rejected the connection: the authorization expired or was revoked',
		hint: 'Open the {system} credential in n8n and click Reconnect (re-authorize access), then retry.',
		retryable: false,
		connection: true,
	},
	PERMISSION_DENIED: {
		message: '{system} denied access: {detail}',
		hint: 'Reconnect the {system} credential and grant the missing permission (scope) named above.',
		retryable: false,
		connection: true,
	},
	RATE_LIMITED: {
		message: '{system} rate limit reached; retries were exhausted',
		hint: 'Too many requests were sent too quickly. The sync will succeed when retried later; if it persists, lower the batch size or polling frequency.',
		retryable: true,
		connection: true,
	},
	DAILY_LIMIT_REACHED: {
		message: 'HubSpot daily API limit reached',
		hint: 'The daily limit resets at midnight in the HubSpot account\'s time zone. Retry tomorrow or raise the limit in HubSpot.',
		retryable: true,
		connection: true,
	},
	QUICKBOOKS_VALIDATION: {
		message: 'Invoice {invoice}: QuickBooks rejected the request: {detail}',
		hint: 'Read the QuickBooks message above and fix the field it names (element), then retry.',
		retryable: false,
	},
	QUICKBOOKS_UNAVAILABLE: {
		message: 'QuickBooks did not answer successfully after retries: {detail}',
		hint: 'QuickBooks is having trouble. The sync will succeed when retried later.',
		retryable: true,
		connection: true,
	},
	HUBSPOT_ERROR: {
		message: 'HubSpot rejected the request: {detail}',
		hint: 'Read the HubSpot message above and fix what it names, then retry.',
		retryable: false,
	},
	HUBSPOT_UNAVAILABLE: {
		message: 'HubSpot did not answer successfully after retries: {detail}',
		hint: 'HubSpot is having trouble. The sync will succeed when retried later.',
		retryable: true,
		connection: true,
	},
	NETWORK_ERROR: {
		message: 'Could not reach {system}: {detail}',
		hint: 'Check the network and the credential\'s base URL, then retry.',
		retryable: true,
		connection: true,
	},
	UNEXPECTED_ERROR: {
		message: 'Unexpected error while syncing invoice {invoice}: {detail}',
		hint: 'Retry the sync; if it keeps failing, report it with the invoice number and this message.',
		retryable: true,
	},
};

/** The codes of the catalogue's connection failures (`connection: true`). */
export const CONNECTION_ERROR_CODES: ReadonlySet<ErrorCode> = new Set(
	(Object.keys(ERROR_CATALOGUE) as ErrorCode[]).filter((code) => ERROR_CATALOGUE[code].connection === true),
);

export type ErrorValues = Record<string, string | number | undefined>;

export interface SyncErrorJson {
	code: ErrorCode;
	message: string;
	hint: string;
	retryable: boolean;
	details: Record<string, unknown>;
}

/** A failure with a catalogue code. Safe to show: message, hint and details are redacted. */
export class SyncError extends Error {
	readonly code: ErrorCode;
	readonly hint: string;
	readonly retryable: boolean;
	readonly details: Record<string, unknown>;

	constructor(code: ErrorCode, values: ErrorValues = {}, details: Record<string, unknown> = {}) {
		const definition = ERROR_CATALOGUE[code];
		const given = Object.entries(values).filter(([, value]) => value !== undefined);
		const filled: ErrorValues = { ...definition.defaults, ...Object.fromEntries(given) };
		super(redactSecrets(fillTemplate(definition.message, filled)));
		this.name = 'SyncError';
		this.code = code;
		this.hint = redactSecrets(fillTemplate(definition.hint, filled));
		this.retryable = definition.retryable;
		this.details = redactDeep(details) as Record<string, unknown>;
	}

	/** Rebuilds an error an earlier node (or the trigger) put on an item's JSON. */
	static fromJSON(data: Partial<SyncErrorJson>): SyncError {
		const code = data.code && data.code in ERROR_CATALOGUE ? data.code : 'UNEXPECTED_ERROR';
		const error = new SyncError(code, { detail: data.message }, (data.details as Record<string, unknown>) ?? {});
		const mutable = error as unknown as { message: string; hint: string; retryable: boolean };
		if (typeof data.message === 'string') mutable.message = redactSecrets(data.message);
		if (typeof data.hint === 'string') mutable.hint = redactSecrets(data.hint);
		if (typeof data.retryable === 'boolean') mutable.retryable = data.retryable;
		return error;
	}

	toJSON(): SyncErrorJson {
		return {
			code: this.code,
			message: this.message,
			hint: this.hint,
			retryable: this.retryable,
			details: this.details,
		};
	}
}

export function isSyncError(error: unknown): error is SyncError {
	return error instanceof SyncError;
}

/** Placeholders that add to a message when given and vanish otherwise. */
const OPTIONAL_PLACEHOLDERS = new Set(['suggestions', 'reason']);

function fillTemplate(template: string, values: ErrorValues): string {
	return template.replace(/\{(\w+)\}/g, (_match, key: string) => {
		const value = values[key];
		return value === undefined || value === '' ? (OPTIONAL_PLACEHOLDERS.has(key) ? '' : '(unknown)') : String(value);
	});
}

const SECRET_PATTERNS: RegExp[] = [
	/(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
	/(basic\s+)[A-Za-z0-9+/=]{8,}/gi,
	/((?:access|refresh|id)_?token["'=:\s]+)["']?[A-Za-z0-9._~+/=-]{8,}/gi,
	/((?:client_?secret|api_?key|password|hapikey)["'=:\s]+)["']?[^\s"'&,}]{4,}/gi,
	// A header or field ("Authorization: …", "authorization=…", "authorization":"…"), not the word in a sentence.
	/(authorization["']?\s*[:=]\s*)["']?[^"',}]{8,}/gi,
	/\b(pat-[a-z0-9]{2,4}-)[A-Za-z0-9-]{8,}/gi,
	// A bare JWT or JWE (Intuit's access tokens are JWEs): header "eyJ…" then 2 to 4 more segments.
	/()\beyJ[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]*){2,4}/g,
];

/**
 * The credential values the transports have seen (tokens, client secrets), so that a bare token an
 * API echoes back (QuickBooks has put the access token into a Fault's Detail) is removed although
 * nothing marks it as one. Only the most recent values are kept.
 */
const knownSecrets = new Set<string>();
const KNOWN_SECRETS_KEPT = 64;
/** Shorter values could be ordinary words; real tokens and secrets are far longer. */
const KNOWN_SECRET_MIN_LENGTH = 12;

export function registerSecrets(values: Iterable<unknown>): void {
	for (const value of values) {
		if (typeof value !== 'string' || value.length < KNOWN_SECRET_MIN_LENGTH || knownSecrets.has(value)) continue;
		knownSecrets.add(value);
		if (knownSecrets.size > KNOWN_SECRETS_KEPT) knownSecrets.delete(knownSecrets.values().next().value!);
	}
}

/** Removes anything shaped like a credential, and every registered credential value, from a text. */
export function redactSecrets(text: string): string {
	let result = text;
	for (const secret of knownSecrets) if (result.includes(secret)) result = result.split(secret).join('[redacted]');
	for (const pattern of SECRET_PATTERNS) result = result.replace(pattern, '$1[redacted]');
	return result;
}

/** Registers the secret values of a credential as n8n hands it to a node (see registerSecrets). */
export function registerCredentialSecrets(credentials: Record<string, unknown>): void {
	const tokenData = (credentials.oauthTokenData ?? {}) as Record<string, unknown>;
	registerSecrets([
		credentials.accessToken,
		credentials.clientSecret,
		tokenData.access_token,
		tokenData.refresh_token,
		tokenData.id_token,
	]);
}

const SECRET_KEYS = /^(authorization|access_?token|refresh_?token|id_?token|client_?secret|password|api_?key|token|oauthTokenData|headers|auth)$/i;

/** Redacts every string in a JSON-like value and drops keys that name credentials. */
export function redactDeep(value: unknown, depth = 0): unknown {
	if (depth > 8) return undefined;
	if (typeof value === 'string') return redactSecrets(value);
	if (Array.isArray(value)) return value.map((entry) => redactDeep(entry, depth + 1));
	if (value && typeof value === 'object') {
		const result: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
			if (SECRET_KEYS.test(key)) continue;
			result[key] = redactDeep(entry, depth + 1);
		}
		return result;
	}
	return value;
}
