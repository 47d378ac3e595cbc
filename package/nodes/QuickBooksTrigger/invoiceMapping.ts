/**
 * A QuickBooks invoice, with its customer and items, as the canonical invoice (the same shape the
 * HubSpot Invoice Trigger emits, `source.system: 'quickbooks'`) plus the QuickBooks ids under
 * `quickbooks` (customer, each line's item and tax code, the invoice's tax code). Plain functions.
 */
import type { IDataObject } from 'n8n-workflow';

import { invoiceContentHash } from '../shared/contentHash';
import { SyncError, type SyncErrorJson } from '../shared/errors';
import { canonicalInvoiceSchema, type CanonicalInvoice, type InvoiceAdjustment, type InvoiceLine, type InvoiceStatus, type QuickBooksLinePart, type QuickBooksPart } from '../shared/invoiceContract';
import { centsToNumber, microsToNumber, toCents, toMicros } from '../shared/money';
import { nonBlankText } from '../shared/text';
import { isVoidedInvoice, linkedHubSpotIds } from '../shared/quickbooksInvoiceLink';

export type QuickBooksRecord = IDataObject & { Id: string };

/** What the mapping needs besides the invoice: the records it references, read in batches. */
export interface InvoiceReferences {
	customers: Map<string, QuickBooksRecord>;
	items: Map<string, QuickBooksRecord>;
	/** The company's home currency, for an invoice without CurrencyRef. */
	homeCurrency: string | null;
	invoiceUrl: (id: string) => string;
}

export type MappedInvoice =
	| { ok: true; invoice: CanonicalInvoice; quickbooks: QuickBooksPart }
	| { ok: false; invoice: IDataObject; error: SyncErrorJson };

function ref(value: unknown): { value: string | null; name: string | null } {
	const object = (value ?? {}) as IDataObject;
	return { value: nonBlankText(object.value), name: nonBlankText(object.name) };
}

/** Money exactly, in cents (QuickBooks' amounts are in cents already; a float is read by its decimal text). */
function exactCents(value: unknown, problems: string[], field: string): bigint | null {
	if (value === undefined || value === null || value === '') return null;
	try {
		return toCents(value as string | number);
	} catch {
		problems.push(`${field} is not an amount`);
		return null;
	}
}

function cents(value: unknown, problems: string[], field: string): number | null {
	const exact = exactCents(value, problems, field);
	return exact === null ? null : centsToNumber(exact);
}

function decimal(value: unknown, fallback: number, problems: string[], field: string): number {
	if (value === undefined || value === null || value === '') return fallback;
	try {
		return microsToNumber(toMicros(value as string | number));
	} catch {
		problems.push(`${field} is not a number`);
		return fallback;
	}
}

/** The HubSpot invoice a QuickBooks invoice is linked to: the first "HubSpot invoice <id>" line of its PrivateNote. */
export function hubSpotLinkOf(invoice: IDataObject): string | null {
	return linkedHubSpotIds(invoice.PrivateNote)[0] ?? null;
}

/** QuickBooks has no invoice status: voided (zeroed, noted "Voided"), paid (nothing left due), else open. */
export function invoiceStatusOf(invoice: IDataObject): InvoiceStatus {
	if (isVoidedInvoice(invoice)) return 'voided';
	const balance = Number(invoice.Balance ?? invoice.TotalAmt ?? 0);
	const total = Number(invoice.TotalAmt ?? 0);
	return balance === 0 && total !== 0 ? 'paid' : 'open';
}

/** Item lines in order; a bundle's (GroupLineDetail) lines in place of the bundle. */
function itemLinesOf(lines: IDataObject[]): IDataObject[] {
	return lines.flatMap((line) => {
		if (line.DetailType === 'SalesItemLineDetail') return [line];
		if (line.DetailType === 'GroupLineDetail') return itemLinesOf((((line.GroupLineDetail ?? {}) as IDataObject).Line ?? []) as IDataObject[]);
		return [];
	});
}

function lineOf(line: IDataObject, index: number, references: InvoiceReferences, problems: string[]): { line: InvoiceLine; part: QuickBooksLinePart } {
	const detail = (line.SalesItemLineDetail ?? {}) as IDataObject;
	const item = ref(detail.ItemRef);
	const record = item.value ? references.items.get(item.value) : undefined;
	if (item.value && !record) problems.push(`line ${index + 1}: item ${item.value} could not be read`);
	const amount = cents(line.Amount, problems, `line ${index + 1} amount`);
	const quantity = decimal(detail.Qty, 1, problems, `line ${index + 1} quantity`);
	const unitPrice = decimal(detail.UnitPrice, amount ?? 0, problems, `line ${index + 1} unit price`);
	const taxCode = ref(detail.TaxCodeRef).value;
	return {
		line: {
			hubspotLineItemId: null,
			sku: nonBlankText(record?.Sku),
			name: nonBlankText(record?.Name) ?? item.name ?? '',
			description: nonBlankText(line.Description),
			quantity,
			unitPrice,
			amount,
			discount: null,
			taxRateId: null,
			taxLabel: null,
		},
		part: { ...(item.value ? { itemId: item.value } : {}), ...(record?.Name || item.name ? { itemName: String(record?.Name ?? item.name) } : {}), taxCodeId: taxCode },
	};
}

function adjustmentsOf(lines: IDataObject[], problems: string[]): InvoiceAdjustment[] {
	return lines
		.filter((line) => line.DetailType === 'DiscountLineDetail')
		.map((line, index) => {
			const detail = (line.DiscountLineDetail ?? {}) as IDataObject;
			const percentBased = detail.PercentBased === true;
			return {
				kind: 'discount' as const,
				hubspotId: null,
				name: nonBlankText(line.Description) ?? 'Discount',
				amount: percentBased ? null : cents(line.Amount, problems, `discount ${index + 1}`),
				percentage: percentBased ? decimal(detail.DiscountPercent, 0, problems, `discount ${index + 1} percentage`) : null,
			};
		});
}

