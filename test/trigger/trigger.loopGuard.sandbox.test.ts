/**
 * The loop guard end to end: the whole pipeline with write-back to HubSpot, polled twice. The
 * upsert's write-back bumps hs_lastmodifieddate on every synced invoice; the trigger must
 * recognise its own write-back by the hash and emit nothing on the next poll, then emit an
 * invoice again once someone really changes it.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import { runSyncOnce } from '../../scripts/lib/syncPipeline';
import { useSandbox } from '../fixtures/demoSandbox';

let sandbox: Sandbox;

useSandbox({ dataset: 'default', limits: false }, (started) => (sandbox = started));

const runOnce = async (staticData: IDataObject) =>
	await runSyncOnce({
		urls: sandbox.urls,
		credentials: sandbox.credentials,
		taxMapping: sandbox.dataset.taxMapping,
		staticData,
		writeBack: true,
		parameters: {
			'Tax Map': {
				hubspotAuthentication: 'none',
				mappings: { mapping: sandbox.dataset.taxMapping.map((entry) => ({ hubspotTaxRate: entry.hubspotTaxRateId, quickbooksTaxCode: entry.qboTaxCodeId })) },
			},
		},
	});

it("the sync's own write-back does not trigger another sync; a real edit does", async () => {
	const staticData: IDataObject = {};
	const first = await runOnce(staticData);
	expect(first.emitted).toBeGreaterThan(10);
	const synced = first.outcomes.filter((entry) => entry.outcome !== 'error');
	expect(synced.length).toBeGreaterThan(0);
	// the write-back really bumped the invoices' modification time
	const invoice = sandbox.hubspot.state.get('invoices', synced[0].hubspotId)!;
	expect(invoice.properties.qbo_sync_hash).toMatch(/^[0-9a-f]{32}$/);

	const second = await runOnce(staticData);
	expect(second.emitted).toBe(0);

	// a person edits one synced invoice: it is emitted (once) again
	const line = sandbox.hubspot.state.associatedIds('invoices', synced[0].hubspotId, 'line_items')[0];
	sandbox.hubspot.state.update('line_items', line, { quantity: '7' });
	sandbox.hubspot.state.update('invoices', synced[0].hubspotId, { hs_comments: 'quantity corrected' });
	const third = await runOnce(staticData);
	expect(third.outcomes.map((entry) => entry.hubspotId)).toEqual([synced[0].hubspotId]);
});
