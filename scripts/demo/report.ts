// What one execution of the sync (or backfill) template did, read from n8n's saved execution, and
// how it compares with the data set's expectations. Used by `npm start` and the e2e tests.
import type { Dataset, Sandbox } from '../../sandbox';
import type { QuickBooksExpectation } from '../../sandbox/dataset/types';
import { PACKAGE_NAME, type ExecutionDetail } from '../n8n';

export type Action = 'created' | 'updated' | 'unchanged' | 'voided' | 'skipped';
export const ACTIONS: Action[] = ['created', 'updated', 'unchanged', 'voided', 'skipped'];

export interface InvoiceResult {
	hubspotId: string;
	number: string;
	/** An upsert action, or 'error'. */
	outcome: Action | 'error';
	code?: string;
	message?: string;
	hint?: string;
	/** The node whose error output the invoice left on. */
	node?: string;
	quickbooksId?: string;
}

export interface SyncExecutionSummary {
	executionId: string;
	status: string;
	/** Invoices the trigger emitted. */
	emitted: number;
	emittedIds: string[];
	results: InvoiceResult[];
	counts: Record<Action, number>;
	failed: Record<string, number>;
	/** One hint per error code (the first seen). */
	hints: Record<string, string>;
	/** Emitted invoices that reached neither the upsert's output nor an error output (must be 0). */
	lost: string[];
	/** Node-level failures (the node stopped the workflow instead of routing items). */
	nodeErrors: Record<string, string>;
}

type Json = Record<string, unknown>;

function itemsOf(execution: ExecutionDetail, nodeName: string, output: number): Json[] {
	const runs = execution.data.resultData.runData[nodeName] ?? [];
	return runs.flatMap((run) => (run.data?.main?.[output] ?? []).map((item) => item.json));
}

function invoiceOf(json: Json): { hubspotId: string; number: string } {
	const invoice = (json.invoice ?? {}) as Json;
	const source = (invoice.source ?? {}) as Json;
	return { hubspotId: String(source.id ?? ''), number: String(invoice.number ?? '') };
}

/** Reads outcomes from an execution of a template whose nodes are this package's. */
export function summarizeSyncExecution(execution: ExecutionDetail): SyncExecutionSummary {
	const nodes = execution.workflowData.nodes;
	const ofType = (name: string) => nodes.filter((node) => node.type === `${PACKAGE_NAME}.${name}`).map((node) => node.name);
	const [trigger] = ofType('hubSpotInvoiceTrigger');
	const [upsert] = ofType('quickBooksInvoiceUpsert');
	const pipeline = nodes
		.filter((node) => node.type.startsWith(`${PACKAGE_NAME}.`) && node.name !== trigger)
		.map((node) => node.name);

	const emittedItems = trigger ? itemsOf(execution, trigger, 0) : [];
	const summary: SyncExecutionSummary = {
		executionId: String(execution.id),
		status: execution.status,
		emitted: emittedItems.length,
		emittedIds: emittedItems.map((json) => invoiceOf(json).hubspotId),
		results: [],
		counts: { created: 0, updated: 0, unchanged: 0, voided: 0, skipped: 0 },
		failed: {},
		hints: {},
		lost: [],
		nodeErrors: {},
	};
	for (const name of pipeline) {
		const runs = execution.data.resultData.runData[name] ?? [];
		for (const run of runs) if (run.error) summary.nodeErrors[name] = run.error.message;
		for (const json of itemsOf(execution, name, 1)) {
			const error = (json.error ?? {}) as Json;
			const code = String(error.code ?? 'UNKNOWN');
			summary.results.push({
				...invoiceOf(json),
				outcome: 'error',
				code,
				message: error.message === undefined ? undefined : String(error.message),
				hint: error.hint === undefined ? undefined : String(error.hint),
				node: name,
			});
			summary.failed[code] = (summary.failed[code] ?? 0) + 1;
			if (error.hint && !summary.hints[code]) summary.hints[code] = String(error.hint);
		}
	}
	if (upsert) {
		for (const json of itemsOf(execution, upsert, 0)) {
			const invoice = (((json.quickbooks ?? {}) as Json).invoice ?? {}) as Json;
			const action = String(invoice.action ?? 'unknown') as Action;
			summary.results.push({ ...invoiceOf(json), outcome: action, quickbooksId: invoice.id ? String(invoice.id) : undefined });
			if (action in summary.counts) summary.counts[action]++;
		}
	}
	const reached = new Set(summary.results.map((result) => result.hubspotId));
	summary.lost = summary.emittedIds.filter((id) => !reached.has(id));
	const topError = execution.data.resultData.error;
	if (topError && Object.keys(summary.nodeErrors).length === 0) {
		summary.nodeErrors[execution.data.resultData.lastNodeExecuted ?? 'workflow'] = topError.message;
	}
	return summary;
}

