/**
 * HubSpot transport: retries for the ten-secondly and search-secondly limits (never for the daily
 * one), 5xx and network errors (a create only when nothing reached HubSpot); search paging; batch reads of 100; v4 association batch reads.
 * Every call goes through n8n's httpRequestWithAuthentication (OAuth2 or private-app token).
 */
import type {
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
} from 'n8n-workflow';
import type { Filter, FilterGroup, PublicObjectSearchRequest } from '@hubspot/api-client/lib/codegen/crm/objects/models/all';

import {
	DEFAULT_RETRY_POLICY,
	type HttpFailure,
	type RetryPolicy,
	Semaphore,
	describeHttpFailure,
	retryAfterMs,
	withRetries,
} from './retry';
import { chunk, mapWithConcurrency } from '../collections';
import { redactDeep, redactSecrets, registerCredentialSecrets } from '../errors';
import { customBaseUrl } from './customBaseUrl';
import { sendWithAuthentication } from './http';
import type { RequestContext } from './quickbooks';

/** Each choice of the HubSpot Authentication parameter and the credential type it uses. */
const HUBSPOT_CREDENTIAL_CHOICES = [
	{ authentication: 'oAuth2', credentialType: 'hubSpotInvoiceSyncOAuth2Api' },
	{ authentication: 'appToken', credentialType: 'hubSpotInvoiceSyncAppTokenApi' },
] as const;
export type HubSpotAuthentication = (typeof HUBSPOT_CREDENTIAL_CHOICES)[number]['authentication'];
/** The credential type by HubSpot Authentication choice. */
export const HUBSPOT_CREDENTIAL_TYPES = Object.fromEntries(
	HUBSPOT_CREDENTIAL_CHOICES.map(({ authentication, credentialType }) => [authentication, credentialType]),
) as { readonly [Choice in (typeof HUBSPOT_CREDENTIAL_CHOICES)[number] as Choice['authentication']]: Choice['credentialType'] };

export const HUBSPOT_API_BASE = 'https://api.hubapi.com';
export const HUBSPOT_SEARCH_PAGE_SIZE = 200;
export const HUBSPOT_BATCH_READ_SIZE = 100;
export const HUBSPOT_ASSOCIATION_BATCH_SIZE = 1000;
/** Batch create, update and archive take at most 100 inputs per call. */
export const HUBSPOT_BATCH_WRITE_SIZE = 100;
/** HubSpot caps a search at 10,000 results; paging past it fails. */
export const HUBSPOT_SEARCH_RESULT_CAP = 10_000;
/** Search allows about 4 requests per second per token. */
const SEARCH_MIN_INTERVAL_MS = 260;

export type { Filter as HubSpotFilter, FilterGroup as HubSpotFilterGroup };

/** A CRM object on the wire (dates are ISO strings, every property a string or null). */
export interface HubSpotObject {
	id: string;
	properties: Record<string, string | null>;
	createdAt?: string;
	updatedAt?: string;
	archived?: boolean;
}

export interface HubSpotSearchRequest extends Omit<PublicObjectSearchRequest, 'after' | 'sorts' | 'limit'> {
	after?: string;
	limit?: number;
	sorts?: Array<string | { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }>;
}

/** One input of a batch create: properties, and associations to existing records (v4 type ids). */
export interface HubSpotWriteInput {
	properties: Record<string, string>;
	associations?: Array<{ to: { id: string }; types: Array<{ associationCategory: 'HUBSPOT_DEFINED' | 'USER_DEFINED'; associationTypeId: number }> }>;
}

export interface HubSpotSearchPage {
	total: number;
	results: HubSpotObject[];
	nextAfter?: string;
}

export class HubSpotApiError extends Error {
	readonly status?: number;
	readonly category?: string;
	readonly policyName?: string;
	readonly body?: unknown;
	readonly kind: 'rate-limited' | 'daily-limit' | 'unavailable' | 'network' | 'auth' | 'scope' | 'not-found' | 'rejected';
	/** Scopes HubSpot says are missing (403 MISSING_SCOPES). */
	readonly requiredScopes: string[];
	attempts?: number;

