/**
 * The QuickBooks Trigger's items that are not an invoice, as it emits them: a payment (or a credit
 * memo) applied to an invoice (`quickbooksPaymentSchema` of invoiceContract.ts), a credit memo
 * created, an invoice deleted. Invoice events are the canonical invoice. Every item carries
 * `change` (which event, record and time).
 */
import { z } from 'zod/v4';

import { quickbooksChangeSchema, quickbooksPaymentSchema } from './invoiceContract';

export const creditMemoSchema = z.strictObject({
	quickbooksCreditMemoId: z.string().min(1),
	number: z.string().nullable(),
	quickbooksCustomerId: z.string().nullable(),
	customerName: z.string().nullable(),
	customerEmail: z.string().nullable(),
	/** YYYY-MM-DD as QuickBooks gives it. */
	date: z.string().nullable(),
	currency: z.string().nullable(),
	total: z.number(),
	/** Credit not yet applied to an invoice. */
	remainingCredit: z.number().nullable(),
});
export type CreditMemo = z.infer<typeof creditMemoSchema>;

export const deletedInvoiceSchema = z.strictObject({
	quickbooksInvoiceId: z.string().min(1),
	/** When QuickBooks deleted it (the deleted record's LastUpdatedTime). */
	deletedAt: z.string(),
});

export const emittedPaymentItemSchema = z.strictObject({ payment: quickbooksPaymentSchema, change: quickbooksChangeSchema });
export const creditMemoItemSchema = z.strictObject({ creditMemo: creditMemoSchema, change: quickbooksChangeSchema });
export const deletedInvoiceItemSchema = z.strictObject({ deletedInvoice: deletedInvoiceSchema, change: quickbooksChangeSchema });

export type CreditMemoItem = z.infer<typeof creditMemoItemSchema>;
export type DeletedInvoiceItem = z.infer<typeof deletedInvoiceItemSchema>;
