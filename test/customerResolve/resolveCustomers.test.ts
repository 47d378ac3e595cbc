/**
 * resolveCustomers against an in-memory company: shared by two executions running at once (when
 * both miss a customer in the email lookup, the second creation hits "Duplicate Name Exists"
 * (6240) and must reuse the customer the first one just created instead of adding
 * "<name> (<email>)" as a second customer for the same email), and in several currencies.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ValidInvoice } from '../../package/nodes/shared/execution';
import { syncItemSchema, type SyncItem } from '../../package/nodes/shared/invoiceContract';
import { QuickBooksFault, type BatchItemResult, type BatchOperation } from '../../package/nodes/shared/transport/quickbooks';
import { resolveCustomers, type CustomerClient } from '../../package/nodes/CustomerResolve/resolveCustomers';
import type { CustomerResolveSettings } from '../../package/nodes/CustomerResolve/settings';
import type { QuickBooksCustomer } from '../../package/nodes/CustomerResolve/emailMatch';
import { invoiceItem } from '../kit';

const SETTINGS: CustomerResolveSettings = { ifNotFound: 'create', ifInactive: 'error', ifOtherCurrency: 'createPerCurrency', exactEmailMatch: false, sanitizeNames: false };

/** Preferences.CurrencyPrefs of a company at home in USD. */
const currencyPrefs = (multiCurrency: boolean) => ({ CurrencyPrefs: { MultiCurrencyEnabled: multiCurrency, HomeCurrency: { value: 'USD' } } });

/**
 * A company whose DisplayNames are unique (case-insensitive, like QuickBooks) and whose customers
 * have the currency they were created in (home currency by default); every call yields first.
 */
class MemoryCompany implements CustomerClient {
	customers: QuickBooksCustomer[] = [];
	lookups: Array<{ field: string; values: string[] }> = [];
	batches = 0;
	/** Runs before each /batch: another execution's change between our lookup and our creation. */
	meanwhile?: (company: MemoryCompany) => void;
	private nextId = 100;

	constructor(
		customers: QuickBooksCustomer[] = [],
		private readonly multiCurrency = false,
	) {
		this.customers.push(...customers);
	}

	async preferences(): Promise<IDataObject> {
		await Promise.resolve();
		return currencyPrefs(this.multiCurrency);
	}

	async findByValues<T = IDataObject>(_entity: string, field: string, values: Iterable<string>): Promise<T[]> {
		await Promise.resolve();
		const wanted = [...values];
		this.lookups.push({ field, values: wanted });
		const value = (customer: QuickBooksCustomer) => (field === 'DisplayName' ? customer.DisplayName : customer.PrimaryEmailAddr?.Address) ?? '';
		return this.customers.filter((customer) => wanted.some((entry) => entry.toLowerCase() === value(customer).toLowerCase())) as unknown as T[];
	}

	async batch(operations: BatchOperation[]): Promise<Map<string, BatchItemResult>> {
		await Promise.resolve();
		this.batches++;
		this.meanwhile?.(this);
		this.meanwhile = undefined;
		const results = new Map<string, BatchItemResult>();
		for (const operation of operations) {
			const payload = operation.payload as unknown as QuickBooksCustomer;
			const name = String(payload.DisplayName).toLowerCase();
			if (this.customers.some((customer) => customer.DisplayName?.toLowerCase() === name)) {
				const fault = new QuickBooksFault('ValidationFault', [{ code: '6240', message: 'Duplicate Name Exists Error', detail: 'The name supplied already exists.' }]);
				results.set(operation.bId, { bId: operation.bId, fault });
				continue;
			}
			const customer = { CurrencyRef: { value: 'USD' }, ...payload, Id: String(this.nextId++), Active: true };
			this.customers.push(customer);
			results.set(operation.bId, { bId: operation.bId, entity: customer as unknown as IDataObject });
		}
		return results;
	}
}

