/** `/crm/v3/objects/{type}`: list, get, batch read, search, create, update, batch update, batch archive. */
import { errors } from '../errors';
import { presentObject, propertyList } from '../present';
import { objectScope } from '../schema';
import { searchObjects } from '../search';
import { compareIds, type HubSpotStore } from '../store';
import { objectBody, objectTypeParam, route, type RequestContext, type Route } from '../router';
import type { HubSpotObject, ObjectType } from '../types';
import { ASSOCIATION_TYPE_IDS } from '../schema';
import { checkAssociation, checkCreate, checkUpdate } from '../writeRules';
import { checkContactCreates } from '../contactRules';

const LIST_MAX = 100;
const BATCH_MAX = 100;

const read = (p: Record<string, string>) => [objectScope(objectTypeParam(p), 'read')];
const write = (p: Record<string, string>) => [objectScope(objectTypeParam(p), 'write')];

/** `associations=contacts,line_items` on reads: v3's embedded association lists. */
function embeddedAssociations(store: HubSpotStore, type: ObjectType, id: string, query: URLSearchParams) {
	const wanted = propertyList(query.getAll('associations'));
	if (!wanted) return undefined;
	const out: Record<string, { results: { id: string; type: string }[] }> = {};
	for (const name of wanted) {
		let toType: ObjectType;
		try {
			toType = objectTypeParam({ t: name }, 't');
		} catch {
			continue; // HubSpot ignores association types it does not know
		}
		const ids = store.associatedIds(type, id, toType);
		if (ids.length === 0) continue;
		const label = `${singular(type)}_to_${singular(toType)}`;
		out[toType] = { results: ids.map((toId) => ({ id: toId, type: label })) };
	}
	return out;
}

function singular(type: ObjectType): string {
	const names: Record<ObjectType, string> = {
		invoices: 'invoice',
		line_items: 'line_item',
		contacts: 'contact',
		companies: 'company',
		products: 'product',
		discounts: 'discount',
		fees: 'fee',
		taxes: 'tax',
		commerce_payments: 'commerce_payment',
	};
	return names[type];
}

/** Finds by id, or by another unique property when `idProperty` is given (e.g. email, hs_number). */
function findObject(store: HubSpotStore, type: ObjectType, id: string, idProperty?: string | null): HubSpotObject | undefined {
	if (!idProperty || idProperty === 'hs_object_id') return store.get(type, id);
	const wanted = id.toLowerCase();
	return store.list(type).find((o) => (o.properties[idProperty] ?? '').toLowerCase() === wanted);
}

function notFound(id: string) {
	const e = errors.notFound('Object not found.  objectId are usually numeric.');
	(e.body as Record<string, unknown>).context = { id: [id] };
	return e;
}

function list(ctx: RequestContext) {
	const type = objectTypeParam(ctx.params);
	const limitRaw = ctx.query.get('limit');
	const limit = limitRaw === null ? 10 : Number(limitRaw);
	if (!Number.isInteger(limit) || limit < 1 || limit > LIST_MAX) {
		throw errors.validation(`limit: must be an integer between 1 and ${LIST_MAX} (got ${limitRaw})`);
	}
	if (ctx.query.get('archived') === 'true') return { status: 200, body: { results: [] } };
	const after = ctx.query.get('after');
	const all = ctx.store.list(type).filter((o) => !after || compareIds(o.id, after) >= 0);
	const requested = propertyList(ctx.query.getAll('properties'));
	const page = all.slice(0, limit).map((o) => {
		const presented: Record<string, unknown> = { ...presentObject(ctx.store, type, o, requested) };
		const assoc = embeddedAssociations(ctx.store, type, o.id, ctx.query);
		if (assoc) presented.associations = assoc;
		return presented;
	});
	const body: Record<string, unknown> = { results: page };
	// HubSpot's list cursor is the id of the first record of the next page.
	if (all.length > limit) body.paging = { next: { after: all[limit].id, link: `?after=${all[limit].id}` } };
	return { status: 200, body };
}

function getOne(ctx: RequestContext) {
	const type = objectTypeParam(ctx.params);
	const object = findObject(ctx.store, type, ctx.params.id, ctx.query.get('idProperty'));
	if (!object) throw notFound(ctx.params.id);
	const body: Record<string, unknown> = {
		...presentObject(ctx.store, type, object, propertyList(ctx.query.getAll('properties'))),
	};
	const assoc = embeddedAssociations(ctx.store, type, object.id, ctx.query);
	if (assoc) body.associations = assoc;
	return { status: 200, body };
}

