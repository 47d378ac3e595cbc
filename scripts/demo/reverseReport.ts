// What the QuickBooks → HubSpot templates did in `npm start`, read from n8n's saved executions, and
// how the HubSpot portal ends compared with the reverse data set's expectations.
import { maxRoundingGapCents } from '../../package/nodes/HubSpotInvoiceUpsert/readBack';
import type { Sandbox } from '../../sandbox';
import type { ReverseDataset } from '../../sandbox/dataset';
import { PACKAGE_NAME, nodeOutput, type ExecutionDetail } from '../n8n';
import type { DirectionWrite } from './twoWay';

type Json = Record<string, any>;

export interface ToHubSpotSummary {
	synced: number;
	updated: number;
	voided: number;
	paymentsApplied: number;
	/** Error code → items on an error output, over every run. */
	failed: Record<string, number>;
	/** Per QuickBooks invoice: every action the upsert took and every error code it met. */
	byInvoice: Map<string, { actions: Set<string>; codes: Set<string> }>;
	writes: DirectionWrite[];
	nodeErrors: Record<string, string>;
}

/** The QuickBooks invoice an item is about: an invoice, a payment or a deletion. */
function quickBooksIdOf(json: Json): string {
	return String(json.invoice?.source?.id ?? json.payment?.quickbooksInvoiceId ?? json.deletedInvoice?.quickbooksInvoiceId ?? '');
}

/** One item at the end of the reverse direction: written by the upsert (its action), or failed (its code). */
export type ToHubSpotOutcome = { write: DirectionWrite } | { failure: { quickbooksId: string; code: string } };

const COUNTED: Record<string, 'synced' | 'updated' | 'voided' | 'paymentsApplied'> = { created: 'synced', updated: 'updated', voided: 'voided', paymentApplied: 'paymentsApplied' };

/** The counts and per-invoice outcomes of a list of outcomes (from n8n executions or from the harness). */
export function tallyToHubSpot(outcomes: ToHubSpotOutcome[], nodeErrors: Record<string, string> = {}): ToHubSpotSummary {
	const summary: ToHubSpotSummary = { synced: 0, updated: 0, voided: 0, paymentsApplied: 0, failed: {}, byInvoice: new Map(), writes: [], nodeErrors };
	const entry = (id: string) => summary.byInvoice.get(id) ?? summary.byInvoice.set(id, { actions: new Set(), codes: new Set() }).get(id)!;
	for (const outcome of outcomes) {
		if ('failure' in outcome) {
			const { quickbooksId, code } = outcome.failure;
			summary.failed[code] = (summary.failed[code] ?? 0) + 1;
			entry(quickbooksId).codes.add(code);
			continue;
		}
		entry(outcome.write.sourceId).actions.add(outcome.write.action);
		summary.writes.push(outcome.write);
		const counter = COUNTED[outcome.write.action];
		if (counter) summary[counter]++;
	}
	return summary;
}

/** The write of one HubSpot Invoice Upsert output item. */
export function toHubSpotWrite(json: Json): DirectionWrite {
	const part = json.hubspot?.invoice ?? {};
	return { sourceId: quickBooksIdOf(json), targetId: part.id ?? undefined, action: String(part.action ?? 'unknown') };
}

/** The failure of one error-output item. */
export function toHubSpotFailure(json: Json): { quickbooksId: string; code: string } {
	return { quickbooksId: quickBooksIdOf(json), code: String(json.error?.code ?? 'UNKNOWN') };
}

/** Outcomes of the reverse templates' executions (the invoice sync and the payments template, in run order). */
export function summarizeToHubSpot(executions: ExecutionDetail[]): ToHubSpotSummary {
	const outcomes: ToHubSpotOutcome[] = [];
	const nodeErrors: Record<string, string> = {};
	for (const execution of executions) {
		const nodes = execution.workflowData.nodes.filter((node) => node.type.startsWith(`${PACKAGE_NAME}.`) && !/Trigger$/.test(node.type));
		for (const node of nodes) {
			for (const run of execution.data.resultData.runData[node.name] ?? []) if (run.error) nodeErrors[node.name] = run.error.message;
			for (const json of nodeOutput(execution, node.name, 1)) outcomes.push({ failure: toHubSpotFailure(json as Json) });
			if (node.type !== `${PACKAGE_NAME}.hubSpotInvoiceUpsert`) continue;
			for (const json of nodeOutput(execution, node.name, 0)) outcomes.push({ write: toHubSpotWrite(json as Json) });
		}
		const topError = execution.data.resultData.error;
		if (topError && Object.keys(nodeErrors).length === 0) nodeErrors[execution.data.resultData.lastNodeExecuted ?? 'workflow'] = topError.message;
	}
	return tallyToHubSpot(outcomes, nodeErrors);
}

/**
 * The HubSpot invoices linked to each QuickBooks invoice: by `qbo_invoice_id`, or the HubSpot id its
 * memo names; each with `taxedLines`, its line items carrying a tax rate.
 */