function invoices(customers: Array<{ email: string; companyName: string; currency?: string }>): Array<ValidInvoice<SyncItem>> {
	return customers.map(({ currency, ...customer }, index) => {
		const input = invoiceItem({ customer, ...(currency ? { currency } : {}) });
		return { index, input, item: syncItemSchema.parse(input) };
	});
}

const customerOf = (outcome: unknown) => ((outcome as { json: { quickbooks: { customer: unknown } } }).json?.quickbooks?.customer ?? outcome) as IDataObject;

describe('resolveCustomers: a name taken meanwhile (6240)', () => {
	it('two executions of the same invoices at once create each customer once and both get it', async () => {
		const company = new MemoryCompany();
		const batch = invoices([
			{ email: 'ap@acme.example', companyName: 'Acme' },
			{ email: 'ops@globex.example', companyName: 'Globex' },
		]);
		const [first, second] = await Promise.all([resolveCustomers(company, batch, SETTINGS), resolveCustomers(company, batch, SETTINGS)]);

		expect(company.customers.map((customer) => customer.DisplayName)).toEqual(['Acme', 'Globex']);
		expect([0, 1].map((index) => customerOf(first.get(index)))).toEqual([
			{ id: '100', displayName: 'Acme', created: true },
			{ id: '101', displayName: 'Globex', created: true },
		]);
		expect([0, 1].map((index) => customerOf(second.get(index)))).toEqual([
			{ id: '100', displayName: 'Acme', created: false },
			{ id: '101', displayName: 'Globex', created: false },
		]);
		// One lookup for all taken names, not one per invoice.
		expect(company.lookups.filter((lookup) => lookup.field === 'DisplayName')).toEqual([{ field: 'DisplayName', values: ['Acme', 'Globex'] }]);
	});

	it('a name held by a customer with another email still gets "<name> (<email>)"', async () => {
		const company = new MemoryCompany([{ Id: '1', DisplayName: 'Acme', Active: true, PrimaryEmailAddr: { Address: 'someone@else.example' } }]);
		const outcomes = await resolveCustomers(company, invoices([{ email: 'ap@acme.example', companyName: 'Acme' }]), SETTINGS);
		expect(customerOf(outcomes.get(0))).toEqual({ id: '100', displayName: 'Acme (ap@acme.example)', created: true, renamedFrom: 'Acme' });
	});

	it('reuses a holder whose email differs only in case, whatever the email option (QuickBooks compares emails ignoring case)', async () => {
		const holder = { Id: '7', DisplayName: 'Acme', Active: true, PrimaryEmailAddr: { Address: 'AP@acme.example' } };
		const withHolderCreatedMeanwhile = () => {
			const company = new MemoryCompany();
			company.meanwhile = (self) => self.customers.push({ ...holder });
			return company;
		};
		for (const exactEmailMatch of [false, true]) {
			const company = withHolderCreatedMeanwhile();
			const outcomes = await resolveCustomers(company, invoices([{ email: 'ap@acme.example', companyName: 'Acme' }]), { ...SETTINGS, exactEmailMatch });
			expect(customerOf(outcomes.get(0))).toEqual({ id: '7', displayName: 'Acme', created: false });
			expect(company.customers).toHaveLength(1);
		}
	});

	it('a variant taken meanwhile by the same email (the other execution hit 6240 too) is reused', async () => {
		const other = { Id: '1', DisplayName: 'Acme', Active: true, PrimaryEmailAddr: { Address: 'someone@else.example' } };
		const company = new MemoryCompany([other]);
		const batch = invoices([{ email: 'ap@acme.example', companyName: 'Acme' }]);
		const [first, second] = await Promise.all([resolveCustomers(company, batch, SETTINGS), resolveCustomers(company, batch, SETTINGS)]);
		expect(company.customers.map((customer) => customer.DisplayName)).toEqual(['Acme', 'Acme (ap@acme.example)']);
		expect([customerOf(first.get(0)), customerOf(second.get(0))]).toEqual([
			{ id: '100', displayName: 'Acme (ap@acme.example)', created: true, renamedFrom: 'Acme' },
			{ id: '100', displayName: 'Acme (ap@acme.example)', created: false },
		]);
	});

	it('an inactive holder of the name is not reused', async () => {
		const company = new MemoryCompany();
		// Created and deactivated by someone else between our email lookup and our creation.
		company.meanwhile = (self) => self.customers.push({ Id: '3', DisplayName: 'Acme', Active: false, PrimaryEmailAddr: { Address: 'ap@acme.example' } });
		const outcomes = await resolveCustomers(company, invoices([{ email: 'ap@acme.example', companyName: 'Acme' }]), SETTINGS);
		expect(customerOf(outcomes.get(0))).toMatchObject({ displayName: 'Acme (ap@acme.example)', created: true });
	});
});

