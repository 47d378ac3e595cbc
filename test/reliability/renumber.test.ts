/**
 * Identity across edits: an invoice renumbered in HubSpot after it was synced is the same invoice.
 * The next sync must update the QuickBooks invoice it already has (found by the link the sync
 * wrote: qbo_invoice_id on the HubSpot invoice, "HubSpot invoice <id>" in the PrivateNote), never
 * create a second one — with and without the write-back to HubSpot.
 */
import { start } from '../../sandbox';
import { SyncDriver } from '../../scripts/reliability/driver';
import { blockExternalNetwork } from '../harness';
import { recordFigures } from './helpers/figures';

const SUITE = 'renumber';

jest.setTimeout(60_000);

describe('an invoice renumbered in HubSpot after its sync', () => {
	const duplicates: Record<string, number> = {};

	beforeAll(() => blockExternalNetwork());

	afterAll(() => {
		recordFigures(SUITE, { duplicated: Object.values(duplicates).reduce((sum, count) => sum + count, 0), renumberDuplicates: duplicates });
	});

	it.each([
		['with the write-back to HubSpot', true],
		['without the write-back (the node default)', false],
	])('%s: stays one QuickBooks invoice, updated to the new number', async (label, writeBack) => {
		const sandbox = await start({ dataset: 'default', limits: false });
		try {
			const driver = new SyncDriver({ urls: sandbox.urls, credentials: sandbox.credentials, taxMapping: sandbox.dataset.taxMapping, writeBack });
			const first = await driver.execute(await driver.poll());
			const synced = first.outcomes.filter((outcome) => outcome.outcome === 'created').slice(0, 3);
			expect(synced).toHaveLength(3);
			for (const outcome of synced) {
				const response = await fetch(`${sandbox.urls.hubspot}/crm/v3/objects/invoices/${outcome.hubspotId}`, {
					method: 'PATCH',
					headers: { Authorization: `Bearer ${sandbox.credentials.hubspot.accessToken}`, 'Content-Type': 'application/json' },
					body: JSON.stringify({ properties: { hs_number: `${outcome.number}-R` } }),
				});
				expect(response.status).toBe(200);
			}
			const second = await driver.execute(await driver.poll());
			expect(second.outcomes.map((outcome) => outcome.hubspotId).sort()).toEqual(synced.map((outcome) => outcome.hubspotId).sort());

			const invoices = [...sandbox.quickbooks.state.realms[sandbox.dataset.realmId].entities.Invoice.values()];
			const copies = synced.map((outcome) => invoices.filter((record) => String(record.PrivateNote ?? '').split('\n').includes(`HubSpot invoice ${outcome.hubspotId}`)));
			duplicates[label] = copies.reduce((sum, list) => sum + Math.max(0, list.length - 1), 0);
			expect(copies.map((list) => list.map((record) => record.DocNumber))).toEqual(synced.map((outcome) => [`${outcome.number}-R`]));
			expect(second.outcomes.map((outcome) => outcome.outcome)).toEqual(['updated', 'updated', 'updated']);
		} finally {
			await sandbox.close();
		}
	});
});
