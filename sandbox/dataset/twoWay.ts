/**
 * Both directions on the same accounts: the forward demo data set with the QuickBooks → HubSpot data
 * set merged into it. The reverse company's customers, items, tax code, invoices, payments and credit
 * memo join the main QuickBooks company; its contacts, companies and the invoice the forward sync made
 * join the HubSpot portal. Products stay the portal's own (one product per SKU), so the reverse line
 * items point at them. Ids, emails and numbers of the two data sets do not overlap, so each
 * direction's expectations hold as they are.
 */
import type { HubSpotObject, HubSpotSeed } from '../hubspot/types';
import type { QboCompanySeed } from '../quickbooks';
import { defaultDataset } from './default';
import { reverseDataset } from './reverse';
import type { ReverseDataset } from './reverseTypes';
import type { Dataset } from './types';

export interface TwoWayDataset extends Dataset {
	/** The QuickBooks → HubSpot part, its realm now the main one. */
	reverse: ReverseDataset;
}

/** The main company with every reverse record whose Id it does not have yet (shared items, accounts and tax codes stay the main company's). */
function mergeCompany(main: QboCompanySeed, reverse: QboCompanySeed): QboCompanySeed {
	const entities = { ...main.entities } as Record<string, any[]>;
	for (const [entity, records] of Object.entries(reverse.entities as Record<string, any[]>)) {
		const present = new Set((entities[entity] ?? []).map((record) => String(record.Id)));
		entities[entity] = [...(entities[entity] ?? []), ...records.filter((record) => !present.has(String(record.Id)))];
	}
	return { ...main, entities };
}

function mergePortal(main: HubSpotSeed, reverse: HubSpotSeed): HubSpotSeed {
	const productBySku = new Map(main.products.map((product) => [product.properties.hs_sku, product.id]));
	const lineItems: HubSpotObject[] = reverse.lineItems.map((line) => ({
		...line,
		properties: { ...line.properties, hs_product_id: productBySku.get(line.properties.hs_sku) ?? null },
	}));
	return {
		...main,
		invoices: [...main.invoices, ...reverse.invoices],
		lineItems: [...main.lineItems, ...lineItems],
		contacts: [...main.contacts, ...reverse.contacts],
		companies: [...main.companies, ...reverse.companies],
		associations: [...main.associations, ...reverse.associations],
	};
}

export function twoWayDataset(opts: { now?: Date | string } = {}): TwoWayDataset {
	const forward = defaultDataset(opts);
	const reverse = reverseDataset(opts);
	const quickbooks = forward.quickbooks.map((company) => (company.realmId === forward.realmId ? mergeCompany(company, reverse.quickbooks[0]) : company));
	// The HubSpot invoice the forward sync made earlier: its QuickBooks invoice is found by the memo's link and left as it is.
	const [madeByForward] = reverse.hubspot.invoices;
	const expectations = {
		...forward.expectations,
		[madeByForward.id]: { outcome: 'unchanged' as const, invoiceNumber: madeByForward.properties.hs_number ?? undefined, note: 'Synced to QuickBooks before (its QuickBooks invoice links it): found by the link, unchanged.' },
	};
	return {
		...forward,
		expectations,
		hubspot: mergePortal(forward.hubspot, reverse.hubspot),
		quickbooks,
		reverse: { ...reverse, quickbooks: quickbooks.filter((company) => company.realmId === forward.realmId), realmId: forward.realmId },
	};
}
