/**
 * QuickBooks Invoice Upsert through n8n's engine (harness) against a nock'd QuickBooks company:
 * every action, policy, fault code and the write-back, with the node's exact requests asserted.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import nock from 'nock';

import { PACKAGE_NAME, blockExternalNetwork, runWorkflow, type HarnessCredentials } from '../harness';
import { COMPANY_PATH, FakeQuickBooks, HUBSPOT_BASE, QBO_BASE, REALM, fault, qboInvoice, testCredentials, upsertItem, type BatchItem, type ItemInput } from '../kit';
import { shortenDocNumber } from '../../package/nodes/QuickBooksInvoiceUpsert/payload';
import { UPSERT_WAVE_SIZE } from '../../package/nodes/QuickBooksInvoiceUpsert/upsert';

const NODE = 'QuickBooks Invoice Upsert';
const NODE_TYPE = `${PACKAGE_NAME}.quickBooksInvoiceUpsert`;

let qbo: FakeQuickBooks;
/** A US company in USD whose books closed on 2026-06-30. */
const COMPANY_INFO = { Id: '1', CompanyName: 'Upsert Test Co', Country: 'US', NameValue: [] };
const PREFERENCES = { CurrencyPrefs: { HomeCurrency: { value: 'USD' }, MultiCurrencyEnabled: false }, AccountingInfoPrefs: { BookCloseDate: '2026-06-30' } };

beforeAll(() => blockExternalNetwork());
beforeEach(() => {
	qbo = new FakeQuickBooks({ companyInfo: COMPANY_INFO, preferences: PREFERENCES, firstId: 500 }).install();
});
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

interface RunOptions {
	parameters?: IDataObject;
	continueOnFail?: boolean;
	credentials?: HarnessCredentials;
}

async function run(input: IDataObject[], options: RunOptions = {}) {
	const result = await runWorkflow({
		nodes: [{ name: NODE, type: NODE_TYPE, parameters: (options.parameters ?? {}) as INodeParameters, onError: options.continueOnFail === false ? undefined : 'continueErrorOutput' }],
		connections: {},
		credentials: options.credentials ?? testCredentials(),
		input,
	});
	const ran = result.ran(NODE) && !result.nodeError(NODE);
	return {
		result,
		ok: ran ? result.output(NODE, 0).map((item) => item.json) : [],
		errors: ran ? result.output(NODE, 1).map((item) => item.json) : [],
	};
}

const item = (input: ItemInput = {}) => upsertItem(input) as IDataObject;
/** The QuickBooks invoice this sync would have created for `item(input)`. */
const synced = (overrides: Record<string, any> = {}) => qboInvoice(overrides);

describe('create, update, unchanged', () => {
	it('creates a new invoice through /batch and outputs its id, number, SyncToken and link', async () => {
		const { ok, errors } = await run([item({ id: '3010000001', number: 'INV-0001' })]);

		expect(errors).toEqual([]);
		expect(ok).toHaveLength(1);
		expect(ok[0].quickbooks).toMatchObject({
			customer: { id: '1' },
			invoice: { id: '500', docNumber: 'INV-0001', syncToken: '0', action: 'created', url: `${QBO_BASE}/app/invoice?txnId=500` },
		});
		const writes = qbo.writeItems();
		expect(writes).toEqual([
			{
				bId: 'w0',
				operation: 'create',
				Invoice: {
					CustomerRef: { value: '1' },
					DocNumber: 'INV-0001',
					TxnDate: '2026-07-10',
					DueDate: '2026-08-09',
					Line: [{ DetailType: 'SalesItemLineDetail', Amount: 50, Description: 'Product 1', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 2, UnitPrice: 25, TaxCodeRef: { value: 'TAX' } } }],
					TxnTaxDetail: { TxnTaxCodeRef: { value: '3' } },
					PrivateNote: 'HubSpot invoice 3010000001',
				},
			},
		]);
		const batch = qbo.apiRequests('/batch').at(-1)!;
		expect(batch.params.requestid).toMatch(/^[0-9a-f-]{36}$/);
		expect(batch.params.minorversion).toBe('75');
		// companyinfo + preferences + one lookup + one write + the second look for a twin another run made
		expect(qbo.apiRequests().map((request) => request.path.replace(COMPANY_PATH, '')).sort()).toEqual(['/batch', `/companyinfo/${REALM}`, '/preferences', '/query', '/query']);
	});

	it('looks existing invoices up by written-back id and DocNumber in one /batch of IN queries', async () => {
		await run([item({ id: '3010000001', number: 'INV-0001', quickbooksInvoiceId: '77' }), item({ id: '3010000002', number: "INV-O'2" })]);
		const lookups = qbo.apiRequests('/batch').filter((request) => request.body.BatchItemRequest.some((entry: BatchItem) => entry.Query));
		expect(lookups).toHaveLength(1);
		expect(lookups[0].body.BatchItemRequest.map((entry: BatchItem) => entry.Query)).toEqual([
			"SELECT * FROM Invoice WHERE Id IN ('77') MAXRESULTS 100",
			"SELECT * FROM Invoice WHERE DocNumber IN ('INV-0001', 'INV-O\\'2') MAXRESULTS 100",
		]);
	});

	it('updates a linked invoice that differs: sparse, current SyncToken, all lines', async () => {
		const existing = synced({ Id: '201', SyncToken: '3' });
		existing.Line[0].SalesItemLineDetail.Qty = 1;
		existing.Line[0].Amount = 25;
		qbo.invoices.push(existing);

		const { ok } = await run([item({ id: '3010000001', number: 'INV-0001' })]);

		expect(ok[0].quickbooks).toMatchObject({ invoice: { id: '201', syncToken: '4', action: 'updated', changes: ['Line'] } });
		const [write] = qbo.writeItems();
		expect(write.operation).toBe('update');
		expect(write.Invoice).toMatchObject({ Id: '201', SyncToken: '3', sparse: true, DocNumber: 'INV-0001' });
		expect(write.Invoice!.Line).toEqual([
			{ Id: '1', DetailType: 'SalesItemLineDetail', Amount: 50, Description: 'Product 1', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 2, UnitPrice: 25, TaxCodeRef: { value: 'TAX' } } },
		]);
	});

	it('finds the invoice by the id written back to HubSpot even after its number changed', async () => {
		qbo.invoices.push(synced({ Id: '201', DocNumber: 'OLD-1', PrivateNote: '' }));
		const { ok } = await run([item({ id: '3010000001', number: 'INV-0001', quickbooksInvoiceId: '201' })]);
		expect(ok[0].quickbooks).toMatchObject({ invoice: { id: '201', action: 'updated', docNumber: 'INV-0001' } });
		expect(qbo.writeItems()[0].Invoice).toMatchObject({ Id: '201', DocNumber: 'INV-0001', PrivateNote: 'HubSpot invoice 3010000001' });
	});

	it('leaves an invoice that already matches alone: unchanged, no write', async () => {
		qbo.invoices.push(synced({ Id: '201', SyncToken: '3' }));
		const { ok } = await run([item({ id: '3010000001', number: 'INV-0001' })]);
		expect(ok[0].quickbooks).toMatchObject({ invoice: { id: '201', syncToken: '3', action: 'unchanged' } });
		expect(qbo.writeItems()).toEqual([]);
		expect(qbo.apiRequests()).toHaveLength(3);
	});

	it('writes the same HubSpot invoice once when it appears twice in one execution', async () => {
		const { ok } = await run([item({ id: '3010000001', number: 'INV-0001' }), item({ id: '3010000001', number: 'INV-0001' })]);
		expect(ok.map((json) => (json.quickbooks as IDataObject).invoice)).toEqual([
			expect.objectContaining({ id: '500', action: 'created' }),
			expect.objectContaining({ id: '500', action: 'created' }),
		]);
		expect(qbo.writeItems()).toHaveLength(1);
	});
});

