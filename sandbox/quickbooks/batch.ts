/**
 * POST /v3/company/{realmId}/batch (Intuit's batch operations): up to 30 items, each a create /
 * update / delete of one entity (update + optionsData "void" voids an invoice) or a Query. Items run
 * serially; each answers with its entity, its QueryResponse or its own Fault, and the call is HTTP 200.
 */
import { DEFAULT_ASSUMPTIONS, type QboAssumptions } from './assumptions';
import { deleteEntity, saveEntity, voidEntity, type WriteOptions } from './entities';
import { businessValidation, invalidProperty, QboError, requiredParamMissing } from './qboErrors';
import { runQuery } from './queryEngine';
import { ENTITY_NAMES, type EntityName, type RealmState } from './state';

export const MAX_BATCH_ITEMS = 30;
export const MAX_BID_LENGTH = 10;
/** Intuit (batch operation): "The maximum number of objects that can be returned in a response is 1000". */
export const MAX_BATCH_RESPONSE_OBJECTS = 1000;

type BatchItemResponse = { bId: string } & Record<string, unknown>;

function itemFault(bId: string, err: unknown): BatchItemResponse {
	if (err instanceof QboError) return { bId, Fault: err.fault };
	return {
		bId,
		Fault: {
			type: 'SystemFault',
			Error: [{ Message: 'An application error has occurred while processing your request', Detail: String((err as Error)?.message ?? err), code: '10000' }],
		},
	};
}

/** Validates the envelope; throws a 400 QboError when the whole batch is rejected. */
function batchItems(body: unknown): Record<string, any>[] {
	const items = (body as any)?.BatchItemRequest;
	if (!body || typeof body !== 'object' || !Array.isArray(items)) throw requiredParamMissing('BatchItemRequest');
	if (items.length === 0) throw requiredParamMissing('BatchItemRequest');
	if (items.length > MAX_BATCH_ITEMS) {
		throw businessValidation(
			`Batch request has ${items.length} items; a batch can carry at most ${MAX_BATCH_ITEMS} BatchItemRequest payloads.`,
			'BatchItemRequest',
		);
	}
	const seen = new Set<string>();
	for (const item of items) {
		if (!item || typeof item !== 'object') throw invalidProperty('Each BatchItemRequest must be an object', 'BatchItemRequest');
		if (item.bId === undefined || item.bId === null || String(item.bId) === '') throw requiredParamMissing('bId');
		const bId = String(item.bId);
		if (bId.length > MAX_BID_LENGTH) {
			throw businessValidation(`bId "${bId}" is longer than ${MAX_BID_LENGTH} characters.`, 'bId');
		}
		if (seen.has(bId)) throw businessValidation(`bId "${bId}" is used more than once in the batch.`, 'bId');
		seen.add(bId);
	}
	return items;
}

function runItem(realm: RealmState, item: Record<string, any>, opts: WriteOptions): BatchItemResponse {
	const bId = String(item.bId);
	if (typeof item.Query === 'string') return { bId, QueryResponse: runQuery(realm, item.Query, opts.assumptions) };
	const entity = ENTITY_NAMES.find((name) => item[name] !== undefined) as EntityName | undefined;
	if (!entity) throw requiredParamMissing('entity payload (e.g. Invoice) or Query', 'BatchItemRequest');
	const payload = item[entity];
	switch (item.operation) {
		case 'create': {
			const body = payload && typeof payload === 'object' ? { ...payload } : payload;
			if (body && typeof body === 'object') delete body.Id;
			return { bId, [entity]: saveEntity(realm, entity, body, opts) };
		}
		case 'update':
			if (item.optionsData === 'void') {
				return { bId, [entity]: voidEntity(realm, entity, payload, opts) };
			}
			if (!payload || payload.Id === undefined) throw requiredParamMissing('Id');
			return { bId, [entity]: saveEntity(realm, entity, payload, opts) };
		case 'delete':
			return { bId, [entity]: deleteEntity(realm, entity, payload, opts) };
		default:
			throw invalidProperty(`operation "${String(item.operation)}" is not one of create, update, delete`, 'operation');
	}
}

function objectCount(response: BatchItemResponse): number {
	const query = response.QueryResponse as Record<string, unknown> | undefined;
	if (query) return Object.values(query).reduce<number>((count, value) => count + (Array.isArray(value) ? value.length : 0), 0);
	return response.Fault ? 0 : 1;
}

/**
 * Holds the answer to QuickBooks' 1,000 objects. What happens beyond them is the
 * `batchResponseOverflow` setting: rows after the 1,000th are dropped without a fault, or the call fails.
 */
function capObjects(responses: BatchItemResponse[], overflow: QboAssumptions['batchResponseOverflow']): BatchItemResponse[] {
	const total = responses.reduce((count, response) => count + objectCount(response), 0);
	if (total <= MAX_BATCH_RESPONSE_OBJECTS) return responses;
	if (overflow === 'fault') {
		throw businessValidation(`The batch response would hold ${total} objects; a response can hold at most ${MAX_BATCH_RESPONSE_OBJECTS}.`, 'BatchItemRequest');
	}
	let left = MAX_BATCH_RESPONSE_OBJECTS;
	return responses.map((response) => {
		const query = response.QueryResponse as Record<string, unknown> | undefined;
		if (!query) {
			left -= objectCount(response);
			return response;
		}
		const cut: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(query)) {
			if (!Array.isArray(value)) {
				cut[key] = value;
				continue;
			}
			const kept = value.slice(0, Math.max(0, left));
			left -= kept.length;
			if (kept.length) cut[key] = kept;
			if ('maxResults' in query) cut.maxResults = kept.length;
		}
		return { ...response, QueryResponse: cut };
	});
}

/** Runs a batch body; returns the response body and the number of operations (for the request log). */
export function runBatch(realm: RealmState, body: unknown, opts: WriteOptions): { json: unknown; opCount: number } {
	const items = batchItems(body);
	const responses = items.map((item) => {
		try {
			return runItem(realm, item, opts);
		} catch (err) {
			return itemFault(String(item.bId), err);
		}
	});
	const capped = capObjects(responses, (opts.assumptions ?? DEFAULT_ASSUMPTIONS).batchResponseOverflow);
	return { json: { BatchItemResponse: capped, time: opts.now.toISOString() }, opCount: items.length };
}
