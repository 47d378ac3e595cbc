/** Canonical invoices (what the trigger emits) for node and unit tests. */
import type { IDataObject } from 'n8n-workflow';

import type { CanonicalInvoiceInput } from '../../package/nodes/shared/invoiceContract';

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

let invoiceCounter = 0;

export interface InvoiceOverrides extends Partial<Omit<CanonicalInvoiceInput, 'customer' | 'lines'>> {
	customer?: Partial<CanonicalInvoiceInput['customer']>;
	lines?: Array<Partial<CanonicalInvoiceInput['lines'][number]>>;
}

/** A canonical invoice item, numbered in sequence (INV-1, INV-2 …, contact customerN@example.com). */
export function invoiceItem(overrides: InvoiceOverrides = {}, extra: IDataObject = {}): IDataObject {
	const n = ++invoiceCounter;
	const { customer, lines, ...rest } = overrides;
	return {
		invoice: {
			source: { system: 'hubspot', id: String(3000 + n), createdBy: 'hubspot' },
			number: `INV-${n}`,
			status: 'open',
			currency: 'USD',
			issueDate: '2026-09-01T00:00:00.000Z',
			dueDate: '2026-10-01T00:00:00.000Z',
			customer: {
				email: `customer${n}@example.com`,
				firstName: 'Ada',
				lastName: 'Lovelace',
				companyName: null,
				hubspotContactId: String(1000 + n),
				...customer,
			},
			lines: (lines ?? [{}]).map((line, index) => ({
				sku: `SKU-${index + 1}`,
				name: `Line ${index + 1}`,
				quantity: 1,
				unitPrice: 10,
				amount: 10,
				taxRateId: null,
				taxLabel: null,
				...line,
			})),
			contentHash: null,
			...rest,
		},
		...extra,
	};
}

export interface SkuLine {
	sku?: string | null;
	name?: string;
	unitPrice?: number;
	quantity?: number;
	description?: string | null;
}

/** A canonical invoice item whose lines carry these SKUs (or more of each line). */
export function invoiceWithSkus(lines: Array<string | null | SkuLine>, overrides: InvoiceOverrides = {}): IDataObject {
	return invoiceItem({
		...overrides,
		lines: lines.map((line, index) => {
			const spec: SkuLine = typeof line === 'string' || line === null ? { sku: line } : line;
			const quantity = spec.quantity ?? 1;
			const unitPrice = spec.unitPrice ?? 10;
			return { sku: spec.sku ?? null, name: spec.name ?? `Line ${index + 1}`, description: spec.description ?? null, quantity, unitPrice, amount: quantity * unitPrice };
		}),
	});
}
