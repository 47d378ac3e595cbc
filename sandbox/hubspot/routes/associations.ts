/** Associations v4: batch read (≤ 1000 inputs, per-input paging), single read, labels, default create. */
import { errors } from '../errors';
import { objectScope } from '../schema';
import { objectBody, objectTypeParam, route, type RequestContext, type Route } from '../router';
import type { ObjectType } from '../types';
import { checkAssociation } from '../writeRules';

const BATCH_MAX = 1000;
const PAGE_MAX = 500;

const readBoth = (p: Record<string, string>) => [
	objectScope(objectTypeParam(p, 'fromType'), 'read'),
	objectScope(objectTypeParam(p, 'toType'), 'read'),
];

/** The unlabeled default type, plus one USER_DEFINED type per label (HubSpot lists both). */
function associationTypes(ctx: RequestContext, fromType: ObjectType, fromId: string, toType: ObjectType, toId: string) {
	return [
		{ category: 'HUBSPOT_DEFINED', typeId: ctx.store.associationTypeId(fromType, toType), label: null },
		...ctx.store.associationLabels(fromType, fromId, toType, toId).map((label) => ({
			category: 'USER_DEFINED',
			typeId: ctx.store.labelTypeId(fromType, toType, label),
			label,
		})),
	];
}

/** One page of an object's associations; v4 sends `toObjectId` as a number on the wire. */
function page(ctx: RequestContext, fromType: ObjectType, id: string, toType: ObjectType, after: number, limit: number) {
	const ids = ctx.store.associatedIds(fromType, id, toType);
	const slice = ids.slice(after, after + limit);
	const to = slice.map((toId) => ({
		toObjectId: Number.isFinite(Number(toId)) ? Number(toId) : toId,
		associationTypes: associationTypes(ctx, fromType, id, toType, toId),
	}));
	const next = after + limit < ids.length ? { next: { after: String(after + limit), link: null } } : undefined;
	return { total: ids.length, to, paging: next };
}

function offset(raw: unknown): number {
	if (raw === undefined || raw === null || raw === '') return 0;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0) throw errors.validation(`after: '${String(raw)}' is not a valid paging cursor`);
	return n;
}

function batchRead(ctx: RequestContext) {
	const fromType = objectTypeParam(ctx.params, 'fromType');
	const toType = objectTypeParam(ctx.params, 'toType');
	const inputs = objectBody(ctx).inputs;
	if (!Array.isArray(inputs)) throw errors.validation('inputs: must be an array');
	if (inputs.length > BATCH_MAX) {
		throw errors.validation(`Batch input of size ${inputs.length} exceeds the limit of ${BATCH_MAX} inputs per request.`);
	}
	const startedAt = new Date().toISOString();
	const results: unknown[] = [];
	const errorsOut: unknown[] = [];
	const seen = new Set<string>();
	for (const input of inputs as any[]) {
		const id = String(input?.id ?? '');
		if (seen.has(id)) continue;
		seen.add(id);
		const p = page(ctx, fromType, id, toType, offset(input?.after), PAGE_MAX);
		if (p.total === 0) {
			// HubSpot reports ids with nothing associated (or that don't exist) as per-input errors.
			errorsOut.push({
				status: 'error',
				category: 'OBJECT_NOT_FOUND',
				subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
				message: `No ${toType} is associated with ${fromType} ${id}.`,
				context: { fromObjectId: [id], toObjectType: [toType] },
				links: {},
				errors: [],
			});
			continue;
		}
		const result: Record<string, unknown> = { from: { id }, to: p.to };
		if (p.paging) result.paging = p.paging;
		results.push(result);
	}
	const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() };
	if (errorsOut.length === 0) return { status: 200, body };
	body.numErrors = errorsOut.length;
	body.errors = errorsOut;
	return { status: 207, body };
}

function singleRead(ctx: RequestContext) {
	const fromType = objectTypeParam(ctx.params, 'fromType');
	const toType = objectTypeParam(ctx.params, 'toType');
	const limitRaw = ctx.query.get('limit');
	const limit = limitRaw === null ? PAGE_MAX : Number(limitRaw);
	if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX) {
		throw errors.validation(`limit: must be an integer between 1 and ${PAGE_MAX}`);
	}
	const p = page(ctx, fromType, ctx.params.id, toType, offset(ctx.query.get('after')), limit);
	const body: Record<string, unknown> = { results: p.to };
	if (p.paging) body.paging = p.paging;
	return { status: 200, body };
}

function labels(ctx: RequestContext) {
	const fromType = objectTypeParam(ctx.params, 'fromType');
	const toType = objectTypeParam(ctx.params, 'toType');
	const typeId = ctx.store.associationTypeId(fromType, toType);
	const labelled = ctx.store.definedLabels(fromType, toType).map(({ label, typeId: id }) => ({ category: 'USER_DEFINED', typeId: id, label }));
	return { status: 200, body: { results: [...(typeId ? [{ category: 'HUBSPOT_DEFINED', typeId, label: null }] : []), ...labelled] } };
}

