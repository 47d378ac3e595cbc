import nock from 'nock';

import { blockExternalNetwork } from '../harness';
import {
	COMPANY_PATH,
	batchItems,
	fault,
	invoiceItem,
	mockQuickBooks,
	qboCustomer,
	queryResponse,
	runNode,
	type RecordedRequest,
} from '../kit';

const NODE = 'customerResolve';
const QUERY_PATH = `${COMPANY_PATH}/query`;
const BATCH_PATH = `${COMPANY_PATH}/batch`;

const lookupQuery = (...emails: string[]) =>
	`SELECT * FROM Customer WHERE PrimaryEmailAddr IN (${emails.join(', ')}) AND Active IN (true, false) STARTPOSITION 1 MAXRESULTS 1000`;

beforeAll(() => blockExternalNetwork());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** QuickBooks' duplicate-name fault (6240) as QuickBooks words it. */
const DUPLICATE_NAME_FAULT = fault('6240', 'Duplicate Name Exists Error', 'The name supplied already exists. : Another customer, vendor or employee is already using this name.');

/**
 * A QuickBooks company holding `customers`, compared the way QuickBooks compares: emails and names
 * in queries ignoring case, DisplayName unique ignoring case (6240). Batch creates get ids from 500
 * and may be rejected first by `rejectCreate`.
 */
function company(
	customers: Array<Record<string, unknown>>,
	options: { rejectCreate?: (payload: Record<string, any>, attempt: number) => unknown; preferences?: Record<string, unknown> } = {},
): { requests: RecordedRequest[]; created: Array<Record<string, any>> } {
	const created: Array<Record<string, any>> = [];
	const all: Array<Record<string, any>> = [...customers];
	let nextId = 500;
	let attempts = 0;
	const same = (a: unknown, b: unknown) => String(a ?? '').toLowerCase() === String(b ?? '').toLowerCase();
	const rowsFor = (query: string) => {
		const match = /(PrimaryEmailAddr|DisplayName) IN \((.*)\) AND/.exec(query);
		const wanted = match ? [...match[2].matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1].replace(/\\(.)/g, '$1')) : [];
		const value = (c: Record<string, any>) => (match?.[1] === 'DisplayName' ? c.DisplayName : c.PrimaryEmailAddr?.Address);
		return all.filter((c) => wanted.some((entry) => same(entry, value(c))));
	};
	const requests = mockQuickBooks((request) => {
		if (request.path === QUERY_PATH) return { body: queryResponse('Customer', rowsFor(String(request.body))) };
		if (request.path === `${COMPANY_PATH}/preferences` && options.preferences) return { body: { Preferences: options.preferences } };
		if (request.path === BATCH_PATH) {
			const answers = batchItems(request).map((item) => {
				if (item.Query) return { bId: item.bId, ...(queryResponse('Customer', rowsFor(item.Query)) as object) };
				if (item.operation === 'update') {
					const existing: any = all.find((c: any) => c.Id === item.Customer.Id);
					return { bId: item.bId, Customer: { ...existing, ...item.Customer, SyncToken: '1' } };
				}
				const rejection = options.rejectCreate?.(item.Customer, attempts++);
				if (rejection) return { bId: item.bId, ...(rejection as object) };
				if (all.some((c) => same(c.DisplayName, item.Customer.DisplayName))) return { bId: item.bId, ...DUPLICATE_NAME_FAULT };
				const customer = { ...item.Customer, Id: String(nextId++), SyncToken: '0', Active: true };
				created.push(customer);
				all.push(customer);
				return { bId: item.bId, Customer: customer };
			});
			return { body: { BatchItemResponse: answers } };
		}
		return undefined;
	});
	return { requests, created };
}

