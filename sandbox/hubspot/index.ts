/**
 * HubSpot CRM API simulator on loopback: private-app and OAuth auth, CRM objects (list, get,
 * batch read, search, update), properties, v4 associations, tax rates, HubSpot's rate limits and
 * error bodies, fault injection, a request log and `/__sandbox/*` control paths.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import { BodyTooLargeError, closeServer, listen, readBody, sendJson, type SimulatorServer } from '../common/http';
import { applyTransportFault, FaultInjector, type FaultConfig } from '../common/faults';
import { ConcurrencyGauge } from '../common/rateLimit';
import { RequestLog } from '../common/requestLog';
import { HubSpotAuth, type OAuthClient, type OAuthTokenResponse, type PrivateAppToken } from './auth';
import { errors, HubSpotHttpError } from './errors';
import { HubSpotRateLimiter, type HubSpotLimits } from './rateLimits';
import { endpointName, matchRoute, type RequestContext, type Route, type RouteResult } from './router';
import { associationRoutes } from './routes/associations';
import { objectRoutes } from './routes/objects';
import { oauthRoutes } from './routes/oauth';
import { propertyRoutes } from './routes/properties';
import { taxRateRoutes } from './routes/taxRates';
import { accountInfoRoutes } from './routes/accountInfo';
import { HubSpotStore } from './store';
import { isObjectType, type HubSpotObject, type HubSpotSeed, type ObjectType } from './types';

export * from './types';
export type { PrivateAppToken, OAuthClient, OAuthTokenResponse } from './auth';
export type { HubSpotLimits } from './rateLimits';
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
	/** Adds a record (and its associations) after start: for tests. */
	createObject(
		type: ObjectType,
		properties: Record<string, unknown>,
		associations?: { toType: ObjectType; toId: string; labels?: string[] }[],
	): HubSpotObject;
}

const EMPTY_SEED: HubSpotSeed = {
	invoices: [],
	lineItems: [],
	contacts: [],
	companies: [],
	products: [],
	taxRates: [],
	associations: [],
};

