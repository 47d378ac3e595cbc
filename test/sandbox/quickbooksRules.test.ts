/** Entity rules and fault codes of the QuickBooks simulator (docs/API_FACTS.md). */
import { createQuickBooksSimulator, type QboSimulator } from '../../sandbox/quickbooks';
import { EXAMPLE_CA_REALM, EXAMPLE_CLIENT, EXAMPLE_US_REALM, exampleCanadianCompany, exampleUsCompany } from '../../sandbox/quickbooks/exampleSeed';
import { qboClient } from '../../sandbox/quickbooks/simpleClient';

let sim: QboSimulator;
let us: ReturnType<typeof qboClient>;
let ca: ReturnType<typeof qboClient>;

beforeAll(async () => {
	sim = createQuickBooksSimulator({
		companies: [exampleUsCompany(), exampleCanadianCompany()],
		clients: [EXAMPLE_CLIENT],
		limits: false,
	});
	const base = await sim.listen(0);
	us = qboClient(base, EXAMPLE_US_REALM, sim.issueTokens(EXAMPLE_CLIENT.clientId, EXAMPLE_US_REALM).access_token);
	ca = qboClient(base, EXAMPLE_CA_REALM, sim.issueTokens(EXAMPLE_CLIENT.clientId, EXAMPLE_CA_REALM).access_token);
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

/** A valid US invoice; override fields per test. */
function usInvoice(overrides: Record<string, unknown> = {}) {
	return {
		DocNumber: 'HS-2001',
		TxnDate: '2026-03-01',
		DueDate: '2026-03-31',
		CustomerRef: { value: '1' },
		PrivateNote: 'HubSpot invoice 7001',
		Line: [salesLine('1', 2, 10, 20)],
		...overrides,
	};
}

function salesLine(itemId: string, qty: number, unitPrice: number, amount: number, taxCode?: string) {
	return {
		DetailType: 'SalesItemLineDetail',
		Amount: amount,
		Description: 'line',
		SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: qty, UnitPrice: unitPrice, ...(taxCode ? { TaxCodeRef: { value: taxCode } } : {}) },
	};
}

function expectFault(res: { status: number; json: any }, code: string, element?: string) {
	expect(res.status).toBe(400);
	expect(res.json.Fault.type).toBe('ValidationFault');
	expect(res.json.Fault.Error[0].code).toBe(code);
	expect(typeof res.json.time).toBe('string');
	if (element) expect(res.json.Fault.Error[0].element).toBe(element);
	return res.json.Fault.Error[0];
}

describe('Invoice create', () => {
	it('creates an invoice with Id, SyncToken, MetaData, ref names, a subtotal line and exact totals', async () => {
		const res = await us.post('invoice', usInvoice({ Line: [salesLine('1', 3, 0.1, 0.3), salesLine('2', 1.5, 150, 225)] }));
		expect(res.status).toBe(200);
		const inv = res.json.Invoice;
		expect(inv).toMatchObject({ Id: '2', SyncToken: '0', DocNumber: 'HS-2001', CustomerRef: { value: '1', name: 'Acme Corp' }, TotalAmt: 225.3, Balance: 225.3 });
		expect(inv.MetaData.CreateTime).toEqual(inv.MetaData.LastUpdatedTime);
		expect(inv.Line.map((l: any) => l.DetailType)).toEqual(['SalesItemLineDetail', 'SalesItemLineDetail', 'SubTotalLineDetail']);
		expect(inv.Line[2].Amount).toBe(225.3);
		expect(inv.Line[0].SalesItemLineDetail.ItemRef).toEqual({ value: '1', name: 'Widget' });
		const read = await us.get('invoice', inv.Id);
		expect(read.json.Invoice).toEqual(inv);
		expect(sim.state.realms[EXAMPLE_US_REALM].entities.Invoice.get(inv.Id)?.DocNumber).toBe('HS-2001');
	});

	it('adds US sales tax from TxnTaxCodeRef on TAX lines, rounding half-up', async () => {
		const res = await us.post(
			'invoice',
			usInvoice({ TxnTaxDetail: { TxnTaxCodeRef: { value: '2' } }, Line: [salesLine('1', 1, 10.1, 10.1, 'TAX'), salesLine('2', 1, 150, 150, 'NON')] }),
		);
		expect(res.status).toBe(200);
		// 10.10 × 8.25 % = 0.83325 → 0.83
		expect(res.json.Invoice.TxnTaxDetail).toMatchObject({ TxnTaxCodeRef: { value: '2' }, TotalTax: 0.83 });
		expect(res.json.Invoice.TotalAmt).toBe(160.93);
	});

	it('numbers an invoice sent without DocNumber when custom transaction numbers are off (Intuit, Invoice.DocNumber)', async () => {
		sim.state.realms[EXAMPLE_US_REALM].preferences.SalesFormsPrefs = { CustomTxnNumbers: false };
		const first = await us.post('invoice', usInvoice({ DocNumber: undefined }));
		const second = await us.post('invoice', usInvoice({ DocNumber: undefined }));
		expect(first.json.Invoice.DocNumber).toBe('1001');
		expect(second.json.Invoice.DocNumber).toBe('1002');
	});

	it('leaves DocNumber empty when custom transaction numbers are on and none is sent (Intuit, Invoice.DocNumber)', async () => {
		const res = await us.post('invoice', usInvoice({ DocNumber: undefined }));
		expect(res.status).toBe(200);
		expect(res.json.Invoice).not.toHaveProperty('DocNumber');
		expect((await us.post('invoice', usInvoice({ DocNumber: 'AUTO_GENERATE' }))).json.Invoice.DocNumber).toBe('1001');
	});

	it('2050: DocNumber longer than 21 characters', async () => {
		const err = expectFault(await us.post('invoice', usInvoice({ DocNumber: 'HS-INVOICE-000000000022' })), '2050', 'DocNumber');
		expect(err.Detail).toMatch(/Max:21/);
	});

	it('6140: duplicate DocNumber names the existing TxnId; allowduplicatedocnum lets it through', async () => {
		const err = expectFault(await us.post('invoice', usInvoice({ DocNumber: 'INV-1001' })), '6140');
		expect(err.Detail).toBe(
			'Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=INV-1001 is assigned to TxnType=Invoice with TxnId=1',
		);
		const allowed = await us.post('invoice', usInvoice({ DocNumber: 'INV-1001' }), { include: 'allowduplicatedocnum' });
		expect(allowed.status).toBe(200);
	});

	it('2020: missing CustomerRef or Line', async () => {
		expectFault(await us.post('invoice', usInvoice({ CustomerRef: undefined })), '2020', 'CustomerRef');
		const err = expectFault(await us.post('invoice', usInvoice({ Line: [] })), '2020', 'Line');
		expect(err.Detail).toMatch(/Required parameter Line is missing/);
	});

	it('2500: reference to a record that does not exist', async () => {
		expectFault(await us.post('invoice', usInvoice({ CustomerRef: { value: '999' } })), '2500', 'CustomerRef');
		expectFault(await us.post('invoice', usInvoice({ Line: [salesLine('999', 1, 1, 1)] })), '2500', 'ItemRef');
		expectFault(await us.post('invoice', usInvoice({ TxnTaxDetail: { TxnTaxCodeRef: { value: '77' } } })), '2500', 'TxnTaxCodeRef');
	});

	it('610: reference to an inactive customer or item', async () => {
		const err = expectFault(await us.post('invoice', usInvoice({ CustomerRef: { value: '3' } })), '610', 'CustomerRef');
		expect(err.Detail).toBe(
			"Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
		);
		expectFault(await us.post('invoice', usInvoice({ Line: [salesLine('3', 1, 5, 5)] })), '610', 'ItemRef');
	});

	it('6070: Amount must equal Qty × UnitPrice rounded half-up to cents', async () => {
		const err = expectFault(await us.post('invoice', usInvoice({ Line: [salesLine('1', 3, 3.33, 10)] })), '6070');
		expect(err.Message).toBe('Amount is not equal to UnitPrice * Qty. Supplied value:10');
		// 0.335 × 3 = 1.005 → 1.01 (half-up, no float drift)
		expect((await us.post('invoice', usInvoice({ Line: [salesLine('1', 3, 0.335, 1.01)] }))).status).toBe(200);
		expectFault(await us.post('invoice', usInvoice({ DocNumber: 'HS-2002', Line: [salesLine('1', 3, 0.335, 1.0)] })), '6070');
	});

	it('6000: a non-US company needs a tax code on every line; per-line tax is computed', async () => {
		const line = { DetailType: 'SalesItemLineDetail', Amount: 25, SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 2, UnitPrice: 12.5 } };
		const base = { DocNumber: 'CA-1', TxnDate: '2026-03-01', CustomerRef: { value: '1' } };
		const err = expectFault(await ca.post('invoice', { ...base, Line: [line] }), '6000', 'TaxCodeRef');
		expect(err.Detail).toMatch(/Make sure all your transactions have a GST\/HST rate/);
		const ok = await ca.post('invoice', { ...base, Line: [{ ...line, SalesItemLineDetail: { ...line.SalesItemLineDetail, TaxCodeRef: { value: '5' } } }] });
		expect(ok.status).toBe(200);
		expect(ok.json.Invoice).toMatchObject({ TotalAmt: 28.25, TxnTaxDetail: { TotalTax: 3.25 }, GlobalTaxCalculation: 'TaxExcluded', CurrencyRef: { value: 'CAD' } });
	});

	it('6210: transaction dated on or before the books-closed date', async () => {
		const err = expectFault(await us.post('invoice', usInvoice({ TxnDate: '2025-12-31' })), '6210');
		expect(err.Message).toBe('Account Period Closed');
		expect((await us.post('invoice', usInvoice({ TxnDate: '2026-01-01' }))).status).toBe(200);
	});

	it('rejects dates that are not YYYY-MM-DD', async () => {
		expectFault(await us.post('invoice', usInvoice({ TxnDate: '03/01/2026' })), '2010', 'TxnDate');
		expectFault(await us.post('invoice', usInvoice({ DueDate: '2026-02-30' })), '2010', 'DueDate');
	});
});

