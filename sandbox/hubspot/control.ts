/** The HubSpot simulator's `/__sandbox/*` control paths, plus test helpers to create and change records. */
import { act, createControlRouter, type ControlRouter } from '../common/control';
import type { FaultInjector } from '../common/faults';
import type { Reply } from '../common/reply';
import type { RequestLog } from '../common/requestLog';
import type { HubSpotStore } from './store';
import { isObjectType, type HubSpotObject, type ObjectType } from './types';

export interface HubSpotControls {
	store(): HubSpotStore;
	log: RequestLog;
	faults: FaultInjector;
	reset(): void;
	expireAccessTokens(): void;
	createObject(type: ObjectType, properties: Record<string, unknown>, associations: { toType: ObjectType; toId: string; labels?: string[] }[]): HubSpotObject;
	mutate(type: ObjectType, id: string, properties: Record<string, unknown>): HubSpotObject;
}

// Control bodies are JSON, read before routing: a malformed one answers 400 on any control path.
type Body = any;

function notFound(method: string, path: string): Reply {
	return { status: 404, json: { status: 'error', message: `Unknown sandbox control path ${method} ${path}` } };
}

/** The log's HubSpot entries (the log may be shared with the other simulators). */
function logReply(log: RequestLog): Reply {
	const entries = log.entries.filter((e) => e.api === 'hubspot');
	const counts: Record<string, number> = {};
	for (const e of entries) counts[e.endpoint] = (counts[e.endpoint] ?? 0) + 1;
	return { status: 200, json: { entries, countsByEndpoint: counts, total: entries.length } };
}

export function hubSpotControlRouter(c: HubSpotControls): ControlRouter {
	return createControlRouter<Body>({
		readBody: async (read) => {
			const raw = (await read()).toString('utf8');
			return raw.trim() ? JSON.parse(raw) : {};
		},
		routes: [
			{ method: 'GET', path: 'state', handle: () => ({ status: 200, json: c.store().snapshot() }) },
			{ method: 'POST', path: 'reset', handle: act(() => c.reset()) },
			{ method: 'GET', path: 'log', handle: () => logReply(c.log) },
			{
				method: 'POST',
				path: 'faults',
				handle: ({ body }) => {
					c.faults.set(body && Object.keys(body).length > 0 ? body : undefined);
					return { status: 200, json: { ok: true, faults: c.faults.config } };
				},
			},
			{ method: 'POST', path: 'expire-tokens', handle: act(() => c.expireAccessTokens()) },
			{
				method: 'POST',
				path: /^objects\/([^/]+)$/,
				handle: ({ method, path, params: [type], body }) =>
					isObjectType(type) ? { status: 201, json: c.createObject(type, body.properties ?? {}, body.associations ?? []) } : notFound(method, path),
			},
			{
				method: 'PATCH',
				path: /^objects\/([^/]+)\/([^/]+)$/,
				handle: ({ method, path, params: [type, id], body }) => {
					if (!isObjectType(type)) return notFound(method, path);
					if (!c.store().get(type, id)) return { status: 404, json: { status: 'error', message: 'not found' } };
					return { status: 200, json: c.mutate(type, id, body.properties ?? {}) };
				},
			},
		],
		notFound,
		failed: (e: any) => ({ status: 400, json: { status: 'error', message: String(e?.message ?? e) } }),
	});
}
