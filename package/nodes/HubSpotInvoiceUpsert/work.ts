/**
 * One input's state through the upsert: what was decided for it, the HubSpot invoice it writes,
 * the properties of its final update, and its failure. Plain data and functions.
 */
import type { IDataObject } from 'n8n-workflow';

import { SyncError } from '../shared/errors';
import type { HubSpotInvoicePart, PaymentItem, SyncItem } from '../shared/invoiceContract';
import type { DeletedInvoiceItem } from '../shared/quickbooksEventContract';
import type { HubSpotObject } from '../shared/transport/hubspot';

import { isUnfinishedCreate, linkedInvoiceFor, type LinkedInvoices } from './findExisting';
import { isCreditMemoItem, isDeletedInvoiceItem, isPaymentItem, type ToHubSpotItem } from './items';
import { invoicePaymentUpdate, paymentUpdate, type PaidStatusMode, type PaymentRecord } from './payments';
import { planInvoice, RULE_STARTED_IN_HUBSPOT, RULE_STARTED_IN_QUICKBOOKS, startedInQuickBooks, type InvoicePlan, type PlanSettings } from './plan';

/** A content update: the invoice's properties and lines are replaced by QuickBooks'. */
export function replacesContent(work: Work): boolean {
	return work.plan?.kind === 'update' && work.plan.content;
}


export interface Work {
	index: number;
	item: ToHubSpotItem;
	/** The invoice plan's kind, or 'payment'. */
	kind: InvoicePlan['kind'] | 'payment';
	plan?: InvoicePlan;
	/** The HubSpot invoice written (found, or created by this run). */
	hubspotId?: string;
	existing?: HubSpotObject;
	/** Properties of the final update (status, content, payment figures, sync hash). */
	properties: Record<string, string>;
	/** The status the invoice has after this run. */
	status?: string;
	/** The status or content changes: the trigger's hash is written anew. */
	needsHash: boolean;
	/** This run's content wins over HubSpot's (created, or started in QuickBooks). */
	ownsContent: boolean;
	/** The HubSpot payment to record on the invoice (Payments in HubSpot: Record HubSpot Payments). */
	paymentRecord?: PaymentRecord;
	/** QuickBooks' payment figures a create or content update writes with its final update. */
	paymentFigures?: Record<string, string>;
	/** A content update's properties and status, written before its lines are replaced. */
	contentWrite?: Record<string, string>;
	/** Old line items to archive once the new ones exist (a content update). */
	replacedLineItemIds?: string[];
	/** A content update of an invoice with payments: whether HubSpot's lines are already QuickBooks' (kept) or differ. */
	keepsLines?: boolean;
	part: Partial<HubSpotInvoicePart>;
	error?: unknown;
	/** A payment item another item of this execution writes for it (the same invoice): its status and failure are that one's. */
	recordedWith?: Work;
}

function invoiceWork(index: number, item: SyncItem, linked: LinkedInvoices, settings: PlanSettings): Work {
	const plan = planInvoice(item, linkedInvoiceFor(linked, item.invoice.source.id, item.invoice.source.hubspotInvoiceId), settings);
	const work: Work = { index, item, kind: plan.kind, plan, properties: {}, needsHash: false, ownsContent: false, part: {} };
	if (plan.kind === 'failed') work.error = plan.error;
	if (plan.kind === 'skipped') work.part = { reason: plan.reason };
	if (plan.kind === 'create') Object.assign(work, { status: plan.status, needsHash: true, ownsContent: true });
	if (plan.kind === 'update' || plan.kind === 'void' || plan.kind === 'unchanged') {
		work.existing = plan.existing;
		work.hubspotId = plan.existing.id;
		work.status = plan.existing.properties.hs_invoice_status ?? undefined;
		work.part = { rule: plan.rule, ...(plan.kind === 'unchanged' && plan.reason ? { reason: plan.reason } : {}) };
	}
	if (plan.kind === 'update') {
		Object.assign(work, { status: plan.status, needsHash: true, ownsContent: plan.content || startedInQuickBooks(plan.existing) });
		work.properties.hs_invoice_status = plan.status;
		work.part.changes = plan.changes;
	}
	if (plan.kind === 'void') {
		Object.assign(work, { status: 'voided', needsHash: true, ownsContent: startedInQuickBooks(plan.existing) });
		work.properties.hs_invoice_status = 'voided';
		work.properties.qbo_payment_status = 'voided';
	}
	withInvoicePayments(work, item, settings.paidStatus);
	return work;
}

/**
 * A create or content update carries the payment figures QuickBooks holds now: the payments
 * template may have polled before this invoice reached HubSpot, and its payment items then had
 * nothing to apply to. The status stays the plan's; a recorded payment's is read back.
 */
