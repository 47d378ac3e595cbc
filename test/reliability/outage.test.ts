/**
 * The two failures chaos sampling rarely produces, forced through the recording proxy:
 *   1. lost answers: QuickBooks carries out an invoice batch write but the answer never arrives
 *      (the connection drops); the transport's retry sends the same request again and QuickBooks'
 *      requestid replay must answer it without writing twice;
 *   2. an outage longer than the retries: every invoice write fails (503) for a whole execution;
 *      the invoices fail with a retryable code, the write-back marks them failed (without the sync
 *      hash), so the next poll brings them back by itself — and they are written exactly once.
 */
import type { IDataObject } from 'n8n-workflow';

import { start, type Sandbox } from '../../sandbox';
import { SyncDriver } from '../../scripts/reliability/driver';
import { checkInvariant, lastOutcomes, type InvariantReport } from './helpers/invariant';
import { isInvoiceWrite, startProxy, type RecordingProxy } from './helpers/proxy';
import { syncUntilSettled } from './helpers/rounds';
import { captureLogs, sandboxSecrets } from './helpers/secrets';
import { reliabilitySuite } from './helpers/suite';

const SUITE = 'outage';

jest.setTimeout(180_000);

describe('lost answers and an outage longer than the retries', () => {
	const suite = reliabilitySuite(SUITE);
	const { scanner, totals, figures } = suite;

	async function withSandbox(invoices: number, seed: number, body: (sandbox: Sandbox, proxy: RecordingProxy) => Promise<InvariantReport>): Promise<InvariantReport> {
		const sandbox = await start({ dataset: { invoices, seed }, limits: false });
		const proxy = await startProxy(sandbox.urls.quickbooks);
		scanner.addSecrets(sandboxSecrets(sandbox));
		const logs = captureLogs();
		try {
			const report = await body(sandbox, proxy);
			suite.addReport(report);
			return report;
		} finally {
			logs.restore();
			scanner.scan(`${SUITE}: logs`, logs.lines);
			await proxy.close();
			await sandbox.close();
		}
	}

	it('an invoice batch whose answer is lost after QuickBooks wrote it is replayed, not written twice', async () => {
		const report = await withSandbox(150, 61, async (sandbox, proxy) => {
			const answered = new Set<string>();
			proxy.hooks.afterServer = (exchange) => {
				if (!isInvoiceWrite(exchange) || answered.has(exchange.url)) return;
				answered.add(exchange.url);
				return 'drop'; // written in QuickBooks; the client sees a dropped connection
			};
			const driver = new SyncDriver({ urls: { ...sandbox.urls, quickbooks: proxy.url }, credentials: sandbox.credentials, taxMapping: sandbox.dataset.taxMapping });
			const rounds = await syncUntilSettled(driver, { maxRounds: 3, scanner, label: 'lost answers' });
			totals.uncaught += rounds.uncaught;
			const replays = sandbox.log.count((entry) => entry.detail === 'replay');
			figures.lostAnswers = answered.size;
			figures.lostAnswersReplayed = replays;
			expect(answered.size).toBeGreaterThan(2);
			expect(replays).toBeGreaterThanOrEqual(answered.size);
			expect(rounds.uncaughtDetails).toEqual([]);
			return checkInvariant({ dataset: sandbox.dataset, state: sandbox.quickbooks.state, outcomes: lastOutcomes(rounds.executions), emitted: rounds.emitted });
		});
		expect(report.problems).toEqual([]);
	});

	it('invoices that failed a whole outage come back with the next poll and are written once', async () => {
		const report = await withSandbox(60, 62, async (sandbox, proxy) => {
			let outage = true;
			proxy.hooks.beforeServer = (exchange) => {
				if (!outage || !isInvoiceWrite(exchange)) return;
				return { status: 503, body: { Fault: { Error: [{ Message: 'Service Unavailable', Detail: 'System Failure Error: Service Unavailable', code: '10000' }], type: 'SystemFault' } } };
			};
			const driver = new SyncDriver({ urls: { ...sandbox.urls, quickbooks: proxy.url }, credentials: sandbox.credentials, taxMapping: sandbox.dataset.taxMapping, writeBack: true });
			const first = await driver.poll();
			const during = await driver.execute(first);
			scanner.scan('outage: execution during the outage', during.run ?? during.outcomes);
			const failed = during.outcomes.filter((outcome) => outcome.outcome === 'error' && outcome.retryable);
			expect(failed.length).toBeGreaterThan(40);
			expect([...new Set(failed.map((outcome) => outcome.code))]).toEqual(['QUICKBOOKS_UNAVAILABLE']);
			outage = false;

			const after = await syncUntilSettled(driver, { maxRounds: 4, scanner, label: 'after the outage' });
			totals.uncaught += after.uncaught + during.lost;
			figures.outageFailedRetryable = failed.length;
			figures.outageBroughtBackByPoll = after.emitted.size;
			figures.outageRetriedByRunner = after.retriedByRunner;
			// The write-back of a retryable failure changes the invoice without the sync hash: the poll re-emits it.
			expect(after.retriedByRunner).toBe(0);
			expect(new Set(failed.map((outcome) => outcome.hubspotId))).toEqual(new Set([...after.emitted]));
			const emitted = new Set(first.map((item) => String(((item.invoice as IDataObject).source as IDataObject).id)));
			return checkInvariant({ dataset: sandbox.dataset, state: sandbox.quickbooks.state, outcomes: lastOutcomes([during, ...after.executions]), emitted });
		});
		expect(report.problems).toEqual([]);
		expect(scanner.leaks).toEqual([]);
	});
});
