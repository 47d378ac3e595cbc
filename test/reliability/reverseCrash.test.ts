/**
 * Crash and re-run, QuickBooks → HubSpot: the reverse templates run in their own process
 * (scripts/reliability/reverseChild.ts), SIGKILLed at points where HubSpot has carried out a write
 * the process never heard about (invoices created, a payment recorded; line items whose answer is lost are
 * reverseLostAnswers.test.ts's);
 * meanwhile the QuickBooks user receives payments and voids; then a fresh process starts on the same
 * persisted state (cursors, stored credentials, the crashed execution's items — what n8n keeps),
 * retries the crashed execution and polls on. HubSpot must then hold every QuickBooks invoice exactly once, right: no second
 * invoice, no line item or payment twice, no invoice left a draft or without its lines.
 *
 * HubSpot traffic goes through a recording proxy, which can lose the answer to a write HubSpot
 * already carried out.
 */
import { tallyToHubSpot, type ToHubSpotOutcome } from '../../scripts/demo/reverseReport';
import type { ReverseChildState } from '../../scripts/reliability/reverseChild';
import { reverseCredentials } from '../../scripts/reliability/reverseDriver';
import { REVERSE_CHILD_SCRIPT, readState, startChild, writeNewState, type ChildHandle, type ChildRun } from './helpers/child';
import type { InvariantReport } from './helpers/invariant';
import { startProxy, type Exchange, type RecordingProxy } from './helpers/proxy';
import { checkReverseInvariant } from './helpers/reverseInvariant';
import { actAsUser, laterActions, reverseDriverConfig, scenarioExpectations, startReverseScenario, typeInInvoices, type ReverseScenario } from './helpers/reverseScenario';
import { sandboxSecrets } from './helpers/secrets';
import { reliabilitySuite } from './helpers/suite';

const SUITE = 'reverseCrash';
const TYPED_IN = 12;

jest.setTimeout(180_000);

const hubspotWrite = (objectType: string, operation: 'create' | 'update') => (exchange: Pick<Exchange, 'method' | 'url'>) =>
	exchange.method === 'POST' && new RegExp(`/crm/v3/objects/${objectType}/batch/${operation}(\\?|$)`).test(exchange.url);

interface KillPoint {
	name: string;
	/** The HubSpot write whose answer the process never gets. */
	write: (exchange: Pick<Exchange, 'method' | 'url'>) => boolean;
	/** 'after': HubSpot carried it out; 'before': it never reached HubSpot. */
	when: 'after' | 'before';
}

const KILL_POINTS: KillPoint[] = [
	{ name: 'after HubSpot created the draft invoices, before the answer', write: hubspotWrite('invoices', 'create'), when: 'after' },
	{ name: 'after HubSpot recorded a payment, before the answer', write: hubspotWrite('commerce_payments', 'create'), when: 'after' },
];

function arm(proxy: RecordingProxy, child: ChildHandle, point: KillPoint): () => void {
	const hook = (exchange: Exchange) => {
		if (!point.write(exchange)) return;
		child.kill(`${point.name}`);
		return 'drop' as const;
	};
	if (point.when === 'after') proxy.hooks.afterServer = hook;
	else proxy.hooks.beforeServer = hook;
	return () => (proxy.hooks = {});
}

function outcomesOf(state: ReverseChildState): ToHubSpotOutcome[] {
	return state.executions.flatMap((execution) =>
		(execution.outcomes ?? []).map((outcome): ToHubSpotOutcome =>
			outcome.outcome === 'error' ? { failure: { quickbooksId: outcome.quickbooksId, code: outcome.code ?? 'UNKNOWN' } } : { write: { sourceId: outcome.quickbooksId, targetId: outcome.hubspotId, action: outcome.outcome } },
		),
	);
}

