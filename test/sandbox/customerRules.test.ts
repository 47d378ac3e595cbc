/**
 * What the QuickBooks simulator enforces about customers that Customer Resolve relies on:
 * currency fixed at creation (home currency by default), transactions in their customer's
 * currency, DisplayName unique ignoring case (6240), emails neither unique nor compared by case.
 */
import { createQuickBooksSimulator, type QboSimulator } from '../../sandbox/quickbooks';
import { EXAMPLE_CLIENT, EXAMPLE_US_REALM, exampleUsCompany } from '../../sandbox/quickbooks/exampleSeed';
import { qboClient } from '../../sandbox/quickbooks/simpleClient';

const MULTICURRENCY_REALM = '9130000000000777';

/** The example US company with multicurrency on and a customer in EUR. */
function multicurrencyCompany() {
	const seed = exampleUsCompany();
	return {
		...seed,
		realmId: MULTICURRENCY_REALM,
		preferences: { ...seed.preferences, CurrencyPrefs: { MultiCurrencyEnabled: true, HomeCurrency: { value: 'USD' } } },
		entities: {
			...seed.entities,
			Customer: [
				...(seed.entities.Customer ?? []),
				{ Id: '20', DisplayName: 'Euro Buyer GmbH', PrimaryEmailAddr: { Address: 'ap@eurobuyer.example' }, CurrencyRef: { value: 'EUR', name: 'Euro' } },
			],
		},
	};
}

let sim: QboSimulator;
let us: ReturnType<typeof qboClient>;
let multi: ReturnType<typeof qboClient>;