/**
 * Differences between what happened and `dataset.expectations` (per HubSpot invoice: outcome and
 * error code; 'not-emitted' = the trigger did not emit it). Empty when everything matches.
 */
export function compareWithExpectations(
	summary: SyncExecutionSummary,
	dataset: Dataset,
	quickbooksInvoice?: (id: string) => QuickBooksInvoiceRecord | undefined,
): string[] {
	const actual = new Map(summary.results.map((result) => [result.hubspotId, result]));
	const emitted = new Set(summary.emittedIds);
	const problems: string[] = [];
	for (const [id, expected] of Object.entries(dataset.expectations)) {
		const label = `${expected.invoiceNumber ?? id} (HubSpot ${id})`;
		const result = actual.get(id);
		const got = result ? `${result.outcome}${result.code ? ` ${result.code}` : ''}` : emitted.has(id) ? 'lost' : 'not-emitted';
		const want = `${expected.outcome}${expected.code ? ` ${expected.code}` : ''}`;
		if (got !== want) problems.push(`${label}: expected ${want}, got ${got}`);
		else if (expected.quickbooks && quickbooksInvoice && result?.quickbooksId) {
			const record = quickbooksInvoice(result.quickbooksId);
			if (!record) problems.push(`${label}: QuickBooks invoice ${result.quickbooksId} not found`);
			else problems.push(...quickBooksDifferences(record, expected.quickbooks).map((difference) => `${label}: ${difference}`));
		}
	}
	for (const id of summary.emittedIds) {
		if (!(id in dataset.expectations)) problems.push(`HubSpot ${id}: emitted but the data set has no expectation for it`);
	}
	for (const [node, message] of Object.entries(summary.nodeErrors)) problems.push(`${node} failed: ${message}`);
	return problems;
}

/** Expected counts in the report's shape, computed from the data set. */
export function expectedCounts(dataset: Dataset): { counts: Record<Action, number>; failed: Record<string, number> } {
	const counts: Record<Action, number> = { created: 0, updated: 0, unchanged: 0, voided: 0, skipped: 0 };
	const failed: Record<string, number> = {};
	for (const expectation of Object.values(dataset.expectations)) {
		if (expectation.outcome === 'error') failed[expectation.code ?? 'UNKNOWN'] = (failed[expectation.code ?? 'UNKNOWN'] ?? 0) + 1;
		else if (expectation.outcome in counts) counts[expectation.outcome as Action]++;
	}
	return { counts, failed };
}

export interface ReportJson {
	synced: number;
	updated: number;
	unchanged: number;
	failed: Record<string, number>;
	slack: number;
	voided: number;
	skipped: number;
	emitted: number;
	matchesExpectations: boolean;
}

/** The one-line JSON report (`npm start -- --once` prints it last). */
export function reportJson(summary: SyncExecutionSummary, slackMessages: number, problems: string[]): ReportJson {
	return {
		synced: summary.counts.created,
		updated: summary.counts.updated,
		unchanged: summary.counts.unchanged,
		failed: Object.fromEntries(Object.entries(summary.failed).sort(([a], [b]) => a.localeCompare(b))),
		slack: slackMessages,
		voided: summary.counts.voided,
		skipped: summary.counts.skipped,
		emitted: summary.emitted,
		matchesExpectations: problems.length === 0,
	};
}

