import nock from 'nock';

import { blockExternalNetwork } from '../harness';
import { companyWithItems, duplicateNameFault, fault, invoiceWithSkus, NODE_NAME, nodeRunner, outputs, qboItem } from '../kit';

const runSkuMatch = nodeRunner('skuMatch');

beforeAll(() => blockExternalNetwork());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const ACTIVE_ANY = 'Active IN (true, false)';
const page = ' STARTPOSITION 1 MAXRESULTS 1000';

describe('SKU Match: match invoice lines (defaults: exact, case-sensitive SKU)', () => {
	it('adds quickbooks.lines[i] = { itemId, itemName } with one query for every SKU of the execution', async () => {
		const qbo = companyWithItems([qboItem('1', 'PROD-001', 'Widget'), qboItem('2', 'PROD-002', 'Gadget')]);
		const input = [invoiceWithSkus(['PROD-001', 'PROD-002']), invoiceWithSkus(['PROD-002'])];
		const result = await runSkuMatch({}, input);
		const { main, errors } = outputs(result);

		expect(errors).toEqual([]);
		expect(main).toHaveLength(2);
		expect(main[0].quickbooks).toEqual({
			lines: [
				{ itemId: '1', itemName: 'Widget', matchedBy: 'sku' },
				{ itemId: '2', itemName: 'Gadget', matchedBy: 'sku' },
			],
		});
		expect(main[1].quickbooks).toEqual({ lines: [{ itemId: '2', itemName: 'Gadget', matchedBy: 'sku' }] });
		expect(main[0].invoice).toMatchObject({ number: (input[0].invoice as { number: string }).number });
		expect(qbo.requests.map((request) => request.route)).toEqual(['/query']);
		expect(qbo.requests[0].queries).toEqual([`SELECT * FROM Item WHERE Sku IN ('PROD-001', 'PROD-002') AND ${ACTIVE_ANY}${page}`]);
	});

	it('keeps the other nodes\' parts of the item (customer, per-line tax codes)', async () => {
		companyWithItems([qboItem('1', 'A')]);
		const item = { ...invoiceWithSkus(['A']), quickbooks: { customer: { id: '5', displayName: 'Ada', created: false }, lines: [{ taxCodeId: 'TAX' }] }, extra: 'kept' };
		const { main } = outputs(await runSkuMatch({}, [item]));
		expect(main[0]).toMatchObject({
			extra: 'kept',
			quickbooks: { customer: { id: '5' }, lines: [{ taxCodeId: 'TAX', itemId: '1', itemName: 'A' === 'A' ? 'Item 1' : '' }] },
		});
	});

	it('one bad line fails the whole invoice (SKU_NOT_FOUND listing every missing SKU) while the other invoices pass', async () => {
		companyWithItems([qboItem('1', 'PROD-001'), qboItem('2', 'PROD-002')]);
		const bad = invoiceWithSkus(['PROD-001', 'NOPE-1', 'PROD-002', 'NOPE-2', 'NOPE-1']);
		const input = [invoiceWithSkus(['PROD-001']), bad, invoiceWithSkus(['PROD-002', 'PROD-001'])];
		const { main, errors } = outputs(await runSkuMatch({}, input));

		expect(main.map((item) => (item.invoice as { number: string }).number)).toEqual([
			(input[0].invoice as { number: string }).number,
			(input[2].invoice as { number: string }).number,
		]);
		expect(errors).toHaveLength(1);
		const number = (bad.invoice as { number: string }).number;
		expect(errors[0].error).toMatchObject({
			code: 'SKU_NOT_FOUND',
			message: `Invoice ${number}: no QuickBooks product with SKU NOPE-1, NOPE-2`,
			hint: expect.stringMatching(/^No QuickBooks product has this SKU or one differing only in case/),
			retryable: false,
			details: { missingSkus: ['NOPE-1', 'NOPE-2'], lines: [2, 4, 5] },
		});
		// the failed invoice keeps its data and gets no partial quickbooks part
		expect(errors[0].invoice).toMatchObject({ number });
		expect(errors[0].quickbooks).toBeUndefined();
	});

	it('a case variant is not a match: SKU_NOT_FOUND with "did you mean PROD-001 (differs only in case)?" (message and details)', async () => {
		const qbo = companyWithItems([qboItem('1', 'PROD-001')]);
		const bad = invoiceWithSkus(['prod-001']);
		const { main, errors } = outputs(await runSkuMatch({}, [bad, invoiceWithSkus(['PROD-001'])]));
		expect(main).toHaveLength(1);
		expect(errors[0].error).toMatchObject({
			code: 'SKU_NOT_FOUND',
			message: expect.stringContaining('no QuickBooks product with SKU prod-001 — did you mean PROD-001 (differs only in case)?'),
			hint: expect.stringMatching(/^SKU matching is case-sensitive/),
			details: { suggestions: [{ sku: 'prod-001', didYouMean: ['PROD-001'], differences: ['differs only in case'] }] },
		});
		expect(qbo.requests[0].queries).toEqual([`SELECT * FROM Item WHERE Sku IN ('prod-001', 'PROD-001') AND ${ACTIVE_ANY}${page}`]);
	});

	it('a SKU with surrounding spaces: the trimmed form is queried too, and suggested', async () => {
		const qbo = companyWithItems([qboItem('1', 'PROD-001')]);
		const { errors } = outputs(await runSkuMatch({}, [invoiceWithSkus(['PROD-001 '])]));
		expect(qbo.requests[0].queries).toEqual([`SELECT * FROM Item WHERE Sku IN ('PROD-001 ', 'PROD-001') AND ${ACTIVE_ANY}${page}`]);
		expect(errors[0].error).toMatchObject({
			code: 'SKU_NOT_FOUND',
			message: expect.stringContaining('SKU "PROD-001 " — did you mean PROD-001 (HubSpot\'s SKU has a trailing space)?'),
			hint: expect.not.stringMatching(/case-sensitive/),
		});
	});

	it('lines without SKU → SKU_MISSING naming the line numbers; no request when no line has a SKU', async () => {
		const qbo = companyWithItems([qboItem('1', 'A')]);
		const bad = invoiceWithSkus([null, '   ', { sku: '' }]);
		const { errors } = outputs(await runSkuMatch({}, [bad]));
		expect(errors[0].error).toMatchObject({
			code: 'SKU_MISSING',
			message: `Invoice ${(bad.invoice as { number: string }).number}: line 1, 2, 3 has no SKU`,
			hint: expect.stringContaining('HubSpot'),
			details: { lines: [1, 2, 3] },
		});
		expect(qbo.requests).toHaveLength(0);
	});

	it('a line without SKU fails its invoice even when the other lines match', async () => {
		companyWithItems([qboItem('1', 'A')]);
		const { main, errors } = outputs(await runSkuMatch({}, [invoiceWithSkus(['A', null]), invoiceWithSkus(['A'])]));
		expect(main).toHaveLength(1);
		expect(errors[0].error).toMatchObject({ code: 'SKU_MISSING', details: { lines: [2] } });
	});

	it('escapes hostile SKUs in the query (quotes, %, unicode, emoji) and matches them exactly; a backslash SKU is looked up by its prefix', async () => {
		const hostile = ["O'Brien-1", 'C:\\temp\\', '100%', 'Ünïcødé-ß', '🚀-ROCKET', "x' OR Name LIKE '%"];
		const qbo = companyWithItems([...hostile.map((sku, index) => qboItem(String(index + 1), sku)), qboItem('7', 'C:\\temp\\x')]);
		const { main, errors } = outputs(await runSkuMatch({}, [invoiceWithSkus(hostile)]));
		expect(errors).toEqual([]);
		expect((main[0].quickbooks as { lines: Array<{ itemId: string }> }).lines.map((line) => line.itemId)).toEqual(['1', '2', '3', '4', '5', '6']);
		// Intuit documents only \' as an escape: no backslash goes into a query literal.
		expect(qbo.requests[0].queries).toEqual([
			"SELECT * FROM Item WHERE Sku IN ('O\\'Brien-1', '100%', 'Ünïcødé-ß', '🚀-ROCKET', 'x\\' OR Name LIKE \\'%') AND Active IN (true, false) MAXRESULTS 100",
			"SELECT * FROM Item WHERE Sku LIKE 'C:%' AND Active IN (true, false) MAXRESULTS 100",
		]);
	});

	it('a SKU longer than QuickBooks allows is not queried and fails as not found', async () => {
		const long = 'L'.repeat(150);
		const qbo = companyWithItems([qboItem('1', 'A')]);
		const { errors } = outputs(await runSkuMatch({}, [invoiceWithSkus(['A', long])]));
		expect(qbo.requests[0].queries).toEqual([`SELECT * FROM Item WHERE Sku IN ('A') AND ${ACTIVE_ANY}${page}`]);
		expect(errors[0].error).toMatchObject({ code: 'SKU_NOT_FOUND', details: { problems: [{ line: 2, note: expect.stringContaining('100-character') }] } });
	});

	it('two QuickBooks items with the same SKU → SKU_AMBIGUOUS instead of a guess', async () => {
		companyWithItems([qboItem('1', 'DUP', 'First'), qboItem('2', 'DUP', 'Second')]);
		const { errors } = outputs(await runSkuMatch({}, [invoiceWithSkus(['DUP'])]));
		expect(errors[0].error).toMatchObject({
			code: 'SKU_AMBIGUOUS',
			message: expect.stringContaining('several QuickBooks products have SKU DUP (First #1, Second #2)'),
			hint: expect.stringContaining('will not guess'),
		});
	});

	it('invalid input → INVALID_INPUT on that item only', async () => {
		companyWithItems([qboItem('1', 'A')]);
		const { main, errors } = outputs(await runSkuMatch({}, [{ invoice: { number: 'BROKEN' } }, invoiceWithSkus(['A'])]));
		expect(main).toHaveLength(1);
		expect(errors[0].error).toMatchObject({ code: 'INVALID_INPUT' });
	});

	it('without "continue on fail" the node stops with the coded message', async () => {
		companyWithItems([qboItem('1', 'PROD-001')]);
		const result = await runSkuMatch({}, [invoiceWithSkus(['prod-001'])], { continueOnFail: false });
		expect(result.nodeError(NODE_NAME)?.message).toMatch(/^\[SKU_NOT_FOUND\] .*did you mean PROD-001 \(differs only in case\)\?/);
	});

	it('a failed lookup fails every invoice with the translated code', async () => {
		companyWithItems([], {
			respond: (request) =>
				/^\/(query|batch)$/.test(request.route)
					? { status: 400, body: { Fault: { type: 'ValidationFault', Error: [{ Message: 'QueryValidationError', Detail: 'bad query', code: '4000' }] } } }
					: undefined,
		});
		const { main, errors } = outputs(await runSkuMatch({}, [invoiceWithSkus(['A']), invoiceWithSkus(['B'])]));
		expect(main).toEqual([]);
		expect(errors.map((item) => (item.error as { code: string }).code)).toEqual(['QUICKBOOKS_VALIDATION', 'QUICKBOOKS_VALIDATION']);
	});
});

