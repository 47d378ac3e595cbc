/**
 * SKU Match creates and reactivates QuickBooks items, so it runs every write-free invoice check
 * before its writes: an invoice QuickBooks could never take gets its code and no item, while the
 * other invoices of the same run get theirs. Policies the user set on the QuickBooks Invoice Upsert
 * downstream apply here too.
 */
import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { PACKAGE_NAME, blockExternalNetwork, runWorkflow } from '../harness';
import { DEFAULT_PREFERENCES, NODE_NAME, companyWithItems, invoiceWithSkus, nodeRunner, outputs, qboItem, testCredentials, type FakeQuickBooks } from '../kit';

beforeAll(() => blockExternalNetwork());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const CREATE = { ifNotFound: 'create', newItemType: 'Service', incomeAccountId: '79' };
const CLOSED_JUNE = { ...DEFAULT_PREFERENCES, AccountingInfoPrefs: { BookCloseDate: '2026-06-30' } };
const UPSERT = 'QuickBooks Invoice Upsert';
const NODE_TYPE = `${PACKAGE_NAME}.skuMatch`;
const runSkuMatch = nodeRunner('skuMatch');

const numberOf = (json: IDataObject) => (json.invoice as { number: string }).number;
const codesByNumber = (errors: IDataObject[]) => Object.fromEntries(errors.map((json) => [numberOf(json), (json.error as { code: string }).code]));
const createdSkus = (qbo: FakeQuickBooks) =>
	qbo.requests.flatMap((request) => request.writes).filter((write) => write.operation === 'create').map((write) => (write.Item as IDataObject).Sku);

describe('SKU Match checks every invoice before its first write', () => {
	it('an invoice without lines or in a currency the company cannot take creates no item; the valid one in the same run gets its item', async () => {
		const qbo = companyWithItems([]);
		const input = [
			invoiceWithSkus(['NEW-GOOD'], { number: 'GOOD-1' }),
			invoiceWithSkus(['NEW-EUR'], { number: 'EUR-1', currency: 'EUR' }),
			invoiceWithSkus([], { number: 'EMPTY-1' }),
			invoiceWithSkus([{ sku: 'NEW-AMOUNT', quantity: 2, unitPrice: 10 }], { number: 'DATE-1', dueDate: 'soon' }),
		];
		const { main, errors } = outputs(await runSkuMatch(CREATE, input));

		expect(codesByNumber(errors)).toEqual({ 'EUR-1': 'CURRENCY_MISMATCH', 'EMPTY-1': 'INVOICE_HAS_NO_LINES', 'DATE-1': 'INVALID_DATE' });
		expect(main.map(numberOf)).toEqual(['GOOD-1']);
		expect(createdSkus(qbo)).toEqual(['NEW-GOOD']);
		// The failing invoices' SKUs are not even looked up.
		expect(qbo.requests.flatMap((request) => request.queries).join('\n')).not.toMatch(/NEW-EUR|NEW-AMOUNT/);
	});

	it('an inactive item is not reactivated for an invoice that fails a check', async () => {
		const qbo = companyWithItems([qboItem('7', 'OLD-1', 'Old product', false)]);
		const { errors } = outputs(await runSkuMatch({ ifInactive: 'reactivate' }, [invoiceWithSkus(['OLD-1'], { number: 'EUR-2', currency: 'EUR' })]));
		expect(codesByNumber(errors)).toEqual({ 'EUR-2': 'CURRENCY_MISMATCH' });
		expect(qbo.requests.flatMap((request) => request.writes)).toEqual([]);
		expect(qbo.items[0].Active).toBe(false);
	});

	it('with the upsert after it failing long numbers (its default), an invoice with a 24-character number gets DOC_NUMBER_TOO_LONG and no item', async () => {
		const qbo = companyWithItems([]);
		const long = 'INV-2026-000000000000042';
		const result = await runWorkflow({
			nodes: [
				{ name: NODE_NAME, type: NODE_TYPE, parameters: CREATE as never, onError: 'continueErrorOutput' },
				{ name: UPSERT, type: `${PACKAGE_NAME}.quickBooksInvoiceUpsert`, parameters: { options: {} } as never, onError: 'continueErrorOutput' },
			],
			connections: { [NODE_NAME]: { main: [[{ node: UPSERT, type: 'main', index: 0 }]] } },
			credentials: testCredentials(),
			input: [invoiceWithSkus(['NEW-LONG'], { number: long })],
		});
		expect(codesByNumber(outputs(result).errors)).toEqual({ [long]: 'DOC_NUMBER_TOO_LONG' });
		expect(createdSkus(qbo)).toEqual([]);
	});
});

