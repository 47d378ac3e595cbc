/**
 * HubSpot records → the canonical invoice of the item contract. Plain functions (no n8n), so the
 * mapping is unit-tested on its own. The trigger validates the result with canonicalInvoiceSchema
 * and hashes the *parsed* invoice, so the hash equals what the upsert computes from the same item.
 */
import { invoiceContentHash } from '../shared/contentHash';
import { dependsOnTimeZone, firstTimeZone, toQuickBooksDate } from '../shared/dates';
import { SyncError, type SyncErrorJson } from '../shared/errors';
import { canonicalInvoiceSchema, type CanonicalInvoice } from '../shared/invoiceContract';
import { nonBlankText } from '../shared/text';
import type { HubSpotObject } from '../shared/transport/hubspot';

import type { Portal } from './portal';

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
	'qbo_origin',
	'qbo_sync_hash',
	'qbo_sync_status',
	'hs_timezone',
	'hs_subtotal',
	'hs_discounts_total',
	'hs_fees_total',
	'hs_taxes_total',
	'hs_amount_billed',
];

/** Properties of invoice-level discounts and fees (HubSpot's `discounts` and `fees` objects). */
export const ADJUSTMENT_PROPERTIES = ['hs_label', 'hs_type', 'hs_value', 'hs_sort_order'];

/**
 * Invoice Source values of invoices made by integrations: the labels HubSpot documents besides
 * "HubSpot" (Stripe-synced invoices carry `data_sync`). Compared loosely (see sourceKey).
 */
export const DEFAULT_INTEGRATION_SOURCES = ['Data Sync', 'Legacy QuickBooks Integration'];

/** Association labels that mark the billing contact among an invoice's contacts. */
export const DEFAULT_BILLING_CONTACT_LABELS = ['Billing Contact', 'Bill To'];

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
	/** Labels of the invoice's association to each contact (contact id → labels), where HubSpot gives any. */
	contactLabels?: Map<string, string[]>;
	/** Invoice-level discounts and fees associated with the invoice, and the records read. */
	discountIds?: string[];
	feeIds?: string[];
	discounts?: Map<string, HubSpotObject>;
	fees?: Map<string, HubSpotObject>;
}

