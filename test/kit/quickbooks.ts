/**
 * A QuickBooks company behind nock for node tests. One fake for every node:
 * - records every request (`log`) and, in `requests`, the node's own lookups and writes (every
 *   request except the CompanyInfo and Preferences reads the company answered);
 * - `respond` answers any request first (a test's own company model, an HTTP fault, a token refresh);
 * - CompanyInfo and Preferences come from `companyInfo` and `preferences`;
 * - /query and /batch run over in-memory entities (`entities`, with `items` and `invoices` at hand):
 *   WHERE with IN, = and LIKE compared ignoring case as QuickBooks does, Id order, STARTPOSITION and
 *   MAXRESULTS; batch creates, full and sparse updates, voids and deletes, with QuickBooks' faults
 *   (6240 duplicate name, 6140 duplicate DocNumber, 610 not found, 5010 stale SyncToken);
 * - `faultFor` fails a batch write before it is applied; `batchResponseCap` cuts long batch answers.
 */
import nock from 'nock';

export const QBO_BASE = 'https://qbo.test';
export const REALM = '4620816365000001';
export const COMPANY_PATH = `/v3/company/${REALM}`;

/** Preferences of a US company in USD without multicurrency and with open books. */
export const DEFAULT_PREFERENCES = {
	CurrencyPrefs: { HomeCurrency: { value: 'USD' }, MultiCurrencyEnabled: false },
	AccountingInfoPrefs: {},
	SalesFormsPrefs: { CustomTxnNumbers: true, AllowDiscount: true },
};

export type Row = Record<string, any>;

export interface BatchItem {
	bId: string;
	operation?: string;
	optionsData?: string;
	Query?: string;
	Invoice?: Row;
	Item?: Row;
	Customer?: Row;
	[entity: string]: unknown;
}

export interface RecordedRequest {
	method: string;
	/** The URL's path, without the query string. */
	path: string;
	/** The path below the company (`/query`, `/batch`, `/preferences` …); the whole path outside it. */
	route: string;
	/** Query-string parameters (minorversion, requestid …). */
	params: Record<string, string>;
	requestId?: string;
	/** The parsed body (the query text for /query). */
	body: any;
	/** The query text of a /query, or the Query texts of a /batch. */
	queries: string[];
	/** The write operations of a /batch. */
	writes: BatchItem[];
}

export interface Answer {
	status?: number;
	body: unknown;
	headers?: Record<string, string>;
}

export type FaultBody = { Fault: { type: string; Error: Array<{ code: string; Message: string; Detail: string; element?: string }> } };

export function fault(code: string, message: string, detail = '', element?: string): FaultBody {
	return { Fault: { type: 'ValidationFault', Error: [{ code, Message: message, Detail: detail, ...(element ? { element } : {}) }] } };
}

/** QuickBooks' answer when a create reuses a name (Item.Name, Customer.DisplayName). */
export function duplicateNameFault(): FaultBody {
	return fault('6240', 'Duplicate Name Exists Error', 'The name supplied already exists. : Another product or service is already using this name.', 'Name');
}

/** QuickBooks' answer to a query. */
export function queryResponse(entity: string, rows: unknown[]): unknown {
	return { QueryResponse: rows.length ? { [entity]: rows, startPosition: 1, maxResults: rows.length } : {}, time: '2026-10-01T00:00:00.000-07:00' };
}

/** The items of a /batch request. */
export function batchItems(request: { body: unknown }): Array<Record<string, any>> {
	return (request.body as { BatchItemRequest?: Array<Record<string, any>> })?.BatchItemRequest ?? [];
}

export interface FakeQuickBooksOptions {
	baseUrl?: string;
	realmId?: string;
	/** Rows per entity (`Item`, `Invoice`, `Customer` …); copied. */
	entities?: Record<string, Row[]>;
	items?: Row[];
	invoices?: Row[];
	/** Preferences (default `DEFAULT_PREFERENCES`); copied. */
	preferences?: Row;
	/** CompanyInfo (default a US company); copied. */
	companyInfo?: Row;
	/** Shorthand for `companyInfo.Country`. */
	country?: string;
	/** First Id given to a created entity. */
	firstId?: number;
	respond?: FakeQuickBooks['respond'];
	faultFor?: FakeQuickBooks['faultFor'];
	/** Without a company: what `respond` leaves unanswered gets a 404 fault (company reads excepted). */
	company?: boolean;
}