describe('"When It Already Exists" (an invoice with this number the sync did not create)', () => {
	beforeEach(() => {
		const handMade = synced({ Id: '101', SyncToken: '0', PrivateNote: 'Entered manually by the bookkeeper' });
		handMade.Line[0].SalesItemLineDetail.Qty = 1;
		handMade.Line[0].Amount = 25;
		qbo.invoices.push(handMade);
	});

	it('update (default): updates it and links it to HubSpot, keeping the bookkeeper\'s note', async () => {
		const { ok } = await run([item({ id: '3010000001', number: 'INV-0001' })]);
		expect(ok[0].quickbooks).toMatchObject({ invoice: { id: '101', action: 'updated' } });
		expect(qbo.invoices[0].PrivateNote).toBe('HubSpot invoice 3010000001\nEntered manually by the bookkeeper');
	});

	it('skip: outputs the item as skipped without writing', async () => {
		const { ok } = await run([item({ id: '3010000001', number: 'INV-0001' })], { parameters: { options: { whenExists: 'skip' } } });
		expect(ok[0].quickbooks).toMatchObject({ invoice: { id: '101', action: 'skipped', reason: expect.stringMatching(/not created by this sync/) } });
		expect(qbo.writeItems()).toEqual([]);
	});

	it('error: DUPLICATE_INVOICE on the error output with its hint (check it, delete it to re-sync)', async () => {
		const { ok, errors } = await run([item({ id: '3010000001', number: 'INV-0001' })], { parameters: { options: { whenExists: 'error' } } });
		expect(ok).toEqual([]);
		expect(errors[0].error).toMatchObject({
			code: 'DUPLICATE_INVOICE',
			message: 'Invoice INV-0001 already exists in QuickBooks (invoice id 101)',
			hint: 'Check the invoice in QuickBooks: if it is correct, no action is needed. If you need to re-sync, delete the QuickBooks invoice first.',
			retryable: false,
		});
		expect(errors[0].invoice).toMatchObject({ number: 'INV-0001' });
		expect(qbo.writeItems()).toEqual([]);
	});
});

describe('races and stale objects', () => {
	it('6140: a number created meanwhile by someone else → reads that TxnId and updates it in the same execution', async () => {
		// The lookup sees nothing; by the time the create runs, the number is taken (invoice 777).
		qbo.faultFor = (entry) => {
			if (entry.operation !== 'create') return undefined;
			qbo.invoices.push(synced({ Id: '777', SyncToken: '0', PrivateNote: 'HubSpot invoice 3010000001', Line: [] }));
			qbo.faultFor = () => undefined;
			return fault('6140', 'Duplicate Document Number Error', 'Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=INV-0001 is assigned to TxnType=Invoice with TxnId=777');
		};

		const { ok, errors } = await run([item({ id: '3010000001', number: 'INV-0001' })]);

		expect(errors).toEqual([]);
		expect(ok[0].quickbooks).toMatchObject({ invoice: { id: '777', syncToken: '1', action: 'updated' } });
		expect(qbo.writeItems().map((entry) => [entry.bId, entry.operation, entry.Invoice!.Id])).toEqual([
			['w0', 'create', undefined],
			['r0', 'update', '777'],
		]);
		expect(qbo.apiRequests('/query').at(-1)!.body).toBe("SELECT * FROM Invoice WHERE Id IN ('777') STARTPOSITION 1 MAXRESULTS 1000");
		expect(qbo.invoices.filter((invoice) => invoice.DocNumber === 'INV-0001')).toHaveLength(1);
	});

	it('6140 where the other invoice belongs to a different HubSpot invoice → DUPLICATE_INVOICE, never overwritten', async () => {
		qbo.faultFor = (entry) => {
			if (entry.operation !== 'create') return undefined;
			qbo.invoices.push(synced({ Id: '778', PrivateNote: 'HubSpot invoice 999' }));
			qbo.faultFor = () => undefined;
			return fault('6140', 'Duplicate Document Number Error', 'DocNumber=INV-0001 is assigned to TxnType=Invoice with TxnId=778');
		};
		const { errors } = await run([item({ id: '3010000001', number: 'INV-0001' })]);
		expect(errors[0].error).toMatchObject({ code: 'DUPLICATE_INVOICE', details: { txnId: '778', linkedTo: ['999'] } });
		expect(qbo.writeItems()).toHaveLength(1);
	});

	it('5010 stale SyncToken → re-reads the invoice and retries once with the new SyncToken', async () => {
		const existing = synced({ Id: '201', SyncToken: '3' });
		existing.Line[0].SalesItemLineDetail.Qty = 1;
		qbo.invoices.push(existing);
		// Someone saves the invoice between our lookup and our update.
		qbo.faultFor = (entry) => {
			if (entry.operation === 'update' && entry.Invoice!.SyncToken === '3') qbo.invoices[0].SyncToken = '4';
			return undefined;
		};

		const { ok } = await run([item({ id: '3010000001', number: 'INV-0001' })]);

		expect(ok[0].quickbooks).toMatchObject({ invoice: { id: '201', syncToken: '5', action: 'updated' } });
		expect(qbo.writeItems().map((entry) => entry.Invoice!.SyncToken)).toEqual(['3', '4']);
	});

	it('5010 twice → STALE_OBJECT (retryable)', async () => {
		const existing = synced({ Id: '201', SyncToken: '3' });
		existing.Line[0].SalesItemLineDetail.Qty = 1;
		qbo.invoices.push(existing);
		qbo.faultFor = (entry) => (entry.operation === 'update' ? fault('5010', 'Stale Object Error', 'Stale Object Error : You and Bob were working on this at the same time.') : undefined);
		const { errors } = await run([item({ id: '3010000001', number: 'INV-0001' })]);
		expect(errors[0].error).toMatchObject({ code: 'STALE_OBJECT', retryable: true });
		expect(qbo.writeItems()).toHaveLength(2);
	});
});

