/**
 * Crash and re-run: the sync runs in its own process (scripts/reliability/pipelineChild.ts), which
 * is SIGKILLed at several points; then a fresh process starts on the same persisted state (static
 * data, stored credentials, the crashed execution's items — what n8n keeps) and finishes the job.
 * Afterwards QuickBooks must hold every syncable invoice exactly once: 0 duplicates, 0 lost.
 *
 * QuickBooks traffic goes through a recording proxy, which can tell an invoice write from a query
 * and can lose the answer to a write that QuickBooks already carried out.
 */
import { start, type Sandbox } from '../../sandbox';
import type { LoggedRequest } from '../../sandbox/common/requestLog';
import type { ItemOutcome } from '../../scripts/reliability/driver';
import type { ChildState } from '../../scripts/reliability/pipelineChild';
import { newStateFile, readState, startChild, type ChildHandle, type ChildRun } from './helpers/child';
import { checkInvariant, type InvariantReport } from './helpers/invariant';
import { isCustomerWrite, isInvoiceWrite, startProxy, type RecordingProxy } from './helpers/proxy';
import { sandboxSecrets } from './helpers/secrets';
import { reliabilitySuite } from './helpers/suite';

const SUITE = 'crash';
const INVOICES = 90;

jest.setTimeout(180_000);

interface Armed {
	sandbox: Sandbox;
	proxy: RecordingProxy;
	child: ChildHandle;
}

interface KillPoint {
	name: string;
	/** Installs the trigger that kills the child; returns an undo. */
	arm(armed: Armed): () => void;
	/** What must be true right after the kill for the scenario to have happened. */
	verify(afterKill: { sandbox: Sandbox; proxy: RecordingProxy; seededInvoices: number; seededCustomers: number; killedAt: number }): void;
}

const invoiceCount = (sandbox: Sandbox) => sandbox.quickbooks.state.realms[sandbox.dataset.realmId].entities.Invoice.size;
const customerCount = (sandbox: Sandbox) => sandbox.quickbooks.state.realms[sandbox.dataset.realmId].entities.Customer.size;

function onLog(sandbox: Sandbox, listener: (entry: LoggedRequest) => void): () => void {
	const log = sandbox.log;
	const add = log.add.bind(log);
	log.add = (entry: LoggedRequest) => {
		add(entry);
		listener(entry);
	};
	return () => {
		log.add = add;
	};
}

const KILL_POINTS: KillPoint[] = [
	{
		name: 'in the middle of the HubSpot reads of the poll',
		arm({ sandbox, child }) {
			let lineItemReads = 0;
			return onLog(sandbox, (entry) => {
				if (entry.api === 'hubspot' && entry.endpoint.includes('line_items/batch/read') && ++lineItemReads === 2) child.kill('second line-item batch read answered');
			});
		},
		verify({ sandbox, seededInvoices }) {
			expect(invoiceCount(sandbox)).toBe(seededInvoices);
		},
	},
	{
		name: 'after QuickBooks created customers, before the answer reached the process',
		arm({ proxy, child }) {
			proxy.hooks.afterServer = (exchange) => {
				if (!isCustomerWrite(exchange)) return;
				child.kill('customer batch written, answer withheld');
				return 'drop';
			};
			return () => (proxy.hooks = {});
		},
		verify({ sandbox, seededCustomers }) {
			expect(customerCount(sandbox)).toBeGreaterThan(seededCustomers);
		},
	},
	{
		name: 'after the first invoice batch write landed, before its answer (other batches in flight)',
		arm({ proxy, child }) {
			proxy.hooks.afterServer = (exchange) => {
				if (!isInvoiceWrite(exchange)) return;
				child.kill('invoice batch written, answer withheld');
				return 'drop';
			};
			return () => (proxy.hooks = {});
		},
		verify({ sandbox, seededInvoices }) {
			expect(invoiceCount(sandbox)).toBeGreaterThan(seededInvoices);
		},
	},
	{
		name: 'while an invoice batch write is in flight (slowed by a fault rule); it lands after the crash',
		arm({ sandbox, proxy, child }) {
			sandbox.setFaults({ quickbooks: { rules: [{ match: '^POST /v3/company/[^/]+/batch$', slowRate: 1, slowMs: 1_500 }] } });
			proxy.hooks.beforeServer = (exchange) => {
				if (isInvoiceWrite(exchange)) setTimeout(() => child.kill('invoice batch write in flight'), 300);
			};
			return () => {
				proxy.hooks = {};
				sandbox.setFaults({ quickbooks: undefined });
			};
		},
		verify({ proxy, killedAt }) {
			const landedAfterCrash = proxy.exchanges.filter((exchange) => isInvoiceWrite(exchange) && exchange.status === 200 && (exchange.answeredAt ?? 0) > killedAt);
			expect(landedAfterCrash.length).toBeGreaterThan(0);
		},
	},
	{
		name: 'just before the first invoice batch write reached QuickBooks (never delivered)',
		arm({ proxy, child }) {
			proxy.hooks.beforeServer = (exchange) => {
				if (!isInvoiceWrite(exchange)) return;
				child.kill('invoice batch write about to be sent');
				return 'drop';
			};
			return () => (proxy.hooks = {});
		},
		verify({ sandbox, seededInvoices }) {
			expect(invoiceCount(sandbox)).toBe(seededInvoices);
		},
	},
];

