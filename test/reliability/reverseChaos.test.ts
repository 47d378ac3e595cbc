/**
 * Chaos, QuickBooks → HubSpot: the reverse data set (every failure it describes) plus 60 invoices a
 * user types into QuickBooks, synced by both reverse templates while about 15 % of HubSpot requests
 * (reads and writes) and 10 % of QuickBooks requests (20 % of queries, a third of change data capture calls) fail —
 * 429, 500, 503, hung requests, dropped connections — and both APIs' access tokens expire every few
 * dozen calls. Between polls the user receives payments, applies a credit, voids and deletes.
 * The templates run as active workflows do (poll, execute, retry an execution whose items failed
 * with a retryable code) until nothing is left; then every QuickBooks invoice must be in HubSpot
 * exactly once, right (status, amount paid, balance, lines), its payments recorded once, every
 * failing invoice on an error output with its code and nothing written for it, nothing else.
 */
// The sandbox runs its rate-limit windows ten times faster (timeScale 10): the nodes' waits (backoff,
// Retry-After, search spacing) are scaled the same way, so the run is faster and keeps its proportions.
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: async (ms: number) => await actual.sleep(Math.ceil(ms / 10)) };
});

import { faultCounts, shortenHungRequests } from './helpers/sandboxTools';
import { captureLogs, sandboxSecrets, type LogCapture } from './helpers/secrets';
import { reliabilitySuite } from './helpers/suite';
import { associated, checkReverseInvariant, liveSnapshot } from './helpers/reverseInvariant';
import { reverseReportOutcomes, syncReverseUntilSettled, type ReverseRoundsResult } from './helpers/reverseRounds';
import { actAsUser, laterActions, reverseDriverConfig, scenarioExpectations, startReverseScenario, typeInInvoices, type ReverseScenario } from './helpers/reverseScenario';
import type { InvariantReport } from './helpers/invariant';
import { ReverseDriver, reverseCredentials } from '../../scripts/reliability/reverseDriver';
import { tallyToHubSpot } from '../../scripts/demo/reverseReport';

const SUITE = 'reverseChaos';
const TYPED_IN = 60;
const HUBSPOT_FAULTS = { rate429: 0.05, rate500: 0.03, rate503: 0.03, timeoutRate: 0.01, dropRate: 0.03 };
/** QuickBooks: change data capture and queries (the trigger's reads) fail more often than the rest. */
const QUICKBOOKS_FAULTS = [
	// A poll makes one or two change data capture calls: a third of them fail (the transport's
	// retries absorb them; a poll that fails outright is reverseOrder.test.ts's case).
	{ match: '/cdc$', rate429: 0.05, rate500: 0.08, rate503: 0.08, timeoutRate: 0.04, dropRate: 0.08 },
	{ match: '/query$', rate429: 0.05, rate500: 0.04, rate503: 0.04, timeoutRate: 0.02, dropRate: 0.05 },
	{ rate429: 0.03, rate500: 0.02, rate503: 0.02, timeoutRate: 0.01, dropRate: 0.02 },
];
const MAX_ROUNDS = 8;

jest.setTimeout(240_000);