/** Fields QuickBooks keeps unique per entity, ignoring case. */
const UNIQUE_NAME: Record<string, string> = { Item: 'Name', Customer: 'DisplayName' };

type Literal = string | boolean | number;

/** Reads the literals of `(a, b, ...)` or a single literal, undoing the backslash escapes. */
function parseLiterals(text: string): Literal[] {
	const values: Literal[] = [];
	for (const match of text.matchAll(/'((?:[^'\\]|\\.)*)'|(true|false)|(-?\d+(?:\.\d+)?)/gs)) {
		if (match[1] !== undefined) values.push(match[1].replace(/\\(.)/gs, '$1'));
		else if (match[2] !== undefined) values.push(match[2] === 'true');
		else values.push(Number(match[3]));
	}
	return values;
}

interface Condition {
	field: string;
	values: Literal[];
	like: boolean;
	/** A comparison (`>=`, `>`, `<=`, `<`): dates by their time, else text. */
	compare?: string;
}

/** Splits `WHERE a IN (...) AND b = 'x' AND c LIKE 'p%'` into conditions; literals may contain " AND ". */
function parseWhere(query: string): Condition[] {
	const where = /\bWHERE\b([\s\S]*?)(?:\bORDERBY\b|\bSTARTPOSITION\b|\bMAXRESULTS\b|$)/.exec(query)?.[1] ?? '';
	const pattern = /([\w.]+)\s+(?:IN\s*\(((?:'(?:[^'\\]|\\.)*'|[^')])*)\)|=\s*('(?:[^'\\]|\\.)*'|\w+)|LIKE\s*('(?:[^'\\]|\\.)*')|(>=|<=|>|<)\s*('(?:[^'\\]|\\.)*'))/gs;
	return [...where.matchAll(pattern)].map((match) => ({
		field: match[1],
		values: parseLiterals(match[2] ?? match[3] ?? match[4] ?? match[6]),
		like: match[4] !== undefined,
		...(match[5] ? { compare: match[5] } : {}),
	}));
}

/** LIKE with QuickBooks' only wildcard, %, compared ignoring case. */
function likeMatches(actual: string, pattern: string): boolean {
	const body = pattern.split('%').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
	return new RegExp(`^${body}$`, 'is').test(actual);
}

/** A field's comparable text: references (`{ value }`) and addresses (`{ Address }`) by their value. */
function fieldText(value: unknown): string | undefined {
	if (value && typeof value === 'object') return fieldText((value as Row).value ?? (value as Row).Address);
	return typeof value === 'string' || typeof value === 'number' ? String(value).toLowerCase() : undefined;
}

/** A field by its dotted path (`MetaData.LastUpdatedTime`). */
function fieldAt(row: Row, path: string): unknown {
	return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Row)[key] : undefined), row);
}

/** Orders two values as QuickBooks compares them: date-times by their time, else as text. */
function order(actual: unknown, expected: Literal): number {
	const [left, right] = [Date.parse(String(actual)), Date.parse(String(expected))];
	if (Number.isFinite(left) && Number.isFinite(right)) return left - right;
	return String(actual).localeCompare(String(expected));
}

const COMPARISONS: Record<string, (difference: number) => boolean> = { '>=': (d) => d >= 0, '>': (d) => d > 0, '<=': (d) => d <= 0, '<': (d) => d < 0 };

function matches(row: Row, { field, values, like, compare }: Condition): boolean {
	const actual = fieldAt(row, field);
	if (compare) return actual !== undefined && COMPARISONS[compare](order(actual, values[0]));
	if (field === 'Active') return values.includes(actual !== false);
	if (like) return typeof actual === 'string' && likeMatches(actual, String(values[0]));
	const text = fieldText(actual);
	return text !== undefined && values.some((value) => text === String(value).toLowerCase());
}

/** The entity a batch write carries (`Invoice`, `Item` …). */
function entityOf(item: BatchItem): string {
	return Object.keys(item).find((key) => /^[A-Z]/.test(key) && key !== 'Query') ?? 'Invoice';
}