	constructor(kind: HubSpotApiError['kind'], message: string, failure?: HttpFailure) {
		super(redactSecrets(message));
		this.name = 'HubSpotApiError';
		this.kind = kind;
		this.status = failure?.status;
		const body = (redactDeep(failure?.body) ?? {}) as Record<string, unknown>;
		this.category = typeof body.category === 'string' ? body.category : undefined;
		this.policyName = typeof body.policyName === 'string' ? body.policyName : undefined;
		this.body = body;
		this.requiredScopes = extractScopes(body);
	}
}

function extractScopes(body: Record<string, unknown>): string[] {
	const scopes = new Set<string>();
	for (const error of Array.isArray(body.errors) ? body.errors : []) {
		const context = error?.context ?? {};
		for (const key of ['requiredGranularScopes', 'requiredScopes', 'requiredScope']) {
			const value = context[key];
			for (const scope of Array.isArray(value) ? value : value ? [value] : []) scopes.add(String(scope));
		}
	}
	return [...scopes];
}

function policyOf(failure: HttpFailure): string {
	const body = (failure.body ?? {}) as Record<string, unknown>;
	return typeof body.policyName === 'string' ? body.policyName : '';
}

/** Ten-secondly and secondly limits are waited out; the daily limit is not worth retrying today. */
export function classifyHubSpotFailure(failure: HttpFailure): { retry: boolean; delayMs?: number } {
	if (failure.credentialInvalid) return { retry: false };
	if (failure.status === 429) {
		const policy = policyOf(failure);
		if (policy === 'DAILY') return { retry: false };
		const retryAfter = retryAfterMs(failure.headers, 15_000);
		if (retryAfter !== undefined) return { retry: true, delayMs: retryAfter };
		const message = JSON.stringify(failure.body ?? '');
		if (/secondly/i.test(message) && policy !== 'TEN_SECONDLY_ROLLING') return { retry: true, delayMs: 1_000 };
		if (policy === 'TEN_SECONDLY_ROLLING') {
			const interval = Number(failure.headers['x-hubspot-ratelimit-interval-milliseconds']);
			return { retry: true, delayMs: Number.isFinite(interval) && interval > 0 ? Math.min(interval, 10_000) : 10_000 };
		}
		return { retry: true };
	}
	if (failure.status !== undefined && failure.status >= 500) return { retry: true };
	if (failure.status === undefined && failure.networkCode) return { retry: true };
	return { retry: false };
}

/** A create: POST /crm/v3/objects/<type> or …/<type>/batch/create. HubSpot takes no idempotency key for either. */
const CREATE_PATH = /^\/crm\/v3\/objects\/[^/]+(?:\/batch\/create)?$/;

/** Network failures raised before the request left (no connection, no address): nothing reached HubSpot. */
const NOTHING_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * A failed create HubSpot may still have carried out: the connection broke or timed out after the
 * request left, or HubSpot answered 5xx (its error-handling guide does not say a 5xx wrote nothing).
 * Retrying would make every record a second time, so the caller gets an error instead and the next
 * run finds what the first call made (by its link) and finishes it.
 */
export function createOutcomeUnknown(method: IHttpRequestMethods, path: string, failure: HttpFailure): boolean {
	if (method !== 'POST' || !CREATE_PATH.test(path)) return false;
	if (failure.status !== undefined) return failure.status >= 500;
	return !!failure.networkCode && !NOTHING_SENT_CODES.has(failure.networkCode) && !failure.credentialInvalid;
}

function outcomeUnknownError(path: string, error: unknown, failure: HttpFailure): HubSpotApiError {
	const cause = failure.status !== undefined ? `HTTP ${failure.status}` : `network error ${failure.networkCode}`;
	const result = new HubSpotApiError(
		'unavailable',
		`the outcome of the create ${path} is unknown (${cause} after the request was sent; HubSpot may have made the records): not retried, the next run finds what was made and finishes it`,
		failure,
	);
	result.attempts = (error as { attempts?: number })?.attempts;
	return result;
}

