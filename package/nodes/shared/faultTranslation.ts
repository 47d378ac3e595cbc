/**
 * Translates what the APIs answered (QuickBooks Faults, HubSpot errors, transport failures) into
 * catalogue codes. The record involved decides the code where QuickBooks' own code is generic
 * (an inactive customer and an inactive item are both fault 610).
 */
import { SyncError, type ErrorCode, type ErrorValues } from './errors';
import { HubSpotApiError } from './transport/hubspot';
import { QuickBooksFault, QuickBooksTransportError, type QuickBooksFaultError } from './transport/quickbooks';

export type RecordKind = 'customer' | 'item' | 'taxCode' | 'invoice';

export interface FailureContext {
	/** Invoice number (or HubSpot id) for the message. */
	invoice?: string;
	/** The record the failed call was about. */
	record?: RecordKind;
	/** SKU, customer name or email for the message. */
	name?: string;
	email?: string;
	/** The invoice's currency, for the currency faults' messages. */
	currency?: string;
}

const DOC_NUMBER_DETAIL = /TxnId=(\d+)/i;

/** The QuickBooks invoice id named in a 6140 duplicate-number fault. */
export function duplicateTxnId(fault: QuickBooksFault): string | undefined {
	for (const error of fault.errors) {
		const match = DOC_NUMBER_DETAIL.exec(`${error.detail} ${error.message}`);
		if (match) return match[1];
	}
	return undefined;
}

function byRecord(record: RecordKind | undefined, codes: Partial<Record<RecordKind, ErrorCode>>): ErrorCode | undefined {
	return record ? codes[record] : undefined;
}

/**
 * QuickBooks answers currency problems with a business validation fault (6000) whose text names
 * the currency; the exact wording is not documented, so the text and the element decide.
 */
const CURRENCY_TEXT = /currenc/i;
const MULTICURRENCY_OFF = /multi-?currency/i;

function currencyFault(first: { code: string; element?: string }, detail: string): boolean {
	return first.code === '6000' && (CURRENCY_TEXT.test(detail) || CURRENCY_TEXT.test(first.element ?? ''));
}

/** "Name (email)" for messages, or "record" when the failing call named no customer. */
function customerLabel(context: FailureContext): string {
	if (!context.name) return context.email ?? 'record';
	return context.email ? `${context.name} (${context.email})` : context.name;
}

function recordFromElement(element: string | undefined, fallback?: RecordKind): RecordKind | undefined {
	const text = (element ?? '').toLowerCase();
	if (text.includes('customer')) return 'customer';
	if (text.includes('item')) return 'item';
	if (text.includes('taxcode')) return 'taxCode';
	return fallback;
}

/** QuickBooks codes that mean the same thing whatever record the call was about. */
const CODE_BY_FAULT_CODE = new Map<string, ErrorCode>([
	['100', 'AUTH_EXPIRED'],
	['3200', 'AUTH_EXPIRED'],
	['120', 'PERMISSION_DENIED'],
	['3100', 'PERMISSION_DENIED'],
	['3001', 'RATE_LIMITED'],
	['5010', 'STALE_OBJECT'],
	['6070', 'AMOUNT_MISMATCH'],
	['6190', 'COMPANY_SUSPENDED'],
	['6210', 'PERIOD_CLOSED'],
]);

/** The code of a fault whose meaning depends on the record involved, or undefined when unknown. */
function codeByRecordInvolved(first: QuickBooksFaultError, detail: string, context: FailureContext): ErrorCode | undefined {
	switch (first.code) {
		case '610':
			return byRecord(recordFromElement(first.element, context.record), { customer: 'CUSTOMER_INACTIVE', item: 'ITEM_INACTIVE', taxCode: 'TAX_CODE_NOT_FOUND' });
		case '2500':
			return byRecord(recordFromElement(first.element, context.record), { customer: 'CUSTOMER_NOT_FOUND', item: 'SKU_NOT_FOUND', taxCode: 'TAX_CODE_NOT_FOUND' });
		case '2050':
		case '6240':
			return byRecord(context.record, { customer: 'CUSTOMER_CREATE_FAILED', item: 'ITEM_CREATE_FAILED' });
		case '6000':
			// Word starts only: "reactivated" contains "vat", "syntax" contains "tax".
			return /\b(?:GST|HST|VAT|PST|QST)\b|\btax/i.test(detail) ? 'TAX_CODE_NOT_FOUND' : undefined;
		default:
			return context.record === 'customer' && first.code.startsWith('2') ? 'CUSTOMER_CREATE_FAILED' : undefined;
	}
}

