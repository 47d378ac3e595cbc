/**
 * The whole pipeline (trigger → Customer Resolve → SKU Match → Tax Map → QuickBooks Invoice
 * Upsert) through n8n's engine against the local sandbox's default data set.
 */
import type { IDataObject } from 'n8n-workflow';

import { start, type Sandbox } from '../../sandbox';
import { saveEntity } from '../../sandbox/quickbooks/entities';
import { runSyncOnce, type SyncRunResult } from '../../scripts/lib/syncPipeline';
import { demoUpsertParameters } from '../fixtures/demoSandbox';
import { blockExternalNetwork } from '../harness';
import { isInvoiceWriteBatch, startDroppingProxy, type DroppingProxy } from './droppingProxy';

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

const runOnce = async (extra: { writeBack?: boolean; staticData?: IDataObject; upsert?: IDataObject; quickbooksUrl?: string } = {}) =>
	await runSyncOnce({
		urls: extra.quickbooksUrl ? { ...sandbox.urls, quickbooks: extra.quickbooksUrl } : sandbox.urls,
		credentials: sandbox.credentials,
		taxMapping: sandbox.dataset.taxMapping,
		staticData: extra.staticData ?? {},
		writeBack: extra.writeBack,
		parameters: { 'Tax Map': taxMapParameters(), 'QuickBooks Invoice Upsert': demoUpsertParameters(extra.upsert) },
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

/** HubSpot invoice ids that more than one QuickBooks invoice links to. */
function linkedTwice(): string[] {
	const links = qboInvoices().flatMap((invoice) => String(invoice.PrivateNote ?? '').match(/^HubSpot invoice \d+$/gm) ?? []);
	return [...new Set(links.filter((link, index) => links.indexOf(link) !== index))];
}

describe('custom transaction numbers and the duplicate-number check, both ways', () => {
	let proxy: DroppingProxy | undefined;
	afterEach(async () => {
		await proxy?.close();
		proxy = undefined;
	});

	const realm = () => sandbox.quickbooks.state.realms[sandbox.dataset.realmId];
	const settings = [
		{ customTxnNumbers: true, duplicateCheck: 'on' as const },
		{ customTxnNumbers: true, duplicateCheck: 'off' as const },
		{ customTxnNumbers: false, duplicateCheck: 'on' as const },
		{ customTxnNumbers: false, duplicateCheck: 'off' as const },
	];

	it.each(settings)('custom numbers $customTxnNumbers, duplicate check $duplicateCheck: another run creating every invoice at the same moment leaves one QuickBooks invoice per HubSpot invoice', async ({ customTxnNumbers, duplicateCheck }) => {
		realm().preferences.SalesFormsPrefs.CustomTxnNumbers = customTxnNumbers;
		sandbox.quickbooks.assumptions.duplicateDocNumberCheck = duplicateCheck;
		// Just before the first write batch reaches QuickBooks, "another run" creates the same invoices.
		let raced = 0;
		proxy = await startDroppingProxy(sandbox.urls.quickbooks, (request) => {
			if (raced === 0 && isInvoiceWriteBatch(request)) {
				for (const entry of JSON.parse(request.body).BatchItemRequest) {
					if (entry.operation !== 'create') continue;
					try {
						saveEntity(realm(), 'Invoice', entry.Invoice, { now: new Date(), assumptions: sandbox.quickbooks.assumptions });
						raced++;
					} catch {
						// QuickBooks refuses this one (a closed period, say) to the other run as well.
					}
				}
			}
			return 'pass';
		});
		const before = qboInvoices().length;

		const first = await runOnce({ quickbooksUrl: proxy.url });

		expect(raced).toBeGreaterThan(0);
		expect(first.lost).toBe(0);
		expect(first.nodeErrors).toEqual({});
		expect(linkedTwice()).toEqual([]);
		const synced = first.outcomes.filter((entry) => entry.node === 'QuickBooks Invoice Upsert' && entry.outcome !== 'error' && entry.outcome !== 'skipped');
		// Every invoice the run wrote is in QuickBooks once, whoever created it.
		expect(new Set(synced.map((entry) => entry.quickbooksId)).size).toBe(synced.length);
		const afterFirst = qboInvoices().length;
		expect(afterFirst - before).toBe(first.outcomes.filter((entry) => entry.outcome === 'created').length + raced);

		const second = await runOnce();
		expect(second.outcomes.filter((entry) => entry.outcome === 'created')).toEqual([]);
		expect(qboInvoices()).toHaveLength(afterFirst);
		expect(linkedTwice()).toEqual([]);
		if (!customTxnNumbers) {
			// QuickBooks' own numbers, HubSpot's number in the note.
			const ours = qboInvoices().filter((invoice) => /^HubSpot invoice \d+$/m.test(String(invoice.PrivateNote ?? '')) && Number(invoice.Id) >= 100);
			for (const invoice of ours.filter((entry) => /HubSpot invoice number /.test(String(entry.PrivateNote)))) expect(invoice.DocNumber).toMatch(/^\d+$/);
		}
	});
});

describe('multicurrency', () => {
	it('every invoice carries CurrencyRef, which the sandbox requires when multicurrency is on', async () => {
		const realm = sandbox.quickbooks.state.realms[sandbox.dataset.realmId];
		realm.preferences.CurrencyPrefs.MultiCurrencyEnabled = true;
		const run = await runOnce();
		expect(run.lost).toBe(0);
		expect(run.outcomes.filter((entry) => entry.code === 'QUICKBOOKS_VALIDATION')).toEqual([]);
		const created = run.outcomes.filter((entry) => entry.outcome === 'created');
		expect(created.length).toBeGreaterThan(0);
		// In the invoice's own currency, USD or (INV-1024) EUR.
		const currencyOf = (hubspotId: string) => sandbox.dataset.hubspot.invoices.find((invoice) => invoice.id === hubspotId)!.properties.hs_currency;
		expect(new Set(created.map((entry) => currencyOf(entry.hubspotId)))).toEqual(new Set(['USD', 'EUR']));
		for (const entry of created) expect(realm.entities.Invoice.get(entry.quickbooksId!)!.CurrencyRef).toMatchObject({ value: currencyOf(entry.hubspotId) });
	});
});
