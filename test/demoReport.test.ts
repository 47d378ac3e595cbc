import { quickBooksDifferences } from '../scripts/demo/report';

// The demo's expectations of the QuickBooks invoice itself (date, customer, currency, total before tax, lines).
describe('demo report: what the QuickBooks invoice must hold', () => {
	const invoice = {
		TxnDate: '2026-09-09',
		CustomerRef: { value: '21', name: 'Acme Corporation (EUR)' },
		CurrencyRef: { value: 'EUR' },
		Line: [
			{ DetailType: 'SalesItemLineDetail', Amount: 50 },
			{ DetailType: 'SalesItemLineDetail', Amount: 125 },
			{ DetailType: 'SalesItemLineDetail', Amount: 7.5 },
			{ DetailType: 'SubTotalLineDetail', Amount: 182.5 },
			{ DetailType: 'DiscountLineDetail', Amount: 17.5 },
		],
	};

	it('finds nothing to report when every expected field holds (subtotal lines left out, discounts subtracted)', () => {
		expect(
			quickBooksDifferences(invoice, {
				txnDate: '2026-09-09',
				customerName: 'Acme Corporation (EUR)',
				currency: 'EUR',
				preTaxTotal: '165.00',
				lineTypes: ['SalesItemLineDetail', 'SalesItemLineDetail', 'SalesItemLineDetail', 'DiscountLineDetail'],
			}),
		).toEqual([]);
	});

	it('names each field that differs', () => {
		expect(quickBooksDifferences(invoice, { txnDate: '2026-09-10', currency: 'USD', preTaxTotal: '182.50' })).toEqual([
			'QuickBooks TxnDate 2026-09-09, expected 2026-09-10',
			'QuickBooks currency EUR, expected USD',
			'QuickBooks total before tax 165.00, expected 182.50',
		]);
	});
});