describe('SKU Match and the checks on totals and discounts', () => {
	it('an invoice whose QuickBooks total would differ from HubSpot\'s (TOTAL_MISMATCH) or with a discount QuickBooks has off (DISCOUNTS_DISABLED) creates no item', async () => {
		const qbo = companyWithItems([], { preferences: { ...DEFAULT_PREFERENCES, SalesFormsPrefs: { CustomTxnNumbers: true, AllowDiscount: false } } });
		const input = [
			// One line of 1 × 10.00; HubSpot says 12.00 before tax.
			invoiceWithSkus(['NEW-TOTAL'], { number: 'TOTAL-1', totals: { total: '12.00', taxTotal: '0.00' } }),
			invoiceWithSkus(['NEW-PROMO'], { number: 'PROMO-1', adjustments: [{ kind: 'discount', hubspotId: '8', name: 'Promo', amount: '1.00' }] }),
			invoiceWithSkus(['NEW-GOOD'], { number: 'GOOD-1', totals: { total: '10.80', taxTotal: '0.80' } }),
		];
		const { main, errors } = outputs(await runSkuMatch(CREATE, input));
		expect(codesByNumber(errors)).toEqual({ 'TOTAL-1': 'TOTAL_MISMATCH', 'PROMO-1': 'DISCOUNTS_DISABLED' });
		expect(main.map(numberOf)).toEqual(['GOOD-1']);
		expect(createdSkus(qbo)).toEqual(['NEW-GOOD']);
	});
});

describe('SKU Match and closed books', () => {
	it('an invoice dated in the closed period gets no new item (PERIOD_CLOSED); its items that exist pass; an item another open invoice needs is created once', async () => {
		const qbo = companyWithItems([qboItem('1', 'KNOWN')], { preferences: CLOSED_JUNE });
		const input = [
			invoiceWithSkus(['ONLY-OLD'], { number: 'OLD-NEW', issueDate: '2026-06-30T00:00:00.000Z' }),
			invoiceWithSkus(['KNOWN'], { number: 'OLD-KNOWN', issueDate: '2026-05-01T00:00:00.000Z' }),
			invoiceWithSkus(['SHARED'], { number: 'OLD-SHARED', issueDate: '2026-05-01T00:00:00.000Z' }),
			invoiceWithSkus(['SHARED'], { number: 'CURRENT', issueDate: '2026-07-01T00:00:00.000Z' }),
		];
		const { main, errors } = outputs(await runSkuMatch(CREATE, input));

		expect(codesByNumber(errors)).toEqual({ 'OLD-NEW': 'PERIOD_CLOSED' });
		expect(errors[0].error).toMatchObject({ details: { txnDate: '2026-06-30', bookCloseDate: '2026-06-30' } });
		expect(createdSkus(qbo)).toEqual(['SHARED']);
		// OLD-SHARED passes with the item CURRENT needed: the upsert then meets the closed period itself.
		expect(main.map((json) => [numberOf(json), (json.quickbooks as { lines: Array<{ itemId: string }> }).lines[0].itemId])).toEqual([
			['OLD-KNOWN', '1'],
			['OLD-SHARED', '1000'],
			['CURRENT', '1000'],
		]);
	});

	it('an inactive item is not reactivated for an invoice in the closed period', async () => {
		const qbo = companyWithItems([qboItem('7', 'OLD-1', 'Old product', false)], { preferences: CLOSED_JUNE });
		const { errors } = outputs(await runSkuMatch({ ifInactive: 'reactivate' }, [invoiceWithSkus(['OLD-1'], { number: 'OLD-2', issueDate: '2026-01-31T00:00:00.000Z' })]));
		expect(codesByNumber(errors)).toEqual({ 'OLD-2': 'PERIOD_CLOSED' });
		expect(qbo.requests.flatMap((request) => request.writes)).toEqual([]);
	});

	it('a closed-period invoice keeps the SKU code when SKU Match would not have written anyway (not-found policy: fail)', async () => {
		companyWithItems([], { preferences: CLOSED_JUNE });
		const { errors } = outputs(await runSkuMatch({}, [invoiceWithSkus(['MISSING'], { number: 'OLD-3', issueDate: '2026-01-31T00:00:00.000Z' })]));
		expect(codesByNumber(errors)).toEqual({ 'OLD-3': 'SKU_NOT_FOUND' });
	});
});