/** What mapping needs beyond the records: the portal (links, time zone) and the billing-contact labels. */
export interface MappingContext {
	portal?: Pick<Portal, 'portalId'> & Partial<Omit<Portal, 'portalId'>> | null;
	billingContactLabels?: string[];
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

/**
 * A label or value compared loosely: case, spaces, underscores and dashes do not matter, so the
 * label "Data Sync" matches the stored value `data_sync`.
 */
export function sourceKey(value: string): string {
	return value.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * The Invoice Source of an invoice made by one of `integrationSources` (compared with sourceKey), or
 * null. Anything else, known or not, is left to sync: a guessed value must never skip real invoices.
 */
export function integrationSourceOf(invoice: HubSpotObject, integrationSources: string[]): string | null {
	const source = nonBlankText(invoice.properties.hs_invoice_source)?.trim();
	if (!source) return null;
	const key = sourceKey(source);
	return integrationSources.some((entry) => sourceKey(entry) === key && key !== '') ? source : null;
}

function positionOf(lineItem: HubSpotObject): number | undefined {
	const raw = nonBlankText(lineItem.properties.hs_position_on_quote);
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

/**
 * The billing contact: the contact whose association carries one of `labels` (lowest id among
 * several), else the lowest contact id.
 */
export function billingContactId(records: Pick<InvoiceRecords, 'contactIds' | 'contactLabels'>, labels: string[] = DEFAULT_BILLING_CONTACT_LABELS): string | undefined {
	const wanted = new Set(labels.map(sourceKey).filter(Boolean));
	const labelled = records.contactIds.filter((id) => (records.contactLabels?.get(id) ?? []).some((label) => wanted.has(sourceKey(label))));
	return firstById(labelled.length ? labelled : records.contactIds);
}

function sortOrderOf(record: HubSpotObject): number {
	const order = Number(nonBlankText(record.properties.hs_sort_order) ?? Number.NaN);
	return Number.isFinite(order) ? order : Number.POSITIVE_INFINITY;
}

/** Invoice-level discounts, then fees, each in HubSpot's sort order (then by id). */
function adjustmentsOf(records: InvoiceRecords, problems: string[]) {
	const adjustments: Array<{ kind: 'discount' | 'fee'; hubspotId: string; name: string; amount: string | null; percentage: string | null }> = [];
	for (const [kind, ids, known] of [
		['discount', records.discountIds ?? [], records.discounts],
		['fee', records.feeIds ?? [], records.fees],
	] as const) {
		const missing = ids.filter((id) => !known?.has(id));
		if (missing.length) problems.push(`${kind}${missing.length > 1 ? 's' : ''} ${missing.join(', ')} could not be read (deleted?)`);
		const found = ids.map((id) => known?.get(id)).filter((record): record is HubSpotObject => !!record);
		found.sort((left, right) => sortOrderOf(left) - sortOrderOf(right) || compareIds(left.id, right.id));
		for (const record of found) {
			const type = nonBlankText(record.properties.hs_type)?.trim().toUpperCase();
			const value = nonBlankText(record.properties.hs_value)?.trim() ?? null;
			if (type !== 'PERCENT' && type !== 'FIXED') {
				problems.push(`${kind} ${record.id} has type ${type ? `"${type}"` : '(none)'}, not PERCENT or FIXED`);
				continue;
			}
			if (value === null) problems.push(`${kind} ${record.id} has no value`);
			adjustments.push({
				kind,
				hubspotId: record.id,
				name: nonBlankText(record.properties.hs_label) ?? '',
				amount: type === 'FIXED' ? value : null,
				percentage: type === 'PERCENT' ? value : null,
			});
		}
	}
	return adjustments;
}

/** HubSpot's invoice-level figures, or null when the invoice carries none of them. */
function totalsOf(p: Record<string, string | null>) {
	const totals = {
		subtotal: nonBlankText(p.hs_subtotal),
		discountTotal: nonBlankText(p.hs_discounts_total),
		feeTotal: nonBlankText(p.hs_fees_total),
		taxTotal: nonBlankText(p.hs_taxes_total),
		total: nonBlankText(p.hs_amount_billed),
	};
	return Object.values(totals).some((value) => value !== null) ? totals : null;
}

function addressOf(record: HubSpotObject | undefined) {
	if (!record) return null;
	const p = record.properties;
	const address = {
		line1: nonBlankText(p.address),
		city: nonBlankText(p.city),
		state: nonBlankText(p.state),
		postalCode: nonBlankText(p.zip),
		country: nonBlankText(p.country),
	};
	return Object.values(address).some((value) => value !== null) ? address : null;
}

function lineOf(lineItem: HubSpotObject) {
	const p = lineItem.properties;
	const discountAmount = nonBlankText(p.discount);
	const discountPercentage = nonBlankText(p.hs_discount_percentage);
	return {
		hubspotLineItemId: lineItem.id,
		sku: nonBlankText(p.hs_sku),
		name: p.name ?? '',
		description: nonBlankText(p.description),
		quantity: nonBlankText(p.quantity),
		unitPrice: nonBlankText(p.price),
		amount: nonBlankText(p.amount),
		discount: discountAmount === null && discountPercentage === null ? null : { amount: discountAmount, percentage: discountPercentage },
		taxRateId: nonBlankText(p.hs_tax_rate_group_id),
		taxLabel: nonBlankText(p.hs_tax_label),
	};
}

/** The link to the invoice record in HubSpot's UI. */
export function invoiceUrl(portal: MappingContext['portal'], invoiceId: string): string | null {
	if (!portal?.portalId) return null;
	const domain = portal.uiDomain || 'app.hubspot.com';
	return `https://${domain}/contacts/${portal.portalId}/record/0-53/${invoiceId}`;
}

/** The invoice's associated records that mapping uses, and which of them could not be read. */
interface AssociatedRecords {
	missingLineItemIds: string[];
	lineItems: HubSpotObject[];
	contactId?: string;
	contact?: HubSpotObject;
	companyId?: string;
	company?: HubSpotObject;
}

/** Picks the billing contact, the company and the lines; records what is missing in `problems`. */
function associatedRecordsOf(records: InvoiceRecords, context: MappingContext, problems: string[]): AssociatedRecords {
	const missingLineItemIds = records.lineItemIds.filter((id) => !records.lineItems.has(id));
	if (missingLineItemIds.length) {
		problems.push(`line item${missingLineItemIds.length > 1 ? 's' : ''} ${missingLineItemIds.join(', ')} could not be read (deleted?)`);
	}
	const contactId = billingContactId(records, context.billingContactLabels);
	const contact = contactId ? records.contacts.get(contactId) : undefined;
	if (!contactId) problems.push('no contact is associated with the invoice');
	else if (!contact) problems.push(`contact ${contactId} could not be read (deleted?)`);
	const companyId = firstById(records.companyIds);
	const company = companyId ? records.companies.get(companyId) : undefined;
	if (companyId && !company) problems.push(`company ${companyId} could not be read (deleted?)`);
	const lineItems = sortLineItems(records.lineItemIds.map((id) => records.lineItems.get(id)).filter((item): item is HubSpotObject => !!item));
	return { missingLineItemIds, lineItems, contactId, contact, companyId, company };
}

/** Reads a date property as the calendar day the HubSpot user sees; problems go to `problems`. */
function calendarDayReader(p: Record<string, string | null>, timeZone: string | undefined, problems: string[]) {
	return (property: string): string | null => {
		const value = nonBlankText(p[property])?.trim() ?? null;
		if (value === null) return null;
		if (!timeZone && dependsOnTimeZone(value)) {
			problems.push(`${property} ${value} is a time of day, and neither the invoice nor the HubSpot account gives a time zone to read its day in`);
			return value;
		}
		// An unreadable value is kept as it is: the checks before any write report it (INVALID_DATE).
		return toQuickBooksDate(value, timeZone) ?? value;
	};
}

/** The invoice as read, before validation. Field order matters: it is the order problems are reported in. */
function unvalidatedInvoiceOf(records: InvoiceRecords, context: MappingContext, associated: AssociatedRecords, problems: string[]) {
	const { invoice } = records;
	const { portal } = context;
	const { contact, contactId, company, companyId } = associated;
	const p = invoice.properties;
	// The day the HubSpot user sees: the invoice's own time zone, else the account's.
	const dayOf = calendarDayReader(p, firstTimeZone(p.hs_timezone, portal?.timeZone), problems);
	return {
		source: {
			system: 'hubspot' as const,
			id: invoice.id,
			createdBy: nonBlankText(p.hs_invoice_source),
			url: invoiceUrl(portal, invoice.id),
			lastModifiedAt: nonBlankText(p.hs_lastmodifieddate) ?? invoice.updatedAt ?? null,
			quickbooksInvoiceId: nonBlankText(p.qbo_invoice_id),
			syncedHash: nonBlankText(p.qbo_sync_hash),
		},
		number: nonBlankText(p.hs_number) ?? invoice.id,
		status: nonBlankText(p.hs_invoice_status)?.toLowerCase() ?? null,
		currency: nonBlankText(p.hs_currency)?.toUpperCase() ?? null,
		issueDate: dayOf('hs_invoice_date'),
		dueDate: dayOf('hs_due_date'),
		customer: {
			email: nonBlankText(contact?.properties.email)?.trim() ?? null,
			firstName: nonBlankText(contact?.properties.firstname),
			lastName: nonBlankText(contact?.properties.lastname),
			companyName: nonBlankText(company?.properties.name) ?? nonBlankText(contact?.properties.company),
			hubspotContactId: contact ? contact.id : (contactId ?? null),
			hubspotCompanyId: companyId ?? null,
			address: addressOf(contact) ?? addressOf(company),
		},
		lines: associated.lineItems.map(lineOf),
		totals: totalsOf(p),
		adjustments: adjustmentsOf(records, problems),
		contentHash: null as string | null,
	};
}

/** INVOICE_INCOMPLETE for an invoice with `problems`, naming the records that could not be read. */
function incompleteInvoiceError(invoiceId: string, number: string, problems: string[], associated: AssociatedRecords): SyncError {
	const { missingLineItemIds, contactId, contact, companyId, company } = associated;
	return new SyncError(
		'INVOICE_INCOMPLETE',
		{ invoice: number, detail: problems.join('; ') },
		{
			hubspotInvoiceId: invoiceId,
			problems,
			missingLineItemIds,
			...(contactId ? {} : { missingContact: true }),
			...(contactId && !contact ? { missingContactId: contactId } : {}),
			...(companyId && !company ? { missingCompanyId: companyId } : {}),
		},
	);
}

/**
 * Maps one invoice. Missing associated records (a deleted line item, no contact) make it
 * INVOICE_INCOMPLETE; it is still returned with every field that could be read. A contact without
 * an email is complete here (Customer Resolve reports CUSTOMER_EMAIL_MISSING).
 */
export function mapInvoice(records: InvoiceRecords, context: MappingContext = {}): MappedInvoice {
	const problems: string[] = [];
	const associated = associatedRecordsOf(records, context, problems);
	const raw = unvalidatedInvoiceOf(records, context, associated, problems);
	const parsed = canonicalInvoiceSchema.safeParse(raw);
	if (!parsed.success) {
		for (const issue of parsed.error.issues.slice(0, 3)) {
			const field = describePath(issue.path as Array<string | number>, raw);
			problems.push(`${field} is ${issue.message.toLowerCase().includes('required') ? 'missing' : `invalid (${issue.message})`}`);
		}
	}
	const canonical = parsed.success ? parsed.data : undefined;
	if (canonical && problems.length === 0) canonical.contentHash = invoiceContentHash(canonical);

	if (problems.length === 0 && canonical) return { invoice: canonical, valid: true };
	const error = incompleteInvoiceError(records.invoice.id, raw.number, problems, associated);
	return { invoice: canonical ?? raw, error: error.toJSON(), valid: !!canonical };
}

const TOTAL_PROPERTIES: Record<string, string> = {
	subtotal: 'hs_subtotal',
	discountTotal: 'hs_discounts_total',
	feeTotal: 'hs_fees_total',
	taxTotal: 'hs_taxes_total',
	total: 'hs_amount_billed',
};

function describePath(
	path: Array<string | number>,
	raw: { lines: Array<{ hubspotLineItemId: string; sku: string | null }>; adjustments: Array<{ kind: string; hubspotId: string }> },
): string {
	if (path[0] === 'lines' && typeof path[1] === 'number') {
		const line = raw.lines[path[1]];
		const field = { unitPrice: 'price', quantity: 'quantity' }[String(path[2])] ?? String(path[2] ?? '');
		return `line item ${line?.hubspotLineItemId ?? path[1]}${line?.sku ? ` (SKU ${line.sku})` : ''} ${field}`.trim();
	}
	if (path[0] === 'adjustments' && typeof path[1] === 'number') {
		const adjustment = raw.adjustments[path[1]];
		return `${adjustment?.kind ?? 'adjustment'} ${adjustment?.hubspotId ?? path[1]} value (hs_value)`;
	}
	if (path[0] === 'totals' && typeof path[1] === 'string' && TOTAL_PROPERTIES[path[1]]) return TOTAL_PROPERTIES[path[1]];
	const names: Record<string, string> = { currency: 'currency (hs_currency)', status: 'status (hs_invoice_status)', number: 'number (hs_number)' };
	return names[String(path[0])] ?? path.join('.');
}
