/**
 * HTTP routing of the QuickBooks Online simulator. Every request goes through one pipeline:
 *   concurrency gauge → injected fault → (API only) Bearer auth → realm check → rate limits
 *   → requestid replay → handler → reply, logged once in the RequestLog.
 * Control paths under /__sandbox/ skip faults, auth, limits and the log.
 * Nothing a client sends can throw out of the handler: every error becomes a QBO-style reply.
 */
import { randomBytes } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';
import { applyTransportFault, type FaultConfig, type FaultInjector } from '../common/faults';
import { BodyTooLargeError, readBody, sendJson } from '../common/http';
import type { ConcurrencyGauge, WindowLimiter } from '../common/rateLimit';
import type { QboAssumptions } from './assumptions';
import type { RequestLog } from '../common/requestLog';
import { runBatch } from './batch';
import { ENTITY_BY_PATH, deleteEntity, readEntity, saveEntity, saveSingleton, voidInvoice } from './entities';
import { handleAuthorize, handleRevoke, handleToken, type TokenStore } from './oauth';
import {
	authenticationFailed,
	authorizationFailed,
	businessValidation,
	faultBody,
	invalidProperty,
	objectNotFound,
	QboError,
	systemFault,
	throttleExceeded,
	unsupportedOperation,
} from './qboErrors';
import { runQuery } from './queryEngine';
import type { Reply } from './reply';
import type { QboState, RealmState } from './state';

export interface ServerContext {
	state: QboState;
	tokens: TokenStore;
	faults: FaultInjector;
	log: RequestLog;
	gauge: ConcurrencyGauge;
	/** undefined when limits are off */
	limits?: { perMinute: WindowLimiter; batchPerMinute: WindowLimiter; concurrent: number };
	now: () => Date;
	assumptions: QboAssumptions;
	snapshot: () => unknown;
	reset: () => void;
	setFaults: (f?: FaultConfig) => void;
	issueTokens: (clientId: string, realmId: string) => unknown;
	expireAccessTokens: () => void;
}

const MAX_REQUEST_ID_LENGTH = 50;
const MAX_BATCH_REQUEST_ID_LENGTH = 36;
const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

type RouteKind = 'api' | 'authorize' | 'token' | 'revoke' | 'unknown';

interface ApiRoute {
	realmId: string;
	/** Path segments after /v3/company/{realmId}/ */
	segments: string[];
}

function classify(method: string, path: string): { kind: RouteKind; endpoint: string; api?: ApiRoute } {
	const apiMatch = /^\/v3\/company\/([^/]+)\/?(.*)$/.exec(path);
	if (apiMatch) {
		let realmId: string;
		try {
			realmId = decodeURIComponent(apiMatch[1]);
		} catch {
			realmId = apiMatch[1];
		}
		const segments = apiMatch[2].split('/').filter(Boolean);
		// "/invoice/42" → "/invoice/:id" so the log counts one endpoint per resource.
		const normalized = segments.map((s, i) => (i === 1 ? ':id' : s.toLowerCase()));
		return { kind: 'api', endpoint: `${method} /v3/company/:realmId/${normalized.join('/')}`, api: { realmId, segments } };
	}
	if (path === '/connect/oauth2') return { kind: 'authorize', endpoint: `${method} ${path}` };
	if (path === '/oauth2/v1/tokens/bearer') return { kind: 'token', endpoint: `${method} ${path}` };
	if (path === '/oauth2/v1/tokens/revoke' || path === '/v2/oauth2/tokens/revoke') return { kind: 'revoke', endpoint: `${method} ${path}` };
	return { kind: 'unknown', endpoint: `${method} ${path}` };
}

function errorReply(err: unknown, now: Date): Reply {
	if (err instanceof QboError) return { status: err.status, json: faultBody(err.fault, now), headers: err.headers };
	if (err instanceof BodyTooLargeError) {
		return { status: 413, json: faultBody(businessValidation('Request entity too large.').fault, now) };
	}
	const message = err instanceof Error ? err.message : String(err);
	return { status: 500, json: faultBody(systemFault(500, message).fault, now) };
}

function parseJson(body: Buffer): unknown {
	const text = body.toString('utf8');
	if (!text.trim()) throw invalidProperty('Request body is empty; a JSON object is required', 'body');
	try {
		return JSON.parse(text);
	} catch (err) {
		throw invalidProperty(`${(err as Error).message} specified is unsupported or invalid`, 'body');
	}
}

