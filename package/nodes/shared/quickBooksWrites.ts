/**
 * The QuickBooks side of `resolveByKeys`: one write round as one /batch (30 operations per call,
 * a fresh requestid per call), each answer turned into a `WriteResult`, QuickBooks' "Duplicate
 * Name Exists" fault into `taken`.
 */
import { randomUUID } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { RecordWrite, RecordWriter, WriteResult } from './resolveByKeys';
import { QuickBooksFault, type BatchItemResult, type BatchOperation, type QuickBooksClient } from './transport/quickbooks';

/** QuickBooks' "Duplicate Name Exists" fault: the name is used by another customer, vendor, employee or item. */
export const DUPLICATE_NAME_FAULT = '6240';

export interface WriterOptions<R> {
	/** The update that makes a record read by the lookup active again. */
	reactivation: (record: R) => IDataObject;
	/** The bId of a retried creation: by default d0, d1… in the order of the retry. */
	retryBId?: (retryOf: number, index: number) => string;
}

/** bIds are at most 10 characters: reactivations r0…, creations c0…, the retried creations as `retryBId` says. */
function operationsOf<R, P extends object>(entity: string, writes: Array<RecordWrite<R, P>>, options: WriterOptions<R>): BatchOperation[] {
	const retryBId = options.retryBId ?? ((_retryOf: number, index: number) => `d${index}`);
	let reactivations = 0;
	let creations = 0;
	return writes.map((write) => {
		if ('reactivate' in write) return { bId: `r${reactivations++}`, operation: 'update', entity, payload: options.reactivation(write.reactivate) };
		const index = creations++;
		const bId = write.retryOf === undefined ? `c${index}` : retryBId(write.retryOf, index);
		return { bId, operation: 'create', entity, payload: write.create as IDataObject };
	});
}

function resultOf<R>(bId: string, answer: BatchItemResult | undefined): WriteResult<R> {
	if (answer?.entity) return { record: answer.entity as unknown as R };
	if (answer?.fault instanceof QuickBooksFault && answer.fault.hasCode(DUPLICATE_NAME_FAULT)) return { taken: true, error: answer.fault };
	if (answer?.fault) return { error: answer.fault, cause: 'refused' };
	return { error: new Error(`QuickBooks did not answer batch operation ${bId}`), cause: 'noAnswer' };
}

/**
 * A writer of `entity` records: creations send the node's payload, reactivations the payload
 * `options.reactivation` makes of the record read (Customer takes a sparse update, Item only a full one).
 */
export function quickBooksWriter<R, P extends object>(client: Pick<QuickBooksClient, 'batch'>, entity: string, options: WriterOptions<R>): RecordWriter<R, P> {
	return async (writes) => {
		if (writes.length === 0) return [];
		const operations = operationsOf(entity, writes, options);
		let answers: Map<string, BatchItemResult>;
		try {
			answers = await client.batch(operations, () => randomUUID());
		} catch (error) {
			return writes.map(() => ({ error, cause: 'callFailed' as const }));
		}
		return operations.map((operation) => resultOf<R>(operation.bId, answers.get(operation.bId)));
	};
}
