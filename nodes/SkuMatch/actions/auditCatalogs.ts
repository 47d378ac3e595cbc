/**
 * Operation "Audit catalogs": reads every HubSpot product and every QuickBooks item (active and
 * inactive), compares them by SKU and emits one item per problem plus a summary item. It runs once
 * per execution, whatever the number of input items (an audit does not depend on them).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { failedItem } from '../../shared/nodeErrors';
import { HubSpotClient, type HubSpotAuthentication, type HubSpotObject } from '../../shared/transport/hubspot';
import { QuickBooksClient } from '../../shared/transport/quickbooks';
import { auditCatalogs as compareCatalogs, type AuditItem, type AuditProduct, type ProblemKind } from '../catalogAudit';
import { allSettledOrThrow } from '../../shared/collections';

/** HubSpot's list endpoint returns at most 100 per page, but has no 10,000-result cap (search has). */
const PRODUCT_PAGE_SIZE = 100;
const PRODUCT_PROPERTIES = ['name', 'hs_sku', 'price'];

export interface CatalogCounts {
	hubspotRequests: number;
	quickbooksRequests: number;
}

/** Every (unarchived) HubSpot product, paging the list endpoint. */
export async function readHubSpotProducts(client: HubSpotClient): Promise<AuditProduct[]> {
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
export async function readQuickBooksItems(client: QuickBooksClient): Promise<AuditItem[]> {
	const rows = await client.queryAll<IDataObject>('Item', [{ field: 'Active', op: 'IN', value: [true, false] }]);
	return rows.map((row) => ({
		id: String(row.Id),
		name: typeof row.Name === 'string' ? row.Name : null,
		sku: typeof row.Sku === 'string' ? row.Sku : null,
		active: row.Active !== false,
		type: typeof row.Type === 'string' ? row.Type : null,
	}));
}

export async function auditCatalogs(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const input = this.getInputData();
	const authentication = this.getNodeParameter('hubspotAuthentication', 0, 'oAuth2') as HubSpotAuthentication;
	const options = this.getNodeParameter('auditOptions', 0, {}) as IDataObject;
	const ignore = (Array.isArray(options.ignoreProblems) ? options.ignoreProblems : []) as ProblemKind[];
	try {
		const hubspot = await HubSpotClient.create(this, authentication);
		const quickbooks = await QuickBooksClient.create(this);
		const [products, items] = await allSettledOrThrow([readHubSpotProducts(hubspot), readQuickBooksItems(quickbooks)]);
		const { problems, summary } = compareCatalogs(products, items, { ignore });
		const pairedItem = { item: 0 };
		return [
			[
				...problems.map((problem) => ({ json: problem as unknown as IDataObject, pairedItem })),
				{
					json: { ...summary, requests: { hubspot: hubspot.requestCount, quickbooks: quickbooks.requestCount } } as unknown as IDataObject,
					pairedItem,
				},
			],
		];
	} catch (error) {
		return [[failedItem(this, input[0]?.json ?? {}, 0, error, {})]];
	}
}
