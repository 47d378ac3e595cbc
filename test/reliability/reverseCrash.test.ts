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
 *
 * The second block does what n8n does by itself (docs/API_FACTS.md, queue mode): the killed
 * execution ends `crashed` and is never run again, so its items are gone and only the next polls
 * can make HubSpot right. The kills fall where HubSpot holds money the killed run never finished
 * showing (a payment created, then associated with its invoice, the final update not written);
 * while the process is down the QuickBooks user receives another payment on all but one of those
 * invoices (two on one of them), and the restarted process polls the payments template first, so a
 * payment item is the first to meet each half-written invoice. Each HubSpot invoice must end with
 * exactly QuickBooks' amount paid in its payments, none twice, none off the invoice, its status
 * right, and no item may fail for good on the way. The invoice QuickBooks does not change again
 * had its only item in the crashed execution; what it is left with is reported apart, and the
 * user's recovery (each template executed by hand with Backfill Since, README "Running at scale")
 * must leave nothing wrong.
 */
import { tallyToHubSpot, type ToHubSpotOutcome } from '../../scripts/demo/reverseReport';
import type { ReverseChildState } from '../../scripts/reliability/reverseChild';
import { quickBooksIdOfItem, reverseCredentials } from '../../scripts/reliability/reverseDriver';
import type { QuickBooksUserAction } from '../../sandbox/dataset';
import { writeState } from '../../scripts/reliability/persistedRun';
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
	/** Only a write after HubSpot answered one this matches (the final update after the payments' association). */
	armedBy?: (exchange: Pick<Exchange, 'method' | 'url'>) => boolean;
}

const KILL_POINTS: KillPoint[] = [
	{ name: 'after HubSpot created the draft invoices, before the answer', write: hubspotWrite('invoices', 'create'), when: 'after' },
	{ name: 'after HubSpot recorded a payment, before the answer', write: hubspotWrite('commerce_payments', 'create'), when: 'after' },
];

const PAYMENTS_ASSOCIATED = (exchange: Pick<Exchange, 'method' | 'url'>) =>
	exchange.method === 'POST' && /\/crm\/v4\/associations\/commerce_payments\/invoices\/batch\/associate\/default(\?|$)/.test(exchange.url);

/** Where HubSpot holds money the killed run never finished showing on the invoice (its final update clears `qbo_payments_recording`). */
const MONEY_KILL_POINTS: KillPoint[] = [
	{ name: 'after HubSpot created the payments, before they were associated', write: hubspotWrite('commerce_payments', 'create'), when: 'after' },
	{ name: 'after HubSpot associated the payments with their invoices', write: PAYMENTS_ASSOCIATED, when: 'after' },
	{ name: 'before the final update reached HubSpot (payments recorded and associated)', write: hubspotWrite('invoices', 'update'), when: 'before', armedBy: PAYMENTS_ASSOCIATED },
];

