import { DEFAULT_UPSERT_OPTIONS, type UpsertOptions } from '../../package/nodes/QuickBooksInvoiceUpsert/settings';
import { buildDesiredInvoice, type PayloadCompanySettings } from '../../package/nodes/QuickBooksInvoiceUpsert/payload';
import { indexCandidates, lookupQueries, matchExisting, type ExistingMatch } from '../../package/nodes/QuickBooksInvoiceUpsert/findExisting';
import { batchRequestId, faultContext } from '../../package/nodes/QuickBooksInvoiceUpsert/batchWrite';
import { buildUpdatePayload, invoiceChanges, planInvoice } from '../../package/nodes/QuickBooksInvoiceUpsert/writePlan';
import { isVoidedInvoice } from '../../package/nodes/shared/quickbooksInvoiceLink';
import { QUICKBOOKS_IN_CHUNK, QuickBooksFault } from '../../package/nodes/shared/transport/quickbooks';
import { parsedItem, qboInvoice, type ItemInput } from '../kit';

const US: PayloadCompanySettings = { timeZone: 'UTC', homeCurrency: 'USD', multiCurrency: false, customTxnNumbers: true, allowDiscount: true, country: 'US' };
const options = (overrides: Partial<UpsertOptions> = {}): UpsertOptions => ({ ...DEFAULT_UPSERT_OPTIONS, ...overrides });
const desiredFor = (input: ItemInput = {}) =>
	buildDesiredInvoice(parsedItem({ id: '3010000001', number: 'INV-0001', lines: [{ quantity: 2, unitPrice: 25, amount: 50, itemId: '1', taxCodeId: 'TAX', name: 'Product 1' }], ...input }), US, options());
const ours = (invoice: Record<string, any>): ExistingMatch => ({ invoice, matchedBy: 'link', linkState: 'ours', linkedTo: ['3010000001'] });

describe('find existing: queries and matching', () => {
	it('asks for written-back ids and DocNumbers in IN chunks of the transport\'s size', () => {
		const keys = Array.from({ length: 150 }, (_unused, index) => ({ hubspotId: String(index), docNumber: `INV-${index}`, quickbooksInvoiceId: index < 3 ? String(900 + index) : null }));
		const queries = lookupQueries(keys);
		expect(queries).toHaveLength(3);
		expect(queries[0]).toEqual([{ field: 'Id', op: 'IN', value: ['900', '901', '902'] }]);
		expect((queries[1][0].value as string[]).length).toBe(QUICKBOOKS_IN_CHUNK);
		expect((queries[2][0].value as string[]).length).toBe(150 - QUICKBOOKS_IN_CHUNK);
	});

	it('prefers the written-back id, then our PrivateNote link, then the exact DocNumber, then case-insensitive', () => {
		const handMade = qboInvoice({ Id: '101', DocNumber: 'INV-0001', PrivateNote: 'Entered manually' });
		const linked = qboInvoice({ Id: '102', DocNumber: 'OLD-NUMBER', PrivateNote: 'HubSpot invoice 3010000001' });
		const byId = qboInvoice({ Id: '103', DocNumber: 'X', PrivateNote: '' });
		const key = { hubspotId: '3010000001', docNumber: 'INV-0001', quickbooksInvoiceId: '103' };
		expect(matchExisting(key, indexCandidates([handMade, linked, byId]))).toMatchObject({ invoice: { Id: '103' }, matchedBy: 'link', linkState: 'ours' });
		expect(matchExisting({ ...key, quickbooksInvoiceId: '999' }, indexCandidates([handMade, linked]))).toMatchObject({ invoice: { Id: '102' }, matchedBy: 'link' });
		expect(matchExisting({ ...key, quickbooksInvoiceId: null }, indexCandidates([handMade]))).toMatchObject({ invoice: { Id: '101' }, matchedBy: 'docNumber', linkState: 'none' });
		const lower = qboInvoice({ Id: '104', DocNumber: 'inv-0001', PrivateNote: 'HubSpot invoice 777' });
		expect(matchExisting({ ...key, quickbooksInvoiceId: null }, indexCandidates([lower]))).toMatchObject({ invoice: { Id: '104' }, linkState: 'other', linkedTo: ['777'] });
		expect(matchExisting({ ...key, quickbooksInvoiceId: null }, indexCandidates([qboInvoice({ DocNumber: 'INV-00010', PrivateNote: '' })]))).toBeUndefined();
	});

	it('among several candidates picks the linked one with our DocNumber, else a hand-made one over one linked elsewhere', () => {
		const key = { hubspotId: '3010000001', docNumber: 'INV-0001', quickbooksInvoiceId: null };
		const ourOld = qboInvoice({ Id: '201', DocNumber: 'OLD', PrivateNote: 'HubSpot invoice 3010000001' });
		const ourSame = qboInvoice({ Id: '202', DocNumber: 'inv-0001', PrivateNote: 'Note\nHubSpot invoice 3010000001' });
		expect(matchExisting(key, indexCandidates([ourOld, ourSame]))).toMatchObject({ invoice: { Id: '202' }, matchedBy: 'link', linkedTo: ['3010000001'] });
		const elsewhere = qboInvoice({ Id: '203', DocNumber: 'INV-0001', PrivateNote: 'HubSpot invoice 555' });
		const handMade = qboInvoice({ Id: '204', DocNumber: 'INV-0001', PrivateNote: 'typed in' });
		expect(matchExisting(key, indexCandidates([elsewhere, handMade]))).toMatchObject({ invoice: { Id: '204' }, linkState: 'none' });
		expect(matchExisting(key, indexCandidates([elsewhere]))).toMatchObject({ invoice: { Id: '203' }, linkState: 'other', linkedTo: ['555'] });
		// An exact DocNumber wins over a case-insensitive one even when the exact one is linked elsewhere.
		expect(matchExisting(key, indexCandidates([qboInvoice({ Id: '205', DocNumber: 'inv-0001', PrivateNote: '' }), elsewhere]))).toMatchObject({ invoice: { Id: '203' } });
	});
});

