import { invoiceContentHash } from '../../package/nodes/shared/contentHash';
import { canonicalInvoiceSchema } from '../../package/nodes/shared/invoiceContract';
import type { HubSpotObject } from '../../package/nodes/shared/transport/hubspot';
import {
	DEFAULT_INTEGRATION_SOURCES,
	billingContactId,
	compareIds,
	integrationSourceOf,
	invoiceUrl,
	mapInvoice,
	sortLineItems,
	toEpochMs,
	type InvoiceRecords,
} from '../../package/nodes/HubSpotInvoiceTrigger/mapping';

const object = (id: string, properties: Record<string, string | null>): HubSpotObject => ({ id, properties });

function records(overrides: Partial<InvoiceRecords> = {}): InvoiceRecords {
	return {
		invoice: object('9001', {
			hs_number: 'INV-9001',
			hs_invoice_status: 'Paid',
			hs_currency: 'eur',
			hs_invoice_date: '2026-03-01T00:00:00.000Z',
			hs_due_date: null,
			hs_invoice_source: 'hubspot',
			hs_lastmodifieddate: '2026-05-01T10:00:00.000Z',
			qbo_invoice_id: null,
			qbo_sync_hash: 'abc',
		}),
		contactIds: ['31', '30'],
		companyIds: [],
		lineItemIds: ['2', '1'],
		contacts: new Map([
			['30', object('30', { email: ' ap@acme.example ', firstname: 'Wile', lastname: 'Coyote', company: 'ACME (contact)', address: null, city: 'Tucson', state: 'AZ', zip: null, country: null })],
			['31', object('31', { email: 'other@acme.example' })],
		]),
		companies: new Map(),
		lineItems: new Map([
			['1', object('1', { name: 'Anvil', hs_sku: 'PROD-001', quantity: '2.5', price: '100.10', amount: '250.25', discount: null, hs_discount_percentage: '10', hs_tax_rate_group_id: null, hs_tax_label: null })],
			['2', object('2', { name: 'Rocket', hs_sku: 'PROD-002', quantity: '1', price: '5', amount: '5' })],
		]),
		...overrides,
	};
}

describe('helpers', () => {
	it('compares numeric ids as numbers of any length', () => {
		expect(['10', '9', '100', '2'].sort(compareIds)).toEqual(['2', '9', '10', '100']);
		expect(compareIds('99999999999999999999', '100000000000000000000')).toBeLessThan(0);
	});

	it('reads HubSpot datetimes given as ISO text or epoch milliseconds', () => {
		expect(toEpochMs('2026-05-01T10:00:00.000Z')).toBe(Date.parse('2026-05-01T10:00:00.000Z'));
		expect(toEpochMs('1777629600000')).toBe(1777629600000);
		expect(toEpochMs(null)).toBeNaN();
	});

	it('treats only the listed Invoice Sources as integrations, compared loosely; unknown sources are synced', () => {
		const source = (value: string | null) => integrationSourceOf(object('1', { hs_invoice_source: value }), DEFAULT_INTEGRATION_SOURCES);
		expect(source('data_sync')).toBe('data_sync');
		expect(source('DATA-SYNC')).toBe('DATA-SYNC');
		expect(source('Legacy QuickBooks integration')).toBe('Legacy QuickBooks integration');
		expect(source('legacy_quickbooks_integration')).toBe('legacy_quickbooks_integration');
		// A value nobody documented (what HubSpot itself writes, an API client's own value) is not skipped.
		expect(source('INVOICES')).toBeNull();
		expect(source('API')).toBeNull();
		expect(source('hubspot')).toBeNull();
		expect(source(null)).toBeNull();
		expect(source('  ')).toBeNull();
		expect(integrationSourceOf(object('1', { hs_invoice_source: 'stripe' }), ['Stripe', 'Data Sync'])).toBe('stripe');
		expect(integrationSourceOf(object('1', { hs_invoice_source: 'data_sync' }), [])).toBeNull();
	});

	it('chooses the billing contact by association label, else the lowest contact id', () => {
		expect(billingContactId({ contactIds: ['31', '30'] })).toBe('30');
		expect(billingContactId({ contactIds: ['30', '31', '32'], contactLabels: new Map([['32', ['Billing contact']]]) })).toBe('32');
		expect(billingContactId({ contactIds: ['30', '31'], contactLabels: new Map([['31', ['BILL TO']]]) })).toBe('31');
		expect(billingContactId({ contactIds: ['30', '31'], contactLabels: new Map([['31', ['Decision maker']]]) })).toBe('30');
		expect(billingContactId({ contactIds: ['30', '31'], contactLabels: new Map([['31', ['Accounts payable']]]) }, ['Accounts Payable'])).toBe('31');
	});

	it('orders lines by position on the quote, then lines without a position by id', () => {
		const sorted = sortLineItems([
			object('30', {}),
			object('10', { hs_position_on_quote: '1' }),
			object('20', { hs_position_on_quote: '0' }),
			object('4', {}),
		]);
		expect(sorted.map((line) => line.id)).toEqual(['20', '10', '4', '30']);
	});

	it('links to the invoice record in the portal', () => {
		expect(invoiceUrl({ portalId: '42', uiDomain: 'app-eu1.hubspot.com' }, '7')).toBe('https://app-eu1.hubspot.com/contacts/42/record/0-53/7');
		expect(invoiceUrl(null, '7')).toBeNull();
	});
});

