import nock from 'nock';

import { getHubSpotTaxRates } from '../../nodes/shared/loadOptions/hubspot';
import { getQuickBooksExpenseAccounts, getQuickBooksIncomeAccounts, getQuickBooksItems } from '../../nodes/shared/loadOptions/quickbooks';
import { blockExternalNetwork, runLoadOptions, PACKAGE_NAME } from '../harness';
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

describe('QuickBooks dropdowns', () => {
	it('lists active tax codes by name with the Id as value (Tax Map)', async () => {
		const requests = mockQuickBooks(() => ({
			body: queryResponse('TaxCode', [
				{ Id: '7', Name: 'GST', Description: 'GST 5%', Active: true, Taxable: true },
				{ Id: '6', Name: 'Exempt', Active: true, Taxable: false },
				{ Id: '9', Name: 'Hidden one', Active: true, Hidden: true },
			]),
		}));
		const options = await runLoadOptions({
			nodeType: `${PACKAGE_NAME}.taxMap`,
			method: 'getQuickBooksTaxCodes',
			parameters: { hubspotAuthentication: 'none' },
			credentials: quickBooksTestCredentials(),
		});
		expect(options).toEqual([
			{ name: 'Exempt', value: '6', description: 'non-taxable · ID 6' },
			{ name: 'GST', value: '7', description: 'GST 5% · taxable · ID 7' },
		]);
		expect(requests.map((r) => [r.path, r.body])).toEqual([[`${COMPANY_PATH}/query`, 'SELECT * FROM TaxCode STARTPOSITION 1 MAXRESULTS 1000']]);
	});

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

	it('lists items that can go on a line (not categories), showing the SKU', async () => {
		const { context, requests } = loadContext(() => ({
			body: queryResponse('Item', [
				{ Id: '1', Name: 'Widget', Sku: 'PROD-001', Type: 'NonInventory' },
				{ Id: '2', Name: 'Hardware', Type: 'Category' },
				{ Id: '3', Name: 'Consulting', Type: 'Service' },
			]),
		}));
		expect(await getQuickBooksItems.call(context)).toEqual([
			{ name: 'Consulting', value: '3', description: 'Service · no SKU · ID 3' },
			{ name: 'Widget (PROD-001)', value: '1', description: 'NonInventory · SKU PROD-001 · ID 1' },
		]);
		expect(requests[0].body).toBe('SELECT * FROM Item STARTPOSITION 1 MAXRESULTS 1000');
	});

	it('lists income accounts only, by full name', async () => {
		const { context, requests } = loadContext(() => ({
			body: queryResponse('Account', [{ Id: '79', Name: 'Sales', FullyQualifiedName: 'Income:Sales', AccountSubType: 'SalesOfProductIncome' }]),
		}));
		expect(await getQuickBooksIncomeAccounts.call(context)).toEqual([{ name: 'Income:Sales', value: '79', description: 'SalesOfProductIncome · ID 79' }]);
		expect(requests[0].body).toBe("SELECT * FROM Account WHERE AccountType = 'Income' STARTPOSITION 1 MAXRESULTS 1000");
	});

	it('lists cost of sales accounts for new products\' ExpenseAccountRef', async () => {
		const { context, requests } = loadContext(() => ({
			body: queryResponse('Account', [{ Id: '80', Name: 'Cost of sales', AccountSubType: 'SuppliesMaterialsCogs' }]),
		}));
		expect(await getQuickBooksExpenseAccounts.call(context)).toEqual([{ name: 'Cost of sales', value: '80', description: 'SuppliesMaterialsCogs · ID 80' }]);
		expect(requests[0].body).toBe("SELECT * FROM Account WHERE AccountType = 'Cost of Goods Sold' STARTPOSITION 1 MAXRESULTS 1000");
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
