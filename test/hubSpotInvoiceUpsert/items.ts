/** Items for the HubSpot Invoice Upsert's tests: QuickBooks invoices with the matching nodes' parts, and payment items. */
import type { FakeHubSpot } from '../kit';

export interface ReverseLine {
	sku?: string;
	name?: string;
	quantity?: number | string;
	unitPrice?: number | string;
	productId?: string;
	taxRateId?: string | null;
	discount?: { amount?: string | null; percentage?: string | null } | null;
}

export interface ReverseInput {
	number?: string;
	status?: 'draft' | 'open' | 'paid' | 'voided';
	issueDate?: string;
	dueDate?: string;
	lines?: ReverseLine[];
	contactId?: string;
	companyId?: string | null;
	hubspotInvoiceId?: string | null;
}

/** A QuickBooks invoice (QuickBooks Trigger's canonical invoice) after contact and product matching. */
export function reverseItem(quickbooksId: string, input: ReverseInput = {}): Record<string, any> {
	const lines = input.lines ?? [{}];
	return {
		invoice: {
			source: {
				system: 'quickbooks',
				id: quickbooksId,
				createdBy: null,
				url: null,
				lastModifiedAt: '2026-03-01T12:00:00.000Z',
				quickbooksInvoiceId: quickbooksId,
				syncedHash: null,
				hubspotInvoiceId: input.hubspotInvoiceId ?? null,
			},
			number: input.number ?? `QB-${quickbooksId}`,
			status: input.status ?? 'open',
			currency: 'USD',
			issueDate: input.issueDate ?? '2026-03-01',
			dueDate: input.dueDate ?? '2026-03-31',
			customer: { email: 'ada@buyer.example', firstName: 'Ada', lastName: 'Buyer', companyName: 'Buyer Co', hubspotContactId: null, hubspotCompanyId: null },
			lines: lines.map((line, index) => ({
				hubspotLineItemId: null,
				sku: line.sku ?? `SKU-${index + 1}`,
				name: line.name ?? `Widget ${index + 1}`,
				description: null,
				quantity: line.quantity ?? 2,
				unitPrice: line.unitPrice ?? '10.50',
				amount: null,
				discount: line.discount ?? null,
				taxRateId: null,
				taxLabel: null,
			})),
			totals: null,
			adjustments: [],
			contentHash: null,
		},
		hubspot: {
			contact: { id: input.contactId ?? '5001', created: false, email: 'ada@buyer.example' },
			company: input.companyId === null ? null : { id: input.companyId ?? '7001', created: false },
			lines: lines.map((line, index) => ({ productId: line.productId ?? `300${index + 1}`, taxRateId: line.taxRateId ?? null })),
		},
	};
}

export function paymentItem(quickbooksInvoiceId: string, amountPaid: string, balance: string, options: { hubspotInvoiceId?: string; method?: string; paidAt?: string } = {}): Record<string, any> {
	return {
		payment: {
			quickbooksInvoiceId,
			hubspotInvoiceId: options.hubspotInvoiceId ?? null,
			amountPaid,
			balance,
			paidAt: options.paidAt ?? '2026-03-10',
			method: options.method ?? 'Check',
		},
	};
}

/** The contact and company the items point to, as the matching nodes found them. */
export function seedCustomer(hubspot: FakeHubSpot): void {
	hubspot.contacts.set('5001', { id: '5001', properties: { email: 'ada@buyer.example', firstname: 'Ada', lastname: 'Buyer', company: 'Buyer Co' } });
	hubspot.companies.set('7001', { id: '7001', properties: { name: 'Buyer Co' } });
}

/** The HubSpot invoice linked to QuickBooks invoice `quickbooksId`. */
export function linkedInvoice(hubspot: FakeHubSpot, quickbooksId: string) {
	return [...hubspot.invoices.values()].find((invoice) => invoice.properties.qbo_invoice_id === quickbooksId);
}
