/**
 * SKU Match's batch logic for "Match invoice lines", on the shared `resolveByKeys`: every distinct
 * SKU of the execution is looked up in one round (IN queries, one /batch), every reactivation and
 * create goes in one more, a name QuickBooks reports taken (6240) is retried once as
 * "<name> (<sku>)"; then each invoice gets its lines' items, or fails as a whole with every problem
 * of its lines. Works on any client with `queryMany`, `batch` and `companyInfo`.
 */
import type { IDataObject } from 'n8n-workflow';

import { chunk } from '../shared/collections';
import { CONNECTION_ERROR_CODES, SyncError, type ErrorCode } from '../shared/errors';
import type { InvoiceOutcome, ValidInvoice } from '../shared/execution';
import { toSyncError } from '../shared/faultTranslation';
import { withQuickBooksPart, type InvoiceLine, type SyncItem } from '../shared/invoiceContract';
import { quickBooksWriter } from '../shared/quickBooksWrites';
import { resolveByKeys, type Decision, type KeyResolution, type Written } from '../shared/resolveByKeys';
import { QUICKBOOKS_IN_CHUNK, QuickBooksFault, type QueryCondition, type QuickBooksClient } from '../shared/transport/quickbooks';
import type { MatchSettings } from './settings';
import {
	QUICKBOOKS_ITEM_TEXT_MAX,
	comparisonKey,
	displaySku,
	fieldsFor,
	invoiceFailure,
	itemNeedsExpenseAccount,
	lineSku,
	lookupPlan,
	newItemDescription,
	newItemName,
	queryValuesFor,
	resolveSku,
	uniqueItemName,
	type LineMatch,
	type LineProblem,
	type QuickBooksItem,
	type SkuResolution,
} from './skuMatching';

export type ItemClient = Pick<QuickBooksClient, 'queryMany' | 'batch' | 'companyInfo'>;

/** What a distinct SKU came to after lookup and writes. */
type SkuOutcome =
	| { kind: 'match'; match: LineMatch }
	| { kind: 'problem'; problem: DistributiveOmit<Exclude<LineProblem, { problem: 'missingSku' | 'failed' }>, 'line'> }
	| { kind: 'failed'; error: (invoice: string) => SyncError };

type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;

interface ItemsFound {
	items: QuickBooksItem[];
	fallbackItem?: QuickBooksItem;
	/** CompanyInfo.Country, read when products may be created ('' otherwise). */
	country: string;
}

type ItemDecision = Decision<QuickBooksItem, IDataObject, SkuOutcome>;

const ANY_ACTIVE: QueryCondition = { field: 'Active', op: 'IN', value: [true, false] };

export async function matchLines(client: ItemClient, invoices: Array<ValidInvoice<SyncItem>>, settings: MatchSettings): Promise<Map<number, InvoiceOutcome>> {
	// Every distinct SKU of the execution, with the first line that carries it (creates take its name and price).
	const firstLine = new Map<string, InvoiceLine>();
	for (const invoice of invoices) {
		for (const line of invoice.item.invoice.lines) {
			const sku = lineSku(line.sku);
			if (sku !== null && !firstLine.has(sku)) firstLine.set(sku, line);
		}
	}
	const outcomes = await resolveByKeys([...firstLine.keys()], itemResolution(client, settings, firstLine));
	const results = new Map<number, InvoiceOutcome>();
	for (const invoice of invoices) results.set(invoice.index, invoiceOutcome(invoice, outcomes, settings));
	return results;
}

function itemResolution(client: ItemClient, settings: MatchSettings, firstLine: Map<string, InvoiceLine>): KeyResolution<string, ItemsFound, QuickBooksItem, IDataObject, SkuOutcome> {
	return {
		lookup: async (skus) => await lookupItems(client, skus, settings),
		decide: (sku, found) => decideSku(sku, found, settings, firstLine),
		// Item documents only a full update: the item as read, made active, with its SyncToken.
		write: quickBooksWriter(client, 'Item', {
			reactivation: (item: QuickBooksItem) => ({ ...item, Active: true, sparse: false }) as IDataObject,
			// The retry of creation c0 is c0n.
			retryBId: (retryOf) => `c${retryOf}n`,
		}),
		taken: {
			firstRefusal: async (taken) => await Promise.resolve(taken.map(({ payload }) => ({ retry: { ...payload, Name: uniqueItemName(String(payload.Name), String(payload.Sku)) } }))),
		},
		outcome: (sku, written, found) => skuOutcome(sku, written, found),
	};
}

/**
 * One lookup round: every SKU (and its trimmed form) per compared field, plus the fallback item;
 * with "Create the Product", the company's country (read once per execution by the transport).
 */