describe('Customer Resolve: matching by email', () => {
	it('finds the existing customer by exact email and adds quickbooks.customer', async () => {
		const { requests } = company([qboCustomer('1', 'ap@acme.example', 'Acme Corporation')]);
		const result = await runNode(NODE, {}, [invoiceItem({ customer: { email: 'ap@acme.example', companyName: 'Acme' } })]);

		expect(result.errors).toEqual([]);
		expect(result.main).toHaveLength(1);
		expect(result.main[0].quickbooks).toEqual({ customer: { id: '1', displayName: 'Acme Corporation', created: false } });
		expect(requests.map((r) => [r.path, r.body])).toEqual([[QUERY_PATH, lookupQuery("'ap@acme.example'")]]);
	});

	it('keeps other nodes\' quickbooks parts', async () => {
		company([qboCustomer('1', 'ap@acme.example', 'Acme')]);
		const input = invoiceItem({ customer: { email: 'ap@acme.example' } }, { quickbooks: { lines: [{ itemId: '7' }], txnTaxCodeId: '3' } });
		const result = await runNode(NODE, {}, [input]);
		expect(result.main[0].quickbooks).toEqual({ lines: [{ itemId: '7' }], txnTaxCodeId: '3', customer: { id: '1', displayName: 'Acme', created: false } });
	});

	it('matches emails ignoring case by default: contact Jane@Example.com gets customer "Jane Doe" (jane@example.com), nothing is created', async () => {
		const { created } = company([qboCustomer('8', 'jane@example.com', 'Jane Doe')]);
		const result = await runNode(NODE, {}, [invoiceItem({ customer: { email: 'Jane@Example.com', firstName: 'Jane', lastName: 'Doe' } })]);
		expect(result.errors).toEqual([]);
		expect(result.main[0].quickbooks).toEqual({ customer: { id: '8', displayName: 'Jane Doe', created: false } });
		expect(created).toEqual([]);
	});

	it('trims the contact\'s email and asks QuickBooks for it as given and in lower case', async () => {
		const { requests, created } = company([qboCustomer('4', 'orders@harborsupply.example', 'Harbor Supply Co.')]);
		const result = await runNode(NODE, {}, [invoiceItem({ customer: { email: '  Orders@HarborSupply.example ' } })]);
		expect(result.main[0].quickbooks).toEqual({ customer: { id: '4', displayName: 'Harbor Supply Co.', created: false } });
		expect(created).toEqual([]);
		expect(requests.find((r) => r.path === QUERY_PATH)?.body).toBe(lookupQuery("'Orders@HarborSupply.example'", "'orders@harborsupply.example'"));
	});

	it('with "Match Emails Exactly" an email differing in case is another customer\'s, and the new one is created under its own name', async () => {
		const { created } = company([qboCustomer('4', 'orders@harborsupply.example', 'Harbor Supply Co.')]);
		const result = await runNode(NODE, { options: { exactEmailMatch: true } }, [invoiceItem({ customer: { email: 'Orders@HarborSupply.example', companyName: 'Harbor Supply West' } })]);
		expect(result.main[0].quickbooks).toEqual({ customer: { id: '500', displayName: 'Harbor Supply West', created: true } });
		expect(created[0].PrimaryEmailAddr).toEqual({ Address: 'Orders@HarborSupply.example' });
	});

	it('with "Match Emails Exactly", a taken name (6240) whose holder has the same email in another case links that customer instead of creating a second', async () => {
		const { created } = company([qboCustomer('8', 'jane@example.com', 'Jane Doe')]);
		const result = await runNode(NODE, { options: { exactEmailMatch: true } }, [invoiceItem({ customer: { email: 'Jane@Example.com', firstName: 'Jane', lastName: 'Doe' } })]);
		expect(result.errors).toEqual([]);
		expect(result.main[0].quickbooks).toEqual({ customer: { id: '8', displayName: 'Jane Doe', created: false } });
		expect(created).toEqual([]);
	});

	it('prefers the active customer when several share the email', async () => {
		company([
			qboCustomer('2', 'shared@x.example', 'Old Name', { Active: false }),
			qboCustomer('9', 'shared@x.example', 'Current Name'),
		]);
		const result = await runNode(NODE, {}, [invoiceItem({ customer: { email: 'shared@x.example' } })]);
		expect(result.main[0].quickbooks).toEqual({ customer: { id: '9', displayName: 'Current Name', created: false } });
	});
});

