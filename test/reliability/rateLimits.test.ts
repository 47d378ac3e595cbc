/**
 * Rate-limit manners under sustained load, with the sandbox's real limits on (time-scaled:
 * QuickBooks 500 requests and 40 /batch calls per minute and 10 in flight per company, HubSpot's
 * ten-secondly and secondly limits) and realistic latency (every QuickBooks request takes 150 ms):
 *   - the nodes never have more than 10 QuickBooks requests in flight for the company, even with
 *     two executions running at once in the same n8n process;
 *   - they back off on 429 instead of hammering: the retry of a throttled request comes only after
 *     a backoff (measured per request through a recording proxy: same method, URL and body);
 *   - and the invoices still end up in QuickBooks exactly once.
 */
import type { IDataObject } from 'n8n-workflow';

import { start, type Sandbox } from '../../sandbox';
import { SyncDriver, type ExecutionResult } from '../../scripts/reliability/driver';
import { blockExternalNetwork } from '../harness';
import { recordFigures } from './helpers/figures';
import { checkInvariant, lastOutcomes, type InvariantReport } from './helpers/invariant';
import { measureManners, type Manners } from './helpers/manners';
import { startProxy, type RecordingProxy } from './helpers/proxy';
import { SecretScanner, captureLogs, installSecretMarkers, sandboxSecrets } from './helpers/secrets';

const SUITE = 'rateLimits';
const INVOICES = 400;
const TIME_SCALE = 6;
const QUICKBOOKS_CONCURRENCY_LIMIT = 10;
const MAX_ATTEMPTS = 6;

jest.setTimeout(240_000);

