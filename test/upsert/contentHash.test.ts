/** The content hash the write-back stores and the loop guard compares must change when anything the upsert checks or copies changes. */
import { invoiceContentHash } from '../../package/nodes/shared/contentHash';
import { parsedItem } from '../kit';

describe('content hash', () => {
	const base = () => parsedItem({ id: '3010000001', number: 'INV-0001' }).invoice;

	it('changes with HubSpot\'s invoice-level totals (they decide whether the invoice reconciles)', () => {
		const plain = invoiceContentHash(base());
		const withTotals = invoiceContentHash({ ...base(), totals: { subtotal: 50, discountTotal: 5, feeTotal: 0, taxTotal: 3.63, total: 48.63 } });
		expect(withTotals).not.toBe(plain);
		expect(invoiceContentHash({ ...base(), totals: { subtotal: 50, discountTotal: 5, feeTotal: 0, taxTotal: 3.63, total: 48.64 } })).not.toBe(withTotals);
	});

	it('changes with an invoice-level discount or fee', () => {
		const plain = invoiceContentHash(base());
		const discounted = invoiceContentHash({ ...base(), adjustments: [{ kind: 'discount', hubspotId: '1', name: 'Promo', amount: null, percentage: 10 }] });
		expect(discounted).not.toBe(plain);
		expect(invoiceContentHash({ ...base(), adjustments: [{ kind: 'discount', hubspotId: '1', name: 'Promo', amount: null, percentage: 12 }] })).not.toBe(discounted);
	});

	it('is the same as before for an invoice without totals, discounts or fees (no re-sync after an upgrade)', () => {
		const { totals: _totals, adjustments: _adjustments, ...older } = base();
		expect(invoiceContentHash(base())).toBe(invoiceContentHash(older));
	});
});