async function settled(proxy: RecordingProxy, timeoutMs = 10_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (proxy.exchanges.some((exchange) => exchange.fate === undefined) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('reverse crash and re-run: SIGKILL at HubSpot writes, then fresh processes', () => {
	const suite = reliabilitySuite(SUITE);
	const { scanner, totals, figures } = suite;
	const started = Date.now();
	figures.reverseCrashKillPoints = KILL_POINTS.length;

	for (const point of KILL_POINTS) {
		it(`killed ${point.name}: the re-run writes nothing twice, loses nothing and leaves nothing half-written`, async () => {
			const scenario: ReverseScenario = await startReverseScenario({ limits: false });
			const { sandbox, data } = scenario;
			const proxy = await startProxy(sandbox.urls.hubspot);
			let report: InvariantReport | undefined;
			const runs: ChildRun[] = [];
			try {
				scanner.addSecrets(sandboxSecrets(sandbox));
				await typeInInvoices(scenario, TYPED_IN, 31);
				const config = reverseDriverConfig(scenario, { urls: { ...sandbox.urls, hubspot: proxy.url } });
				const stateFile = writeNewState<ReverseChildState>({ config, credentials: reverseCredentials({ urls: config.urls, credentials: sandbox.credentials }, data.realmId), staticData: {}, executions: [] });

				const first = startChild(stateFile, { script: REVERSE_CHILD_SCRIPT });
				const disarm = arm(proxy, first, point);
				const crashed = await first.done;
				disarm();
				runs.push(crashed);
				expect({ killed: crashed.killedBecause, signal: crashed.signal, stderr: crashed.stderr.slice(0, 500) }).toMatchObject({ killed: point.name, signal: 'SIGKILL' });
				await settled(proxy);
				expect(proxy.exchanges.some((exchange) => point.write(exchange) && exchange.fate === (point.when === 'after' ? 'dropped-after-server' : 'dropped-before-server'))).toBe(true);

				// The user's later actions while n8n is down; the restarted process retries the crashed execution, then polls.
				await actAsUser(scenario, [...data.actions, ...laterActions(scenario.typedIn, 37)]);
				runs.push(await startChild(stateFile, { script: REVERSE_CHILD_SCRIPT }).done);
				for (const run of runs.slice(1)) expect({ code: run.code, stderr: run.stderr.slice(-2000) }).toEqual({ code: 0, stderr: '' });

				const state = readState<ReverseChildState>(stateFile);
				expect(state.executions.filter((execution) => execution.status === 'running')).toEqual([]);
				for (const execution of state.executions) totals.uncaught += (execution.lost ?? 0) + Object.keys(execution.nodeErrors ?? {}).length + (execution.thrown ? 1 : 0);
				report = checkReverseInvariant({ sandbox, realmId: data.realmId, expectations: scenarioExpectations(scenario), summary: tallyToHubSpot(outcomesOf(state)), createdByCrashedRun: true });
				const drafts = (sandbox.hubspot.snapshot() as any).objects.invoices.filter((invoice: any) => !invoice.archived && invoice.properties.hs_invoice_status === 'draft');
				for (const draft of drafts) report.problems.push(`HubSpot invoice ${String(draft.id)} (QuickBooks ${String(draft.properties.qbo_invoice_id)}) left a draft`);
				report.wrong += drafts.length;
				scanner.scan(`${point.name}: executions`, state.executions);
				scanner.scan(`${point.name}: poll errors`, state.pollErrors ?? []);
			} finally {
				for (const run of runs) scanner.scan(`${point.name}: process output (n8n debug log)`, `${run.stdout}\n${run.stderr}`);
				if (report) suite.addReport(report);
				else totals.lost += TYPED_IN;
				figures.reverseCrashMs = Date.now() - started;
				await proxy.close();
				await sandbox.close();
			}
			expect(report?.problems).toEqual([]);
			expect(report?.checked.syncable).toBeGreaterThanOrEqual(TYPED_IN);
			expect(scanner.leaks).toEqual([]);
		});
	}
});
