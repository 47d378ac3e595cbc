import nock from 'nock';

import { getHubSpotTaxRates } from '../../package/nodes/shared/loadOptions/hubspot';
import { blockExternalNetwork, runListSearch, runLoadOptions, PACKAGE_NAME } from '../harness';
import { COMPANY_PATH, fault, mockQuickBooks, queryResponse, quickBooksTestCredentials } from '../kit';
import { fakeContext } from '../shared/fakeContext';

const HUBSPOT = 'https://hubspot.test';
const hubspotCredentials = { hubSpotInvoiceSyncAppTokenApi: { accessToken: 'pat-na1-token', useCustomBaseUrl: true, baseUrl: HUBSPOT } };

beforeAll(() => blockExternalNetwork());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** A load-options context whose QuickBooks requests are answered by `handler` (for loaders no node of this folder exposes). */
function loadContext(handler: Parameters<typeof fakeContext>[0], parameters: Record<string, unknown> = {}) {
	const fake = fakeContext(handler);
	const context = Object.assign(fake.context as object, {
		getNode: () => ({ name: 'Node', type: 'x', typeVersion: 1, parameters: {}, id: '1', position: [0, 0] }),
		getCurrentNodeParameter: (name: string) => parameters[name],
	});
	return { context: context as never, requests: fake.requests };
}