export function toHubSpotError(error: unknown): HubSpotApiError {
	if (error instanceof HubSpotApiError) return error;
	const failure = describeHttpFailure(error);
	const body = (failure.body ?? {}) as Record<string, unknown>;
	const hubspotMessage = typeof body.message === 'string' ? body.message : '';
	let result: HubSpotApiError;
	if (failure.status === 429) {
		result = policyOf(failure) === 'DAILY'
			? new HubSpotApiError('daily-limit', 'HubSpot daily API limit reached', failure)
			: new HubSpotApiError('rate-limited', 'HubSpot rate limit reached', failure);
	} else if (failure.credentialInvalid || failure.status === 401 || (failure.status === 400 && /invalid_grant|refresh token/i.test(JSON.stringify(body)))) {
		result = new HubSpotApiError('auth', 'HubSpot rejected the credential (401)', failure);
	} else if (failure.status === 403) {
		const scopes = extractScopes(body);
		result = new HubSpotApiError(
			'scope',
			scopes.length ? `the credential is missing the scope ${scopes.join(', ')}` : hubspotMessage || 'HubSpot answered 403 Forbidden',
			failure,
		);
	} else if (failure.status === 404) {
		result = new HubSpotApiError('not-found', hubspotMessage || 'not found', failure);
	} else if (failure.status !== undefined && failure.status >= 500) {
		result = new HubSpotApiError('unavailable', `HubSpot answered HTTP ${failure.status}`, failure);
	} else if (failure.status === undefined && failure.networkCode) {
		result = new HubSpotApiError('network', `network error ${failure.networkCode}`, failure);
	} else if (failure.status === undefined && /oauth|token|credentials/i.test(failure.message)) {
		result = new HubSpotApiError('auth', 'the HubSpot token could not be refreshed', failure);
	} else {
		result = new HubSpotApiError('rejected', hubspotMessage || `HubSpot answered HTTP ${failure.status ?? '?'}`, failure);
	}
	result.attempts = (error as { attempts?: number })?.attempts;
	return result;
}

/** Spaces searches per token so a busy workflow stays under ~4 searches a second. */
const searchGates = new Map<string, { gate: Semaphore; last: number }>();

export interface HubSpotClientOptions {
	retry?: Partial<RetryPolicy>;
	timeoutMs?: number;
	concurrency?: number;
	now?: () => number;
}

export class HubSpotClient {
	requestCount = 0;

	private readonly policy: RetryPolicy;

	constructor(
		private readonly context: RequestContext,
		readonly authentication: HubSpotAuthentication,
		readonly baseUrl: string,
		private readonly options: HubSpotClientOptions = {},
	) {
		this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
	}

	static async create(
		context: RequestContext,
		authentication: HubSpotAuthentication,
		options?: HubSpotClientOptions,
	): Promise<HubSpotClient> {
		const credentials = (await context.getCredentials(HUBSPOT_CREDENTIAL_TYPES[authentication])) as IDataObject;
		registerCredentialSecrets(credentials);
		const baseUrl = customBaseUrl(credentials) ?? HUBSPOT_API_BASE;
		return new HubSpotClient(context, authentication, baseUrl, options);
	}

	get credentialType(): string {
		return HUBSPOT_CREDENTIAL_TYPES[this.authentication];
	}

	async request<T = IDataObject>(method: IHttpRequestMethods, path: string, options: { qs?: IDataObject; body?: unknown } = {}): Promise<T> {
		const request: IHttpRequestOptions = {
			method,
			url: `${this.baseUrl}${path}`,
			qs: options.qs,
			body: options.body as IHttpRequestOptions['body'],
			json: true,
			headers: { Accept: 'application/json' },
			timeout: this.options.timeoutMs ?? 60_000,
		};
		return await withRetries(
			async () => {
				this.requestCount++;
				return (await sendWithAuthentication(this.context, this.credentialType, request, {
					oAuth2: this.authentication === 'oAuth2',
					// HubSpot's token endpoint wants client id and secret in the refresh body.
					additionalCredentialOptions:
						this.authentication === 'oAuth2' ? { oauth2: { tokenType: 'Bearer', includeCredentialsOnRefreshOnBody: true } } : undefined,
				})) as T;
			},
			(_error, failure) => (createOutcomeUnknown(method, path, failure) ? { retry: false } : classifyHubSpotFailure(failure)),
			this.policy,
		).catch((error) => {
			const failure = describeHttpFailure(error);
			throw createOutcomeUnknown(method, path, failure) ? outcomeUnknownError(path, error, failure) : toHubSpotError(error);
		});
	}

