/**
 * A nock'd QuickBooks company for the upsert's node tests: CompanyInfo, Preferences, /query and
 * /batch (queries, create, sparse update, void) over an in-memory invoice list, with hooks to
 * inject per-operation faults and HTTP failures. Records every request so tests can assert the
 * node's exact calls and how many it made.
 */
import nock from 'nock';

import type { HarnessCredentials } from '../harness';
import { hubSpotTestCredentials, quickBooksTestCredentials } from '../kit';

export const QBO_BASE = 'https://qbo.upsert.test';
export const HUBSPOT_BASE = 'https://hubspot.upsert.test';
export const REALM = '9130357766419999';
export const COMPANY = `/v3/company/${REALM}`;

export function credentials(): HarnessCredentials {
	return { ...quickBooksTestCredentials(QBO_BASE, REALM), ...hubSpotTestCredentials(HUBSPOT_BASE) };
}

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	body: any;
}

export interface BatchItem {
	bId: string;
	operation?: string;
	optionsData?: string;
	Invoice?: Record<string, any>;
	Query?: string;
}

export type FaultError = { code: string; Message: string; Detail: string; element?: string };

export function fault(code: string, message: string, detail: string, element?: string): { Fault: { type: string; Error: FaultError[] } } {
	return { Fault: { type: 'ValidationFault', Error: [{ code, Message: message, Detail: detail, ...(element ? { element } : {}) }] } };
}

export class FakeQuickBooks {
	invoices: Array<Record<string, any>> = [];
	requests: RecordedRequest[] = [];
	companyInfo: Record<string, any> = { Id: '1', CompanyName: 'Upsert Test Co', Country: 'US', NameValue: [] };
	preferences: Record<string, any> = {
		CurrencyPrefs: { HomeCurrency: { value: 'USD' }, MultiCurrencyEnabled: false },
		AccountingInfoPrefs: { BookCloseDate: '2026-06-30' },
	};
	/** Return a Fault for a batch write item to fail it (called before the write is applied). */
	faultFor: (item: BatchItem) => Record<string, any> | undefined = () => undefined;
	/** Return [status, body, headers?] to answer an HTTP request instead of the fake. */
	httpOverride: (request: RecordedRequest) => [number, any, Record<string, string>?] | undefined = () => undefined;
	/**
	 * Intuit: "The maximum number of objects that can be returned in a response is 1000" (batch). The
	 * fake cuts a longer /batch answer short, as the worst reading of that cap would.
	 */
	batchResponseCap = 1000;
	/** Most objects one /batch answer would have held before the cap. */
	largestBatchAnswer = 0;
	/** QuickBooks' duplicate-number check (6140); a company can have it off. */
	duplicateDocNumberCheck = true;
	private nextId = 500;
	private nextDocNumber = 1001;

	install(): this {
		nock(QBO_BASE)
			.persist()
			.get(/.*/)
			.query(true)
			.reply((uri, _body) => this.handle('GET', uri, undefined))
			.post(/.*/)
			.query(true)
			.reply((uri, body) => this.handle('POST', uri, body));
		return this;
	}

	/** Requests to the API (not the token endpoint), optionally filtered by path suffix. */
	apiRequests(suffix?: string): RecordedRequest[] {
		return this.requests.filter((request) => request.path.startsWith(COMPANY) && (!suffix || request.path.endsWith(suffix)));
	}

	/** Batch items that were writes (create/update), across all /batch calls. */
	writeItems(): BatchItem[] {
		return this.apiRequests('/batch').flatMap((request) => (request.body?.BatchItemRequest ?? []).filter((item: BatchItem) => item.operation));
	}

	private handle(method: string, uri: string, body: unknown): [number, any, Record<string, string>?] {
		const url = new URL(uri, QBO_BASE);
		const query = Object.fromEntries(url.searchParams.entries());
		const parsed = typeof body === 'string' && body.trim().startsWith('{') ? JSON.parse(body) : body;
		const request: RecordedRequest = { method, path: url.pathname, query, body: parsed };
		this.requests.push(request);
		const override = this.httpOverride(request);
		if (override) return override;
		const path = url.pathname;
		if (method === 'GET' && path === `${COMPANY}/companyinfo/${REALM}`) return [200, { CompanyInfo: this.companyInfo }];
		if (method === 'GET' && path === `${COMPANY}/preferences`) return [200, { Preferences: this.preferences }];
		if (method === 'POST' && path === `${COMPANY}/query`) return [200, { QueryResponse: this.query(String(parsed)) }];
		if (method === 'POST' && path === `${COMPANY}/batch`) {
			const items = (parsed as { BatchItemRequest: BatchItem[] }).BatchItemRequest;
			return [200, { BatchItemResponse: this.capped(items.map((item) => this.batchItem(item))) }];
		}
		return [404, { error: `fake QuickBooks has no ${method} ${path}` }];
	}