function inputsOf(body: Record<string, unknown>, max: number): Record<string, unknown>[] {
	const inputs = body.inputs;
	if (!Array.isArray(inputs)) throw errors.validation('inputs: must be an array');
	if (inputs.length > max) {
		throw errors.validation(`Batch input of size ${inputs.length} exceeds the limit of ${max} inputs per request.`, {
			context: { maxInputs: [String(max)] },
		});
	}
	return inputs.map((input, i) => {
		if (!input || typeof input !== 'object') throw errors.validation(`inputs[${i}]: must be an object`);
		return input as Record<string, unknown>;
	});
}

function batchEnvelope(results: unknown[], missing: string[], type: ObjectType, verb: string) {
	const startedAt = new Date().toISOString();
	const body: Record<string, unknown> = {
		status: 'COMPLETE',
		results,
		startedAt,
		completedAt: new Date().toISOString(),
	};
	if (missing.length === 0) return { status: 200, body };
	// Partial success: 207 Multi-Status with the missing ids listed in one error.
	body.numErrors = 1;
	body.errors = [
		{
			status: 'error',
			category: 'OBJECT_NOT_FOUND',
			message: `Could not ${verb} some ${type} objects, they may be deleted or not exist. Check that ids are valid.`,
			context: { ids: missing },
			links: {},
			errors: [],
		},
	];
	return { status: 207, body };
}

function batchRead(ctx: RequestContext) {
	const type = objectTypeParam(ctx.params);
	const body = objectBody(ctx);
	const inputs = inputsOf(body, BATCH_MAX);
	const requested = propertyList(body.properties);
	const idProperty = typeof body.idProperty === 'string' ? body.idProperty : undefined;
	const seen = new Set<string>();
	const results: HubSpotObject[] = [];
	const missing: string[] = [];
	for (const input of inputs) {
		const id = String(input.id ?? '');
		if (seen.has(id)) continue;
		seen.add(id);
		const object = findObject(ctx.store, type, id, idProperty);
		if (object) results.push(presentObject(ctx.store, type, object, requested));
		else missing.push(id);
	}
	return batchEnvelope(results, missing, type, 'get');
}

function propertiesOf(input: Record<string, unknown>, at: string): Record<string, unknown> {
	const props = input.properties;
	if (!props || typeof props !== 'object' || Array.isArray(props)) {
		throw errors.validation(`${at}properties: must be an object of property values`);
	}
	return props as Record<string, unknown>;
}

function updated(ctx: RequestContext, type: ObjectType, object: HubSpotObject, changed: string[]) {
	return presentObject(ctx.store, type, object, changed);
}

function patchOne(ctx: RequestContext) {
	const type = objectTypeParam(ctx.params);
	const object = findObject(ctx.store, type, ctx.params.id, ctx.query.get('idProperty'));
	if (!object) throw notFound(ctx.params.id);
	const values = propertiesOf(objectBody(ctx), '');
	const issues = ctx.store.validateProperties(type, values);
	if (issues.length > 0) throw errors.invalidProperties(issues);
	checkUpdate(ctx.store, type, object, values);
	ctx.store.update(type, object.id, values);
	return { status: 200, body: updated(ctx, type, object, Object.keys(values)) };
}

function batchUpdate(ctx: RequestContext) {
	const type = objectTypeParam(ctx.params);
	const inputs = inputsOf(objectBody(ctx), BATCH_MAX);
	// HubSpot validates the whole batch first: one invalid value fails every input.
	const planned = inputs.map((input, i) => ({ id: String(input.id ?? ''), values: propertiesOf(input, `inputs[${i}].`) }));
	const issues = planned.flatMap((p) => ctx.store.validateProperties(type, p.values));
	if (issues.length > 0) throw errors.invalidProperties(issues);
	for (const p of planned) {
		const object = ctx.store.get(type, p.id);
		if (object) checkUpdate(ctx.store, type, object, p.values);
	}
	const results: HubSpotObject[] = [];
	const missing: string[] = [];
	for (const p of planned) {
		const object = ctx.store.get(type, p.id);
		if (!object) {
			missing.push(p.id);
			continue;
		}
		ctx.store.applyProperties(type, object, p.values);
		results.push(updated(ctx, type, object, Object.keys(p.values)));
	}
	return batchEnvelope(results, missing, type, 'update');
}

