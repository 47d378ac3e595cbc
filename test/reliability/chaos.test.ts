/**
 * Chaos: 1,000 generated invoices synced while 10 % of the requests to both APIs fail (429, 500,
 * 503, hung requests, dropped connections) and the access tokens of both APIs expire every few
 * dozen calls, with the real rate limits on (time-scaled). The sync runs as an active workflow
 * does — poll, execute, poll again — until nothing retryable is left; then the QuickBooks state
 * must hold every syncable invoice exactly once, correctly, and nothing else.
 */
import { start, type Sandbox } from '../../sandbox';
import { SyncDriver } from '../../scripts/reliability/driver';
import { blockExternalNetwork } from '../harness';
import { recordFigures } from './helpers/figures';
import { checkInvariant, lastOutcomes, type InvariantReport } from './helpers/invariant';
import { syncUntilSettled, type RoundsResult } from './helpers/rounds';
import { faultCounts, notifySlack, shortenHungRequests } from './helpers/sandboxTools';
import { SecretScanner, captureLogs, installSecretMarkers, sandboxSecrets, type LogCapture } from './helpers/secrets';

const SUITE = 'chaos';
const INVOICES = 1000;
/** 3 + 2 + 2 + 1 + 2 = 10 % of requests fail, on both APIs (token endpoints included). */
const FAULTS = { rate429: 0.03, rate500: 0.02, rate503: 0.02, timeoutRate: 0.01, dropRate: 0.02 };
const MAX_ROUNDS = 6;

jest.setTimeout(240_000);

describe('chaos: 1,000 invoices, 10 % failing requests, expiring tokens', () => {
	let sandbox: Sandbox;
	let restoreHung: () => void;
	let markers: ReturnType<typeof installSecretMarkers>;
	let logs: LogCapture;
	let scanner: SecretScanner;
	let rounds: RoundsResult;
	let invariant: InvariantReport;
	const started = Date.now();

	beforeAll(async () => {
		blockExternalNetwork();
		markers = installSecretMarkers();
		restoreHung = shortenHungRequests(2_000);
		sandbox = await start({
			dataset: { invoices: INVOICES, seed: 11 },
			limits: { timeScale: 10 },
			faults: {
				hubspot: { seed: 901, rules: [FAULTS], expireTokensAfterCalls: 60 },
				quickbooks: { seed: 902, rules: [FAULTS], expireTokensAfterCalls: 20 },
			},
		});
		scanner = new SecretScanner([...sandboxSecrets(sandbox), markers.qbo, markers.hubspot]);
		logs = captureLogs();
		const driver = new SyncDriver({
			urls: sandbox.urls,
			credentials: sandbox.credentials,
			taxMapping: sandbox.dataset.taxMapping,
			hubspotAuthentication: 'oAuth2',
			writeBack: true,
		});
		try {
			rounds = await syncUntilSettled(driver, { maxRounds: MAX_ROUNDS, scanner, label: SUITE });
		} finally {
			logs.restore();
		}
		const outcomes = lastOutcomes(rounds.executions);
		await notifySlack(sandbox, [...outcomes.values()].filter((outcome) => outcome.outcome === 'error'));
		invariant = checkInvariant({ dataset: sandbox.dataset, state: sandbox.quickbooks.state, outcomes, emitted: rounds.emitted });

		scanner.scan('n8n logger and console', logs.lines);
		scanner.scan('Slack messages', sandbox.slack.messages);
		scanner.scan('sandbox request log', sandbox.log.entries);
	});

	afterAll(async () => {
		const faults = sandbox ? faultCounts(sandbox) : {};
		const tokenRefreshes = sandbox ? sandbox.log.count((entry) => /oauth2\/v1\/tokens\/bearer|oauth\/v1\/token/.test(entry.path)) : 0;
		recordFigures(SUITE, {
			lost: invariant?.lost ?? INVOICES,
			duplicated: invariant?.duplicated ?? 0,
			wrong: invariant?.wrong ?? 0,
			uncaught: rounds?.uncaught ?? 0,
			secretLeaks: scanner?.count ?? 0,
			chaosInvoices: INVOICES,
			chaosRounds: rounds?.rounds,
			chaosInjectedFaults: Object.values(faults).reduce((sum, count) => sum + count, 0),
			chaosRequests: sandbox?.log.count((entry) => entry.api !== 'slack'),
			chaosTokenRefreshes: tokenRefreshes,
			chaosRetriedByRunner: rounds?.retriedByRunner,
			chaosOpenRetryable: rounds?.openRetryable,
			chaosMs: Date.now() - started,
		});
		restoreHung?.();
		markers?.restore();
		await sandbox?.close();
	});

	it('injected the faults it promised: every kind, on both APIs, and tokens were refreshed on both', () => {
		const faults = faultCounts(sandbox);
		for (const api of ['hubspot', 'quickbooks']) {
			const total = Object.entries(faults)
				.filter(([key]) => key.startsWith(`${api}:`))
				.reduce((sum, [, count]) => sum + count, 0);
			const requests = sandbox.log.count((entry) => entry.api === api);
			expect(total).toBeGreaterThan(requests * 0.05);
		}
		for (const kind of ['429', '500', '503', 'drop', 'timeout']) {
			expect(Object.keys(faults).some((key) => key.endsWith(`:${kind}`))).toBe(true);
		}
		expect(sandbox.log.count((entry) => entry.path === '/oauth2/v1/tokens/bearer' && entry.status === 200)).toBeGreaterThan(0);
		expect(sandbox.log.count((entry) => entry.path === '/oauth/v1/token' && entry.status === 200)).toBeGreaterThan(0);
	});

	it('settles: no retryable failure is left open and every emitted item reached an output', () => {
		expect(rounds.uncaughtDetails).toEqual([]);
		expect(rounds.openRetryable).toBe(0);
		expect(rounds.uncaught).toBe(0);
	});

	it('every syncable invoice is in QuickBooks exactly once, right; every other one failed with its code; nothing else', () => {
		expect(invariant.problems).toEqual([]);
		expect({ lost: invariant.lost, duplicated: invariant.duplicated, wrong: invariant.wrong }).toEqual({ lost: 0, duplicated: 0, wrong: 0 });
		expect(invariant.checked.syncable).toBeGreaterThan(INVOICES * 0.9);
		expect(invariant.checked.failing).toBeGreaterThan(20);
	});

	it('no credential appears in any output item, error, log line, Slack message or request log entry', () => {
		expect(logs.lines.length).toBeGreaterThan(0);
		expect(sandbox.slack.messages.length).toBeGreaterThan(0);
		expect(scanner.leaks).toEqual([]);
	});
});
