/**
 * HubSpot records → the canonical invoice of the item contract. Plain functions (no n8n), so the
 * mapping is unit-tested on its own. The trigger validates the result with canonicalInvoiceSchema
 * and hashes the *parsed* invoice, so the hash equals what the upsert computes from the same item.
 */
import { invoiceContentHash } from '../shared/contentHash';
import { SyncError, type SyncErrorJson } from '../shared/errors';
import { canonicalInvoiceSchema, type CanonicalInvoice } from '../shared/invoiceContract';
import type { HubSpotObject } from '../shared/transport/hubspot';

export const INVOICE_PROPERTIES = [
	'hs_number',
	'hs_invoice_status',
	'hs_currency',
	'hs_invoice_date',
	'hs_due_date',
	'hs_invoice_source',
	'hs_createdate',
	'hs_lastmodifieddate',
	'hs_object_id',
	'qbo_invoice_id',
	'qbo_sync_hash',
	'qbo_sync_status',
];

export const LINE_ITEM_PROPERTIES = [
	'name',
	'description',
	'hs_sku',
	'quantity',
	'price',
	'amount',
	'discount',
	'hs_discount_percentage',
	'hs_tax_rate_group_id',
	'hs_tax_label',
	'hs_position_on_quote',
	'hs_product_id',
];

export const CONTACT_PROPERTIES = ['email', 'firstname', 'lastname', 'company', 'address', 'city', 'state', 'zip', 'country'];

export const COMPANY_PROPERTIES = ['name', 'domain', 'address', 'city', 'state', 'zip', 'country'];

/** Everything read about one invoice: the invoice and the records its associations point to. */
export interface InvoiceRecords {
	invoice: HubSpotObject;
	/** Associated ids in HubSpot's order. */
	contactIds: string[];
	companyIds: string[];
	lineItemIds: string[];
	contacts: Map<string, HubSpotObject>;
	companies: Map<string, HubSpotObject>;
	lineItems: Map<string, HubSpotObject>;
}

export interface MappedInvoice {
	/** The parsed canonical invoice, or the fields that could be read when it does not validate. */
	invoice: CanonicalInvoice | Record<string, unknown>;
	/** Set when the invoice could not be read completely (INVOICE_INCOMPLETE). */
	error?: SyncErrorJson;
	/** True when `invoice` passed canonicalInvoiceSchema. */
	valid: boolean;
}

/** Numeric HubSpot ids compared as numbers (any length), other strings lexically. */
export function compareIds(left: string, right: string): number {
	const numeric = /^\d+$/;
	if (numeric.test(left) && numeric.test(right)) {
		const a = left.replace(/^0+(?=\d)/, '');
		const b = right.replace(/^0+(?=\d)/, '');
		if (a.length !== b.length) return a.length - b.length;
	}
	return left < right ? -1 : left > right ? 1 : 0;
}

/** A HubSpot datetime (ISO text or epoch milliseconds) as epoch milliseconds; NaN when unreadable. */
export function toEpochMs(value: unknown): number {
	if (value === null || value === undefined || value === '') return Number.NaN;
	if (typeof value === 'number') return value;
	const text = String(value).trim();
	if (/^\d+$/.test(text)) return Number(text);
	return Date.parse(text);
}

function text(value: string | null | undefined): string | null {
	if (value === null || value === undefined) return null;
	const trimmed = String(value).trim();
	return trimmed === '' ? null : String(value);
}

/** Integration-created invoices: `hs_invoice_source` set to anything but HubSpot itself. */
export function isCreatedByIntegration(invoice: HubSpotObject): boolean {
	const source = text(invoice.properties.hs_invoice_source);
	return source !== null && source.trim().toLowerCase() !== 'hubspot';
}

function positionOf(lineItem: HubSpotObject): number | undefined {
	const raw = text(lineItem.properties.hs_position_on_quote);
	if (raw === null) return undefined;
	const position = Number(raw);
	return Number.isFinite(position) ? position : undefined;
}

/** Lines in a stable order: by position on the quote where HubSpot has one, then by id. */
export function sortLineItems(lineItems: HubSpotObject[]): HubSpotObject[] {
	return [...lineItems].sort((left, right) => {
		const a = positionOf(left);
		const b = positionOf(right);
		if (a !== undefined && b !== undefined && a !== b) return a - b;
		if (a !== undefined && b === undefined) return -1;
		if (a === undefined && b !== undefined) return 1;
		return compareIds(left.id, right.id);
	});
}

function firstById(ids: string[]): string | undefined {
	return [...ids].sort(compareIds)[0];
}

function addressOf(record: HubSpotObject | undefined) {
	if (!record) return null;
	const p = record.properties;
	const address = {
		line1: text(p.address),
		city: text(p.city),
		state: text(p.state),
		postalCode: text(p.zip),
		country: text(p.country),
	};
	return Object.values(address).some((value) => value !== null) ? address : null;
}

function lineOf(lineItem: HubSpotObject) {
	const p = lineItem.properties;
	const discountAmount = text(p.discount);
	const discountPercentage = text(p.hs_discount_percentage);
	return {
		hubspotLineItemId: lineItem.id,
		sku: text(p.hs_sku),
		name: p.name ?? '',
		description: text(p.description),
		quantity: text(p.quantity),
		unitPrice: text(p.price),
		amount: text(p.amount),
		discount: discountAmount === null && discountPercentage === null ? null : { amount: discountAmount, percentage: discountPercentage },
		taxRateId: text(p.hs_tax_rate_group_id),
		taxLabel: text(p.hs_tax_label),
	};
}