/** A currency fault: QuickBooks' multicurrency setting is off, or the customer bills in another currency. */
function currencySyncError(detail: string, context: FailureContext, values: ErrorValues, details: Record<string, unknown>): SyncError {
	const currency = context.currency ?? 'a foreign currency';
	// Values the fault does not give are described, not left "(unknown)".
	return MULTICURRENCY_OFF.test(detail)
		? new SyncError('CURRENCY_MISMATCH', { ...values, currency, homeCurrency: 'its home currency' }, details)
		: new SyncError('CUSTOMER_CURRENCY_MISMATCH', { ...values, currency, customer: customerLabel(context), customerCurrency: 'another currency' }, details);
}

export function quickBooksFaultToSyncError(fault: QuickBooksFault, context: FailureContext = {}): SyncError {
	const first = fault.errors[0] ?? { code: '', message: fault.type, detail: '' };
	const detail = [first.message, first.detail].filter(Boolean).join(': ');
	const details = {
		quickbooksCode: first.code,
		quickbooksMessage: first.message,
		quickbooksDetail: first.detail,
		element: first.element,
		faultType: fault.type,
		intuitTid: fault.intuitTid,
		errors: fault.errors,
	};
	const values = {
		invoice: context.invoice,
		detail,
		skus: context.name,
		customer: context.name,
		email: context.email,
		system: 'QuickBooks',
		taxRate: context.name,
	};
	if (currencyFault(first, detail)) return currencySyncError(detail, context, values, details);
	if (first.code === '6140') {
		const txnId = duplicateTxnId(fault);
		return new SyncError('DUPLICATE_INVOICE', { ...values, txnId }, { ...details, txnId });
	}
	if (first.code === '2050' && ((first.element ?? '').toLowerCase() === 'docnumber' || /DocNumber/i.test(detail))) {
		return new SyncError('DOC_NUMBER_TOO_LONG', { ...values, length: '>21' }, details);
	}
	const code = CODE_BY_FAULT_CODE.get(first.code) ?? codeByRecordInvolved(first, detail, context);
	return new SyncError(code ?? 'QUICKBOOKS_VALIDATION', values, details);
}

/** Any error a node caught → a SyncError with a catalogue code. */
export function toSyncError(error: unknown, context: FailureContext = {}): SyncError {
	if (error instanceof SyncError) return error;
	if (error instanceof QuickBooksFault) return quickBooksFaultToSyncError(error, context);
	const attempts = (error as { attempts?: number })?.attempts;
	if (error instanceof QuickBooksTransportError) {
		const values = { invoice: context.invoice, system: 'QuickBooks', detail: error.message };
		const details = { status: error.status, intuitTid: error.intuitTid, attempts };
		switch (error.kind) {
			case 'throttled':
				return new SyncError('RATE_LIMITED', values, details);
			case 'unavailable':
				return new SyncError('QUICKBOOKS_UNAVAILABLE', values, details);
			case 'network':
				return new SyncError('NETWORK_ERROR', values, details);
			case 'auth':
				return new SyncError('AUTH_EXPIRED', values, details);
			default:
				return new SyncError('QUICKBOOKS_VALIDATION', values, details);
		}
	}
	if (error instanceof HubSpotApiError) {
		const values = { invoice: context.invoice, system: 'HubSpot', detail: error.message };
		const details = { status: error.status, category: error.category, policyName: error.policyName, requiredScopes: error.requiredScopes, attempts };
		switch (error.kind) {
			case 'rate-limited':
				return new SyncError('RATE_LIMITED', values, details);
			case 'daily-limit':
				return new SyncError('DAILY_LIMIT_REACHED', values, details);
			case 'unavailable':
				return new SyncError('HUBSPOT_UNAVAILABLE', values, details);
			case 'network':
				return new SyncError('NETWORK_ERROR', values, details);
			case 'auth':
				return new SyncError('AUTH_EXPIRED', values, details);
			case 'scope':
				return new SyncError('PERMISSION_DENIED', values, details);
			default:
				return new SyncError('HUBSPOT_ERROR', values, details);
		}
	}
	const message = error instanceof Error ? error.message : String(error);
	return new SyncError('UNEXPECTED_ERROR', { invoice: context.invoice, detail: message });
}