beforeAll(async () => {
	sim = createQuickBooksSimulator({ companies: [exampleUsCompany(), multicurrencyCompany()], clients: [EXAMPLE_CLIENT], limits: false });
	const base = await sim.listen(0);
	us = qboClient(base, EXAMPLE_US_REALM, sim.issueTokens(EXAMPLE_CLIENT.clientId, EXAMPLE_US_REALM).access_token);
	multi = qboClient(base, MULTICURRENCY_REALM, sim.issueTokens(EXAMPLE_CLIENT.clientId, MULTICURRENCY_REALM).access_token);
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

function businessValidationFault(res: { status: number; json: any }) {
	expect(res.status).toBe(400);
	expect(res.json.Fault.type).toBe('ValidationFault');
	const [error] = res.json.Fault.Error;
	expect(error).toMatchObject({ code: '6000', element: 'CurrencyRef' });
	return error as { Message: string; Detail: string };
}

const invoiceFor = (customerId: string, currency?: string) => ({
	DocNumber: `CUR-${customerId}-${currency ?? 'none'}`,
	TxnDate: '2026-03-01',
	CustomerRef: { value: customerId },
	Line: [{ DetailType: 'SalesItemLineDetail', Amount: 20, SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 2, UnitPrice: 10, TaxCodeRef: { value: 'NON' } } }],
	...(currency ? { CurrencyRef: { value: currency } } : {}),
});

describe('customer currency', () => {
	it('a customer created without CurrencyRef is in the home currency', async () => {
		const res = await us.post('customer', { DisplayName: 'Home Buyer', PrimaryEmailAddr: { Address: 'home@buyer.example' } });
		expect(res.status).toBe(200);
		expect(res.json.Customer.CurrencyRef).toEqual({ value: 'USD' });
	});

	it('without multicurrency a customer in a foreign currency is refused (6000 on CurrencyRef)', async () => {
		const error = businessValidationFault(await us.post('customer', { DisplayName: 'Euro Buyer', CurrencyRef: { value: 'EUR' } }));
		expect(error.Detail).toMatch(/Multicurrency is not enabled/);
		expect([...sim.state.realms[EXAMPLE_US_REALM].entities.Customer.values()].some((c) => c.DisplayName === 'Euro Buyer')).toBe(false);
	});

	it('with multicurrency a customer is created in the currency given, which no update can change; an update without CurrencyRef keeps it', async () => {
		const created = await multi.post('customer', { DisplayName: 'Jane Doe (EUR)', PrimaryEmailAddr: { Address: 'jane@example.com' }, CurrencyRef: { value: 'EUR' } });
		expect(created.status).toBe(200);
		const customer = created.json.Customer;
		expect(customer.CurrencyRef).toEqual({ value: 'EUR' });

		for (const update of [
			{ Id: customer.Id, SyncToken: customer.SyncToken, sparse: true, CurrencyRef: { value: 'USD' } },
			{ Id: customer.Id, SyncToken: customer.SyncToken, DisplayName: 'Jane Doe (EUR)', CurrencyRef: { value: 'USD' } },
		]) {
			const error = businessValidationFault(await multi.post('customer', update));
			expect(error.Detail).toMatch(/can't change the currency of a customer/);
		}
		const renamed = await multi.post('customer', { Id: customer.Id, SyncToken: customer.SyncToken, sparse: true, DisplayName: 'Jane Doe Euro' });
		expect(renamed.status).toBe(200);
		expect(renamed.json.Customer.CurrencyRef).toEqual({ value: 'EUR' });
		const full = await multi.post('customer', { Id: customer.Id, SyncToken: renamed.json.Customer.SyncToken, DisplayName: 'Jane Doe Euro' });
		expect(full.json.Customer.CurrencyRef).toEqual({ value: 'EUR' });
	});
});

describe('a transaction is in its customer\'s currency', () => {
	it('an EUR invoice for the EUR customer is accepted; for a USD customer it is refused (6000 on CurrencyRef)', async () => {
		const accepted = await multi.post('invoice', invoiceFor('20', 'EUR'));
		expect(accepted.status).toBe(200);
		expect(accepted.json.Invoice.CurrencyRef).toMatchObject({ value: 'EUR' });

		const error = businessValidationFault(await multi.post('invoice', invoiceFor('1', 'EUR')));
		expect(error.Detail).toMatch(/currency \(EUR\) must be the currency of customer Acme Corp \(USD\)/);
	});

	it('an invoice in the home currency is accepted for a home-currency customer and refused for a customer in another currency', async () => {
		expect((await multi.post('invoice', invoiceFor('1', 'USD'))).status).toBe(200);
		const error = businessValidationFault(await multi.post('invoice', invoiceFor('20', 'USD')));
		expect(error.Detail).toMatch(/currency \(USD\) must be the currency of customer Euro Buyer GmbH \(EUR\)/);
	});

	it('without multicurrency an invoice in a foreign currency is refused before its customer is considered', async () => {
		const error = businessValidationFault(await us.post('invoice', invoiceFor('1', 'EUR')));
		expect(error.Detail).toMatch(/Multicurrency is not enabled for this company; the transaction currency must be USD, not EUR/);
	});
});

describe('names and emails', () => {
	it('6240: a DisplayName differing only in case from an existing customer\'s is taken', async () => {
		const res = await us.post('customer', { DisplayName: 'ACME CORP', PrimaryEmailAddr: { Address: 'new@acme.example' } });
		expect(res.status).toBe(400);
		expect(res.json.Fault.Error[0]).toMatchObject({ code: '6240', Message: 'Duplicate Name Exists Error' });
	});

	it('emails are not unique: a second customer with the same email (another case) is created, and an email query finds both ignoring case', async () => {
		const res = await us.post('customer', { DisplayName: 'Acme Billing West', PrimaryEmailAddr: { Address: 'Billing@Acme.example' } });
		expect(res.status).toBe(200);
		const found = await us.query("SELECT * FROM Customer WHERE PrimaryEmailAddr IN ('billing@acme.example')");
		expect(found.json.QueryResponse.Customer.map((customer: any) => customer.DisplayName).sort()).toEqual(['Acme Billing West', 'Acme Corp']);
	});
});
