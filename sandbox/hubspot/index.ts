/**
 * HubSpot CRM API simulator on loopback: private-app and OAuth auth, CRM objects (list, get,
 * batch read, search, update), properties, v4 associations, tax rates, HubSpot's rate limits and
 * error bodies, fault injection, a request log and `/__sandbox/*` control paths.
 */
import type { Duplex } from 'stream';
import { simulatorServer, withServer, type SimulatorServer } from '../common/http';
import { FaultInjector, type FaultConfig } from '../common/faults';
import { ConcurrencyGauge } from '../common/rateLimit';
import { RequestLog } from '../common/requestLog';
import { HubSpotAuth, type OAuthClient, type OAuthTokenResponse, type PrivateAppToken } from './auth';
import { HubSpotRateLimiter, type HubSpotLimits } from './rateLimits';
import type { Route } from './router';
import { associationRoutes } from './routes/associations';
import { objectRoutes } from './routes/objects';
import { oauthRoutes } from './routes/oauth';
import { propertyRoutes } from './routes/properties';
import { taxRateRoutes } from './routes/taxRates';
import { accountInfoRoutes } from './routes/accountInfo';
import { createHubSpotHandler } from './server';
import { HubSpotStore } from './store';
import { DEFAULT_INVOICE_WRITE_SETTINGS, type InvoiceWriteSettings } from './writeRules';
import { HubSpotWebhookDelivery } from './webhooks';
import { DEFAULT_SEARCH_SETTINGS, useSearchSettings, type SearchSettings } from './search';
import type { InvoiceTotalsSettings } from './invoiceTotals';
import { type HubSpotObject, type HubSpotSeed, type ObjectType } from './types';

export * from './types';
export type { PrivateAppToken, OAuthClient, OAuthTokenResponse } from './auth';
export type { HubSpotLimits } from './rateLimits';
export type { InvoiceTotalsSettings } from './invoiceTotals';
export { HubSpotStore } from './store';

/** Obviously fake, recognisable defaults (what `start()` hands out). */
export const DEFAULT_PRIVATE_APP_TOKEN = 'sandbox-hubspot-pat-na1-00000000-0000-4000-8000-000000000001';
export const DEFAULT_OAUTH_CLIENT: OAuthClient = {
	clientId: 'sandbox-hubspot-client-id-00000000-0000-4000-8000-000000000002',
	clientSecret: 'sandbox-hubspot-client-secret-00000000-0000-4000-8000-000000000003',
};
export const SANDBOX_PORTAL_ID = 24681357;

export interface HubSpotSimulatorOptions {
	/** Seed data (default: an empty portal). */
	dataset?: HubSpotSeed;
	/** Private-app tokens accepted (default: DEFAULT_PRIVATE_APP_TOKEN with every scope). */
	privateAppTokens?: (PrivateAppToken | string)[];
	/** OAuth apps accepted (default: DEFAULT_OAUTH_CLIENT). */
	oauthClients?: OAuthClient[];
	/** OAuth access token lifetime (default 1800 s = HubSpot's 30 min). */
	accessTokenTtlSeconds?: number;
	/** Rate limits (default ON: 100/10 s per app, 4 searches/s); false = none. */
	limits?: HubSpotLimits | false;
	faults?: FaultConfig;
	log?: RequestLog;
	now?: () => Date;
	portalId?: number;
	/** The account's time zone (`GET /account-info/v3/details` → timeZone); default the dataset's, else US/Eastern. */
	timeZone?: string;
	/** Tax rates per page when a request names no `limit` (HubSpot's default is undocumented); default 10. */
	taxRatesPageSize?: number;
	/**
	 * Whether `hs_discounts_total` counts line-level discounts too (observed in public code, not
	 * documented); default true. See invoiceTotals.ts.
	 */
	discountsTotalIncludesLineDiscounts?: boolean;
	/** Where line taxes from tax rates are rounded (undocumented; invoiceTotals.ts); default per line. */
	lineTaxRounding?: InvoiceTotalsSettings['lineTaxRounding'];
	/** Invoice write rules HubSpot leaves undocumented (writeRules.ts); defaults otherwise. */
	invoiceWriteSettings?: Partial<InvoiceWriteSettings>;
	/** How far search trails new records (search.ts); default no lag. */
	searchSettings?: Partial<SearchSettings>;
	/** Whether /oauth/authorize refuses a `scope` without `oauth` (every HubSpot app requires it); default true. */
	requireOauthScope?: boolean;
}