function withInvoicePayments(work: Work, item: SyncItem, mode: PaidStatusMode): void {
	const plan = work.plan;
	if (plan?.kind !== 'create' && !(plan?.kind === 'update' && plan.content)) return;
	const existing = plan.kind === 'update' ? plan.existing : undefined;
	const current = existing?.properties.hs_invoice_status;
	// As HubSpot holds the invoice when the payment is recorded: a draft is opened first (upsert.ts).
	const status = !current || current === 'draft' ? plan.status : current;
	const update = invoicePaymentUpdate(item.invoice, { id: existing?.id ?? '', properties: { ...(existing?.properties ?? {}), hs_invoice_status: status } }, mode);
	const figures = Object.fromEntries(Object.entries(update?.properties ?? {}).filter(([name]) => name !== 'hs_invoice_status'));
	if (!update || Object.keys(figures).length === 0) return;
	work.paymentFigures = figures;
	Object.assign(work.part, { amountPaid: update.amountPaid, balance: update.balance, paymentStatus: update.paymentStatus });
	if (update.record) Object.assign(work, { paymentRecord: update.record, status: undefined });
}

function linkedTwice(work: Work, found: string[], quickbooksInvoiceId: string): Work {
	const values = { hubspotInvoiceIds: found.join(', '), quickbooksInvoiceId };
	work.error = new SyncError('HUBSPOT_INVOICE_LINKED_TWICE', values, { hubspotInvoiceIds: found, quickbooksInvoiceId });
	return work;
}

/** An invoice deleted in QuickBooks: its HubSpot invoice is voided (QuickBooks keeps nothing else of it). */
function deletedWork(index: number, item: DeletedInvoiceItem, linked: LinkedInvoices, syncVoids: boolean): Work {
	const { quickbooksInvoiceId } = item.deletedInvoice;
	const found = linkedInvoiceFor(linked, quickbooksInvoiceId, null);
	const work: Work = { index, item, kind: 'skipped', properties: {}, needsHash: false, ownsContent: false, part: {} };
	if (Array.isArray(found)) return linkedTwice(work, found, quickbooksInvoiceId);
	if (!found) return Object.assign(work, { part: { reason: 'deleted in QuickBooks and never synced to HubSpot' } });
	const rule = startedInQuickBooks(found) ? RULE_STARTED_IN_QUICKBOOKS : RULE_STARTED_IN_HUBSPOT;
	Object.assign(work, { existing: found, hubspotId: found.id, status: found.properties.hs_invoice_status ?? undefined, part: { rule } });
	if (found.properties.hs_invoice_status === 'voided') return Object.assign(work, { kind: 'unchanged' });
	if (!syncVoids) return Object.assign(work, { kind: 'unchanged', part: { rule, reason: 'deleted in QuickBooks; Sync Voids is off' } });
	Object.assign(work, { kind: 'void', status: 'voided', needsHash: true, ownsContent: startedInQuickBooks(found) });
	Object.assign(work.properties, { hs_invoice_status: 'voided', qbo_payment_status: 'voided' });
	return work;
}