describe('SKU Match: matching options', () => {
	it('Ignore Case: prod-001 matches PROD-001', async () => {
		companyWithItems([qboItem('1', 'PROD-001')]);
		const { main, errors } = outputs(await runSkuMatch({ options: { caseInsensitive: true } }, [invoiceWithSkus(['prod-001'])]));
		expect(errors).toEqual([]);
		expect(main[0].quickbooks).toMatchObject({ lines: [{ itemId: '1' }] });
	});

	it('Trim Spaces: "PROD-001 " matches PROD-001', async () => {
		companyWithItems([qboItem('1', 'PROD-001')]);
		const { main, errors } = outputs(await runSkuMatch({ options: { trimSpaces: true } }, [invoiceWithSkus(['PROD-001 '])]));
		expect(errors).toEqual([]);
		expect(main[0].quickbooks).toMatchObject({ lines: [{ itemId: '1' }] });
	});

	it('Match On Name: queries Name and compares the SKU with the item name', async () => {
		const qbo = companyWithItems([qboItem('1', 'OTHER', 'PROD-001'), qboItem('2', 'PROD-001', 'Not this')]);
		const { main } = outputs(await runSkuMatch({ options: { matchOn: 'name' } }, [invoiceWithSkus(['PROD-001'])]));
		expect(main[0].quickbooks).toEqual({ lines: [{ itemId: '1', itemName: 'PROD-001', matchedBy: 'name' }] });
		expect(qbo.requests[0].queries).toEqual([`SELECT * FROM Item WHERE Name IN ('PROD-001') AND ${ACTIVE_ANY}${page}`]);
	});

	it('Match On SKU, Then Name: both lookups in one /batch request; SKU wins, name is the fallback', async () => {
		const qbo = companyWithItems([qboItem('1', 'A-1', 'Alpha'), qboItem('2', 'X', 'B-1')]);
		const { main, errors } = outputs(await runSkuMatch({ options: { matchOn: 'skuThenName' } }, [invoiceWithSkus(['A-1', 'B-1'])]));
		expect(errors).toEqual([]);
		expect(main[0].quickbooks).toEqual({
			lines: [
				{ itemId: '1', itemName: 'Alpha', matchedBy: 'sku' },
				{ itemId: '2', itemName: 'B-1', matchedBy: 'name' },
			],
		});
		expect(qbo.requests).toHaveLength(1);
		expect(qbo.requests[0].route).toBe('/batch');
		expect(qbo.requests[0].queries).toEqual([
			`SELECT * FROM Item WHERE Sku IN ('A-1', 'B-1') AND ${ACTIVE_ANY} MAXRESULTS 100`,
			`SELECT * FROM Item WHERE Name IN ('A-1', 'B-1') AND ${ACTIVE_ANY} MAXRESULTS 100`,
		]);
	});
});