describe('QuickBooks list searches (resource locators)', () => {
	const search = (nodeType: string, method: string, filter?: string, paginationToken?: string) =>
		runListSearch({ nodeType: `${PACKAGE_NAME}.${nodeType}`, method, parameters: { hubspotAuthentication: 'none' }, credentials: quickBooksTestCredentials(), filter, paginationToken });

	it('tax codes: active, visible codes by name with the Id as value, one page of 100 asked for (Tax Map)', async () => {
		const requests = mockQuickBooks(() => ({
			body: queryResponse('TaxCode', [
				{ Id: '7', Name: 'GST', Description: 'GST 5%', Active: true, Taxable: true },
				{ Id: '6', Name: 'Exempt', Active: true, Taxable: false },
				{ Id: '9', Name: 'Hidden one', Active: true, Hidden: true },
			]),
		}));
		expect(await search('taxMap', 'searchQuickBooksTaxCodes')).toEqual({
			results: [
				{ name: 'Exempt', value: '6', description: 'non-taxable · ID 6' },
				{ name: 'GST', value: '7', description: 'GST 5% · taxable · ID 7' },
			],
		});
		expect(requests.map((r) => [r.path, r.body])).toEqual([[`${COMPANY_PATH}/query`, 'SELECT * FROM TaxCode STARTPOSITION 1 MAXRESULTS 100']]);
	});

	it('tax codes: the search text is filtered by QuickBooks (Name LIKE), not in the node', async () => {
		const requests = mockQuickBooks(() => ({ body: queryResponse('TaxCode', [{ Id: '7', Name: 'GST', Active: true }]) }));
		await search('taxMap', 'searchQuickBooksTaxCodes', '  gst ');
		expect(requests.map((r) => r.body)).toEqual(["SELECT * FROM TaxCode WHERE Name LIKE '%gst%' STARTPOSITION 1 MAXRESULTS 100"]);
	});

	it('products: filtered and ordered by name in QuickBooks; categories left out; the SKU shown (SKU Match)', async () => {
		const requests = mockQuickBooks(() => ({
			body: queryResponse('Item', [
				{ Id: '3', Name: 'Widget service', Type: 'Service' },
				{ Id: '2', Name: 'Widgets', Type: 'Category' },
				{ Id: '1', Name: 'Widget', Sku: 'PROD-001', Type: 'NonInventory' },
			]),
		}));
		expect(await search('skuMatch', 'searchQuickBooksItems', 'widget')).toEqual({
			// QuickBooks' order (ORDERBY Name) is kept as it comes.
			results: [
				{ name: 'Widget service', value: '3', description: 'Service · no SKU · ID 3' },
				{ name: 'Widget (PROD-001)', value: '1', description: 'NonInventory · SKU PROD-001 · ID 1' },
			],
		});
		expect(requests.map((r) => r.body)).toEqual(["SELECT * FROM Item WHERE Name LIKE '%widget%' ORDERBY Name STARTPOSITION 1 MAXRESULTS 100"]);
	});

	it("products: a quote or backslash in the search text is escaped with the transport's query escaping", async () => {
		const requests = mockQuickBooks(() => ({ body: queryResponse('Item', []) }));
		expect(await search('quickBooksInvoiceUpsert', 'searchQuickBooksItems', "O'Brien\\x")).toEqual({ results: [] });
		expect(requests.map((r) => r.body)).toEqual(["SELECT * FROM Item WHERE Name LIKE '%O\\'Brien\\\\x%' ORDERBY Name STARTPOSITION 1 MAXRESULTS 100"]);
	});

	it('paging: a full page returns the next STARTPOSITION as its token; that token asks for the next page; a short page has none', async () => {
		const requests = mockQuickBooks((request) => {
			const start = Number(/STARTPOSITION (\d+)/.exec(String(request.body))?.[1]);
			const rows = Array.from({ length: start === 1 ? 100 : 2 }, (_, index) => ({ Id: String(start + index), Name: `Item ${start + index}`, Type: 'Service' }));
			return { body: queryResponse('Item', rows) };
		});
		const first = await search('skuMatch', 'searchQuickBooksItems', 'item');
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('101');
		const second = await search('skuMatch', 'searchQuickBooksItems', 'item', first.paginationToken);
		expect(second.results.map((result) => result.value)).toEqual(['101', '102']);
		expect(second.paginationToken).toBeUndefined();
		expect(requests.map((r) => r.body)).toEqual([
			"SELECT * FROM Item WHERE Name LIKE '%item%' ORDERBY Name STARTPOSITION 1 MAXRESULTS 100",
			"SELECT * FROM Item WHERE Name LIKE '%item%' ORDERBY Name STARTPOSITION 101 MAXRESULTS 100",
		]);
	});

	it('paging: a page whose rows are all categories still points at the next page', async () => {
		mockQuickBooks(() => ({ body: queryResponse('Item', Array.from({ length: 100 }, (_, index) => ({ Id: String(index + 1), Name: `Group ${index}`, Type: 'Category' }))) }));
		expect(await search('skuMatch', 'searchQuickBooksItems')).toEqual({ results: [], paginationToken: '101' });
	});

	it('income accounts only, by full name, sorted by name', async () => {
		const requests = mockQuickBooks(() => ({
			body: queryResponse('Account', [
				{ Id: '80', Name: 'Services', FullyQualifiedName: 'Sales:Services' },
				{ Id: '79', Name: 'Sales', FullyQualifiedName: 'Income:Sales', AccountSubType: 'SalesOfProductIncome' },
			]),
		}));
		expect(await search('skuMatch', 'searchQuickBooksIncomeAccounts', 'sa')).toEqual({
			results: [
				{ name: 'Income:Sales', value: '79', description: 'SalesOfProductIncome · ID 79' },
				{ name: 'Sales:Services', value: '80', description: 'ID 80' },
			],
		});
		expect(requests.map((r) => r.body)).toEqual(["SELECT * FROM Account WHERE AccountType = 'Income' AND Name LIKE '%sa%' STARTPOSITION 1 MAXRESULTS 100"]);
	});

	it("cost of sales accounts for new products' ExpenseAccountRef", async () => {
		const requests = mockQuickBooks(() => ({ body: queryResponse('Account', [{ Id: '80', Name: 'Cost of sales', AccountSubType: 'SuppliesMaterialsCogs' }]) }));
		expect(await search('skuMatch', 'searchQuickBooksExpenseAccounts')).toEqual({ results: [{ name: 'Cost of sales', value: '80', description: 'SuppliesMaterialsCogs · ID 80' }] });
		expect(requests.map((r) => r.body)).toEqual(["SELECT * FROM Account WHERE AccountType = 'Cost of Goods Sold' STARTPOSITION 1 MAXRESULTS 100"]);
	});

	it('turns a QuickBooks failure into a readable error in the list', async () => {
		mockQuickBooks(() => ({ status: 403, body: fault('3100', 'ApplicationAuthorizationFailed', 'errorCode=003100') }));
		await expect(search('taxMap', 'searchQuickBooksTaxCodes', 'x')).rejects.toThrow(/Could not load QuickBooks TaxCode records: QuickBooks denied access/);
	});
});