describe('Customer Resolve: missing email', () => {
	it('sends invoices without an email to the error output with CUSTOMER_EMAIL_MISSING and asks QuickBooks nothing', async () => {
		const { requests } = company([]);
		const result = await runNode(NODE, {}, [invoiceItem({ number: 'INV-1012', customer: { email: null } }), invoiceItem({ customer: { email: '   ' } })]);
		expect(result.main).toEqual([]);
		expect(result.errors.map((e: any) => e.error.code)).toEqual(['CUSTOMER_EMAIL_MISSING', 'CUSTOMER_EMAIL_MISSING']);
		expect((result.errors[0] as any).error.message).toBe('Invoice INV-1012: the HubSpot contact has no email address');
		expect((result.errors[0] as any).error.hint).toMatch(/add an email to the contact, then retry/);
		expect((result.errors[0] as any).invoice.number).toBe('INV-1012');
		expect(requests).toEqual([]);
	});
});

describe('Customer Resolve: inactive customers', () => {
	it('fails with CUSTOMER_INACTIVE by default, naming customer and email', async () => {
		const { requests } = company([qboCustomer('5', 'finance@umbrella.example', 'Umbrella Health', { Active: false })]);
		const result = await runNode(NODE, {}, [invoiceItem({ number: 'INV-1015', customer: { email: 'finance@umbrella.example' } })]);
		expect(result.main).toEqual([]);
		expect((result.errors[0] as any).error).toMatchObject({
			code: 'CUSTOMER_INACTIVE',
			message: 'Invoice INV-1015: QuickBooks customer Umbrella Health (finance@umbrella.example) is inactive',
			details: { customerId: '5' },
		});
		expect(requests).toHaveLength(1);
	});

	it('reactivates with a sparse update (once per customer) when the policy says so', async () => {
		const { requests } = company([qboCustomer('5', 'finance@umbrella.example', 'Umbrella Health', { Active: false, SyncToken: '3' })]);
		const result = await runNode(NODE, { ifInactive: 'reactivate' }, [
			invoiceItem({ customer: { email: 'finance@umbrella.example' } }),
			invoiceItem({ customer: { email: 'finance@umbrella.example' } }),
		]);
		expect(result.errors).toEqual([]);
		expect(result.main.map((j: any) => j.quickbooks.customer)).toEqual([
			{ id: '5', displayName: 'Umbrella Health', created: false, reactivated: true },
			{ id: '5', displayName: 'Umbrella Health', created: false, reactivated: true },
		]);
		expect(requests.map((r) => r.path)).toEqual([QUERY_PATH, BATCH_PATH]);
		expect(batchItems(requests[1])).toEqual([
			{ bId: 'r0', operation: 'update', Customer: { Id: '5', SyncToken: '3', sparse: true, Active: true } },
		]);
	});

	it('reports a failed reactivation on the invoices of that customer only', async () => {
		mockQuickBooks((request) => {
			if (request.path === QUERY_PATH) {
				return { body: queryResponse('Customer', [qboCustomer('5', 'x@u.example', 'Umbrella', { Active: false }), qboCustomer('6', 'y@u.example', 'Fine')]) };
			}
			return { body: { BatchItemResponse: [{ bId: 'r0', ...fault('5010', 'Stale Object Error', 'You and someone else edited this customer') }] } };
		});
		const result = await runNode(NODE, { ifInactive: 'reactivate' }, [invoiceItem({ customer: { email: 'x@u.example' } }), invoiceItem({ customer: { email: 'y@u.example' } })]);
		expect(result.main.map((j: any) => j.quickbooks.customer.id)).toEqual(['6']);
		expect((result.errors[0] as any).error.code).toBe('STALE_OBJECT');
	});
});