describe('reverse chaos: QuickBooks → HubSpot with failing requests on both APIs and expiring tokens', () => {
	const suite = reliabilitySuite(SUITE);
	let scenario: ReverseScenario;
	let restoreHung: () => void;
	let logs: LogCapture;
	let rounds: ReverseRoundsResult;
	let invariant: InvariantReport;
	const started = Date.now();

	beforeAll(async () => {
		// Lost until the check says otherwise (a run that never gets there must not report 0).
		suite.totals.lost += TYPED_IN;
		restoreHung = shortenHungRequests(1_000);
		scenario = await startReverseScenario({
			limits: { timeScale: 10 },
			faults: {
				hubspot: { seed: 1901, rules: [HUBSPOT_FAULTS], expireTokensAfterCalls: 30 },
				quickbooks: { seed: 1902, rules: QUICKBOOKS_FAULTS, expireTokensAfterCalls: 8 },
			},
		});
		const { sandbox, data } = scenario;
		suite.scanner.addSecrets(sandboxSecrets(sandbox));
		await typeInInvoices(scenario, TYPED_IN, 17);
		const driver = new ReverseDriver(reverseDriverConfig(scenario, { hubspotAuthentication: 'oAuth2' }), reverseCredentials(sandbox, data.realmId));
		logs = captureLogs();
		try {
			rounds = await syncReverseUntilSettled(driver, {
				maxRounds: MAX_ROUNDS,
				minRounds: 3,
				scanner: suite.scanner,
				label: SUITE,
				// Before the second round, the user: the data set's actions, then payments and voids on typed-in invoices.
				beforeRound: async (round) => {
					if (round === 2) await actAsUser(scenario, [...data.actions, ...laterActions(scenario.typedIn, 23)]);
					// Tokens also expire between polls (the fault counters restart when the user's visit resets the faults).
					sandbox.quickbooks.expireAccessTokens();
					sandbox.hubspot.expireAccessTokens();
				},
			});
		} finally {
			logs.restore();
		}
		suite.totals.uncaught += rounds.uncaught + rounds.openRetryable;
		const summary = tallyToHubSpot(reverseReportOutcomes(rounds.executions));
		invariant = checkReverseInvariant({ sandbox, realmId: data.realmId, expectations: scenarioExpectations(scenario), summary });
		suite.totals.lost -= TYPED_IN;
		suite.addReport(invariant);
		suite.scanner.scan(`${SUITE}: n8n logger and console`, logs.lines);
		suite.scanner.scan(`${SUITE}: sandbox request log`, sandbox.log.entries);
		Object.assign(suite.figures, {
			reverseChaosInvoices: Object.keys(scenarioExpectations(scenario)).length,
			reverseChaosRounds: rounds.rounds,
			reverseChaosInjectedFaults: Object.values(faultCounts(sandbox)).reduce((sum, count) => sum + count, 0),
			reverseChaosRequests: sandbox.log.count((entry) => entry.api !== 'slack'),
			reverseChaosRetriedByRunner: rounds.retriedByRunner,
			reverseChaosPollFailures: rounds.pollFailures,
			reverseChaosMs: Date.now() - started,
		});
	});

	afterAll(async () => {
		restoreHung?.();
		await scenario?.sandbox.close();
	});

	it('injected the faults it promised on both APIs, reads and writes, and refreshed tokens on both', () => {
		const { sandbox } = scenario;
		const faults = faultCounts(sandbox);
		for (const kind of ['429', '500', '503', 'drop', 'timeout']) expect([kind, faults[`hubspot:${kind}`] > 0]).toEqual([kind, true]);
		// QuickBooks sees far fewer requests in this direction: at least three kinds of fault.
		expect(Object.keys(faults).filter((key) => key.startsWith('quickbooks:')).length).toBeGreaterThanOrEqual(3);
		const faulted = (pattern: RegExp) => sandbox.log.count((entry) => Boolean(entry.fault) && pattern.test(`${entry.method} ${entry.path}`));
		expect(faulted(/^POST .*\/batch\/(create|update)$/)).toBeGreaterThan(0); // HubSpot writes
		expect(sandbox.log.count((entry) => entry.api === 'hubspot' && Boolean(entry.fault) && !/\/batch\/(create|update|archive)$|associat/.test(entry.path))).toBeGreaterThan(0); // HubSpot reads
		expect(faulted(/\/cdc$/)).toBeGreaterThan(0); // QuickBooks change data capture
		expect(sandbox.log.count((entry) => entry.path === '/oauth2/v1/tokens/bearer' && entry.status === 200)).toBeGreaterThan(0);
		expect(sandbox.log.count((entry) => entry.path === '/oauth/v1/token' && entry.status === 200)).toBeGreaterThan(0);
	});

	it('settles: every emitted item reached an output, no node stopped, no retryable failure left open', () => {
		expect(rounds.uncaughtDetails).toEqual([]);
		expect(rounds.openRetryable).toBe(0);
	});

	it('every QuickBooks invoice ends right in HubSpot exactly once (status, paid, balance, lines, payments); every failing one has its code and nothing in HubSpot', () => {
		expect(invariant.problems).toEqual([]);
		expect({ lost: invariant.lost, duplicated: invariant.duplicated, wrong: invariant.wrong }).toEqual({ lost: 0, duplicated: 0, wrong: 0 });
		expect(invariant.checked.syncable).toBeGreaterThanOrEqual(TYPED_IN);
		expect(invariant.checked.failing).toBe(4);
	});

	it('no credential in any output item, error, log line or request log entry', () => {
		expect(logs.lines.length).toBeGreaterThan(0);
		expect(suite.scanner.leaks).toEqual([]);
	});

	// Last: it plants faults in the synced state, after the figures are taken.
	it('the check sees planted faults: a line item twice, a second HubSpot invoice, a payment twice, a missing invoice', () => {
		const { sandbox, data } = scenario;
		const expectations = scenarioExpectations(scenario);
		const summary = tallyToHubSpot(reverseReportOutcomes(rounds.executions));
		const snapshot = liveSnapshot(sandbox);
		const forQuickBooks = (id: string) => snapshot.objects.invoices.find((invoice: any) => invoice.properties.qbo_invoice_id === id && !invoice.archived);
		const [first, second, third] = Object.entries(expectations).filter(([id, expected]) => expected.hubspot?.status === 'open' && forQuickBooks(id)).map(([id]) => forQuickBooks(id));
		const line = snapshot.objects.line_items.find((item: any) => item.id === associated(snapshot, 'invoices', first.id, 'line_items')[0]);
		sandbox.hubspot.createObject('line_items', line.properties, [{ toType: 'invoices', toId: first.id }]);
		sandbox.hubspot.createObject('invoices', { ...second.properties, hs_object_id: undefined });
		const payment = { hs_reference_number: 'planted', hs_initial_amount: '0.01' };
		for (let n = 0; n < 2; n++) sandbox.hubspot.createObject('commerce_payments', payment, [{ toType: 'invoices', toId: third.id }]);
		const planted = checkReverseInvariant({ sandbox, realmId: data.realmId, expectations, summary });
		const found = (pattern: RegExp) => planted.problems.filter((problem) => pattern.test(problem)).length;
		expect({ lines: found(/2 times in HubSpot, 1 in QuickBooks/), invoices: found(/: 2 HubSpot invoices, expected 1/), payments: found(/"planted" recorded 2 times/) }).toEqual({ lines: 1, invoices: 1, payments: 1 });
		expect(planted.duplicated).toBeGreaterThanOrEqual(3);
		sandbox.hubspot.mutate('invoices', third.id, { qbo_invoice_id: 'elsewhere' });
		const lost = checkReverseInvariant({ sandbox, realmId: data.realmId, expectations, summary });
		expect(lost.lost).toBe(1);
		expect(lost.wrong).toBeGreaterThanOrEqual(1); // the invoice now names a QuickBooks invoice that does not exist
	});
});