const errorOf = (outcome: unknown) => (outcome as { error: { code: string; message: string; hint: string; details: Record<string, unknown> } }).error;
const jane = (currency: string) => ({ email: 'Jane@Example.com', companyName: 'Jane Doe', currency });
const customerIn = (Id: string, DisplayName: string, Address: string, currency: string): QuickBooksCustomer => ({
	Id,
	DisplayName,
	Active: true,
	PrimaryEmailAddr: { Address },
	CurrencyRef: { value: currency },
});

describe('resolveCustomers: currencies (QuickBooks fixes a customer\'s currency at creation)', () => {
	it('without multicurrency an invoice not in the home currency fails with CURRENCY_MISMATCH before anything is written; the others resolve', async () => {
		const company = new MemoryCompany();
		const outcomes = await resolveCustomers(
			company,
			invoices([
				{ email: 'ap@acme.example', companyName: 'Acme', currency: 'EUR' },
				{ email: 'ops@globex.example', companyName: 'Globex', currency: 'usd' },
			]),
			SETTINGS,
		);
		expect(errorOf(outcomes.get(0))).toMatchObject({ code: 'CURRENCY_MISMATCH', details: { currency: 'EUR', homeCurrency: 'USD' } });
		expect(errorOf(outcomes.get(0)).message).toMatch(/is in EUR but the QuickBooks company uses USD without multicurrency$/);
		expect(customerOf(outcomes.get(1))).toEqual({ id: '100', displayName: 'Globex', created: true });
		// No CurrencyRef without multicurrency: QuickBooks gives the customer the home currency.
		expect(company.customers.map((customer) => [customer.DisplayName, customer.CurrencyRef])).toEqual([['Globex', { value: 'USD' }]]);
	});

	it('with multicurrency a new contact\'s customer is created in the invoice\'s currency, and the part says which', async () => {
		const company = new MemoryCompany([], true);
		const outcomes = await resolveCustomers(company, invoices([jane('EUR')]), SETTINGS);
		expect(customerOf(outcomes.get(0))).toEqual({ id: '100', displayName: 'Jane Doe', created: true, currency: 'EUR' });
		expect(company.customers[0]).toMatchObject({ DisplayName: 'Jane Doe', CurrencyRef: { value: 'EUR' }, PrimaryEmailAddr: { Address: 'Jane@Example.com' } });
	});

	it('an email whose customer is in another currency gets a customer "<name> (EUR)" in EUR, found again by the next run; the USD invoice keeps the USD customer', async () => {
		const company = new MemoryCompany([customerIn('8', 'Jane Doe', 'jane@example.com', 'USD')], true);
		const first = await resolveCustomers(company, invoices([jane('EUR'), jane('USD')]), SETTINGS);
		expect(customerOf(first.get(0))).toEqual({ id: '100', displayName: 'Jane Doe (EUR)', created: true, currency: 'EUR' });
		expect(customerOf(first.get(1))).toEqual({ id: '8', displayName: 'Jane Doe', created: false, currency: 'USD' });
		expect(company.customers[1]).toMatchObject({ DisplayName: 'Jane Doe (EUR)', CurrencyRef: { value: 'EUR' }, PrimaryEmailAddr: { Address: 'Jane@Example.com' } });

		const batchesBefore = company.batches;
		const second = await resolveCustomers(company, invoices([jane('EUR'), jane('USD')]), SETTINGS);
		expect([customerOf(second.get(0)), customerOf(second.get(1))]).toEqual([
			{ id: '100', displayName: 'Jane Doe (EUR)', created: false, currency: 'EUR' },
			{ id: '8', displayName: 'Jane Doe', created: false, currency: 'USD' },
		]);
		expect(company.batches).toBe(batchesBefore);
		expect(company.customers).toHaveLength(2);
	});

	it('with "Customer in Another Currency" = fail, the invoice gets CUSTOMER_CURRENCY_MISMATCH and nothing is written', async () => {
		const company = new MemoryCompany([customerIn('8', 'Jane Doe', 'jane@example.com', 'USD')], true);
		const outcomes = await resolveCustomers(company, invoices([jane('EUR')]), { ...SETTINGS, ifOtherCurrency: 'error' });
		const error = errorOf(outcomes.get(0));
		expect(error.code).toBe('CUSTOMER_CURRENCY_MISMATCH');
		expect(error.message).toMatch(/ is in EUR but its QuickBooks customer Jane Doe \(Jane@Example.com\) is in USD$/);
		expect(error.hint).toMatch(/Add a customer in EUR with this email/);
		expect(error.details).toMatchObject({ currency: 'EUR', customerId: '8', customerCurrency: 'USD' });
		expect(company.batches).toBe(0);
	});

	it('with "If Not Found" = fail, a customer only in another currency is CUSTOMER_CURRENCY_MISMATCH (not created)', async () => {
		const company = new MemoryCompany([customerIn('8', 'Jane Doe', 'jane@example.com', 'USD')], true);
		const outcomes = await resolveCustomers(company, invoices([jane('EUR')]), { ...SETTINGS, ifNotFound: 'error' });
		expect(errorOf(outcomes.get(0)).code).toBe('CUSTOMER_CURRENCY_MISMATCH');
		expect(company.batches).toBe(0);
	});

	it('a new email invoiced in EUR and USD in one run gets "Jane Doe" in USD (the home currency) and "Jane Doe (EUR)" in EUR', async () => {
		const company = new MemoryCompany([], true);
		const outcomes = await resolveCustomers(company, invoices([jane('EUR'), jane('USD'), jane('EUR')]), SETTINGS);
		expect([0, 1, 2].map((index) => customerOf(outcomes.get(index)))).toEqual([
			{ id: '100', displayName: 'Jane Doe (EUR)', created: true, currency: 'EUR' },
			{ id: '101', displayName: 'Jane Doe', created: true, currency: 'USD' },
			{ id: '100', displayName: 'Jane Doe (EUR)', created: true, currency: 'EUR' },
		]);
		expect(company.batches).toBe(1);
	});

	it('on 6240 a holder with the email in another currency is not reused: the retry is named for the currency and reported', async () => {
		const company = new MemoryCompany([], true);
		company.meanwhile = (self) => self.customers.push(customerIn('3', 'Jane Doe', 'jane@example.com', 'USD'));
		const outcomes = await resolveCustomers(company, invoices([jane('EUR')]), SETTINGS);
		expect(customerOf(outcomes.get(0))).toEqual({ id: '100', displayName: 'Jane Doe (EUR)', created: true, renamedFrom: 'Jane Doe', currency: 'EUR' });
		expect(company.customers.find((customer) => customer.Id === '100')?.CurrencyRef).toEqual({ value: 'EUR' });
	});

	it('on 6240 a holder with the email in the invoice\'s currency is reused', async () => {
		const company = new MemoryCompany([], true);
		company.meanwhile = (self) => self.customers.push(customerIn('3', 'Jane Doe', 'jane@example.com', 'EUR'));
		const outcomes = await resolveCustomers(company, invoices([jane('EUR')]), SETTINGS);
		expect(customerOf(outcomes.get(0))).toEqual({ id: '3', displayName: 'Jane Doe', created: false, currency: 'EUR' });
		expect(company.customers).toHaveLength(1);
	});
});
