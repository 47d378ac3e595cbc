/**
 * The QuickBooks Online API proper (after auth and limits) as a route table: method + the path
 * after /v3/company/{realmId}/. Resource names match case-insensitively, as QBO's do;
 * `:entity` is any entity of ENTITY_BY_PATH, `:id` any segment. No match: UnsupportedOperation.
 */
import type { Reply } from '../common/reply';
import type { QboAssumptions } from './assumptions';
import { runBatch } from './batch';
import { ENTITY_BY_PATH, deleteEntity, readEntity, saveEntity, saveSingleton, voidEntity, type WriteOptions } from './entities';
import { invalidProperty, objectNotFound, unsupportedOperation } from './qboErrors';
import { runQuery } from './queryEngine';
import { changeDataCapture } from './cdc';
import type { EntityName, RealmState } from './state';

/** One API call, as the routes see it. */
export interface ApiCall {
	method: string;
	url: URL;
	realm: RealmState;
	/** The `:id` segment, undecoded. */
	id: string;
	/** The `:entity` segment's entity. */
	entity: EntityName;
	opts: WriteOptions;
	now: Date;
	/** now as ISO text (`time` in every body). */
	time: string;
	assumptions: QboAssumptions;
	body(): Promise<Buffer>;
}

type ErrorReply = (err: unknown, now: Date) => Reply;

export interface ApiRoute {
	method: 'GET' | 'POST';
	/** Segments after the realm: a resource name (lower case), ':entity' or ':id'. */
	path: string[];
	handle(call: ApiCall): Reply | Promise<Reply>;
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

async function jsonBody(call: ApiCall): Promise<unknown> {
	return parseJson(await call.body());
}

/** Entity name of a query, for the log's detail (best effort, also for malformed queries). */
function queryEntity(text: string | null): string | undefined {
	return text ? /\bfrom\s+([A-Za-z]+)/i.exec(text)?.[1] : undefined;
}

function query(call: ApiCall, text: string | null, errorReply: ErrorReply): Reply {
	const detail = queryEntity(text);
	try {
		return { status: 200, json: { QueryResponse: runQuery(call.realm, text ?? '', call.assumptions), time: call.time }, detail };
	} catch (err) {
		return { ...errorReply(err, call.now), detail };
	}
}

async function writeEntity(call: ApiCall): Promise<Reply> {
	const { entity, realm, opts, time } = call;
	const operation = (call.url.searchParams.get('operation') ?? '').toLowerCase();
	const payload = await jsonBody(call);
	if (operation === 'void') {
		return { status: 200, json: { [entity]: voidEntity(realm, entity, payload, opts), time }, detail: 'void' };
	}
	if (operation === 'delete') return { status: 200, json: { [entity]: deleteEntity(realm, entity, payload, opts), time }, detail: 'delete' };
	if (operation !== '' && operation !== 'update' && operation !== 'create') {
		throw invalidProperty(`operation "${operation}" is not supported`, 'operation');
	}
	const isUpdate = !!(payload && typeof payload === 'object' && (payload as any).Id !== undefined);
	return { status: 200, json: { [entity]: saveEntity(realm, entity, payload, opts), time }, detail: isUpdate ? 'update' : 'create' };
}

/** `errorReply` turns a failed query into QBO's fault body while keeping the query's log detail. */
export function apiRoutes(errorReply: ErrorReply): ApiRoute[] {
	const route = (method: ApiRoute['method'], path: string, handle: ApiRoute['handle']): ApiRoute => ({ method, path: path.split('/'), handle });
	return [
		route('GET', 'query', (call) => query(call, call.url.searchParams.get('query'), errorReply)),
		route('POST', 'query', async (call) => query(call, (await call.body()).toString('utf8'), errorReply)),
		route('POST', 'batch', async (call) => {
			const { json, opCount } = runBatch(call.realm, await jsonBody(call), call.opts);
			return { status: 200, json, detail: String(opCount) };
		}),
		route('GET', 'companyinfo/:id', ({ realm, id, time }) => {
			if (id !== realm.realmId && id !== realm.companyInfo.Id) throw objectNotFound('CompanyInfo', id);
			return { status: 200, json: { CompanyInfo: realm.companyInfo, time } };
		}),
		route('POST', 'companyinfo', async (call) => {
			const record = saveSingleton(call.realm, 'companyInfo', await jsonBody(call), call.opts);
			return { status: 200, json: { CompanyInfo: record, time: call.time }, detail: 'update' };
		}),
		route('GET', 'cdc', (call) => ({
			status: 200,
			json: changeDataCapture(call.realm, call.url, call.now, call.assumptions),
			detail: call.url.searchParams.get('entities') ?? undefined,
		})),
		route('GET', 'preferences', ({ realm, time }) => ({ status: 200, json: { Preferences: realm.preferences, time } })),
		route('POST', 'preferences', async (call) => {
			const record = saveSingleton(call.realm, 'preferences', await jsonBody(call), call.opts);
			return { status: 200, json: { Preferences: record, time: call.time }, detail: 'update' };
		}),
		route('GET', ':entity/:id', ({ realm, entity, id, time }) => ({ status: 200, json: { [entity]: readEntity(realm, entity, id), time } })),
		route('POST', ':entity', writeEntity),
	];
}

/** The route for these segments, with the `:entity` and `:id` they name. */
export function matchApiRoute(
	routes: ApiRoute[],
	method: string,
	segments: string[],
): { route: ApiRoute; entity?: EntityName; id?: string } | undefined {
	for (const route of routes) {
		if (route.method !== method || route.path.length !== segments.length) continue;
		const found: { entity?: EntityName; id?: string } = {};
		const fits = route.path.every((part, i) => {
			const segment = segments[i];
			if (part === ':id') {
				found.id = segment;
				return true;
			}
			if (part === ':entity') {
				found.entity = ENTITY_BY_PATH[segment.toLowerCase()];
				return found.entity !== undefined;
			}
			return part === segment.toLowerCase();
		});
		if (fits) return { route, ...found };
	}
	return undefined;
}

/** Serves one API call on a realm; throws UnsupportedOperation when no route fits. */
export async function serveApi(routes: ApiRoute[], call: Omit<ApiCall, 'entity' | 'id'>, segments: string[]): Promise<Reply> {
	const match = matchApiRoute(routes, call.method, segments);
	if (!match) throw unsupportedOperation(call.method, call.url.pathname);
	return match.route.handle({ ...call, entity: match.entity as EntityName, id: match.id as string });
}