describe('QuickBooks customers dropdown', () => {
	it('lists customers with their email (Customer Resolve)', async () => {
		mockQuickBooks(() => ({
			body: queryResponse('Customer', [
				{ Id: '2', DisplayName: 'Zeta "Z" Ltd', PrimaryEmailAddr: { Address: 'z@z.example' } },
				{ Id: '1', DisplayName: 'Ångström Ab' },
			]),
		}));
		const options = await runLoadOptions({ nodeType: `${PACKAGE_NAME}.customerResolve`, method: 'getQuickBooksCustomers', credentials: quickBooksTestCredentials() });
		expect(options).toEqual([
			{ name: 'Ångström Ab', value: '1', description: 'no email · ID 1' },
			{ name: 'Zeta "Z" Ltd', value: '2', description: 'z@z.example · ID 2' },
		]);
	});

	it('pages through more than 1000 rows', async () => {
		let page = 0;
		mockQuickBooks(() => {
			page++;
			const rows = Array.from({ length: page === 1 ? 1000 : 3 }, (_, index) => ({ Id: `${page}-${index}`, DisplayName: `C ${page}-${index}` }));
			return { body: queryResponse('Customer', rows) };
		});
		const options = await runLoadOptions({ nodeType: `${PACKAGE_NAME}.customerResolve`, method: 'getQuickBooksCustomers', credentials: quickBooksTestCredentials() });
		expect(options).toHaveLength(1003);
		expect(page).toBe(2);
	});

	it('turns a QuickBooks failure into a readable dropdown error', async () => {
		mockQuickBooks(() => ({ status: 403, body: fault('3100', 'ApplicationAuthorizationFailed', 'errorCode=003100') }));
		await expect(
			runLoadOptions({ nodeType: `${PACKAGE_NAME}.customerResolve`, method: 'getQuickBooksCustomers', credentials: quickBooksTestCredentials() }),
		).rejects.toThrow(/Could not load QuickBooks Customer records: QuickBooks denied access/);
	});
});

describe('HubSpot tax rates dropdown', () => {
	it('lists the portal\'s tax rates by label and percentage, value = rate id', async () => {
		const scope = nock(HUBSPOT)
			.get('/tax-rates/v1/tax-rates')
			.matchHeader('authorization', 'Bearer pat-na1-token')
			.reply(200, {
				results: [
					{ id: '1003', name: 'NY Sales Tax', label: 'NY Sales Tax (8.875%)', percentageRate: 8.875, active: true },
					{ id: '1001', name: 'CA Sales Tax', label: 'CA Sales Tax', percentageRate: 7.25, active: true },
					{ id: '1009', name: 'Old', label: 'Old', percentageRate: 5, active: false },
				],
			});
		const options = await runLoadOptions({
			nodeType: `${PACKAGE_NAME}.taxMap`,
			method: 'getHubSpotTaxRates',
			path: 'parameters.mappings.mapping[0].hubspotTaxRate',
			parameters: { hubspotAuthentication: 'appToken' },
			credentials: hubspotCredentials,
		});
		expect(options).toEqual([
			{ name: 'CA Sales Tax (7.25%)', value: '1001', description: 'ID 1001' },
			{ name: 'NY Sales Tax (8.875%)', value: '1003', description: 'NY Sales Tax · ID 1003' },
			{ name: 'Old (5%) [inactive]', value: '1009', description: 'ID 1009' },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('explains how to proceed when no HubSpot connection is chosen', async () => {
		const { context } = loadContext(() => ({ body: {} }), { hubspotAuthentication: 'none' });
		await expect(getHubSpotTaxRates.call(context)).rejects.toThrow(/No HubSpot connection selected/);
	});

	it('names the missing scope when HubSpot refuses', async () => {
		nock(HUBSPOT)
			.get('/tax-rates/v1/tax-rates')
			.reply(403, { status: 'error', category: 'MISSING_SCOPES', message: 'missing scopes', errors: [{ context: { requiredGranularScopes: ['tax_rates.read'] } }] });
		await expect(
			runLoadOptions({ nodeType: `${PACKAGE_NAME}.taxMap`, method: 'getHubSpotTaxRates', parameters: { hubspotAuthentication: 'appToken' }, credentials: hubspotCredentials }),
		).rejects.toThrow(/tax_rates\.read/);
	});
});
