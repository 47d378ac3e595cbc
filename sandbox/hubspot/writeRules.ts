/**
 * Rules HubSpot applies to invoice and line-item writes through the API (docs/API_FACTS.md):
 * an invoice is created as a draft with `hs_currency`; it moves to `open` only with a contact and a
 * line item associated; `voided` is final; a paid invoice, or one with a payment, keeps HubSpot's own properties; a line
 * item's `hs_product_id` names a product; a line item belongs to one invoice; a payment has an
 * amount and a date. What HubSpot leaves
 * undocumented is a named setting.
 */
import { errors } from './errors';
import type { HubSpotStore } from './store';
import type { HubSpotObject, ObjectType } from './types';

export interface InvoiceWriteSettings {
	/**
	 * Whether the API may set `hs_invoice_status` to `paid`. HubSpot documents paid as what a
	 * recorded payment produces (Record payment in the app) and documents no API write of it.
	 * `refused` (default): 400. `accepted`: the status is stored like any other.
	 */
	paidStatusWrite: 'refused' | 'accepted';
}

export const DEFAULT_INVOICE_WRITE_SETTINGS: InvoiceWriteSettings = { paidStatusWrite: 'refused' };

const STATUS = 'hs_invoice_status';
/** Allowed moves of hs_invoice_status through the API (paid is governed by the setting). */
const MOVES: Record<string, string[]> = { draft: ['draft', 'open', 'voided', 'paid'], open: ['open', 'voided', 'paid'], paid: ['paid'], voided: ['voided'] };

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v).trim());

/** A new invoice: `hs_currency` required; it starts as a draft (the status, if sent, must be draft). */
function checkInvoiceCreate(values: Record<string, unknown>): Record<string, unknown> {
	if (!text(values.hs_currency)) throw errors.validation('hs_currency is required to create an invoice (a draft invoice needs its currency).', { context: { propertyName: ['hs_currency'] } });
	const status = text(values[STATUS]);
	if (status && status !== 'draft') {
		throw errors.validation(`An invoice is created as a draft; create it, associate a contact and line items, then set ${STATUS} to ${status}.`, { context: { propertyName: [STATUS] } });
	}
	return { ...values, [STATUS]: 'draft' };
}

/** The status move an update asks for, refused when HubSpot does not allow it. */
function checkStatusMove(store: HubSpotStore, invoice: HubSpotObject, next: string): void {
	const current = text(invoice.properties[STATUS]) || 'draft';
	if (!(MOVES[current] ?? []).includes(next)) throw errors.validation(`Invoice ${invoice.id} is ${current}; its status can't change to ${next}.`, { context: { propertyName: [STATUS] } });
	if (next === 'paid' && current !== 'paid' && store.invoiceWriteSettings.paidStatusWrite === 'refused') {
		throw errors.validation(`${STATUS} can't be set to paid through the API: an invoice becomes paid when payments cover it.`, { context: { propertyName: [STATUS] } });
	}
	if (next === 'open' && current === 'draft') {
		const missing = (['contacts', 'line_items'] as ObjectType[]).filter((t) => store.associatedIds('invoices', invoice.id, t).length === 0);
		if (missing.length) throw errors.validation(`Invoice ${invoice.id} can't move to open: associate ${missing.join(' and ')} first.`, { context: { missingAssociations: missing } });
	}
}

/**
 * An invoice update: a voided or paid invoice, or one with a payment on it (knowledge.hubspot.com
 * manage-invoices: "An invoice cannot be edited if a payment has been made on it"), keeps HubSpot's
 * own properties; custom ones and the status stay writable.
 */
function checkInvoiceUpdate(store: HubSpotStore, invoice: HubSpotObject, values: Record<string, unknown>): void {
	const current = text(invoice.properties[STATUS]) || 'draft';
	const withPayment = store.associatedIds('invoices', invoice.id, 'commerce_payments').length > 0;
	if (current === 'voided' || current === 'paid' || withPayment) {
		const locked = Object.keys(values).filter((name) => name !== STATUS && store.propertyDefinition('invoices', name)?.hubspotDefined);
		const state = current === 'open' && withPayment ? 'open with a payment on it' : current;
		if (locked.length) throw errors.validation(`Invoice ${invoice.id} is ${state}; ${locked.join(', ')} can't change.`, { context: { propertyName: locked } });
	}
	if (STATUS in values) checkStatusMove(store, invoice, text(values[STATUS]));
	if ('hs_currency' in values && !text(values.hs_currency)) throw errors.validation('hs_currency can\'t be emptied.', { context: { propertyName: ['hs_currency'] } });
}

/** A line item's `hs_product_id` must name an existing product. */
function checkLineItem(store: HubSpotStore, values: Record<string, unknown>): void {
	const productId = text(values.hs_product_id);
	if (productId && !store.get('products', productId)) throw errors.validation(`hs_product_id ${productId} is not an existing product.`, { context: { propertyName: ['hs_product_id'] } });
}

/** HubSpot (payments API): a payment needs at least hs_initial_amount and hs_initiated_date. */
function checkPaymentCreate(values: Record<string, unknown>): void {
	const missing = ['hs_initial_amount', 'hs_initiated_date'].filter((name) => !text(values[name]));
	if (missing.length) throw errors.validation(`A payment needs ${missing.join(' and ')}.`, { context: { propertyName: missing } });
}

/** Checks a create; returns the values to store (an invoice gets its draft status). */
export function checkCreate(store: HubSpotStore, type: ObjectType, values: Record<string, unknown>): Record<string, unknown> {
	if (type === 'invoices') return checkInvoiceCreate(values);
	if (type === 'commerce_payments') checkPaymentCreate(values);
	if (type === 'line_items') checkLineItem(store, values);
	return values;
}

/** Checks an update of an existing record. */
export function checkUpdate(store: HubSpotStore, type: ObjectType, object: HubSpotObject, values: Record<string, unknown>): void {
	if (type === 'invoices') checkInvoiceUpdate(store, object, values);
	if (type === 'line_items') checkLineItem(store, values);
}

/** HubSpot (line items guide): a line item belongs to exactly one parent; a second invoice is refused. */
export function checkAssociation(store: HubSpotStore, fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): void {
	const [lineItemId, invoiceId] = fromType === 'line_items' && toType === 'invoices' ? [fromId, toId] : fromType === 'invoices' && toType === 'line_items' ? [toId, fromId] : [];
	if (lineItemId === undefined) return;
	const other = store.associatedIds('line_items', lineItemId, 'invoices').find((id) => id !== invoiceId);
	if (other) throw errors.validation(`Line item ${lineItemId} already belongs to invoice ${other}; a line item has one parent. Create a new line item for invoice ${invoiceId}.`);
}
