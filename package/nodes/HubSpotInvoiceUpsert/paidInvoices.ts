/**
 * Content updates of HubSpot invoices that have payments. HubSpot does not let an invoice with a
 * payment be edited (knowledge base, Manage invoices: "An invoice cannot be edited if a payment
 * has been made on it"), so such an update writes only what differs from what HubSpot holds:
 * finishing a create that was stopped after HubSpot recorded its payment (its lines in place, no
 * `qbo_source_hash` yet) writes none of HubSpot's own properties and keeps its lines. A real change
 * there (QuickBooks changed the number, a date or a line of an invoice HubSpot holds as paid or part
 * paid) fails the item with HUBSPOT_INVOICE_HAS_PAYMENTS before anything of it is written.
 */
import { SyncError } from '../shared/errors';
import type { HubSpotClient, HubSpotObject } from '../shared/transport/hubspot';

import { describeItem } from './items';
import { lineItemInputs } from './payload';
import { sameAmount } from './payments';
import { failWork } from './refusals';
import type { Work } from './work';

/** The line-item properties a content update writes, and those of them that are numbers. */
const LINE_PROPERTIES = ['name', 'quantity', 'price', 'hs_product_id', 'hs_sku', 'description', 'discount', 'hs_discount_percentage', 'hs_tax_rate_group_id'];
const NUMBERS = new Set(['quantity', 'price', 'discount', 'hs_discount_percentage']);

/** Whether HubSpot holds payments on the invoice as it was found: its status, or an amount paid above 0. */
export function hasPayments(work: Work): boolean {
	const { hs_invoice_status: status, hs_amount_paid: amountPaid } = work.existing?.properties ?? {};
	return status === 'paid' || (!!amountPaid && !sameAmount(amountPaid, '0'));
}

function sameValue(name: string, held: string | null | undefined, wanted: string | undefined): boolean {
	if (!held || !wanted) return (held ?? '') === (wanted ?? '');
	return NUMBERS.has(name) ? sameAmount(held, wanted) : held === wanted;
}

/** The lines HubSpot holds (in creation order, as the trigger reads them) against those the update would write. */
function sameLines(held: HubSpotObject[], work: Work): boolean {
	const wanted = lineItemInputs(work.item as never, work.hubspotId!).map((input) => input.properties);
	const ordered = [...held].sort((a, b) => (a.id.length !== b.id.length ? a.id.length - b.id.length : a.id < b.id ? -1 : 1));
	return ordered.length === wanted.length && ordered.every((line, at) => LINE_PROPERTIES.every((name) => sameValue(name, line.properties[name], wanted[at][name])));
}

/**
 * For content updates of invoices with payments (their old line ids read): lines equal to what the
 * update would write are kept (no line written, none archived); different ones are named for the
 * item's error. One batch read per 100 of those invoices' line items.
 */
export async function compareLinesOfInvoicesWithPayments(hubspot: HubSpotClient, works: Work[]): Promise<void> {
	const withPayments = works.filter(hasPayments);
	if (withPayments.length === 0) return;
	try {
		const { results } = await hubspot.batchRead('line_items', withPayments.flatMap((work) => work.replacedLineItemIds ?? []), LINE_PROPERTIES);
		for (const work of withPayments) {
			const held = (work.replacedLineItemIds ?? []).map((id) => results.get(id)).filter((line): line is HubSpotObject => !!line);
			work.keepsLines = held.length === (work.replacedLineItemIds ?? []).length && sameLines(held, work);
			if (work.keepsLines) work.replacedLineItemIds = [];
		}
	} catch (error) {
		for (const work of withPayments) failWork(work, error);
	}
}

/** Fails a content update of an invoice with payments that would change what HubSpot keeps there: its own properties (`write`) or its lines. */
export function refuseEditOfInvoiceWithPayments(work: Work, write: Record<string, string>): void {
	if (!hasPayments(work)) return;
	const changed = Object.keys(write).filter((name) => name.startsWith('hs_') && name !== 'hs_invoice_status');
	if (work.keepsLines === false) changed.push('line items');
	if (changed.length === 0) return;
	const values = { properties: changed.join(', '), invoice: describeItem(work.item), hubspotInvoiceId: work.hubspotId! };
	work.error = new SyncError('HUBSPOT_INVOICE_HAS_PAYMENTS', values, { ...values, properties: changed });
}
