/**
 * The shape every sync node's execute() shares: validate each input item against the item contract,
 * hand all valid invoices to the node's batch logic at once (so lookups are batched across the
 * execution), then emit one output per input, in order — successes on the main output, failures on
 * the error output (or a thrown error when the node does not continue on fail).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { z } from 'zod/v4';

import { SyncError, type SyncErrorJson } from './errors';
import { toSyncError, type FailureContext } from './faultTranslation';
import { describeInvoice, markInvoiceValidated, parseSyncItem } from './invoiceContract';
import { failedItem } from './nodeErrors';

export interface ValidInvoice<T> {
	index: number;
	input: IDataObject;
	item: T;
}

/** What the batch logic decides for one invoice: its output JSON, or why it failed. */
export type InvoiceOutcome = { json: IDataObject } | { error: unknown; failure?: FailureContext };

export async function processInvoices<S extends z.ZodTypeAny>(
	context: IExecuteFunctions,
	schema: S,
	handle: (invoices: Array<ValidInvoice<z.infer<S>>>) => Promise<Map<number, InvoiceOutcome>>,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const outcomes = new Map<number, InvoiceOutcome>();
	const valid: Array<ValidInvoice<z.infer<S>>> = [];
	items.forEach((entry, index) => {
		const upstream = entry.json.error as Partial<SyncErrorJson> | undefined;
		if (upstream && typeof upstream === 'object' && typeof upstream.code === 'string') {
			// Already failed upstream (e.g. the trigger's INVOICE_INCOMPLETE): route it to the error
			// output with its own code instead of syncing half an invoice.
			outcomes.set(index, { error: SyncError.fromJSON(upstream), failure: { invoice: describeInvoice(entry.json) } });
			return;
		}
		try {
			valid.push({ index, input: entry.json, item: parseSyncItem(entry.json, schema) });
		} catch (error) {
			outcomes.set(index, { error, failure: { invoice: describeInvoice(entry.json) } });
		}
	});
	if (valid.length) {
		try {
			for (const [index, outcome] of await handle(valid)) outcomes.set(index, outcome);
		} catch (error) {
			// A failure of the shared lookups (expired auth, outage) fails every invoice of the batch.
			for (const invoice of valid) {
				if (!outcomes.has(invoice.index)) {
					outcomes.set(invoice.index, { error, failure: { invoice: describeInvoice(invoice.input) } });
				}
			}
		}
	}
	const output: INodeExecutionData[] = [];
	const validByIndex = new Map(valid.map((invoice) => [invoice.index, invoice]));
	items.forEach((entry, index) => {
		const outcome =
			outcomes.get(index) ??
			({ error: new SyncError('UNEXPECTED_ERROR', { invoice: describeInvoice(entry.json), detail: 'no result for this item' }) } as InvoiceOutcome);
		if ('json' in outcome) output.push({ json: shareUnchangedInvoice(outcome.json, validByIndex.get(index)), pairedItem: { item: index } });
		else output.push(failedItem(context, entry.json, index, outcome.error, outcome.failure ?? { invoice: describeInvoice(entry.json) }));
	});
	return [output];
}

/**
 * The contract's parse returns a fresh copy of the invoice, and n8n keeps every node's output until
 * the execution ends: without this, an execution would hold one copy of each invoice per node.
 * When the output carries the parsed invoice unchanged and it equals the incoming one (as it does
 * between this package's nodes), the incoming object is reused instead.
 */
function shareUnchangedInvoice(json: IDataObject, valid: ValidInvoice<unknown> | undefined): IDataObject {
	const parsed = (valid?.item as { invoice?: unknown } | undefined)?.invoice;
	const incoming = valid?.input.invoice;
	if (parsed === undefined || json.invoice !== parsed || incoming === undefined || !sameJson(incoming, parsed)) return json;
	json.invoice = incoming as IDataObject;
	markInvoiceValidated(incoming);
	return json;
}

/** Deep equality of JSON values (objects, arrays, primitives). */
export function sameJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) || Array.isArray(b)) {
		if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
		for (let index = 0; index < a.length; index++) if (!sameJson(a[index], b[index])) return false;
		return true;
	}
	const left = a as Record<string, unknown>;
	const right = b as Record<string, unknown>;
	const keys = Object.keys(left);
	if (keys.length !== Object.keys(right).length) return false;
	for (const key of keys) if (!Object.prototype.hasOwnProperty.call(right, key) || !sameJson(left[key], right[key])) return false;
	return true;
}

export { toSyncError };
