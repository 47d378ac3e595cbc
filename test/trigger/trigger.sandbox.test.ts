/**
 * The trigger against the local HubSpot simulator with the demo data set: a backfill poll (status
 * filter Open + Paid + Voided, as the demo template) emits exactly the invoices the data set says
 * should reach the sync, and none it says should not.
 */
import type { IDataObject } from 'n8n-workflow';

import { canonicalInvoiceSchema } from '../../package/nodes/shared/invoiceContract';
import type { Sandbox } from '../../sandbox';
import { useDefaultSandbox } from '../fixtures/demoSandbox';
import { cursorOf, idsOf, poll } from './helpers';

let sandbox: Sandbox;
let credentials: Record<string, IDataObject>;

const PARAMETERS = { backfillSince: '2026-01-01T00:00:00.000Z', statuses: ['open', 'paid', 'voided'] };

useDefaultSandbox((started) => {
	sandbox = started;
	credentials = { hubSpotInvoiceSyncAppTokenApi: { accessToken: sandbox.credentials.hubspot.accessToken, useCustomBaseUrl: true, baseUrl: sandbox.urls.hubspot } };
});

function expectedIds(): { emitted: string[]; notEmitted: string[] } {
	const entries = Object.entries(sandbox.dataset.expectations);
	return {
		emitted: entries.filter(([, expectation]) => expectation.outcome !== 'not-emitted').map(([id]) => id).sort(),
		notEmitted: entries.filter(([, expectation]) => expectation.outcome === 'not-emitted').map(([id]) => id).sort(),
	};
}

function hubspotCalls(): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const [endpoint, count] of Object.entries(sandbox.log.countsByEndpoint())) {
		if (/\/crm\/|account-info/.test(endpoint)) counts[endpoint] = count;
	}
	return counts;
}

describe('HubSpot Invoice Trigger on the demo data set', () => {
	it('a first poll with Backfill Since emits exactly the invoices that should sync, each complete and valid', async () => {
		const staticData: IDataObject = {};
		const { items } = await poll(PARAMETERS, staticData, 'trigger', credentials);
		const { emitted, notEmitted } = expectedIds();
		expect(notEmitted.length).toBeGreaterThan(0);
		expect([...idsOf(items)].sort()).toEqual(emitted);
		for (const id of notEmitted) expect(idsOf(items)).not.toContain(id);
		for (const item of items) {
			expect(item.error).toBeUndefined();
			expect(canonicalInvoiceSchema.safeParse(item.invoice).success).toBe(true);
		}
		// in modification order
		const modified = items.map((item) => Date.parse((item.invoice as any).source.lastModifiedAt));
		expect([...modified].sort((a, b) => a - b)).toEqual(modified);
		// a handful of batched calls, no per-invoice reads
		const calls = hubspotCalls();
		expect(calls['POST /crm/v3/objects/invoices/search']).toBe(1);
		// 1 search + 3 association reads + line items, contacts, companies + account info; discount and
		// fee associations only when some emitted invoice's totals show any (line discounts count in
		// hs_discounts_total), and their records only when there are some
		const state = sandbox.hubspot.state;
		const emittedInvoices = idsOf(items).map((id) => state.get('invoices', id)!);
		const some = (property: string) => emittedInvoices.some((invoice) => Number(invoice.properties[property] ?? 1) !== 0);
		const linked = (type: 'discounts' | 'fees') => emittedInvoices.some((invoice) => state.associatedIds('invoices', invoice.id, type).length > 0);
		const adjustmentCalls = [some('hs_discounts_total'), some('hs_fees_total'), linked('discounts'), linked('fees')].filter(Boolean).length;
		expect(calls['POST /crm/v4/associations/invoices/discounts/batch/read'] ?? 0).toBe(some('hs_discounts_total') ? 1 : 0);
		expect(Object.values(calls).reduce((sum, count) => sum + count, 0)).toBe(8 + adjustmentCalls);

		// the next poll has nothing new
		expect(cursorOf(staticData)).toBeDefined();
		expect((await poll(PARAMETERS, staticData, 'trigger', credentials)).raw).toBeNull();
	});

	it('a manual run with Backfill Since (the backfill template) returns the same invoices, without a cursor', async () => {
		const staticData: IDataObject = {};
		const { items } = await poll(PARAMETERS, staticData, 'manual', credentials);
		expect([...idsOf(items)].sort()).toEqual(expectedIds().emitted);
		expect(cursorOf(staticData)).toBeUndefined();
	});

	it('the contact without an email is emitted complete (Customer Resolve reports it), with its HubSpot link data', async () => {
		const { items } = await poll(PARAMETERS, {}, 'manual', credentials);
		const noEmail = items.find((item) => (item.invoice as any).number === 'INV-1012');
		expect(noEmail).toBeDefined();
		expect(noEmail!.error).toBeUndefined();
		expect((noEmail!.invoice as any).customer.email).toBeNull();
	});
});
