/**
 * Customer Resolve against the QuickBooks simulator in a multicurrency company (home USD) whose
 * customer "Jane Doe" (jane@example.com) is in USD: the simulator refuses what QuickBooks refuses
 * (a customer's currency never changes; an invoice must be in its customer's currency), so these
 * runs show the customers the node picks can take the invoices.
 */
import nock from 'nock';

import { createQuickBooksSimulator, type QboSimulator } from '../../sandbox/quickbooks';
import { EXAMPLE_CLIENT, exampleUsCompany } from '../../sandbox/quickbooks/exampleSeed';
import { qboClient } from '../../sandbox/quickbooks/simpleClient';
import { blockExternalNetwork, type HarnessCredentials } from '../harness';
import { invoiceItem, quickBooksCredential, runNode } from '../kit';

const REALM = '9130000000000888';

let sim: QboSimulator;
let baseUrl: string;

function credentials(): HarnessCredentials {
	const { clientId, clientSecret } = EXAMPLE_CLIENT;
	return quickBooksCredential({ baseUrl, realmId: REALM, clientId, clientSecret, tokens: sim.issueTokens(clientId, REALM) });
}

beforeAll(async () => {
	blockExternalNetwork();
	const seed = exampleUsCompany();
	sim = createQuickBooksSimulator({
		companies: [
			{
				...seed,
				realmId: REALM,
				preferences: { ...seed.preferences, CurrencyPrefs: { MultiCurrencyEnabled: true, HomeCurrency: { value: 'USD' } } },
				entities: { ...seed.entities, Customer: [{ Id: '8', DisplayName: 'Jane Doe', PrimaryEmailAddr: { Address: 'jane@example.com' }, CurrencyRef: { value: 'USD' } }] },
			},
		],
		clients: [EXAMPLE_CLIENT],
		limits: false,
	});
	baseUrl = await sim.listen(0);
});
afterAll(async () => {
	await sim.close();
	nock.enableNetConnect();
});
beforeEach(() => sim.reset());

const customers = () => [...sim.state.realms[REALM].entities.Customer.values()];
const janeInvoice = (currency: string) => invoiceItem({ currency, customer: { email: 'Jane@Example.com', firstName: 'Jane', lastName: 'Doe' } });

describe('Customer Resolve in a multicurrency QuickBooks company (simulator)', () => {
	it('contact Jane@Example.com in USD is customer "Jane Doe" (jane@example.com): nothing is created', async () => {
		const result = await runNode('customerResolve', {}, [janeInvoice('USD')], credentials());
		expect(result.main[0].quickbooks).toEqual({ customer: { id: '8', displayName: 'Jane Doe', created: false, currency: 'USD' } });
		expect(customers()).toHaveLength(1);
	});

	it('an EUR invoice gets "Jane Doe (EUR)" in EUR, which takes an EUR invoice; the next run finds it again', async () => {
		const first = await runNode('customerResolve', {}, [janeInvoice('EUR')], credentials());
		const part = (first.main[0] as any).quickbooks.customer;
		expect(part).toMatchObject({ displayName: 'Jane Doe (EUR)', created: true, currency: 'EUR' });
		expect(customers().find((customer) => customer.Id === part.id)).toMatchObject({ CurrencyRef: { value: 'EUR' }, PrimaryEmailAddr: { Address: 'Jane@Example.com' } });

		const api = qboClient(baseUrl, REALM, sim.issueTokens(EXAMPLE_CLIENT.clientId, REALM).access_token);
		const invoice = (customerId: string) => ({
			CustomerRef: { value: customerId },
			CurrencyRef: { value: 'EUR' },
			TxnDate: '2026-09-01',
			Line: [{ DetailType: 'SalesItemLineDetail', Amount: 10, SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: 10, TaxCodeRef: { value: 'NON' } } }],
		});
		expect((await api.post('invoice', invoice(part.id))).status).toBe(200);
		expect((await api.post('invoice', invoice('8'))).json.Fault.Error[0]).toMatchObject({ code: '6000', element: 'CurrencyRef' });

		const second = await runNode('customerResolve', {}, [janeInvoice('EUR'), janeInvoice('USD')], credentials());
		expect(second.main.map((json: any) => json.quickbooks.customer)).toEqual([
			{ id: part.id, displayName: 'Jane Doe (EUR)', created: false, currency: 'EUR' },
			{ id: '8', displayName: 'Jane Doe', created: false, currency: 'USD' },
		]);
		expect(customers()).toHaveLength(2);
	});

	it('with "Customer in Another Currency" = fail, the EUR invoice gets CUSTOMER_CURRENCY_MISMATCH and QuickBooks is not written to', async () => {
		const batches = () => sim.log.entries.filter((entry) => entry.endpoint.includes('/batch')).length;
		const batchesBefore = batches();
		const result = await runNode('customerResolve', { options: { ifOtherCurrency: 'error' } }, [janeInvoice('EUR')], credentials());
		expect((result.errors[0] as any).error).toMatchObject({ code: 'CUSTOMER_CURRENCY_MISMATCH', details: { customerId: '8', customerCurrency: 'USD', currency: 'EUR' } });
		expect(customers()).toHaveLength(1);
		expect(batches()).toBe(batchesBefore);
	});
});
