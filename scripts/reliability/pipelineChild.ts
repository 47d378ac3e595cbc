/**
 * The sync as one n8n process would run it, persisting what n8n persists, so a test can SIGKILL it
 * anywhere and start a fresh process on the same state:
 *
 *   node --import tsx scripts/reliability/pipelineChild.ts <state.json>
 *
 * The state file holds the sandbox connection (DriverConfig), the stored credentials, the workflow
 * static data and the executions. The steps around the poll and the execution (retry what a killed
 * process left running, save the cursor with the new execution's items, atomic saves) are
 * scripts/reliability/persistedRun.ts; this process has one trigger, whose cursor is the workflow's
 * static data.
 */
import type { IDataObject } from 'n8n-workflow';

import { SyncDriver, type DriverConfig, type ItemOutcome } from './driver';
import { PersistedRun, progress, readState as readPersistedState, runFromCommandLine, type PersistedExecution as Execution, type PersistedState } from './persistedRun';

// The crash suite's helpers read and write this direction's state through this module.
export { writeState } from './persistedRun';

export type PersistedExecution = Execution<ItemOutcome>;

export interface ChildState extends PersistedState<PersistedExecution> {
	config: DriverConfig;
	staticData: IDataObject;
}

/** Reads a state file: this direction's unless told otherwise. */
export const readState: <T = ChildState>(file: string) => T = readPersistedState;

export async function main(file: string): Promise<void> {
	const state = readState(file);
	const driver = new SyncDriver(state.config, { credentials: state.credentials, staticData: state.staticData });
	// The driver moves the cursor in this object, so every save carries it.
	state.staticData = driver.staticData;
	const run = new PersistedRun<ItemOutcome, object>(file, state, driver, (execution) => driver.execute(execution.items), () => ({}));
	await run.retryCrashed();
	const polled = await run.pollAndRun(() => driver.poll(), {});
	if (polled === 'failed') progress('poll-failed');
	if (polled === 'nothing') progress('idle');
}

if (require.main === module) runFromCommandLine(main, 'scripts/reliability/pipelineChild.ts');
