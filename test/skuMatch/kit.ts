/**
 * Test kit for SKU Match node tests: credentials, canonical invoice items, a one-node workflow
 * runner (error output on), and a nock'd QuickBooks company that answers Item queries and /batch
 * from an in-memory catalog and records every request (query text, batch body, requestid).
 */
import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { PACKAGE_NAME, runWorkflow, type HarnessCredentials, type WorkflowRunResult } from '../harness';
import { DEFAULT_PREFERENCES, invoiceItem, type InvoiceOverrides } from '../customerResolve/qboTestKit';
import { hubSpotTestCredentials, quickBooksTestCredentials } from '../fixtures/credentials';

export const QBO_BASE = 'https://qbo.sku.test';
export const HUBSPOT_BASE = 'https://hubspot.sku.test';
export const REALM = '4620816365009999';
export const COMPANY_PATH = `/v3/company/${REALM}`;
export const NODE = 'SKU Match';
export const NODE_TYPE = `${PACKAGE_NAME}.skuMatch`;

export function credentials(): HarnessCredentials {
	return { ...quickBooksTestCredentials(QBO_BASE, REALM), ...hubSpotTestCredentials(HUBSPOT_BASE) };
}

export interface LineInput {
	sku?: string | null;
	name?: string;
	unitPrice?: number;
	quantity?: number;
	description?: string | null;
}

/** A canonical invoice item (built by Customer Resolve's kit); `lines` gives each line's SKU (or more). */
export function invoice(lines: Array<string | null | LineInput>, overrides: InvoiceOverrides = {}): IDataObject {
	return invoiceItem({
		...overrides,
		lines: lines.map((line, index) => {
			const spec: LineInput = typeof line === 'string' || line === null ? { sku: line } : line;
			const quantity = spec.quantity ?? 1;
			const unitPrice = spec.unitPrice ?? 10;
			return { sku: spec.sku ?? null, name: spec.name ?? `Line ${index + 1}`, description: spec.description ?? null, quantity, unitPrice, amount: quantity * unitPrice };
		}),
	});
}

export interface QboItem extends IDataObject {
	Id: string;
	Name: string;
	Sku?: string;
	Active: boolean;
	SyncToken: string;
}

export function qboItem(Id: string, Sku: string | undefined, Name = `Item ${Id}`, Active = true): QboItem {
	const item: QboItem = { Id, Name, Active, SyncToken: '0', Type: 'Service', FullyQualifiedName: Name };
	if (Sku !== undefined) item.Sku = Sku;
	return item;
}

export interface RecordedRequest {
	path: string;
	/** Query text for /query, or the Query texts of a /batch. */
	queries: string[];
	/** Write operations of a /batch. */
	writes: IDataObject[];
	requestId?: string;
	body: unknown;
}

type Literal = string | boolean | number;

/** Reads the literals of `(a, b, ...)` or a single literal, undoing the backslash escapes. */
function parseLiterals(text: string): Literal[] {
	const values: Literal[] = [];
	const pattern = /'((?:[^'\\]|\\.)*)'|(true|false)|(-?\d+(?:\.\d+)?)/gs;
	for (const match of text.matchAll(pattern)) {
		if (match[1] !== undefined) values.push(match[1].replace(/\\(.)/gs, '$1'));
		else if (match[2] !== undefined) values.push(match[2] === 'true');
		else values.push(Number(match[3]));
	}
	return values;
}

/** Splits `WHERE a IN (...) AND b = 'x' AND c LIKE 'p%'` into conditions; literals may contain " AND ". */
function parseWhere(query: string): Array<{ field: string; values: Literal[]; like?: boolean }> {
	const where = /\bWHERE\b([\s\S]*?)(?:\bSTARTPOSITION\b|\bMAXRESULTS\b|$)/.exec(query)?.[1] ?? '';
	const conditions: Array<{ field: string; values: Literal[]; like?: boolean }> = [];
	const pattern = /(\w+)\s+(?:IN\s*\(((?:'(?:[^'\\]|\\.)*'|[^')])*)\)|=\s*('(?:[^'\\]|\\.)*'|\w+)|LIKE\s*('(?:[^'\\]|\\.)*'))/gs;
	for (const match of where.matchAll(pattern)) {
		conditions.push({ field: match[1], values: parseLiterals(match[2] ?? match[3] ?? match[4]), like: match[4] !== undefined });
	}
	return conditions;
}

/** LIKE with QuickBooks' only wildcard, %, compared case-insensitively. */
function likeMatches(actual: string, pattern: string): boolean {
	const body = pattern.split('%').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
	return new RegExp(`^${body}$`, 'is').test(actual);
}

export interface FakeQuickBooksOptions {
	/** Answer a write with a fault instead of applying it (return undefined to apply). */
	writeFault?: (operation: IDataObject) => IDataObject | undefined;
	/** Fault for a whole /query or /batch call (HTTP status + body). */
	callFault?: (path: string, index: number) => { status: number; body: unknown } | undefined;
	/** The company's Preferences (default: US, USD, no multicurrency, books open). */
	preferences?: IDataObject;
	/** CompanyInfo.Country (default US). */
	country?: string;
}

