/** Properties API: list/read definitions, create custom properties and groups (so a sync can add its own). */
import { errors } from '../errors';
import { objectBody, objectTypeParam, route, type RequestContext, type Route } from '../router';
import type { PropertyDefinition, PropertyType } from '../types';

const TYPES: PropertyType[] = ['string', 'number', 'datetime', 'date', 'enumeration', 'bool'];
const FIELD_TYPES = ['text', 'textarea', 'number', 'date', 'select', 'radio', 'checkbox', 'booleancheckbox', 'html', 'file', 'phonenumber', 'calculation_equation'];
const NAME_RULE = /^[a-z][a-z0-9_]*$/;

// crm.schemas.{type}.* (the object's own read/write scope also passes; see SCOPE_ALIASES).
const schemaScopes = (access: 'read' | 'write') => (p: Record<string, string>) => {
	const type = objectTypeParam(p);
	return [`crm.schemas.${type}.${access}`];
};

function listProperties(ctx: RequestContext) {
	const type = objectTypeParam(ctx.params);
	return { status: 200, body: { results: [...ctx.store.properties[type].values()] } };
}

function getProperty(ctx: RequestContext) {
	const type = objectTypeParam(ctx.params);
	const def = ctx.store.propertyDefinition(type, ctx.params.propertyName);
	if (!def) throw errors.notFound(`Unable to find property ${ctx.params.propertyName} for object type ${type}`);
	return { status: 200, body: def };
}

function requireString(body: Record<string, unknown>, key: string): string {
	const v = body[key];
	if (typeof v !== 'string' || v.trim() === '') throw errors.validation(`${key}: must be a non-empty string`);
	return v;
}

function createProperty(ctx: RequestContext) {
	const type = objectTypeParam(ctx.params);
	const body = objectBody(ctx);
	const name = requireString(body, 'name');
	const label = requireString(body, 'label');
	const propType = requireString(body, 'type') as PropertyType;
	const fieldType = requireString(body, 'fieldType');
	const groupName = requireString(body, 'groupName');
	if (!NAME_RULE.test(name)) {
		throw errors.validation(`name: '${name}' must start with a lowercase letter and contain only lowercase letters, digits and underscores`);
	}
	if (!TYPES.includes(propType)) throw errors.validation(`type: '${propType}' is not one of ${TYPES.join(', ')}`);
	if (!FIELD_TYPES.includes(fieldType)) throw errors.validation(`fieldType: '${fieldType}' is not one of ${FIELD_TYPES.join(', ')}`);
	if (!ctx.store.groups[type].some((g) => g.name === groupName)) {
		throw errors.validation(`groupName: property group '${groupName}' does not exist for ${type}`);
	}
	const options = Array.isArray(body.options) ? (body.options as any[]) : [];
	if (propType === 'enumeration' && options.length === 0 && fieldType !== 'booleancheckbox') {
		throw errors.validation('options: an enumeration property needs at least one option');
	}
	const now = new Date().toISOString();
	const def: PropertyDefinition = {
		name,
		label,
		type: propType,
		fieldType,
		groupName,
		description: typeof body.description === 'string' ? body.description : '',
		options: options.map((o, i) => ({
			label: String(o?.label ?? o?.value ?? ''),
			value: String(o?.value ?? ''),
			displayOrder: Number(o?.displayOrder ?? i),
			hidden: Boolean(o?.hidden ?? false),
			description: String(o?.description ?? ''),
		})),
		displayOrder: Number(body.displayOrder ?? -1),
		calculated: false,
		externalOptions: false,
		hasUniqueValue: Boolean(body.hasUniqueValue ?? false),
		hidden: Boolean(body.hidden ?? false),
		hubspotDefined: false,
		formField: Boolean(body.formField ?? false),
		createdAt: now,
		updatedAt: now,
		modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
		archived: false,
	};
	return { status: 201, body: ctx.store.addProperty(type, def) };
}

function listGroups(ctx: RequestContext) {
	const type = objectTypeParam(ctx.params);
	return { status: 200, body: { results: ctx.store.groups[type] } };
}

function createGroup(ctx: RequestContext) {
	const type = objectTypeParam(ctx.params);
	const body = objectBody(ctx);
	const name = requireString(body, 'name');
	const label = requireString(body, 'label');
	if (!NAME_RULE.test(name)) throw errors.validation(`name: '${name}' must be lowercase letters, digits and underscores`);
	const group = { name, label, displayOrder: Number(body.displayOrder ?? -1), archived: false };
	return { status: 201, body: ctx.store.addGroup(type, group) };
}

export const propertyRoutes: Route[] = [
	route('GET', '/crm/v3/properties/:objectType/groups', { scopes: schemaScopes('read') }, listGroups),
	route('POST', '/crm/v3/properties/:objectType/groups', { scopes: schemaScopes('write') }, createGroup),
	route('GET', '/crm/v3/properties/:objectType', { scopes: schemaScopes('read') }, listProperties),
	route('POST', '/crm/v3/properties/:objectType', { scopes: schemaScopes('write') }, createProperty),
	route('GET', '/crm/v3/properties/:objectType/:propertyName', { scopes: schemaScopes('read') }, getProperty),
];
