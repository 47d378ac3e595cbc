/** Turns stored records into response objects: property selection as HubSpot does it. */
import { DEFAULT_PROPERTIES, alwaysReturned } from './schema';
import type { HubSpotStore } from './store';
import type { HubSpotObject, ObjectType } from './types';

/**
 * Requested properties (plus the id and timestamps HubSpot always adds) or the type's defaults.
 * A known property with no value comes back as null; an unknown name is silently left out.
 */
export function presentObject(
	store: HubSpotStore,
	type: ObjectType,
	object: HubSpotObject,
	requested?: string[],
): HubSpotObject {
	const names = requested && requested.length > 0 ? [...alwaysReturned(type), ...requested] : DEFAULT_PROPERTIES[type];
	const properties: Record<string, string | null> = {};
	for (const name of names) {
		if (name in properties) continue;
		const value = object.properties[name];
		if (value !== undefined) properties[name] = value === '' ? null : value;
		else if (store.propertyDefinition(type, name)) properties[name] = null;
	}
	return {
		id: object.id,
		properties,
		createdAt: object.createdAt,
		updatedAt: object.updatedAt,
		archived: object.archived,
	};
}

/** `properties` arrives as a repeated or comma-separated query parameter, or a JSON array. */
export function propertyList(value: unknown): string[] | undefined {
	if (value === undefined || value === null) return undefined;
	const raw = Array.isArray(value) ? value : [value];
	const names = raw
		.flatMap((v) => String(v).split(','))
		.map((s) => s.trim())
		.filter(Boolean);
	return names.length > 0 ? names : undefined;
}
