/**
 * HTTP side of the QuickBooks Online simulator, on the shared pipeline (common/pipeline.ts):
 *   concurrency gauge → injected fault → (API only) Bearer auth and realm check → rate limits
 *   → requestid replay → route table (apiRoutes.ts) → reply, logged once in the RequestLog.
 * Control paths under /__sandbox/ (control.ts) skip faults, auth, limits and the log.
 * Every error becomes a QBO-style reply.
 */
import { randomBytes } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';
import type { FaultInjector } from '../common/faults';
import { BodyTooLargeError } from '../common/http';
import { createPipeline, type ApiStages, type Exchange } from '../common/pipeline';
import type { ConcurrencyGauge, WindowLimiter } from '../common/rateLimit';
import { writeReply, type Reply } from '../common/reply';
import { apiRoutes, serveApi, type ApiRoute } from './apiRoutes';
import type { QboAssumptions } from './assumptions';
import { quickBooksControlRouter, type QboControls } from './control';
import { handleAuthorize, handleRevoke, handleToken, type TokenStore } from './oauth';
import {
	authenticationFailed,
	authorizationFailed,
	businessValidation,
	faultBody,
	QboError,
	systemFault,
	throttleExceeded,
	unsupportedOperation,
} from './qboErrors';
import type { QboState, RealmState } from './state';

export interface ServerContext extends QboControls {
	state: QboState;
	tokens: TokenStore;
	faults: FaultInjector;
	gauge: ConcurrencyGauge;
	/** undefined when limits are off */
	limits?: { perMinute: WindowLimiter; batchPerMinute: WindowLimiter; concurrent: number };
	now: () => Date;
	assumptions: QboAssumptions;
}

const MAX_REQUEST_ID_LENGTH = 50;
const MAX_BATCH_REQUEST_ID_LENGTH = 36;
const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

type RouteKind = 'api' | 'authorize' | 'token' | 'revoke' | 'unknown';

interface QboCall {
	kind: RouteKind;
	/** For 'api': the realm and the path segments after /v3/company/{realmId}/. */
	realmId?: string;
	segments?: string[];
	/** For 'api', once authenticated: the realm's data, and the time its error replies carry. */
	realm?: RealmState;
	now?: Date;
}

const OAUTH_ROUTES = new Map<string, RouteKind>([
	['/connect/oauth2', 'authorize'],
	['/oauth2/v1/tokens/bearer', 'token'],
	['/oauth2/v1/tokens/revoke', 'revoke'],
	['/v2/oauth2/tokens/revoke', 'revoke'],
]);

function decodeRealm(raw: string): string {
	try {
		return decodeURIComponent(raw);
	} catch {
		return raw;
	}
}

function classify(method: string, path: string): { call: QboCall; endpoint: string; gaugeKey: string } {
	const apiMatch = /^\/v3\/company\/([^/]+)\/?(.*)$/.exec(path);
	if (apiMatch) {
		const realmId = decodeRealm(apiMatch[1]);
		const segments = apiMatch[2].split('/').filter(Boolean);
		// "/invoice/42" → "/invoice/:id" so the log counts one endpoint per resource.
		const normalized = segments.map((s, i) => (i === 1 ? ':id' : s.toLowerCase()));
		const endpoint = `${method} /v3/company/:realmId/${normalized.join('/')}`;
		return { call: { kind: 'api', realmId, segments }, endpoint, gaugeKey: `realm:${realmId}` };
	}
	return { call: { kind: OAUTH_ROUTES.get(path) ?? 'unknown' }, endpoint: `${method} ${path}`, gaugeKey: 'oauth' };
}

