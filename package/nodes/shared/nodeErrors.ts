/**
 * n8n glue for failures: with "continue on fail" a failed invoice becomes an item for the error
 * output (`item.error` set, so n8n routes it there; `json.error` carries code, message, hint,
 * retryable and details next to the invoice); otherwise the node throws with the same text.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { CONNECTION_ERROR_CODES, SyncError, type ErrorCode } from './errors';
import { toSyncError, type FailureContext } from './faultTranslation';

/** Failures an API answered (n8n shows them as NodeApiError): the connection's, and a request refused. */
const API_CODES: ReadonlySet<ErrorCode> = new Set([...CONNECTION_ERROR_CODES, 'HUBSPOT_ERROR', 'QUICKBOOKS_VALIDATION', 'PERIOD_CLOSED', 'STALE_OBJECT']);

/** The n8n error a node throws when it does not continue on fail. */
export function toNodeError(node: INode, error: SyncError, itemIndex?: number): NodeApiError | NodeOperationError {
	const message = `[${error.code}] ${error.message}`;
	if (API_CODES.has(error.code)) {
		const status = error.details.status;
		return new NodeApiError(node, error.toJSON() as unknown as JsonObject, {
			message,
			description: error.hint,
			itemIndex,
			httpCode: typeof status === 'number' ? String(status) : undefined,
		});
	}
	return new NodeOperationError(node, message, { description: error.hint, itemIndex });
}

/**
 * An item for the error output, paired to its input item. n8n-core replaces the JSON of an item
 * that carries `item.error` with the bare message (normalizeNodeErrors), and routes an item whose
 * JSON holds only `error` to the error output, merging the paired input item's JSON in
 * (handleNodeErrorOutput). So the JSON is just `{ error }`: downstream sees the invoice plus
 * `error: { code, message, hint, retryable, details }`.
 */
export function errorOutputItem(_node: INode, _input: IDataObject, error: SyncError, itemIndex: number): INodeExecutionData {
	return {
		json: { error: error.toJSON() as unknown as IDataObject },
		pairedItem: { item: itemIndex },
	};
}

/**
 * Handles one invoice's failure: returns its error-output item when the node continues on fail,
 * otherwise throws the matching NodeApiError / NodeOperationError.
 */
export function failedItem(
	context: IExecuteFunctions,
	input: IDataObject,
	itemIndex: number,
	error: unknown,
	failure: FailureContext = {},
): INodeExecutionData {
	const syncError = toSyncError(error, failure);
	if (context.continueOnFail()) return errorOutputItem(context.getNode(), input, syncError, itemIndex);
	throw toNodeError(context.getNode(), syncError, itemIndex);
}

export { SyncError };