describe('SKU Match: inactive items', () => {
	it('default: ITEM_INACTIVE', async () => {
		const qbo = companyWithItems([qboItem('7', 'OLD-1', 'Old', false)]);
		const { errors } = outputs(await runSkuMatch({}, [invoiceWithSkus(['OLD-1'])]));
		expect(errors[0].error).toMatchObject({
			code: 'ITEM_INACTIVE',
			message: expect.stringContaining('QuickBooks product OLD-1 is inactive'),
			details: { items: [{ id: '7', name: 'Old', sku: 'OLD-1', active: false }] },
		});
		expect(qbo.requests).toHaveLength(1);
	});

	it('reactivate: one full update per item per execution (the item as read, Active true, its SyncToken; in one /batch), then the lines use it', async () => {
		const old = { ...qboItem('7', 'OLD-1', 'Old', false), UnitPrice: 4.5, Description: 'kept', IncomeAccountRef: { value: '79', name: 'Sales' } };
		const qbo = companyWithItems([old, qboItem('1', 'A')]);
		const input = [invoiceWithSkus(['OLD-1', 'A']), invoiceWithSkus(['OLD-1']), invoiceWithSkus(['OLD-1'])];
		const { main, errors } = outputs(await runSkuMatch({ ifInactive: 'reactivate' }, input));
		expect(errors).toEqual([]);
		expect(main.map((item) => (item.quickbooks as { lines: Array<{ itemId: string }> }).lines[0])).toEqual([
			{ itemId: '7', itemName: 'Old', matchedBy: 'reactivated' },
			{ itemId: '7', itemName: 'Old', matchedBy: 'reactivated' },
			{ itemId: '7', itemName: 'Old', matchedBy: 'reactivated' },
		]);
		expect(qbo.requests.map((request) => request.route)).toEqual(['/query', '/batch']);
		// Item documents no sparse update: the whole item goes back, so no field is lost.
		expect(qbo.requests[1].writes).toEqual([{ bId: 'r0', operation: 'update', Item: { ...old, Active: true, sparse: false } }]);
		expect(qbo.requests[1].requestId).toMatch(/^[0-9a-f-]{36}$/);
		expect(qbo.items.find((item) => item.Id === '7')?.Active).toBe(true);
	});

	it('reactivate refused by QuickBooks → ITEM_INACTIVE with QuickBooks\' reason, only for invoices using it', async () => {
		companyWithItems([qboItem('7', 'OLD-1', 'Old', false), qboItem('1', 'A')], {
			faultFor: () => ({ Fault: { type: 'ValidationFault', Error: [{ Message: 'Business Validation Error', Detail: 'Item cannot be reactivated', code: '6000' }] } }),
		});
		const { main, errors } = outputs(await runSkuMatch({ ifInactive: 'reactivate' }, [invoiceWithSkus(['OLD-1']), invoiceWithSkus(['A'])]));
		expect(main).toHaveLength(1);
		expect(errors[0].error).toMatchObject({ code: 'ITEM_INACTIVE', details: { reactivationFailed: 'Business Validation Error: Item cannot be reactivated' } });
	});
});

