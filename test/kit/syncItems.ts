/** Items as they leave Tax Map (canonical invoice plus customer, line and tax parts), and QuickBooks invoices, for the upsert's tests. */
import { syncItemSchema, type SyncItem } from '../../package/nodes/shared/invoiceContract';

export interface LineInput {
	sku?: string;
	name?: string;
	description?: string | null;
	quantity?: number | string;
	unitPrice?: number | string;
	amount?: number | string | null;
	discount?: { amount?: number | string | null; percentage?: number | string | null } | null;
	itemId?: string;
	taxCodeId?: string | null;
}

export interface ItemInput {
	id?: string;
	number?: string;
	status?: 'draft' | 'open' | 'paid' | 'voided';
	currency?: string;
	issueDate?: string | null;
	dueDate?: string | null;
	customerId?: string;
	email?: string;
	lines?: LineInput[];
	txnTaxCodeId?: string | null;
	quickbooksInvoiceId?: string | null;
	contentHash?: string | null;
	/** HubSpot's invoice-level figures (absent = HubSpot gave none). */
	totals?: { subtotal?: number | string | null; discountTotal?: number | string | null; feeTotal?: number | string | null; taxTotal?: number | string | null; total?: number | string | null } | null;
	/** Invoice-level discounts and fees. */
	adjustments?: Array<{ kind: 'discount' | 'fee'; name?: string; amount?: number | string | null; percentage?: number | string | null; hubspotId?: string | null }>;
}

/** An item as it leaves Tax Map: the canonical invoice plus customer, line and tax parts. */
export function upsertItem(input: ItemInput = {}): Record<string, any> {
	const id = input.id ?? '3010000001';
	const lines = input.lines ?? [{ sku: 'PROD-001', quantity: 2, unitPrice: 25, amount: 50, itemId: '1', taxCodeId: 'TAX' }];
	return {
		invoice: {
			source: {
				system: 'hubspot',
				id,
				createdBy: 'hubspot',
				url: null,
				lastModifiedAt: '2026-07-10T15:00:00.000Z',
				quickbooksInvoiceId: input.quickbooksInvoiceId ?? null,
				syncedHash: null,
			},
			number: input.number ?? `INV-${id.slice(-4)}`,
			status: input.status ?? 'open',
			currency: input.currency ?? 'USD',
			issueDate: input.issueDate === undefined ? '2026-07-10T00:00:00.000Z' : input.issueDate,
			dueDate: input.dueDate === undefined ? '2026-08-09T00:00:00.000Z' : input.dueDate,
			customer: {
				email: input.email ?? 'ap@acme.example',
				firstName: 'Wile',
				lastName: 'Coyote',
				companyName: 'Acme Corporation',
				hubspotContactId: '1010000001',
				hubspotCompanyId: null,
			},
			lines: lines.map((line, index) => ({
				hubspotLineItemId: `40100000${index + 1}`,
				sku: line.sku ?? `PROD-00${index + 1}`,
				name: line.name ?? `Product ${index + 1}`,
				description: line.description === undefined ? null : line.description,
				quantity: line.quantity ?? 1,
				unitPrice: line.unitPrice ?? 10,
				amount: line.amount === undefined ? null : line.amount,
				discount: line.discount ?? null,
				taxRateId: '1001',
				taxLabel: 'CA Sales Tax',
			})),
			totals: input.totals ?? null,
			adjustments: (input.adjustments ?? []).map((adjustment, index) => ({ hubspotId: `50100000${index + 1}`, name: '', ...adjustment })),
			contentHash: input.contentHash === undefined ? `hash-${id}` : input.contentHash,
		},
		quickbooks: {
			customer: { id: input.customerId ?? '1', displayName: 'Acme Corporation', created: false },
			lines: lines.map((line, index) => ({ itemId: line.itemId ?? String(index + 1), taxCodeId: line.taxCodeId === undefined ? 'TAX' : line.taxCodeId })),
			txnTaxCodeId: input.txnTaxCodeId === undefined ? '3' : input.txnTaxCodeId,
		},
	};
}

export function parsedItem(input: ItemInput = {}): SyncItem {
	return syncItemSchema.parse(upsertItem(input));
}

/** A QuickBooks invoice as the API returns it (or the sandbox stores it). */
export function qboInvoice(overrides: Record<string, any> = {}): Record<string, any> {
	return {
		Id: '201',
		SyncToken: '0',
		domain: 'QBO',
		sparse: false,
		DocNumber: 'INV-0001',
		TxnDate: '2026-07-10',
		DueDate: '2026-08-09',
		CustomerRef: { value: '1', name: 'Acme Corporation' },
		CurrencyRef: { value: 'USD', name: 'United States Dollar' },
		PrivateNote: 'HubSpot invoice 3010000001',
		Line: [
			{
				Id: '1',
				LineNum: 1,
				DetailType: 'SalesItemLineDetail',
				Amount: 50,
				Description: 'Product 1',
				SalesItemLineDetail: { ItemRef: { value: '1', name: 'Widget Standard' }, Qty: 2, UnitPrice: 25, TaxCodeRef: { value: 'TAX' } },
			},
			{ Amount: 50, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
		],
		TxnTaxDetail: { TxnTaxCodeRef: { value: '3', name: 'California' }, TotalTax: 3.63 },
		TotalAmt: 53.63,
		Balance: 53.63,
		MetaData: { CreateTime: '2026-07-10T18:00:00.000Z', LastUpdatedTime: '2026-07-10T18:00:00.000Z' },
		...overrides,
	};
}
