/**
 * Operation "Match invoice lines": every line's SKU → a QuickBooks item id. All SKUs of the
 * execution are looked up in one round (IN queries, one /batch), every reactivation and create in
 * one more; one failing line fails its invoice only.
 */
import { randomUUID } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { CONNECTION_ERROR_CODES, SyncError, type ErrorCode } from '../../shared/errors';
import { processInvoices, type InvoiceOutcome, type ValidInvoice } from '../../shared/execution';
import { resolveAfterChecks } from '../../shared/preWriteChecks';
import { toSyncError } from '../../shared/faultTranslation';
import { syncItemSchema, withQuickBooksPart, type InvoiceLine, type SyncItem } from '../../shared/invoiceContract';
import {
	QUICKBOOKS_IN_CHUNK,
	QuickBooksClient,
	QuickBooksFault,
	type BatchItemResult,
	type BatchOperation,
	type QueryCondition,
} from '../../shared/transport/quickbooks';
import { chunk } from '../../shared/collections';
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
	type MatchOn,
	type MatchOptions,
	type QuickBooksItem,
} from '../skuMatching';

export type IfNotFound = 'error' | 'useFallback' | 'create';
export type IfInactive = 'error' | 'reactivate';
export type NewItemType = 'Service' | 'NonInventory';

export interface MatchSettings {
	match: MatchOptions;
	ifNotFound: IfNotFound;
	ifInactive: IfInactive;
	fallbackItemId: string;
	newItemType: NewItemType;
	incomeAccountId: string;
	/** Sent on every create when set; UK and Canadian companies require it. */
	expenseAccountId: string;
}

const ANY_ACTIVE: QueryCondition = { field: 'Active', op: 'IN', value: [true, false] };

/** Settings are per execution (index 0): lookups are batched across all items, so they cannot differ per item. */
export function readMatchSettings(context: IExecuteFunctions): MatchSettings {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const ifNotFound = context.getNodeParameter('ifNotFound', 0, 'error') as IfNotFound;
	return {
		match: {
			matchOn: (options.matchOn as MatchOn | undefined) ?? 'sku',
			caseSensitive: !(options.caseInsensitive === true),
			trimSpaces: options.trimSpaces === true,
		},
		ifNotFound,
		ifInactive: context.getNodeParameter('ifInactive', 0, 'error') as IfInactive,
		fallbackItemId: ifNotFound === 'useFallback' ? String(context.getNodeParameter('fallbackItemId', 0, '') ?? '').trim() : '',
		newItemType: ifNotFound === 'create' ? (context.getNodeParameter('newItemType', 0, 'Service') as NewItemType) : 'Service',
		incomeAccountId: ifNotFound === 'create' ? String(context.getNodeParameter('incomeAccountId', 0, '') ?? '').trim() : '',
		expenseAccountId: ifNotFound === 'create' ? String(context.getNodeParameter('expenseAccountId', 0, '') ?? '').trim() : '',
	};
}

/** What a distinct SKU came to after lookup and writes. */
type SkuOutcome =
	| { kind: 'match'; match: LineMatch }
	| { kind: 'problem'; problem: DistributiveOmit<Exclude<LineProblem, { problem: 'missingSku' | 'failed' }>, 'line'> }
	| { kind: 'failed'; error: (invoice: string) => SyncError };

type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;

interface PendingCreate {
	bId: string;
	sku: string;
	payload: IDataObject;
	/** SKUs (exact text) that resolve to this create. */
	skus: Set<string>;
}

interface PendingReactivation {
	bId: string;
	item: QuickBooksItem;
	skus: Set<string>;
}

function matchOf(item: QuickBooksItem, matchedBy: LineMatch['matchedBy']): LineMatch {
	return { itemId: String(item.Id), itemName: String(item.Name ?? item.FullyQualifiedName ?? ''), matchedBy };
}

