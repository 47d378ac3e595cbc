/**
 * The QuickBooks resource locators against the QuickBooks simulator: "From List" searches filter in
 * QuickBooks (Name LIKE, case-insensitive) and page with STARTPOSITION/MAXRESULTS, so a catalogue of
 * hundreds of products comes in pages of 100; and the nodes run with a locator set "From List", "By
 * ID", or as the plain Id string an older workflow holds.
 */
import type { IDataObject, INodeListSearchResult } from 'n8n-workflow';
import nock from 'nock';

import { LIST_SEARCH_PAGE_SIZE } from '../../package/nodes/shared/loadOptions/quickbooks';
import { createQuickBooksSimulator, type QboCompanySeed, type QboSimulator } from '../../sandbox/quickbooks';
import { EXAMPLE_CLIENT } from '../../sandbox/quickbooks/exampleSeed';
import { PACKAGE_NAME, blockExternalNetwork, runListSearch, runWorkflow, type HarnessCredentials } from '../harness';
import { invoiceItem, invoiceWithSkus, NODE_NAME, outputs, quickBooksCredential } from '../kit';

const REALM = '9130355000000021';
/** Products numbered 001…240 (with every fifth a Widget), a category, an inactive product and a name with a quote. */
const PRODUCT_COUNT = 240;

function productName(index: number): string {
	return index % 5 === 0 ? `Widget ${String(index).padStart(3, '0')}` : `Part ${String(index).padStart(3, '0')}`;
}

function catalogue(): QboCompanySeed {
	const items: IDataObject[] = Array.from({ length: PRODUCT_COUNT }, (_, offset) => ({
		Id: String(offset + 1),
		Name: productName(offset + 1),
		Sku: `SKU-${offset + 1}`,
		Type: 'Service',
		UnitPrice: 10,
		IncomeAccountRef: { value: '1' },
	}));
	items.push(
		{ Id: '901', Name: 'Widgets (category)', Type: 'Category' },
		{ Id: '902', Name: 'Widget retired', Type: 'Service', IncomeAccountRef: { value: '1' }, Active: false },
		{ Id: '903', Name: "O'Brien's widget", Type: 'Service', IncomeAccountRef: { value: '1' } },
	);
	return {
		realmId: REALM,
		companyInfo: { CompanyName: 'Catalogue Co', Country: 'US' },
		preferences: { TaxPrefs: { UsingSalesTax: true, PartnerTaxEnabled: false }, CurrencyPrefs: { MultiCurrencyEnabled: false, HomeCurrency: { value: 'USD' } } },
		entities: {
			Account: [
				{ Id: '1', Name: 'Sales', FullyQualifiedName: 'Sales', AccountType: 'Income' },
				{ Id: '2', Name: 'Service sales', FullyQualifiedName: 'Sales:Service sales', AccountType: 'Income' },
				{ Id: '3', Name: 'Cost of sales', AccountType: 'Cost of Goods Sold' },
				{ Id: '4', Name: 'Rent', AccountType: 'Expense' },
			],
			TaxRate: [{ Id: '1', Name: 'Nevada', RateValue: 6.85, AgencyRef: { value: '1' } }],
			TaxCode: [
				{ Id: '2', Name: 'California', Taxable: true },
				{ Id: '3', Name: 'Nevada', Taxable: true, SalesTaxRateList: { TaxRateDetail: [{ TaxRateRef: { value: '1' }, TaxTypeApplicable: 'TaxOnAmount', TaxOrder: 0 }] } },
				{ Id: '4', Name: 'Old county', Taxable: true, Active: false },
			],
			Item: items,
		},
	};
}

let sim: QboSimulator;
let baseUrl: string;

beforeAll(async () => {
	blockExternalNetwork();
	sim = createQuickBooksSimulator({ companies: [catalogue()], clients: [EXAMPLE_CLIENT], limits: false });
	baseUrl = await sim.listen(0);
});
afterAll(async () => {
	await sim.close();
	nock.enableNetConnect();
});
beforeEach(() => {
	sim.reset();
	sim.log.clear();
});

function credentials(): HarnessCredentials {
	const { clientId, clientSecret } = EXAMPLE_CLIENT;
	return quickBooksCredential({ baseUrl, realmId: REALM, clientId, clientSecret, tokens: sim.issueTokens(clientId, REALM) });
}

