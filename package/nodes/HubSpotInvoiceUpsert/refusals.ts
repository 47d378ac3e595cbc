/**
 * Keeping one refused invoice from failing the others, and leaving nothing of an invoice that
 * could not sync. HubSpot validates a batch create or update as a whole: one input it refuses (400)
 * fails every input and writes none, so the batch is halved and retried, by invoice, until the
 * refused invoices stand alone (one refused invoice costs about 2·log2(100) extra calls, a batch
 * HubSpot accepts none). Plain functions over the works; no n8n types.
 */
import { chunk } from '../shared/collections';
import { SyncError } from '../shared/errors';
import { toSyncError } from '../shared/faultTranslation';
import { HubSpotApiError, type HubSpotClient } from '../shared/transport/hubspot';

import { describeItem } from './items';
import type { Work } from './work';

const BATCH = 100;

export function failWork(work: Work, error: unknown): void {
	work.error = error instanceof SyncError ? error : toSyncError(error, { invoice: describeItem(work.item) });
}

/** A refusal of the request's content (4xx other than limits, credentials and scopes): nothing of the batch was written. */
function refusedContent(error: unknown): boolean {
	return error instanceof HubSpotApiError && (error.kind === 'rejected' || error.kind === 'not-found');
}

/** One batch call for `works`; when HubSpot refuses its content, each half again, down to single invoices. */
export async function writeIsolating(works: Work[], write: (works: Work[]) => Promise<void>): Promise<void> {
	try {
		await write(works);
	} catch (error) {
		if (works.length > 1 && refusedContent(error)) {
			const half = Math.ceil(works.length / 2);
			await writeIsolating(works.slice(0, half), write);
			await writeIsolating(works.slice(half), write);
			return;
		}
		for (const work of works) failWork(work, error);
	}
}

/** Invoice updates, 100 per call; an invoice HubSpot refuses gets its own error and the others are written. */
export async function batchUpdateInvoices(hubspot: HubSpotClient, works: Work[], propertiesOf: (work: Work) => Record<string, string>): Promise<void> {
	const update = async (group: Work[]) => {
		const failed = await hubspot.batchUpdate('invoices', group.map((work) => ({ id: work.hubspotId!, properties: propertiesOf(work) })));
		for (const work of group) {
			const message = failed.get(work.hubspotId!);
			if (message !== undefined) work.error = new SyncError('HUBSPOT_ERROR', { detail: message }, { hubspotInvoiceId: work.hubspotId });
		}
	};
	for (const group of chunk(works, BATCH)) await writeIsolating(group, update);
}

/**
 * Undoes the invoices this run created and then could not finish: their line items and the draft
 * are archived (HubSpot archives an id in any state without complaint). The line items are read
 * from the invoice's associations, not searched, so those a line-item create whose answer was
 * lost made are archived too (the transport does not repeat such a create). Should that fail too, the
 * draft is left without `qbo_source_hash`, which the create never writes: the next run finds it by
 * its link, sees content to write, and finishes it as an update (no second invoice).
 */
export async function undoUnfinishedCreates(hubspot: HubSpotClient, works: Work[]): Promise<void> {
	const created = works.filter((work) => work.error && work.kind === 'create' && work.hubspotId);
	if (created.length === 0) return;
	const ids = created.map((work) => work.hubspotId!);
	try {
		const lineItems = await hubspot.batchReadAssociations('invoices', 'line_items', ids);
		await hubspot.batchArchive('line_items', [...lineItems.values()].flat());
		await hubspot.batchArchive('invoices', ids);
		for (const work of created) work.hubspotId = undefined;
	} catch {
		// Left for the next run to finish (see above); the item already carries its error.
	}
}