describe('void', () => {
	it('voids the QuickBooks invoice of a voided HubSpot invoice (batch update with optionsData void)', async () => {
		qbo.invoices.push(synced({ Id: '102', SyncToken: '2' }));
		const { ok } = await run([item({ id: '3010000001', number: 'INV-0001', status: 'voided' })]);
		expect(ok[0].quickbooks).toMatchObject({ invoice: { id: '102', action: 'voided', syncToken: '3' } });
		expect(qbo.writeItems()).toEqual([{ bId: 'w0', operation: 'update', optionsData: 'void', Invoice: { Id: '102', SyncToken: '2' } }]);
	});

	it('an invoice already voided in QuickBooks is unchanged', async () => {
		qbo.invoices.push(synced({ Id: '102', PrivateNote: 'Voided\nHubSpot invoice 3010000001', TotalAmt: 0 }));
		const { ok } = await run([item({ id: '3010000001', number: 'INV-0001', status: 'voided' })]);
		expect(ok[0].quickbooks).toMatchObject({ invoice: { id: '102', action: 'unchanged' } });
		expect(qbo.writeItems()).toEqual([]);
	});

	it('a voided HubSpot invoice that never reached QuickBooks is skipped', async () => {
		const { ok } = await run([item({ id: '3010000001', number: 'INV-0001', status: 'voided' })]);
		expect(ok[0].quickbooks).toMatchObject({ invoice: { id: '', action: 'skipped', url: null, reason: 'voided in HubSpot and never synced to QuickBooks' } });
		expect(qbo.writeItems()).toEqual([]);
	});

	it('"Sync Void Status" off: the linked invoice is left as it is', async () => {
		qbo.invoices.push(synced({ Id: '102' }));
		const { ok } = await run([item({ id: '3010000001', number: 'INV-0001', status: 'voided' })], { parameters: { options: { syncVoidStatus: false } } });
		expect(ok[0].quickbooks).toMatchObject({ invoice: { id: '102', action: 'skipped' } });
		expect(qbo.writeItems()).toEqual([]);
	});
});

