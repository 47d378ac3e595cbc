/**
 * The upsert of one execution, start to end: company settings (2 reads, cached), one batched
 * lookup of what exists for every invoice, then in waves of a few hundred invoices the desired
 * invoices, a plan per invoice and the /batch writes; the optional HubSpot write-back once at the
 * end, and one outcome per input item. Takes clients, not n8n: the node's execute() wires it.
 */
import { invoiceContentHash } from '../shared/contentHash';
import { SyncError } from '../shared/errors';
import type { InvoiceOutcome, ValidInvoice } from '../shared/execution';
import { toSyncError } from '../shared/faultTranslation';
import { withQuickBooksPart, type QuickBooksPart, type SyncItem } from '../shared/invoiceContract';
import type { HubSpotClient } from '../shared/transport/hubspot';
import type { QuickBooksClient } from '../shared/transport/quickbooks';
import { BATCH_CONCURRENCY, executeWrites, type WriteEntry, type WriteResult } from './batchWrite';
import { findExistingInvoices, indexCandidates, matchExisting, type CandidateIndex, type LookupKey } from './findExisting';
import type { UpsertOptions, UpsertSettings } from './settings';
import { buildDesiredInvoice, type DesiredInvoice, type PayloadCompanySettings } from './payload';
import { companySettingsFrom, invoiceDocNumber } from '../shared/invoiceChecks';
import { planInvoice } from './writePlan';
import {
	ensureWriteBackProperties,
	failedValues,
	syncedValues,
	writeBackToHubSpot,
	type WriteBackStatus,
} from './writeBack';
import { QUICKBOOKS_BATCH_SIZE } from '../shared/transport/quickbooks';
import { allSettledOrThrow, chunk } from '../shared/collections';

export interface UpsertClients {
	quickbooks: QuickBooksClient;
	/** Present when "Write Back to HubSpot" is on; called once, after the QuickBooks writes. */
	hubspot?: () => Promise<HubSpotClient>;
	/** The clock of the write-back's sync time (tests set it). */
	now?: () => Date;
}

/** The clients and what the waves need of the settings. */
interface UpsertRun extends UpsertClients {
	options: UpsertOptions;
	/** Salts the batch requestids: the execution id plus the company. */
	requestIdSalt: string;
}

/** Reads CompanyInfo and Preferences once (the client caches them) and derives what payloads need. */
export async function loadCompanySettings(client: QuickBooksClient, options: UpsertOptions): Promise<PayloadCompanySettings> {
	const [companyInfo, preferences] = await allSettledOrThrow([client.companyInfo(), client.preferences()]);
	return {
		...companySettingsFrom(companyInfo, preferences, options.timeZone),
		country: typeof companyInfo?.Country === 'string' ? companyInfo.Country : '',
	};
}

type InvoicePart = NonNullable<QuickBooksPart['invoice']>;

function invoicePart(client: QuickBooksClient, desired: DesiredInvoice, result: Extract<WriteResult, { ok: true }>): InvoicePart {
	const record = result.invoice ?? {};
	const id = record.Id !== undefined && record.Id !== null ? String(record.Id) : '';
	const part: InvoicePart = {
		id,
		docNumber: typeof record.DocNumber === 'string' ? record.DocNumber : desired.docNumber,
		syncToken: record.SyncToken !== undefined && record.SyncToken !== null ? String(record.SyncToken) : null,
		action: result.action,
		url: id ? client.invoiceUrl(id) : null,
	};
	if (result.reason) part.reason = result.reason;
	if (result.changes?.length) part.changes = result.changes;
	if (desired.notes.length) part.notes = desired.notes;
	return part;
}

function contentHashOf(item: SyncItem): string {
	return item.invoice.contentHash ?? invoiceContentHash(item.invoice);
}

/**
 * Invoices planned, written and settled together. The lookup covers the whole execution, but the
 * payloads, plans and QuickBooks' answers of one wave are dropped before the next is built, so the
 * upsert's working set stays the same at 10,000 invoices as at 400 (12 /batch calls of 30, three
 * rounds at the batch concurrency of 4).
 */
