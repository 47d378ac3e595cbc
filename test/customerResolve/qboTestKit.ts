/**
 * Test kit for nodes that talk to QuickBooks: credentials for a nock'd company, canonical invoice
 * builders, a one-node workflow runner with the error output on, and a recorder of every request.
 */
import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import type { CanonicalInvoiceInput } from '../../nodes/shared/invoiceContract';
import { PACKAGE_NAME, runWorkflow, type HarnessCredentials, type WorkflowRunResult } from '../harness';
import { quickBooksTestCredentials } from '../fixtures/credentials';

export const QBO_BASE = 'https://qbo.test';
export const REALM = '4620816365000001';
export const COMPANY_PATH = `/v3/company/${REALM}`;
export const NODE_NAME = 'Node Under Test';

export function quickBooksCredentials(realmId = REALM, baseUrl = QBO_BASE): HarnessCredentials {
	return quickBooksTestCredentials(baseUrl, realmId);
}

let invoiceCounter = 0;

export interface InvoiceOverrides extends Partial<Omit<CanonicalInvoiceInput, 'customer' | 'lines'>> {
	customer?: Partial<CanonicalInvoiceInput['customer']>;
	lines?: Array<Partial<CanonicalInvoiceInput['lines'][number]>>;
}

/** A canonical invoice item (what the trigger emits). */
export function invoiceItem(overrides: InvoiceOverrides = {}, extra: IDataObject = {}): IDataObject {
	const n = ++invoiceCounter;
	const { customer, lines, ...rest } = overrides;
	return {
		invoice: {
			source: { system: 'hubspot', id: String(3000 + n), createdBy: 'hubspot' },
			number: `INV-${n}`,
			status: 'open',
			currency: 'USD',
			issueDate: '2026-09-01T00:00:00.000Z',
			dueDate: '2026-10-01T00:00:00.000Z',
			customer: {
				email: `customer${n}@example.com`,
				firstName: 'Ada',
				lastName: 'Lovelace',
				companyName: null,
				hubspotContactId: String(1000 + n),
				...customer,
			},
			lines: (lines ?? [{}]).map((line, index) => ({
				sku: `SKU-${index + 1}`,
				name: `Line ${index + 1}`,
				quantity: 1,
				unitPrice: 10,
				amount: 10,
				taxRateId: null,
				taxLabel: null,
				...line,
			})),
			contentHash: null,
			...rest,
		},
		...extra,
	};
}

export async function runNode(
	nodeType: string,
	parameters: IDataObject,
	input: IDataObject[],
	credentials: HarnessCredentials = quickBooksCredentials(),
	onError: 'continueErrorOutput' | 'stopWorkflow' = 'continueErrorOutput',
): Promise<WorkflowRunResult & { main: IDataObject[]; errors: IDataObject[] }> {
	const result = await runWorkflow({
		nodes: [{ name: NODE_NAME, type: `${PACKAGE_NAME}.${nodeType}`, parameters: parameters as never, ...(onError === 'continueErrorOutput' ? { onError } : {}) }],
		connections: {},
		credentials,
		input,
	});
	const ran = result.ran(NODE_NAME);
	return {
		...result,
		main: ran ? result.output(NODE_NAME, 0).map((item) => item.json) : [],
		errors: ran ? result.output(NODE_NAME, 1).map((item) => item.json) : [],
	};
}

export interface RecordedRequest {
	method: string;
	path: string;
	/** Query-string parameters (minorversion, requestid …). */
	params: Record<string, string>;
	body: unknown;
}

/** Preferences of a US company in USD without multicurrency and with open books. */
export const DEFAULT_PREFERENCES = {
	CurrencyPrefs: { HomeCurrency: { value: 'USD' }, MultiCurrencyEnabled: false },
	AccountingInfoPrefs: {},
	SalesFormsPrefs: { CustomTxnNumbers: true, AllowDiscount: true },
};

/** CompanyInfo and Preferences reads (once per execution: the nodes that write check invoices against them first). */
const COMPANY_READ = /\/(companyinfo\/[^/]+|preferences)$/;

/**
 * Answers QuickBooks requests from a handler and records them. `handler` gets the path (without
 * query string) and the parsed body (the query text for /query). The company reads the handler
 * does not answer get a US company with `DEFAULT_PREFERENCES` and are not recorded: the recorder
 * lists the node's own lookups and writes.
 */
export function mockQuickBooks(
	handler: (request: RecordedRequest) => { status?: number; body: unknown } | undefined,
	base = QBO_BASE,
): RecordedRequest[] {
	const requests: RecordedRequest[] = [];
	const reply = (method: string) =>
		function (this: unknown, uri: string, body: unknown): [number, unknown] {
			const path = uri.split('?')[0];
			const parsed = typeof body === 'string' && body.startsWith('{') ? JSON.parse(body) : body;
			const params = Object.fromEntries(new URL(uri, base).searchParams.entries());
			const request = { method, path, params, body: parsed };
			const answer = handler(request);
			if (!answer && method === 'GET' && COMPANY_READ.test(path)) {
				return [200, path.endsWith('/preferences') ? { Preferences: DEFAULT_PREFERENCES } : { CompanyInfo: { CompanyName: 'Test Company', Country: 'US' } }];
			}
			requests.push(request);
			if (!answer) return [404, { Fault: { Error: [{ Message: `no mock for ${method} ${path}`, code: '610' }], type: 'ValidationFault' } }];
			return [answer.status ?? 200, answer.body];
		};
	nock(base).persist().post(/.*/).reply(reply('POST'));
	nock(base).persist().get(/.*/).reply(reply('GET'));
	return requests;
}

/** QuickBooks' answer to a query. */
export function queryResponse(entity: string, rows: unknown[]): unknown {
	return { QueryResponse: rows.length ? { [entity]: rows, startPosition: 1, maxResults: rows.length } : {}, time: '2026-10-01T00:00:00.000-07:00' };
}

/** Parses a /batch request body into its items. */
export function batchItems(request: RecordedRequest): Array<Record<string, any>> {
	return ((request.body as { BatchItemRequest?: Array<Record<string, any>> }).BatchItemRequest ?? []) as Array<Record<string, any>>;
}

export function fault(code: string, message: string, detail = '', element?: string) {
	return { Fault: { Error: [{ Message: message, Detail: detail, code, ...(element ? { element } : {}) }], type: 'ValidationFault' } };
}

export function qboCustomer(id: string, email: string | undefined, displayName: string, extra: IDataObject = {}): IDataObject {
	return {
		Id: id,
		SyncToken: '0',
		DisplayName: displayName,
		Active: true,
		...(email !== undefined ? { PrimaryEmailAddr: { Address: email } } : {}),
		...extra,
	};
}