function createDefault(ctx: RequestContext) {
	const fromType = objectTypeParam(ctx.params, 'fromType');
	const toType = objectTypeParam(ctx.params, 'toType');
	const { fromId, toId } = ctx.params;
	if (!ctx.store.get(fromType, fromId) || !ctx.store.get(toType, toId)) {
		throw errors.notFound(`One of ${fromType} ${fromId} or ${toType} ${toId} does not exist.`);
	}
	if (!ctx.store.associationTypeId(fromType, toType)) {
		throw errors.validation(`${fromType} cannot be associated with ${toType} by default.`);
	}
	checkAssociation(ctx.store, fromType, fromId, toType, toId);
	ctx.store.associate({ fromType, fromId, toType, toId });
	return {
		status: 200,
		body: {
			status: 'COMPLETE',
			results: [
				{
					from: { id: fromId },
					to: { id: toId },
					associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ctx.store.associationTypeId(fromType, toType) },
				},
			],
			startedAt: new Date().toISOString(),
			completedAt: new Date().toISOString(),
		},
	};
}

/** One input of a v4 batch create: both records exist, the type id (if given) is the default or a known label. */
function batchLink(ctx: RequestContext, fromType: ObjectType, toType: ObjectType, input: any, i: number) {
	const fromId = String(input?.from?.id ?? '');
	const toId = String(input?.to?.id ?? '');
	if (!ctx.store.get(fromType, fromId) || !ctx.store.get(toType, toId)) {
		return { error: { status: 'error', category: 'OBJECT_NOT_FOUND', message: `inputs[${i}]: ${fromType} ${fromId} or ${toType} ${toId} does not exist.`, context: { fromObjectId: [fromId], toObjectId: [toId] } } };
	}
	const defaultId = ctx.store.associationTypeId(fromType, toType);
	const asked = Array.isArray(input?.types) ? input.types.map((t: any) => Number(t?.associationTypeId)) : [defaultId];
	const labels = ctx.store.definedLabels(fromType, toType);
	const unknown = asked.filter((id: number) => id !== defaultId && !labels.some((l) => l.typeId === id));
	if (!defaultId || unknown.length) throw errors.validation(`inputs[${i}]: association type ${unknown.join(', ') || 'default'} is not defined from ${fromType} to ${toType}.`);
	checkAssociation(ctx.store, fromType, fromId, toType, toId);
	const chosen = labels.filter((l) => asked.includes(l.typeId)).map((l) => l.label);
	return { link: { fromId, toId, labels: chosen } };
}

/**
 * `POST /crm/v4/associations/{from}/{to}/batch/create` (types given) and `…/batch/associate/default`:
 * all inputs are checked first; records that don't exist are per-input errors (207).
 */
function batchAssociate(ctx: RequestContext) {
	const fromType = objectTypeParam(ctx.params, 'fromType');
	const toType = objectTypeParam(ctx.params, 'toType');
	const inputs = objectBody(ctx).inputs;
	if (!Array.isArray(inputs)) throw errors.validation('inputs: must be an array');
	if (inputs.length > BATCH_MAX) throw errors.validation(`Batch input of size ${inputs.length} exceeds the limit of ${BATCH_MAX} inputs per request.`);
	const startedAt = new Date().toISOString();
	const planned = inputs.map((input, i) => batchLink(ctx, fromType, toType, input, i));
	const results = planned.flatMap((p) => (p.link ? [p.link] : [])).map(({ fromId, toId, labels: chosen }) => {
		ctx.store.associate({ fromType, fromId, toType, toId, labels: chosen.length ? chosen : undefined });
		return { fromObjectTypeId: fromType, fromObjectId: Number(fromId), toObjectTypeId: toType, toObjectId: Number(toId), labels: chosen };
	});
	const errorsOut = planned.flatMap((p) => (p.error ? [p.error] : []));
	const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() };
	if (errorsOut.length === 0) return { status: 201, body };
	return { status: 207, body: { ...body, numErrors: errorsOut.length, errors: errorsOut } };
}

const writeFrom = (p: Record<string, string>) => [objectScope(objectTypeParam(p, 'fromType'), 'write')];

export const associationRoutes: Route[] = [
	route('POST', '/crm/v4/associations/:fromType/:toType/batch/create', { scopes: writeFrom, rateClass: 'exempt' }, batchAssociate),
	route('POST', '/crm/v4/associations/:fromType/:toType/batch/associate/default', { scopes: writeFrom, rateClass: 'exempt' }, batchAssociate),
	// v4 batch association endpoints are exempt from the ten-secondly limit (reference §1).
	route('POST', '/crm/v4/associations/:fromType/:toType/batch/read', { scopes: readBoth, rateClass: 'exempt' }, batchRead),
	route('GET', '/crm/v4/associations/:fromType/:toType/labels', { scopes: readBoth }, labels),
	route('GET', '/crm/v4/objects/:fromType/:id/associations/:toType', { scopes: readBoth }, singleRead),
	route(
		'PUT',
		'/crm/v4/objects/:fromType/:fromId/associations/default/:toType/:toId',
		{ scopes: (p) => [objectScope(objectTypeParam(p, 'fromType'), 'write')] },
		createDefault,
	),
];