describe('write plan', () => {
	it('creates when nothing exists; skips a voided invoice that never reached QuickBooks', () => {
		expect(planInvoice(desiredFor(), undefined, options()).kind).toBe('create');
		expect(planInvoice(desiredFor({ status: 'voided' }), undefined, options())).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/never synced/) });
	});

	it('is unchanged when every synced field already matches', () => {
		expect(invoiceChanges(desiredFor(), qboInvoice())).toEqual([]);
		expect(planInvoice(desiredFor(), ours(qboInvoice()), options()).kind).toBe('unchanged');
	});

	it.each([
		['CustomerRef', { CustomerRef: { value: '2' } }],
		['DocNumber', { DocNumber: 'INV-0002' }],
		['TxnDate', { TxnDate: '2026-07-11' }],
		['DueDate', { DueDate: '2026-08-10' }],
		['TxnTaxCodeRef', { TxnTaxDetail: { TxnTaxCodeRef: { value: '4' } } }],
		['PrivateNote', { PrivateNote: 'Entered manually' }],
	])('notices a different %s', (field, overrides) => {
		expect(invoiceChanges(desiredFor(), qboInvoice(overrides))).toEqual([field]);
	});

	it.each([
		['item', { ItemRef: { value: '2' } }],
		['quantity', { Qty: 3 }],
		['unit price', { UnitPrice: 24.5 }],
		['tax code', { TaxCodeRef: { value: 'NON' } }],
	])('notices a line with a different %s', (_what, detail) => {
		const existing = qboInvoice();
		existing.Line[0].SalesItemLineDetail = { ...existing.Line[0].SalesItemLineDetail, ...detail };
		expect(invoiceChanges(desiredFor(), existing)).toEqual(['Line']);
	});

	it('notices a different amount, description, extra line or discount line', () => {
		const amount = qboInvoice();
		amount.Line[0].Amount = 49.99;
		expect(invoiceChanges(desiredFor(), amount)).toEqual(['Line']);
		const description = qboInvoice();
		description.Line[0].Description = 'Something else';
		expect(invoiceChanges(desiredFor(), description)).toEqual(['Line']);
		const extra = qboInvoice();
		extra.Line.unshift({ ...extra.Line[0], Id: '9' });
		expect(invoiceChanges(desiredFor(), extra)).toEqual(['Line']);
		const discount = qboInvoice();
		discount.Line.splice(1, 0, { DetailType: 'DiscountLineDetail', Amount: 5, DiscountLineDetail: {} });
		expect(invoiceChanges(desiredFor(), discount)).toEqual(['Line']);
	});

	it('ignores line-break encoding and surrounding spaces in notes and descriptions', () => {
		const existing = qboInvoice({ PrivateNote: 'HubSpot invoice 3010000001\r\nEntered manually ' });
		existing.Line[0].Description = 'Product 1\r\n';
		expect(invoiceChanges(desiredFor(), existing)).toEqual([]);
	});

	it('compares numbers as decimals ("2" equals 2.0) and tax codes without case', () => {
		const existing = qboInvoice();
		existing.Line[0].SalesItemLineDetail = { ItemRef: { value: '1' }, Qty: '2.0', UnitPrice: '25.000', TaxCodeRef: { value: 'tax' } };
		existing.Line[0].Amount = '50.00';
		expect(invoiceChanges(desiredFor(), existing)).toEqual([]);
	});

	it('updates sparsely with Id, current SyncToken, all lines (keeping line Ids for the same item) and the merged note', () => {
		const existing = qboInvoice({ SyncToken: '4', PrivateNote: 'Entered manually' });
		existing.Line[0].SalesItemLineDetail.Qty = 1;
		const desired = desiredFor({ lines: [{ quantity: 2, unitPrice: 25, amount: 50, itemId: '1', name: 'Product 1' }, { quantity: 1, unitPrice: 5, amount: 5, itemId: '7', name: 'Cable' }] });
		const step = planInvoice(desired, ours(existing), options());
		expect(step).toMatchObject({ kind: 'update', changes: ['PrivateNote', 'Line'] });
		const payload = buildUpdatePayload(desired, existing);
		expect(payload).toMatchObject({ Id: '201', SyncToken: '4', sparse: true, DocNumber: 'INV-0001', PrivateNote: 'HubSpot invoice 3010000001\nEntered manually' });
		expect(payload.Line.map((line) => line.Id)).toEqual(['1', undefined]);
		expect(payload.Line).toHaveLength(2);
	});

	it('does not reuse a line Id for a different item', () => {
		const existing = qboInvoice();
		existing.Line[0].SalesItemLineDetail.ItemRef = { value: '9' };
		expect(buildUpdatePayload(desiredFor(), existing).Line[0].Id).toBeUndefined();
	});

	describe('"When It Already Exists" for an invoice this sync did not create', () => {
		const handMade = (): ExistingMatch => ({ invoice: qboInvoice({ Id: '101', PrivateNote: 'Entered manually', Line: [] }), matchedBy: 'docNumber', linkState: 'none', linkedTo: [] });
		it('update (default): updates it and adds the link', () => {
			const step = planInvoice(desiredFor(), handMade(), options());
			expect(step).toMatchObject({ kind: 'update', payload: { Id: '101', PrivateNote: 'HubSpot invoice 3010000001\nEntered manually' } });
		});
		it('skip: leaves it alone', () => {
			expect(planInvoice(desiredFor(), handMade(), options({ whenExists: 'skip' }))).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/not created by this sync/) });
		});
		it('error: DUPLICATE_INVOICE with its hint (check it, delete it to re-sync)', () => {
			const step = planInvoice(desiredFor(), handMade(), options({ whenExists: 'error' }));
			expect(step.kind).toBe('error');
			const error = (step as { error: any }).error;
			expect(error.code).toBe('DUPLICATE_INVOICE');
			expect(error.message).toBe('Invoice INV-0001 already exists in QuickBooks (invoice id 101)');
			expect(error.hint).toMatch(/delete the QuickBooks invoice first/);
		});
		it('never takes over an invoice linked to another HubSpot invoice', () => {
			const other: ExistingMatch = { invoice: qboInvoice({ PrivateNote: 'HubSpot invoice 42' }), matchedBy: 'docNumber', linkState: 'other', linkedTo: ['42'] };
			expect(planInvoice(desiredFor(), other, options())).toMatchObject({ kind: 'error', error: { code: 'DUPLICATE_INVOICE' } });
			expect(planInvoice(desiredFor(), other, options({ whenExists: 'skip' })).kind).toBe('skipped');
		});
	});

	describe('void', () => {
		it('voids the linked invoice with Id and SyncToken when HubSpot voided it', () => {
			expect(planInvoice(desiredFor({ status: 'voided' }), ours(qboInvoice({ SyncToken: '3' })), options())).toMatchObject({ kind: 'void', payload: { Id: '201', SyncToken: '3' } });
		});
		it('skips voiding when "Sync Void Status" is off', () => {
			expect(planInvoice(desiredFor({ status: 'voided' }), ours(qboInvoice()), options({ syncVoidStatus: false })).kind).toBe('skipped');
		});
		it('an invoice already voided in QuickBooks is unchanged; one HubSpot has not voided is reported', () => {
			const voided = qboInvoice({ PrivateNote: 'Voided\nHubSpot invoice 3010000001', TotalAmt: 0, Balance: 0 });
			expect(isVoidedInvoice(voided)).toBe(true);
			expect(isVoidedInvoice(qboInvoice({ TotalAmt: 0 }))).toBe(false);
			expect(planInvoice(desiredFor({ status: 'voided' }), ours(voided), options()).kind).toBe('unchanged');
			const unlinkedVoided: ExistingMatch = { invoice: qboInvoice({ PrivateNote: 'Voided', TotalAmt: 0 }), matchedBy: 'docNumber', linkState: 'none', linkedTo: [] };
			expect(planInvoice(desiredFor({ status: 'voided' }), unlinkedVoided, options({ whenExists: 'error' })).kind).toBe('unchanged');
			expect(planInvoice(desiredFor(), ours(voided), options())).toMatchObject({ kind: 'error', error: { code: 'DUPLICATE_INVOICE', details: { reason: 'voided in QuickBooks but not in HubSpot' } } });
		});
	});
});

