/** A canonical invoice as the trigger emits it. */
export const sampleInvoice = {
	source: { system: 'hubspot', id: '501', createdBy: 'hubspot', url: null, lastModifiedAt: '2026-10-01T10:00:00.000Z' },
	number: 'INV-1001',
	status: 'open',
	currency: 'USD',
	issueDate: '2026-10-01T00:00:00.000Z',
	dueDate: '2026-10-31T00:00:00.000Z',
	customer: { email: 'a@example.com', firstName: 'Ada', lastName: 'Lovelace', companyName: 'Analytical Ltd', hubspotContactId: '1', hubspotCompanyId: null },
	lines: [{ hubspotLineItemId: '9', sku: 'PROD-001', name: 'Widget', description: null, quantity: '2', unitPrice: '9.99', amount: '19.98', discount: null, taxRateId: '1001', taxLabel: null }],
	contentHash: null,
};
