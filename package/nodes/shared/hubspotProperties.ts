/**
 * Custom HubSpot properties a node writes: made sure to exist before the first write, in one GET
 * when they do; otherwise the group and each missing property are created (a 409 from a
 * concurrent run counts as done).
 */
import type { IDataObject } from 'n8n-workflow';

import type { HubSpotClient } from './transport/hubspot';

export interface HubSpotPropertyDefinition {
	name: string;
	label: string;
	type: string;
	fieldType: string;
	description: string;
	options?: ReadonlyArray<{ label: string; value: string; displayOrder: number }>;
}

export interface HubSpotPropertyGroup {
	name: string;
	label: string;
	displayOrder: number;
}

/** Creates the missing ones of `definitions` in `group`; returns the names created. */
export async function ensureHubSpotProperties(
	hubspot: Pick<HubSpotClient, 'request'>,
	objectType: string,
	group: HubSpotPropertyGroup,
	definitions: readonly HubSpotPropertyDefinition[],
): Promise<string[]> {
	const listing = await hubspot.request<IDataObject>('GET', `/crm/v3/properties/${objectType}`);
	const existing = new Set(((listing.results ?? []) as IDataObject[]).map((property) => String(property.name)));
	const missing = definitions.filter((property) => !existing.has(property.name));
	if (missing.length === 0) return [];
	const groups = await hubspot.request<IDataObject>('GET', `/crm/v3/properties/${objectType}/groups`);
	if (!((groups.results ?? []) as IDataObject[]).some((entry) => entry.name === group.name)) {
		await ignoreConflict(hubspot.request('POST', `/crm/v3/properties/${objectType}/groups`, { body: group }));
	}
	for (const property of missing) {
		await ignoreConflict(hubspot.request('POST', `/crm/v3/properties/${objectType}`, { body: { ...property, groupName: group.name, formField: false } }));
	}
	return missing.map((property) => property.name);
}

async function ignoreConflict(request: Promise<unknown>): Promise<void> {
	await request.catch((error: unknown) => {
		if ((error as { status?: number }).status !== 409) throw error;
	});
}
