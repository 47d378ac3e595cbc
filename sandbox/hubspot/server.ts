/**
 * HTTP side of the HubSpot simulator, on the shared pipeline (common/pipeline.ts):
 *   concurrency gauge → injected fault → resolve (body, route table of router.ts) → Bearer auth
 *   and scopes → rate limits → route handler → reply, logged once in the RequestLog.
 * Control paths under /__sandbox/ (control.ts) skip faults, auth, limits and the log.
 * Every error becomes one of HubSpot's error bodies.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { BodyTooLargeError } from '../common/http';
import { createPipeline, type ApiStages } from '../common/pipeline';
import type { ConcurrencyGauge } from '../common/rateLimit';
import { writeReply, type Reply } from '../common/reply';
import type { HubSpotAuth } from './auth';
import { hubSpotControlRouter, type HubSpotControls } from './control';
import { errors, HubSpotHttpError } from './errors';
import type { HubSpotRateLimiter } from './rateLimits';
import { endpointName, matchRoute, type RequestContext, type Route } from './router';

export interface HubSpotServerContext extends HubSpotControls {
	routes: Route[];
	auth: HubSpotAuth;
	limiter: HubSpotRateLimiter;
	gauge: ConcurrencyGauge;
}

function errorReply(e: unknown): Reply {
	if (e instanceof HubSpotHttpError) {
		return { status: e.status, json: e.body, headers: e.headers, detail: String(e.body.category ?? e.body.status ?? '') };
	}
	if (e instanceof BodyTooLargeError) return { status: 413, json: { status: 'error', message: e.message, category: 'VALIDATION_ERROR' } };
	// A bug in the simulator must still answer like a server, never crash it.
	return { status: 500, json: { status: 'error', message: 'internal error', category: 'INTERNAL_ERROR' }, detail: String((e as Error)?.stack ?? e) };
}

/** HubSpot's error for an injected 429 / 500 / 503. */
function injectedFault(kind: string): HubSpotHttpError {
	return kind === '429' ? errors.rateLimit('TEN_SECONDLY_ROLLING') : errors.internal(Number(kind) as 500 | 503);
}

/** Writes JSON (or an empty body for 204/302) with HubSpot's correlation header. */
function write(res: ServerResponse, reply: Reply): void {
	const body = reply.json;
	const headers = reply.headers ?? {};
	const correlation = typeof body === 'object' && body && 'correlationId' in body ? String((body as any).correlationId) : undefined;
	writeReply(res, { ...reply, headers: correlation ? { 'X-HubSpot-Correlation-Id': correlation, ...headers } : headers });
}

/** What the stages learn about one call. */
interface HubSpotCall {
	matched?: Route;
	request?: RequestContext;
	rateHeaders: Record<string, string>;
}

function stages(ctx: HubSpotServerContext): ApiStages<HubSpotCall> {
	return {
		async resolve(x) {
			const rawBody = await x.body();
			const match = matchRoute(ctx.routes, x.method, x.path);
			if (!match) throw errors.unknownRoute(x.method, x.path);
			if ('methodNotAllowed' in match) throw errors.methodNotAllowed(x.method);
			x.endpoint = endpointName(match.route, match.params);
			const { method, path, req } = x;
			x.call.matched = match.route;
			x.call.request = { method, path, query: x.url.searchParams, params: match.params, headers: req.headers, rawBody, store: ctx.store() };
		},
		authenticate({ call: { matched, request } }) {
			if (matched?.auth !== 'bearer' || !request) return;
			if (ctx.faults.shouldExpireTokens()) ctx.auth.expireAccessTokens();
			request.principal = ctx.auth.authenticate(request.headers.authorization);
			ctx.auth.requireScopes(request.principal, matched.scopes?.(request.params) ?? []);
		},
		limit({ call }) {
			if (call.matched?.auth !== 'bearer' || !call.request?.principal) return;
			call.rateHeaders = ctx.limiter.check(call.request.principal, call.matched.rateClass);
		},
		async route({ call }) {
			const result = await (call.matched as Route).handler(call.request as RequestContext);
			return { status: result.status, json: result.body, headers: { ...call.rateHeaders, ...result.headers } };
		},
	};
}

export function createHubSpotHandler(ctx: HubSpotServerContext): (req: IncomingMessage, res: ServerResponse) => void {
	return createPipeline<HubSpotCall>({
		api: 'hubspot',
		log: ctx.log,
		control: hubSpotControlRouter(ctx),
		badUrlReply: { status: 400, json: { status: 'error', message: 'Malformed request URL', category: 'VALIDATION_ERROR' } },
		classify: (method, path) => ({ call: { rateHeaders: {} }, endpoint: `${method} ${path}`, gaugeKey: 'hubspot' }),
		gauge: ctx.gauge,
		faults: { injector: ctx.faults, reply: (decision) => errorReply(injectedFault(decision.kind)) },
		logOnClose: false,
		stages: stages(ctx),
		errorReply,
		write,
	});
}