describe('Customer Resolve: customers not found', () => {
	it('fails with CUSTOMER_NOT_FOUND when the policy is error', async () => {
		const { requests } = company([]);
		const result = await runNode(NODE, { ifNotFound: 'error' }, [invoiceItem({ number: 'INV-9', customer: { email: 'new@x.example' } })]);
		expect((result.errors[0] as any).error).toMatchObject({
			code: 'CUSTOMER_NOT_FOUND',
			message: 'Invoice INV-9: no QuickBooks customer with email new@x.example',
		});
		expect(requests).toHaveLength(1);
	});

	it('creates one customer per new email in one /batch, even when several invoices share it', async () => {
		const { requests, created } = company([]);
		const result = await runNode(NODE, {}, [
			invoiceItem({ customer: { email: 'richard@piedpiper.example', firstName: 'Richard', lastName: 'Hendricks', companyName: 'Pied Piper', address: { line1: '5230 Newell Rd', city: 'Palo Alto', state: 'CA', postalCode: '94303', country: 'US' } } }),
			invoiceItem({ customer: { email: 'jordan.blake@mail.example', firstName: 'Jordan', lastName: 'Blake', companyName: null } }),
			invoiceItem({ customer: { email: 'richard@piedpiper.example', firstName: 'Richard', lastName: 'Hendricks', companyName: 'Pied Piper' } }),
			invoiceItem({ customer: { email: 'nobody@mail.example', firstName: null, lastName: null, companyName: null } }),
		]);
		expect(result.errors).toEqual([]);
		expect(requests.map((r) => r.path)).toEqual([QUERY_PATH, BATCH_PATH]);
		expect(requests[0].body).toBe(lookupQuery("'richard@piedpiper.example'", "'jordan.blake@mail.example'", "'nobody@mail.example'"));
		expect(batchItems(requests[1])).toEqual([
			{
				bId: 'c0',
				operation: 'create',
				Customer: {
					DisplayName: 'Pied Piper',
					PrimaryEmailAddr: { Address: 'richard@piedpiper.example' },
					GivenName: 'Richard',
					FamilyName: 'Hendricks',
					CompanyName: 'Pied Piper',
					BillAddr: { Line1: '5230 Newell Rd', City: 'Palo Alto', CountrySubDivisionCode: 'CA', PostalCode: '94303', Country: 'US' },
				},
			},
			{ bId: 'c1', operation: 'create', Customer: { DisplayName: 'Jordan Blake', PrimaryEmailAddr: { Address: 'jordan.blake@mail.example' }, GivenName: 'Jordan', FamilyName: 'Blake' } },
			{ bId: 'c2', operation: 'create', Customer: { DisplayName: 'nobody@mail.example', PrimaryEmailAddr: { Address: 'nobody@mail.example' } } },
		]);
		expect(created).toHaveLength(3);
		expect(result.main.map((j: any) => j.quickbooks.customer)).toEqual([
			{ id: '500', displayName: 'Pied Piper', created: true },
			{ id: '501', displayName: 'Jordan Blake', created: true },
			{ id: '500', displayName: 'Pied Piper', created: true },
			{ id: '502', displayName: 'nobody@mail.example', created: true },
		]);
	});

	it('sends minorversion=75 and a requestid (≤ 36 characters) with the create batch', async () => {
		const { requests } = company([]);
		await runNode(NODE, {}, [invoiceItem({ customer: { email: 'n@x.example' } })]);
		expect(requests[0].params).toMatchObject({ minorversion: '75' });
		expect(requests[1].params.requestid).toMatch(/^[0-9a-f-]{36}$/);
	});

	it('removes colons from names always, and &, #, / only with "Sanitize Names"', async () => {
		const input = () => [invoiceItem({ customer: { email: 'ops@smithandsons.example', firstName: 'Pat', lastName: 'Smith: Jr', companyName: 'Smith & Sons #2 / R&D: West' } })];
		let { requests } = company([]);
		let result = await runNode(NODE, {}, input());
		expect(batchItems(requests[1])[0].Customer).toMatchObject({ DisplayName: 'Smith & Sons #2 / R&D West', CompanyName: 'Smith & Sons #2 / R&D West', FamilyName: 'Smith Jr' });
		expect(result.main[0].quickbooks).toEqual({ customer: { id: '500', displayName: 'Smith & Sons #2 / R&D West', created: true } });

		nock.cleanAll();
		({ requests } = company([]));
		result = await runNode(NODE, { options: { sanitizeNames: true } }, input());
		expect(batchItems(requests[1])[0].Customer).toMatchObject({ DisplayName: 'Smith Sons 2 RD West', CompanyName: 'Smith Sons 2 RD West' });
	});

	it('trims display names to 500 characters and person names to 100', async () => {
		const { requests } = company([]);
		await runNode(NODE, {}, [invoiceItem({ customer: { email: 'long@x.example', companyName: `${'C'.repeat(700)}`, firstName: 'F'.repeat(150), lastName: 'L'.repeat(150) } })]);
		const customer = batchItems(requests[1])[0].Customer;
		expect(customer.DisplayName).toHaveLength(500);
		expect(customer.GivenName).toHaveLength(100);
		expect(customer.FamilyName).toHaveLength(100);
		expect(customer.CompanyName).toHaveLength(100);
	});

	it('retries a duplicate name (6240) once as "<name> (<email>)"', async () => {
		const { requests } = company([], {
			rejectCreate: (payload) =>
				payload.DisplayName === 'Acme Corporation' ? fault('6240', 'Duplicate Name Exists Error', 'The name supplied already exists. : Another customer, vendor or employee is already using this name.') : undefined,
		});
		const result = await runNode(NODE, {}, [
			invoiceItem({ customer: { email: 'new-ap@acme.example', companyName: 'Acme Corporation' } }),
			invoiceItem({ customer: { email: 'other@x.example', companyName: 'Other' } }),
		]);
		expect(result.errors).toEqual([]);
		// The taken name is looked up first: its holder has another email, so the variant is created.
		expect(requests.map((r) => r.path)).toEqual([QUERY_PATH, BATCH_PATH, QUERY_PATH, BATCH_PATH]);
		expect(requests[2].body).toBe("SELECT * FROM Customer WHERE DisplayName IN ('Acme Corporation') AND Active IN (true, false) STARTPOSITION 1 MAXRESULTS 1000");
		expect(batchItems(requests[3])).toEqual([
			{ bId: 'd0', operation: 'create', Customer: expect.objectContaining({ DisplayName: 'Acme Corporation (new-ap@acme.example)', PrimaryEmailAddr: { Address: 'new-ap@acme.example' } }) },
		]);
		// Never silent: renamedFrom names the display name that was wanted.
		expect(result.main.map((j: any) => j.quickbooks.customer)).toEqual([
			{ id: '501', displayName: 'Acme Corporation (new-ap@acme.example)', created: true, renamedFrom: 'Acme Corporation' },
			{ id: '500', displayName: 'Other', created: true },
		]);
	});

	it('gives CUSTOMER_CREATE_FAILED with QuickBooks\' detail when the variant is taken too', async () => {
		const { requests } = company([], {
			rejectCreate: () => fault('6240', 'Duplicate Name Exists Error', 'Another customer, vendor or employee is already using this name.'),
		});
		const result = await runNode(NODE, {}, [invoiceItem({ number: 'INV-77', customer: { email: 'dup@x.example', companyName: 'Dup' } })]);
		// email lookup, create, name lookup, create the variant, variant lookup (no holder with this email)
		expect(requests.map((r) => r.path)).toEqual([QUERY_PATH, BATCH_PATH, QUERY_PATH, BATCH_PATH, QUERY_PATH]);
		const error = (result.errors[0] as any).error;
		expect(error.code).toBe('CUSTOMER_CREATE_FAILED');
		expect(error.message).toBe(
			'Invoice INV-77: could not create QuickBooks customer Dup (dup@x.example): Duplicate Name Exists Error: Another customer, vendor or employee is already using this name.',
		);
		expect(error.details).toMatchObject({ quickbooksCode: '6240', displayName: 'Dup (dup@x.example)', email: 'dup@x.example' });
	});

	it('gives CUSTOMER_CREATE_FAILED for other rejections without retrying', async () => {
		const { requests } = company([], {
			rejectCreate: () => fault('2050', 'String length is either shorter or longer than supported by specification', 'Min:0 Max:100 supported', 'PrimaryEmailAddr'),
		});
		const result = await runNode(NODE, {}, [invoiceItem({ number: 'INV-78', customer: { email: `${'x'.repeat(120)}@x.example`, companyName: 'Long Mail' } })]);
		expect(requests).toHaveLength(2);
		expect((result.errors[0] as any).error).toMatchObject({ code: 'CUSTOMER_CREATE_FAILED', details: { quickbooksCode: '2050', element: 'PrimaryEmailAddr' } });
		expect((result.errors[0] as any).error.message).toMatch(/Min:0 Max:100 supported/);
	});
});