/** The human-readable report. */
export function formatReport(summary: SyncExecutionSummary, slackMessages: number, problems: string[], dataset: Dataset): string {
	const lines: string[] = [];
	const failedTotal = Object.values(summary.failed).reduce((sum, n) => sum + n, 0);
	lines.push(`Sync run (execution ${summary.executionId}, ${summary.status}): the trigger emitted ${summary.emitted} invoices`);
	lines.push(`  synced (created in QuickBooks)  ${summary.counts.created}`);
	lines.push(`  updated                         ${summary.counts.updated}`);
	lines.push(`  unchanged                       ${summary.counts.unchanged}`);
	lines.push(`  voided                          ${summary.counts.voided}`);
	lines.push(`  skipped                         ${summary.counts.skipped}`);
	lines.push(`  failed                          ${failedTotal}`);
	const byCode = new Map<string, InvoiceResult[]>();
	for (const result of summary.results.filter((entry) => entry.outcome === 'error')) {
		byCode.set(result.code!, [...(byCode.get(result.code!) ?? []), result]);
	}
	for (const [code, results] of [...byCode.entries()].sort(([a], [b]) => a.localeCompare(b))) {
		lines.push(`    ${code} × ${results.length}: ${results.map((result) => result.number).join(', ')}`);
		if (summary.hints[code]) lines.push(`      how to fix: ${summary.hints[code]}`);
	}
	const notEmitted = Object.entries(dataset.expectations).filter(([id]) => !summary.emittedIds.includes(id));
	if (notEmitted.length) {
		lines.push(`  not emitted by the trigger      ${notEmitted.length} (${notEmitted.map(([id, e]) => e.invoiceNumber ?? id).join(', ')})`);
	}
	lines.push(`  Slack messages received         ${slackMessages}${slackMessages === failedTotal ? ' (one per failed invoice)' : ''}`);
	if (summary.lost.length) lines.push(`  LOST (reached no output)        ${summary.lost.join(', ')}`);
	if (problems.length === 0) {
		lines.push(`Matches the data set's expectations for all ${Object.keys(dataset.expectations).length} HubSpot invoices.`);
	} else {
		lines.push(`DOES NOT match the data set's expectations (${problems.length}):`);
		for (const problem of problems) lines.push(`  - ${problem}`);
	}
	return lines.join('\n');
}

/** The fields of a QuickBooks invoice the expectations look at. */
export interface QuickBooksInvoiceRecord {
	TxnDate?: string;
	CustomerRef?: { value: string; name?: string };
	CurrencyRef?: { value: string };
	Line?: Array<{ DetailType?: string; Amount?: number | string }>;
}

function cents(amount: number | string | undefined): number {
	return Math.round(Number(amount ?? 0) * 100);
}

/** What differs between a QuickBooks invoice and what the data set expects of it. */
export function quickBooksDifferences(
	record: QuickBooksInvoiceRecord,
	expected: QuickBooksExpectation,
	customerName: (id: string) => string | undefined = () => undefined,
): string[] {
	const differences: string[] = [];
	const check = (field: string, want: string | undefined, got: string | undefined) => {
		if (want !== undefined && want !== got) differences.push(`QuickBooks ${field} ${got ?? '(none)'}, expected ${want}`);
	};
	check('TxnDate', expected.txnDate, record.TxnDate);
	check('currency', expected.currency, record.CurrencyRef?.value);
	check('customer', expected.customerName, record.CustomerRef?.name ?? customerName(record.CustomerRef?.value ?? ''));
	const lines = (record.Line ?? []).filter((line) => line.DetailType !== 'SubTotalLineDetail');
	if (expected.lineTypes) check('lines', expected.lineTypes.join(', '), lines.map((line) => line.DetailType).join(', '));
	if (expected.preTaxTotal !== undefined) {
		const total = lines.reduce((sum, line) => sum + (line.DetailType === 'DiscountLineDetail' ? -1 : 1) * cents(line.Amount), 0);
		check('total before tax', expected.preTaxTotal, (total / 100).toFixed(2));
	}
	return differences;
}

/** Reads the main realm's invoices from a running sandbox, with the customer's name filled in. */
export function sandboxQuickBooksInvoices(sandbox: Sandbox): (id: string) => QuickBooksInvoiceRecord | undefined {
	return (id) => {
		const entities = sandbox.quickbooks.state.realms[sandbox.dataset.realmId]?.entities as Record<string, Map<string, Record<string, any>>> | undefined;
		const invoice = entities?.Invoice?.get(id);
		if (!invoice) return undefined;
		const customer = entities?.Customer?.get(String(invoice.CustomerRef?.value));
		return { ...invoice, CustomerRef: { value: String(invoice.CustomerRef?.value), name: customer?.DisplayName ?? invoice.CustomerRef?.name } };
	};
}