function errorReply(err: unknown, now: Date): Reply {
	if (err instanceof QboError) return { status: err.status, json: faultBody(err.fault, now), headers: err.headers };
	if (err instanceof BodyTooLargeError) {
		return { status: 413, json: faultBody(businessValidation('Request entity too large.').fault, now) };
	}
	const message = err instanceof Error ? err.message : String(err);
	return { status: 500, json: faultBody(systemFault(500, message).fault, now) };
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

export function createRequestHandler(ctx: ServerContext): (req: IncomingMessage, res: ServerResponse) => void {
	return createPipeline<QboCall>({
		api: 'quickbooks',
		log: ctx.log,
		control: quickBooksControlRouter(ctx),
		bodyLimitBytes: BODY_LIMIT_BYTES,
		classify,
		gauge: ctx.gauge,
		faults: { injector: ctx.faults, reply: (decision, x) => injectedFaultReply(x.call.kind, decision.kind, ctx.now()) },
		logOnClose: true,
		stages: stages(ctx),
		errorReply: (err) => errorReply(err, ctx.now()),
		write: (res, reply) => writeReply(res, { ...reply, headers: { intuit_tid: randomBytes(8).toString('hex'), ...(reply.headers ?? {}) } }),
	});
}

function stages(ctx: ServerContext): ApiStages<QboCall> {
	const routes = apiRoutes(errorReply);
	return {
		authenticate: (x) => authenticate(ctx, x),
		limit({ call, concurrent }) {
			if (call.kind !== 'api' || !ctx.limits) return;
			const realmId = call.realmId as string;
			// QBO's ThrottleExceeded past the realm's concurrency, per-minute or batch limit.
			if (concurrent > ctx.limits.concurrent) throw throttleExceeded();
			if (!ctx.limits.perMinute.tryTake(realmId)) throw throttleExceeded();
			if (isBatch(call) && !ctx.limits.batchPerMinute.tryTake(realmId)) throw throttleExceeded();
		},
		route: (x) => route(ctx, routes, x),
	};
}

function isBatch(call: QboCall): boolean {
	return call.segments?.[0]?.toLowerCase() === 'batch';
}

/** API calls need a Bearer token granted for the realm in the path. */
function authenticate(ctx: ServerContext, x: Exchange<QboCall>): void {
	const call = x.call;
	if (call.kind !== 'api') return;
	call.now = ctx.now();
	const bearer = /^bearer\s+(.+)$/i.exec(x.req.headers.authorization ?? '')?.[1]?.trim();
	const grant = ctx.tokens.authenticate(bearer);
	if (!grant) throw authenticationFailed();
	call.realm = ctx.state.realms[call.realmId as string];
	if (grant.realmId !== call.realmId || !call.realm) throw authorizationFailed();
	// Forced expiry (fault injection): this call succeeds, the tokens die right after it.
	if (ctx.faults.shouldExpireTokens()) x.afterReply = ctx.expireAccessTokens;
}

async function route(ctx: ServerContext, routes: ApiRoute[], x: Exchange<QboCall>): Promise<Reply> {
	const { method, path, url, req } = x;
	switch (x.call.kind) {
		case 'authorize':
			if (method !== 'GET') throw unsupportedOperation(method, path);
			return handleAuthorize(ctx.tokens, url.searchParams, Object.keys(ctx.state.realms));
		case 'token':
			if (method !== 'POST') throw unsupportedOperation(method, path);
			return handleToken(ctx.tokens, req.headers, await x.body());
		case 'revoke':
			if (method !== 'POST') throw unsupportedOperation(method, path);
			return handleRevoke(ctx.tokens, req.headers, await x.body());
		case 'unknown':
			throw unsupportedOperation(method, path);
		case 'api':
			return apiCall(ctx, routes, x);
	}
}

/** An authenticated API call: requestid replay, then the route table. */
async function apiCall(ctx: ServerContext, routes: ApiRoute[], x: Exchange<QboCall>): Promise<Reply> {
	const realm = x.call.realm as RealmState;
	// requestid: a repeated id gets the original response and the operation is not repeated.
	const requestId = x.method === 'POST' ? x.url.searchParams.get('requestid') : null;
	if (requestId !== null) {
		const max = isBatch(x.call) ? MAX_BATCH_REQUEST_ID_LENGTH : MAX_REQUEST_ID_LENGTH;
		if (requestId.length > max) {
			throw businessValidation(`Request has more than ${max} characters in the request_id field.`, 'requestid');
		}
		const stored = realm.requestIds.get(requestId);
		if (stored) return { status: stored.status, json: stored.body, detail: 'replay' };
	}
	let reply: Reply;
	try {
		const now = ctx.now();
		const include = (x.url.searchParams.get('include') ?? '').toLowerCase().split(',');
		const opts = { now, allowDuplicateDocNumber: include.includes('allowduplicatedocnum'), assumptions: ctx.assumptions };
		const call = { method: x.method, url: x.url, realm, now, time: now.toISOString(), opts, assumptions: ctx.assumptions, body: x.body };
		reply = await serveApi(routes, call, x.call.segments as string[]);
	} catch (err) {
		reply = errorReply(err, x.call.now as Date);
	}
	if (requestId !== null && reply.status < 500 && reply.json !== undefined) {
		realm.requestIds.set(requestId, { status: reply.status, body: reply.json });
	}
	return reply;
}
