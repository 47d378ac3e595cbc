/**
 * The HubSpot invoice properties this package writes for the QuickBooks → HubSpot direction, in
 * the `quickbooks_sync` group (docs/CONVENTIONS.md): the link and sync hash the forward direction
 * writes too, which side the invoice started on, the QuickBooks content hash last written,
 * QuickBooks' payment figures, and the payments being recorded with the invoice.
 */
import { WRITE_BACK_GROUP, WRITE_BACK_PROPERTIES } from '../QuickBooksInvoiceUpsert/writeBack';
import { ensureHubSpotProperties, type HubSpotPropertyDefinition } from '../shared/hubspotProperties';
import type { HubSpotClient } from '../shared/transport/hubspot';

export const PAYMENT_STATUSES = ['unpaid', 'partially_paid', 'paid', 'voided'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const REVERSE_SYNC_PROPERTIES: HubSpotPropertyDefinition[] = [
	{
		name: 'qbo_origin',
		label: 'QuickBooks Sync Origin',
		type: 'enumeration',
		fieldType: 'select',
		description: 'The system the invoice was first created in, when the sync created it in HubSpot from QuickBooks Online',
		options: [{ label: 'QuickBooks', value: 'quickbooks', displayOrder: 0 }],
	},
	{ name: 'qbo_source_hash', label: 'QuickBooks Source Hash', type: 'string', fieldType: 'text', description: 'Content hash of the QuickBooks invoice as last copied to HubSpot; the sync uses it to skip unchanged invoices' },
	{ name: 'qbo_amount_paid', label: 'QuickBooks Amount Paid', type: 'number', fieldType: 'number', description: 'Payments and credits applied to the invoice in QuickBooks Online' },
	{ name: 'qbo_balance', label: 'QuickBooks Balance Due', type: 'number', fieldType: 'number', description: 'What is still owed on the invoice in QuickBooks Online' },
	{
		name: 'qbo_payments_recording',
		label: 'QuickBooks Payments Being Recorded',
		type: 'string',
		fieldType: 'text',
		description: 'QuickBooks amounts paid whose HubSpot payments the sync is recording with the invoice; cleared once QuickBooks Amount Paid shows them',
	},
	{ name: 'qbo_paid_at', label: 'QuickBooks Paid Date', type: 'date', fieldType: 'date', description: 'When the last payment or credit was applied in QuickBooks Online' },
	{
		name: 'qbo_payment_status',
		label: 'QuickBooks Payment Status',
		type: 'enumeration',
		fieldType: 'select',
		description: 'Payment status of the invoice in QuickBooks Online',
		options: PAYMENT_STATUSES.map((value, displayOrder) => ({ label: value === 'partially_paid' ? 'Partially paid' : value[0].toUpperCase() + value.slice(1), value, displayOrder })),
	},
];

/** Every invoice property this node writes or reads to decide: the forward direction's, then ours. */
export const UPSERT_PROPERTY_DEFINITIONS: HubSpotPropertyDefinition[] = [...(WRITE_BACK_PROPERTIES as unknown as HubSpotPropertyDefinition[]), ...REVERSE_SYNC_PROPERTIES];

export const EXISTING_INVOICE_PROPERTIES = [
	'hs_invoice_status',
	'hs_number',
	'hs_currency',
	'hs_invoice_date',
	'hs_due_date',
	'hs_amount_paid',
	'qbo_doc_number',
	'qbo_invoice_id',
	'qbo_sync_hash',
	'qbo_origin',
	'qbo_source_hash',
	'qbo_amount_paid',
	'qbo_balance',
	'qbo_paid_at',
	'qbo_payment_status',
	'qbo_payments_recording',
];

export async function ensureUpsertProperties(hubspot: HubSpotClient): Promise<string[]> {
	return await ensureHubSpotProperties(hubspot, 'invoices', WRITE_BACK_GROUP, UPSERT_PROPERTY_DEFINITIONS);
}
