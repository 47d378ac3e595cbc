/** The QuickBooks → HubSpot lower bound: what CDC's 1,000-object answers and HubSpot's 100-input searches and batches force. */
import { reverseLowerBound, type ReverseFacts } from '../../scripts/bench/lowerBound';

const facts = (overrides: Partial<ReverseFacts> = {}): ReverseFacts => ({
	invoices: 1000,
	invoicesCreated: 1000,
	lineItemsCreated: 1500,
	emails: 4,
	contactsToCreate: 1,
	companies: 4,
	companiesToCreate: 1,
	skus: 5,
	taxed: true,
	executions: 1,
	...overrides,
});

describe('reverseLowerBound', () => {
	it('QuickBooks: one change read per 1,000 invoices, one /batch for the customer and item queries', () => {
		expect(reverseLowerBound(facts({ invoices: 999, invoicesCreated: 999 })).quickbooks.parts.map((part) => part.requests)).toEqual([1, 1]);
		// 2,500 invoices: three change reads; 250 emails and 120 SKUs are 3 + 2 IN lists, still one /batch.
		expect(reverseLowerBound(facts({ invoices: 2500, emails: 250, skus: 120 })).quickbooks.total).toBe(4);
	});

	it('QuickBooks: an answer holding exactly the 1,000-object cap forces one more read (it cannot tell whether more changed)', () => {
		expect(reverseLowerBound(facts()).quickbooks.parts.map((part) => part.requests)).toEqual([2, 1]);
		expect(reverseLowerBound(facts({ invoices: 2000 })).quickbooks.parts[0].requests).toBe(3);
		expect(reverseLowerBound(facts({ invoices: 1001 })).quickbooks.parts[0].requests).toBe(2);
		expect(reverseLowerBound(facts({ invoices: 0, emails: 0, skus: 0 })).quickbooks.total).toBe(0);
	});

	it('HubSpot: per execution 2, searches of 100 values, creates of 100, line items of 100, a status update per 100 created', () => {
		const bound = reverseLowerBound(facts()).hubspot;
		expect(Object.fromEntries(bound.parts.map((part) => [part.name, part.requests]))).toEqual({
			'property check + account time zone': 2,
			'contact searches': 1,
			'contact creates': 1,
			'company searches': 1,
			'company creates': 1,
			'contact–company associations': 1,
			'product searches': 1,
			'tax rates': 1,
			'linked invoice searches': 10,
			'invoice creates (drafts)': 10,
			'line item creates': 15,
			'status updates (open)': 10,
		});
		expect(bound.total).toBe(54);
	});

	it('counts no creates or tax rates when nothing is new or taxed, and nothing for no invoices', () => {
		const unchanged = reverseLowerBound(facts({ invoicesCreated: 0, lineItemsCreated: 0, contactsToCreate: 0, companiesToCreate: 0, taxed: false })).hubspot;
		expect(unchanged.total).toBe(2 + 1 + 1 + 1 + 10);
		expect(reverseLowerBound(facts({ invoices: 0, invoicesCreated: 0, lineItemsCreated: 0, emails: 0, contactsToCreate: 0, companies: 0, companiesToCreate: 0, skus: 0, taxed: false })).hubspot.total).toBe(0);
	});
});
