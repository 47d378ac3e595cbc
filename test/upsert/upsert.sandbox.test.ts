/**
 * The whole pipeline (trigger → Customer Resolve → SKU Match → Tax Map → QuickBooks Invoice
 * Upsert) through n8n's engine against the local sandbox's default data set.
 */
import type { IDataObject } from 'n8n-workflow';

import { start, type Sandbox } from '../../sandbox';
import { runSyncOnce, type SyncRunResult } from '../../scripts/lib/syncPipeline';
import { blockExternalNetwork } from '../harness';

let sandbox: Sandbox;

beforeAll(() => blockExternalNetwork());
beforeEach(async () => {
	sandbox = await start({ dataset: 'default', limits: false });
});
afterEach(async () => {
	await sandbox?.close();
});

/** Tax Map's table as the node's own parameter (the runner's default parameter name may lag behind the node). */
const taxMapParameters = () => ({
	hubspotAuthentication: 'none',
	taxMappings: { mapping: sandbox.dataset.taxMapping.map((entry) => ({ hubspotTaxRate: entry.hubspotTaxRateId, quickbooksTaxCode: entry.qboTaxCodeId })) },
});

const runOnce = async (extra: { writeBack?: boolean; staticData?: IDataObject; upsert?: IDataObject } = {}) =>
	await runSyncOnce({
		urls: sandbox.urls,
		credentials: sandbox.credentials,
		taxMapping: sandbox.dataset.taxMapping,
		staticData: extra.staticData ?? {},
		writeBack: extra.writeBack,
		parameters: { 'Tax Map': taxMapParameters(), 'QuickBooks Invoice Upsert': extra.upsert ?? {} },
	});

function outcomesById(run: SyncRunResult): Record<string, { outcome: string; code?: string }> {
	return Object.fromEntries(run.outcomes.map((entry) => [entry.hubspotId, entry.code ? { outcome: entry.outcome, code: entry.code } : { outcome: entry.outcome }]));
}

function qboInvoices(): Array<Record<string, any>> {
	const realm = sandbox.quickbooks.state.realms[sandbox.dataset.realmId];
	return [...realm.entities.Invoice.values()];
}

describe('default data set, twice', () => {
	it('first run: every invoice gets the outcome the data set expects; second run creates nothing new', async () => {
		const expected = Object.fromEntries(
			Object.entries(sandbox.dataset.expectations)
				.filter(([, expectation]) => expectation.outcome !== 'not-emitted')
				.map(([id, expectation]) => [id, expectation.code ? { outcome: expectation.outcome, code: expectation.code } : { outcome: expectation.outcome }]),
		);

		const first = await runOnce();
		expect(first.lost).toBe(0);
		expect(first.nodeErrors).toEqual({});
		expect(outcomesById(first)).toEqual(expected);
		const invoicesAfterFirst = qboInvoices().length;

		// A fresh cursor emits every invoice again: what was synced is found and left alone.
		const second = await runOnce();
		expect(second.lost).toBe(0);
		const synced = Object.entries(expected).filter(([, expectation]) => expectation.outcome !== 'error');
		for (const [id] of synced) expect([id, outcomesById(second)[id]]).toEqual([id, { outcome: 'unchanged' }]);
		for (const [id, expectation] of Object.entries(expected).filter(([, e]) => e.outcome === 'error')) {
			expect([id, outcomesById(second)[id]]).toEqual([id, expectation]);
		}
		expect(qboInvoices()).toHaveLength(invoicesAfterFirst);
		const docNumbers = qboInvoices().map((invoice) => String(invoice.DocNumber).toLowerCase());
		expect(new Set(docNumbers).size).toBe(docNumbers.length);
	});
});

describe('company settings', () => {
	it('are read once per execution: the upsert reuses what Tax Map read; the next execution reads again', async () => {
		const reads = () =>
			sandbox.log.entries.filter((entry) => entry.api === 'quickbooks' && /companyinfo|preferences/.test(entry.endpoint)).map((entry) => entry.endpoint.split('/')[4]);
		await runOnce();
		expect(reads().sort()).toEqual(['companyinfo', 'preferences']);
		await runOnce();
		expect(reads().sort()).toEqual(['companyinfo', 'companyinfo', 'preferences', 'preferences']);
	});
});

describe('write-back through the sandbox', () => {
	it('writes status to HubSpot in properties it creates; the next poll recognises its own write-backs', async () => {
		const staticData: IDataObject = {};
		const first = await runOnce({ writeBack: true, staticData });
		expect(first.lost).toBe(0);
		const definitions = [...sandbox.hubspot.state.properties.invoices.values()].filter((property) => property.groupName === 'quickbooks_sync');
		expect(definitions.map((property) => property.name).sort()).toEqual(['qbo_doc_number', 'qbo_invoice_id', 'qbo_last_error', 'qbo_sync_hash', 'qbo_sync_status', 'qbo_synced_at']);

		const invoice = (id: string) => sandbox.hubspot.state.get('invoices', id)!.properties;
		const byNumber = Object.fromEntries(first.outcomes.map((entry) => [entry.number, entry]));
		const created = byNumber['INV-1001'];
		expect(invoice(created.hubspotId)).toMatchObject({ qbo_invoice_id: created.quickbooksId, qbo_doc_number: 'INV-1001', qbo_sync_status: 'synced', qbo_last_error: '' });
		expect(invoice(created.hubspotId).qbo_sync_hash).toBe(((created.json.invoice as IDataObject).contentHash as string));
		expect(invoice(byNumber['INV-1023'].hubspotId)).toMatchObject({ qbo_sync_status: 'voided', qbo_invoice_id: '102' });
		expect(invoice(byNumber['INV-1020'].hubspotId)).toMatchObject({ qbo_sync_status: 'failed', qbo_last_error: expect.stringMatching(/^PERIOD_CLOSED: /) });
		expect(first.outcomes.filter((entry) => entry.node === 'QuickBooks Invoice Upsert' && entry.outcome !== 'error').every((entry) => (entry.json.quickbooks as IDataObject).writeBack !== undefined)).toBe(true);

		// The write-backs bumped hs_lastmodifieddate; the trigger's loop guard must skip them all.
		const seeded = sandbox.dataset.hubspot.invoices.find((entry) => entry.id === created.hubspotId)!;
		expect(invoice(created.hubspotId).hs_lastmodifieddate).not.toBe(seeded.properties.hs_lastmodifieddate);
		const second = await runOnce({ writeBack: true, staticData });
		expect(second.emitted).toBe(0);
	});
});