	/** Keeps the objects of a /batch answer within the cap, dropping the rest of the rows. */
	private capped(responses: Array<Record<string, any>>): Array<Record<string, any>> {
		let left = this.batchResponseCap;
		let total = 0;
		for (const response of responses) {
			const rows: unknown[] | undefined = response.QueryResponse?.Invoice;
			const count = rows ? rows.length : response.Invoice ? 1 : 0;
			total += count;
			if (rows) {
				response.QueryResponse.Invoice = rows.slice(0, Math.max(0, left));
				response.QueryResponse.maxResults = response.QueryResponse.Invoice.length;
			}
			left -= count;
		}
		this.largestBatchAnswer = Math.max(this.largestBatchAnswer, total);
		return responses;
	}

	/**
	 * `SELECT * FROM Invoice WHERE <Field> IN ('a', 'b') [STARTPOSITION n] [MAXRESULTS n]` — the only
	 * shape the upsert sends; in Id order, as QuickBooks sorts by default.
	 */
	query(text: string): Record<string, any> {
		const match = /FROM Invoice WHERE (\w+) IN \((.*)\)/.exec(text);
		if (!match) throw new Error(`fake QuickBooks cannot run: ${text}`);
		const values = [...match[2].matchAll(/'((?:\\.|[^'\\])*)'/g)].map((value) => value[1].replace(/\\(.)/g, '$1').toLowerCase());
		const fieldValue = (invoice: Record<string, any>) => {
			const value = invoice[match[1]];
			return String(value && typeof value === 'object' ? value.value : value).toLowerCase();
		};
		const start = Number(/STARTPOSITION (\d+)/.exec(text)?.[1] ?? 1);
		const max = Number(/MAXRESULTS (\d+)/.exec(text)?.[1] ?? 1000);
		const rows = this.invoices
			.filter((invoice) => values.includes(fieldValue(invoice)))
			.sort((left, right) => Number(left.Id) - Number(right.Id))
			.slice(start - 1, start - 1 + max);
		return rows.length ? { Invoice: rows.map((row) => structuredClone(row)), startPosition: start, maxResults: rows.length } : {};
	}

	private batchItem(item: BatchItem): Record<string, any> {
		if (item.Query !== undefined) return { bId: item.bId, QueryResponse: this.query(item.Query) };
		const injected = this.faultFor(item);
		if (injected) return { bId: item.bId, ...injected };
		const payload = structuredClone(item.Invoice ?? {});
		if (item.operation === 'create') {
			// Intuit: with custom transaction numbers off QuickBooks numbers the invoice; with them on and none sent, DocNumber stays empty.
			if (payload.DocNumber === undefined && this.preferences.SalesFormsPrefs?.CustomTxnNumbers === false) payload.DocNumber = String(this.nextDocNumber++);
			const duplicate =
				this.duplicateDocNumberCheck &&
				payload.DocNumber !== undefined &&
				this.invoices.find((invoice) => String(invoice.DocNumber).toLowerCase() === String(payload.DocNumber).toLowerCase());
			if (duplicate) {
				return { bId: item.bId, ...fault('6140', 'Duplicate Document Number Error', `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${payload.DocNumber} is assigned to TxnType=Invoice with TxnId=${duplicate.Id}`) };
			}
			const created = { ...structuredClone(payload), Id: String(this.nextId++), SyncToken: '0', TotalAmt: 1, MetaData: { CreateTime: '2026-10-01T00:00:00Z' } };
			this.invoices.push(created);
			return { bId: item.bId, Invoice: structuredClone(created) };
		}
		const existing = this.invoices.find((invoice) => invoice.Id === payload.Id);
		if (!existing) return { bId: item.bId, ...fault('610', 'Object Not Found', `Object Not Found : Invoice ${payload.Id}`) };
		if (String(existing.SyncToken) !== String(payload.SyncToken)) {
			return { bId: item.bId, ...fault('5010', 'Stale Object Error', `Stale Object Error : You and ${'someone else'} were working on this at the same time.`) };
		}
		if (item.operation === 'delete') {
			this.invoices.splice(this.invoices.indexOf(existing), 1);
			return { bId: item.bId, Invoice: { Id: existing.Id, status: 'Deleted', domain: 'QBO' } };
		}
		if (item.optionsData === 'void') {
			existing.PrivateNote = `Voided\n${existing.PrivateNote ?? ''}`;
			existing.TotalAmt = 0;
		} else {
			const { Id: _id, SyncToken: _token, sparse: _sparse, ...changes } = payload;
			Object.assign(existing, changes);
		}
		existing.SyncToken = String(Number(existing.SyncToken) + 1);
		return { bId: item.bId, Invoice: structuredClone(existing) };
	}
}