export const UPSERT_WAVE_SIZE = QUICKBOOKS_BATCH_SIZE * BATCH_CONCURRENCY * 3;

/** Copies of one HubSpot invoice in the execution, in input order: written once, results shared. */
type InvoiceGroup = Array<ValidInvoice<SyncItem>>;

function groupByHubSpotId(invoices: Array<ValidInvoice<SyncItem>>): InvoiceGroup[] {
	const groups = new Map<string, InvoiceGroup>();
	for (const invoice of invoices) {
		const id = invoice.item.invoice.source.id;
		const group = groups.get(id);
		if (group) group.push(invoice);
		else groups.set(id, [invoice]);
	}
	return [...groups.values()];
}

/** What the lookup needs of one invoice: its written-back id, customer and the DocNumber it would get. */
function lookupKeyOf(item: SyncItem, company: PayloadCompanySettings, options: UpsertOptions): LookupKey {
	let docNumber = '';
	try {
		docNumber = invoiceDocNumber(item.invoice, company, options).docNumber;
	} catch {
		// The number itself fails a pre-send check: that invoice fails when its wave is built.
	}
	return { hubspotId: item.invoice.source.id, docNumber, customerId: item.quickbooks?.customer?.id, quickbooksInvoiceId: item.invoice.source.quickbooksInvoiceId };
}

/** With custom transaction numbers off QuickBooks numbers the invoices: no number of ours to find them by. */
const lookupModeOf = (company: PayloadCompanySettings) => ({ byLinkOnly: !company.customTxnNumbers });

export async function upsertInvoices(clients: UpsertClients, invoices: Array<ValidInvoice<SyncItem>>, settings: UpsertSettings): Promise<Map<number, InvoiceOutcome>> {
	const { quickbooks } = clients;
	const { options } = settings;
	const deps: UpsertRun = { ...clients, options, requestIdSalt: `${settings.executionId}|${quickbooks.connection.realmId}` };
	const company = await loadCompanySettings(quickbooks, options);
	const keys = invoices.map(({ item }) => lookupKeyOf(item, company, options));
	const candidates = indexCandidates(await findExistingInvoices(quickbooks, keys, lookupModeOf(company)));
	const outcomes = new Map<number, InvoiceOutcome>();
	const written = new Map<number, WrittenInvoice>();
	const writeBackUpdates = new Map<string, Record<string, string>>();
	const now = deps.now?.() ?? new Date();
	for (const wave of chunk(groupByHubSpotId(invoices), UPSERT_WAVE_SIZE)) {
		await upsertWave(deps, company, candidates, wave, { outcomes, written, writeBackUpdates: deps.hubspot ? writeBackUpdates : undefined, now });
	}
	// Output items are made once every result is known: the write-back's status is part of them.
	const statuses = deps.hubspot ? await writeBackResults(deps, writeBackUpdates) : undefined;
	for (const [index, { item, invoice }] of written) {
		const writeBack = statuses?.get(item.invoice.source.id);
		outcomes.set(index, { json: withQuickBooksPart(item, writeBack ? { invoice, writeBack } : { invoice }) });
	}
	return outcomes;
}

/** An invoice QuickBooks settled (written, unchanged or skipped): its item and the upsert's part. */
interface WrittenInvoice {
	item: SyncItem;
	invoice: InvoicePart;
}

interface WaveSinks {
	/** Failures, settled per wave. */
	outcomes: Map<number, InvoiceOutcome>;
	written: Map<number, WrittenInvoice>;
	/** Present with write-back on: the HubSpot properties per invoice, first copy wins. */
	writeBackUpdates?: Map<string, Record<string, string>>;
	now: Date;
}

