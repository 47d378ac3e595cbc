/**
 * What the node reads back after writing. An invoice that started in HubSpot is read as the HubSpot
 * Invoice Trigger reads it (its own reading and mapping code) and hashed with the status about to
 * be written; that hash goes into `qbo_sync_hash` in the same update that sets the status, and the
 * trigger, computing the same hash, sees nothing to sync. HubSpot calculates some of what the
 * trigger hashes (line amounts, invoice totals), which is why the invoice is read back rather than
 * predicted. An invoice that started in QuickBooks needs no hash (the trigger never emits it): only
 * its status and total are read. HubSpot's total, tax included, is held against QuickBooks'.
 */
import { readInvoiceRecords, type InvoiceApi } from '../HubSpotInvoiceTrigger/invoiceFeed';
import { INVOICE_PROPERTIES, mapInvoice, type MappingContext } from '../HubSpotInvoiceTrigger/mapping';
import { invoiceContentHash } from '../shared/contentHash';
import { SyncError } from '../shared/errors';
import { formatCents, toCents } from '../shared/money';
import type { CanonicalInvoice } from '../shared/invoiceContract';

/** What HubSpot made of an invoice this node wrote: its status and its total with tax. */
export interface InvoiceFigures {
	/** The status HubSpot holds now. */
	status: string;
	/** HubSpot's total with tax (`hs_amount_billed`), when it has one. */
	total: string | null;
}

/**
 * Status and total only, one batch read per 100: for invoices that started in QuickBooks, which
 * the HubSpot trigger never emits (their content comes from QuickBooks), so no hash is needed.
 */
export async function invoiceFigures(client: InvoiceApi, ids: string[]): Promise<Map<string, InvoiceFigures>> {
	const figures = new Map<string, InvoiceFigures>();
	if (ids.length === 0) return figures;
	const { results } = await client.batchRead('invoices', ids, ['hs_invoice_status', 'hs_amount_billed']);
	for (const [id, invoice] of results) {
		figures.set(id, { status: invoice.properties.hs_invoice_status ?? '', total: invoice.properties.hs_amount_billed ?? null });
	}
	return figures;
}

export interface TriggerView extends InvoiceFigures {
	/** The trigger's hash of the invoice as it is now. */
	currentHash: string;
	/** `qbo_sync_hash` as stored: equal to currentHash when HubSpot holds no change the forward sync has not seen. */
	storedHash: string | null;
	/** The trigger's hash once the invoice has `status`. */
	hashWithStatus(status: string): string;
}

/** Reads the invoices back (batched as the trigger reads) and gives the trigger's view of each readable one. */
export async function triggerViews(client: InvoiceApi, ids: string[], portal: MappingContext['portal']): Promise<Map<string, TriggerView>> {
	const views = new Map<string, TriggerView>();
	if (ids.length === 0) return views;
	const { results } = await client.batchRead('invoices', ids, INVOICE_PROPERTIES);
	const records = await readInvoiceRecords(client, [...results.values()]);
	for (const record of records) {
		const mapped = mapInvoice(record, { portal });
		if (!mapped.valid || mapped.error) continue;
		const invoice = mapped.invoice as CanonicalInvoice;
		views.set(record.invoice.id, {
			currentHash: invoice.contentHash ?? invoiceContentHash(invoice),
			status: invoice.status,
			total: invoice.totals?.total != null ? String(invoice.totals.total) : null,
			storedHash: record.invoice.properties.qbo_sync_hash ?? null,
			hashWithStatus: (status) => invoiceContentHash({ ...invoice, status: status as CanonicalInvoice['status'] }),
		});
	}
	return views;
}

/** HubSpot's total against QuickBooks': equal, a rounding difference, or a mismatch. */
export type TotalCheck =
	| { kind: 'equal' }
	| { kind: 'rounding'; hubspotTotal: string; quickbooksTotal: string }
	| { kind: 'mismatch'; error: SyncError };

/**
 * How far apart, in cents, HubSpot's total and QuickBooks' can be from rounding alone: HubSpot
 * computes each taxed line's tax from its tax rate and rounds it per line; QuickBooks taxes US
 * sales tax once per invoice. Each rounding moves the total by at most half a cent.
 */
export function maxRoundingGapCents(taxedLines: number): number {
	return Math.ceil(taxedLines / 2);
}

/**
 * Up to maxRoundingGapCents apart is rounding and syncs (reported on the item); more is
 * HUBSPOT_TOTAL_MISMATCH: a sync that looks right would bill a different amount.
 */
export function checkTotal(
	invoiceLabel: string,
	quickbooksTotal: string | number | null | undefined,
	view: InvoiceFigures | undefined,
	taxedLines: number,
): TotalCheck {
	if (!view?.total || quickbooksTotal === null || quickbooksTotal === undefined || quickbooksTotal === '') return { kind: 'equal' };
	const hubspotCents = toCents(view.total);
	const quickbooksCents = toCents(quickbooksTotal);
	if (hubspotCents === quickbooksCents) return { kind: 'equal' };
	const totals = { hubspotTotal: formatCents(hubspotCents), quickbooksTotal: formatCents(quickbooksCents) };
	const apart = hubspotCents > quickbooksCents ? hubspotCents - quickbooksCents : quickbooksCents - hubspotCents;
	if (apart <= BigInt(maxRoundingGapCents(taxedLines))) return { kind: 'rounding', ...totals };
	return { kind: 'mismatch', error: new SyncError('HUBSPOT_TOTAL_MISMATCH', { invoice: invoiceLabel, ...totals }) };
}
