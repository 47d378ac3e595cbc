/**
 * Lost answers and crashes between /batch calls, against the sandbox: QuickBooks processes a write
 * but the node never hears back. Retried calls must replay (same requestid), and a re-run must find
 * what was written: never a duplicate invoice.
 */
import type { IDataObject } from 'n8n-workflow';

import { start, type Sandbox, type StartOptions } from '../../sandbox';
import { runSyncOnce } from '../../scripts/lib/syncPipeline';
import { demoUpsertParameters } from '../fixtures/demoSandbox';
import { blockExternalNetwork } from '../harness';
import { isInvoiceWriteBatch, startDroppingProxy, type DroppingProxy, type ProxyDecision } from './droppingProxy';

// The transport backs off between retries with n8n's sleep; a crash test need not wait for real.
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: async () => undefined }));

let sandbox: Sandbox;
let proxy: DroppingProxy;

beforeAll(() => blockExternalNetwork());
afterEach(async () => {
	await proxy?.close();
	await sandbox?.close();
});

async function setUp(dataset: StartOptions['dataset']) {
	sandbox = await start({ dataset, limits: false });
	proxy = await startDroppingProxy(sandbox.urls.quickbooks);
}

const run = async (upsert: IDataObject = {}) =>
	await runSyncOnce({
		urls: { ...sandbox.urls, quickbooks: proxy.url },
		credentials: sandbox.credentials,
		taxMapping: sandbox.dataset.taxMapping,
		staticData: {},
		parameters: {
			'Tax Map': {
				hubspotAuthentication: 'none',
				taxMappings: { mapping: sandbox.dataset.taxMapping.map((entry) => ({ hubspotTaxRate: entry.hubspotTaxRateId, quickbooksTaxCode: entry.qboTaxCodeId })) },
			},
			'QuickBooks Invoice Upsert': demoUpsertParameters(upsert),
		},
	});

function invoicesInQuickBooks(): Array<Record<string, any>> {
	return [...sandbox.quickbooks.state.realms[sandbox.dataset.realmId].entities.Invoice.values()];
}

function duplicateDocNumbers(): string[] {
	const counts = new Map<string, number>();
	for (const invoice of invoicesInQuickBooks()) {
		const key = String(invoice.DocNumber).toLowerCase();
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	return [...counts].filter(([, count]) => count > 1).map(([number]) => number);
}

describe('lost answers and crashes', () => {
	it('the answer to a write batch is lost after QuickBooks processed it: the retry replays, nothing is written twice', async () => {
		await setUp('default');
		let dropped = 0;
		proxy.decide = (request): ProxyDecision => (isInvoiceWriteBatch(request) && dropped++ === 0 ? 'dropAfter' : 'pass');

		const result = await run();

		expect(dropped).toBeGreaterThan(1); // the lost call and its retry
		const writeCalls = proxy.seen.filter(isInvoiceWriteBatch);
		expect(writeCalls[0].decision).toBe('dropAfter');
		expect(writeCalls[1].path).toBe(writeCalls[0].path); // same requestid
		expect(sandbox.log.entries.some((entry) => entry.api === 'quickbooks' && entry.detail === 'replay')).toBe(true);
		const outcomes = Object.fromEntries(result.outcomes.map((entry) => [entry.hubspotId, entry.outcome]));
		for (const [id, expectation] of Object.entries(sandbox.dataset.expectations)) {
			if (expectation.outcome !== 'not-emitted') expect([id, outcomes[id]]).toEqual([id, expectation.outcome]);
		}
		expect(duplicateDocNumbers()).toEqual([]);
	});

	it('a crash right after the first write batch was processed, then a re-run: 0 duplicates, everything synced once', async () => {
		await setUp({ invoices: 75, linesPerInvoice: 2, skus: 20, customers: 10, failureRate: 0 });
		const before = invoicesInQuickBooks().length;
		let crashed = false;
		// The first write batch reaches QuickBooks; its answer and everything after it are lost.
		proxy.decide = (request): ProxyDecision => {
			if (crashed) return 'refuse';
			if (isInvoiceWriteBatch(request)) {
				crashed = true;
				return 'dropAfter';
			}
			return 'pass';
		};

		const first = await run();

		expect(first.lost).toBe(0);
		const writtenByFirstRun = invoicesInQuickBooks().length - before;
		expect(writtenByFirstRun).toBe(30); // one /batch call's worth
		expect(first.byOutcome.created ?? 0).toBe(0); // the node never saw a success
		expect(first.failedByCode.NETWORK_ERROR).toBeGreaterThan(0);
		expect(first.failedByCode.NETWORK_ERROR).toBe(first.outcomes.filter((entry) => entry.node === 'QuickBooks Invoice Upsert').length);

		proxy.decide = () => 'pass';
		const second = await run();

		expect(duplicateDocNumbers()).toEqual([]);
		const syncable = second.outcomes.filter((entry) => entry.outcome !== 'error');
		const created = second.outcomes.filter((entry) => entry.outcome === 'created').length;
		const unchanged = second.outcomes.filter((entry) => entry.outcome === 'unchanged').length;
		expect(unchanged).toBe(writtenByFirstRun);
		expect(created + unchanged + (second.byOutcome.updated ?? 0) + (second.byOutcome.voided ?? 0) + (second.byOutcome.skipped ?? 0)).toBe(syncable.length);
		// Every invoice that is in QuickBooks now was written exactly once.
		const hubspotLinks = invoicesInQuickBooks().flatMap((invoice) => String(invoice.PrivateNote ?? '').match(/HubSpot invoice \d+/g) ?? []);
		expect(new Set(hubspotLinks).size).toBe(hubspotLinks.length);
		expect(invoicesInQuickBooks().length - before).toBe(created + unchanged);
	});
});
