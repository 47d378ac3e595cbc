/**
 * Customer Resolve writes first in the sync (customers created or reactivated), so it runs every
 * write-free invoice check before it: an invoice QuickBooks could never take gets its own code and
 * no customer, while the other invoices of the same run get theirs. Policies the user set on the
 * QuickBooks Invoice Upsert downstream apply here too.
 */
import type { IConnections, IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { PACKAGE_NAME, blockExternalNetwork, runWorkflow } from '../harness';
import {
	COMPANY_PATH,
	DEFAULT_PREFERENCES,
	NODE_NAME,
	batchItems,
	invoiceItem,
	mockQuickBooks,
	qboCustomer,
	queryResponse,
	quickBooksTestCredentials,
	type RecordedRequest,
} from '../kit';

const QUERY_PATH = `${COMPANY_PATH}/query`;
const BATCH_PATH = `${COMPANY_PATH}/batch`;
const UPSERT = 'QuickBooks Invoice Upsert';

beforeAll(() => blockExternalNetwork());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

interface Company {
	requests: RecordedRequest[];
	/** Customer writes (creates and reactivations) QuickBooks received. */
	customerWrites: Array<Record<string, any>>;
	/** Emails Customer Resolve looked up. */
	lookedUp: string[];
}

/** A QuickBooks company with `customers` and `preferences`; the upsert's own requests get a fault. */
function company(customers: Array<Record<string, unknown>>, preferences: IDataObject = DEFAULT_PREFERENCES): Company {
	const customerWrites: Array<Record<string, any>> = [];
	const lookedUp: string[] = [];
	let nextId = 700;
	const rowsFor = (query: string) => {
		if (!/FROM Customer/.test(query)) return undefined;
		const emails = [...query.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
		lookedUp.push(...emails);
		return customers.filter((c: any) => emails.some((email) => email.toLowerCase() === String(c.PrimaryEmailAddr?.Address ?? '').toLowerCase()));
	};
	const requests = mockQuickBooks((request) => {
		if (request.method === 'GET' && request.path.endsWith('/preferences')) return { body: { Preferences: preferences } };
		if (request.method === 'GET' && request.path.includes('/companyinfo/')) return { body: { CompanyInfo: { CompanyName: 'Test', Country: 'US' } } };
		if (request.path === QUERY_PATH) {
			const rows = rowsFor(String(request.body));
			return rows ? { body: queryResponse('Customer', rows) } : undefined;
		}
		if (request.path === BATCH_PATH) {
			const items = batchItems(request);
			if (!items.every((item) => item.Customer || (item.Query && /FROM Customer/.test(item.Query)))) return undefined;
			return {
				body: {
					BatchItemResponse: items.map((item) => {
						if (item.Query) return { bId: item.bId, ...(queryResponse('Customer', rowsFor(item.Query) ?? []) as object) };
						customerWrites.push({ operation: item.operation, ...item.Customer });
						return { bId: item.bId, Customer: { Id: item.Customer.Id ?? String(nextId++), SyncToken: '1', Active: true, ...item.Customer } };
					}),
				},
			};
		}
		return undefined;
	});
	return { requests, customerWrites, lookedUp };
}

/** Customer Resolve, and the upsert after it when `upsertOptions` is given (its options collection as n8n stores it). */
async function run(input: IDataObject[], parameters: IDataObject = {}, upsertOptions?: unknown) {
	const nodes = [
		{ name: NODE_NAME, type: `${PACKAGE_NAME}.customerResolve`, parameters: parameters as never, onError: 'continueErrorOutput' as const },
		...(upsertOptions === undefined
			? []
			: [{ name: UPSERT, type: `${PACKAGE_NAME}.quickBooksInvoiceUpsert`, parameters: { options: upsertOptions } as never, onError: 'continueErrorOutput' as const }]),
	];
	const connections: IConnections = upsertOptions === undefined ? {} : { [NODE_NAME]: { main: [[{ node: UPSERT, type: 'main', index: 0 }]] } };
	const result = await runWorkflow({ nodes, connections, credentials: quickBooksTestCredentials(), input });
	const errors = result.output(NODE_NAME, 1).map((item) => item.json as { error: { code: string; message: string; hint: string; details: IDataObject }; invoice: { number: string } });
	return { main: result.output(NODE_NAME, 0).map((item) => item.json), errors, codes: Object.fromEntries(errors.map((e) => [e.invoice.number, e.error.code])) };
}

const createdEmails = (writes: Array<Record<string, any>>) => writes.filter((w) => w.operation === 'create').map((w) => w.PrimaryEmailAddr.Address);

describe('Customer Resolve checks every invoice before its first write', () => {
	it('an invoice without lines, in a currency the company cannot take or with an invalid date creates no customer; the valid one in the same run gets its customer', async () => {
		const qbo = company([]);
		const result = await run([
			invoiceItem({ number: 'GOOD-1', customer: { email: 'good@example.com' } }),
			invoiceItem({ number: 'EMPTY-1', customer: { email: 'empty@example.com' }, lines: [] }),
			invoiceItem({ number: 'EUR-1', currency: 'EUR', customer: { email: 'euro@example.com' } }),
			invoiceItem({ number: 'DATE-1', issueDate: '2026-02-30', customer: { email: 'date@example.com' } }),
		]);

		expect(result.codes).toEqual({ 'EMPTY-1': 'INVOICE_HAS_NO_LINES', 'EUR-1': 'CURRENCY_MISMATCH', 'DATE-1': 'INVALID_DATE' });
		expect(result.main.map((json: any) => json.invoice.number)).toEqual(['GOOD-1']);
		expect(createdEmails(qbo.customerWrites)).toEqual(['good@example.com']);
		// Failing invoices are not even looked up.
		expect(qbo.lookedUp).toEqual(['good@example.com']);
	});

	it('gives an invoice without lines its own code and a hint about the data, not the wiring hint of INVALID_INPUT', async () => {
		company([]);
		const { errors } = await run([invoiceItem({ number: 'EMPTY-2', lines: [] })]);
		expect(errors[0].error.code).toBe('INVOICE_HAS_NO_LINES');
		expect(errors[0].error.message).toBe('Invoice EMPTY-2 has no line items');
		expect(errors[0].error.hint).toMatch(/Add a line item/);
		expect(errors[0].error.hint).not.toMatch(/Connect this node/);
	});

	it('CURRENCY_MISMATCH names both currencies; with multicurrency on the EUR invoice gets its customer', async () => {
		company([]);
		const { errors } = await run([invoiceItem({ number: 'EUR-2', currency: 'EUR' })]);
		expect(errors[0].error).toMatchObject({ code: 'CURRENCY_MISMATCH', details: { currency: 'EUR', homeCurrency: 'USD' } });

		nock.cleanAll();
		const qbo = company([], { ...DEFAULT_PREFERENCES, CurrencyPrefs: { HomeCurrency: { value: 'USD' }, MultiCurrencyEnabled: true } });
		const result = await run([invoiceItem({ number: 'EUR-3', currency: 'EUR', customer: { email: 'euro@example.com' } })]);
		expect(result.errors).toEqual([]);
		expect(createdEmails(qbo.customerWrites)).toEqual(['euro@example.com']);
	});

	it('reads CompanyInfo and Preferences once for all invoices of the run (the nodes after it reuse the reads)', async () => {
		const qbo = company([qboCustomer('1', 'known@example.com', 'Known')]);
		await run([1, 2, 3].map(() => invoiceItem({ customer: { email: 'known@example.com' } })));
		const reads = qbo.requests.filter((request) => request.method === 'GET').map((request) => request.path.replace(COMPANY_PATH, ''));
		expect(reads.sort()).toEqual(['/companyinfo/4620816365000001', '/preferences']);
	});
});

describe('Customer Resolve applies the policies of the QuickBooks Invoice Upsert after it', () => {
	const LONG = 'INV-2026-000000000000042'; // 24 characters
	const inputs = () => [
		invoiceItem({ number: LONG, customer: { email: 'long@example.com' } }),
		invoiceItem({ number: 'BAD\u0007CHAR', customer: { email: 'bell@example.com' } }),
		invoiceItem({ number: 'AMOUNT-1', customer: { email: 'amount@example.com' }, lines: [{ quantity: 2, unitPrice: 10, amount: 25 }] }),
		invoiceItem({ number: 'FINE-1', customer: { email: 'fine@example.com' } }),
	];

	it('with the upsert\'s defaults (long numbers and invalid characters fail) those invoices fail here, before a customer is created', async () => {
		const qbo = company([]);
		const { codes } = await run(inputs(), {}, {});
		expect(codes).toEqual({ [LONG]: 'DOC_NUMBER_TOO_LONG', 'BAD\u0007CHAR': 'INVALID_CHARACTERS' });
		// HubSpot's amount wins by default: the unit price is fitted, nothing fails.
		expect(createdEmails(qbo.customerWrites).sort()).toEqual(['amount@example.com', 'fine@example.com']);
	});

	it('with the upsert set to shorten, strip and fail on amount mismatches, only the amount mismatch fails here', async () => {
		const qbo = company([]);
		const { codes } = await run(inputs(), {}, { longInvoiceNumbers: 'shorten', invalidCharacters: 'strip', amountMismatch: 'error' });
		expect(codes).toEqual({ 'AMOUNT-1': 'AMOUNT_MISMATCH' });
		expect(createdEmails(qbo.customerWrites).sort()).toEqual(['bell@example.com', 'fine@example.com', 'long@example.com']);
	});

	it('without an upsert downstream only what no policy can fix fails (every policy at its fixing setting)', async () => {
		const qbo = company([]);
		const { codes } = await run([...inputs(), invoiceItem({ number: 'EMPTY-3', lines: [] })]);
		expect(codes).toEqual({ 'EMPTY-3': 'INVOICE_HAS_NO_LINES' });
		expect(createdEmails(qbo.customerWrites)).toHaveLength(4);
	});

	it('a policy set by an expression (unknown before the upsert runs) is taken at its fixing setting', async () => {
		company([]);
		const { codes } = await run(inputs(), {}, { longInvoiceNumbers: '={{ "error" }}', invalidCharacters: 'error' });
		expect(codes).toEqual({ 'BAD\u0007CHAR': 'INVALID_CHARACTERS' });
	});

	it('a disabled upsert is no policy source', async () => {
		company([]);
		const nodes = [
			{ name: NODE_NAME, type: `${PACKAGE_NAME}.customerResolve`, parameters: {}, onError: 'continueErrorOutput' as const },
			{ name: UPSERT, type: `${PACKAGE_NAME}.quickBooksInvoiceUpsert`, parameters: { options: {} } as never, disabled: true },
		];
		const result = await runWorkflow({
			nodes,
			connections: { [NODE_NAME]: { main: [[{ node: UPSERT, type: 'main', index: 0 }]] } },
			credentials: quickBooksTestCredentials(),
			input: [invoiceItem({ number: LONG })],
		});
		expect(result.output(NODE_NAME, 1)).toEqual([]);
	});
});

describe('Customer Resolve and the checks on totals, discounts, fees and numbering', () => {
	const DISCOUNTS_OFF = { ...DEFAULT_PREFERENCES, SalesFormsPrefs: { CustomTxnNumbers: true, AllowDiscount: false } };
	const NUMBERED_BY_QUICKBOOKS = { ...DEFAULT_PREFERENCES, SalesFormsPrefs: { CustomTxnNumbers: false, AllowDiscount: true } };
	const LONG = 'INV-2026-0000000000000042'; // 25 characters
	const withFee = (number: string, email: string) => invoiceItem({ number, customer: { email }, adjustments: [{ kind: 'fee', hubspotId: '9', name: 'Handling', amount: '5.00' }] });

	it('an invoice whose QuickBooks total would differ from HubSpot\'s gets TOTAL_MISMATCH and no customer create request', async () => {
		const qbo = company([]);
		// One line of 1 × 10.00; HubSpot says 12.00 before tax.
		const result = await run([
			invoiceItem({ number: 'TOTAL-1', customer: { email: 'total@example.com' }, totals: { total: '13.00', taxTotal: '1.00' } }),
			invoiceItem({ number: 'TOTAL-OK', customer: { email: 'fine@example.com' }, totals: { total: '11.00', taxTotal: '1.00' } }),
		]);

		expect(result.codes).toEqual({ 'TOTAL-1': 'TOTAL_MISMATCH' });
		expect(result.errors[0].error.details).toMatchObject({ quickbooks: { total: '10.00' }, hubspot: { total: '12.00' } });
		expect(createdEmails(qbo.customerWrites)).toEqual(['fine@example.com']);
		expect(qbo.lookedUp).toEqual(['fine@example.com']);
	});

	it('an invoice-level discount in a company with discounts off gets DISCOUNTS_DISABLED and no customer', async () => {
		const qbo = company([], DISCOUNTS_OFF);
		const result = await run([
			invoiceItem({ number: 'PROMO-1', customer: { email: 'promo@example.com' }, adjustments: [{ kind: 'discount', hubspotId: '8', name: 'Promo', percentage: '10' }] }),
			invoiceItem({ number: 'PLAIN-1', customer: { email: 'plain@example.com' } }),
		]);
		expect(result.codes).toEqual({ 'PROMO-1': 'DISCOUNTS_DISABLED' });
		expect(createdEmails(qbo.customerWrites)).toEqual(['plain@example.com']);
	});

	it('with custom transaction numbers off (QuickBooks numbers the invoice) a 25-character number passes under the upsert\'s failing policy', async () => {
		const qbo = company([], NUMBERED_BY_QUICKBOOKS);
		const result = await run([invoiceItem({ number: LONG, customer: { email: 'long@example.com' } })], {}, {});
		expect(result.errors).toEqual([]);
		expect(result.main.map((json: any) => json.invoice.number)).toEqual([LONG]);
		expect(createdEmails(qbo.customerWrites)).toEqual(['long@example.com']);

		nock.cleanAll();
		const numbered = company([]);
		expect((await run([invoiceItem({ number: LONG, customer: { email: 'long@example.com' } })], {}, {})).codes).toEqual({ [LONG]: 'DOC_NUMBER_TOO_LONG' });
		expect(numbered.customerWrites).toEqual([]);
	});

	it('a fee with no Fee Item on the upsert after it gets FEE_ITEM_MISSING and no customer; with a Fee Item the customer is created', async () => {
		const qbo = company([]);
		expect((await run([withFee('FEE-1', 'fee@example.com')], {}, {})).codes).toEqual({ 'FEE-1': 'FEE_ITEM_MISSING' });
		expect(qbo.customerWrites).toEqual([]);

		nock.cleanAll();
		const chosen = company([]);
		expect((await run([withFee('FEE-2', 'fee@example.com')], {}, { feeItemId: '42' })).errors).toEqual([]);
		expect(createdEmails(chosen.customerWrites)).toEqual(['fee@example.com']);
	});

	it('when the upsert\'s Fee Item cannot be read (no upsert after it, an expression) the fee does not fail here: the upsert checks it', async () => {
		for (const upsertOptions of [undefined, { feeItemId: '={{ $json.feeItem }}' }]) {
			nock.cleanAll();
			const qbo = company([]);
			expect((await run([withFee('FEE-3', 'fee@example.com')], {}, upsertOptions)).errors).toEqual([]);
			expect(createdEmails(qbo.customerWrites)).toEqual(['fee@example.com']);
		}
	});
});

describe('Customer Resolve and closed books', () => {
	const CLOSED = { ...DEFAULT_PREFERENCES, AccountingInfoPrefs: { BookCloseDate: '2026-06-30' } };

	it('an invoice dated on or before the books-closed date creates no customer (PERIOD_CLOSED); one whose customer exists passes; a later one gets its customer', async () => {
		const qbo = company([qboCustomer('1', 'known@example.com', 'Known')], CLOSED);
		const result = await run([
			invoiceItem({ number: 'OLD-NEW', issueDate: '2026-06-30T00:00:00.000Z', customer: { email: 'old-new@example.com' } }),
			invoiceItem({ number: 'OLD-KNOWN', issueDate: '2026-05-01T00:00:00.000Z', customer: { email: 'known@example.com' } }),
			invoiceItem({ number: 'CURRENT', issueDate: '2026-07-01T00:00:00.000Z', customer: { email: 'current@example.com' } }),
		]);

		expect(result.codes).toEqual({ 'OLD-NEW': 'PERIOD_CLOSED' });
		expect(result.errors[0].error.details).toMatchObject({ txnDate: '2026-06-30', bookCloseDate: '2026-06-30' });
		expect(result.errors[0].error.message).toBe('Invoice OLD-NEW: its date falls in a closed accounting period in QuickBooks');
		// The invoice QuickBooks may already hold unchanged is no failure: the upsert decides.
		expect(result.main.map((json: any) => [json.invoice.number, json.quickbooks.customer.id])).toEqual([
			['OLD-KNOWN', '1'],
			['CURRENT', '700'],
		]);
		expect(createdEmails(qbo.customerWrites)).toEqual(['current@example.com']);
	});

	it('a closed-period invoice whose customer is inactive is not reactivated', async () => {
		const qbo = company([qboCustomer('5', 'asleep@example.com', 'Asleep', { Active: false })], CLOSED);
		const { codes } = await run([invoiceItem({ number: 'OLD-ASLEEP', issueDate: '2026-01-15T00:00:00.000Z', customer: { email: 'asleep@example.com' } })], { ifInactive: 'reactivate' });
		expect(codes).toEqual({ 'OLD-ASLEEP': 'PERIOD_CLOSED' });
		expect(qbo.customerWrites).toEqual([]);
	});

	it('with "fail the invoice" as the not-found policy the customer code stays (nothing would have been written)', async () => {
		company([], CLOSED);
		const { codes } = await run([invoiceItem({ number: 'OLD-X', issueDate: '2026-01-15T00:00:00.000Z' })], { ifNotFound: 'error' });
		expect(codes).toEqual({ 'OLD-X': 'CUSTOMER_NOT_FOUND' });
	});
});