function paymentWork(index: number, item: PaymentItem, linked: LinkedInvoices, mode: PaidStatusMode): Work {
	const { payment } = item;
	const found = linkedInvoiceFor(linked, payment.quickbooksInvoiceId, payment.hubspotInvoiceId);
	const work: Work = { index, item, kind: 'payment', properties: {}, needsHash: false, ownsContent: false, part: {} };
	if (Array.isArray(found)) return linkedTwice(work, found, payment.quickbooksInvoiceId);
	if (!found && !payment.hubspotInvoiceId) {
		// Nothing links this QuickBooks invoice to HubSpot (never synced there): no alert, nothing to show it on.
		return Object.assign(work, { kind: 'skipped', part: { reason: `QuickBooks invoice ${payment.quickbooksInvoiceId} is not linked to a HubSpot invoice (never synced to HubSpot)` } });
	}
	if (!found) {
		// QuickBooks names a HubSpot invoice that HubSpot no longer has (deleted there, or not readable).
		const values = { quickbooksInvoiceId: payment.quickbooksInvoiceId };
		work.error = new SyncError('HUBSPOT_INVOICE_NOT_FOUND', values, { quickbooksInvoiceId: payment.quickbooksInvoiceId, hubspotInvoiceId: payment.hubspotInvoiceId ?? null });
		return work;
	}
	if (isUnfinishedCreate(found)) {
		// Figures written on it now would keep the run that finishes it from recording the payment.
		const detail = `the HubSpot invoice ${found.id} for QuickBooks invoice ${payment.quickbooksInvoiceId} is not finished yet (its create was interrupted): the payment is applied once the invoice sync finishes it`;
		work.error = new SyncError('HUBSPOT_UNAVAILABLE', { detail }, { quickbooksInvoiceId: payment.quickbooksInvoiceId, hubspotInvoiceId: found.id });
		return work;
	}
	Object.assign(work, { existing: found, hubspotId: found.id, status: found.properties.hs_invoice_status ?? undefined });
	work.part.rule = startedInQuickBooks(found) ? RULE_STARTED_IN_QUICKBOOKS : RULE_STARTED_IN_HUBSPOT;
	if (found.properties.hs_invoice_status === 'voided') {
		work.kind = 'skipped';
		work.part.reason = 'the HubSpot invoice is voided';
		return work;
	}
	const update = paymentUpdate(payment, found, mode);
	Object.assign(work.part, { amountPaid: update.amountPaid, balance: update.balance, paymentStatus: update.paymentStatus, paidAt: update.properties.qbo_paid_at ?? found.properties.qbo_paid_at ?? null });
	if (Object.keys(update.properties).length === 0) {
		work.kind = 'unchanged';
		return work;
	}
	work.properties = update.properties;
	if (update.reason) work.part.reason = update.reason;
	if (update.status) Object.assign(work, { status: update.status, needsHash: true });
	// HubSpot may mark the invoice paid once the payment is recorded: its status is read back.
	if (update.record) Object.assign(work, { paymentRecord: update.record, status: undefined, needsHash: true });
	return work;
}

export function planWork(index: number, item: ToHubSpotItem, linked: LinkedInvoices, settings: PlanSettings): Work {
	if (isPaymentItem(item)) return paymentWork(index, item, linked, settings.paidStatus);
	if (isDeletedInvoiceItem(item)) return deletedWork(index, item, linked, settings.syncVoids);
	if (isCreditMemoItem(item)) {
		const reason = 'a credit memo reaches an invoice when QuickBooks applies it: that arrives as a payment';
		return { index, item, kind: 'skipped', properties: {}, needsHash: false, ownsContent: false, part: { reason } };
	}
	return invoiceWork(index, item, linked, settings);
}

/** A payment item's QuickBooks figures: amount paid and balance as written. */
function figuresOf(work: Work): string {
	return `${work.part.amountPaid ?? ''}/${work.part.balance ?? ''}`;
}

/**
 * Payment items of one execution for the same invoice (QuickBooks received several payments
 * between two polls; each item carries the invoice's figures at the poll, so they may name the
 * same money): one of them writes QuickBooks' latest figures, the last item's, with one HubSpot
 * payment for what is new; the first item showing those figures writes, the others are recorded
 * with it. So no money is recorded twice and the invoice is written once per batch.
 */
export function foldSameInvoicePayments(works: Work[]): void {
	const payments = works.filter((work) => isPaymentItem(work.item) && !work.error && work.hubspotId && (work.kind === 'payment' || work.kind === 'unchanged'));
	const last = new Map(payments.map((work) => [work.hubspotId!, work] as const));
	for (const work of payments) {
		const latest = last.get(work.hubspotId!)!;
		const writer = payments.find((other) => other.hubspotId === work.hubspotId && figuresOf(other) === figuresOf(latest))!;
		if (writer === work) continue;
		Object.assign(work, { kind: writer.kind, properties: {}, paymentRecord: undefined, needsHash: false, recordedWith: writer });
		work.part.reason = `QuickBooks reported this invoice's payments more than once in this execution: recorded once, with item ${writer.index} (amount paid ${latest.part.amountPaid ?? ''})`;
	}
}

/** The action reported on the item. */
export function actionOf(work: Work): HubSpotInvoicePart['action'] {
	switch (work.kind) {
		case 'create':
			return 'created';
		case 'update':
			return 'updated';
		case 'void':
			return 'voided';
		case 'payment':
			return 'paymentApplied';
		case 'skipped':
			return 'skipped';
		default:
			return 'unchanged';
	}
}

/** The output item: the input with `hubspot.invoice` added (other nodes' parts untouched). */
export function outputJson(work: Work, url: string | null): IDataObject {
	const status = work.recordedWith?.status ?? work.status ?? '';
	const part: HubSpotInvoicePart = Object.assign({ id: work.hubspotId ?? null, action: actionOf(work), status }, work.part, url ? { url } : {});
	const item = work.item as unknown as IDataObject;
	return Object.assign({}, item, { hubspot: Object.assign({}, (item.hubspot as IDataObject | undefined) ?? {}, { invoice: part }) });
}