describe('SKU Match: If Not Found = use a fallback product', () => {
	it('looks up the fallback item in the same /batch and puts it on unmatched lines', async () => {
		const qbo = companyWithItems([qboItem('1', 'A'), qboItem('99', undefined, 'Misc sales')]);
		const { main, errors } = outputs(await runSkuMatch({ ifNotFound: 'useFallback', fallbackItemId: '99' }, [invoiceWithSkus(['A', 'UNKNOWN'])]));
		expect(errors).toEqual([]);
		expect(main[0].quickbooks).toEqual({
			lines: [
				{ itemId: '1', itemName: 'Item 1', matchedBy: 'sku' },
				{ itemId: '99', itemName: 'Misc sales', matchedBy: 'fallback' },
			],
		});
		expect(qbo.requests).toHaveLength(1);
		expect(qbo.requests[0].queries).toEqual([
			`SELECT * FROM Item WHERE Sku IN ('A', 'UNKNOWN') AND ${ACTIVE_ANY} MAXRESULTS 100`,
			`SELECT * FROM Item WHERE Id = '99' AND ${ACTIVE_ANY} MAXRESULTS 100`,
		]);
	});

	it('a fallback item that does not exist → SKU_NOT_FOUND saying so', async () => {
		companyWithItems([qboItem('1', 'A')]);
		const { errors } = outputs(await runSkuMatch({ ifNotFound: 'useFallback', fallbackItemId: '404' }, [invoiceWithSkus(['UNKNOWN'])]));
		expect(errors[0].error).toMatchObject({
			code: 'SKU_NOT_FOUND',
			message: expect.stringContaining('the fallback product (ID 404) was not found in QuickBooks'),
		});
	});

	it('an inactive fallback item → SKU_NOT_FOUND saying it is inactive', async () => {
		companyWithItems([qboItem('99', undefined, 'Misc', false)]);
		const { errors } = outputs(await runSkuMatch({ ifNotFound: 'useFallback', fallbackItemId: '99' }, [invoiceWithSkus(['UNKNOWN'])]));
		expect(errors[0].error).toMatchObject({ code: 'SKU_NOT_FOUND', message: expect.stringContaining('is inactive') });
	});

	it('SKU_MISSING still fails (the fallback is for unknown SKUs, not missing ones)', async () => {
		companyWithItems([qboItem('99', undefined, 'Misc')]);
		const { errors } = outputs(await runSkuMatch({ ifNotFound: 'useFallback', fallbackItemId: '99' }, [invoiceWithSkus([null])]));
		expect(errors[0].error).toMatchObject({ code: 'SKU_MISSING' });
	});
});

