/** The QuickBooks → HubSpot part of npm start's report: counts, and the comparison with the reverse data set. */
import { compareToHubSpot, tallyToHubSpot, toHubSpotJson } from '../../scripts/demo/reverseReport';
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
});