describe('Customer Resolve: currencies', () => {
	const multicurrency = { CurrencyPrefs: { MultiCurrencyEnabled: true, HomeCurrency: { value: 'USD' } } };

	it('in a multicurrency company creates the customer with the invoice\'s CurrencyRef, reading the preferences once for the execution', async () => {
		const { requests, created } = company([], { preferences: multicurrency });
		const result = await runNode(NODE, {}, [
			invoiceItem({ currency: 'EUR', customer: { email: 'jane@example.com', firstName: 'Jane', lastName: 'Doe' } }),
			invoiceItem({ currency: 'EUR', customer: { email: 'ops@globex.example', companyName: 'Globex' } }),
		]);
		expect(result.errors).toEqual([]);
		expect(batchItems(requests.find((r) => r.path === BATCH_PATH)!).map((item) => item.Customer.CurrencyRef)).toEqual([{ value: 'EUR' }, { value: 'EUR' }]);
		expect(created.map((customer) => customer.DisplayName)).toEqual(['Jane Doe', 'Globex']);
		expect(result.main.map((json: any) => json.quickbooks.customer.currency)).toEqual(['EUR', 'EUR']);
		expect(requests.filter((r) => r.path.endsWith('/preferences'))).toHaveLength(1);
	});

	it('without multicurrency an invoice in a foreign currency fails with CURRENCY_MISMATCH and sends no write', async () => {
		const { requests } = company([]);
		const result = await runNode(NODE, {}, [invoiceItem({ number: 'EUR-1', currency: 'EUR', customer: { email: 'new@x.example' } })]);
		expect((result.errors[0] as any).error).toMatchObject({ code: 'CURRENCY_MISMATCH', message: 'Invoice EUR-1 is in EUR but the QuickBooks company uses USD without multicurrency' });
		expect(requests.filter((r) => r.path === BATCH_PATH)).toEqual([]);
	});
});

