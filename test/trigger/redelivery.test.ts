/**
 * n8n starts a poll on schedule even while the previous one still runs, and both share the node's
 * static data: a poll must not fail when the other one already settled a remembered invoice.
 */
import type { IDataObject } from 'n8n-workflow';

import type { FeedOptions, InvoiceApi } from '../../package/nodes/HubSpotInvoiceTrigger/invoiceFeed';
import { PENDING_KEY, redeliverUnconfirmed, type PendingDeliveries } from '../../package/nodes/HubSpotInvoiceTrigger/redelivery';

const options = { maxInvoices: 100, extraProperties: [] } as unknown as FeedOptions;

it('two overlapping polls settle the same remembered invoice without failing', async () => {
	const pending: PendingDeliveries = { '7': { emittedAt: 0, modifiedMs: 1000, hash: 'h1', redeliveries: 0 } };
	const staticData: IDataObject = { [PENDING_KEY]: pending as unknown as IDataObject };
	let release: () => void = () => undefined;
	const slow = new Promise<void>((resolve) => (release = resolve));
	let calls = 0;
	const api = {
		batchRead: async () => {
			// The first poll's read answers only after the second poll has finished.
			if (calls++ === 0) await slow;
			return { results: new Map([['7', { id: '7', properties: { hs_lastmodifieddate: '1970-01-01T00:00:01.000Z', qbo_sync_hash: 'h1' } }]]), missingIds: [] };
		},
	} as unknown as InvoiceApi;
	const first = redeliverUnconfirmed(api, options, staticData, [], 600_000, 60_000);
	await expect(redeliverUnconfirmed(api, options, staticData, [], 600_000, 60_000)).resolves.toEqual([]);
	release();
	await expect(first).resolves.toEqual([]);
	expect(staticData[PENDING_KEY]).toEqual({});
});