export function sandboxHubSpotInvoicesFor(sandbox: Sandbox, realmId: string): (quickbooksId: string) => Json[] {
	const taxedLines = (invoiceId: string) =>
		sandbox.hubspot.state.associatedIds('invoices', invoiceId, 'line_items').filter((id) => sandbox.hubspot.state.get('line_items', id)?.properties.hs_tax_rate_group_id).length;
	return (quickbooksId) => {
		const invoices = (sandbox.hubspot.snapshot() as Json).objects.invoices as Json[];
		const record = (sandbox.quickbooks.state.realms[realmId]?.entities as Json)?.Invoice?.get(quickbooksId);
		const memoLink = /HubSpot invoice (\d+)/.exec(String(record?.PrivateNote ?? ''))?.[1];
		return invoices.filter((invoice) => invoice.properties.qbo_invoice_id === quickbooksId || invoice.id === memoLink).map((invoice) => ({ ...invoice, taxedLines: taxedLines(String(invoice.id)) }));
	};
}

const cents = (amount: unknown) => Math.round(Number(amount ?? NaN) * 100);

/**
 * Paid in QuickBooks, open in HubSpot only because HubSpot's total, its tax rounded per line, is
 * above QuickBooks' by no more than the upsert accepts as rounding for the invoice's taxed lines
 * (the item names it as totalDifference): the HubSpot payments record exactly what QuickBooks
 * received, so HubSpot keeps that gap due.
 */
function roundingGapLeftDue(invoice: Json, want: { status: string; amountPaid?: string | number }): boolean {
	const properties = invoice.properties as Json;
	if (want.status !== 'paid' || properties.hs_invoice_status !== 'open' || properties.qbo_payment_status !== 'paid') return false;
	const due = cents(properties.hs_balance_due);
	return due > 0 && due <= maxRoundingGapCents(Number(invoice.taxedLines ?? 0)) && cents(properties.hs_amount_billed) - cents(want.amountPaid) === due;
}

/**
 * Differences between the reverse run and the data set: per QuickBooks invoice, outcome, code and
 * how its HubSpot invoice ends (`hubspotInvoicesFor` as sandboxHubSpotInvoicesFor gives them, with
 * `taxedLines` for the rounding rule).
 */
export function compareToHubSpot(summary: ToHubSpotSummary, dataset: ReverseDataset, hubspotInvoicesFor: (quickbooksId: string) => Json[]): string[] {
	const problems: string[] = [];
	for (const [id, expected] of Object.entries(dataset.expectations)) {
		const label = `${expected.docNumber} (QuickBooks ${id})`;
		const seen = summary.byInvoice.get(id) ?? { actions: new Set<string>(), codes: new Set<string>() };
		const linked = hubspotInvoicesFor(id);
		if (expected.outcome === 'error') {
			if (!seen.codes.has(expected.code!)) problems.push(`${label}: expected error ${expected.code}, got ${[...seen.codes, ...seen.actions].join(', ') || 'nothing'}`);
			if (linked.length) problems.push(`${label}: failed, yet HubSpot holds ${linked.length} invoice(s) for it`);
			continue;
		}
		if (!seen.actions.has(expected.outcome)) problems.push(`${label}: expected ${expected.outcome}, got ${[...seen.actions, ...seen.codes].join(', ') || 'nothing'}`);
		if (linked.length !== 1) {
			problems.push(`${label}: ${linked.length} HubSpot invoices, expected 1`);
			continue;
		}
		const want = expected.hubspot!;
		const properties = linked[0].properties as Json;
		if (properties.hs_invoice_status !== want.status && !roundingGapLeftDue(linked[0], want)) problems.push(`${label}: HubSpot status ${properties.hs_invoice_status}, expected ${want.status}`);
		if (want.status === 'voided') continue;
		for (const [property, value] of [['qbo_amount_paid', want.amountPaid], ['qbo_balance', want.balanceDue]] as const) {
			if (cents(properties[property]) !== cents(value)) problems.push(`${label}: HubSpot ${property} ${properties[property] ?? '(none)'}, expected ${value}`);
		}
	}
	for (const [node, message] of Object.entries(summary.nodeErrors)) problems.push(`${node} failed: ${message}`);
	return problems;
}

/** The report's `toHubSpot` field. */
export function toHubSpotJson(summary: ToHubSpotSummary) {
	return {
		synced: summary.synced,
		updated: summary.updated,
		voided: summary.voided,
		paymentsApplied: summary.paymentsApplied,
		failed: Object.fromEntries(Object.entries(summary.failed).sort(([a], [b]) => a.localeCompare(b))),
	};
}

/** The human-readable lines of the QuickBooks → HubSpot part. */
export function formatToHubSpot(summary: ToHubSpotSummary, echoes: string[], problems: string[]): string {
	const lines = ['QuickBooks → HubSpot (invoice sync and payments templates):'];
	lines.push(`  synced (created in HubSpot)     ${summary.synced}`);
	lines.push(`  updated                         ${summary.updated}`);
	lines.push(`  voided                          ${summary.voided}`);
	lines.push(`  payments applied                ${summary.paymentsApplied}`);
	for (const [code, n] of Object.entries(toHubSpotJson(summary).failed)) lines.push(`  failed ${code} × ${n}`);
	lines.push(`Echo writes (one direction writing because of the other's own writes): ${echoes.length}`);
	for (const echo of echoes) lines.push(`  - ${echo}`);
	if (problems.length) {
		lines.push(`QuickBooks → HubSpot DOES NOT match the data set's expectations (${problems.length}):`);
		for (const problem of problems) lines.push(`  - ${problem}`);
	} else lines.push(`QuickBooks → HubSpot matches the data set's expectations for all ${summary.byInvoice.size} QuickBooks invoices it saw.`);
	return lines.join('\n');
}