describe('pre-send validation policies', () => {
	const long = 'INV-1018-2026-CONTRACT-AB';

	it('Long Invoice Numbers = Error: DOC_NUMBER_TOO_LONG before any write; other invoices continue', async () => {
		const { ok, errors } = await run([item({ id: '3010000018', number: long }), item({ id: '3010000001', number: 'INV-0001' })]);
		expect(errors).toHaveLength(1);
		expect(errors[0].error).toMatchObject({ code: 'DOC_NUMBER_TOO_LONG', message: `Invoice number ${long} has 25 characters; QuickBooks allows at most 21` });
		expect(ok).toHaveLength(1);
		expect(qbo.writeItems().map((entry) => entry.Invoice!.DocNumber)).toEqual(['INV-0001']);
	});

	it('Long Invoice Numbers = Shorten: a deterministic short number; the full one in the memo; found again next run', async () => {
		const parameters = { options: { longInvoiceNumbers: 'shorten' } };
		const first = await run([item({ id: '3010000018', number: long })], { parameters });
		const short = shortenDocNumber(long);
		expect(first.ok[0].quickbooks).toMatchObject({ invoice: { docNumber: short, action: 'created', notes: [expect.stringMatching(/shortened/)] } });
		expect(qbo.invoices[0]).toMatchObject({ DocNumber: short, CustomerMemo: { value: `Invoice number ${long}` }, PrivateNote: `HubSpot invoice 3010000018\nHubSpot invoice number ${long}` });

		const second = await run([item({ id: '3010000018', number: long })], { parameters });
		expect(second.ok[0].quickbooks).toMatchObject({ invoice: { docNumber: short, action: 'unchanged' } });
		expect(qbo.invoices).toHaveLength(1);
	});

	it('Invalid Characters = Error: INVALID_CHARACTERS; = Strip: sent without them', async () => {
		const bad = item({ id: '3010000005', number: 'INV-\u00075', lines: [{ description: 'Widget\u0000 blue', quantity: 1, unitPrice: 10, amount: 10 }] });
		const strict = await run([bad]);
		expect(strict.errors[0].error).toMatchObject({ code: 'INVALID_CHARACTERS', details: { field: 'the invoice number', characters: ['U+0007'] } });
		expect(qbo.writeItems()).toEqual([]);

		const lenient = await run([bad], { parameters: { options: { invalidCharacters: 'strip' } } });
		expect(lenient.ok[0].quickbooks).toMatchObject({ invoice: { action: 'created', docNumber: 'INV-5' } });
		expect(qbo.writeItems()[0].Invoice).toMatchObject({ DocNumber: 'INV-5', Line: [expect.objectContaining({ Description: 'Widget blue' })] });
	});

	it('Extra Characters to Reject: &, # and / can be rejected too', async () => {
		const { errors } = await run([item({ number: 'INV/2026#1' })], { parameters: { options: { extraInvalidCharacters: '&#/' } } });
		expect(errors[0].error).toMatchObject({ code: 'INVALID_CHARACTERS', details: { characters: ['"/"', '"#"'] } });
	});

	it('Amount Mismatch: HubSpot\'s amount wins by default (unit price fitted); "Error" stops with AMOUNT_MISMATCH', async () => {
		const mismatched = item({ lines: [{ quantity: 3, unitPrice: '10.00', amount: '27.00' }] });
		const byDefault = await run([mismatched]);
		expect(byDefault.ok[0].quickbooks).toMatchObject({ invoice: { action: 'created', notes: [expect.stringMatching(/unit price 10 → 9/)] } });
		expect(qbo.writeItems()[0].Invoice!.Line[0]).toMatchObject({ Amount: 27, SalesItemLineDetail: { Qty: 3, UnitPrice: 9 } });

		const strict = await run([mismatched], { parameters: { options: { amountMismatch: 'error' } } });
		expect(strict.errors[0].error).toMatchObject({ code: 'AMOUNT_MISMATCH', message: expect.stringContaining('line 1 amount 27.00 is not quantity × unit price (30.00)') });
	});

	it('dates in the company time zone (from CompanyInfo), INVALID_DATE for nonsense', async () => {
		qbo.companyInfo.NameValue = [{ Name: 'TimeZone', Value: 'America/Los_Angeles' }];
		const { ok, errors } = await run([item({ id: '1', number: 'A-1', issueDate: '2026-07-10T03:00:00.000Z' }), item({ id: '2', number: 'A-2', dueDate: 'soon' })]);
		expect(ok).toHaveLength(1);
		expect(qbo.writeItems()[0].Invoice!.TxnDate).toBe('2026-07-09');
		expect(errors[0].error).toMatchObject({ code: 'INVALID_DATE', message: 'Invoice A-2: due date "soon" is not a valid date' });
	});

	it('currency: CURRENCY_MISMATCH without multicurrency; with it CurrencyRef on every invoice, the home currency\'s too', async () => {
		const strict = await run([item({ currency: 'EUR', number: 'E-1' })]);
		expect(strict.errors[0].error).toMatchObject({ code: 'CURRENCY_MISMATCH', message: 'Invoice E-1 is in EUR but the QuickBooks company uses USD without multicurrency' });
		qbo.preferences.CurrencyPrefs.MultiCurrencyEnabled = true;
		await run([item({ id: '3010000001', currency: 'EUR', number: 'E-1' }), item({ id: '3010000002', currency: 'USD', number: 'U-1' })]);
		expect(qbo.writeItems().map((write) => write.Invoice!.CurrencyRef)).toEqual([{ value: 'EUR' }, { value: 'USD' }]);
	});

	it('an item missing an earlier node\'s part is INVALID_INPUT, not a crash', async () => {
		const incomplete = item();
		delete (incomplete.quickbooks as IDataObject).customer;
		const { errors } = await run([incomplete]);
		expect(errors[0].error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('quickbooks.customer') });
	});
});

