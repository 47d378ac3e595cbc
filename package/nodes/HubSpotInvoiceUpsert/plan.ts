/**
 * What to do with each QuickBooks invoice in HubSpot, from the linked HubSpot invoice found (if
 * any). The two-way rule: content comes from the side the invoice started on (an invoice that
 * started in HubSpot keeps HubSpot's content), payment status and voids from QuickBooks. Plain
 * functions.
 */
import { SyncError } from '../shared/errors';
import type { SyncItem } from '../shared/invoiceContract';
import type { HubSpotObject } from '../shared/transport/hubspot';

import { sourceHashOf, wantedStatus, type HubSpotInvoiceStatus } from './payload';
import type { PaidStatusMode } from './payments';

export const RULE_STARTED_IN_HUBSPOT = 'content from HubSpot, where the invoice started; payment status and voids from QuickBooks';
export const RULE_STARTED_IN_QUICKBOOKS = 'content from QuickBooks, where the invoice started';

export type InvoicePlan =
	| { kind: 'create'; status: HubSpotInvoiceStatus }
	| { kind: 'update'; existing: HubSpotObject; status: HubSpotInvoiceStatus; content: boolean; changes: string[]; rule: string }
	| { kind: 'void'; existing: HubSpotObject; rule: string }
	| { kind: 'unchanged'; existing: HubSpotObject; rule?: string; reason?: string }
	| { kind: 'skipped'; reason: string }
	| { kind: 'failed'; error: SyncError };

export interface PlanSettings {
	syncVoids: boolean;
	paidStatus: PaidStatusMode;
}

export function startedInQuickBooks(existing: HubSpotObject): boolean {
	return existing.properties.qbo_origin === 'quickbooks';
}

/** The plan for an invoice with no linked HubSpot invoice. */
function planNew(item: SyncItem, settings: PlanSettings): InvoicePlan {
	if (item.invoice.status === 'voided') return { kind: 'skipped', reason: 'voided in QuickBooks and never synced to HubSpot' };
	return { kind: 'create', status: wantedStatus(item.invoice, settings.paidStatus === 'setStatus') };
}

/** The plan for a voided HubSpot invoice, or for a QuickBooks invoice that was voided. */
function planVoid(item: SyncItem, existing: HubSpotObject, settings: PlanSettings): InvoicePlan | undefined {
	const rule = startedInQuickBooks(existing) ? RULE_STARTED_IN_QUICKBOOKS : RULE_STARTED_IN_HUBSPOT;
	if (existing.properties.hs_invoice_status === 'voided') {
		if (item.invoice.status === 'voided') return { kind: 'unchanged', existing, rule };
		return {
			kind: 'failed',
			error: new SyncError('HUBSPOT_INVOICE_VOIDED', { invoice: item.invoice.number, hubspotInvoiceId: existing.id }, { hubspotInvoiceId: existing.id, quickbooksInvoiceId: item.invoice.source.id }),
		};
	}
	if (item.invoice.status !== 'voided') return undefined;
	return settings.syncVoids ? { kind: 'void', existing, rule } : { kind: 'unchanged', existing, rule, reason: 'voided in QuickBooks; Sync Voids is off' };
}

/** Decides for one invoice item; `found` is what findExisting gave for it. */
export function planInvoice(item: SyncItem, found: HubSpotObject | string[] | undefined, settings: PlanSettings): InvoicePlan {
	if (Array.isArray(found)) {
		return {
			kind: 'failed',
			error: new SyncError(
				'HUBSPOT_INVOICE_LINKED_TWICE',
				{ hubspotInvoiceIds: found.join(', '), quickbooksInvoiceId: item.invoice.source.id },
				{ hubspotInvoiceIds: found, quickbooksInvoiceId: item.invoice.source.id },
			),
		};
	}
	if (!found) return planNew(item, settings);
	const voided = planVoid(item, found, settings);
	if (voided) return voided;
	const status = wantedStatus(item.invoice, settings.paidStatus === 'setStatus');
	const current = found.properties.hs_invoice_status;
	// HubSpot shows paid what QuickBooks has paid (its payments cover it): it stays paid.
	const keepsPaid = current === 'paid' && item.invoice.status === 'paid';
	const statusChanged = !keepsPaid && current !== status && !(current !== 'draft' && status === 'draft');
	if (!startedInQuickBooks(found)) {
		// Started in HubSpot: only QuickBooks' payment status is taken (paid, or open again).
		const paymentStatusChanged = statusChanged && (status === 'paid' || current === 'paid');
		return paymentStatusChanged
			? { kind: 'update', existing: found, status, content: false, changes: ['status'], rule: RULE_STARTED_IN_HUBSPOT }
			: { kind: 'unchanged', existing: found, rule: RULE_STARTED_IN_HUBSPOT };
	}
	const contentChanged = found.properties.qbo_source_hash !== sourceHashOf(item.invoice);
	if (!contentChanged && !statusChanged) return { kind: 'unchanged', existing: found, rule: RULE_STARTED_IN_QUICKBOOKS };
	const changes = [...(contentChanged ? ['content', 'lines'] : []), ...(statusChanged ? ['status'] : [])];
	return { kind: 'update', existing: found, status: statusChanged ? status : (current as HubSpotInvoiceStatus), content: contentChanged, changes, rule: RULE_STARTED_IN_QUICKBOOKS };
}
