/**
 * SKU Match's item writes and lookups against the QuickBooks simulator, under each setting of the
 * behaviours Intuit leaves open (sandbox/quickbooks/assumptions.ts): reactivation as a full update,
 * the expense account UK companies need on create, and SKUs with backslashes in the lookup query.
 */
import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { createQuickBooksSimulator, type QboCompanySeed, type QboSimulator } from '../../sandbox/quickbooks';
import { EXAMPLE_CLIENT } from '../../sandbox/quickbooks/exampleSeed';
import { PACKAGE_NAME, blockExternalNetwork, runWorkflow, type HarnessCredentials } from '../harness';
import { invoiceWithSkus, NODE_NAME, outputs, quickBooksCredential } from '../kit';

const UK_REALM = '9130355000000011';
const US_REALM = '9130355000000012';

function company(realmId: string, country: string, currency: string): QboCompanySeed {
	return {
		realmId,
		companyInfo: { CompanyName: `Items ${country}`, Country: country },
		preferences: { CurrencyPrefs: { MultiCurrencyEnabled: false, HomeCurrency: { value: currency } } },
		entities: {
			Account: [
				{ Id: '1', Name: 'Sales', AccountType: 'Income' },
				{ Id: '2', Name: 'Cost of sales', AccountType: 'Cost of Goods Sold' },
			],
			Item: [
				{
					Id: '1',
					Name: 'Retired Widget',
					Sku: 'OLD-1',
					Type: 'Service',
					UnitPrice: 7.5,
					Description: 'kept when reactivated',
					IncomeAccountRef: { value: '1', name: 'Sales' },
					ExpenseAccountRef: { value: '2', name: 'Cost of sales' },
					Active: false,
				},
				{ Id: '2', Name: 'Temp folder', Sku: 'C:\\temp\\x', Type: 'Service', IncomeAccountRef: { value: '1' } },
				{ Id: '3', Name: 'Ends in backslash', Sku: 'END\\', Type: 'Service', IncomeAccountRef: { value: '1' } },
				{ Id: '4', Name: 'Almost', Sku: 'C:\\temp\\y', Type: 'Service', IncomeAccountRef: { value: '1' } },
				{ Id: '5', Name: 'Plain', Sku: 'PLAIN-1', Type: 'Service', IncomeAccountRef: { value: '1' } },
			],
		},
	};
}

let sim: QboSimulator;
let baseUrl: string;

beforeAll(async () => {
	blockExternalNetwork();
	sim = createQuickBooksSimulator({ companies: [company(UK_REALM, 'GB', 'GBP'), company(US_REALM, 'US', 'USD')], clients: [EXAMPLE_CLIENT], limits: false });
	baseUrl = await sim.listen(0);
});
afterAll(async () => {
	await sim.close();
	nock.enableNetConnect();
});
beforeEach(() => {
	sim.reset();
	Object.assign(sim.assumptions, { itemSparseUpdate: 'treatedAsFull', itemExpenseAccount: 'ukAndCanada', queryBackslash: 'escapesAny' });
});

function credentials(realmId: string): HarnessCredentials {
	const { clientId, clientSecret } = EXAMPLE_CLIENT;
	return quickBooksCredential({ baseUrl, realmId, clientId, clientSecret, tokens: sim.issueTokens(clientId, realmId) });
}

async function run(realmId: string, parameters: IDataObject, input: IDataObject[]) {
	return outputs(
		await runWorkflow({
			nodes: [{ name: NODE_NAME, type: `${PACKAGE_NAME}.skuMatch`, parameters: parameters as never, onError: 'continueErrorOutput' }],
			connections: {},
			credentials: credentials(realmId),
			input,
		}),
	);
}

/** An invoice in the UK company's currency. */
const gbp = (lines: Parameters<typeof invoiceWithSkus>[0]) => invoiceWithSkus(lines, { currency: 'GBP' });
const items = (realmId: string) => [...sim.state.realms[realmId].entities.Item.values()];
const lineOf = (json: IDataObject) => (json.quickbooks as { lines: IDataObject[] }).lines[0];
const create = { ifNotFound: 'create', newItemType: 'Service', incomeAccountId: '1' };