describe('QuickBooks faults → codes', () => {
	const failCreateWith = (body: Record<string, any>) => {
		qbo.faultFor = (entry) => (entry.operation === 'create' ? body : undefined);
	};

	it.each([
		['6210 closed period', 'PERIOD_CLOSED', fault('6210', 'Account Period Closed', 'The account period has closed and the books are locked. Closing date 2026-06-30'), /closing date/i],
		['610 inactive customer', 'CUSTOMER_INACTIVE', fault('610', 'Object Not Found', 'Something you\'re trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.', 'CustomerRef'), /make this customer active/],
		['610 inactive item', 'ITEM_INACTIVE', fault('610', 'Object Not Found', 'Something you\'re trying to use has been made inactive: Item 1', 'ItemRef'), /mark the product active/],
		['2500 unknown customer', 'CUSTOMER_NOT_FOUND', fault('2500', 'Invalid Reference Id', 'Invalid Reference Id : Customer 1 does not exist', 'CustomerRef'), /exact email match/],
		['2500 unknown item', 'SKU_NOT_FOUND', fault('2500', 'Invalid Reference Id', 'Invalid Reference Id : Item 1 does not exist', 'ItemRef'), /case-sensitive/],
		['6000 business validation', 'QUICKBOOKS_VALIDATION', fault('6000', 'A business validation error has occurred while processing your request', 'Business Validation Error: You can\'t add a customer here.', 'CustomerRef.x'), /element/],
		['6000 missing tax rate', 'TAX_CODE_NOT_FOUND', fault('6000', 'A business validation error has occurred while processing your request', 'Make sure all your transactions have a GST/HST rate before you save.', 'TaxCodeRef'), /Tax Map/],
		['2050 other field', 'QUICKBOOKS_VALIDATION', fault('2050', 'String length is either shorter or longer than supported by specification', 'String length specified does not match the supported length. Min:0 Max:1000 supported. Supplied length:1200', 'CustomerMemo'), /element/],
	])('%s → %s', async (_name, code, body, hint) => {
		failCreateWith(body);
		const { errors } = await run([item({ number: 'INV-0001', lines: [{ sku: 'PROD-001', itemId: '1', quantity: 1, unitPrice: 5, amount: 5 }] })]);
		expect(errors).toHaveLength(1);
		const error = errors[0].error as IDataObject;
		expect(error.code).toBe(code);
		expect(error.hint).toMatch(hint);
		expect(error.details).toMatchObject({ quickbooksCode: body.Fault.Error[0].code, element: body.Fault.Error[0].element });
		if (code === 'QUICKBOOKS_VALIDATION') expect(error.message).toContain(body.Fault.Error[0].Detail);
		if (code === 'SKU_NOT_FOUND' || code === 'ITEM_INACTIVE') expect(error.message).toContain('PROD-001');
		if (code === 'CUSTOMER_INACTIVE') expect(error.message).toContain('Acme Corporation (ap@acme.example)');
	});

	it('one invoice\'s fault does not fail the others in the same /batch', async () => {
		qbo.faultFor = (entry) => (entry.Invoice?.DocNumber === 'INV-0002' ? fault('6210', 'Account Period Closed', 'closed') : undefined);
		const { ok, errors } = await run([item({ id: '1', number: 'INV-0001' }), item({ id: '2', number: 'INV-0002' }), item({ id: '3', number: 'INV-0003' })]);
		expect(ok.map((json) => ((json.quickbooks as IDataObject).invoice as IDataObject).docNumber)).toEqual(['INV-0001', 'INV-0003']);
		expect(errors.map((json) => (json.error as IDataObject).code)).toEqual(['PERIOD_CLOSED']);
		expect(qbo.apiRequests('/batch').filter((request) => request.body.BatchItemRequest.some((entry: BatchItem) => entry.operation))).toHaveLength(1);
	});

	it('3001 throttling on the write, still there after the transport\'s retries → RATE_LIMITED (retryable)', async () => {
		const throttle = { Fault: { type: 'SERVICE', Error: [{ code: '3001', Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', Detail: 'ThrottleExceeded' }] } };
		qbo.respond = (request) =>
			request.path.endsWith('/batch') && request.body.BatchItemRequest.some((entry: BatchItem) => entry.operation) ? { status: 429, body: throttle, headers: { 'Retry-After': '0' } } : undefined;

		const { ok, errors } = await run([item({ number: 'INV-0001' })]);

		expect(ok).toEqual([]);
		// Throttling gets the transport's rate-limit-window budget (10 attempts, over a minute of backoff).
		expect(errors[0].error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, details: { attempts: 10 } });
		const writeCalls = qbo.apiRequests('/batch').filter((request) => request.body.BatchItemRequest.some((entry: BatchItem) => entry.operation));
		expect(writeCalls).toHaveLength(10);
		// Every retry carries the same requestid: QuickBooks would replay, never write twice.
		expect(new Set(writeCalls.map((request) => request.params.requestid)).size).toBe(1);
	});

	it('401 that survives a token refresh → AUTH_EXPIRED for every invoice, with "reconnect" in the hint', async () => {
		let refreshes = 0;
		qbo.respond = (request) => {
			if (request.path === '/oauth2/v1/tokens/bearer') {
				refreshes++;
				return { body: { access_token: 'new-token', refresh_token: 'refresh-2', token_type: 'bearer', expires_in: 3600 } };
			}
			return { status: 401, body: { Fault: { type: 'AUTHENTICATION', Error: [{ code: '3200', Message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', Detail: 'Token expired' }] } } };
		};
		const { ok, errors } = await run([item({ id: '1', number: 'A-1' }), item({ id: '2', number: 'A-2' })]);
		expect(refreshes).toBe(1);
		expect(ok).toEqual([]);
		expect(errors.map((json) => (json.error as IDataObject).code)).toEqual(['AUTH_EXPIRED', 'AUTH_EXPIRED']);
		expect((errors[0].error as IDataObject).hint).toMatch(/Reconnect/);
		expect(JSON.stringify(errors)).not.toMatch(/access-token|new-token|client-secret/);
	});

	it('without "continue on fail" the node stops with the coded message', async () => {
		qbo.faultFor = () => fault('6210', 'Account Period Closed', 'closed');
		const { result } = await run([item({ number: 'INV-0001' })], { continueOnFail: false });
		const error = result.nodeError(NODE);
		expect(error?.message).toBe('[PERIOD_CLOSED] Invoice INV-0001: its date falls in a closed accounting period in QuickBooks');
		expect((error as { description?: string }).description).toMatch(/closing date/);
	});
});

describe('request budget', () => {
	it('100 new invoices cost ≤ 10 QuickBooks requests for lookups and writes (8: company, preferences, 1 lookup, 4 batch writes, 1 second look)', async () => {
		const input = Array.from({ length: 100 }, (_unused, index) => item({ id: String(3020000000 + index), number: `INV-${5000 + index}` }));
		const { ok, errors } = await run(input);
		expect(errors).toEqual([]);
		expect(ok).toHaveLength(100);
		expect(new Set(ok.map((json) => ((json.quickbooks as IDataObject).invoice as IDataObject).id)).size).toBe(100);
		const requests = qbo.apiRequests();
		expect(requests.length).toBeLessThanOrEqual(10);
		expect(requests).toHaveLength(8);
		const writeCalls = requests.filter((request) => request.path.endsWith('/batch') && request.body.BatchItemRequest.some((entry: BatchItem) => entry.operation));
		expect(writeCalls.map((request) => request.body.BatchItemRequest.length)).toEqual([30, 30, 30, 10]);
		expect(writeCalls.flatMap((request) => request.body.BatchItemRequest.map((entry: BatchItem) => entry.bId)).every((bId: string) => bId.length <= 10)).toBe(true);
		expect(new Set(writeCalls.map((request) => request.params.requestid)).size).toBe(4);
	});

	it(`more invoices than one wave (${UPSERT_WAVE_SIZE}): one lookup for the execution (and a second look per wave that created), full batches, and copies of an invoice in different parts of the input written once`, async () => {
		const count = UPSERT_WAVE_SIZE + 40;
		const input = Array.from({ length: count }, (_unused, index) => item({ id: String(3020000000 + index), number: `INV-${5000 + index}` }));
		input.push(item({ id: '3020000000', number: 'INV-5000' }));
		input.splice(UPSERT_WAVE_SIZE - 1, 0, item({ id: '3029999999', number: 'INV-9999', issueDate: 'soon' }));
		const { ok, errors } = await run(input);
		expect(errors.map((json) => (json.error as IDataObject).code)).toEqual(['INVALID_DATE']);
		expect(ok).toHaveLength(count + 1);
		const ids = ok.map((json) => ((json.quickbooks as IDataObject).invoice as IDataObject).id);
		expect(new Set(ids).size).toBe(count);
		expect(ids[ids.length - 1]).toBe(ids[0]);
		const requests = qbo.apiRequests();
		const lookups = requests.filter((request) => request.path.endsWith('/query') || (request.path.endsWith('/batch') && request.body.BatchItemRequest.some((entry: BatchItem) => entry.Query)));
		expect(lookups).toHaveLength(1 + 2);
		const writeSizes = requests
			.filter((request) => request.path.endsWith('/batch') && request.body.BatchItemRequest.some((entry: BatchItem) => entry.operation))
			.map((request) => request.body.BatchItemRequest.length);
		expect(writeSizes.reduce((sum, size) => sum + size, 0)).toBe(count);
		expect(writeSizes.length).toBe(Math.ceil(UPSERT_WAVE_SIZE / 30) + Math.ceil(40 / 30));
	});

	it('a second run over the same 100 invoices writes nothing (all unchanged) in 3 requests', async () => {
		const input = Array.from({ length: 100 }, (_unused, index) => item({ id: String(3020000000 + index), number: `INV-${5000 + index}` }));
		await run(input);
		const before = qbo.apiRequests().length;
		const { ok } = await run(input);
		expect(ok.every((json) => ((json.quickbooks as IDataObject).invoice as IDataObject).action === 'unchanged')).toBe(true);
		expect(qbo.apiRequests().length - before).toBe(3);
	});
});

describe('QuickBooks answers at most 1,000 objects per /batch', () => {
	const count = 1050;
	const ids = Array.from({ length: count }, (_unused, index) => String(3030000000 + index));

	it('a re-run over 1,050 synced invoices, each number also on a hand-typed invoice, finds every linked one: nothing written', async () => {
		// The duplicate-number check is off, so a lookup cut short would show up as a duplicate.
		qbo.duplicateDocNumberCheck = false;
		ids.forEach((id, index) => {
			qbo.invoices.push(synced({ Id: String(10000 + index), DocNumber: `INV-${id}`, PrivateNote: `HubSpot invoice ${id}` }));
			qbo.invoices.push(synced({ Id: String(20000 + index), DocNumber: `INV-${id}`, PrivateNote: 'typed in by hand' }));
		});

		const { ok, errors } = await run(ids.map((id) => item({ id, number: `INV-${id}` })));

		expect(errors).toEqual([]);
		expect(ok.map((json) => ((json.quickbooks as IDataObject).invoice as IDataObject).action)).toEqual(ids.map(() => 'unchanged'));
		expect(ok.map((json) => ((json.quickbooks as IDataObject).invoice as IDataObject).id)).toEqual(ids.map((_id, index) => String(10000 + index)));
		expect(qbo.writeItems()).toEqual([]);
		expect(qbo.largestBatchAnswer).toBeLessThanOrEqual(1000);
		expect(qbo.invoices).toHaveLength(2 * count);
	});
});

describe('QuickBooks numbers the invoices (Custom transaction numbers off)', () => {
	beforeEach(() => {
		qbo.preferences.SalesFormsPrefs = { CustomTxnNumbers: false, AllowDiscount: true };
	});

	it.each([true, false])('creates without DocNumber, outputs QuickBooks\' number, and a re-run finds it by its link (duplicate check %s)', async (duplicateCheck) => {
		qbo.duplicateDocNumberCheck = duplicateCheck;
		const first = await run([item({ id: '3010000001', number: 'INV-0001' })]);
		expect(first.errors).toEqual([]);
		expect(first.ok[0].quickbooks).toMatchObject({ invoice: { id: '500', docNumber: '1001', action: 'created' } });
		const [create] = qbo.writeItems();
		expect(create.Invoice).not.toHaveProperty('DocNumber');
		expect(create.Invoice!.PrivateNote).toBe('HubSpot invoice 3010000001\nHubSpot invoice number INV-0001');

		const before = qbo.apiRequests().length;
		const second = await run([item({ id: '3010000001', number: 'INV-0001' })]);
		expect(second.ok[0].quickbooks).toMatchObject({ invoice: { id: '500', docNumber: '1001', action: 'unchanged' } });
		expect(qbo.writeItems()).toHaveLength(1);
		expect(qbo.invoices).toHaveLength(1);
		// Found among the customer's invoices, never by a number.
		const queries = qbo.apiRequests().slice(before).flatMap((request) => (request.path.endsWith('/query') ? [String(request.body)] : []));
		expect(queries).toEqual(["SELECT * FROM Invoice WHERE CustomerRef IN ('1') STARTPOSITION 1 MAXRESULTS 1000"]);
	});

	it('an invoice of the same customer that is not linked is left alone: a new one is created', async () => {
		qbo.invoices.push(synced({ Id: '300', DocNumber: 'INV-0001', PrivateNote: 'typed in by hand' }));
		const { ok } = await run([item({ id: '3010000001', number: 'INV-0001' })], { parameters: { options: { whenExists: 'error' } } });
		expect(ok[0].quickbooks).toMatchObject({ invoice: { action: 'created', docNumber: '1001' } });
		expect(qbo.invoices.find((invoice) => invoice.Id === '300')!.PrivateNote).toBe('typed in by hand');
	});
});

describe('two runs create the same invoice at once (idempotency without 6140)', () => {
	/** While our create is on its way, another run's create of the same HubSpot invoice lands first. */
	const twinArrivesFirst = (docNumber: string | undefined) => {
		let done = false;
		qbo.faultFor = (entry) => {
			if (!done && entry.operation === 'create') {
				done = true;
				const note = docNumber ? 'HubSpot invoice 3010000001' : 'HubSpot invoice 3010000001\nHubSpot invoice number INV-0001';
				qbo.invoices.push(synced({ Id: '400', DocNumber: docNumber ?? '1000', PrivateNote: note }));
			}
			return undefined;
		};
	};

	it.each([
		['the duplicate-number check off', { customTxnNumbers: true }],
		['QuickBooks numbering the invoices', { customTxnNumbers: false }],
	])('with %s, the later copy is deleted and the earlier one kept', async (_case, { customTxnNumbers }) => {
		qbo.duplicateDocNumberCheck = false;
		qbo.preferences.SalesFormsPrefs = { CustomTxnNumbers: customTxnNumbers };
		twinArrivesFirst(customTxnNumbers ? 'INV-0001' : undefined);

		const { ok, errors } = await run([item({ id: '3010000001', number: 'INV-0001' })]);

		expect(errors).toEqual([]);
		expect(ok[0].quickbooks).toMatchObject({ invoice: { id: '400', action: 'unchanged', reason: expect.stringMatching(/another run created QuickBooks invoice 400/) } });
		expect(qbo.invoices.map((invoice) => invoice.Id)).toEqual(['400']);
		const deletes = qbo.apiRequests('/batch').flatMap((request) => request.body.BatchItemRequest.filter((entry: BatchItem) => entry.operation === 'delete'));
		expect(deletes).toEqual([{ bId: 'd0', operation: 'delete', Invoice: { Id: '500', SyncToken: '0' } }]);
	});

	it('the earlier copy differs (made from older data): the later copy is deleted and the earlier one updated', async () => {
		qbo.duplicateDocNumberCheck = false;
		let done = false;
		qbo.faultFor = (entry) => {
			if (!done && entry.operation === 'create') {
				done = true;
				const older = synced({ Id: '400', PrivateNote: 'HubSpot invoice 3010000001' });
				older.Line[0].SalesItemLineDetail.Qty = 1;
				older.Line[0].Amount = 25;
				qbo.invoices.push(older);
			}
			return undefined;
		};

		const { ok } = await run([item({ id: '3010000001', number: 'INV-0001' })]);

		expect(ok[0].quickbooks).toMatchObject({ invoice: { id: '400', action: 'updated', changes: ['Line'] } });
		expect(qbo.invoices).toHaveLength(1);
		expect(qbo.invoices[0]).toMatchObject({ Id: '400', Line: [expect.objectContaining({ Amount: 50 })] });
	});

	it('no twin: one more lookup after the creates, nothing deleted', async () => {
		qbo.duplicateDocNumberCheck = false;
		const { ok } = await run([item({ id: '3010000001', number: 'INV-0001' })]);
		expect(ok[0].quickbooks).toMatchObject({ invoice: { id: '500', action: 'created' } });
		expect(qbo.apiRequests('/query')).toHaveLength(2);
		expect(qbo.invoices).toHaveLength(1);
	});
});

describe('invoice-level discounts and fees', () => {
	const adjusted = () =>
		item({
			id: '3010000001',
			number: 'INV-0001',
			lines: [{ quantity: 2, unitPrice: 25, amount: 50, itemId: '1', taxCodeId: 'TAX' }],
			adjustments: [
				{ kind: 'discount', name: 'Spring promo', percentage: 10 },
				{ kind: 'fee', name: 'Handling', amount: '4.50' },
			],
			totals: { subtotal: '50.00', discountTotal: '5.00', feeTotal: '4.50' },
		});

	it('are written as a discount line and a fee line on the Fee Item; the same invoice again is unchanged', async () => {
		const { ok, errors } = await run([adjusted()], { parameters: { options: { feeItemId: '77' } } });
		expect(errors).toEqual([]);
		expect(ok[0].quickbooks).toMatchObject({ invoice: { action: 'created' } });
		expect(qbo.writeItems()[0].Invoice!.Line).toEqual([
			{ DetailType: 'SalesItemLineDetail', Amount: 50, Description: 'Product 1', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 2, UnitPrice: 25, TaxCodeRef: { value: 'TAX' } } },
			{ DetailType: 'SalesItemLineDetail', Amount: 4.5, Description: 'Handling', SalesItemLineDetail: { ItemRef: { value: '77' }, Qty: 1, UnitPrice: 4.5, TaxCodeRef: { value: 'TAX' } } },
			{ DetailType: 'DiscountLineDetail', Amount: 5, Description: 'Spring promo', DiscountLineDetail: { PercentBased: false } },
		]);
		const again = await run([adjusted()], { parameters: { options: { feeItemId: '77' } } });
		expect(again.ok[0].quickbooks).toMatchObject({ invoice: { action: 'unchanged' } });
	});

	it('FEE_ITEM_MISSING, DISCOUNTS_DISABLED and TOTAL_MISMATCH fail the invoice before any write', async () => {
		const missingFeeItem = await run([adjusted()]);
		expect(missingFeeItem.errors[0].error).toMatchObject({ code: 'FEE_ITEM_MISSING' });
		qbo.preferences.SalesFormsPrefs = { AllowDiscount: false };
		const disabled = await run([adjusted()], { parameters: { options: { feeItemId: '77' } } });
		expect(disabled.errors[0].error).toMatchObject({ code: 'DISCOUNTS_DISABLED' });
		qbo.preferences.SalesFormsPrefs = { AllowDiscount: true };
		const mismatch = item({ id: '3010000002', number: 'INV-0002', totals: { subtotal: '60.00' } });
		const result = await run([mismatch]);
		expect(result.errors[0].error).toMatchObject({ code: 'TOTAL_MISMATCH', message: "Invoice INV-0002: the QuickBooks total before tax would be 50.00, HubSpot's is 60.00" });
		expect(qbo.writeItems()).toEqual([]);
	});
});

describe('write-back to HubSpot', () => {
	interface HubSpotCall {
		method: string;
		path: string;
		body: any;
	}
	let calls: HubSpotCall[];
	let properties: Array<{ name: string }>;
	let groups: Array<{ name: string }>;
	let batchUpdateReply: (body: any) => [number, any];

	beforeEach(() => {
		calls = [];
		properties = [{ name: 'hs_number' }];
		groups = [{ name: 'invoiceinformation' }];
		batchUpdateReply = (body) => [200, { status: 'COMPLETE', results: body.inputs.map((input: any) => ({ id: input.id, properties: input.properties })) }];
		const record = (method: string) =>
			function (this: unknown, uri: string, body: any): [number, any] {
				const path = new URL(uri, HUBSPOT_BASE).pathname;
				calls.push({ method, path, body });
				if (method === 'GET' && path === '/crm/v3/properties/invoices') return [200, { results: properties }];
				if (method === 'GET' && path === '/crm/v3/properties/invoices/groups') return [200, { results: groups }];
				if (method === 'POST' && path === '/crm/v3/properties/invoices/groups') {
					groups.push(body);
					return [201, body];
				}
				if (method === 'POST' && path === '/crm/v3/properties/invoices') {
					properties.push(body);
					return [201, body];
				}
				if (method === 'POST' && path === '/crm/v3/objects/invoices/batch/update') return batchUpdateReply(body);
				return [404, { message: 'not found' }];
			};
		nock(HUBSPOT_BASE).persist().get(/.*/).reply(record('GET')).post(/.*/).reply(record('POST'));
	});

	const parameters = { writeBackToHubSpot: true, hubspotAuthentication: 'appToken' };

	it('creates the quickbooks_sync group and properties once, then writes id, number, status, time, hash', async () => {
		qbo.faultFor = (entry) => (entry.Invoice?.DocNumber === 'INV-0002' ? fault('6210', 'Account Period Closed', 'closed') : undefined);
		const { ok, errors } = await run(
			[item({ id: '3010000001', number: 'INV-0001', contentHash: 'hash-a' }), item({ id: '3010000002', number: 'INV-0002', contentHash: 'hash-b' })],
			{ parameters },
		);

		expect(ok[0].quickbooks).toMatchObject({ invoice: { action: 'created' }, writeBack: { ok: true, written: true } });
		expect(errors[0].error).toMatchObject({ code: 'PERIOD_CLOSED' });
		expect(calls.filter((call) => call.path === '/crm/v3/properties/invoices/groups' && call.method === 'POST').map((call) => call.body)).toEqual([
			{ name: 'quickbooks_sync', label: 'QuickBooks Sync', displayOrder: -1 },
		]);
		const created = calls.filter((call) => call.path === '/crm/v3/properties/invoices' && call.method === 'POST').map((call) => call.body);
		expect(created.map((body) => body.name)).toEqual(['qbo_invoice_id', 'qbo_doc_number', 'qbo_sync_status', 'qbo_synced_at', 'qbo_last_error', 'qbo_sync_hash']);
		expect(created.every((body) => body.groupName === 'quickbooks_sync')).toBe(true);
		expect(created.find((body) => body.name === 'qbo_sync_status').options.map((option: any) => option.value)).toEqual(['synced', 'failed', 'voided']);

		const [update] = calls.filter((call) => call.path.endsWith('/batch/update'));
		expect(update.body.inputs).toEqual([
			{
				id: '3010000001',
				properties: { qbo_invoice_id: '500', qbo_doc_number: 'INV-0001', qbo_sync_status: 'synced', qbo_synced_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), qbo_last_error: '', qbo_sync_hash: 'hash-a' },
			},
			{
				id: '3010000002',
				properties: { qbo_sync_status: 'failed', qbo_last_error: 'PERIOD_CLOSED: Invoice INV-0002: its date falls in a closed accounting period in QuickBooks', qbo_sync_hash: 'hash-b' },
			},
		]);

		// Second run: the properties exist; one GET, no creates.
		calls = [];
		await run([item({ id: '3010000001', number: 'INV-0001', contentHash: 'hash-a' })], { parameters });
		expect(calls.filter((call) => call.path.startsWith('/crm/v3/properties')).map((call) => `${call.method} ${call.path}`)).toEqual(['GET /crm/v3/properties/invoices']);
		expect(calls.find((call) => call.path.endsWith('/batch/update'))!.body.inputs[0].properties).toMatchObject({ qbo_sync_status: 'synced', qbo_invoice_id: '500' });
	});

	it('when QuickBooks numbers the invoices, writes QuickBooks\' number back as qbo_doc_number', async () => {
		qbo.preferences.SalesFormsPrefs = { CustomTxnNumbers: false };
		const { ok } = await run([item({ id: '3010000001', number: 'INV-0001', contentHash: 'hash-a' })], { parameters });
		expect(ok[0].quickbooks).toMatchObject({ invoice: { id: '500', docNumber: '1001', action: 'created' }, writeBack: { ok: true } });
		const [update] = calls.filter((call) => call.path.endsWith('/batch/update'));
		expect(update.body.inputs[0].properties).toMatchObject({ qbo_invoice_id: '500', qbo_doc_number: '1001', qbo_sync_status: 'synced' });
	});

	it('writes "voided" for a voided invoice and leaves the hash alone for a retryable failure', async () => {
		properties.push(...['qbo_invoice_id', 'qbo_doc_number', 'qbo_sync_status', 'qbo_synced_at', 'qbo_last_error', 'qbo_sync_hash'].map((name) => ({ name })));
		qbo.invoices.push(synced({ Id: '102', DocNumber: 'V-1', PrivateNote: 'HubSpot invoice 1' }));
		qbo.faultFor = (entry) => (entry.Invoice?.DocNumber === 'R-2' ? { Fault: { type: 'SystemFault', Error: [{ code: '3001', Message: 'ThrottleExceeded', Detail: 'ThrottleExceeded' }] } } : undefined);
		await run([item({ id: '1', number: 'V-1', status: 'voided' }), item({ id: '2', number: 'R-2', contentHash: 'hash-r' })], { parameters });
		const inputs = calls.find((call) => call.path.endsWith('/batch/update'))!.body.inputs;
		expect(inputs[0]).toMatchObject({ id: '1', properties: { qbo_sync_status: 'voided', qbo_invoice_id: '102' } });
		expect(inputs[1]).toEqual({ id: '2', properties: { qbo_sync_status: 'failed', qbo_last_error: expect.stringMatching(/^RATE_LIMITED: /) } });
	});

	it('a failed write-back never turns the QuickBooks success into an error: it is recorded on the item', async () => {
		batchUpdateReply = () => [400, { status: 'error', category: 'VALIDATION_ERROR', message: 'Property values were not valid' }];
		const { ok, errors } = await run([item({ id: '3010000001', number: 'INV-0001' })], { parameters });
		expect(errors).toEqual([]);
		expect(ok[0].quickbooks).toMatchObject({
			invoice: { id: '500', action: 'created' },
			writeBack: { ok: false, error: { code: 'HUBSPOT_ERROR', message: expect.stringContaining('Property values were not valid') } },
		});
	});

	it('an invoice HubSpot reports as missing gets ok:false; the others ok:true', async () => {
		batchUpdateReply = (body) => [
			207,
			{ status: 'COMPLETE', results: [{ id: body.inputs[0].id }], numErrors: 1, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not update some invoices objects', context: { ids: [body.inputs[1].id] } }] },
		];
		const { ok } = await run([item({ id: '1', number: 'A-1' }), item({ id: '2', number: 'A-2' })], { parameters });
		expect(ok.map((json) => (json.quickbooks as IDataObject).writeBack)).toEqual([
			{ ok: true, written: true },
			{ ok: false, error: expect.objectContaining({ code: 'HUBSPOT_ERROR' }) },
		]);
	});

	it('is off by default: no HubSpot call, no writeBack field', async () => {
		const { ok } = await run([item()]);
		expect(calls).toEqual([]);
		expect((ok[0].quickbooks as IDataObject).writeBack).toBeUndefined();
	});
});
