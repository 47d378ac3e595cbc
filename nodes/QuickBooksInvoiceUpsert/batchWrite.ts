/**
 * Carrying out the plan: creates, updates and voids go through /batch (30 per call) with a
 * requestid per call derived from its content, so a retried call replays instead of writing twice.
 * Per-operation faults become per-invoice errors; two faults get one more round in the same
 * execution: 6140 (someone created the number meanwhile → update that invoice) and 5010 (stale
 * SyncToken → re-read, re-plan, retry once).
 */
import { createHash } from 'crypto';

import { SyncError } from '../shared/errors';
import { mergeObjects } from '../shared/objects';
import { duplicateTxnId, toSyncError, type FailureContext } from '../shared/faultTranslation';
import type { BatchItemResult, BatchOperation, QuickBooksClient } from '../shared/transport/quickbooks';
import { QUICKBOOKS_BATCH_SIZE, QuickBooksFault } from '../shared/transport/quickbooks';
import { chunk, mapWithConcurrency } from '../shared/transport/retry';
import { linkStateOf, readInvoices, type ExistingMatch, type QuickBooksInvoice } from './findExisting';
import type { UpsertOptions } from './options';
import type { DesiredInvoice } from './payload';
import { planInvoice, type PlanStep } from './writePlan';

export type InvoiceAction = 'created' | 'updated' | 'unchanged' | 'voided' | 'skipped';

export type WriteResult =
	| { ok: true; action: InvoiceAction; invoice?: QuickBooksInvoice; reason?: string; changes?: string[] }
	| { ok: false; error: SyncError };

export interface WriteEntry {
	/** Unique per invoice of the execution (the HubSpot id). */
	key: string;
	desired: DesiredInvoice;
	match?: ExistingMatch;
	step: PlanStep;
}

/** Parallel /batch calls per execution (the transport also caps in-flight requests per company). */
export const BATCH_CONCURRENCY = 4;

type WriteStep = Extract<PlanStep, { kind: 'create' | 'update' | 'void' }>;

function isWrite(step: PlanStep): step is WriteStep {
	return step.kind === 'create' || step.kind === 'update' || step.kind === 'void';
}

const ACTION_BY_KIND: Record<WriteStep['kind'], InvoiceAction> = { create: 'created', update: 'updated', void: 'voided' };

/** The result of a step that needs no write. */
export function settledResult(step: PlanStep): WriteResult | undefined {
	switch (step.kind) {
		case 'unchanged':
			return { ok: true, action: 'unchanged', invoice: step.existing };
		case 'skipped':
			return { ok: true, action: 'skipped', invoice: step.existing, reason: step.reason };
		case 'error':
			return { ok: false, error: step.error };
		default:
			return undefined;
	}
}

