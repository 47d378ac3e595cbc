/**
 * Runs the sync the way an active workflow does over time: poll, execute what was emitted; again,
 * until nothing is left to do. Invoices that failed with a retryable code are re-executed from the
 * items the trigger emitted for them (n8n's "retry" of an execution) when the next poll does not
 * bring them back by itself (the write-back of a retryable failure changes the invoice, so usually it does).
 */
import type { IDataObject } from 'n8n-workflow';

import { describeItem, type ExecutionResult, type SyncDriver } from '../../../scripts/reliability/driver';
import type { SecretScanner } from './secrets';

export interface RoundsResult {
	executions: ExecutionResult[];
	emitted: Set<string>;
	rounds: number;
	pollFailures: number;
	/** Retryable failures re-executed by the runner because no poll brought them back. */
	retriedByRunner: number;
	/** Invoices a later poll emitted again (after a retryable failure, or a loop-guard miss). */
	reEmitted: number;
	/** Items that reached no output, node-level errors and runs that threw. */
	uncaught: number;
	/** Retryable failures still open when the rounds ran out. */
	openRetryable: number;
	uncaughtDetails: string[];
}

export async function syncUntilSettled(driver: SyncDriver, options: { maxRounds: number; scanner?: SecretScanner; label?: string }): Promise<RoundsResult> {
	const result: RoundsResult = {
		executions: [],
		emitted: new Set(),
		rounds: 0,
		pollFailures: 0,
		retriedByRunner: 0,
		reEmitted: 0,
		uncaught: 0,
		openRetryable: 0,
		uncaughtDetails: [],
	};
	const itemById = new Map<string, IDataObject>();
	let pending = new Map<string, IDataObject>();
	for (let round = 1; round <= options.maxRounds; round++) {
		result.rounds = round;
		let items: IDataObject[] = [];
		try {
			items = await driver.poll();
		} catch (error) {
			// The cursor did not move: the next poll reads the same invoices again.
			result.pollFailures++;
			options.scanner?.scan(`${options.label ?? 'sync'} poll error`, error);
			continue;
		}
		options.scanner?.scan(`${options.label ?? 'sync'} poll items`, items);
		const ids = new Set<string>();
		for (const item of items) {
			const { hubspotId } = describeItem(item);
			if (result.emitted.has(hubspotId)) result.reEmitted++;
			result.emitted.add(hubspotId);
			itemById.set(hubspotId, item);
			ids.add(hubspotId);
		}
		for (const [id, item] of pending) {
			if (!ids.has(id)) {
				items.push(item);
				result.retriedByRunner++;
			}
		}
		if (items.length === 0) {
			if (pending.size === 0 && round > 1) break;
			continue;
		}
		const execution = await driver.execute(items);
		result.executions.push(execution);
		options.scanner?.scan(`${options.label ?? 'sync'} execution ${round}`, execution.run ?? execution.outcomes.map((outcome) => outcome.json));
		if (execution.thrown) result.uncaughtDetails.push(`round ${round}: runWorkflow threw ${execution.thrown.slice(0, 300)}`);
		for (const [node, message] of Object.entries(execution.nodeErrors)) result.uncaughtDetails.push(`round ${round}: ${node} stopped: ${message}`);
		if (execution.lost) result.uncaughtDetails.push(`round ${round}: ${execution.lost} item(s) reached no output`);
		result.uncaught += execution.lost + Object.keys(execution.nodeErrors).length + (execution.thrown ? 1 : 0);
		pending = new Map();
		for (const outcome of execution.outcomes) {
			if (outcome.outcome === 'error' && outcome.retryable) pending.set(outcome.hubspotId, itemById.get(outcome.hubspotId) ?? {});
		}
	}
	result.openRetryable = pending.size;
	return result;
}