describe('SKU Match: If Not Found = create the product', () => {
	const create = { ifNotFound: 'create', newItemType: 'NonInventory', incomeAccountId: '79' };

	it.each(['GB', 'CA'])(
		'a %s company without an expense account selected: ITEM_EXPENSE_ACCOUNT_MISSING before any write, other invoices unaffected',
		async (country) => {
			const qbo = companyWithItems([qboItem('1', 'A')], { country });
			const { main, errors } = outputs(await runSkuMatch(create, [invoiceWithSkus(['A', 'NEW-1']), invoiceWithSkus(['A']), invoiceWithSkus(['NEW-1'])]));
			expect(main).toHaveLength(1);
			expect(errors.map((json) => (json.error as { code: string }).code)).toEqual(['ITEM_EXPENSE_ACCOUNT_MISSING', 'ITEM_EXPENSE_ACCOUNT_MISSING']);
			expect(errors[0].error).toMatchObject({
				message: expect.stringContaining(`QuickBooks needs an expense account to create product NEW-1 in a company in ${country}`),
				hint: expect.stringContaining('Expense Account'),
				details: { country, sku: 'NEW-1' },
			});
			expect(qbo.requests.map((request) => request.route)).toEqual(['/query']);
		},
	);

	it('an expense account selected: every create sends it (in the UK, and in the US too)', async () => {
		for (const country of ['GB', 'US']) {
			nock.cleanAll();
			const qbo = companyWithItems([], { country });
			const { errors } = outputs(await runSkuMatch({ ...create, expenseAccountId: '80' }, [invoiceWithSkus(['NEW-1'])]));
			expect(errors).toEqual([]);
			expect(qbo.requests[1].writes[0].Item).toMatchObject({ IncomeAccountRef: { value: '79' }, ExpenseAccountRef: { value: '80' } });
		}
	});

	it('QuickBooks itself asks for ExpenseAccountRef (2020) in another country → ITEM_EXPENSE_ACCOUNT_MISSING too', async () => {
		companyWithItems([], {
			country: 'AU',
			faultFor: () => fault('2020', 'Required param missing, need to supply the required value for the API', 'Required parameter ExpenseAccountRef is missing in the request', 'ExpenseAccountRef'),
		});
		const { errors } = outputs(await runSkuMatch(create, [invoiceWithSkus(['NEW-1'])]));
		expect(errors[0].error).toMatchObject({ code: 'ITEM_EXPENSE_ACCOUNT_MISSING', details: { country: 'AU', sku: 'NEW-1' } });
	});

	it('creates one item per distinct SKU in one /batch, from the first line (cleaned name, SKU, unit price)', async () => {
		const qbo = companyWithItems([qboItem('1', 'A')]);
		const input = [
			invoiceWithSkus(['A', { sku: 'NEW-1', name: 'Parent: Child\tWidget', unitPrice: 12.5, description: 'Big widget' }]),
			invoiceWithSkus([{ sku: 'NEW-1', name: 'Other name', unitPrice: 99 }, { sku: 'NEW-2', name: 'Gadget', unitPrice: 3 }]),
		];
		const { main, errors } = outputs(await runSkuMatch(create, input));
		expect(errors).toEqual([]);
		expect(qbo.requests.map((request) => request.route)).toEqual(['/query', '/batch']);
		expect(qbo.requests[1].writes).toEqual([
			{
				bId: 'c0',
				operation: 'create',
				Item: { Name: 'Parent- Child Widget', Sku: 'NEW-1', Type: 'NonInventory', IncomeAccountRef: { value: '79' }, UnitPrice: 12.5, Description: 'Big widget' },
			},
			{
				bId: 'c1',
				operation: 'create',
				Item: { Name: 'Gadget', Sku: 'NEW-2', Type: 'NonInventory', IncomeAccountRef: { value: '79' }, UnitPrice: 3, Description: 'Gadget' },
			},
		]);
		const lines = main.map((item) => (item.quickbooks as { lines: unknown[] }).lines);
		expect(lines[0][1]).toEqual({ itemId: '1000', itemName: 'Parent- Child Widget', matchedBy: 'created' });
		expect(lines[1]).toEqual([
			{ itemId: '1000', itemName: 'Parent- Child Widget', matchedBy: 'created' },
			{ itemId: '1001', itemName: 'Gadget', matchedBy: 'created' },
		]);
	});

	it('a name already in use (6240) is retried once as "<name> (<sku>)"', async () => {
		const qbo = companyWithItems([qboItem('1', 'OTHER', 'Widget')]);
		const { main, errors } = outputs(await runSkuMatch(create, [invoiceWithSkus([{ sku: 'W-2', name: 'Widget' }])]));
		expect(errors).toEqual([]);
		expect(qbo.requests.map((request) => request.route)).toEqual(['/query', '/batch', '/batch']);
		expect(qbo.requests[2].writes).toEqual([
			expect.objectContaining({ bId: 'c0n', operation: 'create', Item: expect.objectContaining({ Name: 'Widget (W-2)', Sku: 'W-2' }) }),
		]);
		expect(main[0].quickbooks).toEqual({ lines: [{ itemId: '1000', itemName: 'Widget (W-2)', matchedBy: 'created' }] });
	});

	it('still refused → ITEM_CREATE_FAILED with QuickBooks\' detail, for the invoices with that SKU only', async () => {
		companyWithItems([qboItem('1', 'A')], { faultFor: (operation) => (operation.Item?.Sku === 'BAD' ? duplicateNameFault() : undefined) });
		const { main, errors } = outputs(await runSkuMatch(create, [invoiceWithSkus(['BAD']), invoiceWithSkus(['GOOD']), invoiceWithSkus(['A', 'BAD'])]));
		expect(main).toHaveLength(1);
		expect(errors.map((item) => (item.error as { code: string }).code)).toEqual(['ITEM_CREATE_FAILED', 'ITEM_CREATE_FAILED']);
		expect((errors[0].error as { message: string }).message).toMatch(/could not create QuickBooks product BAD: Duplicate Name Exists Error/);
	});

	it('SKUs equal under "Ignore Case" become one created item', async () => {
		const qbo = companyWithItems([]);
		const { main, errors } = outputs(await runSkuMatch({ ...create, options: { caseInsensitive: true } }, [invoiceWithSkus(['new-1']), invoiceWithSkus(['NEW-1'])]));
		expect(errors).toEqual([]);
		expect(qbo.requests[1].writes).toHaveLength(1);
		expect(main.map((item) => (item.quickbooks as { lines: Array<{ itemId: string }> }).lines[0].itemId)).toEqual(['1000', '1000']);
	});

	it('a SKU longer than QuickBooks allows is refused before any write (ITEM_CREATE_FAILED)', async () => {
		const qbo = companyWithItems([]);
		const { errors } = outputs(await runSkuMatch(create, [invoiceWithSkus(['L'.repeat(101)])]));
		expect(errors[0].error).toMatchObject({ code: 'ITEM_CREATE_FAILED', message: expect.stringContaining('at most 100') });
		expect(qbo.requests.filter((request) => request.writes.length)).toHaveLength(0);
	});

	it('hostile SKUs and names: created with the SKU as is and a clean name', async () => {
		const qbo = companyWithItems([]);
		const sku = "O'Brien\\🚀";
		const { main, errors } = outputs(await runSkuMatch(create, [invoiceWithSkus([{ sku, name: 'Rocket: "Deluxe" 🚀' }])]));
		expect(errors).toEqual([]);
		expect(qbo.requests[0].queries).toEqual([`SELECT * FROM Item WHERE Sku LIKE 'O\\'Brien%' AND ${ACTIVE_ANY}${page}`]);
		expect(qbo.requests[1].writes[0]).toMatchObject({ Item: { Sku: sku, Name: 'Rocket- "Deluxe" 🚀' } });
		expect(main[0].quickbooks).toMatchObject({ lines: [{ matchedBy: 'created' }] });
	});

	it('never creates for lines without SKU', async () => {
		const qbo = companyWithItems([]);
		const { errors } = outputs(await runSkuMatch(create, [invoiceWithSkus([null])]));
		expect(errors[0].error).toMatchObject({ code: 'SKU_MISSING' });
		expect(qbo.requests).toHaveLength(0);
	});
});

