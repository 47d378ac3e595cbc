/**
 * Write-back to HubSpot: the QuickBooks id, number, sync status, time and last error on the
 * HubSpot invoice, in custom properties this node creates when missing (group `quickbooks_sync`).
 * `qbo_sync_hash` carries the content hash the sync wrote, so the trigger's loop guard recognises
 * the write-back (which bumps hs_lastmodifieddate) and does not sync the invoice again.
 */
import type { IDataObject } from 'n8n-workflow';

import { CONNECTION_ERROR_CODES, SyncError } from '../shared/errors';
import { toSyncError } from '../shared/faultTranslation';
import { ensureHubSpotProperties } from '../shared/hubspotProperties';
import type { HubSpotClient } from '../shared/transport/hubspot';
import { chunk } from '../shared/collections';

export const WRITE_BACK_GROUP = { name: 'quickbooks_sync', label: 'QuickBooks Sync', displayOrder: -1 };
export const HUBSPOT_BATCH_UPDATE_SIZE = 100;
const LAST_ERROR_MAX_LENGTH = 1000;

export const WRITE_BACK_PROPERTIES = [
	{ name: 'qbo_invoice_id', label: 'QuickBooks Invoice ID', type: 'string', fieldType: 'text', description: 'Id of the QuickBooks Online invoice this invoice was synced to' },
	{ name: 'qbo_doc_number', label: 'QuickBooks Invoice Number', type: 'string', fieldType: 'text', description: 'Invoice number (DocNumber) in QuickBooks Online' },
	{
		name: 'qbo_sync_status',
		label: 'QuickBooks Sync Status',
		type: 'enumeration',
		fieldType: 'select',
		description: 'Result of the last sync to QuickBooks Online',
		options: [
			{ label: 'Synced', value: 'synced', displayOrder: 0 },
			{ label: 'Failed', value: 'failed', displayOrder: 1 },
			{ label: 'Voided', value: 'voided', displayOrder: 2 },
		],
	},
	{ name: 'qbo_synced_at', label: 'QuickBooks Synced At', type: 'datetime', fieldType: 'date', description: 'When the invoice was last synced to QuickBooks Online' },
	{ name: 'qbo_last_error', label: 'QuickBooks Last Sync Error', type: 'string', fieldType: 'textarea', description: 'Error code and message of the last failed sync (empty after a successful one)' },
	{ name: 'qbo_sync_hash', label: 'QuickBooks Sync Hash', type: 'string', fieldType: 'text', description: 'Content hash of the invoice as last synced; the sync uses it to skip its own write-backs' },
] as const;

export type WriteBackPropertyName = (typeof WRITE_BACK_PROPERTIES)[number]['name'];

export type WriteBackStatus = { ok: true; written: boolean } | { ok: false; error: ReturnType<SyncError['toJSON']> };

/** Makes sure our properties exist before the first write-back; returns the names created. */
export async function ensureWriteBackProperties(hubspot: HubSpotClient, objectType = 'invoices'): Promise<string[]> {
	return await ensureHubSpotProperties(hubspot, objectType, WRITE_BACK_GROUP, WRITE_BACK_PROPERTIES);
}

export interface SyncedInvoiceFacts {
	hubspotId: string;
	contentHash: string;
	action: 'created' | 'updated' | 'unchanged' | 'voided';
	quickbooksId: string;
	docNumber: string;
}

export interface FailedInvoiceFacts {
	hubspotId: string;
	contentHash: string;
	error: SyncError;
}

/** Property values after a successful sync. */
export function syncedValues(facts: SyncedInvoiceFacts, now: Date): Record<WriteBackPropertyName, string> {
	return {
		qbo_invoice_id: facts.quickbooksId,
		qbo_doc_number: facts.docNumber,
		qbo_sync_status: facts.action === 'voided' ? 'voided' : 'synced',
		qbo_synced_at: now.toISOString(),
		qbo_last_error: '',
		qbo_sync_hash: facts.contentHash,
	};
}

/**
 * Property values after a failure. A non-retryable failure records the hash too, so the loop
 * guard does not re-sync an unchanged invoice after every write-back (fix it, then retry: see
 * docs/BEHAVIOUR.md); a retryable or connection failure leaves the hash alone, so the next poll tries
 * again by itself.
 */
export function failedValues(facts: FailedInvoiceFacts): Partial<Record<WriteBackPropertyName, string>> {
	const values: Partial<Record<WriteBackPropertyName, string>> = {
		qbo_sync_status: 'failed',
		qbo_last_error: `${facts.error.code}: ${facts.error.message}`.slice(0, LAST_ERROR_MAX_LENGTH),
	};
	if (!facts.error.retryable && !CONNECTION_ERROR_CODES.has(facts.error.code)) values.qbo_sync_hash = facts.contentHash;
	return values;
}

/**
 * Writes the values with batch updates of 100. Every call is caught on its own; a failed call or
 * an id HubSpot reports as missing gives `ok: false` for those invoices only.
 */
export async function writeBackToHubSpot(
	hubspot: HubSpotClient,
	updates: Array<{ id: string; properties: Record<string, string> }>,
	objectType = 'invoices',
): Promise<Map<string, WriteBackStatus>> {
	const statuses = new Map<string, WriteBackStatus>();
	for (const group of chunk(updates, HUBSPOT_BATCH_UPDATE_SIZE)) {
		try {
			const response = await hubspot.request<IDataObject>('POST', `/crm/v3/objects/${objectType}/batch/update`, {
				body: { inputs: group.map((update) => ({ id: update.id, properties: update.properties })) },
			});
			const failedIds = new Map<string, string>();
			for (const error of (response.errors ?? []) as IDataObject[]) {
				const ids = ((error.context as IDataObject | undefined)?.ids ?? []) as string[];
				for (const id of ids) failedIds.set(String(id), String(error.message ?? error.category ?? 'not updated'));
			}
			for (const update of group) {
				const message = failedIds.get(update.id);
				statuses.set(
					update.id,
					message === undefined
						? { ok: true, written: true }
						: { ok: false, error: new SyncError('HUBSPOT_ERROR', { detail: message }, { hubspotInvoiceId: update.id }).toJSON() },
				);
			}
		} catch (error) {
			const syncError = toSyncError(error, {}).toJSON();
			for (const update of group) statuses.set(update.id, { ok: false, error: syncError });
		}
	}
	return statuses;
}
