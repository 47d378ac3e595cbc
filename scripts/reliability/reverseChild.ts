/**
 * The QuickBooks → HubSpot templates as one n8n process runs them, persisting what n8n persists, so
 * a test can SIGKILL it anywhere and start a fresh process on the same state:
 *
 *   node --import tsx scripts/reliability/reverseChild.ts <state.json>
 *
 * The steps around each poll and execution are scripts/reliability/persistedRun.ts, as for the
 * other direction (scripts/reliability/pipelineChild.ts). This process has two triggers: after the
 * retries, it polls and runs the invoice template and then the payments template, each execution
 * recording its template, each template keeping its own cursor.
 *
 * Two settings in the state file make it act as n8n does on its own: `crashedExecutions: 'markCrashed'`
 * leaves an execution a killed process left running `crashed`, never run again (n8n does not re-run
 * it), and `templateOrder` polls the templates in another order (two active workflows poll on their
 * own schedules, so either can come first after a restart). `backfillByHand` executes the
 * templates by hand with *Backfill Since* instead of polling, as a user does after a crash.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ReverseTemplateKey } from '../demo/templates';
import type { HarnessCredentials } from '../../test/harness';
import { PersistedRun, progress, readState, runFromCommandLine, type PersistedExecution, type PersistedState } from './persistedRun';
import { REVERSE_TEMPLATES, ReverseDriver, type ReverseDriverConfig, type ReverseItemOutcome } from './reverseDriver';

export interface ReverseExecutionRecord extends PersistedExecution<ReverseItemOutcome> {
	template: ReverseTemplateKey;
}

export interface ReverseChildState extends PersistedState<ReverseExecutionRecord> {
	config: ReverseDriverConfig;
	credentials: HarnessCredentials;
	staticData: Partial<Record<ReverseTemplateKey, IDataObject>>;
	/** 'retry' (default): re-run what a killed process left running, as a user's "Retry"; 'markCrashed': as n8n by itself. */
	crashedExecutions?: 'retry' | 'markCrashed';
	/** The order the templates poll in (default REVERSE_TEMPLATES: invoices, then payments). */
	templateOrder?: ReverseTemplateKey[];
	/** Instead of polling, execute each template by hand with this *Backfill Since* (a user's recovery after a crash). */
	backfillByHand?: string;
}

export async function main(file: string): Promise<void> {
	const state = readState<ReverseChildState>(file);
	const driver = new ReverseDriver(state.config, state.credentials, state.staticData);
	const run = new PersistedRun<ReverseItemOutcome, { template: ReverseTemplateKey }>(
		file,
		state,
		driver,
		(execution) => driver.execute(execution.template, execution.items),
		({ template }) => ({ template }),
	);
	if (state.crashedExecutions === 'markCrashed') run.markCrashed();
	else await run.retryCrashed();
	for (const template of state.templateOrder ?? REVERSE_TEMPLATES) {
		await run.pollAndRun(async () => {
			const items = state.backfillByHand ? await driver.backfillByHand(template, state.backfillByHand) : await driver.poll(template);
			state.staticData = driver.staticData();
			return items;
		}, { template });
	}
	progress('idle');
}

if (require.main === module) runFromCommandLine(main, 'scripts/reliability/reverseChild.ts');