/** The link to the invoice record in HubSpot's UI. */
export function invoiceUrl(portal: { portalId: string; uiDomain?: string | null } | null | undefined, invoiceId: string): string | null {
	if (!portal?.portalId) return null;
	const domain = portal.uiDomain || 'app.hubspot.com';
	return `https://${domain}/contacts/${portal.portalId}/record/0-53/${invoiceId}`;
}

/**
 * Maps one invoice. Missing associated records (a deleted line item, no contact) make it
 * INVOICE_INCOMPLETE; it is still returned with every field that could be read. A contact without
 * an email is complete here (Customer Resolve reports CUSTOMER_EMAIL_MISSING).
 */
export function mapInvoice(records: InvoiceRecords, portal?: { portalId: string; uiDomain?: string | null } | null): MappedInvoice {
	const { invoice } = records;
	const p = invoice.properties;
	const number = text(p.hs_number) ?? invoice.id;
	const problems: string[] = [];

	const missingLineItemIds = records.lineItemIds.filter((id) => !records.lineItems.has(id));
	if (missingLineItemIds.length) {
		problems.push(`line item${missingLineItemIds.length > 1 ? 's' : ''} ${missingLineItemIds.join(', ')} could not be read (deleted?)`);
	}
	const contactId = firstById(records.contactIds);
	const contact = contactId ? records.contacts.get(contactId) : undefined;
	if (!contactId) problems.push('no contact is associated with the invoice');
	else if (!contact) problems.push(`contact ${contactId} could not be read (deleted?)`);
	const companyId = firstById(records.companyIds);
	const company = companyId ? records.companies.get(companyId) : undefined;
	if (companyId && !company) problems.push(`company ${companyId} could not be read (deleted?)`);

	const lineItems = sortLineItems(records.lineItemIds.map((id) => records.lineItems.get(id)).filter((item): item is HubSpotObject => !!item));
	const status = text(p.hs_invoice_status)?.toLowerCase() ?? null;
	const raw = {
		source: {
			system: 'hubspot' as const,
			id: invoice.id,
			createdBy: text(p.hs_invoice_source),
			url: invoiceUrl(portal, invoice.id),
			lastModifiedAt: text(p.hs_lastmodifieddate) ?? invoice.updatedAt ?? null,
			quickbooksInvoiceId: text(p.qbo_invoice_id),
			syncedHash: text(p.qbo_sync_hash),
		},
		number,
		status,
		currency: text(p.hs_currency)?.toUpperCase() ?? null,
		issueDate: text(p.hs_invoice_date),
		dueDate: text(p.hs_due_date),
		customer: {
			email: text(contact?.properties.email)?.trim() ?? null,
			firstName: text(contact?.properties.firstname),
			lastName: text(contact?.properties.lastname),
			companyName: text(company?.properties.name) ?? text(contact?.properties.company),
			hubspotContactId: contact ? contact.id : (contactId ?? null),
			hubspotCompanyId: companyId ?? null,
			address: addressOf(contact) ?? addressOf(company),
		},
		lines: lineItems.map(lineOf),
		contentHash: null as string | null,
	};

	const parsed = canonicalInvoiceSchema.safeParse(raw);
	if (!parsed.success) {
		for (const issue of parsed.error.issues.slice(0, 3)) {
			const field = describePath(issue.path as Array<string | number>, raw.lines);
			problems.push(`${field} is ${issue.message.toLowerCase().includes('required') ? 'missing' : `invalid (${issue.message})`}`);
		}
	}
	const canonical = parsed.success ? parsed.data : undefined;
	if (canonical && problems.length === 0) canonical.contentHash = invoiceContentHash(canonical);

	if (problems.length === 0 && canonical) return { invoice: canonical, valid: true };
	const error = new SyncError(
		'INVOICE_INCOMPLETE',
		{ invoice: number, detail: problems.join('; ') },
		{
			hubspotInvoiceId: invoice.id,
			problems,
			missingLineItemIds,
			...(contactId ? {} : { missingContact: true }),
			...(contactId && !contact ? { missingContactId: contactId } : {}),
			...(companyId && !company ? { missingCompanyId: companyId } : {}),
		},
	);
	return { invoice: canonical ?? raw, error: error.toJSON(), valid: !!canonical };
}

function describePath(path: Array<string | number>, lines: Array<{ hubspotLineItemId: string; sku: string | null }>): string {
	if (path[0] === 'lines' && typeof path[1] === 'number') {
		const line = lines[path[1]];
		const field = { unitPrice: 'price', quantity: 'quantity' }[String(path[2])] ?? String(path[2] ?? '');
		return `line item ${line?.hubspotLineItemId ?? path[1]}${line?.sku ? ` (SKU ${line.sku})` : ''} ${field}`.trim();
	}
	const names: Record<string, string> = { currency: 'currency (hs_currency)', status: 'status (hs_invoice_status)', number: 'number (hs_number)' };
	return names[String(path[0])] ?? path.join('.');
}
