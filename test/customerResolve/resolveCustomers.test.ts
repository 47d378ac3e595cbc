/**
 * resolveCustomers against an in-memory company shared by two executions running at once: when
 * both miss a customer in the email lookup, the second creation hits "Duplicate Name Exists"
 * (6240) and must reuse the customer the first one just created instead of adding
 * "<name> (<email>)" as a second customer for the same email.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ValidInvoice } from '../../nodes/shared/execution';
import { syncItemSchema, type SyncItem } from '../../nodes/shared/invoiceContract';
import { QuickBooksFault, type BatchItemResult, type BatchOperation } from '../../nodes/shared/transport/quickbooks';
import { resolveCustomers, type CustomerClient, type CustomerResolveSettings } from '../../nodes/CustomerResolve/resolveCustomers';
import type { QuickBooksCustomer } from '../../nodes/CustomerResolve/emailMatch';
import { invoiceItem } from './qboTestKit';

const SETTINGS: CustomerResolveSettings = { ifNotFound: 'create', ifInactive: 'error', ignoreEmailCaseAndSpaces: false, sanitizeNames: false };

/** A company whose DisplayNames are unique (case-insensitive, like QuickBooks); every call yields first. */
class MemoryCompany implements CustomerClient {
	customers: QuickBooksCustomer[] = [];
	lookups: Array<{ field: string; values: string[] }> = [];
	/** Runs before each /batch: another execution's change between our lookup and our creation. */
	meanwhile?: (company: MemoryCompany) => void;
	private nextId = 100;

	constructor(customers: QuickBooksCustomer[] = []) {
		this.customers.push(...customers);
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
			const customer = { ...payload, Id: String(this.nextId++), Active: true };
			this.customers.push(customer);
			results.set(operation.bId, { bId: operation.bId, entity: customer as unknown as IDataObject });
		}
		return results;
	}
}

function invoices(customers: Array<{ email: string; companyName: string }>): Array<ValidInvoice<SyncItem>> {
	return customers.map((customer, index) => {
		const input = invoiceItem({ customer });
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
		expect(customerOf(outcomes.get(0))).toEqual({ id: '100', displayName: 'Acme (ap@acme.example)', created: true });
	});

	it('compares the holder\'s email as the email option says: exact by default, else ignoring case', async () => {
		const holder = { Id: '7', DisplayName: 'Acme', Active: true, PrimaryEmailAddr: { Address: 'AP@acme.example' } };
		const withHolderCreatedMeanwhile = () => {
			const company = new MemoryCompany();
			company.meanwhile = (self) => self.customers.push({ ...holder });
			return company;
		};
		const strict = await resolveCustomers(withHolderCreatedMeanwhile(), invoices([{ email: 'ap@acme.example', companyName: 'Acme' }]), SETTINGS);
		expect(customerOf(strict.get(0))).toMatchObject({ displayName: 'Acme (ap@acme.example)', created: true });

		const ignoring = await resolveCustomers(withHolderCreatedMeanwhile(), invoices([{ email: 'ap@acme.example', companyName: 'Acme' }]), { ...SETTINGS, ignoreEmailCaseAndSpaces: true });
		expect(customerOf(ignoring.get(0))).toEqual({ id: '7', displayName: 'Acme', created: false });
	});

	it('a variant taken meanwhile by the same email (the other execution hit 6240 too) is reused', async () => {
		const other = { Id: '1', DisplayName: 'Acme', Active: true, PrimaryEmailAddr: { Address: 'someone@else.example' } };
		const company = new MemoryCompany([other]);
		const batch = invoices([{ email: 'ap@acme.example', companyName: 'Acme' }]);
		const [first, second] = await Promise.all([resolveCustomers(company, batch, SETTINGS), resolveCustomers(company, batch, SETTINGS)]);
		expect(company.customers.map((customer) => customer.DisplayName)).toEqual(['Acme', 'Acme (ap@acme.example)']);
		expect([customerOf(first.get(0)), customerOf(second.get(0))]).toEqual([
			{ id: '100', displayName: 'Acme (ap@acme.example)', created: true },
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
