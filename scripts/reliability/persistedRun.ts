/**
 * What the reliability suite's crash-and-rerun processes share (scripts/reliability/pipelineChild.ts,
 * HubSpot → QuickBooks; scripts/reliability/reverseChild.ts, QuickBooks → HubSpot): the state file
 * holding what n8n persists, and the steps n8n takes around a driver's poll and execute. Like n8n, a
 * process
 *   1. retries every execution a previous process left "running" (it crashed): same input items,
 *      new execution (n8n: the crashed execution's "Retry"; its items are stored with it); or, as
 *      n8n does by itself, only marks it `crashed` and never runs it again (docs/API_FACTS.md,
 *      queue mode): its items are gone unless a trigger emits them again;
 *   2. polls; when the poll emits, saves the moved cursor together with a new "running" execution
 *      holding the items (n8n saves static data at emit);
 *   3. runs the execution and marks it finished with its outcomes.
 * Every save is an atomic rename, so a kill never leaves a torn file.
 */
import * as fs from 'fs';

import type { IDataObject } from 'n8n-workflow';

import type { HarnessCredentials } from '../../test/harness';

/** One execution as the state file keeps it; each outcome keeps its item's error but not the item. */
export interface PersistedExecution<Outcome extends { json: IDataObject }> {
	id: number;
	items: IDataObject[];
	status: 'running' | 'finished' | 'crashed';
	retryOf?: number;
	pid: number;
	outcomes?: Array<Omit<Outcome, 'json'> & { error?: unknown }>;
	lost?: number;
	nodeErrors?: Record<string, string>;
	thrown?: string;
}

/** The part of a state file both directions have; each adds its driver's config and static data. */
export interface PersistedState<Execution> {
	credentials?: HarnessCredentials;
	executions: Execution[];
	/** Polls that threw (the cursor stays; the next poll reads the same items). */
	pollErrors?: string[];
}

/** What a driver's execute returns, as far as the state file keeps it. */
export interface FinishedRun<Outcome> {
	outcomes: Outcome[];
	lost: number;
	nodeErrors: Record<string, string>;
	thrown?: string;
}

export type PollResult = 'failed' | 'nothing' | 'ran';

export function readState<T>(file: string): T {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

export function writeState<T>(file: string, state: T): void {
	const temporary = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(temporary, JSON.stringify(state));
	fs.renameSync(temporary, file);
}

/** One line of JSON on stdout per step, for whoever watches the process. */
export function progress(phase: string, detail: object = {}): void {
	process.stdout.write(`${JSON.stringify({ phase, pid: process.pid, ...detail })}\n`);
}

/**
 * The n8n steps over one state file. `Extra` is what a direction records on an execution besides
 * the common fields (the reverse direction: its template); it also goes into the progress lines.
 */
export class PersistedRun<Outcome extends { json: IDataObject }, Extra extends object> {
	constructor(
		private readonly file: string,
		private readonly state: PersistedState<PersistedExecution<Outcome> & Extra>,
		/** The driver, whose credentials carry the tokens n8n-core refreshed. */
		private readonly driver: { credentials: HarnessCredentials },
		private readonly execute: (execution: PersistedExecution<Outcome> & Extra) => Promise<FinishedRun<Outcome>>,
		private readonly extraOf: (execution: PersistedExecution<Outcome> & Extra) => Extra,
	) {}

	private nextId(): number {
		return this.state.executions.reduce((max, execution) => Math.max(max, execution.id), 0) + 1;
	}

	private save(): void {
		this.state.credentials = this.driver.credentials;
		writeState(this.file, this.state);
	}

	private async run(execution: PersistedExecution<Outcome> & Extra): Promise<void> {
		progress('execute', { id: execution.id, ...this.extraOf(execution), items: execution.items.length });
		const result = await this.execute(execution);
		execution.status = 'finished';
		execution.outcomes = result.outcomes.map(({ json, ...rest }) => ({ ...rest, error: json.error }));
		execution.lost = result.lost;
		execution.nodeErrors = result.nodeErrors;
		execution.thrown = result.thrown;
		this.save();
		progress('finished', { id: execution.id, outcomes: result.outcomes.length, lost: result.lost });
	}

	/** Step 1: a new execution over the items of each one a killed process left "running". */
	async retryCrashed(): Promise<void> {
		for (const crashed of this.state.executions.filter((execution) => execution.status === 'running')) {
			crashed.status = 'crashed';
			const retry = { id: this.nextId(), ...this.extraOf(crashed), items: crashed.items, status: 'running' as const, retryOf: crashed.id, pid: process.pid };
			this.state.executions.push(retry);
			writeState(this.file, this.state);
			await this.run(retry);
		}
	}

	/**
	 * Step 1 as n8n takes it without a user: each execution a killed process left "running" ends
	 * `crashed` and is not run again. Returns how many.
	 */
	markCrashed(): number {
		const crashed = this.state.executions.filter((execution) => execution.status === 'running');
		for (const execution of crashed) execution.status = 'crashed';
		if (crashed.length > 0) writeState(this.file, this.state);
		for (const execution of crashed) progress('crashed', { id: execution.id, ...this.extraOf(execution), items: execution.items.length });
		return crashed.length;
	}

	/**
	 * Steps 2 and 3 for one trigger: `poll` moves the cursor (and puts it in the state) only when it
	 * succeeds; a poll that throws is recorded and runs nothing.
	 */
	async pollAndRun(poll: () => Promise<IDataObject[]>, extra: Extra): Promise<PollResult> {
		progress('poll', extra);
		let items: IDataObject[];
		try {
			items = await poll();
		} catch (error) {
			this.state.pollErrors = [...(this.state.pollErrors ?? []), String((error as Error)?.message ?? error)];
			this.save();
			return 'failed';
		}
		if (items.length === 0) {
			this.save();
			return 'nothing';
		}
		const execution = { id: this.nextId(), ...extra, items, status: 'running' as const, pid: process.pid };
		this.state.executions.push(execution);
		this.save(); // the moved cursor and the execution's items, together
		await this.run(execution);
		return 'ran';
	}
}

/** The command line of a child process: `node --import tsx <script> <state.json>`. */
export function runFromCommandLine(main: (file: string) => Promise<void>, script: string): void {
	const file = process.argv[2];
	if (!file) {
		process.stderr.write(`usage: node --import tsx ${script} <state.json>\n`);
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
