/**
 * The batch logic of "Audit catalogs": reads every HubSpot product and every QuickBooks item
 * (active and inactive) and compares them by SKU (catalogAudit.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import { allSettledOrThrow } from '../shared/collections';
import type { HubSpotClient, HubSpotObject } from '../shared/transport/hubspot';
import type { QuickBooksClient } from '../shared/transport/quickbooks';
import { auditCatalogs as compareCatalogs, type AuditItem, type AuditProblem, type AuditProduct, type AuditSummary } from './catalogAudit';
import type { AuditSettings } from './settings';

/** HubSpot's list endpoint returns at most 100 per page, but has no 10,000-result cap (search has). */
const PRODUCT_PAGE_SIZE = 100;
const PRODUCT_PROPERTIES = ['name', 'hs_sku', 'price'];

export interface CatalogClients {
	hubspot: Pick<HubSpotClient, 'request' | 'requestCount'>;
	quickbooks: Pick<QuickBooksClient, 'queryAll' | 'requestCount'>;
}

/** Every (unarchived) HubSpot product, paging the list endpoint. */
export async function readHubSpotProducts(client: CatalogClients['hubspot']): Promise<AuditProduct[]> {
	const products: AuditProduct[] = [];
	let after: string | undefined;
	do {
		const qs: IDataObject = { limit: PRODUCT_PAGE_SIZE, properties: PRODUCT_PROPERTIES.join(','), archived: false };
		if (after) qs.after = after;
		const page = await client.request<IDataObject>('GET', '/crm/v3/objects/products', { qs });
		for (const product of (page.results ?? []) as HubSpotObject[]) {
			const properties = product.properties ?? {};
			products.push({
				id: String(product.id),
				name: properties.name ?? null,
				sku: properties.hs_sku ?? null,
				price: properties.price ?? null,
			});
		}
		const next = ((page.paging as IDataObject | undefined)?.next as IDataObject | undefined)?.after;
		after = next !== undefined && next !== null && String(next) !== '' ? String(next) : undefined;
	} while (after);
	return products;
}

/** Every QuickBooks item, inactive ones included (they still hold their SKU). */
export async function readQuickBooksItems(client: CatalogClients['quickbooks']): Promise<AuditItem[]> {
	const rows = await client.queryAll<IDataObject>('Item', [{ field: 'Active', op: 'IN', value: [true, false] }]);
	return rows.map((row) => ({
		id: String(row.Id),
		name: typeof row.Name === 'string' ? row.Name : null,
		sku: typeof row.Sku === 'string' ? row.Sku : null,
		active: row.Active !== false,
		type: typeof row.Type === 'string' ? row.Type : null,
	}));
}

/** One item per problem, then the summary with the requests the audit cost. */
export async function auditCatalogs(clients: CatalogClients, settings: AuditSettings): Promise<Array<AuditProblem | (AuditSummary & { requests: { hubspot: number; quickbooks: number } })>> {
	const [products, items] = await allSettledOrThrow([readHubSpotProducts(clients.hubspot), readQuickBooksItems(clients.quickbooks)]);
	const { problems, summary } = compareCatalogs(products, items, { ignore: settings.ignore });
	return [...problems, { ...summary, requests: { hubspot: clients.hubspot.requestCount, quickbooks: clients.quickbooks.requestCount } }];
}
