import { invoiceContentHash } from '../../package/nodes/shared/contentHash';
import { toQuickBooksDate } from '../../package/nodes/shared/dates';
import { SyncError } from '../../package/nodes/shared/errors';
import { canonicalInvoiceSchema, emittedItemSchema, parseSyncItem, upsertReadyItemSchema, withQuickBooksPart } from '../../package/nodes/shared/invoiceContract';
import { sampleInvoice } from '../kit';


describe('item contract', () => {
	it('accepts the canonical invoice and normalises numbers', () => {
		const item = parseSyncItem({ invoice: sampleInvoice } as never);
		expect(item.invoice.lines[0].quantity).toBe(2);
		expect(item.invoice.lines[0].unitPrice).toBe(9.99);
	});

	it('reports INVALID_INPUT naming the field', () => {
		const broken = { invoice: { ...sampleInvoice, lines: [{ ...sampleInvoice.lines[0], quantity: 'lots' }] } };
		const error = (() => {
			try {
				parseSyncItem(broken as never);
			} catch (caught) {
				return caught as SyncError;
			}
			return undefined;
		})();
		expect(error).toBeInstanceOf(SyncError);
		expect(error?.code).toBe('INVALID_INPUT');
		expect(error?.message).toContain('invoice.lines.0.quantity');
		expect(() => parseSyncItem({ hello: 'world' })).toThrow(/invoice/);
	});

	it('the upsert requires the customer and every line\'s item', () => {
		const item = { invoice: sampleInvoice, quickbooks: { customer: { id: '1', displayName: 'A', created: false }, lines: [{}] } };
		expect(() => parseSyncItem(item as never, upsertReadyItemSchema)).toThrow(/quickbooks.lines.0.itemId/);
		const ready = { ...item, quickbooks: { ...item.quickbooks, lines: [{ itemId: '5' }] } };
		expect(parseSyncItem(ready as never, upsertReadyItemSchema).quickbooks?.lines?.[0].itemId).toBe('5');
	});

	it('each node adds its part without rewriting another\'s', () => {
		const item = parseSyncItem({ invoice: sampleInvoice, quickbooks: { lines: [{ itemId: '5', itemName: 'Widget' }] } } as never);
		const merged = withQuickBooksPart(item, { lines: [{ taxCodeId: 'TAX' }], txnTaxCodeId: '3' });
		expect(merged.quickbooks).toEqual({ lines: [{ itemId: '5', itemName: 'Widget', taxCodeId: 'TAX' }], txnTaxCodeId: '3' });
	});

	it('rejects a key the contract does not declare under quickbooks, naming it (a misspelt itemId)', () => {
		const item = { invoice: sampleInvoice, quickbooks: { lines: [{ itemID: '5' }] } };
		expect(() => parseSyncItem(item as never)).toThrow(/quickbooks.lines.0: Unrecognized key: "itemID"/);
		expect(() => parseSyncItem({ invoice: sampleInvoice, quickbooks: { invoice: { id: '1', action: 'created', memo: 'x' } } } as never)).toThrow(/quickbooks.invoice/);
		expect(() => parseSyncItem({ invoice: sampleInvoice, quickbooks: { extra: true } } as never)).toThrow(/quickbooks: Unrecognized key: "extra"/);
	});

	it('keeps top-level fields a node in between added (a Set node\'s), through every node', () => {
		const item = parseSyncItem({ invoice: sampleInvoice, approvedBy: 'Dana', hubspotProperties: { amount: 12.5 } } as never);
		expect(withQuickBooksPart(item, { txnTaxCodeId: '3' })).toMatchObject({ approvedBy: 'Dana', hubspotProperties: { amount: 12.5 } });
	});

	it('what our nodes emit has only declared top-level keys', () => {
		const invoice = canonicalInvoiceSchema.parse(sampleInvoice);
		expect(emittedItemSchema.safeParse({ invoice, quickbooks: { txnTaxCodeId: null } }).success).toBe(true);
		expect(emittedItemSchema.safeParse({ invoice, summary: {} }).success).toBe(false);
	});

	it('content hash changes with synced fields only', () => {
		const invoice = canonicalInvoiceSchema.parse(sampleInvoice);
		const hash = invoiceContentHash(invoice);
		expect(hash).toMatch(/^[0-9a-f]{32}$/);
		expect(invoiceContentHash({ ...invoice, source: { ...invoice.source, lastModifiedAt: 'later' } } as never)).toBe(hash);
		expect(invoiceContentHash({ ...invoice, lines: [{ ...invoice.lines[0], quantity: 3 }] })).not.toBe(hash);
	});
});

