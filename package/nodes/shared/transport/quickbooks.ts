/**
 * QuickBooks Online transport: URLs per environment and company, minorversion, safe queries,
 * paging, /batch, retries on throttling and outages, and at most 8 requests in flight per company
 * and process (the credential's "Max Requests in Flight" setting).
 * Every call goes through n8n's httpRequestWithAuthentication so n8n refreshes OAuth tokens.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import {
	DEFAULT_RETRY_POLICY,
	type HttpFailure,
	type RetryDecision,
	type RetryPolicy,
	Semaphore,
	describeHttpFailure,
	retryAfterMs,
	withRetries,
} from './retry';
import { chunk, mapWithConcurrency } from '../collections';
import { registerCredentialSecrets, redactSecrets } from '../errors';
import { customBaseUrl } from './customBaseUrl';
import { sendWithAuthentication } from './http';
import { companyPacer, type PacerClock, type QuickBooksPacer } from './quickbooksRateLimit';

export const QUICKBOOKS_CREDENTIAL_TYPE = 'quickBooksInvoiceSyncOAuth2Api';
export const QUICKBOOKS_MINOR_VERSION = '75';
export const QUICKBOOKS_MAX_RESULTS = 1000;
export const QUICKBOOKS_BATCH_SIZE = 30;
/** Intuit answers 429 above 10 concurrent requests per company; 8 leaves room for other apps. */
export const QUICKBOOKS_MAX_IN_FLIGHT = 8;
/** Intuit's limit of concurrent requests per company and app. */
export const QUICKBOOKS_CONCURRENT_LIMIT = 10;

/**
 * The credential's "Max Requests in Flight (per n8n Process)" as a whole number from 1 to Intuit's
 * 10; empty (a credential saved before the setting existed) or not a number is the default 8.
 */
export function readMaxInFlight(value: unknown): number {
	const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
	if (!Number.isFinite(number)) return QUICKBOOKS_MAX_IN_FLIGHT;
	return Math.min(QUICKBOOKS_CONCURRENT_LIMIT, Math.max(1, Math.floor(number)));
}
/**
 * Intuit: "The maximum number of objects that can be returned in a response is 1000", for a whole
 * /batch answer. Queries sent together therefore share 1,000 rows: 10 queries of at most 100 rows,
 * and a query that fills its share is continued, never read as complete.
 */
export const QUICKBOOKS_BATCH_RESPONSE_CAP = 1000;
export const QUICKBOOKS_BATCH_QUERY_ROWS = 100;
/**
 * Values per `IN (...)` clause: fewer than a query's 100-row share, so the usual one row per value
 * (plus a few duplicates or inactive twins) ends the query without a continuation page.
 */
export const QUICKBOOKS_IN_CHUNK = 90;
export const QUICKBOOKS_QUERIES_PER_BATCH = QUICKBOOKS_BATCH_RESPONSE_CAP / QUICKBOOKS_BATCH_QUERY_ROWS;

const API_HOSTS: Record<string, string> = {
	production: 'https://quickbooks.api.intuit.com',
	sandbox: 'https://sandbox-quickbooks.api.intuit.com',
};
const APP_HOSTS: Record<string, string> = {
	production: 'https://app.qbo.intuit.com',
	sandbox: 'https://app.sandbox.qbo.intuit.com',
};

export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IWebhookFunctions;

export interface QuickBooksFaultError {
	code: string;
	message: string;
	detail: string;
	element?: string;
}

/** A QuickBooks `Fault` response (HTTP error or a Fault inside a 200 / batch item). */
export class QuickBooksFault extends Error {
	readonly status?: number;
	readonly type: string;
	readonly errors: QuickBooksFaultError[];
	readonly intuitTid?: string;
	attempts?: number;

	constructor(type: string, rawErrors: QuickBooksFaultError[], status?: number, intuitTid?: string) {
		// QuickBooks has echoed the bare access token in a Fault's Detail: never keep it.
		const errors = rawErrors.map((error) => ({ ...error, message: redactSecrets(error.message), detail: redactSecrets(error.detail) }));
		super(errors.map((error) => `${error.code}: ${error.message}${error.detail ? ` (${error.detail})` : ''}`).join('; ') || type);
		this.name = 'QuickBooksFault';
		this.type = type;
		this.errors = errors;
		this.status = status;
		this.intuitTid = intuitTid;
	}

