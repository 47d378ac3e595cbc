/**
 * The items the HubSpot Invoice Upsert takes, told apart by their shape (so one node after the
 * QuickBooks Trigger serves every event): a payment, a deleted invoice, a credit memo, a voided
 * invoice (it needs no contact or products: it is only voided), or an invoice with the matching
 * nodes' parts. Each is checked against its own schema, so a misfit names its field.
 */
import { z } from 'zod/v4';

import { syncItemSchema, toHubSpotItemSchema, type PaymentItem, type SyncItem } from '../shared/invoiceContract';
import { creditMemoItemSchema, deletedInvoiceItemSchema, type CreditMemoItem, type DeletedInvoiceItem } from '../shared/quickbooksEventContract';

export type ToHubSpotItem = SyncItem | PaymentItem | DeletedInvoiceItem | CreditMemoItem;

function schemaFor(value: unknown): z.ZodType {
	const item = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
	if ('deletedInvoice' in item) return deletedInvoiceItemSchema;
	if ('creditMemo' in item) return creditMemoItemSchema;
	const status = (item.invoice as { status?: unknown } | undefined)?.status;
	// A payment, or an invoice with the matching nodes' parts: the contract's schema for them.
	return status === 'voided' && !('payment' in item) ? syncItemSchema : toHubSpotItemSchema;
}

/** Everything the node takes: the contract's payment and invoice items, and the QuickBooks Trigger's other events. */
export const upsertInputSchema = z.unknown().transform((value, context): ToHubSpotItem => {
	const result = schemaFor(value).safeParse(value);
	if (result.success) return result.data as ToHubSpotItem;
	for (const issue of result.error.issues) context.addIssue({ code: 'custom', message: issue.message, path: issue.path as PropertyKey[] });
	return z.NEVER;
});

export function isPaymentItem(item: ToHubSpotItem): item is PaymentItem {
	return 'payment' in item && !!item.payment;
}

export function isDeletedInvoiceItem(item: ToHubSpotItem): item is DeletedInvoiceItem {
	return 'deletedInvoice' in item && !!item.deletedInvoice;
}

export function isCreditMemoItem(item: ToHubSpotItem): item is CreditMemoItem {
	return 'creditMemo' in item && !!item.creditMemo;
}

/** The QuickBooks invoice an item is about (none for a credit memo), and the HubSpot invoice QuickBooks names. */
export function linkOf(item: ToHubSpotItem): { quickbooksId?: string; hubspotId?: string | null } {
	if (isPaymentItem(item)) return { quickbooksId: item.payment.quickbooksInvoiceId, hubspotId: item.payment.hubspotInvoiceId };
	if (isDeletedInvoiceItem(item)) return { quickbooksId: item.deletedInvoice.quickbooksInvoiceId };
	if (isCreditMemoItem(item)) return {};
	return { quickbooksId: item.invoice.source.id, hubspotId: item.invoice.source.hubspotInvoiceId };
}

/** How an item is named in an error message. */
export function describeItem(item: ToHubSpotItem): string {
	if (isCreditMemoItem(item)) return `credit memo ${item.creditMemo.number ?? item.creditMemo.quickbooksCreditMemoId}`;
	if (isPaymentItem(item) || isDeletedInvoiceItem(item)) return `QuickBooks invoice ${linkOf(item).quickbooksId}`;
	return item.invoice.number;
}