function customerOf(invoice: IDataObject, customer: QuickBooksRecord | undefined): CanonicalInvoice['customer'] {
	const bill = (invoice.BillAddr ?? customer?.BillAddr ?? {}) as IDataObject;
	const address = {
		line1: nonBlankText(bill.Line1),
		city: nonBlankText(bill.City),
		state: nonBlankText(bill.CountrySubDivisionCode),
		postalCode: nonBlankText(bill.PostalCode),
		country: nonBlankText(bill.Country),
	};
	return {
		email: nonBlankText(((customer?.PrimaryEmailAddr ?? invoice.BillEmail ?? {}) as IDataObject).Address)?.trim() ?? null,
		firstName: nonBlankText(customer?.GivenName),
		lastName: nonBlankText(customer?.FamilyName),
		companyName: nonBlankText(customer?.CompanyName) ?? nonBlankText(customer?.DisplayName) ?? ref(invoice.CustomerRef).name,
		hubspotContactId: null,
		hubspotCompanyId: null,
		address: Object.values(address).some((value) => value !== null) ? address : null,
	};
}

function totalsOf(invoice: IDataObject, lines: IDataObject[], problems: string[]): NonNullable<CanonicalInvoice['totals']> {
	const subtotal = lines.find((line) => line.DetailType === 'SubTotalLineDetail');
	const discounts = lines.filter((line) => line.DetailType === 'DiscountLineDetail');
	const discountCents = discounts.reduce((sum, line, index) => sum + (exactCents(line.Amount, problems, `discount ${index + 1}`) ?? 0n), 0n);
	return {
		subtotal: subtotal ? cents(subtotal.Amount, problems, 'subtotal') : null,
		discountTotal: discounts.length ? centsToNumber(discountCents) : null,
		feeTotal: null,
		taxTotal: cents(((invoice.TxnTaxDetail ?? {}) as IDataObject).TotalTax, problems, 'tax total'),
		total: cents(invoice.TotalAmt, problems, 'total'),
	};
}

/**
 * Maps one QuickBooks invoice. A customer or item that could not be read makes it
 * QUICKBOOKS_INVOICE_INCOMPLETE (the item still carries every field that could be read).
 */
export function mapQuickBooksInvoice(invoice: QuickBooksRecord, references: InvoiceReferences): MappedInvoice {
	const problems: string[] = [];
	const allLines = (invoice.Line ?? []) as IDataObject[];
	const customerRef = ref(invoice.CustomerRef);
	const customer = customerRef.value ? references.customers.get(customerRef.value) : undefined;
	if (!customer) problems.push(customerRef.value ? `customer ${customerRef.value} could not be read` : 'the invoice has no customer');
	const mapped = itemLinesOf(allLines).map((line, index) => lineOf(line, index, references, problems));
	const raw = {
		source: {
			system: 'quickbooks' as const,
			id: invoice.Id,
			createdBy: null,
			url: references.invoiceUrl(invoice.Id),
			lastModifiedAt: nonBlankText(((invoice.MetaData ?? {}) as IDataObject).LastUpdatedTime),
			quickbooksInvoiceId: invoice.Id,
			syncedHash: null,
			hubspotInvoiceId: hubSpotLinkOf(invoice),
		},
		number: nonBlankText(invoice.DocNumber) ?? '',
		status: invoiceStatusOf(invoice),
		currency: ref(invoice.CurrencyRef).value ?? references.homeCurrency ?? '',
		issueDate: nonBlankText(invoice.TxnDate),
		dueDate: nonBlankText(invoice.DueDate),
		customer: customerOf(invoice, customer),
		lines: mapped.map((entry) => entry.line),
		totals: totalsOf(invoice, allLines, problems),
		adjustments: adjustmentsOf(allLines, problems),
		// What is still owed: the upsert writes QuickBooks' payment figures on a new HubSpot invoice from it.
		balance: cents(invoice.Balance, problems, 'balance'),
		contentHash: null as string | null,
	};
	return finish(invoice, raw, { customer, customerRef, lineParts: mapped.map((entry) => entry.part) }, problems);
}

function finish(
	invoice: QuickBooksRecord,
	raw: IDataObject,
	parts: { customer?: QuickBooksRecord; customerRef: { value: string | null; name: string | null }; lineParts: QuickBooksLinePart[] },
	problems: string[],
): MappedInvoice {
	const parsed = canonicalInvoiceSchema.safeParse(raw);
	if (!parsed.success) problems.push(...parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.')}: ${issue.message}`));
	if (!parsed.success || problems.length) {
		const number = nonBlankText(invoice.DocNumber) ?? `QuickBooks #${invoice.Id}`;
		const error = new SyncError('QUICKBOOKS_INVOICE_INCOMPLETE', { invoice: number, detail: problems.join('; ') }, { quickbooksInvoiceId: invoice.Id, problems });
		return { ok: false, invoice: raw, error: error.toJSON() };
	}
	const canonical = parsed.data;
	canonical.contentHash = invoiceContentHash(canonical);
	const txnTaxCode = ref(((invoice.TxnTaxDetail ?? {}) as IDataObject).TxnTaxCodeRef).value;
	const quickbooks: QuickBooksPart = {
		customer: { id: parts.customerRef.value!, displayName: String(parts.customer?.DisplayName ?? parts.customerRef.name ?? ''), created: false },
		lines: parts.lineParts,
		txnTaxCodeId: txnTaxCode,
	};
	return { ok: true, invoice: canonical, quickbooks };
}