export class FakeQuickBooks {
	readonly baseUrl: string;
	readonly realmId: string;
	readonly companyPath: string;
	entities: Record<string, Row[]>;
	preferences: Row;
	companyInfo: Row;
	/** Every request received. */
	log: RecordedRequest[] = [];
	/** The node's lookups and writes: every request but the company reads answered from the company. */
	requests: RecordedRequest[] = [];
	/** Answers a request instead of the company (undefined: the company answers). */
	respond: (request: RecordedRequest) => Answer | undefined;
	/** A `{ Fault }` answer for a batch write, returned instead of applying it (undefined: applied). */
	faultFor: (item: BatchItem) => Row | undefined;
	/**
	 * Intuit: "The maximum number of objects that can be returned in a response is 1000" (batch). The
	 * fake cuts a longer /batch answer short, as the worst reading of that cap would.
	 */
	batchResponseCap = 1000;
	/** Most objects one /batch answer would have held before the cap. */
	largestBatchAnswer = 0;
	/** QuickBooks' duplicate-number check (6140); a company can have it off. */
	duplicateDocNumberCheck = true;
	/** Records deleted (by a batch delete, or by a test): CDC reports them as `{ Id, status: 'Deleted', MetaData }`. */
	deleted: Record<string, Row[]> = {};
	/** Intuit: a CDC answer holds at most 1,000 objects (active records first, then deleted ones). */
	cdcCap = 1000;
	/** QuickBooks' clock: the `time` of CDC and query answers (default: the real clock). */
	serverTime?: string;
	private readonly hasCompany: boolean;
	private nextId: number;
	private nextDocNumber = 1001;

	constructor(options: FakeQuickBooksOptions = {}) {
		this.baseUrl = options.baseUrl ?? QBO_BASE;
		this.realmId = options.realmId ?? REALM;
		this.companyPath = `/v3/company/${this.realmId}`;
		this.entities = Object.fromEntries(Object.entries(options.entities ?? {}).map(([name, rows]) => [name, rows.map((row) => ({ ...row }))]));
		if (options.items) this.entities.Item = options.items.map((row) => ({ ...row }));
		if (options.invoices) this.entities.Invoice = options.invoices.map((row) => ({ ...row }));
		this.entities.Item ??= [];
		this.entities.Invoice ??= [];
		this.preferences = structuredClone(options.preferences ?? DEFAULT_PREFERENCES);
		this.companyInfo = structuredClone(options.companyInfo ?? { CompanyName: 'Test Company', Country: 'US' });
		if (options.country) this.companyInfo.Country = options.country;
		this.nextId = options.firstId ?? 1000;
		this.respond = options.respond ?? (() => undefined);
		this.faultFor = options.faultFor ?? (() => undefined);
		this.hasCompany = options.company ?? true;
	}

	get items(): Row[] {
		return this.entities.Item;
	}

	get invoices(): Row[] {
		return this.entities.Invoice;
	}

	install(): this {
		nock(this.baseUrl)
			.persist()
			.get(/.*/)
			.query(true)
			.reply((uri) => this.handle('GET', uri, undefined))
			.post(/.*/)
			.query(true)
			.reply((uri, body) => this.handle('POST', uri, body));
		return this;
	}

	/** Requests under the company (not the token endpoint), optionally those whose path ends with `suffix`. */
	apiRequests(suffix?: string): RecordedRequest[] {
		return this.log.filter((request) => request.path.startsWith(this.companyPath) && (!suffix || request.path.endsWith(suffix)));
	}

	/** Batch writes across all /batch calls. */
	writeItems(): BatchItem[] {
		return this.apiRequests('/batch').flatMap((request) => request.writes);
	}

	private handle(method: string, uri: string, body: unknown): [number, unknown, Record<string, string>?] {
		const request = this.record(method, uri, body);
		this.log.push(request);
		const answer = this.respond(request);
		if (answer) {
			this.requests.push(request);
			return [answer.status ?? 200, answer.body, answer.headers];
		}
		if (method === 'GET' && request.route === `/companyinfo/${this.realmId}`) return [200, { CompanyInfo: this.companyInfo }];
		if (method === 'GET' && request.route === '/preferences') return [200, { Preferences: this.preferences }];
		this.requests.push(request);
		if (!this.hasCompany) return [404, fault('610', `no mock for ${method} ${request.path}`)];
		if (request.path.startsWith(this.companyPath) && request.params.minorversion !== '75') return [400, { error: 'minorversion missing' }];
		if (method === 'POST' && request.route === '/query') return [200, { QueryResponse: this.query(String(request.body)), time: this.serverTime ?? '2026-09-01T00:00:00Z' }];
		if (method === 'GET' && request.route === '/cdc') return [200, this.changeDataCapture(request.params.entities ?? '', request.params.changedSince ?? '')];
		if (method === 'POST' && request.route === '/batch') {
			return [200, { BatchItemResponse: this.capped((batchItems(request) as BatchItem[]).map((item) => this.batchItem(item))), time: '2026-09-01T00:00:00Z' }];
		}
		return [404, fault('610', `fake QuickBooks has no ${method} ${request.path}`)];
	}

