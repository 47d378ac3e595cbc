/** The QuickBooks invoice as the canonical invoice, and payments as payment items: plain functions. */
import { canonicalInvoiceSchema } from '../../package/nodes/shared/invoiceContract';
import { hubSpotLinkOf, invoiceStatusOf, mapQuickBooksInvoice, type InvoiceReferences, type QuickBooksRecord } from '../../package/nodes/QuickBooksTrigger/invoiceMapping';
import { creditMemoOf, invoiceIdsOf, paymentsOf } from '../../package/nodes/QuickBooksTrigger/paymentMapping';
import { customer, invoice, item, payment } from './helpers';

const T = Date.parse('2026-03-01T10:00:00Z');

function references(overrides: Partial<InvoiceReferences> = {}): InvoiceReferences {
	return {
		customers: new Map([['11', customer('11', ' Ada@Example.com ') as QuickBooksRecord]]),
		items: new Map([['21', item('21', 'SKU-21') as QuickBooksRecord], ['22', item('22', undefined) as QuickBooksRecord]]),
		homeCurrency: 'CAD',
		invoiceUrl: (id) => `https://app.example/invoice?txnId=${id}`,
		...overrides,
	};
}

describe('mapQuickBooksInvoice', () => {
	it('reads a bundle’s lines in place of the bundle, a discount line as an adjustment, and the subtotal, tax and total exactly', () => {
		const record = invoice('101', T, T) as QuickBooksRecord;
		record.Line = [
			{ Amount: 0.3, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '21' }, Qty: 3, UnitPrice: 0.1, TaxCodeRef: { value: 'TAX' } } },
			{
				DetailType: 'GroupLineDetail',
				GroupLineDetail: { GroupItemRef: { value: '90' }, Quantity: 1, Line: [{ Amount: 10.005, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '22', name: 'Part' }, Qty: 1, UnitPrice: 10.005 } }] },
			},
			{ Amount: 10.31, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
			{ Amount: 1.03, DetailType: 'DiscountLineDetail', DiscountLineDetail: { PercentBased: true, DiscountPercent: 10 } },
			{ DetailType: 'DescriptionOnly', Description: 'Thanks!' },
		];
		record.TxnTaxDetail = { TxnTaxCodeRef: { value: '7' }, TotalTax: 0.77 };
		record.TotalAmt = 10.05;
		const mapped = mapQuickBooksInvoice(record, references());
		if (!mapped.ok) throw new Error(mapped.error.message);
		expect(canonicalInvoiceSchema.safeParse(mapped.invoice).success).toBe(true);
		expect(mapped.invoice.lines.map((line) => [line.sku, line.name, line.quantity, line.unitPrice, line.amount])).toEqual([
			['SKU-21', 'Widget 21', 3, 0.1, 0.3],
			[null, 'Widget 22', 1, 10.005, 10.01],
		]);
		expect(mapped.invoice.adjustments).toEqual([{ kind: 'discount', hubspotId: null, name: 'Discount', amount: null, percentage: 10 }]);
		expect(mapped.invoice.totals).toEqual({ subtotal: 10.31, discountTotal: 1.03, feeTotal: null, taxTotal: 0.77, total: 10.05 });
		expect(mapped.quickbooks.lines).toEqual([
			{ itemId: '21', itemName: 'Widget 21', taxCodeId: 'TAX' },
			{ itemId: '22', itemName: 'Widget 22', taxCodeId: null },
		]);
		expect(mapped.quickbooks.txnTaxCodeId).toBe('7');
		expect(mapped.invoice.customer.email).toBe('Ada@Example.com');
		expect(mapped.invoice.contentHash).toMatch(/^[0-9a-f]{32}$/);
	});

	it('an invoice without CurrencyRef is in the company home currency', () => {
		const record = invoice('101', T, T, { extra: { CurrencyRef: undefined } }) as QuickBooksRecord;
		const mapped = mapQuickBooksInvoice(record, references());
		expect(mapped.ok && mapped.invoice.currency).toBe('CAD');
	});

	it('a product that cannot be read makes the invoice incomplete, naming the line and the product', () => {
		const mapped = mapQuickBooksInvoice(invoice('101', T, T, { itemIds: ['21', '99'] }) as QuickBooksRecord, references());
		expect(mapped.ok).toBe(false);
		if (mapped.ok) return;
		expect(mapped.error).toMatchObject({ code: 'QUICKBOOKS_INVOICE_INCOMPLETE', details: { problems: ['line 2: item 99 could not be read'] } });
		expect(mapped.error.message).toContain('QB-101');
	});
});

describe('status and link', () => {
	it('open while a balance is due, paid at balance 0, voided when zeroed and noted Voided', () => {
		expect(invoiceStatusOf({ TotalAmt: 10, Balance: 4 })).toBe('open');
		expect(invoiceStatusOf({ TotalAmt: 10, Balance: 0 })).toBe('paid');
		expect(invoiceStatusOf({ TotalAmt: 0, Balance: 0, PrivateNote: 'Voided\nHubSpot invoice 5' })).toBe('voided');
		expect(invoiceStatusOf({ TotalAmt: 0, Balance: 0 })).toBe('open');
	});

	it('the HubSpot link is a memo line "HubSpot invoice <id>", not the full-number line', () => {
		expect(hubSpotLinkOf({ PrivateNote: 'HubSpot invoice number INV-1\nHubSpot invoice 42' })).toBe('42');
		expect(hubSpotLinkOf({ PrivateNote: 'paid by HubSpot invoice 42 customer' })).toBeNull();
	});
});

describe('payments', () => {
	it('one payment per invoice the payment lines link, figures from the invoice; an invoice that cannot be read is left out', () => {
		const record = payment('301', T, { '101': 0.1, '102': 0.2, '103': 5 }) as QuickBooksRecord;
		expect(invoiceIdsOf(record)).toEqual(['101', '102', '103']);
		const invoices = new Map<string, QuickBooksRecord>([
			['101', invoice('101', T, T, { total: 0.3, balance: 0.2 }) as QuickBooksRecord],
			['102', invoice('102', T, T, { total: 100.3, balance: 100.1, note: 'HubSpot invoice 7' }) as QuickBooksRecord],
		]);
		expect(paymentsOf(record, invoices)).toEqual([
			{ quickbooksInvoiceId: '101', hubspotInvoiceId: null, amountPaid: 0.1, balance: 0.2, paidAt: '2026-03-15', method: 'Check' },
			{ quickbooksInvoiceId: '102', hubspotInvoiceId: '7', amountPaid: 0.2, balance: 100.1, paidAt: '2026-03-15', method: 'Check' },
		]);
	});

	it('a credit memo: its customer, number, total and the credit left', () => {
		const memo = { Id: '401', DocNumber: 'CM-1', TxnDate: '2026-03-20', CustomerRef: { value: '11', name: 'Ada' }, TotalAmt: '12.10', RemainingCredit: 0 } as QuickBooksRecord;
		expect(creditMemoOf(memo, references().customers)).toEqual({
			quickbooksCreditMemoId: '401',
			number: 'CM-1',
			quickbooksCustomerId: '11',
			customerName: 'Customer 11',
			customerEmail: 'Ada@Example.com',
			date: '2026-03-20',
			currency: null,
			total: 12.1,
			remainingCredit: 0,
		});
	});
});