	/** One search page. Searches are spaced per credential to respect the secondly limit. */
	async search(objectType: string, body: HubSpotSearchRequest): Promise<HubSpotSearchPage> {
		const key = `${this.baseUrl}|${this.credentialType}`;
		let entry = searchGates.get(key);
		if (!entry) {
			entry = { gate: new Semaphore(1), last: 0 };
			searchGates.set(key, entry);
		}
		const gateEntry = entry;
		return await gateEntry.gate.run(async () => {
			const now = this.options.now ?? Date.now;
			const wait = gateEntry.last + SEARCH_MIN_INTERVAL_MS - now();
			if (wait > 0) await this.policy.sleep(wait);
			gateEntry.last = now();
			const response = await this.request<IDataObject>('POST', `/crm/v3/objects/${objectType}/search`, {
				body: { limit: HUBSPOT_SEARCH_PAGE_SIZE, ...body },
			});
			const paging = response.paging as IDataObject | undefined;
			const next = paging?.next as IDataObject | undefined;
			return {
				total: Number(response.total ?? 0),
				results: (response.results ?? []) as HubSpotObject[],
				nextAfter: next?.after !== undefined ? String(next.after) : undefined,
			};
		});
	}

	/** Reads objects by id, 100 per call; ids HubSpot does not know come back in `missingIds`. */
	async batchRead(objectType: string, ids: Iterable<string>, properties: string[]): Promise<{ results: Map<string, HubSpotObject>; missingIds: string[] }> {
		const distinct = [...new Set(ids)];
		const results = new Map<string, HubSpotObject>();
		await mapWithConcurrency(chunk(distinct, HUBSPOT_BATCH_READ_SIZE), this.options.concurrency ?? 3, async (group) => {
			const response = await this.request<IDataObject>('POST', `/crm/v3/objects/${objectType}/batch/read`, {
				body: { inputs: group.map((id) => ({ id })), properties, propertiesWithHistory: [] },
			});
			for (const object of (response.results ?? []) as HubSpotObject[]) results.set(String(object.id), object);
		});
		return { results, missingIds: distinct.filter((id) => !results.has(id)) };
	}

	/**
	 * Every result of a search, following `after` (for searches that match few records, such as an
	 * IN filter on a link property; HubSpot refuses to page past 10,000 results).
	 */
	async searchAll(objectType: string, body: HubSpotSearchRequest): Promise<HubSpotObject[]> {
		const results: HubSpotObject[] = [];
		let after: string | undefined;
		do {
			const page = await this.search(objectType, after === undefined ? body : { ...body, after });
			results.push(...page.results);
			after = page.nextAfter;
		} while (after !== undefined && results.length < HUBSPOT_SEARCH_RESULT_CAP);
		return results;
	}

	/**
	 * Creates objects, 100 per call, in order; each input may carry `associations` (v4 types). A
	 * call is all or nothing (HubSpot validates the whole batch), so a failed call throws.
	 */
	async batchCreate(objectType: string, inputs: HubSpotWriteInput[]): Promise<HubSpotObject[]> {
		const created: HubSpotObject[] = [];
		for (const group of chunk(inputs, HUBSPOT_BATCH_WRITE_SIZE)) {
			const response = await this.request<IDataObject>('POST', `/crm/v3/objects/${objectType}/batch/create`, { body: { inputs: group } });
			created.push(...((response.results ?? []) as HubSpotObject[]));
		}
		return created;
	}