function arm(proxy: RecordingProxy, child: ChildHandle, point: KillPoint): () => void {
	// Only this child's exchanges arm the kill (an earlier process's do not).
	const from = proxy.exchanges.length;
	const hook = (exchange: Exchange) => {
		if (!point.write(exchange)) return;
		if (point.armedBy && !proxy.exchanges.slice(from).some((earlier) => point.armedBy!(earlier) && earlier.fate === 'answered')) return;
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

const suite = reliabilitySuite(SUITE);
const { scanner, totals, figures } = suite;

describe('reverse crash and re-run: SIGKILL at HubSpot writes, then fresh processes', () => {
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

/** HubSpot invoices a run left unfinished: still a draft, or still announcing payments (`qbo_payments_recording`). */
function leftUnfinished(sandbox: ReverseScenario['sandbox']): string[] {
	const invoices = (sandbox.hubspot.snapshot() as any).objects.invoices.filter((invoice: any) => !invoice.archived);
	return invoices
		.filter((invoice: any) => invoice.properties.hs_invoice_status === 'draft' || invoice.properties.qbo_payments_recording)
		.map((invoice: any) => {
			const left = invoice.properties.hs_invoice_status === 'draft' ? 'a draft' : `announcing payments (${String(invoice.properties.qbo_payments_recording)})`;
			return `HubSpot invoice ${String(invoice.id)} (QuickBooks ${String(invoice.properties.qbo_invoice_id)}) left ${left}`;
		});
}

/** Typed-in invoices of the money scenario: each paid 5.00 before the killed poll, so its create records a HubSpot payment. */
const TYPED_AND_PAID = 6;

const payEach = (docNumbers: string[], amount: (index: number) => string): QuickBooksUserAction[] =>
	docNumbers.map((docNumber, index) => ({ kind: 'receivePayment', docNumber, amount: amount(index), paymentMethodId: '1' }));

/** The QuickBooks invoice Ids a set of executions carried items for. */
const quickBooksIdsOf = (executions: ReverseChildState['executions']) => new Set(executions.flatMap((execution) => execution.items.map((item) => quickBooksIdOfItem(item))));

/** Problems about QuickBooks invoice `id` (the invariant names it "(QuickBooks id)" or "QuickBooks invoice id"). */
const isAbout = (id: string) => (problem: string) => problem.includes(`(QuickBooks ${id})`) || problem.includes(`QuickBooks invoice ${id}:`) || problem.includes(`QuickBooks invoice ${id},`);

describe('reverse crash as n8n handles it: the killed execution is never re-run, a payment item meets the half-written invoice first', () => {
	const started = Date.now();
	const leftWrong: Record<string, number> = {};
	figures.reverseCrashNotRetriedLeftWrongUntilChanged = leftWrong;

	// Whether a payment makes a new version of its invoice (so the invoice template emits it too) is
	// undocumented (the simulator's `paymentTouchesInvoice`): every kill point with the default, one without.
	const cases = [...MONEY_KILL_POINTS.map((point) => ({ point, paymentTouchesInvoice: 'updated' as const })), { point: MONEY_KILL_POINTS[1], paymentTouchesInvoice: 'unchanged' as const }];
	figures.reverseCrashNotRetriedCases = cases.length;
	for (const { point, paymentTouchesInvoice } of cases) {
		it(`killed ${point.name}, not re-run (paymentTouchesInvoice ${paymentTouchesInvoice}): the next polls bring every HubSpot invoice to QuickBooks' amount paid, no payment twice`, async () => {
			const scenario: ReverseScenario = await startReverseScenario({ limits: false });
			const { sandbox, data } = scenario;
			sandbox.quickbooks.assumptions.paymentTouchesInvoice = paymentTouchesInvoice;
			const proxy = await startProxy(sandbox.urls.hubspot);
			let report: InvariantReport | undefined;
			let afterRecovery: InvariantReport | undefined;
			let untouchedId = '';
			const runs: ChildRun[] = [];
			try {
				scanner.addSecrets(sandboxSecrets(sandbox));
				const config = reverseDriverConfig(scenario, { urls: { ...sandbox.urls, hubspot: proxy.url } });
				// The payments workflow polls first throughout: what QuickBooks received before an invoice
				// reached HubSpot is recorded by the invoice's create, the write that is killed.
				const stateFile = writeNewState<ReverseChildState>({
					config,
					credentials: reverseCredentials({ urls: config.urls, credentials: sandbox.credentials }, data.realmId),
					staticData: {},
					executions: [],
					crashedExecutions: 'markCrashed',
					templateOrder: ['reversePayments', 'reverseSync'],
				});
				// The data set (with its user's actions) syncs first, so the killed execution holds only the invoices typed in next.
				await actAsUser(scenario, data.actions);
				runs.push(await startChild(stateFile, { script: REVERSE_CHILD_SCRIPT }).done);
				expect({ code: runs[0].code, stderr: runs[0].stderr.slice(-2000) }).toEqual({ code: 0, stderr: '' });

				const typed = await typeInInvoices(scenario, TYPED_AND_PAID, 41);
				await actAsUser(scenario, payEach(typed, () => '5.00'));
				const first = startChild(stateFile, { script: REVERSE_CHILD_SCRIPT });
				const disarm = arm(proxy, first, point);
				const crashed = await first.done;
				disarm();
				runs.push(crashed);
				expect({ killed: crashed.killedBecause, signal: crashed.signal, stderr: crashed.stderr.slice(0, 500) }).toMatchObject({ killed: point.name, signal: 'SIGKILL' });
				await settled(proxy);
				expect(proxy.exchanges.some((exchange) => point.write(exchange) && exchange.fate === (point.when === 'after' ? 'dropped-after-server' : 'dropped-before-server'))).toBe(true);
				const killed = readState<ReverseChildState>(stateFile).executions.filter((execution) => execution.status === 'running');
				expect(killed.map((execution) => execution.template)).toEqual(['reverseSync']);

				// While n8n is down the user receives more on all but the last (the rest on half of them,
				// two payments on one); n8n marks the killed execution crashed and the payments workflow
				// polls first, so its items meet the half-written invoices. The last invoice changes no
				// more: its item went with the crashed execution.
				const touched = typed.slice(0, -1);
				await actAsUser(scenario, [...payEach(touched, (index) => (index % 2 === 0 ? 'balance' : '1.00')), ...payEach(touched.slice(1, 2), () => '1.00')]);
				runs.push(await startChild(stateFile, { script: REVERSE_CHILD_SCRIPT }).done);
				expect({ code: runs[2].code, stderr: runs[2].stderr.slice(-2000) }).toEqual({ code: 0, stderr: '' });

				const state = readState<ReverseChildState>(stateFile);
				const crashedExecutions = state.executions.filter((execution) => execution.status === 'crashed');
				expect(crashedExecutions.map((execution) => execution.id)).toEqual(killed.map((execution) => execution.id));
				expect(state.executions.filter((execution) => execution.status === 'running' || execution.retryOf !== undefined)).toEqual([]);
				const idOf = new Map([...(sandbox.quickbooks.state.realms[data.realmId].entities as Record<string, Map<string, any>>).Invoice.values()].map((invoice) => [String(invoice.DocNumber), String(invoice.Id)]));
				const touchedIds = touched.map((docNumber) => idOf.get(docNumber)!);
				untouchedId = idOf.get(typed[typed.length - 1])!;
				const crashedIds = quickBooksIdsOf(crashedExecutions);
				expect([...crashedIds].sort()).toEqual([...touchedIds, untouchedId].sort());
				// The dangerous order happened: the first execution after the restart is the payments template's, for every touched invoice.
				const after = state.executions.filter((execution) => execution.id > killed[0].id);
				expect(after[0]?.template).toBe('reversePayments');
				expect(touchedIds.filter((id) => !quickBooksIdsOf([after[0]]).has(id))).toEqual([]);
				// Only the untouched invoice's item is gone for good: no later poll emitted it.
				expect([...crashedIds].filter((id) => !quickBooksIdsOf(after).has(id))).toEqual([untouchedId]);

				for (const execution of state.executions) totals.uncaught += (execution.lost ?? 0) + Object.keys(execution.nodeErrors ?? {}).length + (execution.thrown ? 1 : 0);
				report = checkReverseInvariant({ sandbox, realmId: data.realmId, expectations: scenarioExpectations(scenario), summary: tallyToHubSpot(outcomesOf(state)), createdByCrashedRun: true, exactPayments: [...touchedIds, untouchedId] });
				// An item that failed is an alert to the user, even where HubSpot's figures came right: allowed
				// only when retryable and a later execution wrote that invoice.
				for (const [index, execution] of after.entries()) {
					for (const outcome of execution.outcomes ?? []) {
						if (outcome.outcome !== 'error' || !crashedIds.has(outcome.quickbooksId)) continue;
						const madeGood = after.slice(index + 1).some((later) => (later.outcomes ?? []).some((other) => other.quickbooksId === outcome.quickbooksId && other.outcome !== 'error'));
						if (outcome.retryable && madeGood) continue;
						const docNumber = typed.find((number) => idOf.get(number) === outcome.quickbooksId);
						report.problems.push(`${docNumber} (QuickBooks ${outcome.quickbooksId}): the ${execution.template} item failed, ${String(outcome.code)}: ${String((outcome.error as { message?: string } | undefined)?.message ?? '')}`);
						report.wrong++;
					}
				}
				const unfinished = leftUnfinished(sandbox);
				report.problems.push(...unfinished);
				report.wrong += unfinished.length;
				scanner.scan(`${point.name} (not re-run): executions`, state.executions);
				scanner.scan(`${point.name} (not re-run): poll errors`, state.pollErrors ?? []);

				// The user's recovery (README "Running at scale"): each template executed by hand with
				// Backfill Since before the crash. It must make the invoice whose item died right too,
				// recording no money twice.
				writeState(stateFile, { ...state, backfillByHand: config.backfillSince });
				runs.push(await startChild(stateFile, { script: REVERSE_CHILD_SCRIPT }).done);
				expect({ code: runs[3].code, stderr: runs[3].stderr.slice(-2000) }).toEqual({ code: 0, stderr: '' });
				const recovered = readState<ReverseChildState>(stateFile);
				afterRecovery = checkReverseInvariant({ sandbox, realmId: data.realmId, expectations: scenarioExpectations(scenario), summary: tallyToHubSpot(outcomesOf(recovered)), createdByCrashedRun: true, exactPayments: [...touchedIds, untouchedId] });
				const extra = leftUnfinished(sandbox);
				for (const execution of recovered.executions.slice(state.executions.length)) {
					// The data set's invoices that cannot sync fail again, as they should; the typed-in ones may not.
					for (const outcome of execution.outcomes ?? []) if (outcome.outcome === 'error' && crashedIds.has(outcome.quickbooksId)) extra.push(`backfill by hand: the ${execution.template} item for QuickBooks ${outcome.quickbooksId} failed, ${String(outcome.code)}`);
				}
				afterRecovery.problems.push(...extra);
				afterRecovery.wrong += extra.length;
				scanner.scan(`${point.name} (not re-run): backfill by hand`, recovered.executions);
			} finally {
				for (const run of runs) scanner.scan(`${point.name} (not re-run): process output (n8n debug log)`, `${run.stdout}\n${run.stderr}`);
				// The suite's figures count where the user's recovery leaves HubSpot, and whatever the next
				// polls left wrong about the invoices they brought back (the untouched one is expected wrong until the recovery).
				const wrongBeforeRecovery = report ? report.problems.filter((problem) => !untouchedId || !isAbout(untouchedId)(problem)).length : 0;
				if (afterRecovery) suite.addReport({ ...afterRecovery, wrong: afterRecovery.wrong + wrongBeforeRecovery });
				else if (report) suite.addReport(report);
				else totals.lost += TYPED_AND_PAID;
				figures.reverseCrashNotRetriedMs = Date.now() - started;
				await proxy.close();
				await sandbox.close();
			}
			// Kept apart: what the next polls must make good, and the invoice whose only item died with the crashed execution.
			const problems = report?.problems ?? [];
			const untouched = untouchedId ? problems.filter(isAbout(untouchedId)) : [];
			leftWrong[`${point.name} (${paymentTouchesInvoice})`] = untouched.length;
			// Until the user's recovery, only the invoice whose item died may be wrong (and it is: the
			// QuickBooks Trigger has no redelivery); after it, nothing.
			expect(untouched.length).toBeGreaterThan(0);
			expect({ problems: problems.filter((problem) => !untouched.includes(problem)), afterBackfillByHand: afterRecovery?.problems }).toEqual({ problems: [], afterBackfillByHand: [] });
			expect(report?.checked.syncable).toBeGreaterThanOrEqual(TYPED_AND_PAID);
			expect(scanner.leaks).toEqual([]);
		});
	}
});
