/**
 * Lost answers on HubSpot writes, QuickBooks → HubSpot: HubSpot carries out a batch create but the
 * answer never arrives (the connection drops after the write, which sampled chaos never produces:
 * the sandbox's injected faults come before the write). HubSpot creates take no idempotency key,
 * so the transport does not repeat a create whose answer may be lost: the items fail with the
 * retryable HUBSPOT_UNAVAILABLE and the next run finishes them exactly once (a lost invoice create
 * leaves drafts found by their link and finished as updates; a lost line-item create on a new
 * invoice is undone with every line associated, and the invoice made again). A payment found by
 * its reference is not recorded twice. Run:
 *   npx jest -c jest.reliability.config.js test/reliability/reverseLostAnswers.test.ts
 */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: async () => {} }));

import { tallyToHubSpot } from '../../scripts/demo/reverseReport';
import { ReverseDriver, reverseCredentials } from '../../scripts/reliability/reverseDriver';
import type { InvariantReport } from './helpers/invariant';
import { startProxy } from './helpers/proxy';
import { checkReverseInvariant } from './helpers/reverseInvariant';
import { reverseReportOutcomes, syncReverseUntilSettled } from './helpers/reverseRounds';
import { actAsUser, reverseDriverConfig, scenarioExpectations, startReverseScenario, typeInInvoices } from './helpers/reverseScenario';
import { sandboxSecrets } from './helpers/secrets';
import { reliabilitySuite } from './helpers/suite';

const SUITE = 'reverseLostAnswers';
const TYPED_IN = 5;

jest.setTimeout(120_000);

describe('reverse lost answers: HubSpot wrote, the answer never arrived', () => {
	const suite = reliabilitySuite(SUITE);
	const dropped: Record<string, number> = {};
	suite.figures.reverseLostAnswersDropped = dropped;

	/** Syncs with the answer of the first `objectType` batch create lost after HubSpot carried it out. */
	async function lose(objectType: string): Promise<InvariantReport> {
		const scenario = await startReverseScenario({ limits: false });
		const { sandbox, data } = scenario;
		const proxy = await startProxy(sandbox.urls.hubspot);
		let report: InvariantReport | undefined;
		try {
			suite.scanner.addSecrets(sandboxSecrets(sandbox));
			await typeInInvoices(scenario, TYPED_IN, 41);
			proxy.hooks.afterServer = (exchange) => {
				if (exchange.method !== 'POST' || exchange.url.split('?')[0] !== `/crm/v3/objects/${objectType}/batch/create` || dropped[objectType]) return;
				dropped[objectType] = 1;
				return 'drop';
			};
			const urls = { ...sandbox.urls, hubspot: proxy.url };
			const driver = new ReverseDriver(reverseDriverConfig(scenario, { urls }), reverseCredentials({ urls, credentials: sandbox.credentials }, data.realmId));
			const rounds = await syncReverseUntilSettled(driver, {
				maxRounds: 5,
				minRounds: 3,
				scanner: suite.scanner,
				label: `${SUITE} ${objectType}`,
				beforeRound: async (round) => {
					if (round === 2) await actAsUser(scenario, data.actions);
				},
			});
			suite.totals.uncaught += rounds.uncaught + rounds.openRetryable;
			report = checkReverseInvariant({ sandbox, realmId: data.realmId, expectations: scenarioExpectations(scenario), summary: tallyToHubSpot(reverseReportOutcomes(rounds.executions)), createdByCrashedRun: true });
			expect(dropped[objectType]).toBe(1);
		} finally {
			if (report) suite.addReport(report);
			else suite.totals.lost += TYPED_IN;
			await proxy.close();
			await sandbox.close();
		}
		return report;
	}

	it('invoices created, answer lost: no second HubSpot invoice for any QuickBooks invoice (the create is not retried; the next run finds the drafts by their link and finishes them)', async () => {
		const report = await lose('invoices');
		expect(report.problems).toEqual([]);
	});

	it('line items created, answer lost: no line item twice (the create is not retried; the unfinished invoices are undone and made again by the next run)', async () => {
		const report = await lose('line_items');
		expect(report.problems).toEqual([]);
	});

	it('payment recorded, answer lost: no payment twice', async () => {
		const report = await lose('commerce_payments');
		expect(report.problems).toEqual([]);
	});
});