function invoiceLabel(invoice: ValidInvoice<SyncItem>): string {
	return invoice.item.invoice.number || `HubSpot #${invoice.item.invoice.source.id}`;
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

/** Runs write operations in one /batch round; a call that fails as a whole fails each of its operations. */
async function runWrites(client: QuickBooksClient, operations: BatchOperation[]): Promise<Map<string, BatchItemResult | { error: unknown }>> {
	const results = new Map<string, BatchItemResult | { error: unknown }>();
	if (operations.length === 0) return results;
	try {
		const answers = await client.batch(operations, () => randomUUID());
		for (const operation of operations) {
			results.set(
				operation.bId,
				answers.get(operation.bId) ?? { error: new Error(`QuickBooks did not answer batch operation ${operation.bId}`) },
			);
		}
	} catch (error) {
		for (const operation of operations) results.set(operation.bId, { error });
	}
	return results;
}

function isDuplicateName(result: BatchItemResult | { error: unknown }): boolean {
	return 'fault' in result && result.fault instanceof QuickBooksFault && result.fault.hasCode('6240');
}

/** QuickBooks' "Required param missing" (2020) for ExpenseAccountRef. */
function isExpenseAccountMissing(result: BatchItemResult | { error: unknown }): boolean {
	const fault = 'fault' in result ? result.fault : undefined;
	return fault instanceof QuickBooksFault && fault.errors.some((error) => error.code === '2020' && /ExpenseAccountRef/.test(`${error.element ?? ''} ${error.detail}`));
}

function expenseAccountMissing(sku: string, country: string) {
	return (invoice: string): SyncError =>
		new SyncError('ITEM_EXPENSE_ACCOUNT_MISSING', { invoice, skus: displaySku(sku), country: country || 'its country' }, { sku, country });
}

export async function matchInvoiceLines(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const settings = readMatchSettings(this);
	// The checks first: an invoice QuickBooks could never take gets no item.
	return await processInvoices(this, syncItemSchema, async (invoices) =>
		await resolveAfterChecks(this, await QuickBooksClient.create(this), invoices, async (client, checked) => await matchAll(this, settings, checked, client)),
	);
}

export async function matchAll(
	context: IExecuteFunctions,
	settings: MatchSettings,
	invoices: Array<ValidInvoice<SyncItem>>,
	quickbooks?: QuickBooksClient,
): Promise<Map<number, InvoiceOutcome>> {
	const { match } = settings;
	// Every distinct SKU of the execution, with the first line that carries it (creates take its name and price).
	const firstLine = new Map<string, InvoiceLine>();
	for (const invoice of invoices) {
		for (const line of invoice.item.invoice.lines) {
			const sku = lineSku(line.sku);
			if (sku !== null && !firstLine.has(sku)) firstLine.set(sku, line);
		}
	}
	const skus = [...firstLine.keys()];
	const outcomes = new Map<string, SkuOutcome>();

	let client: QuickBooksClient | undefined = quickbooks;
	const getClient = async () => (client ??= await QuickBooksClient.create(context));

	// 1. One lookup round: every SKU (and its trimmed form) per compared field, plus the fallback item.
	const conditionLists: QueryCondition[][] = [];
	const { exact, prefixes } = lookupPlan(queryValuesFor(skus));
	for (const field of fieldsFor(match.matchOn)) {
		for (const group of chunk(exact, QUICKBOOKS_IN_CHUNK)) conditionLists.push([{ field, op: 'IN', value: group }, ANY_ACTIVE]);
		for (const prefix of prefixes) {
			conditionLists.push(prefix ? [{ field, op: 'LIKE', value: `${prefix}%` }, ANY_ACTIVE] : [ANY_ACTIVE]);
		}
	}
	const needsFallback = settings.ifNotFound === 'useFallback' && settings.fallbackItemId !== '';
	if (needsFallback && skus.length) conditionLists.push([{ field: 'Id', op: '=', value: settings.fallbackItemId }, ANY_ACTIVE]);
	const byId = new Map<string, QuickBooksItem>();
	if (conditionLists.length) {
		const found = await (await getClient()).queryMany<QuickBooksItem>('Item', conditionLists);
		for (const item of found) byId.set(String(item.Id), item);
	}
	const fallbackItem = needsFallback ? byId.get(settings.fallbackItemId) : undefined;
	const lookupItems = [...byId.values()];

	// 2. Decide per SKU; collect the writes the policies ask for (each item / SKU once).
	const reactivations = new Map<string, PendingReactivation>();
	const creates = new Map<string, PendingCreate>();
	const reactivate = (item: QuickBooksItem, sku: string) => {
		const id = String(item.Id);
		const pending = reactivations.get(id) ?? { bId: `r${reactivations.size}`, item, skus: new Set<string>() };
		pending.skus.add(sku);
		reactivations.set(id, pending);
	};
	for (const sku of skus) {
		const resolution = resolveSku(sku, lookupItems, match);
		if (resolution.kind === 'matched') {
			outcomes.set(sku, { kind: 'match', match: matchOf(resolution.item, resolution.field === 'Sku' ? 'sku' : 'name') });
		} else if (resolution.kind === 'ambiguous') {
			outcomes.set(sku, { kind: 'problem', problem: { problem: 'ambiguous', sku, items: resolution.items } });
		} else if (resolution.kind === 'inactive') {
			if (settings.ifInactive === 'reactivate') reactivate(resolution.item, sku);
			else outcomes.set(sku, { kind: 'problem', problem: { problem: 'inactive', sku, item: resolution.item } });
		} else if (settings.ifNotFound === 'useFallback') {
			if (fallbackItem && fallbackItem.Active !== false) {
				outcomes.set(sku, { kind: 'match', match: matchOf(fallbackItem, 'fallback') });
			} else if (fallbackItem && settings.ifInactive === 'reactivate') {
				reactivate(fallbackItem, sku);
			} else {
				const fallbackMissing = !settings.fallbackItemId
					? 'no fallback product is selected'
					: fallbackItem
						? `the fallback product ${fallbackItem.Name ?? ''} (ID ${settings.fallbackItemId}) is inactive`
						: `the fallback product (ID ${settings.fallbackItemId}) was not found in QuickBooks`;
				outcomes.set(sku, { kind: 'problem', problem: { problem: 'notFound', sku, suggestions: resolution.suggestions, tooLong: resolution.tooLong, fallbackMissing } });
			}
		} else if (settings.ifNotFound === 'create') {
			const newSku = match.trimSpaces ? sku.trim() : sku;
			if (newSku.length > QUICKBOOKS_ITEM_TEXT_MAX) {
				outcomes.set(sku, {
					kind: 'failed',
					error: createFailure(sku, new Error(`the SKU has ${newSku.length} characters; QuickBooks allows at most ${QUICKBOOKS_ITEM_TEXT_MAX}`)),
				});
				continue;
			}
			if (!settings.incomeAccountId) {
				outcomes.set(sku, { kind: 'failed', error: createFailure(sku, new Error('no income account is selected for new products')) });
				continue;
			}
			// SKUs equal under the matching options become one item.
			const key = comparisonKey(sku, match);
			let pending = creates.get(key);
			if (!pending) {
				const line = firstLine.get(sku) as InvoiceLine;
				const payload: IDataObject = {
					Name: newItemName(line.name, newSku),
					Sku: newSku,
					Type: settings.newItemType,
					IncomeAccountRef: { value: settings.incomeAccountId },
					...(settings.expenseAccountId ? { ExpenseAccountRef: { value: settings.expenseAccountId } } : {}),
					UnitPrice: line.unitPrice,
				};
				const description = newItemDescription(line.description ?? line.name);
				if (description) payload.Description = description;
				pending = { bId: `c${creates.size}`, sku: newSku, payload, skus: new Set() };
				creates.set(key, pending);
			}
			pending.skus.add(sku);
		} else {
			outcomes.set(sku, { kind: 'problem', problem: { problem: 'notFound', sku, suggestions: resolution.suggestions, tooLong: resolution.tooLong } });
		}
	}

	// UK and Canadian companies refuse an item without an expense account: fail those SKUs before any write.
	let country = '';
	if (creates.size) {
		country = String((await (await getClient()).companyInfo()).Country ?? '').trim();
		if (!settings.expenseAccountId && itemNeedsExpenseAccount(country)) {
			for (const pending of creates.values()) {
				for (const sku of pending.skus) outcomes.set(sku, { kind: 'failed', error: expenseAccountMissing(sku, country) });
			}
			creates.clear();
		}
	}

	// 3. One write round: every reactivation and create together.
	if (reactivations.size || creates.size) {
		const writeClient = await getClient();
		const operations: BatchOperation[] = [
			// Item documents only a full update: the item as read, made active, with its SyncToken.
			...[...reactivations.values()].map((pending) => ({
				bId: pending.bId,
				operation: 'update' as const,
				entity: 'Item',
				payload: { ...pending.item, Active: true, sparse: false } as IDataObject,
			})),
			...[...creates.values()].map((pending) => ({ bId: pending.bId, operation: 'create' as const, entity: 'Item', payload: pending.payload })),
		];
		const results = await runWrites(writeClient, operations);

		// A name already in use (6240): retry once with "<name> (<sku>)".
		const renamed = [...creates.values()].filter((pending) => isDuplicateName(results.get(pending.bId) as BatchItemResult));
		const retryOperations = renamed.map((pending) => ({
			bId: `${pending.bId}n`,
			operation: 'create' as const,
			entity: 'Item',
			payload: { ...pending.payload, Name: uniqueItemName(String(pending.payload.Name), pending.sku) },
		}));
		const retryResults = await runWrites(writeClient, retryOperations);
		for (const pending of renamed) {
			const retry = retryResults.get(`${pending.bId}n`);
			if (retry) results.set(pending.bId, retry);
		}

		for (const pending of reactivations.values()) {
			const result = results.get(pending.bId) as BatchItemResult | { error: unknown };
			for (const sku of pending.skus) {
				if ('entity' in result && result.entity) {
					const item = result.entity as QuickBooksItem;
					outcomes.set(sku, { kind: 'match', match: { ...matchOf(item, 'reactivated'), itemName: String(item.Name ?? pending.item.Name ?? '') } });
				} else {
					outcomes.set(sku, { kind: 'failed', error: reactivationFailure(sku, 'fault' in result ? result.fault : (result as { error: unknown }).error) });
				}
			}
		}
		for (const pending of creates.values()) {
			const result = results.get(pending.bId) as BatchItemResult | { error: unknown };
			for (const sku of pending.skus) {
				if ('entity' in result && result.entity) {
					outcomes.set(sku, { kind: 'match', match: matchOf(result.entity as QuickBooksItem, 'created') });
				} else if (isExpenseAccountMissing(result)) {
					outcomes.set(sku, { kind: 'failed', error: expenseAccountMissing(sku, country) });
				} else {
					outcomes.set(sku, { kind: 'failed', error: createFailure(sku, 'fault' in result ? result.fault : (result as { error: unknown }).error) });
				}
			}
		}
	}

	// 4. Per invoice: every line matched, or the invoice fails with all its problems.
	const results = new Map<number, InvoiceOutcome>();
	for (const invoice of invoices) {
		const label = invoiceLabel(invoice);
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
		const failure = invoiceFailure(label, problems, match);
		if (failure) results.set(invoice.index, { error: failure, failure: { invoice: label, record: 'item' } });
		else results.set(invoice.index, { json: withQuickBooksPart(invoice.item, { lines }) });
	}
	return results;
}