/** Builds, plans and writes one wave of invoices and settles every copy of each. */
async function upsertWave(deps: UpsertRun, company: PayloadCompanySettings, candidates: CandidateIndex, wave: InvoiceGroup[], sinks: WaveSinks): Promise<void> {
	const { quickbooks, options } = deps;
	// Desired invoices; a failed pre-send check settles that copy here, before any write.
	const desiredByIndex = new Map<number, DesiredInvoice>();
	const errorByIndex = new Map<number, SyncError>();
	const entries: WriteEntry[] = [];
	for (const group of wave) {
		let primary: DesiredInvoice | undefined;
		let primaryItem: SyncItem | undefined;
		for (const { index, item } of group) {
			try {
				const desired = buildDesiredInvoice(item, company, options);
				desiredByIndex.set(index, desired);
				if (!primary) [primary, primaryItem] = [desired, item];
			} catch (error) {
				errorByIndex.set(index, toSyncError(error, { invoice: item.invoice.number }));
			}
		}
		if (!primary) continue;
		const key = { hubspotId: primary.hubspotId, docNumber: primary.docNumber, customerId: primary.payload.CustomerRef.value, quickbooksInvoiceId: primaryItem!.invoice.source.quickbooksInvoiceId };
		const match = matchExisting(key, candidates);
		entries.push({ key: primary.hubspotId, desired: primary, match, step: planInvoice(primary, match, options) });
	}
	const results = await executeWrites(quickbooks, entries, options, deps.requestIdSalt, lookupModeOf(company));

	for (const group of wave) {
		for (const { index, item } of group) {
			const preSendError = errorByIndex.get(index);
			const desired = desiredByIndex.get(index);
			const result = desired ? results.get(desired.hubspotId) : undefined;
			if (sinks.writeBackUpdates) recordWriteBack(sinks.writeBackUpdates, item, preSendError, desired, result, sinks.now);
			if (preSendError) {
				sinks.outcomes.set(index, { error: preSendError, failure: { invoice: item.invoice.number } });
			} else if (!result) {
				sinks.outcomes.set(index, { error: new SyncError('UNEXPECTED_ERROR', { invoice: item.invoice.number, detail: 'no write result' }) });
			} else if (!result.ok) {
				sinks.outcomes.set(index, { error: result.error, failure: { invoice: item.invoice.number } });
			} else {
				sinks.written.set(index, { item, invoice: invoicePart(quickbooks, desired!, result) });
			}
		}
	}
}

/**
 * The sync status to write to HubSpot for one copy of an invoice that reached a result (pre-send
 * errors included); the first copy of each HubSpot invoice decides.
 */
function recordWriteBack(
	updates: Map<string, Record<string, string>>,
	item: SyncItem,
	preSendError: SyncError | undefined,
	desired: DesiredInvoice | undefined,
	result: WriteResult | undefined,
	now: Date,
): void {
	const hubspotId = item.invoice.source.id;
	if (updates.has(hubspotId)) return;
	const contentHash = contentHashOf(item);
	if (preSendError) {
		updates.set(hubspotId, failedValues({ hubspotId, contentHash, error: preSendError }) as Record<string, string>);
	} else if (!result) {
		return;
	} else if (!result.ok) {
		updates.set(hubspotId, failedValues({ hubspotId, contentHash, error: result.error }) as Record<string, string>);
	} else if (result.action !== 'skipped' && result.invoice?.Id !== undefined) {
		updates.set(
			hubspotId,
			syncedValues(
				{ hubspotId, contentHash, action: result.action, quickbooksId: String(result.invoice.Id), docNumber: String(result.invoice.DocNumber ?? desired!.docNumber) },
				now,
			),
		);
	}
}

/**
 * Writes the recorded statuses to HubSpot, after every QuickBooks write. Never throws: a failure
 * is reported per invoice and the QuickBooks result stands.
 */
async function writeBackResults(deps: UpsertRun, updates: Map<string, Record<string, string>>): Promise<Map<string, WriteBackStatus>> {
	const statuses = new Map<string, WriteBackStatus>();
	if (updates.size === 0) return statuses;
	try {
		const hubspot = await deps.hubspot!();
		await ensureWriteBackProperties(hubspot);
		return await writeBackToHubSpot(hubspot, [...updates].map(([id, properties]) => ({ id, properties })));
	} catch (error) {
		const failure = toSyncError(error, {}).toJSON();
		for (const id of updates.keys()) statuses.set(id, { ok: false, error: failure });
		return statuses;
	}
}