describe('mapInvoice', () => {
	it('maps a complete invoice: first contact by id, lines by id without positions, decimals parsed, hash set', () => {
		const mapped = mapInvoice(records(), { portal: { portalId: '42' } });
		expect(mapped.error).toBeUndefined();
		expect(mapped.valid).toBe(true);
		const invoice = mapped.invoice as any;
		expect(invoice).toMatchObject({
			number: 'INV-9001',
			status: 'paid',
			currency: 'EUR',
			dueDate: null,
			source: { id: '9001', syncedHash: 'abc', url: 'https://app.hubspot.com/contacts/42/record/0-53/9001' },
			customer: { email: 'ap@acme.example', companyName: 'ACME (contact)', hubspotContactId: '30', address: { city: 'Tucson', state: 'AZ', line1: null } },
		});
		expect(invoice.lines.map((line: any) => line.sku)).toEqual(['PROD-001', 'PROD-002']);
		expect(invoice.lines[0]).toMatchObject({ quantity: 2.5, unitPrice: 100.1, amount: 250.25, discount: { amount: null, percentage: 10 } });
		expect(invoice.lines[1].discount).toBeNull();
	});

	it("hashes exactly what the upsert will hash after the item travelled as JSON", () => {
		const mapped = mapInvoice(records());
		const downstream = canonicalInvoiceSchema.parse(JSON.parse(JSON.stringify(mapped.invoice)));
		expect(invoiceContentHash(downstream)).toBe((mapped.invoice as any).contentHash);
	});

	it('the hash changes with content, not with HubSpot bookkeeping', () => {
		const base = (mapInvoice(records()).invoice as any).contentHash;
		const bumped = records();
		bumped.invoice.properties.hs_lastmodifieddate = '2026-06-01T00:00:00.000Z';
		bumped.invoice.properties.qbo_sync_hash = base;
		expect((mapInvoice(bumped).invoice as any).contentHash).toBe(base);
		const edited = records();
		edited.lineItems.get('2')!.properties.quantity = '2';
		expect((mapInvoice(edited).invoice as any).contentHash).not.toBe(base);
	});

	it('an invoice without readable currency or status is INVOICE_INCOMPLETE with what could be read', () => {
		const broken = records();
		broken.invoice.properties.hs_currency = null;
		const mapped = mapInvoice(broken);
		expect(mapped.valid).toBe(false);
		expect(mapped.error).toMatchObject({ code: 'INVOICE_INCOMPLETE', message: expect.stringContaining('currency') });
		expect(mapped.invoice).toMatchObject({ number: 'INV-9001', currency: null });
	});

	it('a line item without a price is INVOICE_INCOMPLETE and names the line', () => {
		const broken = records();
		broken.lineItems.get('1')!.properties.price = null;
		const mapped = mapInvoice(broken);
		expect(mapped.error?.message).toMatch(/line item 1 \(SKU PROD-001\) price/);
	});

	it('a company associated but unreadable is INVOICE_INCOMPLETE; the contact company name stands in', () => {
		const mapped = mapInvoice(records({ companyIds: ['77'] }));
		expect(mapped.error).toMatchObject({ code: 'INVOICE_INCOMPLETE', details: { missingCompanyId: '77' } });
		expect((mapped.invoice as any).customer.companyName).toBe('ACME (contact)');
		expect((mapped.invoice as any).contentHash).toBeNull();
	});
});

