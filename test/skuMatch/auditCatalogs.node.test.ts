import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { blockExternalNetwork } from '../harness';
import { HUBSPOT_BASE, NODE_NAME, companyWithItems, nodeRunner, outputs, qboItem } from '../kit';

const runSkuMatch = nodeRunner('skuMatch');

beforeAll(() => blockExternalNetwork());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const audit = (extra: IDataObject = {}) => ({ operation: 'auditCatalogs', hubspotAuthentication: 'appToken', ...extra });

function hubspotProduct(id: string, sku: string | null, name = `Product ${id}`) {
	return { id, properties: { hs_object_id: id, name, hs_sku: sku, price: '10.00' }, archived: false };
}

/** HubSpot's product list, 100 per page, answering with the `after` cursor. */
function hubspotProducts(products: ReturnType<typeof hubspotProduct>[], pageSize = 100) {
	const calls: Array<Record<string, string>> = [];
	const scope = nock(HUBSPOT_BASE)
		.persist()
		.get('/crm/v3/objects/products')
		.query(true)
		.matchHeader('authorization', 'Bearer pat-na1-11111111-2222-3333-4444-555555555555')
		.reply((uri) => {
			const query = Object.fromEntries(new URL(uri, HUBSPOT_BASE).searchParams);
			calls.push(query);
			const start = query.after ? Number(query.after) : 0;
			const results = products.slice(start, start + pageSize);
			const next = start + pageSize < products.length ? { next: { after: String(start + pageSize) } } : {};
			return [200, { results, paging: next.next ? next : undefined }];
		});
	return { calls, scope };
}

describe('SKU Match: audit catalogs', () => {
	it('reads every HubSpot product (paged, 100 a page) and every QuickBooks item, and emits one item per problem plus a summary', async () => {
		const products = [
			hubspotProduct('1', 'PROD-001'),
			hubspotProduct('2', 'prod-002'),
			hubspotProduct('3', 'HS-ONLY'),
			hubspotProduct('4', null, 'No SKU product'),
			hubspotProduct('5', 'OLD'),
			...Array.from({ length: 120 }, (_unused, index) => hubspotProduct(String(100 + index), `BULK-${index}`)),
		];
		const hubspot = hubspotProducts(products);
		const qbo = companyWithItems([
			qboItem('1', 'PROD-001'),
			qboItem('2', 'PROD-002'),
			qboItem('3', 'QB-ONLY'),
			qboItem('4', 'OLD', 'Old', false),
			qboItem('5', 'DUP'),
			qboItem('6', 'DUP'),
			...Array.from({ length: 120 }, (_unused, index) => qboItem(String(100 + index), `BULK-${index}`)),
		]);

		const result = await runSkuMatch(audit(), [{}]);
		const { main, errors } = outputs(result);

		expect(errors).toEqual([]);
		expect(hubspot.calls).toEqual([
			{ limit: '100', properties: 'name,hs_sku,price', archived: 'false' },
			{ limit: '100', properties: 'name,hs_sku,price', archived: 'false', after: '100' },
		]);
		expect(qbo.requests.map((request) => request.queries)).toEqual([['SELECT * FROM Item WHERE Active IN (true, false) STARTPOSITION 1 MAXRESULTS 1000']]);

		const problems = main.filter((item) => !item.summary);
		expect(problems.map((item) => [item.problem, item.sku])).toEqual([
			['missing_in_quickbooks', 'HS-ONLY'],
			['missing_in_hubspot', 'DUP'],
			['missing_in_hubspot', 'QB-ONLY'],
			['case_or_space_mismatch', 'prod-002'],
			['duplicate_sku_quickbooks', 'DUP'],
			['inactive_in_quickbooks', 'OLD'],
			['product_without_sku', null],
		]);
		expect(problems[3]).toMatchObject({
			hubspot: { products: [{ id: '2', name: 'Product 2', sku: 'prod-002', price: '10.00' }] },
			quickbooks: { items: [{ id: '2', sku: 'PROD-002', active: true }] },
			message: expect.stringContaining('differs only by case or spaces'),
			hint: expect.any(String),
		});
		const summary = main[main.length - 1];
		expect(summary).toMatchObject({
			summary: true,
			problems: 7,
			hubspotProducts: 125,
			quickbooksItems: 126,
			counts: { missing_in_quickbooks: 1, missing_in_hubspot: 2, case_or_space_mismatch: 1, duplicate_sku_quickbooks: 1, inactive_in_quickbooks: 1, product_without_sku: 1, duplicate_sku_hubspot: 0 },
			requests: { hubspot: 2, quickbooks: 1 },
		});
		expect(summary.text).toMatch(/^Catalog audit: 125 HubSpot products, 126 QuickBooks items; 7 problems: /);
		expect(result.output(NODE_NAME).every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('runs once however many items come in, and leaves out ignored kinds', async () => {
		const hubspot = hubspotProducts([hubspotProduct('1', 'A'), hubspotProduct('2', null)]);
		const qbo = companyWithItems([qboItem('1', 'B')]);
		const { main } = outputs(await runSkuMatch(audit({ auditOptions: { ignoreProblems: ['product_without_sku', 'missing_in_hubspot'] } }), [{}, {}, {}]));
		expect(main.map((item) => item.problem ?? 'summary')).toEqual(['missing_in_quickbooks', 'summary']);
		expect(main[1]).toMatchObject({ problems: 1, ignored: ['product_without_sku', 'missing_in_hubspot'] });
		expect(hubspot.calls).toHaveLength(1);
		expect(qbo.requests).toHaveLength(1);
	});

	it('a HubSpot credential without the products scope → PERMISSION_DENIED on the error output', async () => {
		nock(HUBSPOT_BASE)
			.get('/crm/v3/objects/products')
			.query(true)
			.reply(403, {
				status: 'error',
				category: 'MISSING_SCOPES',
				message: 'This app hasn\'t been granted all required scopes to make this call.',
				errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['e-commerce'] } }],
			});
		companyWithItems([]);
		const { main, errors } = outputs(await runSkuMatch(audit(), [{}]));
		expect(main).toEqual([]);
		expect(errors[0].error).toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringContaining('e-commerce') });
	});

	it('catalogs that match: only the summary, saying so', async () => {
		hubspotProducts([hubspotProduct('1', 'A')]);
		companyWithItems([qboItem('1', 'A')]);
		const { main } = outputs(await runSkuMatch(audit(), [{}]));
		expect(main).toHaveLength(1);
		expect(main[0].text).toBe('Catalog audit: 1 HubSpot product, 1 QuickBooks item; no SKU mismatches found.');
	});
});
