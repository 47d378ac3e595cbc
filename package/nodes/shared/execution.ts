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
import { describeInvoice, parseSyncItem } from './invoiceContract';
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
	items.forEach((entry, index) => {
		const outcome =
			outcomes.get(index) ??
			({ error: new SyncError('UNEXPECTED_ERROR', { invoice: describeInvoice(entry.json), detail: 'no result for this item' }) } as InvoiceOutcome);
		if ('json' in outcome) output.push({ json: outcome.json, pairedItem: { item: index } });
		else output.push(failedItem(context, entry.json, index, outcome.error, outcome.failure ?? { invoice: describeInvoice(entry.json) }));
	});
	return [output];
}

export { toSyncError };