describe('dates: the calendar day the HubSpot user sees', () => {
	const LA = { portal: { portalId: '42', timeZone: 'America/Los_Angeles' } };
	const AUCKLAND = { portal: { portalId: '42', timeZone: 'Pacific/Auckland' } };
	const datesOf = (issue: string | null, due: string | null, context: Parameters<typeof mapInvoice>[1], timeZone: string | null = null) => {
		const input = records();
		Object.assign(input.invoice.properties, { hs_invoice_date: issue, hs_due_date: due, hs_timezone: timeZone });
		const mapped = mapInvoice(input, context);
		return { issueDate: (mapped.invoice as any).issueDate, dueDate: (mapped.invoice as any).dueDate, error: mapped.error };
	};

	it('a date stored at midnight UTC (how HubSpot stores date properties) is that day in every zone', () => {
		expect(datesOf('2026-03-01T00:00:00.000Z', '2026-03-31T00:00:00Z', LA)).toEqual({ issueDate: '2026-03-01', dueDate: '2026-03-31', error: undefined });
		expect(datesOf('2026-03-01T00:00:00.000Z', '1774915200000', AUCKLAND)).toEqual({ issueDate: '2026-03-01', dueDate: '2026-03-31', error: undefined });
		expect(datesOf('2026-03-01', null, {})).toEqual({ issueDate: '2026-03-01', dueDate: null, error: undefined });
	});

	it('Los Angeles: the end of the chosen day is the next day in UTC, and stays the chosen day', () => {
		// 1 March 23:59:59.999 in Los Angeles (PST, UTC−8)
		expect(datesOf('2026-03-02T07:59:59.999Z', '2026-04-01T06:59:59.999Z', LA)).toMatchObject({ issueDate: '2026-03-01', dueDate: '2026-03-31' });
		// and the first minute of 2 March there is still 2 March
		expect(datesOf('2026-03-02T08:00:00.000Z', null, LA)).toMatchObject({ issueDate: '2026-03-02' });
	});

	it('Auckland: the start of the chosen day is the previous day in UTC, and stays the chosen day', () => {
		// 1 March 00:00 in Auckland (NZDT, UTC+13), and 31 March 23:59:59.999 there
		expect(datesOf('2026-02-28T11:00:00.000Z', '2026-03-31T10:59:59.999Z', AUCKLAND)).toMatchObject({ issueDate: '2026-03-01', dueDate: '2026-03-31' });
		expect(datesOf('2026-02-28T10:59:59.999Z', null, AUCKLAND)).toMatchObject({ issueDate: '2026-02-28' });
	});

	it("the invoice's own time zone (hs_timezone) wins over the account's, in IANA or HubSpot's enumeration form", () => {
		expect(datesOf('2026-02-28T11:00:00.000Z', null, LA, 'Pacific/Auckland')).toMatchObject({ issueDate: '2026-03-01' });
		expect(datesOf('2026-03-02T07:59:59.999Z', null, AUCKLAND, 'america_slash_los_angeles')).toMatchObject({ issueDate: '2026-03-01' });
		// an hs_timezone nobody knows falls back to the account's
		expect(datesOf('2026-03-02T07:59:59.999Z', null, LA, 'Mars/Olympus_Mons')).toMatchObject({ issueDate: '2026-03-01' });
	});

	it('a time of day with no time zone to read it in is INVOICE_INCOMPLETE; plain days need none', () => {
		const unknown = datesOf('2026-03-02T07:59:59.999Z', null, {});
		expect(unknown.error).toMatchObject({ code: 'INVOICE_INCOMPLETE', message: expect.stringContaining('time zone') });
		expect(datesOf('2026-03-02T00:00:00.000Z', null, { portal: null }).error).toBeUndefined();
	});

	it('an unreadable date is passed on as it is, for the checks before any write to report', () => {
		expect(datesOf('next tuesday', null, LA)).toMatchObject({ issueDate: 'next tuesday', error: undefined });
	});
});

