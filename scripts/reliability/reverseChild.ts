/**
 * The QuickBooks → HubSpot templates as one n8n process runs them, persisting what n8n persists, so
 * a test can SIGKILL it anywhere and start a fresh process on the same state:
 *
 *   node --import tsx scripts/reliability/reverseChild.ts <state.json>
 *
 * As scripts/reliability/pipelineChild.ts for the other direction: the process first retries every
 * execution a previous process left "running" (same items, new execution), then, for the invoice
 * template and then the payments template, polls, saves the moved cursor together with a new
 * "running" execution holding the items (n8n saves static data at emit), and runs it.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ReverseTemplateKey } from '../demo/templates';
import type { HarnessCredentials } from '../../test/harness';
import { readState, writeState } from './pipelineChild';
import { REVERSE_TEMPLATES, ReverseDriver, type ReverseDriverConfig, type ReverseItemOutcome } from './reverseDriver';

export interface ReverseExecutionRecord {
	id: number;
	template: ReverseTemplateKey;
	items: IDataObject[];
	status: 'running' | 'finished' | 'crashed';
	retryOf?: number;
	pid: number;
	outcomes?: Array<Omit<ReverseItemOutcome, 'json'> & { error?: unknown }>;
	lost?: number;
	nodeErrors?: Record<string, string>;
	thrown?: string;
}

export interface ReverseChildState {
	config: ReverseDriverConfig;
	credentials: HarnessCredentials;
	staticData: Partial<Record<ReverseTemplateKey, IDataObject>>;
	executions: ReverseExecutionRecord[];
	pollErrors?: string[];
}

function progress(phase: string, detail: Record<string, unknown> = {}): void {
	process.stdout.write(`${JSON.stringify({ phase, pid: process.pid, ...detail })}\n`);
}

async function runExecution(file: string, state: ReverseChildState, driver: ReverseDriver, execution: ReverseExecutionRecord): Promise<void> {
	progress('execute', { id: execution.id, template: execution.template, items: execution.items.length });
	const result = await driver.execute(execution.template, execution.items);
	Object.assign(execution, {
		status: 'finished',
		outcomes: result.outcomes.map(({ json, ...rest }) => ({ ...rest, error: json.error })),
		lost: result.lost,
		nodeErrors: result.nodeErrors,
		thrown: result.thrown,
	});
	state.credentials = driver.credentials;
	writeState(file, state);
	progress('finished', { id: execution.id, outcomes: result.outcomes.length, lost: result.lost });
}

async function pollAndRun(file: string, state: ReverseChildState, driver: ReverseDriver, template: ReverseTemplateKey, nextId: () => number): Promise<void> {
	progress('poll', { template });
	let items: IDataObject[];
	try {
		items = await driver.poll(template);
	} catch (error) {
		state.pollErrors = [...(state.pollErrors ?? []), String((error as Error)?.message ?? error)];
		state.credentials = driver.credentials;
		writeState(file, state);
		return;
	}
	state.credentials = driver.credentials;
	state.staticData = driver.staticData();
	if (items.length === 0) {
		writeState(file, state);
		return;
	}
	const execution: ReverseExecutionRecord = { id: nextId(), template, items, status: 'running', pid: process.pid };
	state.executions.push(execution);
	writeState(file, state); // the moved cursor and the execution's items, together
	await runExecution(file, state, driver, execution);
}

export async function main(file: string): Promise<void> {
	const state = readState<ReverseChildState>(file);
	const driver = new ReverseDriver(state.config, state.credentials, state.staticData);
	const nextId = () => state.executions.reduce((max, execution) => Math.max(max, execution.id), 0) + 1;
	for (const crashed of state.executions.filter((execution) => execution.status === 'running')) {
		crashed.status = 'crashed';
		const retry: ReverseExecutionRecord = { id: nextId(), template: crashed.template, items: crashed.items, status: 'running', retryOf: crashed.id, pid: process.pid };
		state.executions.push(retry);
		writeState(file, state);
		await runExecution(file, state, driver, retry);
	}
	for (const template of REVERSE_TEMPLATES) await pollAndRun(file, state, driver, template, nextId);
	progress('idle');
}

if (require.main === module) {
	const file = process.argv[2];
	if (!file) {
		process.stderr.write('usage: node --import tsx scripts/reliability/reverseChild.ts <state.json>\n');
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