describe('rate-limit manners under sustained load (real limits, time-scaled)', () => {
	let sandbox: Sandbox;
	let quickbooksProxy: RecordingProxy;
	let hubspotProxy: RecordingProxy;
	let markers: ReturnType<typeof installSecretMarkers>;
	const scanner = new SecretScanner();
	let quickbooks: Manners;
	let hubspot: Manners;
	let maxConcurrent = 0;
	let maxInFlightAtProxy = 0;
	let report: InvariantReport;
	let uncaught = 0;
	let rounds = 0;
	const started = Date.now();

	beforeAll(async () => {
		blockExternalNetwork();
		markers = installSecretMarkers();
		sandbox = await start({
			dataset: { invoices: INVOICES, seed: 41 },
			// Tighter than the defaults (still time-scaled) so two executions of 400 invoices meet them.
			limits: { timeScale: TIME_SCALE, quickbooks: { batchPerMinute: 20 }, hubspot: { tenSecondly: 12 } },
			// Realistic latency, so requests overlap the way they do against the real API.
			faults: { quickbooks: { rules: [{ match: '^(GET|POST) /v3/', slowRate: 1, slowMs: 150 }] } },
		});
		quickbooksProxy = await startProxy(sandbox.urls.quickbooks);
		hubspotProxy = await startProxy(sandbox.urls.hubspot);
		scanner.addSecrets([...sandboxSecrets(sandbox), markers.qbo, markers.hubspot]);
		const logs = captureLogs();
		const executions: ExecutionResult[] = [];
		let items: IDataObject[] = [];
		try {
			const driver = new SyncDriver({ urls: { ...sandbox.urls, quickbooks: quickbooksProxy.url, hubspot: hubspotProxy.url }, credentials: sandbox.credentials, taxMapping: sandbox.dataset.taxMapping });
			items = await driver.poll();
			scanner.scan('rate limits: poll items', items);
			// Two executions at once over two halves of the invoices: one process, one company gate. The
			// halves share no customer (concurrent creation of one customer is the concurrent suite's topic).
			const emailOf = (item: IDataObject) => String(((item.invoice as IDataObject)?.customer as IDataObject)?.email ?? '');
			const halfOf = (item: IDataObject) => [...emailOf(item)].reduce((sum, character) => sum + character.charCodeAt(0), 0) % 2;
			let batches = [items.filter((item) => halfOf(item) === 0), items.filter((item) => halfOf(item) === 1)];
			while (batches.some((batch) => batch.length) && rounds < 5) {
				rounds++;
				const results = await Promise.all(batches.map(async (batch) => await driver.execute(batch)));
				executions.push(...results);
				for (const result of results) {
					uncaught += result.lost + Object.keys(result.nodeErrors).length + (result.thrown ? 1 : 0);
					scanner.scan('rate limits: execution', result.run ?? result.outcomes);
				}
				// Invoices that ran out of retries (RATE_LIMITED is retryable) go again, as a retry would.
				const again = new Set(results.flatMap((result) => result.outcomes.filter((outcome) => outcome.retryable).map((outcome) => outcome.hubspotId)));
				const retry = items.filter((item) => again.has(String(((item.invoice as IDataObject)?.source as IDataObject)?.id)));
				batches = [retry];
			}
		} finally {
			logs.restore();
			scanner.scan('rate limits: logs', logs.lines);
		}
		const emitted = new Set(items.map((item) => String(((item.invoice as IDataObject)?.source as IDataObject)?.id)));
		report = checkInvariant({ dataset: sandbox.dataset, state: sandbox.quickbooks.state, outcomes: lastOutcomes(executions), emitted });
		quickbooks = measureManners(quickbooksProxy.exchanges.filter((exchange) => exchange.url.startsWith('/v3/')));
		hubspot = measureManners(hubspotProxy.exchanges);
		maxConcurrent = sandbox.log.maxConcurrent();
		maxConcurrent = Math.max(0, ...sandbox.log.entries.filter((entry) => entry.api === 'quickbooks' && entry.path.startsWith('/v3/')).map((entry) => entry.concurrent));
		maxInFlightAtProxy = Math.max(0, ...quickbooksProxy.exchanges.filter((exchange) => exchange.url.startsWith('/v3/')).map((exchange) => exchange.inFlight));
	});

	afterAll(async () => {
		recordFigures(SUITE, {
			lost: report?.lost ?? INVOICES,
			duplicated: report?.duplicated ?? 0,
			wrong: report?.wrong ?? 0,
			uncaught,
			secretLeaks: scanner.count,
			maxConcurrentQuickBooks: maxConcurrent,
			quickbooks429: quickbooks?.throttled,
			quickbooksRetriesWithinBackoffWindow: quickbooks?.retriesWithinBackoffWindow,
			quickbooksMinRetryGapMs: quickbooks?.minRetryGapMs,
			quickbooksMedianRetryGapMs: quickbooks?.medianRetryGapMs,
			quickbooksRequestsWithinWindowPer429: quickbooks?.requestsWithinWindowPer429,
			hubspot429: hubspot?.throttled,
			hubspotRetriesWithinBackoffWindow: hubspot?.retriesWithinBackoffWindow,
			hubspotMinRetryGapMs: hubspot?.minRetryGapMs,
			rateLimitRounds: rounds,
			rateLimitMs: Date.now() - started,
		});
		markers?.restore();
		await quickbooksProxy?.close();
		await hubspotProxy?.close();
		await sandbox?.close();
	});

	it('never more than 10 QuickBooks requests in flight for the company (two executions at once)', () => {
		expect(maxInFlightAtProxy).toBeGreaterThan(2); // the load really overlapped
		expect(maxConcurrent).toBeLessThanOrEqual(QUICKBOOKS_CONCURRENCY_LIMIT);
		expect(maxInFlightAtProxy).toBeLessThanOrEqual(QUICKBOOKS_CONCURRENCY_LIMIT);
	});

	it('QuickBooks: throttled requests were retried only after a backoff, never more than the retry budget', () => {
		expect(quickbooks.throttled).toBeGreaterThan(0); // the limits really bit
		expect({ hammered: quickbooks.hammered, retriesWithinBackoffWindow: quickbooks.retriesWithinBackoffWindow }).toEqual({ hammered: 0, retriesWithinBackoffWindow: 0 });
		expect(quickbooks.maxAttemptsOfOneRequest).toBeLessThanOrEqual(MAX_ATTEMPTS);
	});

	it('HubSpot: throttled requests were retried only after a backoff', () => {
		expect(hubspot.throttled).toBeGreaterThan(0);
		expect({ hammered: hubspot.hammered, retriesWithinBackoffWindow: hubspot.retriesWithinBackoffWindow }).toEqual({ hammered: 0, retriesWithinBackoffWindow: 0 });
	});

	it('every invoice still ends up in QuickBooks exactly once, and nothing leaked', () => {
		expect(uncaught).toBe(0);
		expect(report.problems).toEqual([]);
		expect(scanner.leaks).toEqual([]);
	});
});