	private record(method: string, uri: string, body: unknown): RecordedRequest {
		const url = new URL(uri, this.baseUrl);
		const params = Object.fromEntries(url.searchParams.entries());
		const parsed = typeof body === 'string' && body.trim().startsWith('{') ? JSON.parse(body) : body;
		const route = url.pathname.startsWith(this.companyPath) ? url.pathname.slice(this.companyPath.length) : url.pathname;
		const request: RecordedRequest = { method, path: url.pathname, route, params, requestId: params.requestid, body: parsed, queries: [], writes: [] };
		if (route === '/query') request.queries.push(String(parsed));
		for (const item of route === '/batch' ? (batchItems(request) as BatchItem[]) : []) {
			if (typeof item.Query === 'string') request.queries.push(item.Query);
			else request.writes.push(item);
		}
		return request;
	}

	/** Keeps the objects of a /batch answer within the cap, dropping the rest of the rows. */
	private capped(responses: Row[]): Row[] {
		let left = this.batchResponseCap;
		let total = 0;
		for (const response of responses) {
			const entity = response.QueryResponse && Object.keys(response.QueryResponse).find((key) => Array.isArray(response.QueryResponse[key]));
			const rows: unknown[] | undefined = entity ? response.QueryResponse[entity] : undefined;
			const count = rows ? rows.length : response.Fault ? 0 : 1;
			total += count;
			if (entity && rows) {
				response.QueryResponse[entity] = rows.slice(0, Math.max(0, left));
				response.QueryResponse.maxResults = response.QueryResponse[entity].length;
			}
			left -= count;
		}
		this.largestBatchAnswer = Math.max(this.largestBatchAnswer, total);
		return responses;
	}

	/**
	 * `GET /cdc`: per entity, the records changed at or after `changedSince` in LastUpdatedTime
	 * order, the deleted ones after the others, the whole answer cut at `cdcCap` objects.
	 */
	changeDataCapture(entities: string, changedSince: string): Row {
		const since = Date.parse(changedSince);
		let left = this.cdcCap;
		const responses: Row[] = [];
		for (const entity of entities.split(',').filter(Boolean)) {
			const changed = (rows: Row[]) =>
				rows.filter((row) => Date.parse(row.MetaData?.LastUpdatedTime) >= since).sort((a, b) => Date.parse(a.MetaData.LastUpdatedTime) - Date.parse(b.MetaData.LastUpdatedTime));
			const rows = [...changed(this.entities[entity] ?? []), ...changed(this.deleted[entity] ?? [])].slice(0, Math.max(0, left));
			left -= rows.length;
			if (rows.length) responses.push({ [entity]: rows.map((row) => structuredClone(row)), startPosition: 1, maxResults: rows.length });
		}
		return { CDCResponse: [{ QueryResponse: responses }], time: this.serverTime ?? new Date().toISOString() };
	}

	/** Runs `SELECT * FROM <Entity> [WHERE …] [ORDERBY field] [STARTPOSITION n] [MAXRESULTS n]`, in Id order without ORDERBY. */
	query(text: string): Row {
		const entity = /\bFROM\s+(\w+)/i.exec(text)?.[1];
		if (!entity) throw new Error(`fake QuickBooks cannot run: ${text}`);
		const conditions = parseWhere(text);
		const start = Number(/STARTPOSITION (\d+)/.exec(text)?.[1] ?? 1);
		const max = Number(/MAXRESULTS (\d+)/.exec(text)?.[1] ?? 1000);
		const orderBy = /\bORDERBY\s+([\w.]+)/.exec(text)?.[1];
		const rows = (this.entities[entity] ?? [])
			.filter((row) => conditions.every((condition) => matches(row, condition)))
			.sort((left, right) => (orderBy ? order(fieldAt(left, orderBy), String(fieldAt(right, orderBy))) : 0) || Number(left.Id) - Number(right.Id))
			.slice(start - 1, start - 1 + max);
		return rows.length ? { [entity]: rows.map((row) => structuredClone(row)), startPosition: start, maxResults: rows.length } : {};
	}

