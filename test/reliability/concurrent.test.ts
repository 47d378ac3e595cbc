/**
 * Concurrent runs: two executions of the same invoices at once — in one n8n process (two
 * runWorkflow calls over the same emitted items, sharing the transport's per-company gate) and in
 * two processes (two workers, each polling with its own static data). Neither may create an
 * invoice or a customer twice.
 */
import { start, type Sandbox } from '../../sandbox';
import { SyncDriver, type ExecutionResult, type ItemOutcome } from '../../scripts/reliability/driver';
import { newStateFile, readState, startChild } from './helpers/child';
import { checkInvariant, lastOutcomes, type InvariantReport } from './helpers/invariant';
import { captureLogs, sandboxSecrets } from './helpers/secrets';
import { reliabilitySuite } from './helpers/suite';

const SUITE = 'concurrent';
const INVOICES = 150;

jest.setTimeout(180_000);

function failuresOfSyncable(sandbox: Sandbox, execution: { outcomes: Array<Pick<ItemOutcome, 'hubspotId' | 'outcome' | 'code'>> }): string[] {
	return execution.outcomes
		.filter((outcome) => ['created', 'updated', 'voided'].includes(sandbox.dataset.expectations[outcome.hubspotId]?.outcome ?? '') && outcome.outcome === 'error')
		.map((outcome) => `${outcome.hubspotId} ${outcome.code ?? ''}`);
}

describe('concurrent runs of the same invoices', () => {
	const suite = reliabilitySuite(SUITE);
	const { scanner, totals, figures } = suite;

	const add = (report: InvariantReport) => {
		figures.concurrentDuplicateCustomers = Number(figures.concurrentDuplicateCustomers ?? 0) + report.duplicatedCustomers;
		figures.concurrentDuplicateInvoices = Number(figures.concurrentDuplicateInvoices ?? 0) + report.duplicated - report.duplicatedCustomers;
		suite.addReport(report);
	};

	it('two executions at once in one process: every invoice and customer exists once', async () => {
		const sandbox = await start({ dataset: { invoices: INVOICES, seed: 31 }, limits: false });
		const logs = captureLogs();
		try {
			scanner.addSecrets(sandboxSecrets(sandbox));
			const driver = new SyncDriver({ urls: sandbox.urls, credentials: sandbox.credentials, taxMapping: sandbox.dataset.taxMapping });
			const items = await driver.poll();
			expect(items.length).toBeGreaterThan(INVOICES * 0.9);
			const [first, second]: ExecutionResult[] = await Promise.all([driver.execute(items), driver.execute(items)]);
			for (const execution of [first, second]) {
				totals.uncaught += execution.lost + Object.keys(execution.nodeErrors).length + (execution.thrown ? 1 : 0);
				scanner.scan('in-process concurrent execution', execution.run ?? execution.outcomes);
			}
			const emitted = new Set(items.map((item) => String(((item.invoice as any)?.source as any)?.id)));
			const report = checkInvariant({ dataset: sandbox.dataset, state: sandbox.quickbooks.state, outcomes: lastOutcomes([first, second]), emitted });
			add(report);
			const actions = (execution: ExecutionResult) => execution.outcomes.reduce<Record<string, number>>((counts, outcome) => ({ ...counts, [outcome.outcome]: (counts[outcome.outcome] ?? 0) + 1 }), {});
			figures.concurrentInProcessActions = [actions(first), actions(second)];
			expect(report.problems).toEqual([]);
			expect({ first: failuresOfSyncable(sandbox, first), second: failuresOfSyncable(sandbox, second) }).toEqual({ first: [], second: [] });
			expect([first.lost, second.lost, first.nodeErrors, second.nodeErrors]).toEqual([0, 0, {}, {}]);
		} finally {
			logs.restore();
			scanner.scan('in-process concurrent: logs', logs.lines);
			await sandbox.close();
		}
		expect(scanner.leaks).toEqual([]);
	});

	it('two worker processes polling and executing at once: every invoice and customer exists once', async () => {
		const sandbox = await start({ dataset: { invoices: INVOICES, seed: 32 }, limits: false });
		try {
			scanner.addSecrets(sandboxSecrets(sandbox));
			const config = { urls: sandbox.urls, credentials: sandbox.credentials, taxMapping: sandbox.dataset.taxMapping };
			const files = [newStateFile(config), newStateFile(config)];
			const runs = await Promise.all(files.map(async (file) => await startChild(file).done));
			for (const run of runs) scanner.scan('two processes: process output (n8n debug log)', `${run.stdout}\n${run.stderr}`);
			expect(runs.map((run) => ({ code: run.code, stderr: run.stderr.slice(-1000) }))).toEqual([
				{ code: 0, stderr: '' },
				{ code: 0, stderr: '' },
			]);
			const executions = files.flatMap((file) => readState(file).executions);
			expect(executions.map((execution) => execution.status)).toEqual(['finished', 'finished']);
			for (const execution of executions) totals.uncaught += (execution.lost ?? 0) + Object.keys(execution.nodeErrors ?? {}).length + (execution.thrown ? 1 : 0);
			scanner.scan('two processes: executions', executions);
			const outcomes = lastOutcomes(executions.map((execution) => ({ outcomes: (execution.outcomes ?? []).map((outcome) => ({ ...outcome, json: {} })) })));
			const emitted = new Set(executions.flatMap((execution) => execution.items.map((item) => String(((item.invoice as any)?.source as any)?.id))));
			const report = checkInvariant({ dataset: sandbox.dataset, state: sandbox.quickbooks.state, outcomes, emitted });
			add(report);
			figures.concurrentProcessFailures = executions.map((execution) => failuresOfSyncable(sandbox, { outcomes: execution.outcomes ?? [] }));
			expect(report.problems).toEqual([]);
			expect(executions.map((execution) => failuresOfSyncable(sandbox, { outcomes: execution.outcomes ?? [] }))).toEqual([[], []]);
		} finally {
			await sandbox.close();
		}
		expect(scanner.leaks).toEqual([]);
	});
});
