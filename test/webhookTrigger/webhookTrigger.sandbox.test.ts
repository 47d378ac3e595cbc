/**
 * The HubSpot Invoice Webhook Trigger through n8n-core's WebhookContext against the HubSpot
 * simulator: signed requests are emitted as the polling trigger's canonical items (one batched read
 * per request), anything unsigned, tampered, stale or replayed is refused or emits nothing.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import { useDefaultSandbox } from '../fixtures/demoSandbox';
import { runPoll } from '../harness';
import { harnessCredentials, triggerParameters } from '../../scripts/lib/syncPipeline';
import { CLIENT_SECRET, deliver, events, sourceIds } from './helpers';

let sandbox: Sandbox;

useDefaultSandbox((started) => (sandbox = started));

const openInvoices = () => sandbox.hubspot.state.list('invoices').filter((invoice) => invoice.properties.hs_invoice_status === 'open');
const invoiceBatchReads = () => sandbox.log.entries.filter((entry) => entry.api === 'hubspot' && entry.path === '/crm/v3/objects/invoices/batch/read');

describe('signatures', () => {
	it('a signed request is emitted; the same request tampered, signed with another secret, or stale gets 401 and emits nothing', async () => {
		const [invoice] = openInvoices();
		const body = events([{ objectId: invoice.id, occurredAt: Date.now() }]);
		const refused = [
			await deliver(sandbox, body, { staticData: {}, tamper: (text) => text.replace('"CRM"', '"API"') }),
			await deliver(sandbox, body, { staticData: {}, signWith: 'the-client-secret-of-another-app-000000' }),
			await deliver(sandbox, body, { staticData: {}, timestampMs: Date.now() - 5 * 60 * 1000 - 1000 }),
			await deliver(sandbox, body, { staticData: {}, credentialsSecret: '' }),
		];
		for (const delivery of refused) {
			expect(delivery.response.status).toBe(401);
			expect(delivery.started).toBe(false);
		}
		expect(invoiceBatchReads()).toHaveLength(0);
		expect(JSON.stringify(refused.map((delivery) => delivery.response.body))).not.toContain(CLIENT_SECRET);

		const accepted = await deliver(sandbox, body, { staticData: {} });
		expect(accepted.response.status).toBeUndefined();
		expect(sourceIds(accepted.items)).toEqual([invoice.id]);
	});

	it('a replayed request (same signature, same events) emits nothing the second time', async () => {
		const [invoice] = openInvoices();
		const staticData: IDataObject = {};
		const body = events([{ objectId: invoice.id, occurredAt: Date.now() }]);
		expect((await deliver(sandbox, body, { staticData })).items).toHaveLength(1);
		const replay = await deliver(sandbox, body, { staticData });
		expect(replay.started).toBe(false);
		expect(replay.response.status).toBeUndefined();
	});

	it('a body that is not a list of events gets 400 and emits nothing', async () => {
		const delivery = await deliver(sandbox, '{"objectId":1}', { staticData: {} });
		expect(delivery.response.status).toBe(400);
		expect(delivery.started).toBe(false);
	});
});

describe('de-duplication, ordering and the batched read', () => {
	it('several events for the same invoices, out of order, make one batched read of each invoice once', async () => {
		const [first, second, third] = openInvoices();
		const now = Date.now();
		const body = events([
			{ objectId: second.id, occurredAt: now - 10 },
			{ objectId: first.id, occurredAt: now - 5 },
			{ objectId: second.id, occurredAt: now - 30, propertyName: 'hs_due_date' },
			{ objectId: third.id, occurredAt: now - 20, subscriptionType: 'object.creation' },
			{ objectId: first.id, occurredAt: now - 50, propertyName: 'hs_number' },
		]);
		const delivery = await deliver(sandbox, body, { staticData: {} });
		expect(sourceIds(delivery.items).sort()).toEqual([first.id, second.id, third.id].sort());
		expect(invoiceBatchReads()).toHaveLength(1);
	});

	it('a retry of an older batch after a newer one was read emits nothing; a later change is emitted again', async () => {
		const [invoice] = openInvoices();
		const staticData: IDataObject = {};
		const now = Date.now();
		expect((await deliver(sandbox, events([{ objectId: invoice.id, occurredAt: now }]), { staticData })).items).toHaveLength(1);
		const late = await deliver(sandbox, events([{ objectId: invoice.id, occurredAt: now - 1000 }]), { staticData });
		expect(late.started).toBe(false);
		sandbox.hubspot.updateInvoice(invoice.id, { hs_due_date: '2030-01-31' });
		const changed = await deliver(sandbox, events([{ objectId: invoice.id, occurredAt: now + 1000, propertyName: 'hs_due_date' }]), { staticData });
		expect(sourceIds(changed.items)).toEqual([invoice.id]);
	});

	it('emits exactly what the polling trigger emits for the same invoices', async () => {
		const invoices = openInvoices().slice(0, 3);
		const delivery = await deliver(sandbox, events(invoices.map((invoice) => ({ objectId: invoice.id, occurredAt: Date.now() }))), { staticData: {} });
		const poll = await runPoll({
			nodeType: 'n8n-nodes-hubspot-quickbooks-sync.hubSpotInvoiceTrigger',
			parameters: { ...triggerParameters({ urls: sandbox.urls, credentials: sandbox.credentials, taxMapping: [] }), statuses: [] } as never,
			credentials: harnessCredentials(sandbox) as never,
			staticData: {},
			mode: 'manual',
		});
		const polled = (poll.items?.[0] ?? []).map((item) => item.json).filter((item) => invoices.some((invoice) => invoice.id === ((item.invoice as IDataObject).source as IDataObject).id));
		const byId = (items: IDataObject[]) => Object.fromEntries(items.map((item) => [String(((item.invoice as IDataObject).source as IDataObject).id), item.invoice]));
		expect(Object.keys(byId(delivery.items))).toHaveLength(3);
		expect(byId(delivery.items)).toEqual(byId(polled));
	});

	it('leaves out invoices outside Invoice Statuses without reading anything else for them', async () => {
		const paid = sandbox.hubspot.state.list('invoices').find((invoice) => invoice.properties.hs_invoice_status === 'paid')!;
		const delivery = await deliver(sandbox, events([{ objectId: paid.id, occurredAt: Date.now() }]), { staticData: {}, parameters: { statuses: ['open'] } });
		expect(delivery.items).toHaveLength(0);
		expect(sandbox.log.entries.filter((entry) => entry.api === 'hubspot' && entry.path.includes('/associations/'))).toHaveLength(0);
	});
});

describe('loop guard', () => {
	it("skips an invoice whose only change is the sync's own write-back, and one made by an integration", async () => {
		const [synced, integration] = openInvoices();
		const staticData: IDataObject = {};
		const first = await deliver(sandbox, events([{ objectId: synced.id, occurredAt: Date.now() }]), { staticData });
		expect(first.items).toHaveLength(1);
		const hash = String((first.items[0].invoice as IDataObject).contentHash);
		// What the upsert's write-back does: the hash of the synced content, which bumps the modification time.
		sandbox.hubspot.updateInvoice(synced.id, { qbo_sync_hash: hash, qbo_invoice_id: '9001', qbo_sync_status: 'synced' });
		sandbox.hubspot.updateInvoice(integration.id, { hs_invoice_source: 'data_sync' });
		const after = await deliver(
			sandbox,
			events([
				{ objectId: synced.id, occurredAt: Date.now() + 10, propertyName: 'hs_amount_billed' },
				{ objectId: integration.id, occurredAt: Date.now() + 10 },
			]),
			{ staticData },
		);
		expect(after.items).toHaveLength(0);
	});
});