	private batchItem(item: BatchItem): Row {
		if (item.Query !== undefined) return { bId: item.bId, QueryResponse: this.query(item.Query) };
		const injected = this.faultFor(item);
		if (injected) return { bId: item.bId, ...injected };
		const entity = entityOf(item);
		const rows = (this.entities[entity] ??= []);
		const payload: Row = structuredClone((item[entity] as Row | undefined) ?? {});
		if (item.operation === 'create') return { bId: item.bId, ...this.create(entity, rows, payload) };
		const existing = rows.find((row) => row.Id === payload.Id);
		if (!existing) return { bId: item.bId, ...fault('610', 'Object Not Found', `Object Not Found : ${entity} ${payload.Id}`) };
		if (payload.SyncToken !== undefined && String(existing.SyncToken) !== String(payload.SyncToken)) {
			return { bId: item.bId, ...fault('5010', 'Stale Object Error', 'Stale Object Error : You and someone else were working on this at the same time.') };
		}
		if (item.operation === 'delete') {
			rows.splice(rows.indexOf(existing), 1);
			(this.deleted[entity] ??= []).push({ Id: existing.Id, status: 'Deleted', domain: 'QBO', MetaData: { LastUpdatedTime: this.serverTime ?? new Date().toISOString() } });
			return { bId: item.bId, [entity]: { Id: existing.Id, status: 'Deleted', domain: 'QBO' } };
		}
		if (item.optionsData === 'void') {
			existing.PrivateNote = `Voided\n${existing.PrivateNote ?? ''}`;
			existing.TotalAmt = 0;
		} else {
			const { Id: _id, SyncToken: _token, sparse: _sparse, ...changes } = payload;
			Object.assign(existing, changes);
		}
		existing.SyncToken = String(Number(existing.SyncToken) + 1);
		return { bId: item.bId, [entity]: structuredClone(existing) };
	}

	private create(entity: string, rows: Row[], payload: Row): Row {
		const nameField = UNIQUE_NAME[entity];
		if (nameField && rows.some((row) => String(row[nameField]).toLowerCase() === String(payload[nameField]).toLowerCase())) return duplicateNameFault();
		if (entity === 'Invoice') {
			// Intuit: with custom transaction numbers off QuickBooks numbers the invoice; with them on and none sent, DocNumber stays empty.
			if (payload.DocNumber === undefined && this.preferences.SalesFormsPrefs?.CustomTxnNumbers === false) payload.DocNumber = String(this.nextDocNumber++);
			const duplicate =
				this.duplicateDocNumberCheck && payload.DocNumber !== undefined && rows.find((row) => String(row.DocNumber).toLowerCase() === String(payload.DocNumber).toLowerCase());
			if (duplicate) {
				return fault('6140', 'Duplicate Document Number Error', `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${payload.DocNumber} is assigned to TxnType=Invoice with TxnId=${duplicate.Id}`);
			}
		}
		const created: Row = { ...payload, Id: String(this.nextId++), SyncToken: '0', ...this.createdFields(entity, payload) };
		rows.push(created);
		return { [entity]: structuredClone(created) };
	}

	/** What QuickBooks fills in on a create. */
	private createdFields(entity: string, payload: Row): Row {
		if (entity === 'Invoice') return { TotalAmt: 1, MetaData: { CreateTime: '2026-10-01T00:00:00Z' } };
		if (entity === 'Item') return { Active: true, FullyQualifiedName: String(payload.Name) };
		return { Active: true };
	}
}

/**
 * Answers QuickBooks requests from `handler` alone (a test's own company model) and returns the
 * recorded requests: the company reads `handler` leaves get a US company and are not recorded; any
 * other request it leaves gets a 404 fault.
 */
export function mockQuickBooks(handler: (request: RecordedRequest) => Answer | undefined, options: Omit<FakeQuickBooksOptions, 'respond' | 'company'> = {}): RecordedRequest[] {
	return new FakeQuickBooks({ ...options, respond: handler, company: false }).install().requests;
}

export function qboCustomer(id: string, email: string | undefined, displayName: string, extra: Row = {}): Row {
	return { Id: id, SyncToken: '0', DisplayName: displayName, Active: true, ...(email !== undefined ? { PrimaryEmailAddr: { Address: email } } : {}), ...extra };
}

export interface QboItem extends Row {
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

/** Installs a company whose catalog holds `items`. */
export function companyWithItems(items: Row[], options: Omit<FakeQuickBooksOptions, 'items'> = {}): FakeQuickBooks {
	return new FakeQuickBooks({ ...options, items }).install();
}