describe('reactivating an inactive product', () => {
	it.each(['treatedAsFull', 'applied'] as const)('item sparse update %s: the product comes back active with every field kept', async (setting) => {
		sim.assumptions.itemSparseUpdate = setting;
		const { main, errors } = await run(UK_REALM, { ifInactive: 'reactivate' }, [gbp(['OLD-1'])]);
		expect(errors).toEqual([]);
		expect(lineOf(main[0])).toEqual({ itemId: '1', itemName: 'Retired Widget', matchedBy: 'reactivated' });
		expect(sim.state.realms[UK_REALM].entities.Item.get('1')).toMatchObject({
			Active: true,
			SyncToken: '1',
			Sku: 'OLD-1',
			UnitPrice: 7.5,
			Description: 'kept when reactivated',
			IncomeAccountRef: { value: '1' },
			ExpenseAccountRef: { value: '2' },
		});
	});
});

describe('creating a product in a UK company', () => {
	it('no expense account chosen: ITEM_EXPENSE_ACCOUNT_MISSING, and no write reaches QuickBooks', async () => {
		const before = items(UK_REALM).length;
		sim.log.clear();
		const { main, errors } = await run(UK_REALM, create, [gbp(['NEW-1']), gbp(['PLAIN-1'])]);
		expect(main).toHaveLength(1);
		expect(errors[0].error).toMatchObject({ code: 'ITEM_EXPENSE_ACCOUNT_MISSING', details: { country: 'GB', sku: 'NEW-1' } });
		expect(items(UK_REALM)).toHaveLength(before);
		// One lookup (/query), no /batch and no /item write.
		expect(sim.log.entries.filter((entry) => /\/(batch|item)$/.test(entry.path))).toEqual([]);
	});

	it('an expense account chosen: the product is created with it', async () => {
		const { main, errors } = await run(UK_REALM, { ...create, expenseAccountId: '2' }, [gbp([{ sku: 'NEW-1', name: 'New thing' }])]);
		expect(errors).toEqual([]);
		expect(lineOf(main[0])).toMatchObject({ matchedBy: 'created', itemName: 'New thing' });
		expect(items(UK_REALM).find((item) => item.Sku === 'NEW-1')).toMatchObject({ ExpenseAccountRef: { value: '2', name: 'Cost of sales' } });
	});

	it.each([
		['ukAndCanada', 'created'],
		['allButFrance', 'ITEM_EXPENSE_ACCOUNT_MISSING'],
	] as const)('a US company without an expense account, setting %s: %s', async (setting, outcome) => {
		sim.assumptions.itemExpenseAccount = setting;
		const { main, errors } = await run(US_REALM, create, [invoiceWithSkus(['NEW-1'])]);
		if (outcome === 'created') expect(lineOf(main[0])).toMatchObject({ matchedBy: 'created' });
		else expect(errors[0].error).toMatchObject({ code: outcome, details: { country: 'US' } });
	});
});

describe('SKUs with backslashes', () => {
	it.each(['escapesAny', 'escapesQuoteOnly'] as const)('backslash setting %s: each is found exactly, none mistaken for another', async (setting) => {
		sim.assumptions.queryBackslash = setting;
		const { main, errors } = await run(US_REALM, {}, [invoiceWithSkus(['C:\\temp\\x']), invoiceWithSkus(['END\\']), invoiceWithSkus(['C:\\TEMP\\X'])]);
		expect(main.map(lineOf)).toEqual([
			{ itemId: '2', itemName: 'Temp folder', matchedBy: 'sku' },
			{ itemId: '3', itemName: 'Ends in backslash', matchedBy: 'sku' },
		]);
		expect(errors[0].error).toMatchObject({ code: 'SKU_NOT_FOUND', details: { suggestions: [{ sku: 'C:\\TEMP\\X', didYouMean: ['C:\\temp\\x'] }] } });
	});
});
