import { createHash } from 'crypto';

import type { CanonicalInvoice } from './invoiceContract';

/**
 * A short hash of everything the sync copies to QuickBooks or checks before it writes (HubSpot's
 * totals decide whether the invoice reconciles). The upsert writes it back to HubSpot
 * (`qbo_sync_hash`); the trigger's loop guard skips an invoice whose hash still matches, so the
 * sync's own write-back (which bumps hs_lastmodifieddate) never triggers another sync.
 */
export function invoiceContentHash(
	invoice: Pick<CanonicalInvoice, 'number' | 'status' | 'currency' | 'issueDate' | 'dueDate' | 'customer' | 'lines'> & Partial<Pick<CanonicalInvoice, 'adjustments' | 'totals'>>,
): string {
	const customer = invoice.customer;
	const canonical = [
		invoice.number,
		invoice.status,
		invoice.currency,
		invoice.issueDate ?? '',
		invoice.dueDate ?? '',
		customer.email ?? '',
		customer.firstName ?? '',
		customer.lastName ?? '',
		customer.companyName ?? '',
		...invoice.lines.map((line) =>
			[
				line.sku ?? '',
				line.name,
				line.description ?? '',
				String(line.quantity),
				String(line.unitPrice),
				String(line.amount ?? ''),
				String(line.discount?.amount ?? ''),
				String(line.discount?.percentage ?? ''),
				line.taxRateId ?? '',
			].join('\u001f'),
		),
		// Invoice-level discounts and fees are copied too; none adds nothing, so older hashes still match.
		...(invoice.adjustments ?? []).map((adjustment) =>
			['adjustment', adjustment.kind, adjustment.name, String(adjustment.amount ?? ''), String(adjustment.percentage ?? '')].join('\u001f'),
		),
		// Likewise HubSpot's totals, only when it gives them.
		...(invoice.totals
			? [['totals', ...(['subtotal', 'discountTotal', 'feeTotal', 'taxTotal', 'total'] as const).map((field) => String(invoice.totals![field] ?? ''))].join('\u001f')]
			: []),
	].join('\u001e');
	return createHash('sha256').update(canonical, 'utf8').digest('hex').slice(0, 32);
}