export function duplicateNameFault() {
	return {
		type: 'ValidationFault',
		Error: [{ Message: 'Duplicate Name Exists Error', Detail: 'The name supplied already exists. : Another product or service is already using this name.', code: '6240', element: 'Name' }],
	};
}

/**
 * A QuickBooks company with an Item catalog. Queries compare case-insensitively, as QuickBooks
 * does in practice (the node must re-check exact matches itself).
 */
export function fakeQuickBooks(catalog: QboItem[], options: FakeQuickBooksOptions = {}) {
	const requests: RecordedRequest[] = [];
	const items = catalog.map((item) => ({ ...item }));
	let nextId = 1000;

	const runQuery = (query: string): IDataObject[] => {
		if (!/^SELECT \* FROM Item\b/.test(query)) throw new Error(`unexpected query ${query}`);
		const conditions = parseWhere(query);
		return items.filter((item) =>
			conditions.every(({ field, values, like }) => {
				const actual = item[field];
				if (field === 'Active') return values.includes(actual !== false);
				if (like) return typeof actual === 'string' && likeMatches(actual, String(values[0]));
				return values.some((value) => typeof actual === 'string' && actual.toLowerCase() === String(value).toLowerCase());
			}),
		);
	};

	const applyWrite = (operation: IDataObject): IDataObject => {
		const fault = options.writeFault?.(operation);
		if (fault) return { bId: operation.bId, Fault: fault };
		const payload = operation.Item as IDataObject;
		if (operation.operation === 'create') {
			if (items.some((item) => item.Name.toLowerCase() === String(payload.Name).toLowerCase())) {
				return { bId: operation.bId, Fault: duplicateNameFault() };
			}
			const created: QboItem = { ...payload, Id: String(nextId++), Active: true, SyncToken: '0', FullyQualifiedName: String(payload.Name) } as unknown as QboItem;
			items.push(created);
			return { bId: operation.bId, Item: created };
		}
		const existing = items.find((item) => item.Id === payload.Id);
		if (!existing) return { bId: operation.bId, Fault: { type: 'ValidationFault', Error: [{ Message: 'Object Not Found', code: '610' }] } };
		Object.assign(existing, payload, { SyncToken: String(Number(existing.SyncToken) + 1) });
		delete existing.sparse;
		return { bId: operation.bId, Item: { ...existing } };
	};

	const scope = nock(QBO_BASE)
		.persist()
		.post(new RegExp(`^${COMPANY_PATH}/(query|batch)`))
		.query(true)
		.reply(function reply(uri, body) {
			const url = new URL(uri, QBO_BASE);
			const path = url.pathname.replace(COMPANY_PATH, '');
			const index = requests.length;
			const record: RecordedRequest = { path, queries: [], writes: [], body, requestId: url.searchParams.get('requestid') ?? undefined };
			requests.push(record);
			if (url.searchParams.get('minorversion') !== '75') return [400, { error: 'minorversion missing' }];
			const fault = options.callFault?.(path, index);
			if (fault) return [fault.status, fault.body];
			if (path === '/query') {
				const query = String(body);
				record.queries.push(query);
				return [200, { QueryResponse: { Item: runQuery(query), startPosition: 1, maxResults: 1000 }, time: '2026-09-01T00:00:00Z' }];
			}
			const operations = ((body as IDataObject).BatchItemRequest ?? []) as IDataObject[];
			const answers = operations.map((operation) => {
				if (typeof operation.Query === 'string') {
					record.queries.push(operation.Query);
					return { bId: operation.bId, QueryResponse: { Item: runQuery(operation.Query), startPosition: 1, maxResults: 1000 } };
				}
				record.writes.push(operation);
				return applyWrite(operation);
			});
			return [200, { BatchItemResponse: answers, time: '2026-09-01T00:00:00Z' }];
		});

	// CompanyInfo and Preferences (read once per execution before any write): answered, not recorded,
	// so `requests` lists the node's item lookups and writes.
	const companyReads = nock(QBO_BASE)
		.persist()
		.get(new RegExp(`^${COMPANY_PATH}/(companyinfo/${REALM}|preferences)\\b`))
		.query(true)
		.reply((uri) =>
			uri.includes('/preferences')
				? [200, { Preferences: options.preferences ?? DEFAULT_PREFERENCES }]
				: [200, { CompanyInfo: { CompanyName: 'SKU Test Company', Country: options.country ?? 'US' } }],
		);

	return { requests, items, scope, companyReads };
}

export async function runSkuMatch(
	parameters: IDataObject,
	input: IDataObject[],
	options: { continueOnFail?: boolean } = {},
): Promise<WorkflowRunResult> {
	return await runWorkflow({
		nodes: [
			{
				name: NODE,
				type: NODE_TYPE,
				parameters: parameters as never,
				...(options.continueOnFail === false ? {} : { onError: 'continueErrorOutput' as const }),
			},
		],
		connections: {},
		credentials: credentials(),
		input,
	});
}

/** Main-output and error-output JSON of the node. */
export function outputs(result: WorkflowRunResult): { main: IDataObject[]; errors: IDataObject[] } {
	return {
		main: result.output(NODE, 0).map((entry) => entry.json),
		errors: result.output(NODE, 1).map((entry) => entry.json),
	};
}