const search = async (nodeType: string, method: string, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> =>
	await runListSearch({ nodeType: `${PACKAGE_NAME}.${nodeType}`, method, parameters: { hubspotAuthentication: 'none' }, credentials: credentials(), filter, paginationToken });

/** Every page of a search, following the tokens; the pages' sizes and all results. */
async function allPages(nodeType: string, method: string, filter?: string) {
	const sizes: number[] = [];
	const values: string[] = [];
	let token: string | undefined;
	do {
		const page = await search(nodeType, method, filter, token);
		sizes.push(page.results.length);
		values.push(...page.results.map((result) => String(result.value)));
		token = page.paginationToken;
	} while (token !== undefined && sizes.length < 10);
	return { sizes, values };
}

const queries = () => sim.log.entries.filter((entry) => entry.endpoint === 'POST /v3/company/:realmId/query').length;

describe('products "From List"', () => {
	it('pages through the whole catalogue 100 at a time, by name, each product once; categories and inactive products left out', async () => {
		const { sizes, values } = await allPages('skuMatch', 'searchQuickBooksItems');
		// QuickBooks returns 242 active rows; the category among them is not shown.
		expect(sizes).toEqual([LIST_SEARCH_PAGE_SIZE, LIST_SEARCH_PAGE_SIZE, 41]);
		expect(new Set(values).size).toBe(values.length);
		expect(values).toHaveLength(PRODUCT_COUNT + 1);
		expect(values).not.toContain('901');
		expect(values).not.toContain('902');
		expect(queries()).toBe(3);
	});

	it('filters in QuickBooks, case-insensitively, anywhere in the name; the results come sorted by name', async () => {
		const page = await search('skuMatch', 'searchQuickBooksItems', 'WIDGET');
		const names = page.results.map((result) => result.name);
		// 48 numbered widgets and O'Brien's; not the category, not the inactive one.
		expect(names).toHaveLength(PRODUCT_COUNT / 5 + 1);
		expect(names[0]).toBe("O'Brien's widget");
		expect(names[1]).toBe('Widget 005 (SKU-5)');
		expect(names.every((name) => /widget/i.test(name))).toBe(true);
		expect(page.paginationToken).toBeUndefined();
		expect(queries()).toBe(1);
	});

	it('a quote in the search text finds the product (escaped, not a broken query)', async () => {
		const page = await search('quickBooksInvoiceUpsert', 'searchQuickBooksItems', "o'brien");
		expect(page).toEqual({ results: [expect.objectContaining({ name: "O'Brien's widget", value: '903' })] });
	});

	it('a filter matching nothing: no results and no token', async () => {
		expect(await search('skuMatch', 'searchQuickBooksItems', 'gizmo')).toEqual({ results: [] });
	});
});

describe('accounts and tax codes "From List"', () => {
	it('income accounts only, filtered by name', async () => {
		expect((await search('skuMatch', 'searchQuickBooksIncomeAccounts')).results.map((result) => result.value)).toEqual(['1', '2']);
		expect(await search('skuMatch', 'searchQuickBooksIncomeAccounts', 'service')).toEqual({ results: [{ name: 'Sales:Service sales', value: '2', description: 'ID 2' }] });
	});

	it('cost of sales accounts only', async () => {
		expect((await search('skuMatch', 'searchQuickBooksExpenseAccounts')).results.map((result) => result.name)).toEqual(['Cost of sales']);
	});

	it('active tax codes, filtered by name', async () => {
		expect((await search('taxMap', 'searchQuickBooksTaxCodes')).results.map((result) => result.name)).toEqual(['California', 'Nevada']);
		expect((await search('taxMap', 'searchQuickBooksTaxCodes', 'nev')).results.map((result) => result.value)).toEqual(['3']);
	});
});

describe('the nodes with a locator "From List", "By ID", or an older workflow\'s plain Id', () => {
	async function runNode(type: string, parameters: IDataObject, input: IDataObject[]) {
		return outputs(
			await runWorkflow({
				nodes: [{ name: NODE_NAME, type: `${PACKAGE_NAME}.${type}`, parameters: parameters as never, onError: 'continueErrorOutput' }],
				connections: {},
				credentials: credentials(),
				input,
			}),
		);
	}

	it.each([
		['From List', { __rl: true, mode: 'list', value: '903', cachedResultName: "O'Brien's widget" }],
		['By ID', { __rl: true, mode: 'id', value: '903' }],
		['plain Id (older workflow)', '903'],
	])('SKU Match\'s Fallback Product %s: an unknown SKU gets that product', async (_label, fallbackItemId) => {
		const { main, errors } = await runNode('skuMatch', { ifNotFound: 'useFallback', fallbackItemId }, [invoiceWithSkus(['SKU-1', 'NOPE'])]);
		expect(errors).toEqual([]);
		expect((main[0].quickbooks as { lines: IDataObject[] }).lines.map((line) => line.itemId)).toEqual(['1', '903']);
	});

	it.each([
		['From List', { __rl: true, mode: 'list', value: '3', cachedResultName: 'Nevada' }],
		['By ID', { __rl: true, mode: 'id', value: '3' }],
		['plain Id (older workflow)', '3'],
	])("Tax Map's mapped tax code %s becomes the invoice's sales tax code", async (_label, quickbooksTaxCode) => {
		const invoice = invoiceItem({ lines: [{ sku: 'SKU-1', taxRateId: '1001' }] });
		const { main, errors } = await runNode('taxMap', { hubspotAuthentication: 'none', mappings: { mapping: [{ hubspotTaxRate: '1001', quickbooksTaxCode }] } }, [invoice]);
		expect(errors).toEqual([]);
		expect(main[0].quickbooks).toMatchObject({ txnTaxCodeId: '3' });
	});
});
