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

/** bIds are at most 10 characters: reactivations r0…, creations c0…, the retried creations d0…. */
function operationsOf<R, P extends object>(entity: string, writes: Array<RecordWrite<R, P>>, attempt: 1 | 2, reactivation: (record: R) => IDataObject): BatchOperation[] {
	let reactivations = 0;
	let creations = 0;
	return writes.map((write) => {
		if ('reactivate' in write) return { bId: `r${reactivations++}`, operation: 'update', entity, payload: reactivation(write.reactivate) };
		return { bId: `${attempt === 1 ? 'c' : 'd'}${creations++}`, operation: 'create', entity, payload: write.create as IDataObject };
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
 * `reactivation` makes of the record read (Customer takes a sparse update, Item only a full one).
 */
export function quickBooksWriter<R, P extends object>(client: Pick<QuickBooksClient, 'batch'>, entity: string, reactivation: (record: R) => IDataObject): RecordWriter<R, P> {
	return async (writes, attempt) => {
		if (writes.length === 0) return [];
		const operations = operationsOf(entity, writes, attempt, reactivation);
		let answers: Map<string, BatchItemResult>;
		try {
			answers = await client.batch(operations, () => randomUUID());
		} catch (error) {
			return writes.map(() => ({ error, cause: 'callFailed' as const }));
		}
		return operations.map((operation) => resultOf<R>(operation.bId, answers.get(operation.bId)));
	};
}
