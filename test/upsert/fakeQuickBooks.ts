/**
 * A nock'd QuickBooks company for the upsert's node tests: CompanyInfo, Preferences, /query and
 * /batch (queries, create, sparse update, void) over an in-memory invoice list, with hooks to
 * inject per-operation faults and HTTP failures. Records every request so tests can assert the
 * node's exact calls and how many it made.
 */
import nock from 'nock';

import type { HarnessCredentials } from '../harness';
import { hubSpotTestCredentials, quickBooksTestCredentials } from '../fixtures/credentials';

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
	private nextId = 500;

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
			return [200, { BatchItemResponse: items.map((item) => this.batchItem(item)) }];
		}
		return [404, { error: `fake QuickBooks has no ${method} ${path}` }];
	}

	/** `SELECT * FROM Invoice WHERE <Field> IN ('a', 'b') ...` — the only shape the upsert sends. */
	query(text: string): Record<string, any> {
		const match = /FROM Invoice WHERE (\w+) IN \((.*)\)/.exec(text);
		if (!match) throw new Error(`fake QuickBooks cannot run: ${text}`);
		const values = [...match[2].matchAll(/'((?:\\.|[^'\\])*)'/g)].map((value) => value[1].replace(/\\(.)/g, '$1').toLowerCase());
		const rows = this.invoices.filter((invoice) => values.includes(String(invoice[match[1]]).toLowerCase()));
		return rows.length ? { Invoice: rows.map((row) => structuredClone(row)), startPosition: 1, maxResults: rows.length } : {};
	}

	private batchItem(item: BatchItem): Record<string, any> {
		if (item.Query !== undefined) return { bId: item.bId, QueryResponse: this.query(item.Query) };
		const injected = this.faultFor(item);
		if (injected) return { bId: item.bId, ...injected };
		const payload = item.Invoice ?? {};
		if (item.operation === 'create') {
			const duplicate = this.invoices.find((invoice) => String(invoice.DocNumber).toLowerCase() === String(payload.DocNumber).toLowerCase());
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
