/**
 * Liveness of the trigger: after a sync writes its status back to more invoices than fit one
 * search page (the write-back changes every invoice it touches, all within a minute), the next
 * polls must still make progress — skip what they already saw, pick up a real change — instead of
 * searching the same page over and over until n8n's poll budget runs out.
 */
import type { IDataObject } from 'n8n-workflow';

import { start, type Sandbox } from '../../sandbox';
import { SyncDriver } from '../../scripts/reliability/driver';
import { blockExternalNetwork } from '../harness';
import { recordFigures } from './helpers/figures';

const SUITE = 'polling';
/** More than the trigger's search page (200). */
const INVOICES = 300;
/** A poll that finds nothing new needs a handful of searches; far more means it is going round in circles. */
const SEARCHES_PER_IDLE_POLL = 20;

jest.setTimeout(120_000);

describe('trigger liveness after a large write-back', () => {
	let sandbox: Sandbox;
	const figures: Record<string, unknown> = {};
	let stalledPolls = 0;

	beforeAll(async () => {
		blockExternalNetwork();
		sandbox = await start({ dataset: { invoices: INVOICES, seed: 51 }, limits: false });
	});

	afterAll(async () => {
		recordFigures(SUITE, { pollingStalledPolls: stalledPolls, ...figures });
		await sandbox?.close();
	});

	const searches = () => sandbox.log.count((entry) => entry.api === 'hubspot' && entry.endpoint.includes('/search'));

	/** One poll; a poll that goes round in circles is cut short (its searches start failing) so the test ends soon. */
	async function boundedPoll(driver: SyncDriver, label: string): Promise<{ items: IDataObject[]; searches: number; ms: number; failed?: string }> {
		const before = searches();
		const started = Date.now();
		const add = sandbox.log.add.bind(sandbox.log);
		let cut = false;
		sandbox.log.add = (entry) => {
			add(entry);
			if (!cut && searches() - before > SEARCHES_PER_IDLE_POLL * 2) {
				cut = true;
				sandbox.setFaults({ hubspot: { rules: [{ match: '/search$', rate500: 1 }] } });
			}
		};
		try {
			const items = await driver.poll();
			return { items, searches: searches() - before, ms: Date.now() - started };
		} catch (error) {
			return { items: [], searches: searches() - before, ms: Date.now() - started, failed: String((error as Error).message) };
		} finally {
			sandbox.log.add = add;
			sandbox.setFaults({ hubspot: undefined });
			if (cut) stalledPolls++;
			figures[`${label}Searches`] = searches() - before;
		}
	}

	it('polls after the write-back search a few pages, skip the written-back invoices and pick up a real change', async () => {
		const driver = new SyncDriver({ urls: sandbox.urls, credentials: sandbox.credentials, taxMapping: sandbox.dataset.taxMapping, writeBack: true });
		const first = await driver.poll();
		expect(first.length).toBeGreaterThan(INVOICES * 0.9);
		const execution = await driver.execute(first);
		expect(execution.outcomes.filter((outcome) => outcome.outcome === 'created').length).toBeGreaterThan(200);

		const second = await boundedPoll(driver, 'secondPoll');
		expect(second.items.map((item) => String(((item.invoice as IDataObject).source as IDataObject).id))).toEqual([]);

		// A real change in HubSpot after the write-back: the due date of one synced invoice.
		const changed = execution.outcomes.find((outcome) => outcome.outcome === 'created')!;
		const response = await fetch(`${sandbox.urls.hubspot}/crm/v3/objects/invoices/${changed.hubspotId}`, {
			method: 'PATCH',
			headers: { Authorization: `Bearer ${sandbox.credentials.hubspot.accessToken}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ properties: { hs_due_date: '2026-12-31T00:00:00.000Z' } }),
		});
		expect(response.status).toBe(200);

		const third = await boundedPoll(driver, 'thirdPoll');
		expect({ failed: third.failed, searches: third.searches <= SEARCHES_PER_IDLE_POLL }).toEqual({ failed: undefined, searches: true });
		expect(third.items.map((item) => String(((item.invoice as IDataObject).source as IDataObject).id))).toEqual([changed.hubspotId]);
		expect(stalledPolls).toBe(0);
	});
});
