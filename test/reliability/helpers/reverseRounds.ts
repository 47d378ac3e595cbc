/**
 * Runs the QuickBooks → HubSpot templates the way active workflows run over time: each round polls
 * the invoice template then the payments template and executes what each emitted. An item that
 * failed with a retryable code is executed again from the items the trigger emitted for it (n8n's
 * "retry" of an execution): the QuickBooks Trigger's cursor has moved past it, and QuickBooks does
 * not change the invoice, so no later poll brings it back by itself.
 */
import type { IDataObject } from 'n8n-workflow';

import { REVERSE_TEMPLATES, quickBooksIdOfItem, type ReverseDriver, type ReverseExecution, type ReverseItemOutcome } from '../../../scripts/reliability/reverseDriver';
import type { ReverseTemplateKey } from '../../../scripts/demo/templates';
import type { ToHubSpotOutcome } from '../../../scripts/demo/reverseReport';
import type { SecretScanner } from './secrets';

export interface ReverseRoundsResult {
	executions: ReverseExecution[];
	rounds: number;
	pollFailures: number;
	retriedByRunner: number;
	/** Items that reached no output, node-level errors and runs that threw. */
	uncaught: number;
	uncaughtDetails: string[];
	/** Retryable failures still open when the rounds ran out. */
	openRetryable: number;
}

export interface ReverseRoundsOptions {
	maxRounds: number;
	scanner?: SecretScanner;
	label?: string;
	/** Runs before each round (a QuickBooks user's actions between polls). */
	beforeRound?: (round: number) => Promise<void>;
	/** Rounds that must run even when nothing is pending (the user's actions come then). */
	minRounds?: number;
}

const pendingKey = (template: ReverseTemplateKey, json: IDataObject) => `${template}|${quickBooksIdOfItem(json)}|${JSON.stringify((json.payment as IDataObject | undefined)?.amountPaid ?? '')}`;

/** Adds one execution's uncaught failures to the result. */
export function countUncaught(result: Pick<ReverseRoundsResult, 'uncaught' | 'uncaughtDetails'>, execution: ReverseExecution, where: string): void {
	if (execution.thrown) result.uncaughtDetails.push(`${where}: runWorkflow threw ${execution.thrown.slice(0, 300)}`);
	for (const [node, message] of Object.entries(execution.nodeErrors)) result.uncaughtDetails.push(`${where}: ${node} stopped: ${message}`);
	if (execution.lost) result.uncaughtDetails.push(`${where}: ${execution.lost} item(s) reached no output`);
	result.uncaught += execution.lost + Object.keys(execution.nodeErrors).length + (execution.thrown ? 1 : 0);
}

export async function syncReverseUntilSettled(driver: ReverseDriver, options: ReverseRoundsOptions): Promise<ReverseRoundsResult> {
	const result: ReverseRoundsResult = { executions: [], rounds: 0, pollFailures: 0, retriedByRunner: 0, uncaught: 0, uncaughtDetails: [], openRetryable: 0 };
	const label = options.label ?? 'reverse';
	const pending = new Map<string, { template: ReverseTemplateKey; json: IDataObject }>();
	for (let round = 1; round <= options.maxRounds; round++) {
		result.rounds = round;
		await options.beforeRound?.(round);
		let emittedAny = false;
		for (const template of REVERSE_TEMPLATES) {
			let items: IDataObject[] = [];
			try {
				items = await driver.poll(template);
			} catch (error) {
				result.pollFailures++;
				options.scanner?.scan(`${label} ${template} poll error`, error);
				emittedAny = true; // the same changes come again next round
				continue;
			}
			options.scanner?.scan(`${label} ${template} poll items`, items);
			const keys = new Set(items.map((json) => pendingKey(template, json)));
			for (const [key, entry] of pending) {
				if (entry.template !== template) continue;
				pending.delete(key);
				if (keys.has(key)) continue;
				items.push(entry.json);
				result.retriedByRunner++;
			}
			if (items.length === 0) continue;
			emittedAny = true;
			const execution = await driver.execute(template, items);
			result.executions.push(execution);
			options.scanner?.scan(`${label} ${template} execution ${round}`, execution.run ?? execution.outcomes.map((outcome) => outcome.json));
			countUncaught(result, execution, `round ${round} ${template}`);
			const byId = new Map(items.map((json) => [pendingKey(template, json), json]));
			for (const outcome of execution.outcomes) {
				if (outcome.outcome !== 'error' || !outcome.retryable) continue;
				const key = pendingKey(template, outcome.json);
				pending.set(key, { template, json: byId.get(key) ?? outcome.json });
			}
		}
		if (!emittedAny && pending.size === 0 && round >= (options.minRounds ?? 1)) break;
	}
	result.openRetryable = pending.size;
	return result;
}

/** Every outcome of the executions, in order, as the reverse report reads them. */
export function reverseReportOutcomes(executions: ReverseExecution[]): ToHubSpotOutcome[] {
	return executions.flatMap((execution) =>
		execution.outcomes.map((outcome: ReverseItemOutcome): ToHubSpotOutcome =>
			outcome.outcome === 'error'
				? { failure: { quickbooksId: outcome.quickbooksId, code: outcome.code ?? 'UNKNOWN' } }
				: { write: { sourceId: outcome.quickbooksId, targetId: outcome.hubspotId, action: outcome.outcome } },
		),
	);
}