describe('Customer Resolve: hostile values', () => {
	it('escapes quotes and backslashes in the query and compares unicode and emoji literally (case aside)', async () => {
		const emails = ["o'brien@example.com", 'back\\slash@example.com', "it's\\'@x.example", 'zoë@exämple.com', '🚀rocket@example.com', "' OR Active = false --@x"];
		const { requests } = company(emails.slice(0, 5).map((email, index) => qboCustomer(String(index + 1), email, `Customer ${index + 1}`)));
		const result = await runNode(NODE, { ifNotFound: 'error' }, emails.map((email) => invoiceItem({ customer: { email } })));

		expect(requests[0].body).toBe(
			lookupQuery(
				"'o\\'brien@example.com'",
				"'back\\\\slash@example.com'",
				"'it\\'s\\\\\\'@x.example'",
				"'zoë@exämple.com'",
				"'🚀rocket@example.com'",
				"'\\' OR Active = false --@x'",
				"'\\' or active = false --@x'",
			),
		);
		expect(result.main.map((j: any) => j.quickbooks.customer.id)).toEqual(['1', '2', '3', '4', '5']);
		expect((result.errors[0] as any).error).toMatchObject({ code: 'CUSTOMER_NOT_FOUND', message: expect.stringContaining("' OR Active = false --@x") });
	});

	it('creates customers with quotes, backslashes, unicode and emoji in names intact', async () => {
		const { requests } = company([]);
		const result = await runNode(NODE, {}, [invoiceItem({ customer: { email: 'q@x.example', companyName: 'O\'Brien "Bros" \\ Zoë 🚀: Ltd' } })]);
		expect(batchItems(requests[1])[0].Customer.DisplayName).toBe('O\'Brien "Bros" \\ Zoë 🚀 Ltd');
		expect((result.main[0] as any).quickbooks.customer.displayName).toBe('O\'Brien "Bros" \\ Zoë 🚀 Ltd');
	});
});