export interface HubSpotSimulator extends SimulatorServer {
	/** The live store (replaced on reset). */
	readonly state: HubSpotStore;
	snapshot(): ReturnType<HubSpotStore['snapshot']>;
	/** Back to the seed data; clears limits, this simulator's log entries, and restores the initial faults. Tokens stay valid. */
	reset(): void;
	log: RequestLog;
	setFaults(faults?: FaultConfig): void;
	expireAccessTokens(): void;
	privateAppTokens: PrivateAppToken[];
	oauthClients: OAuthClient[];
	/** A token pair for an OAuth client, without the browser round trip. */
	issueTokens(clientId?: string, scopes?: string[]): OAuthTokenResponse;
	/** Sets properties on a record (no validation) and bumps its modified date: for tests. */
	mutate(type: ObjectType, id: string, properties: Record<string, unknown>): HubSpotObject;
	/** `mutate('invoices', …)`. */
	updateInvoice(id: string, properties: Record<string, unknown>): HubSpotObject;
	/** Live invoice write settings: change a field to run the same simulator the other way. */
	invoiceWriteSettings: InvoiceWriteSettings;
	/** Live settings of the calculated invoice totals (invoiceTotals.ts); apply to the next recalculation. */
	invoiceTotalsSettings: InvoiceTotalsSettings;
	/** Live search settings (the search index's lag behind new records). */
	searchSettings: SearchSettings;
	/** The app's webhook subscriptions and their delivery (nothing is sent until it is configured). */
	webhooks: HubSpotWebhookDelivery;
	/** Adds a record (and its associations) after start: for tests. */
	createObject(
		type: ObjectType,
		properties: Record<string, unknown>,
		associations?: { toType: ObjectType; toId: string; labels?: string[] }[],
	): HubSpotObject;
}

/** A portal with no records. */
export const EMPTY_SEED: HubSpotSeed = {
	invoices: [],
	lineItems: [],
	contacts: [],
	companies: [],
	products: [],
	taxRates: [],
	associations: [],
};

type NewAssociation = { toType: ObjectType; toId: string; labels?: string[] };

/** Sets properties on a record (no validation) and bumps its modified date. */
function mutateRecord(store: HubSpotStore, type: ObjectType, id: string, properties: Record<string, unknown>): HubSpotObject {
	const object = store.get(type, id);
	if (!object) throw new Error(`No ${type} ${id} in the HubSpot sandbox`);
	store.applyProperties(type, object, properties);
	return object;
}

function createRecord(store: HubSpotStore, type: ObjectType, properties: Record<string, unknown>, associations: NewAssociation[]): HubSpotObject {
	const object = store.create(type, properties);
	for (const a of associations) store.associate({ fromType: type, fromId: object.id, toType: a.toType, toId: a.toId, labels: a.labels });
	return object;
}

function createAuth(opts: HubSpotSimulatorOptions, now: () => Date) {
	const privateAppTokens: PrivateAppToken[] = (opts.privateAppTokens ?? [DEFAULT_PRIVATE_APP_TOKEN]).map((t) =>
		typeof t === 'string' ? { token: t } : t,
	);
	const oauthClients = opts.oauthClients ?? [DEFAULT_OAUTH_CLIENT];
	const auth = new HubSpotAuth(
		{ privateAppTokens, oauthClients, accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 1800, requireOauthScope: opts.requireOauthScope },
		now,
	);
	return { auth, privateAppTokens, oauthClients };
}