function outcomesOf(state: ChildState): { outcomes: Map<string, ItemOutcome>; emitted: Set<string> } {
	const outcomes = new Map<string, ItemOutcome>();
	const emitted = new Set<string>();
	for (const execution of state.executions) {
		for (const item of execution.items) emitted.add(String(((item.invoice as any)?.source as any)?.id ?? ''));
		for (const outcome of execution.outcomes ?? []) outcomes.set(outcome.hubspotId, { ...outcome, json: { error: outcome.error } } as ItemOutcome);
	}
	return { outcomes, emitted };
}

async function settled(proxy: RecordingProxy, timeoutMs = 10_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (proxy.exchanges.some((exchange) => exchange.fate === undefined) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('crash and re-run: SIGKILL at several points, then a fresh process', () => {
	const suite = reliabilitySuite(SUITE);
	const { scanner, totals, figures } = suite;
	const landed: Record<string, number> = {};
	const started = Date.now();
	figures.crashKillPoints = KILL_POINTS.length;
	figures.crashWritesLandedBeforeRerun = landed;

	for (const point of KILL_POINTS) {
		it(`killed ${point.name}: the re-run creates nothing twice and loses nothing`, async () => {
			const sandbox = await start({ dataset: { invoices: INVOICES, seed: 21 }, limits: false });
			const proxy = await startProxy(sandbox.urls.quickbooks);
			let report: InvariantReport | undefined;
			let runs: ChildRun[] = [];
			try {
				scanner.addSecrets(sandboxSecrets(sandbox));
				const seededInvoices = invoiceCount(sandbox);
				const seededCustomers = customerCount(sandbox);
				const stateFile = newStateFile({
					urls: { ...sandbox.urls, quickbooks: proxy.url },
					credentials: sandbox.credentials,
					taxMapping: sandbox.dataset.taxMapping,
					hubspotAuthentication: 'appToken',
					writeBack: false,
				});

				const first = startChild(stateFile);
				const disarm = point.arm({ sandbox, proxy, child: first });
				const crashed = await first.done;
				const killedAt = Date.now();
				disarm();
				runs = [crashed];
				expect({ killed: crashed.killedBecause !== undefined, signal: crashed.signal, stderr: crashed.stderr.slice(0, 500) }).toMatchObject({ killed: true, signal: 'SIGKILL' });
				expect(crashed.killedBecause).not.toMatch(/timeout/);
				await settled(proxy);
				point.verify({ sandbox, proxy, seededInvoices, seededCustomers, killedAt });
				landed[point.name] = invoiceCount(sandbox) - seededInvoices;

				const rerun = await startChild(stateFile).done;
				runs.push(rerun);
				expect({ code: rerun.code, stderr: rerun.stderr.slice(-2000) }).toEqual({ code: 0, stderr: '' });

				const state = readState(stateFile);
				expect(state.executions.filter((execution) => execution.status === 'running')).toEqual([]);
				for (const execution of state.executions) {
					totals.uncaught += (execution.lost ?? 0) + Object.keys(execution.nodeErrors ?? {}).length + (execution.thrown ? 1 : 0);
				}
				const { outcomes, emitted } = outcomesOf(state);
				report = checkInvariant({ dataset: sandbox.dataset, state: sandbox.quickbooks.state, outcomes, emitted });
				scanner.scan(`${point.name}: executions`, state.executions);
				scanner.scan(`${point.name}: poll errors`, state.pollErrors ?? []);
			} finally {
				for (const run of runs) scanner.scan(`${point.name}: process output (n8n debug log)`, `${run.stdout}\n${run.stderr}`);
				if (report) suite.addReport(report);
				else totals.lost += INVOICES;
				figures.crashMs = Date.now() - started;
				await proxy.close();
				await sandbox.close();
			}
			expect(report?.problems).toEqual([]);
			expect(report?.checked.syncable).toBeGreaterThan(INVOICES * 0.8);
			expect(scanner.leaks).toEqual([]);
		});
	}
});