	/**
	 * Updates objects, 100 per call. Returns the ids HubSpot reports as not updated (a 207's
	 * `errors[].context.ids`) with its message; a failed call throws.
	 */
	async batchUpdate(objectType: string, inputs: Array<{ id: string; properties: Record<string, string> }>): Promise<Map<string, string>> {
		const failed = new Map<string, string>();
		for (const group of chunk(inputs, HUBSPOT_BATCH_WRITE_SIZE)) {
			const response = await this.request<IDataObject>('POST', `/crm/v3/objects/${objectType}/batch/update`, { body: { inputs: group } });
			for (const error of (response.errors ?? []) as IDataObject[]) {
				const ids = ((error.context as IDataObject | undefined)?.ids ?? []) as string[];
				for (const id of ids) failed.set(String(id), String(error.message ?? error.category ?? 'not updated'));
			}
		}
		return failed;
	}

	/** Default (unlabelled) v4 associations, 100 pairs per call; pairs already associated stay so. */
	async batchAssociateDefault(fromType: string, toType: string, pairs: Array<{ fromId: string; toId: string }>): Promise<void> {
		for (const group of chunk(pairs, HUBSPOT_BATCH_WRITE_SIZE)) {
			await this.request('POST', `/crm/v4/associations/${fromType}/${toType}/batch/associate/default`, {
				body: { inputs: group.map((pair) => ({ from: { id: pair.fromId }, to: { id: pair.toId } })) },
			});
		}
	}

	/** Archives (deletes) objects by id, 100 per call. */
	async batchArchive(objectType: string, ids: Iterable<string>): Promise<void> {
		for (const group of chunk([...new Set(ids)], HUBSPOT_BATCH_WRITE_SIZE)) {
			await this.request('POST', `/crm/v3/objects/${objectType}/batch/archive`, { body: { inputs: group.map((id) => ({ id })) } });
		}
	}

	/** v4 batch association read: from-id → to-ids, following each input's own paging. */
	async batchReadAssociations(fromType: string, toType: string, ids: Iterable<string>): Promise<Map<string, string[]>> {
		const associations = new Map<string, string[]>();
		let pending = [...new Set(ids)].map((id) => ({ id, after: undefined as string | undefined }));
		for (const id of pending) associations.set(id.id, []);
		while (pending.length) {
			const nextRound: typeof pending = [];
			await mapWithConcurrency(chunk(pending, HUBSPOT_ASSOCIATION_BATCH_SIZE), this.options.concurrency ?? 3, async (group) => {
				const response = await this.request<IDataObject>('POST', `/crm/v4/associations/${fromType}/${toType}/batch/read`, {
					body: { inputs: group.map((input) => (input.after ? { id: input.id, after: input.after } : { id: input.id })) },
				});
				for (const result of (response.results ?? []) as IDataObject[]) {
					const fromId = String((result.from as IDataObject)?.id);
					const list = associations.get(fromId) ?? [];
					for (const target of (result.to ?? []) as IDataObject[]) list.push(String(target.toObjectId));
					associations.set(fromId, list);
					const after = ((result.paging as IDataObject)?.next as IDataObject)?.after;
					if (after) nextRound.push({ id: fromId, after: String(after) });
				}
			});
			pending = nextRound;
		}
		return associations;
	}

	/**
	 * Every HubSpot tax rate. The list is paged (HubSpot's tax-rates spec: `after` in, `paging.next.after`
	 * out while more remain); a cursor handed back unchanged ends the list instead of looping.
	 */
	async listTaxRates(): Promise<IDataObject[]> {
		const rates: IDataObject[] = [];
		const seen = new Set<string>();
		let after: string | undefined;
		for (;;) {
			const response = await this.request<IDataObject>('GET', '/tax-rates/v1/tax-rates', after === undefined ? {} : { qs: { after } });
			rates.push(...((response.results ?? []) as IDataObject[]));
			const next = ((response.paging as IDataObject | undefined)?.next as IDataObject | undefined)?.after;
			if (next === undefined || next === null || next === '' || seen.has(String(next))) return rates;
			after = String(next);
			seen.add(after);
		}
	}
}
