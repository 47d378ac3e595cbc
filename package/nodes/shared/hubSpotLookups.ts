/**
 * Finding HubSpot records by the values of one property for a whole execution: one search per
 * 100 values (an IN filter takes up to 100), every page followed. HubSpot compares strings ignoring
 * case, so callers re-check what comes back with their own comparison.
 */
import { chunk } from './collections';
import type { HubSpotClient, HubSpotFilter, HubSpotObject } from './transport/hubspot';

/** Values per IN filter of a HubSpot search. */
export const HUBSPOT_IN_VALUES = 100;

export type HubSpotFinder = Pick<HubSpotClient, 'searchAll'>;

/** Every `objectType` record whose `property` is one of `values` (each record once), with `properties`. */
export async function findByValues(client: HubSpotFinder, objectType: string, property: string, values: Iterable<string>, properties: string[]): Promise<HubSpotObject[]> {
	const byId = new Map<string, HubSpotObject>();
	for (const group of chunk([...new Set(values)].filter((value) => value !== ''), HUBSPOT_IN_VALUES)) {
		const found = await client.searchAll(objectType, {
			filterGroups: [{ filters: [{ propertyName: property, operator: 'IN', values: group } as HubSpotFilter] }],
			properties,
		});
		for (const record of found) byId.set(String(record.id), record);
	}
	return [...byId.values()];
}

/** The oldest record (lowest id) of several holding the same value: the one a person made first. */
export function oldestRecord(records: HubSpotObject[]): HubSpotObject | undefined {
	return [...records].sort((left, right) => Number(left.id) - Number(right.id) || left.id.localeCompare(right.id))[0];
}
