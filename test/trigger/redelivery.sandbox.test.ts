/**
 * Redelivery: in queue mode a poll runs on n8n's main instance and its execution on a worker. When
 * that worker dies mid-execution, n8n 1.123 marks the execution crashed and nothing runs its items
 * again, while the cursor has already moved past them. The trigger therefore remembers what it
 * emitted, and once "Redeliver Unconfirmed After" has passed, emits again every invoice the sync
 * never confirmed (the upsert's write-back to HubSpot is the confirmation); at most twice.
 */
import type { IDataObject } from 'n8n-workflow';

import { MAX_REDELIVERIES, PENDING_KEY, type PendingDeliveries } from '../../package/nodes/HubSpotInvoiceTrigger/redelivery';
import type { Sandbox } from '../../sandbox';
import { NODE_NAMES, harnessCredentials, runSyncOnce, triggerParameters, type SyncPipelineOptions } from '../../scripts/lib/syncPipeline';
import { useSandbox } from '../fixtures/demoSandbox';
import { runPoll } from '../harness';
import { NODE_STATIC_KEY, TRIGGER_TYPE, idsOf } from './helpers';

let sandbox: Sandbox;

useSandbox({ dataset: 'default', limits: false }, (started) => (sandbox = started));

function options(staticData: IDataObject, redeliverAfterMinutes?: number): SyncPipelineOptions {
	return {
		urls: sandbox.urls,
		credentials: sandbox.credentials,
		taxMapping: sandbox.dataset.taxMapping,
		staticData,
		writeBack: true,
		parameters: {
			[NODE_NAMES.trigger]: redeliverAfterMinutes === undefined ? {} : { options: { redeliverAfterMinutes } },
			'Tax Map': {
				hubspotAuthentication: 'none',
				mappings: { mapping: sandbox.dataset.taxMapping.map((entry) => ({ hubspotTaxRate: entry.hubspotTaxRateId, quickbooksTaxCode: entry.qboTaxCodeId })) },
			},
		},
	};
}

function pending(staticData: IDataObject): PendingDeliveries {
	return ((staticData[NODE_STATIC_KEY] as IDataObject)?.[PENDING_KEY] ?? {}) as PendingDeliveries;
}

/** Moves every remembered emission `minutes` into the past, as if that much time had gone by. */
function age(staticData: IDataObject, minutes: number): void {
	for (const entry of Object.values(pending(staticData))) entry.emittedAt -= minutes * 60_000;
}

/** A poll whose execution dies before it writes anything (the worker was killed). */
async function pollOnly(staticData: IDataObject, redeliverAfterMinutes?: number): Promise<string[]> {
	const pipeline = options(staticData, redeliverAfterMinutes);
	const run = await runPoll({
		nodeType: TRIGGER_TYPE,
		nodeName: NODE_NAMES.trigger,
		parameters: triggerParameters(pipeline) as never,
		credentials: harnessCredentials(pipeline),
		staticData,
		mode: 'trigger',
	});
	return idsOf((run.items?.[0] ?? []).map((item) => item.json));
}

it('emits again, after the delay, the invoices of a poll whose execution died, and only those; confirmed invoices never', async () => {
	sandbox.reset();
	const staticData: IDataObject = {};
	const lostWithTheWorker = await pollOnly(staticData);
	expect(lostWithTheWorker.length).toBeGreaterThan(10);
	const remembered = Object.keys(pending(staticData));
	expect(remembered.length).toBeGreaterThan(10);

	// Before the delay (10 minutes by default) nothing is emitted again: the execution may still run.
	age(staticData, 9);
	expect(await pollOnly(staticData)).toEqual([]);

	// After it, the next poll emits every remembered invoice again, and the sync runs them.
	age(staticData, 2);
	const second = await runSyncOnce(options(staticData));
	expect(second.outcomes.map((entry) => entry.hubspotId).sort()).toEqual([...remembered].sort());
	const synced = second.outcomes.filter((entry) => entry.outcome !== 'error').map((entry) => entry.hubspotId);
	expect(synced.length).toBeGreaterThan(5);

	// The write-back confirmed those: aged past the delay again, none of them comes back.
	age(staticData, 11);
	const third = await pollOnly(staticData);
	for (const id of synced) expect(third).not.toContain(id);
	// What never got a write-back (it failed before the upsert) comes back until the limit, then stops.
	const unconfirmed = second.outcomes.filter((entry) => entry.outcome === 'error' && entry.node !== NODE_NAMES.upsert).map((entry) => entry.hubspotId);
	expect(unconfirmed.length).toBeGreaterThan(0);
	expect(third.sort()).toEqual([...unconfirmed].sort());
	for (let round = 2; round < MAX_REDELIVERIES; round++) {
		age(staticData, 11);
		expect((await pollOnly(staticData)).sort()).toEqual([...unconfirmed].sort());
	}
	age(staticData, 11);
	expect(await pollOnly(staticData)).toEqual([]);
	expect(pending(staticData)).toEqual({});
});

it('leaves an invoice changed since it was emitted to the cursor, and turns off with 0 minutes', async () => {
	sandbox.reset();
	const staticData: IDataObject = {};
	const emitted = await pollOnly(staticData);
	const changed = emitted[0];
	const line = sandbox.hubspot.state.associatedIds('invoices', changed, 'line_items')[0];
	sandbox.hubspot.state.update('line_items', line, { quantity: '7' });
	sandbox.hubspot.state.update('invoices', changed, { hs_comments: 'quantity corrected' });
	age(staticData, 11);
	// The cursor finds the change (one emission), the redelivery does not emit it a second time.
	const next = await pollOnly(staticData);
	expect(next.filter((id) => id === changed)).toHaveLength(1);

	const off: IDataObject = {};
	await pollOnly(off, 0);
	expect(pending(off)).toEqual({});
	age(off, 60);
	expect(await pollOnly(off, 0)).toEqual([]);
});
