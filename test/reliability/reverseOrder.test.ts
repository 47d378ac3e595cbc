/**
 * The two QuickBooks → HubSpot templates poll on their own schedules, so the payments template can
 * see a QuickBooks payment before the invoice template has created the HubSpot invoice (it polls
 * first, or the invoice template's poll failed — what reverseChaos produced with a change data
 * capture outage). The payment must still reach HubSpot: every invoice ends with the status,
 * amount paid and balance QuickBooks has, whichever template ran first.
 *
 * A payment for a QuickBooks invoice with no HubSpot invoice yet is `skipped` by the payments
 * template; the invoice template's create then carries what QuickBooks has been paid (its figures,
 * and with Record HubSpot Payments a HubSpot payment for the amount): QB-5002, paid in full in
 * QuickBooks, ends `paid` in HubSpot, the part-paid QB-5003 and QB-5008 show their figures. Run:
 *   npx jest -c jest.reliability.config.js test/reliability/reverseOrder.test.ts
 */
import { tallyToHubSpot } from '../../scripts/demo/reverseReport';
import { ReverseDriver, reverseCredentials, type ReverseExecution } from '../../scripts/reliability/reverseDriver';
import type { InvariantReport } from './helpers/invariant';
import { checkReverseInvariant } from './helpers/reverseInvariant';
import { countUncaught, reverseReportOutcomes } from './helpers/reverseRounds';
import { reverseDriverConfig, scenarioExpectations, startReverseScenario, type ReverseScenario } from './helpers/reverseScenario';
import { sandboxSecrets } from './helpers/secrets';
import { reliabilitySuite } from './helpers/suite';

const SUITE = 'reverseOrder';

jest.setTimeout(120_000);

describe('reverse order: the payments template runs before the invoice template', () => {
	const suite = reliabilitySuite(SUITE);
	let scenario: ReverseScenario;
	let report: InvariantReport;
	const executions: ReverseExecution[] = [];

	beforeAll(async () => {
		scenario = await startReverseScenario({ limits: false });
		const { sandbox, data } = scenario;
		suite.scanner.addSecrets(sandboxSecrets(sandbox));
		const driver = new ReverseDriver(reverseDriverConfig(scenario), reverseCredentials(sandbox, data.realmId));
		const uncaught = { uncaught: 0, uncaughtDetails: [] as string[] };
		// Payments first, then invoices, then both again (nothing changed in QuickBooks in between).
		for (const template of ['reversePayments', 'reverseSync', 'reversePayments', 'reverseSync'] as const) {
			const execution = await driver.execute(template, await driver.poll(template));
			countUncaught(uncaught, execution, template);
			suite.scanner.scan(`${SUITE} ${template}`, execution.run ?? execution.outcomes);
			executions.push(execution);
		}
		suite.totals.uncaught += uncaught.uncaught;
		// This run has no user: the invoices the data set's later actions change are expected as QuickBooks
		// holds them now; the one the forward sync made has nothing to pay yet.
		const touched = data.actions.map((action) => action.docNumber).filter((docNumber) => docNumber !== 'INV-2001');
		const expectations = scenarioExpectations(scenario, touched);
		delete expectations['211'];
		report = checkReverseInvariant({ sandbox, realmId: data.realmId, expectations, summary: tallyToHubSpot(reverseReportOutcomes(executions)) });
		suite.addReport(report);
	});

	afterAll(async () => {
		await scenario?.sandbox.close();
	});

	it('payments QuickBooks had before the invoice reached HubSpot are in HubSpot in the end: the create carries them', () => {
		expect(report.problems).toEqual([]);
	});

	it('the payments of invoices not yet in HubSpot were seen by the payments template first (the case this file is about)', () => {
		const first = executions[0].outcomes.map((outcome) => outcome.quickbooksId);
		expect(first).toEqual(expect.arrayContaining(['202', '203', '208']));
	});
});
