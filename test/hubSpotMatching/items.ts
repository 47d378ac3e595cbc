/** Items for the matching nodes' tests with Destination HubSpot: QuickBooks invoices as the QuickBooks Trigger emits them. */
export interface QuickBooksLine {
	sku?: string | null;
	name?: string;
	taxCode?: string | null;
}

export interface QuickBooksInvoiceInput {
	email?: string | null;
	firstName?: string | null;
	lastName?: string | null;
	companyName?: string | null;
	lines?: QuickBooksLine[];
	/** The invoice-level QuickBooks tax code (US companies). */
	txnTaxCode?: string | null;
	/** The matching parts already added (`hubspot`), e.g. SKU Match's lines before Tax Map. */
	hubspot?: Record<string, unknown>;
}

/** A canonical invoice with `source.system: 'quickbooks'`, its customer and lines from QuickBooks. */
export function quickBooksInvoice(id: string, input: QuickBooksInvoiceInput = {}): Record<string, any> {
	const lines = input.lines ?? [{}];
	const item: Record<string, any> = {
		invoice: {
			source: { system: 'quickbooks', id, createdBy: null, url: null, lastModifiedAt: '2026-03-01T12:00:00.000Z', quickbooksInvoiceId: id, syncedHash: null, hubspotInvoiceId: null },
			number: `QB-${id}`,
			status: 'open',
			currency: 'USD',
			issueDate: '2026-03-01',
			dueDate: '2026-03-31',
			customer: {
				email: input.email === undefined ? `buyer${id}@example.com` : input.email,
				firstName: input.firstName === undefined ? 'Ada' : input.firstName,
				lastName: input.lastName === undefined ? 'Buyer' : input.lastName,
				companyName: input.companyName === undefined ? 'Buyer Co' : input.companyName,
				hubspotContactId: null,
				hubspotCompanyId: null,
				address: { line1: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' },
			},
			lines: lines.map((line, index) => ({
				hubspotLineItemId: null,
				sku: line.sku === undefined ? `SKU-${index + 1}` : line.sku,
				name: line.name ?? `Widget ${index + 1}`,
				description: null,
				quantity: 1,
				unitPrice: '10.00',
				amount: '10.00',
				discount: null,
				taxRateId: null,
				taxLabel: null,
			})),
			totals: null,
			adjustments: [],
			contentHash: null,
		},
	};
	// The QuickBooks Trigger's part: the customer, each line's item and QuickBooks tax code.
	item.quickbooks = {
		customer: { id: '58', displayName: 'Buyer Co', created: false },
		lines: lines.map((line, index) => ({ itemId: String(100 + index), itemName: line.name ?? `Widget ${index + 1}`, taxCodeId: line.taxCode ?? null })),
		txnTaxCodeId: input.txnTaxCode ?? null,
	};
	if (input.hubspot) item.hubspot = input.hubspot;
	return item;
}