/** The associations a create names (`[{to:{id}, types:[{associationTypeId}]}]`), resolved and checked. */
function createAssociations(ctx: RequestContext, type: ObjectType, body: Record<string, unknown>, at: string) {
	const links = Array.isArray(body.associations) ? (body.associations as any[]) : [];
	return links.map((a, i) => {
		const typeId = Number(a?.types?.[0]?.associationTypeId);
		const toType = (Object.entries(ASSOCIATION_TYPE_IDS[type] ?? {}) as [ObjectType, number][]).find(([, id]) => id === typeId)?.[0];
		const toId = String(a?.to?.id ?? '');
		if (!toType) throw errors.validation(`${at}associations[${i}]: unknown associationTypeId ${typeId} for ${type}`);
		if (!ctx.store.get(toType, toId)) throw errors.validation(`${at}associations[${i}]: ${toType} ${toId} does not exist`);
		return { toType, toId };
	});
}

/** Everything a create needs, checked before anything is stored. */
function plannedCreate(ctx: RequestContext, type: ObjectType, body: Record<string, unknown>, at = '') {
	const values = propertiesOf(body, at);
	const issues = ctx.store.validateProperties(type, values);
	if (issues.length > 0) throw errors.invalidProperties(issues);
	const links = createAssociations(ctx, type, body, at);
	return { values: checkCreate(ctx.store, type, values), links, requested: Object.keys(values) };
}

function storeCreate(ctx: RequestContext, type: ObjectType, plan: ReturnType<typeof plannedCreate>) {
	const object = ctx.store.create(type, plan.values);
	for (const l of plan.links) {
		checkAssociation(ctx.store, type, object.id, l.toType, l.toId);
		ctx.store.associate({ fromType: type, fromId: object.id, toType: l.toType, toId: l.toId });
	}
	return presentObject(ctx.store, type, object, plan.requested);
}

/** Creates a record; `associations: [{to:{id}, types:[{associationTypeId}]}]` links it. */
function createOne(ctx: RequestContext) {
	const type = objectTypeParam(ctx.params);
	const plan = plannedCreate(ctx, type, objectBody(ctx));
	checkContactCreates(ctx.store, type, [plan.values]);
	return { status: 201, body: storeCreate(ctx, type, plan) };
}

/** `batch/create`: every input checked first (one bad input fails the batch), then all created. */
function batchCreate(ctx: RequestContext) {
	const type = objectTypeParam(ctx.params);
	const plans = inputsOf(objectBody(ctx), BATCH_MAX).map((input, i) => plannedCreate(ctx, type, input, `inputs[${i}].`));
	checkContactCreates(ctx.store, type, plans.map((plan) => plan.values));
	const results = plans.map((plan) => storeCreate(ctx, type, plan));
	const { body } = batchEnvelope(results, [], type, 'create');
	return { status: 201, body };
}

/**
 * `batch/archive`: up to 100 ids, 204 No Content whatever each id's state (HubSpot documents the
 * same answer for active, already archived and non-existent records).
 */
function batchArchive(ctx: RequestContext) {
	const type = objectTypeParam(ctx.params);
	const ids = inputsOf(objectBody(ctx), BATCH_MAX).map((input) => String(input.id ?? ''));
	for (const id of ids) ctx.store.archive(type, id);
	return { status: 204 };
}

export const objectRoutes: Route[] = [
	route('POST', '/crm/v3/objects/:objectType/search', { rateClass: 'search', scopes: read }, (ctx) => ({
		status: 200,
		body: searchObjects(ctx.store, objectTypeParam(ctx.params), objectBody(ctx)),
	})),
	route('POST', '/crm/v3/objects/:objectType/batch/read', { scopes: read }, batchRead),
	route('POST', '/crm/v3/objects/:objectType/batch/update', { scopes: write }, batchUpdate),
	route('POST', '/crm/v3/objects/:objectType/batch/create', { scopes: write }, batchCreate),
	route('POST', '/crm/v3/objects/:objectType/batch/archive', { scopes: write }, batchArchive),
	route('GET', '/crm/v3/objects/:objectType', { scopes: read }, list),
	route('POST', '/crm/v3/objects/:objectType', { scopes: write }, createOne),
	route('GET', '/crm/v3/objects/:objectType/:id', { scopes: read }, getOne),
	route('PATCH', '/crm/v3/objects/:objectType/:id', { scopes: write }, patchOne),
];
