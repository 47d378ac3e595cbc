/**
 * Item rules of the QuickBooks simulator that the real API documents only loosely: the expense
 * account UK and Canadian companies need on create, and Item's missing sparse update. Each assumed
 * behaviour is a simulator setting (sandbox/quickbooks/assumptions.ts), tested both ways.
 */
import { createQuickBooksSimulator, type QboCompanySeed, type QboSimulator } from '../../sandbox/quickbooks';
import { EXAMPLE_CA_REALM, EXAMPLE_CLIENT, EXAMPLE_US_REALM, exampleCanadianCompany, exampleUsCompany } from '../../sandbox/quickbooks/exampleSeed';
import { qboClient } from '../../sandbox/quickbooks/simpleClient';

const UK_REALM = '9130355000000001';
const FR_REALM = '9130355000000002';

/** A company in `country` with an income and a cost-of-sales account and one inactive product. */
function company(realmId: string, country: string, currency: string): QboCompanySeed {
	return {
		realmId,
		companyInfo: { CompanyName: `Sandbox ${country}`, Country: country },
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
			],
		},
	};
}

function canadianCompany(): QboCompanySeed {
	const seed = exampleCanadianCompany();
	(seed.entities.Account as unknown[]).push({ Id: '2', Name: 'Cost of sales', AccountType: 'Cost of Goods Sold' });
	return seed;
}

let sim: QboSimulator;
const clients: Record<string, ReturnType<typeof qboClient>> = {};

beforeAll(async () => {
	sim = createQuickBooksSimulator({
		companies: [exampleUsCompany(), canadianCompany(), company(UK_REALM, 'GB', 'GBP'), company(FR_REALM, 'FR', 'EUR')],
		clients: [EXAMPLE_CLIENT],
		limits: false,
	});
	const base = await sim.listen(0);
	for (const realm of [EXAMPLE_US_REALM, EXAMPLE_CA_REALM, UK_REALM, FR_REALM]) {
		clients[realm] = qboClient(base, realm, sim.issueTokens(EXAMPLE_CLIENT.clientId, realm).access_token);
	}
});
afterAll(() => sim.close());
beforeEach(() => {
	sim.reset();
	sim.assumptions.itemExpenseAccount = 'ukAndCanada';
	sim.assumptions.itemSparseUpdate = 'treatedAsFull';
});

const service = (name: string, extra: Record<string, unknown> = {}) => ({ Name: name, Sku: name.toUpperCase(), Type: 'Service', IncomeAccountRef: { value: '1' }, ...extra });

function expectRequired(res: { status: number; json: any }, element: string) {
	expect(res.status).toBe(400);
	expect(res.json.Fault).toMatchObject({ type: 'ValidationFault', Error: [{ code: '2020', element }] });
}

describe('Item create: ExpenseAccountRef', () => {
	it.each([
		['UK (GB)', UK_REALM],
		['Canada', EXAMPLE_CA_REALM],
	])('a %s company refuses a Service or NonInventory item without ExpenseAccountRef (2020), and creates it with one', async (_label, realm) => {
		const qbo = clients[realm];
		expectRequired(await qbo.post('item', service('consulting')), 'ExpenseAccountRef');
		expectRequired(await qbo.post('item', service('boxes', { Type: 'NonInventory' })), 'ExpenseAccountRef');
		const created = await qbo.post('item', service('consulting', { ExpenseAccountRef: { value: '2' } }));
		expect(created.status).toBe(200);
		expect(created.json.Item).toMatchObject({ Name: 'consulting', ExpenseAccountRef: { value: '2', name: 'Cost of sales' }, IncomeAccountRef: { value: '1' } });
		// The refusal wrote nothing.
		expect([...sim.state.realms[realm].entities.Item.values()].filter((item) => item.Name === 'boxes')).toEqual([]);
	});

	it('the same refusal inside /batch is that operation\'s Fault', async () => {
		const res = await clients[UK_REALM].batch([{ bId: 'c1', operation: 'create', Item: service('consulting') }]);
		expect(res.status).toBe(200);
		expect(res.json.BatchItemResponse[0]).toMatchObject({ bId: 'c1', Fault: { Error: [{ code: '2020', element: 'ExpenseAccountRef' }] } });
	});

	it('default setting (ukAndCanada): a US company creates a Service item with only an income account', async () => {
		const res = await clients[EXAMPLE_US_REALM].post('item', service('consulting', { IncomeAccountRef: { value: '2' } }));
		expect(res.status).toBe(200);
		expect(res.json.Item.ExpenseAccountRef).toBeUndefined();
	});

	it('setting allButFrance (the attribute table read literally): the US company refuses it too, a French one never does', async () => {
		sim.assumptions.itemExpenseAccount = 'allButFrance';
		expectRequired(await clients[EXAMPLE_US_REALM].post('item', service('consulting', { IncomeAccountRef: { value: '2' } })), 'ExpenseAccountRef');
		expect((await clients[FR_REALM].post('item', service('conseil'))).status).toBe(200);
	});
});

