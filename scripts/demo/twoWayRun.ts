// `npm start`'s QuickBooks → HubSpot part: the two reverse templates run beside the HubSpot →
// QuickBooks sync on the same sandbox accounts, the QuickBooks user's later actions in between, then
// a settling round of all three with no user change, whose writes can only be echoes.
import type { Sandbox } from '../../sandbox';
import type { TwoWayDataset } from '../../sandbox/dataset/twoWay';
import { performQuickBooksActions } from '../../sandbox/quickbooks/userActions';
import type { ExecutionDetail, N8nRestClient } from '../n8n';
import { summarizeSyncExecution } from './report';
import { compareToHubSpot, sandboxHubSpotInvoicesFor, summarizeToHubSpot, type ToHubSpotSummary } from './reverseReport';
import { REVERSE_TEMPLATE_TRIGGERS, TEMPLATE_TRIGGERS, type ReverseTemplateKey } from './templates';
import { changedRecords, crossDirectionEchoes, recordVersions, type DirectionWrite } from './twoWay';

const RUN_TIMEOUT_MS = 10 * 60 * 1000;

/** Sets Backfill Since on the workflow's QuickBooks Trigger, as a user would before running it by hand. */
async function setBackfillSince(api: N8nRestClient, workflowId: string, since: string): Promise<void> {
	const workflow = await api.getWorkflow(workflowId);
	const nodes = workflow.nodes.map((node) => (/quickBooksTrigger$/.test(node.type) ? { ...node, parameters: { ...(node.parameters as object), backfillSince: since } } : node));
	await api.updateWorkflow(workflowId, { nodes });
}

export interface TwoWayResult {
	summary: ToHubSpotSummary;
	problems: string[];
	/** One line per echo write (must be none). */
	echoes: string[];
}

function forwardWritesOf(execution: ExecutionDetail): DirectionWrite[] {
	return summarizeSyncExecution(execution)
		.results.filter((result) => result.outcome !== 'error')
		.map((result) => ({ sourceId: result.hubspotId, targetId: result.quickbooksId, action: result.outcome }));
}

/**
 * Runs the reverse templates by hand (Backfill Since set, as the forward run): invoice sync, then
 * payments; the QuickBooks user's actions; payments again. Then one more run of every template
 * with nothing changed by a user: each record that changes then is an echo write (except the
 * failure the forward run records again on an invoice it retried), and so is any content write one
 * direction made for a record the other direction created (crossDirectionEchoes).
 */
export async function runQuickBooksToHubSpot(
	api: N8nRestClient,
	sandbox: Sandbox,
	dataset: TwoWayDataset,
	workflowIds: { sync: string } & Record<ReverseTemplateKey, string>,
	forwardRun: ExecutionDetail,
	say: (message: string) => void,
): Promise<TwoWayResult> {
	const run = async (key: ReverseTemplateKey) => {
		const execution = await api.runWorkflowAndWait(workflowIds[key], REVERSE_TEMPLATE_TRIGGERS[key], RUN_TIMEOUT_MS);
		say(`${REVERSE_TEMPLATE_TRIGGERS[key]} run: execution ${execution.id} (${execution.status})`);
		return execution;
	};
	const executions = [await run('reverseSync'), await run('reversePayments')];
	const { oauthTokenData } = sandbox.credentials.quickbooks;
	// From here on the payments template looks back only to the user's actions: within QuickBooks'
	// 30 days of change data capture, which (unlike the queries an older backfill needs) reports deletions.
	await setBackfillSince(api, workflowIds.reversePayments, new Date(Date.now() - 60_000).toISOString());
	await performQuickBooksActions(sandbox.urls.quickbooks, dataset.realmId, oauthTokenData.access_token, dataset.reverse.actions);
	say(`QuickBooks user: ${dataset.reverse.actions.map((action) => `${action.kind} ${action.docNumber}`).join(', ')}`);
	executions.push(await run('reversePayments'));
	const summary = summarizeToHubSpot(executions);
	const problems = compareToHubSpot(summary, dataset.reverse, sandboxHubSpotInvoicesFor(sandbox, dataset.realmId));

	const settled = recordVersions(sandbox);
	const forwardAgain = await api.runWorkflowAndWait(workflowIds.sync, TEMPLATE_TRIGGERS.sync, RUN_TIMEOUT_MS);
	const settling = summarizeToHubSpot([await run('reverseSync'), await run('reversePayments')]);
	// A manual run retries the invoices whose last sync failed and records the failure on them again
	// (polls leave them alone): that write answers no write of the other direction.
	const retried = new Set(summarizeSyncExecution(forwardAgain).results.filter((result) => result.outcome === 'error').map((result) => `hubspot:invoices:${result.hubspotId}`));
	const changed = changedRecords(settled, recordVersions(sandbox))
		.filter((key) => !retried.has(key))
		.map((key) => `${key} written in the settling round`);
	const forward = [...forwardWritesOf(forwardRun), ...forwardWritesOf(forwardAgain)];
	const echoes = [...crossDirectionEchoes(forward, [...summary.writes, ...settling.writes]), ...changed];
	return { summary, problems, echoes };
}