export function createHubSpotSimulator(opts: HubSpotSimulatorOptions = {}): HubSpotSimulator {
	const now = opts.now ?? (() => new Date());
	const seed = opts.dataset ?? EMPTY_SEED;
	const portalId = opts.portalId ?? SANDBOX_PORTAL_ID;
	const log = opts.log ?? new RequestLog();
	const privateAppTokens: PrivateAppToken[] = (opts.privateAppTokens ?? [DEFAULT_PRIVATE_APP_TOKEN]).map((t) =>
		typeof t === 'string' ? { token: t } : t,
	);
	const oauthClients = opts.oauthClients ?? [DEFAULT_OAUTH_CLIENT];
	const auth = new HubSpotAuth(
		{ privateAppTokens, oauthClients, accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 1800, requireOauthScope: opts.requireOauthScope },
		now,
	);
	const limiter = new HubSpotRateLimiter(opts.limits);
	const faults = new FaultInjector(opts.faults);
	const gauge = new ConcurrencyGauge();
	const totalsSettings = { discountsTotalIncludesLineDiscounts: opts.discountsTotalIncludesLineDiscounts ?? true };
	let store = new HubSpotStore(seed, now, totalsSettings);
	let baseUrl = '';

	const routes: Route[] = [
		...oauthRoutes(auth, portalId),
		...objectRoutes,
		...propertyRoutes,
		...associationRoutes,
		...taxRateRoutes(opts.taxRatesPageSize ?? 10),
		...accountInfoRoutes(portalId, opts.timeZone ?? seed.timeZone ?? 'US/Eastern', now),
	];

	function mutate(type: ObjectType, id: string, properties: Record<string, unknown>): HubSpotObject {
		const object = store.get(type, id);
		if (!object) throw new Error(`No ${type} ${id} in the HubSpot sandbox`);
		store.applyProperties(type, object, properties);
		return object;
	}

	function createObject(
		type: ObjectType,
		properties: Record<string, unknown>,
		associations: { toType: ObjectType; toId: string; labels?: string[] }[] = [],
	): HubSpotObject {
		const object = store.create(type, properties);
		for (const a of associations) store.associate({ fromType: type, fromId: object.id, toType: a.toType, toId: a.toId, labels: a.labels });
		return object;
	}

	function reset(): void {
		store = new HubSpotStore(seed, now, totalsSettings);
		limiter.reset();
		faults.set(opts.faults);
		// The log may be shared with other simulators: drop only HubSpot's entries.
		log.entries = log.entries.filter((e) => e.api !== 'hubspot');
	}

	/** `/__sandbox/*`: state, reset, log, faults, plus test helpers. Never logged, never faulted. */
	async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
		const method = req.method ?? 'GET';
		const raw = (await readBody(req)).toString('utf8');
		const body = raw.trim() ? JSON.parse(raw) : {};
		const objectPath = /^\/__sandbox\/objects\/([^/]+)(?:\/([^/]+))?$/.exec(path);
		if (method === 'GET' && path === '/__sandbox/state') return sendJson(res, 200, store.snapshot());
		if (method === 'POST' && path === '/__sandbox/reset') {
			reset();
			return sendJson(res, 200, { ok: true });
		}
		if (method === 'GET' && path === '/__sandbox/log') {
			const entries = log.entries.filter((e) => e.api === 'hubspot');
			const counts: Record<string, number> = {};
			for (const e of entries) counts[e.endpoint] = (counts[e.endpoint] ?? 0) + 1;
			return sendJson(res, 200, { entries, countsByEndpoint: counts, total: entries.length });
		}
		if (method === 'POST' && path === '/__sandbox/faults') {
			faults.set(body && Object.keys(body).length > 0 ? body : undefined);
			return sendJson(res, 200, { ok: true, faults: faults.config });
		}
		if (method === 'POST' && path === '/__sandbox/expire-tokens') {
			auth.expireAccessTokens();
			return sendJson(res, 200, { ok: true });
		}
		if (objectPath && isObjectType(objectPath[1])) {
			const type = objectPath[1];
			if (method === 'POST' && !objectPath[2]) {
				return sendJson(res, 201, createObject(type, body.properties ?? {}, body.associations ?? []));
			}
			if (method === 'PATCH' && objectPath[2]) {
				if (!store.get(type, objectPath[2])) return sendJson(res, 404, { status: 'error', message: 'not found' });
				return sendJson(res, 200, mutate(type, objectPath[2], body.properties ?? {}));
			}
		}
		sendJson(res, 404, { status: 'error', message: `Unknown sandbox control path ${method} ${path}` });
	}

	async function serve(req: IncomingMessage, res: ServerResponse, url: URL, started: number) {
		const method = (req.method ?? 'GET').toUpperCase();
		const path = url.pathname;
		let endpoint = `${method} ${path}`;
		let fault: string | undefined;
		let detail: string | undefined;
		const concurrent = gauge.enter('hubspot');
		const finish = (status: number) => {
			gauge.leave('hubspot');
			log.add({ t: started, api: 'hubspot', method, path, endpoint, status, ms: Date.now() - started, fault, concurrent, detail });
		};
		try {
			const decision = faults.decide(method, path);
			if (decision.kind !== 'none') fault = decision.kind;
			const transport = await applyTransportFault(res, decision);
			if (transport === 'handled') {
				finish(0);
				return;
			}
			if (transport === 'respond') {
				throw decision.kind === '429' ? errors.rateLimit('TEN_SECONDLY_ROLLING') : errors.internal(Number(decision.kind) as 500 | 503);
			}
			const rawBody = await readBody(req);
			const match = matchRoute(routes, method, path);
			if (!match) throw errors.unknownRoute(method, path);
			if ('methodNotAllowed' in match) throw errors.methodNotAllowed(method);
			endpoint = endpointName(match.route, match.params);
			const ctx: RequestContext = {
				method,
				path,
				query: url.searchParams,
				params: match.params,
				headers: req.headers,
				rawBody,
				store,
			};
			let rateHeaders: Record<string, string> = {};
			if (match.route.auth === 'bearer') {
				if (faults.shouldExpireTokens()) auth.expireAccessTokens();
				ctx.principal = auth.authenticate(req.headers.authorization);
				auth.requireScopes(ctx.principal, match.route.scopes?.(match.params) ?? []);
				rateHeaders = limiter.check(ctx.principal, match.route.rateClass);
			}
			const result: RouteResult = await match.route.handler(ctx);
			send(res, result.status, result.body, { ...rateHeaders, ...result.headers });
			finish(result.status);
		} catch (e) {
			if (e instanceof HubSpotHttpError) {
				send(res, e.status, e.body, e.headers);
				detail = detail ?? String(e.body.category ?? e.body.status ?? '');
				finish(e.status);
			} else if (e instanceof BodyTooLargeError) {
				send(res, 413, { status: 'error', message: e.message, category: 'VALIDATION_ERROR' });
				finish(413);
			} else {
				// A bug in the simulator must still answer like a server, never crash it.
				detail = String((e as Error)?.stack ?? e);
				send(res, 500, { status: 'error', message: 'internal error', category: 'INTERNAL_ERROR' });
				finish(500);
			}
		}
	}

	const server = createServer((req, res) => {
		const started = Date.now();
		let url: URL;
		try {
			url = new URL(req.url ?? '/', 'http://sandbox.local');
		} catch {
			return send(res, 400, { status: 'error', message: 'Malformed request URL', category: 'VALIDATION_ERROR' });
		}
		if (url.pathname.startsWith('/__sandbox/')) {
			control(req, res, url.pathname).catch((e) => sendJson(res, 400, { status: 'error', message: String(e?.message ?? e) }));
			return;
		}
		void serve(req, res, url, started);
	});
	server.on('clientError', (_err, socket) => {
		if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
		else socket.destroy();
	});

	return {
		server,
		async listen(port?: number) {
			baseUrl = await listen(server, port ?? 0);
			return baseUrl;
		},
		close: () => closeServer(server),
		get baseUrl() {
			return baseUrl;
		},
		get state() {
			return store;
		},
		snapshot: () => store.snapshot(),
		reset,
		log,
		setFaults: (f?: FaultConfig) => faults.set(f),
		expireAccessTokens: () => auth.expireAccessTokens(),
		privateAppTokens,
		oauthClients,
		issueTokens: (clientId = oauthClients[0]?.clientId, scopes?: string[]) => auth.issueTokens(clientId, scopes),
		mutate,
		updateInvoice: (id, properties) => mutate('invoices', id, properties),
		createObject,
	};
}

/** Sends JSON (or an empty body for 204/302) with HubSpot's correlation header. */
function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	if (res.headersSent || res.writableEnded || res.destroyed) return;
	const correlation = typeof body === 'object' && body && 'correlationId' in body ? String((body as any).correlationId) : undefined;
	const extra = correlation ? { 'X-HubSpot-Correlation-Id': correlation, ...headers } : headers;
	if (body === undefined) {
		res.writeHead(status, extra);
		res.end();
		return;
	}
	sendJson(res, status, body, extra);
}
