/**
 * The upsert's parameters, read once per execution into plain settings (the domain code and the
 * unit tests only see this shape). `toUpsertOptions` also reads the options an upsert stores, for
 * the nodes before it that check invoices under the upsert's policies (preWriteChecks.ts).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { locatorValue, oneOf, optionsCollection } from '../shared/parameters';
import type { HubSpotAuthentication } from '../shared/transport/hubspot';

/** What to do when QuickBooks already has an invoice with this number that this sync did not write. */
export type WhenExistsPolicy = 'update' | 'skip' | 'error';
/** Invoice numbers longer than QuickBooks' 21 characters. */
export type LongNumberPolicy = 'error' | 'shorten';
/** Characters QuickBooks rejects in the number or a line description. */
export type InvalidCharactersPolicy = 'error' | 'strip';
/**
 * A HubSpot line amount that is not quantity × discounted unit price (QuickBooks insists on
 * Amount = Qty × UnitPrice): take HubSpot's amount (what the customer owes) and fit the unit
 * price to it, or stop with AMOUNT_MISMATCH.
 */
export type AmountMismatchPolicy = 'useHubSpotAmount' | 'error';

export interface UpsertOptions {
	whenExists: WhenExistsPolicy;
	longInvoiceNumbers: LongNumberPolicy;
	invalidCharacters: InvalidCharactersPolicy;
	amountMismatch: AmountMismatchPolicy;
	syncVoidStatus: boolean;
	/** Used for HubSpot datetimes when QuickBooks does not report the company's time zone. */
	timeZone: string;
	/** Characters to reject on top of the control characters QuickBooks never accepts (e.g. "&#/"). */
	extraInvalidCharacters: string;
	/** Id of the QuickBooks item that invoice-level fees are booked on ('' = none chosen). */
	feeItemId: string;
}

export const DEFAULT_UPSERT_OPTIONS: UpsertOptions = {
	whenExists: 'update',
	longInvoiceNumbers: 'error',
	invalidCharacters: 'error',
	amountMismatch: 'useHubSpotAmount',
	syncVoidStatus: true,
	timeZone: 'UTC',
	extraInvalidCharacters: '',
	feeItemId: '',
};

const pick = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
	typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;

/** Normalises the node's "Options" collection; unknown or missing values take the defaults. */
export function toUpsertOptions(raw: Record<string, unknown> = {}): UpsertOptions {
	const d = DEFAULT_UPSERT_OPTIONS;
	return {
		whenExists: pick(raw.whenExists, ['update', 'skip', 'error'] as const, d.whenExists),
		longInvoiceNumbers: pick(raw.longInvoiceNumbers, ['error', 'shorten'] as const, d.longInvoiceNumbers),
		invalidCharacters: pick(raw.invalidCharacters, ['error', 'strip'] as const, d.invalidCharacters),
		amountMismatch: pick(raw.amountMismatch, ['useHubSpotAmount', 'error'] as const, d.amountMismatch),
		syncVoidStatus: typeof raw.syncVoidStatus === 'boolean' ? raw.syncVoidStatus : d.syncVoidStatus,
		timeZone: typeof raw.timeZone === 'string' && raw.timeZone.trim() ? raw.timeZone.trim() : d.timeZone,
		extraInvalidCharacters: typeof raw.extraInvalidCharacters === 'string' ? raw.extraInvalidCharacters : d.extraInvalidCharacters,
		// A resource locator; an older workflow's plain Id string is read the same way.
		feeItemId: locatorValue(raw.feeItemId) || d.feeItemId,
	};
}

export interface UpsertSettings {
	options: UpsertOptions;
	/** Present when "Write Back to HubSpot" is on: how to connect to HubSpot. */
	writeBack?: { authentication: HubSpotAuthentication };
	/** Salts the batch requestids (with the company), so a rerun of the execution sends the same ones. */
	executionId: string;
}

/** Item 0's parameters: the writes of all items are batched together, so one set applies to all. */
export function readSettings(context: IExecuteFunctions, itemIndex = 0): UpsertSettings {
	const writeBack = context.getNodeParameter('writeBackToHubSpot', itemIndex, false) === true;
	const authentication = () => oneOf(context, 'HubSpot Authentication', context.getNodeParameter('hubspotAuthentication', itemIndex, 'oAuth2'), ['oAuth2', 'appToken'] as const);
	return {
		options: toUpsertOptions(optionsCollection(context.getNodeParameter('options', itemIndex, {}))),
		...(writeBack ? { writeBack: { authentication: authentication() } } : {}),
		executionId: context.getExecutionId() ?? '',
	};
}