	get code(): string {
		return this.errors[0]?.code ?? '';
	}

	hasCode(...codes: string[]): boolean {
		return this.errors.some((error) => codes.includes(error.code));
	}
}

/** A failure that is not a Fault: throttling or outage that outlasted the retries, network errors. */
export class QuickBooksTransportError extends Error {
	readonly status?: number;
	readonly kind: 'throttled' | 'unavailable' | 'network' | 'auth' | 'unexpected';
	readonly intuitTid?: string;
	attempts?: number;

	constructor(kind: QuickBooksTransportError['kind'], message: string, status?: number, intuitTid?: string) {
		super(message);
		this.name = 'QuickBooksTransportError';
		this.kind = kind;
		this.status = status;
		this.intuitTid = intuitTid;
	}
}

/** One entry of a Fault's Error list, as QuickBooks spells its fields (or in lower case). */
type FaultEntry = { code?: unknown; Message?: unknown; message?: unknown; Detail?: unknown; detail?: unknown; element?: unknown } | null | undefined;

/** Reads a Fault from any of the envelopes QuickBooks uses (Fault / fault, Error / error). */
export function parseFault(body: unknown, status?: number, intuitTid?: string): QuickBooksFault | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const record = body as { Fault?: unknown; fault?: unknown };
	const fault = (record.Fault ?? record.fault) as { type?: unknown; Error?: unknown; error?: unknown } | undefined;
	if (!fault || typeof fault !== 'object') return undefined;
	const rawErrors = (fault.Error ?? fault.error ?? []) as FaultEntry | FaultEntry[];
	const errors = (Array.isArray(rawErrors) ? rawErrors : [rawErrors]).map((error) => ({
		code: String(error?.code ?? ''),
		message: String(error?.Message ?? error?.message ?? ''),
		detail: String(error?.Detail ?? error?.detail ?? ''),
		element: error?.element ? String(error.element) : undefined,
	}));
	return new QuickBooksFault(String(fault.type ?? 'Fault'), errors, status, intuitTid);
}