async function lookupItems(client: ItemClient, skus: string[], settings: MatchSettings): Promise<ItemsFound> {
	const conditionLists: QueryCondition[][] = [];
	const { exact, prefixes } = lookupPlan(queryValuesFor(skus));
	for (const field of fieldsFor(settings.match.matchOn)) {
		for (const group of chunk(exact, QUICKBOOKS_IN_CHUNK)) conditionLists.push([{ field, op: 'IN', value: group }, ANY_ACTIVE]);
		for (const prefix of prefixes) conditionLists.push(prefix ? [{ field, op: 'LIKE', value: `${prefix}%` }, ANY_ACTIVE] : [ANY_ACTIVE]);
	}
	const needsFallback = settings.ifNotFound === 'useFallback' && settings.fallbackItemId !== '';
	if (needsFallback) conditionLists.push([{ field: 'Id', op: '=', value: settings.fallbackItemId }, ANY_ACTIVE]);
	const byId = new Map<string, QuickBooksItem>();
	if (conditionLists.length) for (const item of await client.queryMany<QuickBooksItem>('Item', conditionLists)) byId.set(String(item.Id), item);
	const country = settings.ifNotFound === 'create' ? String((await client.companyInfo()).Country ?? '').trim() : '';
	return { items: [...byId.values()], fallbackItem: needsFallback ? byId.get(settings.fallbackItemId) : undefined, country };
}

/** The SKU's item: found, reactivated, the fallback or created, as the settings say. */
function decideSku(sku: string, found: ItemsFound, settings: MatchSettings, firstLine: Map<string, InvoiceLine>): ItemDecision {
	const resolution = resolveSku(sku, found.items, settings.match);
	if (resolution.kind === 'matched') return { settle: { kind: 'match', match: matchOf(resolution.item, resolution.field === 'Sku' ? 'sku' : 'name') } };
	if (resolution.kind === 'ambiguous') return { settle: { kind: 'problem', problem: { problem: 'ambiguous', sku, items: resolution.items } } };
	if (resolution.kind === 'inactive') {
		if (settings.ifInactive === 'reactivate') return { reactivate: resolution.item, id: String(resolution.item.Id) };
		return { settle: { kind: 'problem', problem: { problem: 'inactive', sku, item: resolution.item } } };
	}
	if (settings.ifNotFound === 'useFallback') return fallbackDecision(sku, resolution, found.fallbackItem, settings);
	if (settings.ifNotFound === 'create') return createDecision(sku, found.country, settings, firstLine);
	return { settle: { kind: 'problem', problem: { problem: 'notFound', sku, suggestions: resolution.suggestions, tooLong: resolution.tooLong } } };
}

function fallbackDecision(sku: string, resolution: Extract<SkuResolution, { kind: 'notFound' }>, fallbackItem: QuickBooksItem | undefined, settings: MatchSettings): ItemDecision {
	if (fallbackItem && fallbackItem.Active !== false) return { settle: { kind: 'match', match: matchOf(fallbackItem, 'fallback') } };
	if (fallbackItem && settings.ifInactive === 'reactivate') return { reactivate: fallbackItem, id: String(fallbackItem.Id) };
	const fallbackMissing = !settings.fallbackItemId
		? 'no fallback product is selected'
		: fallbackItem
			? `the fallback product ${fallbackItem.Name ?? ''} (ID ${settings.fallbackItemId}) is inactive`
			: `the fallback product (ID ${settings.fallbackItemId}) was not found in QuickBooks`;
	return { settle: { kind: 'problem', problem: { problem: 'notFound', sku, suggestions: resolution.suggestions, tooLong: resolution.tooLong, fallbackMissing } } };
}

/** A product to create for the SKU; SKUs equal under the matching options become one product. */
function createDecision(sku: string, country: string, settings: MatchSettings, firstLine: Map<string, InvoiceLine>): ItemDecision {
	const newSku = settings.match.trimSpaces ? sku.trim() : sku;
	if (newSku.length > QUICKBOOKS_ITEM_TEXT_MAX) {
		return { settle: { kind: 'failed', error: createFailure(sku, new Error(`the SKU has ${newSku.length} characters; QuickBooks allows at most ${QUICKBOOKS_ITEM_TEXT_MAX}`)) } };
	}
	if (!settings.incomeAccountId) return { settle: { kind: 'failed', error: createFailure(sku, new Error('no income account is selected for new products')) } };
	// UK and Canadian companies refuse an item without an expense account: fail before any write.
	if (!settings.expenseAccountId && itemNeedsExpenseAccount(country)) return { settle: { kind: 'failed', error: expenseAccountMissing(sku, country) } };
	return { group: comparisonKey(sku, settings.match), create: () => newItemPayload(firstLine.get(sku) as InvoiceLine, newSku, settings) };
}

function newItemPayload(line: InvoiceLine, sku: string, settings: MatchSettings): IDataObject {
	const payload: IDataObject = {
		Name: newItemName(line.name, sku),
		Sku: sku,
		Type: settings.newItemType,
		IncomeAccountRef: { value: settings.incomeAccountId },
		...(settings.expenseAccountId ? { ExpenseAccountRef: { value: settings.expenseAccountId } } : {}),
		UnitPrice: line.unitPrice,
	};
	const description = newItemDescription(line.description ?? line.name);
	if (description) payload.Description = description;
	return payload;
}