describe('invoice-level totals, discounts and fees', () => {
	const withAdjustments = () =>
		records({
			invoice: object('9001', {
				...records().invoice.properties,
				hs_subtotal: '255.25',
				hs_discounts_total: '52.55',
				hs_fees_total: '25',
				hs_taxes_total: '0',
				hs_amount_billed: '252.72',
			}),
			discountIds: ['501', '502'],
			feeIds: ['601'],
			discounts: new Map([
				['501', object('501', { hs_label: 'Loyalty', hs_type: 'PERCENT', hs_value: '10', hs_sort_order: '2' })],
				['502', object('502', { hs_label: 'Voucher', hs_type: 'FIXED', hs_value: '2.00', hs_sort_order: '1' })],
			]),
			fees: new Map([['601', object('601', { hs_label: 'Shipping', hs_type: 'fixed', hs_value: '25' })]]),
		});

	it('carries HubSpot totals and the discounts (in their sort order), then fees', () => {
		const mapped = mapInvoice(withAdjustments());
		expect(mapped.error).toBeUndefined();
		const invoice = mapped.invoice as any;
		expect(invoice.totals).toEqual({ subtotal: 255.25, discountTotal: 52.55, feeTotal: 25, taxTotal: 0, total: 252.72 });
		expect(invoice.adjustments).toEqual([
			{ kind: 'discount', hubspotId: '502', name: 'Voucher', amount: 2, percentage: null },
			{ kind: 'discount', hubspotId: '501', name: 'Loyalty', amount: null, percentage: 10 },
			{ kind: 'fee', hubspotId: '601', name: 'Shipping', amount: 25, percentage: null },
		]);
		expect(canonicalInvoiceSchema.safeParse(JSON.parse(JSON.stringify(invoice))).success).toBe(true);
	});

	it('an invoice without them has totals null (no figures) and no adjustments', () => {
		const invoice = mapInvoice(records()).invoice as any;
		expect(invoice.totals).toBeNull();
		expect(invoice.adjustments).toEqual([]);
	});

	it('a discount or fee that cannot be read, or has an unknown type, is INVOICE_INCOMPLETE', () => {
		const deleted = withAdjustments();
		deleted.discounts!.delete('501');
		expect(mapInvoice(deleted).error).toMatchObject({ code: 'INVOICE_INCOMPLETE', message: expect.stringContaining('discount 501 could not be read') });
		const odd = withAdjustments();
		odd.fees!.get('601')!.properties.hs_type = 'TIERED';
		expect(mapInvoice(odd).error?.message).toContain('fee 601 has type "TIERED"');
		const bad = withAdjustments();
		bad.invoice.properties.hs_subtotal = 'n/a';
		expect(mapInvoice(bad).error?.message).toContain('hs_subtotal is invalid');
	});

	it('a changed discount or fee changes the hash (the loop guard must not take it for the write-back)', () => {
		const base = (mapInvoice(withAdjustments()).invoice as any).contentHash;
		const edited = withAdjustments();
		edited.discounts!.get('501')!.properties.hs_value = '15';
		expect((mapInvoice(edited).invoice as any).contentHash).not.toBe(base);
		const removed = withAdjustments();
		removed.feeIds = [];
		expect((mapInvoice(removed).invoice as any).contentHash).not.toBe(base);
		// an invoice without any keeps the hash it had before adjustments existed
		const plain = mapInvoice(records()).invoice as any;
		expect(invoiceContentHash({ ...plain, adjustments: undefined })).toBe(plain.contentHash);
	});
});
