/**
 * Carrying out the plan: creates, updates and voids go through /batch (30 per call) with a
 * requestid per call derived from its content, so a retried call replays instead of writing twice.
 * Per-operation faults become per-invoice errors; two faults get one more round in the same
 * execution: 6140 (someone created the number meanwhile → update that invoice) and 5010 (stale
 * SyncToken → re-read, re-plan, retry once). Creates are then checked for a twin another run made
 * at the same time, since 6140 cannot be relied on (see settleTwins).
 */
import { createHash } from 'crypto';

import { SyncError } from '../shared/errors';
import { mergeObjects } from '../shared/objects';
import { duplicateTxnId, toSyncError, type FailureContext } from '../shared/faultTranslation';
import type { BatchItemResult, BatchOperation, QuickBooksClient } from '../shared/transport/quickbooks';
import { QUICKBOOKS_BATCH_SIZE, QuickBooksFault } from '../shared/transport/quickbooks';
import { chunk, mapWithConcurrency } from '../shared/collections';
import { findExistingInvoices, indexCandidates, linkStateOf, readInvoices, type ExistingMatch, type LookupMode, type QuickBooksInvoice } from './findExisting';
import type { UpsertOptions } from './settings';
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
/** A write in a round: the plan's, or deleting the twin this run created (see settleTwins). */
type RoundStep = WriteStep | { kind: 'delete'; payload: { Id: string; SyncToken: string } };

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