describe('Customer Resolve: efficiency and robustness', () => {
	it('resolves 100 invoices sharing 10 existing customers with 1 lookup (the company preferences aside, read once per execution)', async () => {
		const customers = Array.from({ length: 10 }, (_, index) => qboCustomer(String(index + 1), `c${index}@x.example`, `Customer ${index}`));
		const { requests } = company(customers);
		const input = Array.from({ length: 100 }, (_, index) => invoiceItem({ customer: { email: `c${index % 10}@x.example` } }));
		const result = await runNode(NODE, {}, input);
		expect(result.main).toHaveLength(100);
		expect(result.main.map((j: any) => j.quickbooks.customer.id)).toEqual(input.map((_, index) => String((index % 10) + 1)));
		expect(requests).toHaveLength(1);
	});

	it('resolves 100 invoices of 10 new customers with a lookup and one create batch', async () => {
		const { requests, created } = company([]);
		const input = Array.from({ length: 100 }, (_, index) => invoiceItem({ customer: { email: `n${index % 10}@x.example`, companyName: `New ${index % 10}` } }));
		const result = await runNode(NODE, {}, input);
		expect(result.main).toHaveLength(100);
		expect(created).toHaveLength(10);
		expect(requests.map((r) => r.path)).toEqual([QUERY_PATH, BATCH_PATH]);
	});

	it('uses several IN queries in one /batch beyond 100 distinct emails', async () => {
		const { requests } = company([]);
		const input = Array.from({ length: 250 }, (_, index) => invoiceItem({ customer: { email: `m${index}@x.example` } }));
		const result = await runNode(NODE, { ifNotFound: 'error' }, input);
		expect(result.errors).toHaveLength(250);
		expect(requests).toHaveLength(1);
		expect(requests[0].path).toBe(BATCH_PATH);
		expect(batchItems(requests[0]).map((item) => item.bId)).toEqual(['q0', 'q1', 'q2']);
	});

	it('puts an item that is not an invoice on the error output with INVALID_INPUT and resolves the rest', async () => {
		company([qboCustomer('1', 'a@x.example', 'A')]);
		const result = await runNode(NODE, {}, [{ hello: 'world' }, invoiceItem({ customer: { email: 'a@x.example' } })]);
		expect((result.errors[0] as any).error.code).toBe('INVALID_INPUT');
		expect(result.main).toHaveLength(1);
	});

	it('fails every invoice with the translated code when the lookup itself is rejected', async () => {
		mockQuickBooks(() => ({ status: 400, body: fault('4000', 'Error parsing query', 'QueryParserError') }));
		const result = await runNode(NODE, {}, [invoiceItem(), invoiceItem()]);
		expect(result.main).toEqual([]);
		expect(result.errors.map((e: any) => e.error.code)).toEqual(['QUICKBOOKS_VALIDATION', 'QUICKBOOKS_VALIDATION']);
	});

	it('stops with the coded message when the node does not continue on fail', async () => {
		company([]);
		const result = await runNode(NODE, {}, [invoiceItem({ number: 'INV-5', customer: { email: null } })], undefined, 'stopWorkflow');
		expect(result.run.status).toBe('error');
		expect(result.nodeError('Node Under Test')?.message).toBe('[CUSTOMER_EMAIL_MISSING] Invoice INV-5: the HubSpot contact has no email address');
	});
});
