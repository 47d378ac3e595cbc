/**
 * The sync as one n8n process would run it, persisting what n8n persists, so a test can SIGKILL it
 * anywhere and start a fresh process on the same state:
 *
 *   node --import tsx scripts/reliability/pipelineChild.ts <state.json>
 *
 * The state file holds the sandbox connection (DriverConfig), the stored credentials, the workflow
 * static data and the executions. Like n8n, the process
 *   1. retries every execution a previous process left "running" (it crashed): same input items,
 *      new execution (n8n: the crashed execution's "Retry"; its items are stored with it);
 *   2. polls the trigger; when it emits, saves the static data (n8n saves it at emit, so the cursor
 *      has moved past these invoices) together with a new "running" execution holding the items;
 *   3. runs the execution and marks it finished with its outcomes.
 * Every save is an atomic rename, so a kill never leaves a torn file.
 */
import * as fs from 'fs';

import type { IDataObject } from 'n8n-workflow';

import type { HarnessCredentials } from '../../test/harness';
import { SyncDriver, type DriverConfig, type ItemOutcome } from './driver';

export interface PersistedExecution {
	id: number;
	items: IDataObject[];
	status: 'running' | 'finished' | 'crashed';
	retryOf?: number;
	pid: number;
	outcomes?: Array<Omit<ItemOutcome, 'json'> & { error?: unknown }>;
	lost?: number;
	nodeErrors?: Record<string, string>;
	thrown?: string;
}

export interface ChildState {
	config: DriverConfig;
	credentials?: HarnessCredentials;
	staticData: IDataObject;
	executions: PersistedExecution[];
	/** Polls that threw (the cursor stays; the next poll reads the same invoices). */
	pollErrors?: string[];
}

export function readState<T = ChildState>(file: string): T {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** Saves the state by an atomic rename (also the reverse direction's child: scripts/reliability/reverseChild.ts). */
export function writeState<T = ChildState>(file: string, state: T): void {
	const temporary = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(temporary, JSON.stringify(state));
	fs.renameSync(temporary, file);
}

function progress(phase: string, detail: Record<string, unknown> = {}): void {
	process.stdout.write(`${JSON.stringify({ phase, pid: process.pid, ...detail })}\n`);
}

async function runExecution(file: string, state: ChildState, driver: SyncDriver, execution: PersistedExecution): Promise<void> {
	progress('execute', { id: execution.id, items: execution.items.length });
	const result = await driver.execute(execution.items);
	execution.status = 'finished';
	execution.outcomes = result.outcomes.map(({ json, ...rest }) => ({ ...rest, error: json.error }));
	execution.lost = result.lost;
	execution.nodeErrors = result.nodeErrors;
	execution.thrown = result.thrown;
	state.credentials = driver.credentials;
	writeState(file, state);
	progress('finished', { id: execution.id, outcomes: result.outcomes.length, lost: result.lost });
}

export async function main(file: string): Promise<void> {
	const state = readState(file);
	const driver = new SyncDriver(state.config, { credentials: state.credentials, staticData: state.staticData });
	state.staticData = driver.staticData;
	const nextId = () => state.executions.reduce((max, execution) => Math.max(max, execution.id), 0) + 1;

	for (const crashed of state.executions.filter((execution) => execution.status === 'running')) {
		crashed.status = 'crashed';
		const retry: PersistedExecution = { id: nextId(), items: crashed.items, status: 'running', retryOf: crashed.id, pid: process.pid };
		state.executions.push(retry);
		writeState(file, state);
		await runExecution(file, state, driver, retry);
	}

	progress('poll');
	let items: IDataObject[];
	try {
		items = await driver.poll();
	} catch (error) {
		state.pollErrors = [...(state.pollErrors ?? []), String((error as Error)?.message ?? error)];
		state.credentials = driver.credentials;
		writeState(file, state);
		progress('poll-failed');
		return;
	}
	state.credentials = driver.credentials;
	if (items.length === 0) {
		writeState(file, state);
		progress('idle');
		return;
	}
	const execution: PersistedExecution = { id: nextId(), items, status: 'running', pid: process.pid };
	state.executions.push(execution);
	writeState(file, state); // static data (moved cursor) and the execution's items, together
	await runExecution(file, state, driver, execution);
}

if (require.main === module) {
	const file = process.argv[2];
	if (!file) {
		process.stderr.write('usage: node --import tsx scripts/reliability/pipelineChild.ts <state.json>\n');
		process.exit(2);
	}
	main(file).then(
		() => process.exit(0),
		(error) => {
			process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
			process.exit(1);
		},
	);
}