describe('SKU Match: request count', () => {
	it('100 invoices × 5 lines sharing 40 SKUs cost 1 QuickBooks request (≤ 2)', async () => {
		const skus = Array.from({ length: 40 }, (_unused, index) => `SKU-${String(index).padStart(3, '0')}`);
		const qbo = companyWithItems(skus.map((sku, index) => qboItem(String(index + 1), sku)));
		const input = Array.from({ length: 100 }, (_unused, n) => invoiceWithSkus(Array.from({ length: 5 }, (_line, l) => skus[(n * 5 + l) % 40])));
		const { main, errors } = outputs(await runSkuMatch({}, input));
		expect(errors).toEqual([]);
		expect(main).toHaveLength(100);
		expect(qbo.requests).toHaveLength(1);
		expect(qbo.requests.length).toBeLessThanOrEqual(2);
		expect(qbo.requests[0].queries[0]).toContain("Sku IN ('SKU-000', 'SKU-001'");
	});

	it('250 distinct SKUs → three IN chunks of ≤ 100 values, still one /batch request', async () => {
		const skus = Array.from({ length: 250 }, (_unused, index) => `S${index}`);
		const qbo = companyWithItems(skus.map((sku, index) => qboItem(String(index + 1), sku)));
		const input = Array.from({ length: 50 }, (_unused, n) => invoiceWithSkus(skus.slice(n * 5, n * 5 + 5)));
		const { main } = outputs(await runSkuMatch({}, input));
		expect(main).toHaveLength(50);
		expect(qbo.requests).toHaveLength(1);
		expect(qbo.requests[0].queries).toHaveLength(3);
	});
});
