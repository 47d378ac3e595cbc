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
	await run.retryCrashed();
	for (const template of REVERSE_TEMPLATES) {
		await run.pollAndRun(async () => {
			const items = await driver.poll(template);
			state.staticData = driver.staticData();
			return items;
		}, { template });
	}
	progress('idle');
}

if (require.main === module) runFromCommandLine(main, 'scripts/reliability/reverseChild.ts');