describe('Item update: only the full update is documented', () => {
	const readItem = async (realm: string) => (await clients[realm].get('item', '1')).json.Item;

	it('default (treatedAsFull): a sparse reactivation {Id, SyncToken, sparse, Active} is refused — the omitted Name counts as removed — and changes nothing', async () => {
		const res = await clients[UK_REALM].post('item', { Id: '1', SyncToken: '0', sparse: true, Active: true });
		expectRequired(res, 'Name');
		expect(await readItem(UK_REALM)).toMatchObject({ Active: false, SyncToken: '0', Sku: 'OLD-1' });
	});

	it('default (treatedAsFull): a sparse update that names the item loses every field it omits', async () => {
		const res = await clients[UK_REALM].post('item', { Id: '1', SyncToken: '0', sparse: true, Name: 'Retired Widget', Active: true });
		expect(res.status).toBe(200);
		expect(res.json.Item.Active).toBe(true);
		expect(res.json.Item.Sku).toBeUndefined();
		expect(res.json.Item.UnitPrice).toBeUndefined();
		expect(res.json.Item.IncomeAccountRef).toBeUndefined();
	});

	it('setting applied: the same sparse update keeps the other fields', async () => {
		sim.assumptions.itemSparseUpdate = 'applied';
		const res = await clients[UK_REALM].post('item', { Id: '1', SyncToken: '0', sparse: true, Active: true });
		expect(res.status).toBe(200);
		expect(res.json.Item).toMatchObject({ Active: true, Sku: 'OLD-1', UnitPrice: 7.5, SyncToken: '1' });
	});

	it.each(['treatedAsFull', 'applied'] as const)(
		'%s: the full update (read the item, set Active, send it whole with its SyncToken) reactivates it and keeps every field',
		async (setting) => {
			sim.assumptions.itemSparseUpdate = setting;
			const current = await readItem(UK_REALM);
			const res = await clients[UK_REALM].batch([{ bId: 'r0', operation: 'update', Item: { ...current, Active: true } }]);
			expect(res.json.BatchItemResponse[0].Item).toMatchObject({
				Id: '1',
				SyncToken: '1',
				Active: true,
				Sku: 'OLD-1',
				UnitPrice: 7.5,
				Description: 'kept when reactivated',
				IncomeAccountRef: { value: '1' },
				ExpenseAccountRef: { value: '2' },
			});
		},
	);

	it('Invoice and Customer keep their documented sparse update under either setting', async () => {
		const us = clients[EXAMPLE_US_REALM];
		const customer = (await us.query("SELECT * FROM Customer WHERE DisplayName = 'Acme Corp'")).json.QueryResponse.Customer[0];
		const res = await us.post('customer', { Id: customer.Id, SyncToken: customer.SyncToken, sparse: true, Notes: 'sparse' });
		expect(res.status).toBe(200);
		expect(res.json.Customer).toMatchObject({ DisplayName: 'Acme Corp', Notes: 'sparse', PrimaryEmailAddr: customer.PrimaryEmailAddr });
	});
});