function toOperation(bId: string, step: RoundStep): BatchOperation {
	if (step.kind === 'void') return { bId, operation: 'update', optionsData: 'void', entity: 'Invoice', payload: mergeObjects(step.payload) };
	if (step.kind === 'delete') return { bId, operation: 'delete', entity: 'Invoice', payload: mergeObjects(step.payload) };
	return { bId, operation: step.kind, entity: 'Invoice', payload: mergeObjects(step.payload) as BatchOperation['payload'] };
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

interface Round<S extends RoundStep = WriteStep> {
	entries: Array<{ entry: WriteEntry; step: S }>;
}

interface RoundOutcome<S extends RoundStep = WriteStep> {
	entry: WriteEntry;
	step: S;
	result?: BatchItemResult;
	failure?: unknown;
}

async function runRound<S extends RoundStep>(client: QuickBooksClient, round: Round<S>, prefix: string, salt: string): Promise<Array<RoundOutcome<S>>> {
	const operations = round.entries.map(({ step }, index) => toOperation(`${prefix}${index}`, step));
	const entryByBId = new Map(operations.map((operation, index) => [operation.bId, round.entries[index]]));
	const keyOf = (bId: string) => entryByBId.get(bId)?.entry.key ?? bId;
	const outcomes: Array<RoundOutcome<S>> = [];
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
	lookupMode: LookupMode = { byLinkOnly: false },
): Promise<Map<string, WriteResult>> {
	const results = await writePlanned(client, entries, options, salt);
	await settleTwins(client, entries, results, options, salt, lookupMode);
	return results;
}

/** The result of a write QuickBooks accepted. */
function writtenResult(step: WriteStep, invoice: QuickBooksInvoice | undefined): WriteResult {
	return { ok: true, action: ACTION_BY_KIND[step.kind], invoice, changes: step.kind === 'update' ? step.changes : undefined };
}

/** A create refused with 6140: the number is taken by the invoice `txnId`. */
type NumberRace = { entry: WriteEntry; txnId: string };
/** An update or void refused with 5010: invoice `id` changed since it was read. */
type StaleWrite = { entry: WriteEntry; id: string };

/** The plan's writes, plus the round for 6140 races and stale SyncTokens. */
async function writePlanned(client: QuickBooksClient, entries: WriteEntry[], options: UpsertOptions, salt: string): Promise<Map<string, WriteResult>> {
	const results = new Map<string, WriteResult>();
	const first: Round = { entries: [] };
	for (const entry of entries) {
		if (isWrite(entry.step)) first.entries.push({ entry, step: entry.step });
		else results.set(entry.key, settledResult(entry.step)!);
	}
	if (first.entries.length === 0) return results;
	const { races, stale } = settleFirstRound(await runRound(client, first, 'w', salt), results);
	if (races.length === 0 && stale.length === 0) return results;
	await retryRacesAndStale(client, races, stale, results, options, salt);
	return results;
}

/** Settles the first round's outcomes, setting aside the faults that get one more round. */
function settleFirstRound(outcomes: RoundOutcome[], results: Map<string, WriteResult>): { races: NumberRace[]; stale: StaleWrite[] } {
	const races: NumberRace[] = [];
	const stale: StaleWrite[] = [];
	for (const outcome of outcomes) {
		const { entry, step, result } = outcome;
		if (outcome.failure !== undefined) {
			results.set(entry.key, failed(outcome.failure, entry.desired));
			continue;
		}
		const fault = result!.fault;
		if (!fault) {
			results.set(entry.key, writtenResult(step, result!.entity));
			continue;
		}
		const raceTxnId = step.kind === 'create' && fault.hasCode('6140') ? duplicateTxnId(fault) : undefined;
		if (raceTxnId) races.push({ entry, txnId: raceTxnId });
		else if (step.kind !== 'create' && fault.hasCode('5010')) stale.push({ entry, id: String(step.payload.Id) });
		else results.set(entry.key, failed(fault, entry.desired));
	}
	return { races, stale };
}

/** Second round: read what QuickBooks holds now, decide again, write once more. */
async function retryRacesAndStale(
	client: QuickBooksClient,
	races: NumberRace[],
	stale: StaleWrite[],
	results: Map<string, WriteResult>,
	options: UpsertOptions,
	salt: string,
): Promise<void> {
	let current: Map<string, QuickBooksInvoice>;
	try {
		current = await readInvoices(client, [...races.map((race) => race.txnId), ...stale.map((entry) => entry.id)]);
	} catch (error) {
		for (const { entry } of [...races, ...stale]) results.set(entry.key, failed(error, entry.desired));
		return;
	}
	const second = replanAgainstCurrent(current, races, stale, results, options);
	if (second.entries.length === 0) return;
	for (const outcome of await runRound(client, second, 'r', salt)) {
		const { entry, step, result } = outcome;
		if (outcome.failure !== undefined) results.set(entry.key, failed(outcome.failure, entry.desired));
		else if (result!.fault) results.set(entry.key, failed(result!.fault, entry.desired));
		else results.set(entry.key, writtenResult(step, result!.entity));
	}
}

/** Plans the raced and stale entries again against the invoices QuickBooks holds now. */
function replanAgainstCurrent(
	current: Map<string, QuickBooksInvoice>,
	races: NumberRace[],
	stale: StaleWrite[],
	results: Map<string, WriteResult>,
	options: UpsertOptions,
): Round {
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
	return second;
}

/** QuickBooks ids are increasing integers: a lower id was created earlier. */
function createdEarlier(id: unknown, than: string): boolean {
	const text = String(id ?? '');
	if (!/^\d+$/.test(text) || !/^\d+$/.test(than)) return false;
	return BigInt(text) < BigInt(than);
}

/**
 * Two runs can create the same invoice at the same moment (the webhook and the polling trigger, or
 * a retried call whose lost first answer QuickBooks did not replay). QuickBooks refuses the second
 * with 6140 only while its duplicate-number check is on and the sync sends the number; with the
 * check off, or when QuickBooks numbers the invoices, both creates succeed. So after its creates a
 * run looks again, as it looked before writing: an invoice linked to the same HubSpot invoice with
 * a lower id was there first, and the run deletes the one it has just made and carries on with the
 * older one (updating it if it differs). Whoever created later always sees the earlier invoice, so
 * exactly one survives. One lookup per wave that created something.
 */
async function settleTwins(
	client: QuickBooksClient,
	entries: WriteEntry[],
	results: Map<string, WriteResult>,
	options: UpsertOptions,
	salt: string,
	lookupMode: LookupMode,
): Promise<void> {
	const created = entries.filter((entry) => {
		const result = results.get(entry.key);
		return result?.ok === true && result.action === 'created' && result.invoice?.Id !== undefined;
	});
	if (created.length === 0) return;
	let candidates: ReturnType<typeof indexCandidates>;
	try {
		const keys = created.map((entry) => ({ hubspotId: entry.desired.hubspotId, docNumber: entry.desired.docNumber, customerId: entry.desired.payload.CustomerRef.value }));
		candidates = indexCandidates(await findExistingInvoices(client, keys, lookupMode));
	} catch {
		// The invoices were created; without the second look they stand as created.
		return;
	}
	const { round, firstOf } = planTwinDeletes(created, candidates, results, options);
	if (round.entries.length === 0) return;
	settleTwinRound(await runRound(client, round, 'd', salt), firstOf, results);
}

/**
 * For each created invoice with an older twin: delete ours and write the older one to the desired
 * state. `firstOf` is the older twin kept, by entry key.
 */
function planTwinDeletes(
	created: WriteEntry[],
	candidates: ReturnType<typeof indexCandidates>,
	results: Map<string, WriteResult>,
	options: UpsertOptions,
): { round: Round<RoundStep>; firstOf: Map<string, QuickBooksInvoice> } {
	const round: Round<RoundStep> = { entries: [] };
	const firstOf = new Map<string, QuickBooksInvoice>();
	for (const entry of created) {
		const mine = (results.get(entry.key) as Extract<WriteResult, { ok: true }>).invoice!;
		const ownId = String(mine.Id);
		const earlier = (candidates.byLinkedHubSpotId.get(entry.desired.hubspotId) ?? [])
			.filter((invoice) => createdEarlier(invoice.Id, ownId))
			.sort((left, right) => (createdEarlier(left.Id, String(right.Id)) ? -1 : 1));
		const first = earlier[0];
		if (!first) continue;
		firstOf.set(entry.key, first);
		round.entries.push({ entry, step: { kind: 'delete', payload: { Id: ownId, SyncToken: String(mine.SyncToken ?? '0') } } });
		const step = planInvoice(entry.desired, { invoice: first, matchedBy: 'link', ...linkStateOf(first, entry.desired.hubspotId) }, options);
		if (isWrite(step) && step.kind !== 'create') round.entries.push({ entry, step });
		else {
			const settled = settledResult(step) ?? { ok: true, action: 'unchanged', invoice: first };
			results.set(entry.key, settled.ok ? { ...settled, reason: twinDeletedReason(first) } : settled);
		}
	}
	return { round, firstOf };
}

/** Settles the twin round: a failed delete leaves a duplicate, a failed write fails the entry. */
function settleTwinRound(outcomes: Array<RoundOutcome<RoundStep>>, firstOf: Map<string, QuickBooksInvoice>, results: Map<string, WriteResult>): void {
	for (const outcome of outcomes) {
		const { entry, step, result } = outcome;
		const first = firstOf.get(entry.key)!;
		const failure = outcome.failure ?? result?.fault;
		if (step.kind === 'delete') {
			if (failure === undefined) continue;
			const ownId = String(step.payload.Id);
			results.set(entry.key, {
				ok: false,
				error: new SyncError(
					'DUPLICATE_INVOICE',
					{ invoice: entry.desired.invoiceNumber, txnId: String(first.Id) },
					{ txnId: String(first.Id), duplicateTxnId: ownId, reason: `created at the same time as invoice ${String(first.Id)} by another run; deleting the copy ${ownId} failed` },
				),
			});
		} else if (failure !== undefined) {
			if (results.get(entry.key)?.ok !== false) results.set(entry.key, failed(failure, entry.desired));
		} else if (results.get(entry.key)?.ok !== false) {
			const changes = step.kind === 'update' ? step.changes : undefined;
			results.set(entry.key, { ok: true, action: ACTION_BY_KIND[step.kind], invoice: result!.entity, changes, reason: twinDeletedReason(first) });
		}
	}
}

function twinDeletedReason(first: QuickBooksInvoice): string {
	return `another run created QuickBooks invoice ${String(first.Id)} for it at the same time; the copy this run made was deleted`;
}
