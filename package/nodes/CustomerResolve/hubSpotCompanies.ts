/**
 * The HubSpot company of each QuickBooks customer's company name, on the shared `resolveByKeys`:
 * one search for every distinct name of the execution, one batch create for the missing ones (or
 * none, as the settings say). HubSpot does not keep company names unique: of several companies with
 * the name, the oldest is used. Names are compared trimmed and ignoring case, as HubSpot's search does.
 */
import { findByValues, oldestRecord } from '../shared/hubSpotLookups';
import { hubSpotWriter } from '../shared/hubSpotWrites';
import { resolveByKeys, type KeyResolution, type Written } from '../shared/resolveByKeys';
import type { HubSpotClient, HubSpotObject, HubSpotWriteInput } from '../shared/transport/hubspot';

export type CompanyClient = Pick<HubSpotClient, 'searchAll' | 'batchCreate' | 'batchRead'>;

/** create: missing companies are created; matchOnly: an invoice without a company in HubSpot gets none. */
export type CompanyPolicy = 'create' | 'matchOnly';

export type CompanyOutcome = { company: { id: string; created: boolean } | null } | { error: unknown };

/** The key two company names share when they name the same company. */
export function companyKey(name: string): string {
	return name.trim().toLowerCase();
}

/** Every name's company (by its `companyKey`); a failed search fails every name. */
export async function resolveCompanies(client: CompanyClient, names: string[], policy: CompanyPolicy): Promise<Map<string, CompanyOutcome>> {
	const byKey = new Map<string, string>();
	for (const name of names) if (name.trim() && !byKey.has(companyKey(name))) byKey.set(companyKey(name), name.trim());
	try {
		return await resolveByKeys([...byKey.keys()], companyResolution(client, byKey, policy));
	} catch (error) {
		return new Map([...byKey.keys()].map((key) => [key, { error }]));
	}
}

function companyResolution(client: CompanyClient, names: Map<string, string>, policy: CompanyPolicy): KeyResolution<string, Map<string, HubSpotObject[]>, HubSpotObject, HubSpotWriteInput, CompanyOutcome> {
	return {
		lookup: async (keys) => groupByName(await findByValues(client, 'companies', 'name', keys.map((key) => names.get(key) as string), ['name'])),
		decide: (key, found) => {
			const company = oldestRecord(found.get(key) ?? []);
			if (company) return { settle: { company: { id: String(company.id), created: false } } };
			if (policy === 'matchOnly') return { settle: { company: null } };
			return { group: key, create: () => ({ properties: { name: names.get(key) as string } }) };
		},
		write: hubSpotWriter(client, 'companies', { identity: { property: 'name', key: companyKey } }),
		outcome: (_key, written) => companyOutcome(written),
	};
}

function groupByName(companies: HubSpotObject[]): Map<string, HubSpotObject[]> {
	const byKey = new Map<string, HubSpotObject[]>();
	for (const company of companies) {
		const name = company.properties.name;
		if (!name) continue;
		byKey.set(companyKey(name), [...(byKey.get(companyKey(name)) ?? []), company]);
	}
	return byKey;
}

function companyOutcome(written: Written<HubSpotObject, HubSpotWriteInput>): CompanyOutcome {
	if ('created' in written) return { company: { id: String(written.created.id), created: true } };
	if ('adopted' in written) return { company: { id: String(written.adopted.id), created: false } };
	if ('createFailed' in written) return { error: written.createFailed.error };
	return { error: new Error('HubSpot companies are never reactivated') };
}