function createRoutes(opts: HubSpotSimulatorOptions, auth: HubSpotAuth, seed: HubSpotSeed, now: () => Date): Route[] {
	const portalId = opts.portalId ?? SANDBOX_PORTAL_ID;
	return [
		...oauthRoutes(auth, portalId),
		...objectRoutes,
		...propertyRoutes,
		...associationRoutes,
		...taxRateRoutes(opts.taxRatesPageSize ?? 10),
		...accountInfoRoutes(portalId, opts.timeZone ?? seed.timeZone ?? 'US/Eastern', now),
	];
}

/** HubSpot answers a request it cannot parse with a bare 400. */
function answerMalformed(_err: Error, socket: Duplex): void {
	if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
	else socket.destroy();
}

export function createHubSpotSimulator(opts: HubSpotSimulatorOptions = {}): HubSpotSimulator {
	const now = opts.now ?? (() => new Date());
	const seed = opts.dataset ?? EMPTY_SEED;
	const log = opts.log ?? new RequestLog();
	const { auth, privateAppTokens, oauthClients } = createAuth(opts, now);
	const limiter = new HubSpotRateLimiter(opts.limits);
	const faults = new FaultInjector(opts.faults);
	const totalsSettings: InvoiceTotalsSettings = { discountsTotalIncludesLineDiscounts: opts.discountsTotalIncludesLineDiscounts ?? true, lineTaxRounding: opts.lineTaxRounding ?? 'eachLine' };
	const invoiceWriteSettings: InvoiceWriteSettings = { ...DEFAULT_INVOICE_WRITE_SETTINGS, ...opts.invoiceWriteSettings };
	const searchSettings: SearchSettings = { ...DEFAULT_SEARCH_SETTINGS, ...opts.searchSettings };
	let store = new HubSpotStore(seed, now, totalsSettings, invoiceWriteSettings);
	useSearchSettings(store, searchSettings, now);
	const webhooks = new HubSpotWebhookDelivery(opts.portalId ?? SANDBOX_PORTAL_ID, now);
	store.changeObserver = (change) => webhooks.record(change);
	const mutate = (type: ObjectType, id: string, properties: Record<string, unknown>) => mutateRecord(store, type, id, properties);
	const createObject = (type: ObjectType, properties: Record<string, unknown>, associations: NewAssociation[] = []) =>
		createRecord(store, type, properties, associations);
	const expireAccessTokens = () => auth.expireAccessTokens();
	const reset = () => {
		store = new HubSpotStore(seed, now, totalsSettings, invoiceWriteSettings);
		useSearchSettings(store, searchSettings, now);
		store.changeObserver = (change) => webhooks.record(change);
		limiter.reset();
		faults.set(opts.faults);
		// The log may be shared with other simulators: drop only HubSpot's entries.
		log.entries = log.entries.filter((e) => e.api !== 'hubspot');
	};
	const routes = createRoutes(opts, auth, seed, now);
	const controls = { faults, log, store: () => store, reset, expireAccessTokens, createObject, mutate };
	const handler = createHubSpotHandler({ ...controls, routes, auth, limiter, gauge: new ConcurrencyGauge() });
	return withServer<HubSpotSimulator>(simulatorServer(handler, answerMalformed), {
		get state() {
			return store;
		},
		snapshot: () => store.snapshot(),
		reset,
		log,
		setFaults: (f?: FaultConfig) => faults.set(f),
		expireAccessTokens,
		privateAppTokens,
		oauthClients,
		issueTokens: (clientId = oauthClients[0]?.clientId, scopes?: string[]) => auth.issueTokens(clientId, scopes),
		mutate,
		updateInvoice: (id, properties) => mutate('invoices', id, properties),
		invoiceWriteSettings,
		invoiceTotalsSettings: totalsSettings,
		searchSettings,
		webhooks,
		createObject,
	});
}