describe('write plan: invoice-level discounts and fees', () => {
	const withDiscount = (percentage: number) =>
		buildDesiredInvoice(
			parsedItem({
				id: '3010000001',
				number: 'INV-0001',
				lines: [{ quantity: 2, unitPrice: 25, amount: 50, itemId: '1', taxCodeId: 'TAX', name: 'Product 1' }],
				adjustments: [
					{ kind: 'discount', name: 'Promo', percentage },
					{ kind: 'fee', name: 'Handling', amount: 5 },
				],
			}),
			US,
			options({ feeItemId: '99' }),
		);
	/** What QuickBooks answers for the invoice the payload created: the discount after its subtotal line. */
	const asQuickBooksHoldsIt = (desired: ReturnType<typeof withDiscount>) => {
		const [item, fee, discount] = desired.payload.Line;
		return qboInvoice({
			ApplyTaxAfterDiscount: true,
			Line: [
				{ Id: '1', LineNum: 1, ...item },
				{ Id: '2', LineNum: 2, ...fee },
				{ Amount: 55, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
				{ Id: '3', LineNum: 3, ...discount },
			],
		});
	};

	it('is unchanged when QuickBooks holds the same fee and discount lines, wherever it puts the discount', () => {
		const desired = withDiscount(10);
		expect(desired.payload.Line.map((line) => line.DetailType)).toEqual(['SalesItemLineDetail', 'SalesItemLineDetail', 'DiscountLineDetail']);
		expect(invoiceChanges(desired, asQuickBooksHoldsIt(desired))).toEqual([]);
	});

	it('notices a changed discount, a missing discount and ApplyTaxAfterDiscount turned off', () => {
		const desired = withDiscount(10);
		expect(invoiceChanges(withDiscount(20), asQuickBooksHoldsIt(desired))).toEqual(['Line']);
		const without = asQuickBooksHoldsIt(desired);
		without.Line.pop();
		expect(invoiceChanges(desired, without)).toEqual(['Line']);
		expect(invoiceChanges(desired, { ...asQuickBooksHoldsIt(desired), ApplyTaxAfterDiscount: false })).toEqual(['ApplyTaxAfterDiscount']);
	});

	it('an update sends every line, keeps the Ids of the same items and sends the discount without an Id', () => {
		const payload = buildUpdatePayload(withDiscount(20), asQuickBooksHoldsIt(withDiscount(10)));
		expect(payload.Line.map((line) => [line.DetailType, line.Id])).toEqual([
			['SalesItemLineDetail', '1'],
			['SalesItemLineDetail', '2'],
			['DiscountLineDetail', undefined],
		]);
	});
});

describe('write plan: QuickBooks numbers the invoices (Custom transaction numbers off)', () => {
	const auto = { ...US, customTxnNumbers: false };
	const desired = () => buildDesiredInvoice(parsedItem({ id: '3010000001', number: 'INV-0001', lines: [{ quantity: 2, unitPrice: 25, amount: 50, itemId: '1', taxCodeId: 'TAX', name: 'Product 1' }] }), auto, options());

	it('keeps QuickBooks\' own number: no DocNumber change, none in the update', () => {
		const existing = qboInvoice({ DocNumber: '1038', PrivateNote: 'HubSpot invoice 3010000001\nHubSpot invoice number INV-0001' });
		expect(invoiceChanges(desired(), existing)).toEqual([]);
		existing.Line[0].SalesItemLineDetail.Qty = 1;
		const payload = buildUpdatePayload(desired(), existing);
		expect(payload).not.toHaveProperty('DocNumber');
	});

	it('looks up by written-back id and by the customers\' invoices, never by number', () => {
		const queries = lookupQueries([{ hubspotId: '1', docNumber: '', customerId: '58', quickbooksInvoiceId: '900' }], { byLinkOnly: true });
		expect(queries).toEqual([
			[{ field: 'Id', op: 'IN', value: ['900'] }],
			[{ field: 'CustomerRef', op: 'IN', value: ['58'] }],
		]);
	});

	it('matches only invoices linked to the HubSpot invoice, never one with a number alone', () => {
		const key = { hubspotId: '3010000001', docNumber: '', customerId: '1', quickbooksInvoiceId: null };
		const theirs = qboInvoice({ Id: '300', DocNumber: '', PrivateNote: 'typed in' });
		const linked = qboInvoice({ Id: '301', DocNumber: '1038', PrivateNote: 'HubSpot invoice 3010000001' });
		expect(matchExisting(key, indexCandidates([theirs]))).toBeUndefined();
		expect(matchExisting(key, indexCandidates([theirs, linked]))).toMatchObject({ invoice: { Id: '301' }, matchedBy: 'link' });
	});
});

describe('batch requestid', () => {
	const ops = [
		{ bId: 'w0', operation: 'create' as const, entity: 'Invoice', payload: { DocNumber: 'INV-1' } },
		{ bId: 'w1', operation: 'update' as const, optionsData: 'void', entity: 'Invoice', payload: { Id: '5', SyncToken: '1' } },
	];
	const keyOf = (bId: string) => ({ w0: '301', w1: '302' })[bId] ?? bId;

	it('is 36 characters and the same for the same call, different for different content or execution', () => {
		const id = batchRequestId('exec-1|realm', ops, keyOf);
		expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
		expect(id).toHaveLength(36);
		expect(batchRequestId('exec-1|realm', ops, keyOf)).toBe(id);
		expect(batchRequestId('exec-1|realm', [{ ...ops[0], payload: { DocNumber: 'INV-2' } }, ops[1]], keyOf)).not.toBe(id);
		expect(batchRequestId('exec-1|realm', ops, (bId) => `x${bId}`)).not.toBe(id);
		expect(batchRequestId('exec-2|realm', ops, keyOf)).not.toBe(id);
	});
});

describe('fault context', () => {
	it('names the SKU of the item a fault mentions, or the customer', () => {
		const desired = buildDesiredInvoice(
			parsedItem({ lines: [{ sku: 'PROD-001', itemId: '1' }, { sku: 'PROD-014', itemId: '14' }] }),
			US,
			options(),
		);
		const itemFault = new QuickBooksFault('ValidationFault', [{ code: '610', message: 'Object Not Found', detail: 'Something you\'re trying to use has been made inactive. Item 14', element: 'ItemRef' }]);
		expect(faultContext(desired, itemFault)).toMatchObject({ record: 'invoice', name: 'PROD-014' });
		const vague = new QuickBooksFault('ValidationFault', [{ code: '2500', message: 'Invalid Reference Id', detail: 'Invalid Reference Id', element: 'ItemRef' }]);
		expect(faultContext(desired, vague).name).toBe('PROD-001, PROD-014');
		const customerFault = new QuickBooksFault('ValidationFault', [{ code: '610', message: 'Object Not Found', detail: 'inactive', element: 'CustomerRef' }]);
		expect(faultContext(desired, customerFault)).toMatchObject({ name: 'Acme Corporation', email: 'ap@acme.example' });
	});
});