describe('QuickBooks dates', () => {
	it('keeps the calendar day of HubSpot date-only values (midnight UTC) in any time zone', () => {
		expect(toQuickBooksDate('2026-10-01T00:00:00.000Z', 'America/Los_Angeles')).toBe('2026-10-01');
		expect(toQuickBooksDate('1790812800000', 'America/Los_Angeles')).toBe('2026-10-01');
		expect(toQuickBooksDate('2026-10-01', 'Pacific/Auckland')).toBe('2026-10-01');
		expect(toQuickBooksDate('2026-10-01T00:00Z', 'America/New_York')).toBe('2026-10-01');
		expect(toQuickBooksDate('2026-10-01T00:00:00+00:00', 'America/New_York')).toBe('2026-10-01');
		expect(toQuickBooksDate('2028-02-29T00:00:00.000Z')).toBe('2028-02-29');
		expect(toQuickBooksDate('2000-02-29')).toBe('2000-02-29');
	});

	it('treats midnight in another offset as an instant, not a calendar day', () => {
		expect(toQuickBooksDate('2026-10-01T00:00:00+02:00', 'UTC')).toBe('2026-09-30');
	});

	it('converts real instants into the company\'s time zone', () => {
		expect(toQuickBooksDate('2026-10-01T03:30:00.000Z', 'America/New_York')).toBe('2026-09-30');
		expect(toQuickBooksDate('2026-10-01T13:30:00.000Z', 'Pacific/Auckland')).toBe('2026-10-02');
	});

	it('returns null for values that are not dates', () => {
		for (const bad of ['', null, undefined, 'soon', '2026-13-45', '2026-02-30', '2027-02-29T00:00:00.000Z', '1900-02-29', '2026-04-31']) expect(toQuickBooksDate(bad as never)).toBeNull();
	});
});

describe('validated invoices flowing between nodes', () => {
	it('keeps the incoming invoice object when it needs no normalising, and a normalised copy when it does', () => {
		const normalised = JSON.stringify(parseSyncItem({ invoice: sampleInvoice } as never).invoice);
		const incoming = JSON.parse(normalised);
		expect(parseSyncItem({ invoice: incoming } as never).invoice).toBe(incoming);
		const withTextQuantity = JSON.parse(normalised);
		withTextQuantity.lines[0].quantity = '2';
		const parsed = parseSyncItem({ invoice: withTextQuantity } as never).invoice;
		expect(parsed).not.toBe(withTextQuantity);
		expect(parsed.lines[0].quantity).toBe(2);
		expect(withTextQuantity.lines[0].quantity).toBe('2');
		// The same for the quickbooks part, on first sight and once the invoice is known.
		const part = { customer: { id: '7', displayName: 'Acme', created: false }, lines: [{ itemId: '1', itemName: 'Widget', matchedBy: 'sku' }] };
		expect(parseSyncItem({ invoice: incoming, quickbooks: part } as never).quickbooks).toBe(part);
		expect(parseSyncItem({ invoice: JSON.parse(normalised), quickbooks: part } as never).quickbooks).toBe(part);
	});

	it('checks an already-validated invoice object only for the quickbooks part, and any other object in full', () => {
		const first = parseSyncItem({ invoice: sampleInvoice } as never);
		// The same (validated) object again: the quickbooks part is still checked.
		expect(() => parseSyncItem({ invoice: first.invoice, quickbooks: { customer: { id: '', displayName: 'x', created: false } } } as never)).toThrow(
			/quickbooks.customer.id/,
		);
		expect(parseSyncItem({ invoice: first.invoice } as never).invoice).toBe(first.invoice);
		// A new object with a broken field is validated in full.
		expect(() => parseSyncItem({ invoice: { ...first.invoice, currency: 'DOLLARS' } } as never)).toThrow(/invoice.currency/);
		expect(() => parseSyncItem({ invoice: { ...first.invoice }, quickbooks: { customer: { id: '1', displayName: 'A', created: false }, lines: [{}] } } as never, upsertReadyItemSchema)).toThrow(
			/quickbooks.lines.0.itemId/,
		);
	});
});