describe('Invoice update, void and delete', () => {
	async function createInvoice() {
		return (await us.post('invoice', usInvoice())).json.Invoice;
	}

	it('sparse update changes only the given fields and bumps SyncToken', async () => {
		const inv = await createInvoice();
		const res = await us.post('invoice', { Id: inv.Id, SyncToken: inv.SyncToken, sparse: true, PrivateNote: 'changed' });
		expect(res.status).toBe(200);
		expect(res.json.Invoice).toMatchObject({ Id: inv.Id, SyncToken: '1', PrivateNote: 'changed', DocNumber: 'HS-2001', TotalAmt: 20 });
		expect(res.json.Invoice.MetaData.CreateTime).toBe(inv.MetaData.CreateTime);
	});

	it('full update replaces the record (omitted fields are cleared)', async () => {
		const inv = await createInvoice();
		const res = await us.post('invoice', { Id: inv.Id, SyncToken: inv.SyncToken, CustomerRef: { value: '2' }, TxnDate: '2026-03-02', Line: [salesLine('2', 1, 150, 150)] });
		expect(res.status).toBe(200);
		expect(res.json.Invoice.PrivateNote).toBeUndefined();
		expect(res.json.Invoice).toMatchObject({ TotalAmt: 150, CustomerRef: { value: '2', name: "Pat O'Brien" }, DocNumber: 'HS-2001' });
	});

	it('5010: stale SyncToken', async () => {
		const inv = await createInvoice();
		await us.post('invoice', { Id: inv.Id, SyncToken: '0', sparse: true, PrivateNote: 'first' });
		const err = expectFault(await us.post('invoice', { Id: inv.Id, SyncToken: '0', sparse: true, PrivateNote: 'second' }), '5010');
		expect(err.Message).toBe('Stale Object Error');
	});

	it('void zeroes the amounts and notes "Voided"; delete removes the invoice', async () => {
		const inv = await createInvoice();
		const voided = await us.post('invoice', { Id: inv.Id, SyncToken: inv.SyncToken }, { operation: 'void' });
		expect(voided.status).toBe(200);
		expect(voided.json.Invoice).toMatchObject({ TotalAmt: 0, Balance: 0, SyncToken: '1' });
		expect(voided.json.Invoice.PrivateNote).toBe('Voided\nHubSpot invoice 7001');
		expect(voided.json.Invoice.Line.every((l: any) => l.Amount === 0)).toBe(true);
		const deleted = await us.post('invoice', { Id: inv.Id, SyncToken: '1' }, { operation: 'delete' });
		expect(deleted.json.Invoice).toEqual({ domain: 'QBO', status: 'Deleted', Id: inv.Id });
		expectFault(await us.get('invoice', inv.Id), '610');
	});
});