function toOperation(bId: string, step: WriteStep): BatchOperation {
	if (step.kind === 'void') return { bId, operation: 'update', optionsData: 'void', entity: 'Invoice', payload: mergeObjects(step.payload) };
	return { bId, operation: step.kind, entity: 'Invoice', payload: mergeObjects(step.payload) as Record<string, any> };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * A 36-character requestid (QuickBooks' batch maximum) from the HubSpot ids, operations and
 * payload hashes of one /batch call, salted per execution: the same call retried after a dropped
 * connection replays QuickBooks' first answer, while a later execution (for example after the
 * invoice was deleted in QuickBooks to re-sync it) writes for real.
 */
export function batchRequestId(salt: string, operations: BatchOperation[], keyOf: (bId: string) => string): string {
	const content = operations
		.map((operation) => `${keyOf(operation.bId)}|${operation.operation}|${operation.optionsData ?? ''}|${sha256(JSON.stringify(operation.payload ?? {}))}`)
		.join('\n');
	const hex = sha256(`${salt}\n${content}`);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** True when `text` names `id` as a whole token (item 1 is not item 12). */
function mentionsId(text: string, id: string): boolean {
	const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`(^|[^0-9A-Za-z])${escaped}([^0-9A-Za-z]|$)`).test(text);
}

/** What a fault is about, for the message: the SKU of an item it names, or the customer. */
export function faultContext(desired: DesiredInvoice, fault?: QuickBooksFault): FailureContext {
	const context: FailureContext = { invoice: desired.invoiceNumber, record: 'invoice' };
	const first = fault?.errors[0];
	const element = (first?.element ?? '').toLowerCase();
	const text = `${first?.message ?? ''} ${first?.detail ?? ''}`;
	if (element.includes('customer')) {
		context.name = desired.customerName;
		context.email = desired.customerEmail ?? undefined;
	} else if (element.includes('item')) {
		const named = desired.lineItemIds
			.map((id, index) => (mentionsId(text, id) ? desired.lineSkus[index] ?? `item ${id}` : undefined))
			.filter((sku): sku is string => Boolean(sku));
		const skus = named.length ? named : desired.lineSkus.filter((sku): sku is string => Boolean(sku));
		context.name = [...new Set(skus)].join(', ');
	}
	return context;
}

/**
 * QuickBooks answers a write with the whole invoice; the output and the write-back need only its
 * Id, DocNumber and SyncToken. Dropping the rest as each /batch answer arrives keeps thousands of
 * full invoices from living until the end of the wave.
 */
function keepWhatTheUpsertUses(result: BatchItemResult): BatchItemResult {
	const entity = result.entity;
	if (!entity) return result;
	return { bId: result.bId, fault: result.fault, entity: { Id: entity.Id, DocNumber: entity.DocNumber, SyncToken: entity.SyncToken } };
}

interface Round {
	entries: Array<{ entry: WriteEntry; step: WriteStep }>;
}

interface RoundOutcome {
	entry: WriteEntry;
	step: WriteStep;
	result?: BatchItemResult;
	failure?: unknown;
}

async function runRound(client: QuickBooksClient, round: Round, prefix: string, salt: string): Promise<RoundOutcome[]> {
	const operations = round.entries.map(({ step }, index) => toOperation(`${prefix}${index}`, step));
	const entryByBId = new Map(operations.map((operation, index) => [operation.bId, round.entries[index]]));
	const keyOf = (bId: string) => entryByBId.get(bId)?.entry.key ?? bId;
	const outcomes: RoundOutcome[] = [];
	// One /batch call per chunk, each caught on its own: a throttled or dropped call fails only its invoices.
	await mapWithConcurrency(chunk(operations, QUICKBOOKS_BATCH_SIZE), BATCH_CONCURRENCY, async (chunkOps) => {
		let results: Map<string, BatchItemResult> | undefined;
		let failure: unknown;
		try {
			results = await client.batch(chunkOps, (ops) => batchRequestId(salt, ops, keyOf));
		} catch (error) {
			failure = error;
		}
		for (const operation of chunkOps) {
			const { entry, step } = entryByBId.get(operation.bId)!;
			const result = results?.get(operation.bId);
			if (failure !== undefined) outcomes.push({ entry, step, failure });
			else if (!result) {
				outcomes.push({ entry, step, failure: new SyncError('UNEXPECTED_ERROR', { invoice: entry.desired.invoiceNumber, detail: `QuickBooks' batch answer has no result for ${operation.bId}` }) });
			} else outcomes.push({ entry, step, result: keepWhatTheUpsertUses(result) });
		}
	});
	return outcomes;
}

function failed(error: unknown, desired: DesiredInvoice): WriteResult {
	const fault = error instanceof QuickBooksFault ? error : undefined;
	return { ok: false, error: toSyncError(error, faultContext(desired, fault)) };
}

/**
 * Runs every write of the plan and settles every entry. At most two rounds of /batch calls (the
 * second only for 6140 races and stale SyncTokens) plus one read in between.
 */
export async function executeWrites(
	client: QuickBooksClient,
	entries: WriteEntry[],
	options: UpsertOptions,
	salt: string,
): Promise<Map<string, WriteResult>> {
	const results = new Map<string, WriteResult>();
	const first: Round = { entries: [] };
	for (const entry of entries) {
		if (isWrite(entry.step)) first.entries.push({ entry, step: entry.step });
		else results.set(entry.key, settledResult(entry.step)!);
	}
	if (first.entries.length === 0) return results;

	const races: Array<{ entry: WriteEntry; txnId: string }> = [];
	const stale: Array<{ entry: WriteEntry; id: string }> = [];
	for (const outcome of await runRound(client, first, 'w', salt)) {
		const { entry, step, result } = outcome;
		if (outcome.failure !== undefined) {
			results.set(entry.key, failed(outcome.failure, entry.desired));
			continue;
		}
		const fault = result!.fault;
		if (!fault) {
			results.set(entry.key, { ok: true, action: ACTION_BY_KIND[step.kind], invoice: result!.entity, changes: step.kind === 'update' ? step.changes : undefined });
			continue;
		}
		const raceTxnId = step.kind === 'create' && fault.hasCode('6140') ? duplicateTxnId(fault) : undefined;
		if (raceTxnId) races.push({ entry, txnId: raceTxnId });
		else if (step.kind !== 'create' && fault.hasCode('5010')) stale.push({ entry, id: String(step.payload.Id) });
		else results.set(entry.key, failed(fault, entry.desired));
	}
	if (races.length === 0 && stale.length === 0) return results;

	// Second round: read what QuickBooks holds now, decide again, write once more.
	let current: Map<string, QuickBooksInvoice>;
	try {
		current = await readInvoices(client, [...races.map((race) => race.txnId), ...stale.map((entry) => entry.id)]);
	} catch (error) {
		for (const { entry } of [...races, ...stale]) results.set(entry.key, failed(error, entry.desired));
		return results;
	}
	const second: Round = { entries: [] };
	const replan = (entry: WriteEntry, match: ExistingMatch) => {
		const step = planInvoice(entry.desired, match, options);
		if (step.kind === 'create') {
			// Cannot happen with a match; never create twice.
			results.set(entry.key, { ok: false, error: new SyncError('UNEXPECTED_ERROR', { invoice: entry.desired.invoiceNumber, detail: 'second create planned' }) });
		} else if (isWrite(step)) second.entries.push({ entry: { ...entry, match, step }, step });
		else results.set(entry.key, settledResult(step)!);
	};
	for (const { entry, txnId } of races) {
		const invoice = current.get(txnId);
		if (!invoice) {
			results.set(entry.key, {
				ok: false,
				error: new SyncError('DUPLICATE_INVOICE', { invoice: entry.desired.invoiceNumber, txnId }, { txnId, reason: 'QuickBooks reported the number as taken by an invoice it then did not return' }),
			});
			continue;
		}
		replan(entry, { invoice, matchedBy: 'docNumber', ...linkStateOf(invoice, entry.desired.hubspotId) });
	}
	for (const { entry, id } of stale) {
		const invoice = current.get(id);
		if (!invoice) {
			results.set(entry.key, { ok: false, error: new SyncError('STALE_OBJECT', { invoice: entry.desired.invoiceNumber }, { txnId: id, reason: 'the invoice disappeared while it was being updated' }) });
			continue;
		}
		replan(entry, { ...(entry.match ?? { matchedBy: 'docNumber', ...linkStateOf(invoice, entry.desired.hubspotId) }), invoice });
	}
	if (second.entries.length === 0) return results;
	for (const outcome of await runRound(client, second, 'r', salt)) {
		const { entry, step, result } = outcome;
		if (outcome.failure !== undefined) results.set(entry.key, failed(outcome.failure, entry.desired));
		else if (result!.fault) results.set(entry.key, failed(result!.fault, entry.desired));
		else results.set(entry.key, { ok: true, action: ACTION_BY_KIND[step.kind], invoice: result!.entity, changes: step.kind === 'update' ? step.changes : undefined });
	}
	return results;
}
