/** A tiny route table: method + path template → handler, with the metadata the server enforces. */
import type { IncomingHttpHeaders } from 'http';
import type { Principal } from './auth';
import { errors } from './errors';
import type { RateClass } from './rateLimits';
import type { HubSpotStore } from './store';
import { isObjectType, type ObjectType } from './types';

export interface RequestContext {
	method: string;
	path: string;
	query: URLSearchParams;
	params: Record<string, string>;
	headers: IncomingHttpHeaders;
	rawBody: Buffer;
	principal?: Principal;
	store: HubSpotStore;
}

export interface RouteResult {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export interface Route {
	method: string;
	template: string;
	pattern: RegExp;
	keys: string[];
	/** 'bearer' routes need a token; 'none' are the OAuth endpoints. */
	auth: 'bearer' | 'none';
	rateClass: RateClass;
	/** Scopes the caller must hold, computed from the path parameters. */
	scopes?: (params: Record<string, string>) => string[];
	handler: (ctx: RequestContext) => RouteResult | Promise<RouteResult>;
}

export function route(
	method: string,
	template: string,
	options: Partial<Pick<Route, 'auth' | 'rateClass' | 'scopes'>>,
	handler: Route['handler'],
): Route {
	const keys: string[] = [];
	const source = template
		.split('/')
		.map((segment) => {
			if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			keys.push(segment.slice(1));
			return '([^/]+)';
		})
		.join('/');
	return {
		method,
		template,
		pattern: new RegExp(`^${source}/?$`),
		keys,
		auth: options.auth ?? 'bearer',
		rateClass: options.rateClass ?? 'standard',
		scopes: options.scopes,
		handler,
	};
}

export type RouteMatch = { route: Route; params: Record<string, string> } | { methodNotAllowed: true } | undefined;

export function matchRoute(routes: Route[], method: string, path: string): RouteMatch {
	let pathMatched = false;
	for (const r of routes) {
		const m = r.pattern.exec(path);
		if (!m) continue;
		pathMatched = true;
		if (r.method !== method) continue;
		const params: Record<string, string> = {};
		r.keys.forEach((k, i) => {
			params[k] = safeDecode(m[i + 1]);
		});
		return { route: r, params };
	}
	return pathMatched ? { methodNotAllowed: true } : undefined;
}

/**
 * The endpoint name for the request log: object types stay literal ("POST
 * /crm/v3/objects/invoices/search") so counts per object are visible; ids become ":id".
 */
export function endpointName(r: Route, params: Record<string, string>): string {
	const path = r.template
		.split('/')
		.map((segment) => {
			if (!segment.startsWith(':')) return segment;
			const key = segment.slice(1);
			return /type$/i.test(key) ? params[key] : segment;
		})
		.join('/');
	return `${r.method} ${path}`;
}

function safeDecode(s: string): string {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

/** The object type from a path parameter; HubSpot answers 400 for one it cannot infer. */
export function objectTypeParam(params: Record<string, string>, key = 'objectType'): ObjectType {
	const raw = params[key];
	const aliases: Record<string, ObjectType> = {
		invoice: 'invoices',
		'0-53': 'invoices',
		line_item: 'line_items',
		'0-8': 'line_items',
		contact: 'contacts',
		'0-1': 'contacts',
		company: 'companies',
		'0-2': 'companies',
		product: 'products',
		'0-7': 'products',
		discount: 'discounts',
		fee: 'fees',
		tax: 'taxes',
		commerce_payment: 'commerce_payments',
	};
	const type = isObjectType(raw) ? raw : aliases[raw];
	if (!type) throw errors.validation(`Unable to infer object type from: ${raw}`);
	return type;
}

/** Parses the JSON body; malformed JSON gets HubSpot's 400. */
export function jsonBody<T = Record<string, unknown>>(ctx: RequestContext): T {
	const text = ctx.rawBody.toString('utf8');
	if (text.trim() === '') throw errors.validation('Invalid input JSON: the request body is empty.');
	try {
		return JSON.parse(text) as T;
	} catch (e) {
		throw errors.invalidJson((e as Error).message);
	}
}

/** Reads a body that must be an object (not an array or scalar). */
export function objectBody(ctx: RequestContext): Record<string, unknown> {
	const body = jsonBody<unknown>(ctx);
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw errors.validation('Invalid input JSON: expected a JSON object.');
	}
	return body as Record<string, unknown>;
}