/** The SKU's outcome once the writes are done. */
function skuOutcome(sku: string, written: Written<QuickBooksItem, IDataObject>, found: ItemsFound): SkuOutcome {
	if ('reactivated' in written) {
		return { kind: 'match', match: { ...matchOf(written.reactivated, 'reactivated'), itemName: String(written.reactivated.Name ?? written.before.Name ?? '') } };
	}
	if ('reactivateFailed' in written) return { kind: 'failed', error: reactivationFailure(sku, written.reactivateFailed.error) };
	if ('created' in written) return { kind: 'match', match: matchOf(written.created, 'created') };
	if ('adopted' in written) return { kind: 'match', match: matchOf(written.adopted, 'created') };
	const { error } = written.createFailed;
	if (isExpenseAccountMissing(error)) return { kind: 'failed', error: expenseAccountMissing(sku, found.country) };
	return { kind: 'failed', error: createFailure(sku, error) };
}

/** Every line matched, or the invoice fails with all its lines' problems. */
function invoiceOutcome(invoice: ValidInvoice<SyncItem>, outcomes: Map<string, SkuOutcome>, settings: MatchSettings): InvoiceOutcome {
	const label = invoice.item.invoice.number || `HubSpot #${invoice.item.invoice.source.id}`;
	const problems: LineProblem[] = [];
	// withQuickBooksPart copies each line, so a match shared by many invoices is never aliased.
	const lines: LineMatch[] = [];
	invoice.item.invoice.lines.forEach((line, index) => {
		const sku = lineSku(line.sku);
		if (sku === null) {
			problems.push({ line: index + 1, problem: 'missingSku' });
			return;
		}
		const outcome = outcomes.get(sku);
		if (!outcome) {
			problems.push({ line: index + 1, problem: 'failed', sku, error: new SyncError('UNEXPECTED_ERROR', { invoice: label, detail: `no result for SKU ${displaySku(sku)}` }) });
		} else if (outcome.kind === 'match') {
			lines.push(outcome.match);
		} else if (outcome.kind === 'problem') {
			problems.push({ ...outcome.problem, line: index + 1 } as LineProblem);
		} else {
			problems.push({ line: index + 1, problem: 'failed', sku, error: outcome.error(label) });
		}
	});
	const failure = invoiceFailure(label, problems, settings.match);
	if (failure) return { error: failure, failure: { invoice: label, record: 'item' } };
	return { json: withQuickBooksPart(invoice.item, { lines }) };
}

function matchOf(item: QuickBooksItem, matchedBy: LineMatch['matchedBy']): LineMatch {
	return { itemId: String(item.Id), itemName: String(item.Name ?? item.FullyQualifiedName ?? ''), matchedBy };
}

function faultText(error: unknown): string {
	if (error instanceof QuickBooksFault) {
		const first = error.errors[0];
		return first ? [first.message, first.detail].filter(Boolean).join(': ') : error.message;
	}
	return error instanceof Error ? error.message : String(error);
}

/**
 * Failures that say nothing about the item, reported as they are: the connection's (the
 * catalogue's connection codes), a record changed meanwhile, a write refused because the invoice is
 * dated in a closed period.
 */
const NOT_ABOUT_THE_ITEM: ReadonlySet<ErrorCode> = new Set([...CONNECTION_ERROR_CODES, 'STALE_OBJECT', 'PERIOD_CLOSED']);

function createFailure(sku: string, error: unknown) {
	return (invoice: string): SyncError => {
		const translated = toSyncError(error, { invoice, record: 'item', name: displaySku(sku) });
		if (NOT_ABOUT_THE_ITEM.has(translated.code)) return translated;
		return new SyncError('ITEM_CREATE_FAILED', { invoice, skus: displaySku(sku), detail: faultText(error) }, translated.details);
	};
}

function reactivationFailure(sku: string, error: unknown) {
	return (invoice: string): SyncError => {
		const translated = toSyncError(error, { invoice, record: 'item', name: displaySku(sku) });
		if (NOT_ABOUT_THE_ITEM.has(translated.code)) return translated;
		return new SyncError('ITEM_INACTIVE', { invoice, skus: displaySku(sku) }, { ...translated.details, reactivationFailed: faultText(error) });
	};
}

/** QuickBooks' "Required param missing" (2020) for ExpenseAccountRef. */
function isExpenseAccountMissing(fault: unknown): boolean {
	return fault instanceof QuickBooksFault && fault.errors.some((error) => error.code === '2020' && /ExpenseAccountRef/.test(`${error.element ?? ''} ${error.detail}`));
}

function expenseAccountMissing(sku: string, country: string) {
	return (invoice: string): SyncError =>
		new SyncError('ITEM_EXPENSE_ACCOUNT_MISSING', { invoice, skus: displaySku(sku), country: country || 'its country' }, { sku, country });
}