/** Escapes a value for a single-quoted QuickBooks query literal: backslash first, then quote. */
export function escapeQueryValue(value: string): string {
	return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

export function quoteQueryValue(value: string): string {
	return `'${escapeQueryValue(value)}'`;
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;
const ENTITY_NAME = /^[A-Z][A-Za-z]*$/;

/** Field and entity names are code, never input; refuse anything that is not a plain name. */
export function assertQueryName(name: string, kind: 'field' | 'entity' = 'field'): string {
	if (!(kind === 'entity' ? ENTITY_NAME : FIELD_NAME).test(name)) {
		throw new Error(`"${name}" is not a valid QuickBooks ${kind} name`);
	}
	return name;
}

export interface QueryCondition {
	field: string;
	op: '=' | '<' | '>' | '<=' | '>=' | 'LIKE' | 'IN';
	value: string | number | boolean | Array<string | number | boolean>;
}

function literal(value: string | number | boolean): string {
	if (typeof value === 'string') return quoteQueryValue(value);
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (!Number.isFinite(value)) throw new Error('query numbers must be finite');
	return String(value);
}

/**
 * Builds `SELECT * FROM Entity WHERE …` with every value escaped; no input can change the query.
 * `SELECT *` is the only form Intuit documents besides count(*) (projections are not supported);
 * it returns Sku, which exists since minorversion 4, at the minorversion we send.
 */
export function buildQuery(
	entity: string,
	conditions: QueryCondition[] = [],
	options: { startPosition?: number; maxResults?: number; orderBy?: string } = {},
): string {
	const where = conditions.map((condition) => {
		const field = assertQueryName(condition.field);
		if (condition.op === 'IN') {
			const values = Array.isArray(condition.value) ? condition.value : [condition.value];
			if (values.length === 0) throw new Error('IN needs at least one value');
			return `${field} IN (${values.map(literal).join(', ')})`;
		}
		if (Array.isArray(condition.value)) throw new Error(`${condition.op} takes one value`);
		return `${field} ${condition.op} ${literal(condition.value)}`;
	});
	let query = `SELECT * FROM ${assertQueryName(entity, 'entity')}`;
	if (where.length) query += ` WHERE ${where.join(' AND ')}`;
	if (options.orderBy) query += ` ORDERBY ${assertQueryName(options.orderBy)}`;
	if (options.startPosition) query += ` STARTPOSITION ${Math.max(1, Math.floor(options.startPosition))}`;
	if (options.maxResults) query += ` MAXRESULTS ${Math.min(QUICKBOOKS_MAX_RESULTS, Math.max(1, Math.floor(options.maxResults)))}`;
	return query;
}

/** Records of `entity` whose `field` is one of `values` (see findEachByValues). */
export interface ValueLookup {
	entity: string;
	field: string;
	values: Iterable<string>;
	includeInactive?: boolean;
	extra?: QueryCondition[];
}

/** A lookup's IN queries: its distinct non-empty values, QUICKBOOKS_IN_CHUNK per query. */
function valueLookupQueries(lookup: ValueLookup): QueryCondition[][] {
	const distinct = [...new Set([...lookup.values].filter((value) => value !== ''))];
	return chunk(distinct, QUICKBOOKS_IN_CHUNK).map((group) => [
		{ field: lookup.field, op: 'IN' as const, value: group },
		...(lookup.includeInactive ? [{ field: 'Active', op: 'IN' as const, value: [true, false] }] : []),
		...(lookup.extra ?? []),
	]);
}

export interface QuickBooksConnection {
	environment: string;
	apiBaseUrl: string;
	realmId: string;
	/** Base for links that open records in the QuickBooks web app. */
	appBaseUrl: string;
	/** Requests this process may have in flight for the company at once. */
	maxInFlight: number;
}

export async function getQuickBooksConnection(context: RequestContext): Promise<QuickBooksConnection> {
	const credentials = (await context.getCredentials(QUICKBOOKS_CREDENTIAL_TYPE)) as IDataObject;
	registerCredentialSecrets(credentials);
	const custom = customBaseUrl(credentials);
	const environment = custom ? 'custom' : String(credentials.environment ?? 'production');
	const apiBaseUrl = custom ?? (API_HOSTS[environment] ?? API_HOSTS.production).replace(/\/+$/, '');
	const tokenData = (credentials.oauthTokenData ?? {}) as IDataObject;
	const callback = (tokenData.callbackQueryString ?? {}) as IDataObject;
	const realmId = String(credentials.realmIdOverride || callback.realmId || tokenData.realmId || '').trim();
	if (!realmId) {
		throw new QuickBooksTransportError(
			'auth',
			'The QuickBooks credential has no company ID: reconnect it (the company ID comes from the OAuth connection) or set the Company ID override',
		);
	}
	// A custom environment (a proxy or simulator) serves its app links under its own base URL.
	const appBaseUrl = custom ?? APP_HOSTS[environment] ?? APP_HOSTS.production;
	return { environment, apiBaseUrl, realmId, appBaseUrl, maxInFlight: readMaxInFlight(credentials.maxRequestsInFlight) };
}

export interface BatchOperation {
	bId: string;
	operation?: 'create' | 'update' | 'delete';
	entity?: string;
	payload?: IDataObject;
	optionsData?: string;
	query?: string;
}

export interface BatchItemResult {
	bId: string;
	entity?: IDataObject;
	queryResponse?: IDataObject;
	fault?: QuickBooksFault;
}

export interface QuickBooksClientOptions {
	retry?: Partial<RetryPolicy>;
	timeoutMs?: number;
	/** Parallel /batch or query calls one client starts; the per-company limit still applies. */
	concurrency?: number;
	/** The pacing's clock (tests set it); waits use the retry policy's sleep. */
	now?: () => number;
}

/**
 * One gate per company, shared by every execution this n8n process runs. Its limit is the setting
 * of the credential last used for the company, so a changed setting applies from the next client.
 */
const companyGates = new Map<string, Semaphore>();
function companyGate(key: string, limit: number): Semaphore {
	let gate = companyGates.get(key);
	if (!gate) {
		gate = new Semaphore(limit);
		companyGates.set(key, gate);
	} else {
		gate.setLimit(limit);
	}
	return gate;
}

/**
 * CompanyInfo and Preferences read in one execution, per company. Tax Map and the upsert both need
 * them and the nodes of an execution run in one process, so the second node reuses the first's
 * reads instead of asking again. The last few executions are kept; a new execution reads afresh.
 */
const companyReadsByExecution = new Map<string, Map<string, Promise<unknown>>>();
const EXECUTIONS_KEPT = 16;

function companyReadCache(context: RequestContext, connection: QuickBooksConnection): Map<string, Promise<unknown>> {
	let executionId: string | undefined;
	try {
		executionId = context.getExecutionId();
	} catch {
		// Contexts without an execution (loading options) read per client.
	}
	if (!executionId) return new Map();
	const key = `${executionId}|${connection.apiBaseUrl}|${connection.realmId}`;
	let cache = companyReadsByExecution.get(key);
	if (!cache) {
		cache = new Map();
		companyReadsByExecution.set(key, cache);
		if (companyReadsByExecution.size > EXECUTIONS_KEPT) companyReadsByExecution.delete(companyReadsByExecution.keys().next().value!);
	}
	return cache;
}

export interface RequestOptions {
	qs?: IDataObject;
	body?: unknown;
	/** Idempotency key: QuickBooks answers a repeated id with the original response. */
	requestId?: string;
	contentType?: string;
}

export class QuickBooksClient {
	/** Requests sent (attempts included), for tests and benchmarks. */
	requestCount = 0;

	private readonly policy: RetryPolicy;
	private readonly gate: Semaphore;
	private readonly pacer: QuickBooksPacer;
	private readonly clock: PacerClock;
	private readonly cache: Map<string, Promise<unknown>>;

	constructor(
		private readonly context: RequestContext,
		readonly connection: QuickBooksConnection,
		private readonly options: QuickBooksClientOptions = {},
	) {
		this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
		this.gate = companyGate(`${connection.apiBaseUrl}|${connection.realmId}`, connection.maxInFlight ?? QUICKBOOKS_MAX_IN_FLIGHT);
		this.pacer = companyPacer(`${connection.apiBaseUrl}|${connection.realmId}`);
		this.clock = { now: options.now ?? Date.now, sleep: this.policy.sleep };
		this.cache = companyReadCache(context, connection);
	}

	static async create(context: RequestContext, options?: QuickBooksClientOptions): Promise<QuickBooksClient> {
		return new QuickBooksClient(context, await getQuickBooksConnection(context), options);
	}

	get companyUrl(): string {
		return `${this.connection.apiBaseUrl}/v3/company/${encodeURIComponent(this.connection.realmId)}`;
	}

	/** Link that opens an invoice in QuickBooks. */
	invoiceUrl(id: string): string {
		return `${this.connection.appBaseUrl}/app/invoice?txnId=${encodeURIComponent(id)}`;
	}

	async request<T = IDataObject>(method: IHttpRequestMethods, path: string, options: RequestOptions = {}): Promise<T> {
		const qs: IDataObject = { minorversion: QUICKBOOKS_MINOR_VERSION, ...options.qs };
		if (options.requestId) qs.requestid = options.requestId;
		const request: IHttpRequestOptions = {
			method,
			url: `${this.companyUrl}${path}`,
			qs,
			headers: {
				Accept: 'application/json',
				...(options.body !== undefined ? { 'Content-Type': options.contentType ?? 'application/json' } : {}),
			},
			body: options.body as IHttpRequestOptions['body'],
			json: options.contentType === undefined,
			timeout: this.options.timeoutMs ?? 60_000,
		};
		const kind = path === '/batch' ? 'batch' : 'other';
		const response = await withRetries(
			async () => await this.paced(kind, async () => await sendWithAuthentication(this.context, QUICKBOOKS_CREDENTIAL_TYPE, request, { oAuth2: true })),
			(_error, failure) => classifyQuickBooksFailure(failure),
			this.policy,
		).catch((error) => {
			throw toQuickBooksError(error);
		});
		const parsed = typeof response === 'string' ? safeJson(response) : response;
		// QuickBooks can answer 200 with a Fault in the body.
		const fault = parseFault(parsed);
		if (fault) throw fault;
		return parsed as T;
	}

	/**
	 * One attempt: an in-flight slot, then the company's budgets (see quickbooksRateLimit.ts). In
	 * that order, so a request queued behind the in-flight cap sees a throttle the ones ahead of it
	 * met and waits for the window instead of being refused too.
	 */
	private async paced<T>(kind: 'batch' | 'other', send: () => Promise<T>): Promise<T> {
		return await this.gate.run(async () => {
			await this.pacer.acquire(kind, this.clock);
			let throttled = false;
			const noteThrottle = async (error: unknown): Promise<T> => {
				throttled = isThrottle(describeHttpFailure(error));
				return await Promise.reject(error);
			};
			try {
				this.requestCount++;
				return await send().catch(noteThrottle);
			} finally {
				this.pacer.release(kind, this.clock.now(), throttled);
			}
		});
	}

	/** One page of a query (POST /query keeps long IN lists out of the URL). */
	async queryPage<T = IDataObject>(query: string): Promise<{ entities: T[]; entity?: string; response: IDataObject }> {
		const response = await this.request<IDataObject>('POST', '/query', {
			body: query,
			contentType: 'application/text',
		});
		return readQueryResponse<T>(response.QueryResponse as IDataObject | undefined);
	}

	/** Every row of a query, paging STARTPOSITION/MAXRESULTS 1000 until a short page. */
	async queryAll<T = IDataObject>(entity: string, conditions: QueryCondition[] = []): Promise<T[]> {
		const rows: T[] = [];
		for (let start = 1; ; start += QUICKBOOKS_MAX_RESULTS) {
			const page = await this.queryPage<T>(
				buildQuery(entity, conditions, { startPosition: start, maxResults: QUICKBOOKS_MAX_RESULTS }),
			);
			rows.push(...page.entities);
			if (page.entities.length < QUICKBOOKS_MAX_RESULTS) return rows;
		}
	}

	/**
	 * Runs several queries of one entity for as few HTTP calls as possible (see queryEach); their
	 * rows together.
	 */
	async queryMany<T = IDataObject>(entity: string, queries: QueryCondition[][]): Promise<T[]> {
		return (await this.queryEach<T>(queries.map((conditions) => ({ entity, conditions })))).flat();
	}

	/**
	 * Runs queries, of any entities, for as few HTTP calls as possible: one query goes straight to
	 * /query, more go as /batch calls of 10 queries of at most 100 rows each, so no answer can pass
	 * QuickBooks' 1,000-object cap. A query that fills its share is continued with plain paging.
	 * Rows per query, in order.
	 */
	async queryEach<T = IDataObject>(queries: Array<{ entity: string; conditions: QueryCondition[] }>): Promise<T[][]> {
		if (queries.length === 0) return [];
		if (queries.length === 1) return [await this.queryAll<T>(queries[0].entity, queries[0].conditions)];
		const operations = queries.map(({ entity, conditions }, index) => ({
			bId: `q${index}`,
			query: buildQuery(entity, conditions, { maxResults: QUICKBOOKS_BATCH_QUERY_ROWS }),
		}));
		const results = await this.batch(operations, undefined, QUICKBOOKS_QUERIES_PER_BATCH);
		const rows: T[][] = [];
		for (const [index, { entity, conditions }] of queries.entries()) {
			const result = results.get(`q${index}`);
			if (!result) throw new QuickBooksTransportError('unexpected', `batch answer is missing query q${index}`);
			if (result.fault) throw result.fault;
			const page = readQueryResponse<T>(result.queryResponse);
			rows.push(page.entities);
			if (page.entities.length >= QUICKBOOKS_BATCH_QUERY_ROWS) {
				// A full share may not be all: fetch the rest with plain paging.
				for (let start = page.entities.length + 1; ; start += QUICKBOOKS_MAX_RESULTS) {
					const next = await this.queryPage<T>(
						buildQuery(entity, conditions, { startPosition: start, maxResults: QUICKBOOKS_MAX_RESULTS }),
					);
					page.entities.push(...next.entities);
					if (next.entities.length < QUICKBOOKS_MAX_RESULTS) break;
				}
			}
		}
		return rows;
	}

	/**
	 * Finds records whose `field` is one of `values` with `IN (...)` queries of 90 values, all
	 * sent together. Comparison case follows QuickBooks; callers re-check exact matches.
	 */
	async findByValues<T = IDataObject>(
		entity: string,
		field: string,
		values: Iterable<string>,
		options: { includeInactive?: boolean; extra?: QueryCondition[] } = {},
	): Promise<T[]> {
		const [rows] = await this.findEachByValues<T>([{ entity, field, values, ...options }]);
		return rows;
	}

	/**
	 * Several findByValues lookups with all their IN queries sent together (see queryEach): two
	 * lookups of one query each take one /batch, not two /query calls. Rows per lookup, in order.
	 */
	async findEachByValues<T = IDataObject>(lookups: ValueLookup[]): Promise<T[][]> {
		const queries = lookups.flatMap((lookup, owner) => valueLookupQueries(lookup).map((conditions) => ({ owner, entity: lookup.entity, conditions })));
		const rows = await this.queryEach<T>(queries);
		return lookups.map((_lookup, owner) => queries.flatMap((query, index) => (query.owner === owner ? rows[index] : [])));
	}

	/**
	 * Sends operations through /batch in chunks of 30 (several chunks in parallel, under the
	 * company gate). Results are correlated by bId; a per-operation Fault becomes `fault`.
	 */
	async batch(
		operations: BatchOperation[],
		requestIdFor?: (chunkOps: BatchOperation[]) => string | undefined,
		operationsPerCall = QUICKBOOKS_BATCH_SIZE,
	): Promise<Map<string, BatchItemResult>> {
		const results = new Map<string, BatchItemResult>();
		const chunks = chunk(operations, Math.min(QUICKBOOKS_BATCH_SIZE, operationsPerCall));
		await mapWithConcurrency(chunks, this.options.concurrency ?? 4, async (chunkOps) => {
			const body = {
				BatchItemRequest: chunkOps.map((operation) => {
					if (operation.query !== undefined) return { bId: operation.bId, Query: operation.query };
					const entry: IDataObject = { bId: operation.bId, operation: operation.operation };
					if (operation.optionsData) entry.optionsData = operation.optionsData;
					entry[assertQueryName(operation.entity ?? '', 'entity')] = operation.payload ?? {};
					return entry;
				}),
			};
			const response = await this.request<IDataObject>('POST', '/batch', {
				body,
				requestId: requestIdFor?.(chunkOps),
			});
			const items = (response.BatchItemResponse ?? []) as IDataObject[];
			for (const item of items) {
				const bId = String(item.bId);
				const result: BatchItemResult = { bId };
				const fault = parseFault(item);
				if (fault) result.fault = fault;
				else if (item.QueryResponse) result.queryResponse = item.QueryResponse as IDataObject;
				else {
					const entityKey = Object.keys(item).find((key) => key !== 'bId' && /^[A-Z]/.test(key));
					if (entityKey) result.entity = item[entityKey] as IDataObject;
				}
				results.set(bId, result);
			}
		});
		return results;
	}

	async read<T = IDataObject>(entity: string, id: string): Promise<T> {
		const response = await this.request<IDataObject>('GET', `/${entity.toLowerCase()}/${encodeURIComponent(id)}`);
		return response[entity] as T;
	}

	async write<T = IDataObject>(entity: string, payload: IDataObject, options: { requestId?: string; operation?: string } = {}): Promise<T> {
		const response = await this.request<IDataObject>('POST', `/${entity.toLowerCase()}`, {
			body: payload,
			requestId: options.requestId,
			qs: options.operation ? { operation: options.operation } : undefined,
		});
		return response[entity] as T;
	}

	/** Read once per execution and company (see companyReadCache): CompanyInfo and Preferences rarely change. */
	async companyInfo(): Promise<IDataObject> {
		return await this.cached('companyInfo', async () => {
			const response = await this.request<IDataObject>('GET', `/companyinfo/${encodeURIComponent(this.connection.realmId)}`);
			return response.CompanyInfo as IDataObject;
		});
	}

	async preferences(): Promise<IDataObject> {
		return await this.cached('preferences', async () => {
			const response = await this.request<IDataObject>('GET', '/preferences');
			return response.Preferences as IDataObject;
		});
	}

	private async cached<T>(key: string, load: () => Promise<T>): Promise<T> {
		let entry = this.cache.get(key) as Promise<T> | undefined;
		if (!entry) {
			entry = load();
			this.cache.set(key, entry);
			entry.catch(() => this.cache.delete(key));
		}
		return await entry;
	}
}

function readQueryResponse<T>(response: IDataObject | undefined): { entities: T[]; entity?: string; response: IDataObject } {
	const body = response ?? {};
	const entity = Object.keys(body).find((key) => Array.isArray(body[key]));
	return { entities: entity ? (body[entity] as T[]) : [], entity, response: body };
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

function isThrottle(failure: HttpFailure): boolean {
	if (failure.status === 429) return true;
	const fault = parseFault(failure.body);
	if (fault?.hasCode('3001')) return true;
	return failure.status === 403 && /ThrottleExceeded/i.test(JSON.stringify(failure.body ?? ''));
}

/** Throttling, 5xx and network failures are retried; everything else is answered at once. */
export function classifyQuickBooksFailure(failure: HttpFailure): RetryDecision {
	if (failure.credentialInvalid) return { retry: false };
	// QuickBooks counts 500 requests and 40 /batch calls per company per minute: a throttled
	// request must be able to wait out a whole minute, not give up after the usual ~15 s of backoff.
	if (isThrottle(failure)) return { retry: true, delayMs: retryAfterMs(failure.headers), rateLimitWindow: true };
	if (failure.status !== undefined && failure.status >= 500) return { retry: true };
	if (failure.status === undefined && failure.networkCode) return { retry: true };
	return { retry: false };
}

/** The token endpoint's OAuth error (`invalid_grant` after a revoked or expired refresh token). */
export function isOAuthRefreshFailure(failure: HttpFailure): boolean {
	const body = failure.body as Record<string, unknown> | undefined;
	return Boolean(body && typeof body === 'object' && typeof body.error === 'string' && /^invalid_(grant|client|token)$/.test(body.error));
}

/** Turns whatever the HTTP layer threw into a QuickBooksFault or QuickBooksTransportError. */
export function toQuickBooksError(error: unknown): Error {
	if (error instanceof QuickBooksFault || error instanceof QuickBooksTransportError) return error;
	const failure = describeHttpFailure(error);
	const attempts = (error as { attempts?: number })?.attempts;
	const intuitTid = failure.headers['intuit_tid'];
	let result: QuickBooksFault | QuickBooksTransportError;
	if (isThrottle(failure)) {
		result = new QuickBooksTransportError('throttled', 'QuickBooks throttled the requests (429)', failure.status, intuitTid);
	} else if (isOAuthRefreshFailure(failure) || failure.credentialInvalid) {
		result = new QuickBooksTransportError('auth', 'the QuickBooks token could not be refreshed', failure.status);
	} else {
		const fault = parseFault(failure.body, failure.status, intuitTid);
		if (fault && failure.status !== undefined && failure.status < 500) result = fault;
		else if (failure.status === 401) result = new QuickBooksTransportError('auth', 'QuickBooks answered 401 Unauthorized', 401, intuitTid);
		else if (failure.status !== undefined && failure.status >= 500)
			result = new QuickBooksTransportError('unavailable', `QuickBooks answered HTTP ${failure.status}`, failure.status, intuitTid);
		else if (failure.networkCode)
			result = new QuickBooksTransportError('network', `network error ${failure.networkCode}`, undefined, intuitTid);
		else if (failure.status === undefined && /oauth|token|invalid_grant|credentials/i.test(failure.message))
			result = new QuickBooksTransportError('auth', 'the QuickBooks token could not be refreshed');
		else
			result = new QuickBooksTransportError(
				'unexpected',
				failure.status ? `QuickBooks answered HTTP ${failure.status}` : 'QuickBooks request failed',
				failure.status,
				intuitTid,
			);
	}
	result.attempts = attempts;
	return result;
}
