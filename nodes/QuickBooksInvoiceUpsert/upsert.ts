/**
 * The upsert of one execution, start to end: company settings (2 reads, cached), desired invoices,
 * one batched lookup of what exists, a plan per invoice, the /batch writes, the optional HubSpot
 * write-back, and one outcome per input item. Takes clients, not n8n: the node's execute() wires it.
 */
import type { IDataObject } from 'n8n-workflow';

import { invoiceContentHash } from '../shared/contentHash';
import { SyncError } from '../shared/errors';
import type { InvoiceOutcome, ValidInvoice } from '../shared/execution';
import { toSyncError } from '../shared/faultTranslation';
import { mergeObjects } from '../shared/objects';
import { withQuickBooksPart, type SyncItem } from '../shared/invoiceContract';
import type { HubSpotClient } from '../shared/transport/hubspot';
import type { QuickBooksClient } from '../shared/transport/quickbooks';
import { executeWrites, type WriteEntry, type WriteResult } from './batchWrite';
import { findExistingInvoices, indexCandidates, matchExisting, type LookupKey } from './findExisting';
import type { UpsertOptions } from './options';
import { buildDesiredInvoice, companyCurrency, companyTimeZone, type CompanySettings, type DesiredInvoice } from './payload';
import { planInvoice } from './writePlan';
import {
	ensureWriteBackProperties,
	failedValues,
	syncedValues,
	writeBackToHubSpot,
	type WriteBackStatus,
} from './writeBack';
import { allSettledOrThrow } from '../shared/transport/retry';

export interface UpsertDependencies {
	quickbooks: QuickBooksClient;
	/** Present when "Write Back to HubSpot" is on; called once, after the QuickBooks writes. */
	hubspot?: () => Promise<HubSpotClient>;
	options: UpsertOptions;
	/** Salts the batch requestids: the execution id plus the company. */
	requestIdSalt: string;
	now?: () => Date;
}

/** Reads CompanyInfo and Preferences once (the client caches them) and derives what payloads need. */
export async function loadCompanySettings(client: QuickBooksClient, options: UpsertOptions): Promise<CompanySettings> {
	const [companyInfo, preferences] = await allSettledOrThrow([client.companyInfo(), client.preferences()]);
	return { timeZone: companyTimeZone(companyInfo, preferences, options.timeZone), ...companyCurrency(preferences) };
}

function invoicePart(client: QuickBooksClient, desired: DesiredInvoice, result: Extract<WriteResult, { ok: true }>): IDataObject {
	const record = result.invoice ?? {};
	const id = record.Id !== undefined && record.Id !== null ? String(record.Id) : '';
	const part: IDataObject = {
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

export async function upsertInvoices(deps: UpsertDependencies, invoices: Array<ValidInvoice<SyncItem>>): Promise<Map<number, InvoiceOutcome>> {
	const { quickbooks, options } = deps;
	const outcomes = new Map<number, InvoiceOutcome>();
	const company = await loadCompanySettings(quickbooks, options);

	// Desired invoices; a failed pre-send check settles that invoice here, before any lookup.
	const desiredByIndex = new Map<number, DesiredInvoice>();
	const errorByIndex = new Map<number, SyncError>();
	for (const { index, item } of invoices) {
		try {
			desiredByIndex.set(index, buildDesiredInvoice(item, company, options));
		} catch (error) {
			errorByIndex.set(index, toSyncError(error, { invoice: item.invoice.number }));
		}
	}

	// The same HubSpot invoice twice in one execution is written once; later copies share the result.
	const primaryIndexByHubSpotId = new Map<string, number>();
	for (const [index, desired] of desiredByIndex) {
		if (!primaryIndexByHubSpotId.has(desired.hubspotId)) primaryIndexByHubSpotId.set(desired.hubspotId, index);
	}
	const itemByIndex = new Map(invoices.map((invoice) => [invoice.index, invoice.item]));
	const keys: Array<LookupKey & { index: number }> = [...primaryIndexByHubSpotId.values()].map((index) => {
		const desired = desiredByIndex.get(index)!;
		return { index, hubspotId: desired.hubspotId, docNumber: desired.docNumber, quickbooksInvoiceId: itemByIndex.get(index)!.invoice.source.quickbooksInvoiceId };
	});

	const candidates = indexCandidates(await findExistingInvoices(quickbooks, keys));
	const entries: WriteEntry[] = keys.map((key) => {
		const desired = desiredByIndex.get(key.index)!;
		const match = matchExisting(key, candidates);
		return { key: desired.hubspotId, desired, match, step: planInvoice(desired, match, options) };
	});
	const results = await executeWrites(quickbooks, entries, options, deps.requestIdSalt);

	const writeBack = deps.hubspot ? await writeBackResults(deps, invoices, desiredByIndex, errorByIndex, results) : undefined;

	for (const { index, item } of invoices) {
		const preSendError = errorByIndex.get(index);
		if (preSendError) {
			outcomes.set(index, { error: preSendError, failure: { invoice: item.invoice.number } });
			continue;
		}
		const desired = desiredByIndex.get(index)!;
		const result = results.get(desired.hubspotId);
		if (!result) {
			outcomes.set(index, { error: new SyncError('UNEXPECTED_ERROR', { invoice: item.invoice.number, detail: 'no write result' }) });
		} else if (!result.ok) {
			outcomes.set(index, { error: result.error, failure: { invoice: item.invoice.number } });
		} else {
			const json = withQuickBooksPart(item, {});
			const part = mergeObjects((json.quickbooks as IDataObject) ?? {}, { invoice: invoicePart(quickbooks, desired, result) }) as IDataObject;
			const status = writeBack?.get(item.invoice.source.id);
			if (status) part.writeBack = status as unknown as IDataObject;
			json.quickbooks = part;
			outcomes.set(index, { json });
		}
	}
	return outcomes;
}

/**
 * Writes sync status to HubSpot for every invoice that reached a result (pre-send errors
 * included). Never throws: a failure is reported per invoice and the QuickBooks result stands.
 */
async function writeBackResults(
	deps: UpsertDependencies,
	invoices: Array<ValidInvoice<SyncItem>>,
	desiredByIndex: Map<number, DesiredInvoice>,
	errorByIndex: Map<number, SyncError>,
	results: Map<string, WriteResult>,
): Promise<Map<string, WriteBackStatus>> {
	const now = deps.now?.() ?? new Date();
	const updates = new Map<string, Record<string, string>>();
	for (const { index, item } of invoices) {
		const hubspotId = item.invoice.source.id;
		if (updates.has(hubspotId)) continue;
		const contentHash = contentHashOf(item);
		const preSendError = errorByIndex.get(index);
		if (preSendError) {
			updates.set(hubspotId, failedValues({ hubspotId, contentHash, error: preSendError }) as Record<string, string>);
			continue;
		}
		const desired = desiredByIndex.get(index);
		const result = desired ? results.get(desired.hubspotId) : undefined;
		if (!result) continue;
		if (!result.ok) {
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
