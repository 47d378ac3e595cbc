/** How echo writes are counted: content one direction wrote for a record the other created, and any record a settling round changed. */
import { changedRecords, crossDirectionEchoes } from '../../scripts/demo/twoWay';

describe('crossDirectionEchoes', () => {
	it('names a forward write for a HubSpot invoice the reverse sync created, and a reverse write for a QuickBooks invoice the forward sync created', () => {
		const forward = [
			{ sourceId: 'H1', targetId: 'Q1', action: 'created' },
			{ sourceId: 'H9', targetId: 'Q9', action: 'updated' },
		];
		const reverse = [
			{ sourceId: 'Q5', targetId: 'H9', action: 'created' },
			{ sourceId: 'Q1', targetId: 'H1', action: 'updated' },
		];
		expect(crossDirectionEchoes(forward, reverse)).toEqual([
			'HubSpot → QuickBooks updated for HubSpot invoice H9, which the QuickBooks → HubSpot sync created',
			'QuickBooks → HubSpot updated for QuickBooks invoice Q1, which the HubSpot → QuickBooks sync created',
		]);
	});

	it('payments, voids and unchanged invoices flowing back are not echoes', () => {
		const forward = [{ sourceId: 'H1', targetId: 'Q1', action: 'created' }];
		const reverse = [
			{ sourceId: 'Q1', targetId: 'H1', action: 'paymentApplied' },
			{ sourceId: 'Q1', targetId: 'H1', action: 'voided' },
			{ sourceId: 'Q1', targetId: 'H1', action: 'unchanged' },
		];
		expect(crossDirectionEchoes(forward, reverse)).toEqual([]);
	});
});

describe('changedRecords', () => {
	it('lists records created, changed and gone between two readings, and nothing when nothing was written', () => {
		const before = new Map([
			['quickbooks:Invoice:1', '0|t1'],
			['hubspot:invoices:7', 'a'],
			['hubspot:line_items:8', 'b'],
		]);
		expect(changedRecords(before, new Map(before))).toEqual([]);
		const after = new Map([
			['quickbooks:Invoice:1', '1|t2'],
			['hubspot:invoices:7', 'a'],
			['quickbooks:Invoice:2', '0|t2'],
		]);
		expect(changedRecords(before, after)).toEqual(['hubspot:line_items:8', 'quickbooks:Invoice:1', 'quickbooks:Invoice:2']);
	});
});
