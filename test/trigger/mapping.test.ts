import { invoiceContentHash } from '../../nodes/shared/contentHash';
import { canonicalInvoiceSchema } from '../../nodes/shared/invoiceContract';
import type { HubSpotObject } from '../../nodes/shared/transport/hubspot';
import {
	compareIds,
	invoiceUrl,
	isCreatedByIntegration,
	mapInvoice,
	sortLineItems,
	toEpochMs,
	type InvoiceRecords,
} from '../../nodes/HubSpotInvoiceTrigger/mapping';

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

	it('treats any Invoice Source other than HubSpot (any case) as an integration', () => {
		expect(isCreatedByIntegration(object('1', { hs_invoice_source: 'data_sync' }))).toBe(true);
		expect(isCreatedByIntegration(object('1', { hs_invoice_source: 'QuickBooks Sync' }))).toBe(true);
		expect(isCreatedByIntegration(object('1', { hs_invoice_source: 'HUBSPOT' }))).toBe(false);
		expect(isCreatedByIntegration(object('1', { hs_invoice_source: null }))).toBe(false);
		expect(isCreatedByIntegration(object('1', { hs_invoice_source: '  ' }))).toBe(false);
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
		const mapped = mapInvoice(records(), { portalId: '42' });
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