describe('Customer and Item rules', () => {
	it('creates a customer, deriving DisplayName from the name parts', async () => {
		const res = await us.post('customer', { GivenName: 'Ada', FamilyName: 'Lovelace', PrimaryEmailAddr: { Address: 'ada@example.com' } });
		expect(res.status).toBe(200);
		expect(res.json.Customer).toMatchObject({ DisplayName: 'Ada Lovelace', FullyQualifiedName: 'Ada Lovelace', Active: true, Id: '5', SyncToken: '0' });
	});

	it('6240: DisplayName already used by a customer (any case, inactive too), vendor or employee', async () => {
		for (const name of ['ACME corp', 'Gone Away Ltd', 'Paper Supplier Inc', 'jane employee']) {
			const err = expectFault(await us.post('customer', { DisplayName: name }), '6240', 'DisplayName');
			expect(err.Message).toBe('Duplicate Name Exists Error');
			expect(err.Detail).toBe(
				'The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.',
			);
		}
	});

	it('rejects a colon in DisplayName, GivenName or FamilyName', async () => {
		const err = expectFault(await us.post('customer', { DisplayName: 'Parent:Child' }), '6000', 'DisplayName');
		expect(err.Detail).toMatch(/colon/);
		expectFault(await us.post('customer', { DisplayName: 'Fine', GivenName: 'A:B' }), '6000', 'GivenName');
		expectFault(await us.post('customer', { DisplayName: 'Fine', FamilyName: 'A:B' }), '6000', 'FamilyName');
	});

	it('2050: DisplayName longer than 500 characters', async () => {
		expectFault(await us.post('customer', { DisplayName: 'x'.repeat(501) }), '2050', 'DisplayName');
	});

	it('can make a customer inactive with a sparse update; it then disappears from plain queries', async () => {
		const res = await us.post('customer', { Id: '2', SyncToken: '0', sparse: true, Active: false });
		expect(res.json.Customer).toMatchObject({ Active: false, DisplayName: "Pat O'Brien", SyncToken: '1' });
		expect((await us.query("SELECT * FROM Customer WHERE DisplayName = 'Pat O\\'Brien'")).json.QueryResponse).toEqual({});
	});

	it('items: Name unique (6240), Service items need IncomeAccountRef (2020), inactive account (610)', async () => {
		expectFault(await us.post('item', { Name: 'widget', Type: 'NonInventory', IncomeAccountRef: { value: '1' } }), '6240', 'Name');
		expectFault(await us.post('item', { Name: 'New Service', Type: 'Service' }), '2020', 'IncomeAccountRef');
		expectFault(await us.post('item', { Name: 'New Service', Type: 'Service', IncomeAccountRef: { value: '3' } }), '610', 'IncomeAccountRef');
		const ok = await us.post('item', { Name: 'New Service', Sku: 'NEW-1', Type: 'Service', IncomeAccountRef: { value: '2' } });
		expect(ok.json.Item).toMatchObject({ Name: 'New Service', Sku: 'NEW-1', IncomeAccountRef: { value: '2', name: 'Services' }, Active: true });
	});
});

describe('CompanyInfo and Preferences', () => {
	it('reads CompanyInfo by realm and Preferences, and updates Preferences sparsely', async () => {
		const info = await us.get('companyinfo', EXAMPLE_US_REALM);
		expect(info.json.CompanyInfo).toMatchObject({ CompanyName: 'Sandbox Trading Co (US)', Country: 'US' });
		const prefs = await us.request('GET', 'preferences');
		expect(prefs.json.Preferences.AccountingInfoPrefs.BookCloseDate).toBe('2025-12-31');
		const updated = await us.post('preferences', {
			SyncToken: prefs.json.Preferences.SyncToken,
			sparse: true,
			AccountingInfoPrefs: { BookCloseDate: '2026-06-30' },
		});
		expect(updated.json.Preferences).toMatchObject({ AccountingInfoPrefs: { BookCloseDate: '2026-06-30' }, SyncToken: '1' });
		expectFault(await us.post('invoice', usInvoice({ TxnDate: '2026-03-01' })), '6210');
		expect((await us.query('SELECT * FROM CompanyInfo')).json.QueryResponse.CompanyInfo[0].CompanyName).toBe('Sandbox Trading Co (US)');
	});
});