/** Entity name of a query, for the log's detail (best effort, also for malformed queries). */
function queryEntity(text: string | null): string | undefined {
	return text ? /\bfrom\s+([A-Za-z]+)/i.exec(text)?.[1] : undefined;
}

export function createRequestHandler(ctx: ServerContext): (req: IncomingMessage, res: ServerResponse) => void {
	const realmOf = (realmId: string): RealmState | undefined => ctx.state.realms[realmId];

	/** The QBO API proper, after auth and limits. */
	async function handleApi(req: IncomingMessage, url: URL, route: ApiRoute, realm: RealmState): Promise<Reply> {
		const method = req.method ?? 'GET';
		const [first = '', id, ...more] = route.segments;
		const resource = first.toLowerCase();
		const now = ctx.now();
		const time = now.toISOString();
		const opts = {
			now,
			allowDuplicateDocNumber: (url.searchParams.get('include') ?? '').toLowerCase().split(',').includes('allowduplicatedocnum'),
			assumptions: ctx.assumptions,
		};
		const unsupported = () => {
			throw unsupportedOperation(method, url.pathname);
		};
		if (more.length) unsupported();

		if (resource === 'query' && id === undefined) {
			let text: string | null;
			if (method === 'GET') text = url.searchParams.get('query');
			else if (method === 'POST') text = (await readBody(req, BODY_LIMIT_BYTES)).toString('utf8');
			else return unsupported();
			const detail = queryEntity(text);
			try {
				return { status: 200, json: { QueryResponse: runQuery(realm, text ?? '', ctx.assumptions), time }, detail };
			} catch (err) {
				return { ...errorReply(err, now), detail };
			}
		}
		if (resource === 'batch' && id === undefined && method === 'POST') {
			const body = parseJson(await readBody(req, BODY_LIMIT_BYTES));
			const { json, opCount } = runBatch(realm, body, opts);
			return { status: 200, json, detail: String(opCount) };
		}
		if (resource === 'companyinfo') {
			if (method === 'GET' && id !== undefined) {
				if (id !== realm.realmId && id !== realm.companyInfo.Id) throw objectNotFound('CompanyInfo', id);
				return { status: 200, json: { CompanyInfo: realm.companyInfo, time } };
			}
			if (method === 'POST' && id === undefined) {
				const record = saveSingleton(realm, 'companyInfo', parseJson(await readBody(req, BODY_LIMIT_BYTES)), opts);
				return { status: 200, json: { CompanyInfo: record, time }, detail: 'update' };
			}
			return unsupported();
		}
		if (resource === 'preferences' && id === undefined) {
			if (method === 'GET') return { status: 200, json: { Preferences: realm.preferences, time } };
			if (method === 'POST') {
				const record = saveSingleton(realm, 'preferences', parseJson(await readBody(req, BODY_LIMIT_BYTES)), opts);
				return { status: 200, json: { Preferences: record, time }, detail: 'update' };
			}
			return unsupported();
		}
		const entity = ENTITY_BY_PATH[resource];
		if (!entity) return unsupported();
		if (method === 'GET' && id !== undefined) {
			return { status: 200, json: { [entity]: readEntity(realm, entity, id), time } };
		}
		if (method === 'POST' && id === undefined) {
			const operation = (url.searchParams.get('operation') ?? '').toLowerCase();
			const payload = parseJson(await readBody(req, BODY_LIMIT_BYTES));
			if (operation === 'void') {
				if (entity !== 'Invoice') throw businessValidation(`Void is not supported for ${entity}.`);
				return { status: 200, json: { [entity]: voidInvoice(realm, payload, opts), time }, detail: 'void' };
			}
			if (operation === 'delete') return { status: 200, json: { [entity]: deleteEntity(realm, entity, payload, opts), time }, detail: 'delete' };
			if (operation !== '' && operation !== 'update' && operation !== 'create') {
				throw invalidProperty(`operation "${operation}" is not supported`, 'operation');
			}
			const isUpdate = !!(payload && typeof payload === 'object' && (payload as any).Id !== undefined);
			return { status: 200, json: { [entity]: saveEntity(realm, entity, payload, opts), time }, detail: isUpdate ? 'update' : 'create' };
		}
		return unsupported();
	}

	/** /__sandbox/* control paths. */
	async function handleControl(req: IncomingMessage, path: string): Promise<Reply> {
		const method = req.method ?? 'GET';
		const control = path.slice('/__sandbox/'.length);
		if (control === 'state' && method === 'GET') return { status: 200, json: ctx.snapshot() };
		if (control === 'reset' && method === 'POST') {
			ctx.reset();
			return { status: 200, json: { ok: true } };
		}
		if (control === 'log' && method === 'GET') {
			return { status: 200, json: { entries: ctx.log.entries, countsByEndpoint: ctx.log.countsByEndpoint(), maxConcurrent: ctx.log.maxConcurrent() } };
		}
		if (control === 'log' && method === 'DELETE') {
			ctx.log.clear();
			return { status: 200, json: { ok: true } };
		}
		if (control === 'faults' && method === 'POST') {
			const text = (await readBody(req, BODY_LIMIT_BYTES)).toString('utf8');
			let cfg: FaultConfig | undefined;
			try {
				cfg = text.trim() ? JSON.parse(text) : undefined;
				ctx.setFaults(cfg ?? undefined);
			} catch (err) {
				return { status: 400, json: { error: `Invalid fault configuration: ${(err as Error).message}` } };
			}
			return { status: 200, json: { ok: true, faults: cfg ?? {} } };
		}
		if (control === 'tokens' && method === 'POST') {
			// Issues tokens without the browser flow: body {clientId, realmId}.
			try {
				const { clientId, realmId } = JSON.parse((await readBody(req, BODY_LIMIT_BYTES)).toString('utf8') || '{}');
				return { status: 200, json: ctx.issueTokens(clientId, realmId) };
			} catch (err) {
				return { status: 400, json: { error: (err as Error).message } };
			}
		}
		if (control === 'expire-tokens' && method === 'POST') {
			ctx.expireAccessTokens();
			return { status: 200, json: { ok: true } };
		}
		return { status: 404, json: { error: `Unknown sandbox control path ${method} ${path}` } };
	}

	return (req, res) => {
		void serve(req, res).catch(() => {
			// Last resort: never let an error escape into the server.
			if (!res.headersSent) sendJson(res, 500, faultBody(systemFault(500, 'unexpected').fault, ctx.now()));
			else res.destroy();
		});
	};

	async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const started = Date.now();
		const method = (req.method ?? 'GET').toUpperCase();
		let url: URL;
		try {
			url = new URL(req.url ?? '/', 'http://sandbox.local');
		} catch {
			url = new URL('http://sandbox.local/');
		}
		const path = url.pathname;

		if (path.startsWith('/__sandbox/')) {
			let reply: Reply;
			try {
				reply = await handleControl(req, path);
			} catch (err) {
				reply = { status: 500, json: { error: (err as Error)?.message ?? String(err) } };
			}
			sendJson(res, reply.status, reply.json);
			return;
		}

		const route = classify(method, path);
		const gaugeKey = route.api ? `realm:${route.api.realmId}` : 'oauth';
		const concurrent = ctx.gauge.enter(gaugeKey);
		let fault: string | undefined;
		let detail: string | undefined;
		let finished = false;
		// Leave the gauge and log exactly once: when the reply is written, or when the socket closes first.
		const finish = (status: number) => {
			if (finished) return;
			finished = true;
			ctx.gauge.leave(gaugeKey);
			ctx.log.add({ t: started, api: 'quickbooks', method, path, endpoint: route.endpoint, status, ms: Date.now() - started, fault, concurrent, detail });
		};
		res.on('close', () => finish(res.headersSent ? res.statusCode : 0));

		const send = (reply: Reply) => {
			if (reply.detail !== undefined) detail = reply.detail;
			const headers: Record<string, string> = { intuit_tid: randomBytes(8).toString('hex'), ...(reply.headers ?? {}) };
			finish(reply.status);
			if (res.headersSent || res.destroyed) return;
			if (reply.text !== undefined) {
				res.writeHead(reply.status, { 'Content-Length': String(Buffer.byteLength(reply.text)), ...headers });
				res.end(reply.text);
			} else if (reply.json !== undefined) sendJson(res, reply.status, reply.json, headers);
			else {
				res.writeHead(reply.status, headers);
				res.end();
			}
		};

		let expireTokensAfterReply = false;
		let reply: Reply;
		try {
			const decision = ctx.faults.decide(method, path);
			if (decision.kind !== 'none') fault = decision.kind;
			const action = await applyTransportFault(res, decision);
			if (action === 'handled') return; // dropped or hung; logged when the socket closes
			if (action === 'respond') {
				reply = injectedFaultReply(route.kind, decision.kind, ctx.now());
			} else {
				reply = await route_(req, url, route);
			}
		} catch (err) {
			reply = errorReply(err, ctx.now());
		}
		send(reply);
		if (expireTokensAfterReply) ctx.expireAccessTokens();

		async function route_(req: IncomingMessage, url: URL, r: ReturnType<typeof classify>): Promise<Reply> {
			switch (r.kind) {
				case 'authorize':
					if (method !== 'GET') throw unsupportedOperation(method, path);
					return handleAuthorize(ctx.tokens, url.searchParams, Object.keys(ctx.state.realms));
				case 'token':
					if (method !== 'POST') throw unsupportedOperation(method, path);
					return handleToken(ctx.tokens, req.headers, await readBody(req, BODY_LIMIT_BYTES));
				case 'revoke':
					if (method !== 'POST') throw unsupportedOperation(method, path);
					return handleRevoke(ctx.tokens, req.headers, await readBody(req, BODY_LIMIT_BYTES));
				case 'unknown':
					throw unsupportedOperation(method, path);
				case 'api':
					return apiPipeline(req, url, r.api as ApiRoute);
			}
		}

		async function apiPipeline(req: IncomingMessage, url: URL, api: ApiRoute): Promise<Reply> {
			const now = ctx.now();
			const authHeader = req.headers.authorization ?? '';
			const bearer = /^bearer\s+(.+)$/i.exec(authHeader)?.[1]?.trim();
			const grant = ctx.tokens.authenticate(bearer);
			if (!grant) throw authenticationFailed();
			const realm = realmOf(api.realmId);
			if (grant.realmId !== api.realmId || !realm) throw authorizationFailed();
			// Forced expiry (fault injection): this call succeeds, the tokens die right after it.
			if (ctx.faults.shouldExpireTokens()) expireTokensAfterReply = true;

			const isBatch = api.segments[0]?.toLowerCase() === 'batch';
			if (ctx.limits) {
				if (concurrent > ctx.limits.concurrent) throw throttleExceeded();
				if (!ctx.limits.perMinute.tryTake(api.realmId)) throw throttleExceeded();
				if (isBatch && !ctx.limits.batchPerMinute.tryTake(api.realmId)) throw throttleExceeded();
			}

			// requestid: a repeated id gets the original response and the operation is not repeated.
			const requestId = method === 'POST' ? url.searchParams.get('requestid') : null;
			if (requestId !== null) {
				const max = isBatch ? MAX_BATCH_REQUEST_ID_LENGTH : MAX_REQUEST_ID_LENGTH;
				if (requestId.length > max) {
					throw businessValidation(`Request has more than ${max} characters in the request_id field.`, 'requestid');
				}
				const stored = realm.requestIds.get(requestId);
				if (stored) return { status: stored.status, json: stored.body, detail: 'replay' };
			}
			let reply: Reply;
			try {
				reply = await handleApi(req, url, api, realm);
			} catch (err) {
				reply = errorReply(err, now);
			}
			if (requestId !== null && reply.status < 500 && reply.json !== undefined) {
				realm.requestIds.set(requestId, { status: reply.status, body: reply.json });
			}
			return reply;
		}
	}
}

/** Body of an injected 429 / 500 / 503, in the style of the route it hits. */
function injectedFaultReply(kind: RouteKind, fault: string, now: Date): Reply {
	const status = Number(fault);
	if (kind === 'token' || kind === 'revoke' || kind === 'authorize') {
		const error = status === 429 ? 'rate_limit_exceeded' : status === 503 ? 'temporarily_unavailable' : 'server_error';
		return { status, json: { error } };
	}
	if (status === 429) return errorReply(throttleExceeded(), now);
	return { status, json: faultBody(systemFault(status, status === 503 ? 'Service Unavailable' : 'Internal Server Error').fault, now) };
}
