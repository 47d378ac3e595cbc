/**
 * The webhook trigger beside the polling trigger (its safety net) on one portal and one company:
 * one change seen by both is synced to QuickBooks once. Both triggers read through the same code
 * and apply the same loop guard, so the trigger that comes second skips an invoice whose write-back
 * hash matches; and when both emit before the write-back lands, the upsert finds the invoice and
 * leaves it `unchanged`, writing nothing.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import { harnessCredentials, runPipelineFrom, runSyncOnce, triggerParameters, type SyncPipelineOptions } from '../../scripts/lib/syncPipeline';
import { useDefaultSandbox } from '../fixtures/demoSandbox';
import { PACKAGE_NAME, runPoll } from '../harness';
import { WEBHOOK_NODE_NAME, WEBHOOK_TRIGGER_TYPE, deliver, events, sourceIds } from './helpers';

let sandbox: Sandbox;

useDefaultSandbox((started) => (sandbox = started));

function pipeline(staticData: IDataObject): SyncPipelineOptions {
	return { urls: sandbox.urls, credentials: sandbox.credentials, taxMapping: sandbox.dataset.taxMapping, staticData, writeBack: true, statuses: ['open', 'paid'] };
}

const webhookTrigger = { name: WEBHOOK_NODE_NAME, type: WEBHOOK_TRIGGER_TYPE, typeVersion: 1, position: [0, 0] as [number, number], parameters: { hubspotAuthentication: 'appToken' } as INodeParameters };

const quickBooksInvoicesFor = (hubspotId: string) => {
	const invoices = sandbox.quickbooks.state.realms[sandbox.dataset.realmId].entities.Invoice as unknown as Map<string, IDataObject>;
	return [...invoices.values()].filter((invoice) => String(invoice.PrivateNote ?? '').includes(`HubSpot invoice ${hubspotId}`));
};

/** Everything synced once, so the next change is a plain update (as in a running sync). */
async function settled(): Promise<{ pollData: IDataObject; webhookData: IDataObject; invoiceId: string }> {
	const pollData: IDataObject = {};
	const first = await runSyncOnce({ ...pipeline(pollData), backfillSince: '2020-01-01T00:00:00.000Z' });
	const synced = first.outcomes.find((outcome) => outcome.outcome === 'created');
	expect(synced).toBeDefined();
	expect((await runSyncOnce(pipeline(pollData))).emitted).toBe(0);
	return { pollData, webhookData: {}, invoiceId: synced!.hubspotId };
}

function change(invoiceId: string): number {
	const line = sandbox.hubspot.state.associatedIds('invoices', invoiceId, 'line_items')[0];
	sandbox.hubspot.state.update('line_items', line, { quantity: '9' });
	return Date.parse(sandbox.hubspot.updateInvoice(invoiceId, { hs_due_date: '2031-03-31' }).properties.hs_lastmodifieddate!);
}

it('the webhook syncs the change; the poll that follows skips it (loop guard on the write-back hash)', async () => {
	const { pollData, webhookData, invoiceId } = await settled();
	const at = change(invoiceId);
	const received = await deliver(sandbox, events([{ objectId: invoiceId, occurredAt: at, propertyName: 'hs_due_date' }]), { staticData: webhookData });
	expect(sourceIds(received.items)).toEqual([invoiceId]);
	const byWebhook = await runPipelineFrom(pipeline(webhookData), webhookTrigger, received.raw);
	expect(byWebhook.outcomes.map((outcome) => [outcome.hubspotId, outcome.outcome])).toEqual([[invoiceId, 'updated']]);

	const byPoll = await runSyncOnce(pipeline(pollData));
	expect(byPoll.emitted).toBe(0);
	expect(quickBooksInvoicesFor(invoiceId)).toHaveLength(1);
});

it('both emit the same change before either wrote: the second run finds the invoice unchanged and writes nothing to QuickBooks', async () => {
	const { pollData, webhookData, invoiceId } = await settled();
	const at = change(invoiceId);
	const received = await deliver(sandbox, events([{ objectId: invoiceId, occurredAt: at, propertyName: 'hs_due_date' }]), { staticData: webhookData });
	// The poll runs while the webhook's execution has not written yet: it emits the same change.
	const pollItems: INodeExecutionData[] = [];
	const byPoll = await runSyncOnceCollecting(pollData, pollItems);
	expect(byPoll).toEqual([invoiceId]);

	const byWebhook = await runPipelineFrom(pipeline(webhookData), webhookTrigger, received.raw);
	expect(byWebhook.outcomes.map((outcome) => outcome.outcome)).toEqual(['updated']);
	const [before] = quickBooksInvoicesFor(invoiceId).map((invoice) => JSON.stringify(invoice));
	const pollTrigger = { ...webhookTrigger, name: 'HubSpot Invoice Trigger', type: `${PACKAGE_NAME}.hubSpotInvoiceTrigger` };
	const second = await runPipelineFrom(pipeline(pollData), pollTrigger, pollItems);
	expect(second.outcomes.map((outcome) => outcome.outcome)).toEqual(['unchanged']);
	// Not a field of the QuickBooks invoice changed (SyncToken, LastUpdatedTime included), and no copy was made.
	expect(quickBooksInvoicesFor(invoiceId).map((invoice) => JSON.stringify(invoice))).toEqual([before]);
});

/** One scheduled poll of the polling trigger, its items kept for a later execution. */
async function runSyncOnceCollecting(staticData: IDataObject, into: INodeExecutionData[]): Promise<string[]> {
	const options = pipeline(staticData);
	const poll = await runPoll({
		nodeType: `${PACKAGE_NAME}.hubSpotInvoiceTrigger`,
		nodeName: 'HubSpot Invoice Trigger',
		parameters: triggerParameters(options) as INodeParameters,
		credentials: harnessCredentials(options),
		staticData,
		mode: 'trigger',
	});
	into.push(...(poll.items?.[0] ?? []));
	return sourceIds(into.map((item) => item.json));
}
