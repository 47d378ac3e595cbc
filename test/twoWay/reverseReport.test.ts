/** The QuickBooks → HubSpot part of npm start's report: counts, and the comparison with the reverse data set. */
import { compareToHubSpot, tallyToHubSpot, toHubSpotJson } from '../../scripts/demo/reverseReport';
import { maxRoundingGapCents } from '../../package/nodes/HubSpotInvoiceUpsert/readBack';
import type { ReverseDataset } from '../../sandbox/dataset';

const dataset = {
	expectations: {
		'1': { outcome: 'created', docNumber: 'QB-1', note: '', hubspot: { status: 'open', amountBilled: '100.00', amountPaid: '25.00', balanceDue: '75.00' } },
		'2': { outcome: 'error', code: 'SKU_NOT_FOUND', docNumber: 'QB-2', note: '' },
		'3': { outcome: 'voided', docNumber: 'QB-3', note: '', hubspot: { status: 'voided', amountBilled: '0.00', amountPaid: '0.00', balanceDue: '0.00' } },
	},
} as unknown as ReverseDataset;

const hubspot: Record<string, Array<{ id: string; properties: Record<string, string> }>> = {
	'1': [{ id: 'H1', properties: { hs_invoice_status: 'open', qbo_amount_paid: '25', qbo_balance: '75.00' } }],
	'3': [{ id: 'H3', properties: { hs_invoice_status: 'voided' } }],
};

describe('the QuickBooks → HubSpot report', () => {
	const summary = tallyToHubSpot([
		{ write: { sourceId: '1', targetId: 'H1', action: 'created' } },
		{ write: { sourceId: '1', targetId: 'H1', action: 'paymentApplied' } },
		{ write: { sourceId: '3', targetId: 'H3', action: 'created' } },
		{ write: { sourceId: '3', targetId: 'H3', action: 'voided' } },
		{ failure: { quickbooksId: '2', code: 'SKU_NOT_FOUND' } },
	]);

	it('counts created as synced, updates, voids, payments applied and failures by code', () => {
		expect(toHubSpotJson(summary)).toEqual({ synced: 2, updated: 0, voided: 1, paymentsApplied: 1, failed: { SKU_NOT_FOUND: 1 } });
	});

	it('matches when each invoice had its outcome and its HubSpot invoice ends with the expected status and QuickBooks figures', () => {
		expect(compareToHubSpot(summary, dataset, (id) => hubspot[id] ?? [])).toEqual([]);
	});

	it('names each difference: a wrong balance, a failed invoice that left a HubSpot invoice, a missing outcome', () => {
		const wrong: typeof hubspot = { ...hubspot, '1': [{ id: 'H1', properties: { hs_invoice_status: 'open', qbo_amount_paid: '0', qbo_balance: '100' } }], '2': [{ id: 'H2', properties: {} }] };
		const partial = tallyToHubSpot([{ write: { sourceId: '1', targetId: 'H1', action: 'created' } }, { failure: { quickbooksId: '2', code: 'SKU_NOT_FOUND' } }]);
		expect(compareToHubSpot(partial, dataset, (id) => wrong[id] ?? [])).toEqual([
			'QB-1 (QuickBooks 1): HubSpot qbo_amount_paid 0, expected 25.00',
			'QB-1 (QuickBooks 1): HubSpot qbo_balance 100, expected 75.00',
			'QB-2 (QuickBooks 2): failed, yet HubSpot holds 1 invoice(s) for it',
			'QB-3 (QuickBooks 3): expected voided, got nothing',
		]);
	});

	describe('paid in QuickBooks, a rounding gap left due in HubSpot: accepted within the upsert\'s own bound for the invoice\'s taxed lines', () => {
		const paid = {
			expectations: { '4': { outcome: 'created', docNumber: 'QB-4', note: '', hubspot: { status: 'paid', amountBilled: '100.00', amountPaid: '100.00', balanceDue: '0.00' } } },
		} as unknown as ReverseDataset;
		const created = tallyToHubSpot([{ write: { sourceId: '4', targetId: 'H4', action: 'created' } }]);
		/** HubSpot's total `gapCents` above QuickBooks' 100.00, all QuickBooks received recorded: open with the gap due. */
		const leftDue = (gapCents: number, taxedLines: number) => [
			{
				id: 'H4',
				taxedLines,
				properties: {
					hs_invoice_status: 'open',
					hs_amount_billed: (100 + gapCents / 100).toFixed(2),
					hs_balance_due: (gapCents / 100).toFixed(2),
					qbo_payment_status: 'paid',
					qbo_amount_paid: '100',
					qbo_balance: '0',
				},
			},
		];

		it('12 taxed lines: the upsert syncs up to 6 cents apart, so 6 cents left due is that rounding', () => {
			expect(maxRoundingGapCents(12)).toBe(6);
			expect(compareToHubSpot(created, paid, () => leftDue(6, 12))).toEqual([]);
		});

		it('1 taxed line: the upsert syncs only 1 cent apart, so 2 cents left due is a wrong invoice, and 7 cents on 12 lines too', () => {
			expect(compareToHubSpot(created, paid, () => leftDue(1, 1))).toEqual([]);
			expect(compareToHubSpot(created, paid, () => leftDue(2, 1))).toEqual(['QB-4 (QuickBooks 4): HubSpot status open, expected paid']);
			expect(compareToHubSpot(created, paid, () => leftDue(7, 12))).toEqual(['QB-4 (QuickBooks 4): HubSpot status open, expected paid']);
		});
	});
});
