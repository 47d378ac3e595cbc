/**
 * The fewest requests the two APIs' paging and batch sizes allow for a data set, and the time
 * their rate limits alone would impose on a number of requests. Pure functions: the benchmark
 * feeds them the data set's facts and the sandbox's request log.
 *
 * HubSpot lower bound (N invoices the sync must emit, L their line items, Ct / Co their distinct
 * contacts / companies):
 *   ceil(N/200) searches                       (search pages hold at most 200 results)
 *   + 3 × ceil(N/1000) association reads        (v4 batch read: 1,000 ids, one call per type:
 *                                                contacts, companies, line items)
 *   + ceil(L/100) + ceil(Ct/100) + ceil(Co/100) (batch reads of 100 ids)
 *
 * QuickBooks lower bound:
 *   ceil(Q/30)         one /batch of up to 30 queries per 30 lookup queries, where
 *                      Q = ceil(E/100) + ceil(S/100) + ceil(T/100) + ceil(D/100): IN lists of 100
 *                      values for the E distinct customer emails, S distinct SKUs, T distinct
 *                      QuickBooks tax codes the lines map to, and D DocNumbers of the invoices
 *                      that must be checked before writing (created, updated, voided, unchanged)
 *   + ceil(C/30)       customer creates in /batch of 30 (C = distinct emails with no customer of
 *                      exactly that email, among invoices that end up created or updated)
 *   + ceil(W/30)       invoice writes in /batch of 30 (W = invoices created, updated or voided)
 *   + 2                CompanyInfo and Preferences (tax model, currency, closing date)
 * Creates cannot share a /batch with the invoices that reference them (items in one batch cannot
 * see each other's results), and both need the lookups first, hence three rounds.
 */
import type { Dataset } from '../../sandbox';

export const HUBSPOT_SEARCH_PAGE = 200;
export const HUBSPOT_ASSOCIATION_BATCH = 1000;
export const HUBSPOT_BATCH_READ = 100;
export const HUBSPOT_ASSOCIATION_TYPES = 3;
export const QUICKBOOKS_BATCH = 30;
export const QUICKBOOKS_IN_VALUES = 100;
export const QUICKBOOKS_COMPANY_READS = 2;

/** What the lower bounds depend on, counted from a data set (see datasetFacts). */
export interface DatasetFacts {
	/** Invoices the sync must emit (in the status filter, created in HubSpot). */
	invoices: number;
	/** Line items of those invoices. */
	lineItems: number;
	contacts: number;
	companies: number;
	/** Distinct non-empty contact emails (exact). */
	emails: number;
	/** Distinct non-empty SKUs on their lines (exact). */
	skus: number;
	/** Distinct QuickBooks tax codes their lines map to. */
	taxCodes: number;
	/** Invoices whose DocNumber must be looked up: outcome created, updated, voided or unchanged. */
	lookupInvoices: number;
	/** Customers to create: distinct emails with no QuickBooks customer of exactly that email, on invoices created or updated. */
	customersToCreate: number;
	/** Invoices written: created + updated + voided. */
	invoiceWrites: number;
	/** Expected outcomes, for the report. */
	outcomes: Record<string, number>;
}

const ceilDiv = (count: number, size: number) => (count <= 0 ? 0 : Math.ceil(count / size));

export interface BoundPart {
	name: string;
	requests: number;
	/** How the part is counted, for the report. */
	formula: string;
}

export interface LowerBound {
	total: number;
	parts: BoundPart[];
}

export function hubspotLowerBound(f: DatasetFacts): LowerBound {
	const parts: BoundPart[] = [
		{ name: 'invoice searches', requests: ceilDiv(f.invoices, HUBSPOT_SEARCH_PAGE), formula: `ceil(${f.invoices}/${HUBSPOT_SEARCH_PAGE})` },
		{
			name: 'association reads (contacts, companies, line items)',
			requests: f.invoices > 0 ? HUBSPOT_ASSOCIATION_TYPES * ceilDiv(f.invoices, HUBSPOT_ASSOCIATION_BATCH) : 0,
			formula: `${HUBSPOT_ASSOCIATION_TYPES}×ceil(${f.invoices}/${HUBSPOT_ASSOCIATION_BATCH})`,
		},
		{ name: 'line item batch reads', requests: ceilDiv(f.lineItems, HUBSPOT_BATCH_READ), formula: `ceil(${f.lineItems}/${HUBSPOT_BATCH_READ})` },
		{ name: 'contact batch reads', requests: ceilDiv(f.contacts, HUBSPOT_BATCH_READ), formula: `ceil(${f.contacts}/${HUBSPOT_BATCH_READ})` },
		{ name: 'company batch reads', requests: ceilDiv(f.companies, HUBSPOT_BATCH_READ), formula: `ceil(${f.companies}/${HUBSPOT_BATCH_READ})` },
	];
	return { total: parts.reduce((sum, part) => sum + part.requests, 0), parts };
}

/** Lookup queries: one IN list of up to 100 values per chunk of each kind. */
export function quickbooksLookupQueries(f: DatasetFacts): number {
	return (
		ceilDiv(f.emails, QUICKBOOKS_IN_VALUES) +
		ceilDiv(f.skus, QUICKBOOKS_IN_VALUES) +
		ceilDiv(f.taxCodes, QUICKBOOKS_IN_VALUES) +
		ceilDiv(f.lookupInvoices, QUICKBOOKS_IN_VALUES)
	);
}

export function quickbooksLowerBound(f: DatasetFacts): LowerBound {
	const queries = quickbooksLookupQueries(f);
	const parts: BoundPart[] = [
		{
			name: 'lookups (/batch of queries)',
			requests: ceilDiv(queries, QUICKBOOKS_BATCH),
			formula:
				`ceil(${queries}/${QUICKBOOKS_BATCH}); queries = ceil(${f.emails} emails/100) + ceil(${f.skus} SKUs/100)` +
				` + ceil(${f.taxCodes} tax codes/100) + ceil(${f.lookupInvoices} DocNumbers/100)`,
		},
		{ name: 'customer creates (/batch)', requests: ceilDiv(f.customersToCreate, QUICKBOOKS_BATCH), formula: `ceil(${f.customersToCreate}/${QUICKBOOKS_BATCH})` },
		{ name: 'invoice writes (/batch)', requests: ceilDiv(f.invoiceWrites, QUICKBOOKS_BATCH), formula: `ceil(${f.invoiceWrites}/${QUICKBOOKS_BATCH})` },
		{ name: 'CompanyInfo + Preferences', requests: f.invoices > 0 ? QUICKBOOKS_COMPANY_READS : 0, formula: `${QUICKBOOKS_COMPANY_READS}` },
	];
	return { total: parts.reduce((sum, part) => sum + part.requests, 0), parts };
}

/** What the QuickBooks → HubSpot lower bounds depend on (see reverseLowerBound). */
export interface ReverseFacts {
	/** Invoices the QuickBooks Trigger emitted. */
	invoices: number;
	/** Invoices created in HubSpot, and their line items. */
	invoicesCreated: number;
	lineItemsCreated: number;
	/** Distinct customer emails (HubSpot contacts to find), and contacts created. */
	emails: number;
	contactsToCreate: number;
	/** Distinct company names to find in HubSpot, and companies created (each associated with its new contact). */
	companies: number;
	companiesToCreate: number;
	/** Distinct SKUs on the lines (HubSpot products to find). */
	skus: number;
	/** Whether any line carries tax (HubSpot's tax rates are read). */
	taxed: boolean;
	/** Executions the measured run took (for the report; the bound uses the fewest possible). */
	executions: number;
}

/** QuickBooks CDC answers at most 1,000 objects; HubSpot search IN filters and batch writes take 100. */
export const QUICKBOOKS_CDC_OBJECTS = 1000;
export const HUBSPOT_IN_VALUES = 100;
export const HUBSPOT_BATCH_WRITE = 100;

/**
 * The fewest requests the APIs allow for the QuickBooks → HubSpot sync of `f.invoices` new invoices.
 *
 * QuickBooks: floor(N/1000) + 1 reads of the changes (N > 0) + ceil(Q/30) /batch calls of the
 * reference queries, Q = ceil(E/100) customers + ceil(S/100) items (IN lists of 100). A CDC answer
 * (like a query page) holds at most 1,000 objects, and one holding exactly 1,000 cannot tell
 * whether more changed: a read must follow it, so 1,000 invoices take 2 reads, 999 take 1.
 *
 * HubSpot: per execution (at least ceil(N/1000), one per CDC answer) the invoice property check
 * and the account's time zone; ceil(E/100) contact searches (IN on email) + ceil(Cc/100) contact
 * creates; ceil(Co/100) company searches (IN on name) + ceil(CoC/100) company creates + ceil(Cc/100)
 * contact–company associations (v4 batch, 100 pairs); ceil(S/100) product searches (IN on hs_sku); one tax-rate list if any line is taxed;
 * ceil(N/100) searches for invoices already linked (IN on qbo_invoice_id); ceil(W/100) invoice
 * creates (drafts: HubSpot creates no other status, associations to contact and company inline);
 * ceil(L/100) line item creates (associated inline; they need the invoice's id, so a second
 * round); ceil(W/100) updates to the status (a draft opens only once its line items exist, so a
 * third round). Reading the written invoices back is not forced by the APIs and is not counted.
 */
export function reverseLowerBound(f: ReverseFacts): { quickbooks: LowerBound; hubspot: LowerBound } {
	const executions = ceilDiv(f.invoices, QUICKBOOKS_CDC_OBJECTS);
	const changeReads = f.invoices > 0 ? Math.floor(f.invoices / QUICKBOOKS_CDC_OBJECTS) + 1 : 0;
	const queries = ceilDiv(f.emails, QUICKBOOKS_IN_VALUES) + ceilDiv(f.skus, QUICKBOOKS_IN_VALUES);
	const quickbooks: BoundPart[] = [
		{
			name: 'change reads (CDC or query pages, 1,000 objects an answer; a full one needs one more)',
			requests: changeReads,
			formula: f.invoices > 0 ? `floor(${f.invoices}/${QUICKBOOKS_CDC_OBJECTS}) + 1` : '0',
		},
		{ name: 'customers and items (/batch of queries)', requests: ceilDiv(queries, QUICKBOOKS_BATCH), formula: `ceil((ceil(${f.emails}/100) + ceil(${f.skus}/100))/${QUICKBOOKS_BATCH})` },
	];
	const hubspot: BoundPart[] = [
		{ name: 'property check + account time zone', requests: 2 * executions, formula: `2×${executions}` },
		{ name: 'contact searches', requests: ceilDiv(f.emails, HUBSPOT_IN_VALUES), formula: `ceil(${f.emails}/${HUBSPOT_IN_VALUES})` },
		{ name: 'contact creates', requests: ceilDiv(f.contactsToCreate, HUBSPOT_BATCH_WRITE), formula: `ceil(${f.contactsToCreate}/${HUBSPOT_BATCH_WRITE})` },
		{ name: 'company searches', requests: ceilDiv(f.companies, HUBSPOT_IN_VALUES), formula: `ceil(${f.companies}/${HUBSPOT_IN_VALUES})` },
		{ name: 'company creates', requests: ceilDiv(f.companiesToCreate, HUBSPOT_BATCH_WRITE), formula: `ceil(${f.companiesToCreate}/${HUBSPOT_BATCH_WRITE})` },
		{ name: 'contact–company associations', requests: ceilDiv(f.contactsToCreate, HUBSPOT_BATCH_WRITE), formula: `ceil(${f.contactsToCreate}/${HUBSPOT_BATCH_WRITE})` },
		{ name: 'product searches', requests: ceilDiv(f.skus, HUBSPOT_IN_VALUES), formula: `ceil(${f.skus}/${HUBSPOT_IN_VALUES})` },
		{ name: 'tax rates', requests: f.taxed ? 1 : 0, formula: f.taxed ? '1' : '0' },
		{ name: 'linked invoice searches', requests: ceilDiv(f.invoices, HUBSPOT_IN_VALUES), formula: `ceil(${f.invoices}/${HUBSPOT_IN_VALUES})` },
		{ name: 'invoice creates (drafts)', requests: ceilDiv(f.invoicesCreated, HUBSPOT_BATCH_WRITE), formula: `ceil(${f.invoicesCreated}/${HUBSPOT_BATCH_WRITE})` },
		{ name: 'line item creates', requests: ceilDiv(f.lineItemsCreated, HUBSPOT_BATCH_WRITE), formula: `ceil(${f.lineItemsCreated}/${HUBSPOT_BATCH_WRITE})` },
		{ name: 'status updates (open)', requests: ceilDiv(f.invoicesCreated, HUBSPOT_BATCH_WRITE), formula: `ceil(${f.invoicesCreated}/${HUBSPOT_BATCH_WRITE})` },
	];
	const total = (parts: BoundPart[]) => ({ total: parts.reduce((sum, part) => sum + part.requests, 0), parts });
	return { quickbooks: total(quickbooks), hubspot: total(hubspot) };
}

/** Sliding-window limits: at most `limit` requests in any `windowSeconds`. */
export interface RateLimit {
	name: string;
	limit: number;
	windowSeconds: number;
}

export const QUICKBOOKS_LIMITS = {
	all: { name: 'QuickBooks 500 requests/min per company', limit: 500, windowSeconds: 60 },
	batch: { name: 'QuickBooks 40 /batch requests/min per company', limit: 40, windowSeconds: 60 },
} satisfies Record<string, RateLimit>;

export const HUBSPOT_LIMITS = {
	standard: { name: 'HubSpot 100 requests/10 s per app (searches and v4 association reads exempt)', limit: 100, windowSeconds: 10 },
	search: { name: 'HubSpot 4 searches/s', limit: 4, windowSeconds: 1 },
} satisfies Record<string, RateLimit>;

/**
 * The earliest moment the last of `requests` requests may start under one sliding-window limit,
 * if requests took no time: the first `limit` go at once, the next `limit` one window later, …
 */
export function windowSeconds(requests: number, limit: RateLimit): number {
	if (requests <= limit.limit) return 0;
	return Math.floor((requests - 1) / limit.limit) * limit.windowSeconds;
}

export interface RequestClassCounts {
	quickbooksAll: number;
	quickbooksBatch: number;
	/** HubSpot requests under the ten-secondly limit (not searches, not v4 association batch reads). */
	hubspotStandard: number;
	hubspotSearch: number;
}

export interface LimitBound {
	quickbooksSeconds: number;
	hubspotSeconds: number;
	/** QuickBooks + HubSpot: in the pipeline all HubSpot reads of a poll precede its QuickBooks calls. */
	totalSeconds: number;
	binding: { quickbooks: string; hubspot: string };
}

export function limitBound(counts: RequestClassCounts): LimitBound {
	const qboAll = windowSeconds(counts.quickbooksAll, QUICKBOOKS_LIMITS.all);
	const qboBatch = windowSeconds(counts.quickbooksBatch, QUICKBOOKS_LIMITS.batch);
	const hsStandard = windowSeconds(counts.hubspotStandard, HUBSPOT_LIMITS.standard);
	const hsSearch = windowSeconds(counts.hubspotSearch, HUBSPOT_LIMITS.search);
	const quickbooksSeconds = Math.max(qboAll, qboBatch);
	const hubspotSeconds = Math.max(hsStandard, hsSearch);
	return {
		quickbooksSeconds,
		hubspotSeconds,
		totalSeconds: quickbooksSeconds + hubspotSeconds,
		binding: {
			quickbooks: quickbooksSeconds === 0 ? 'none' : qboBatch >= qboAll ? QUICKBOOKS_LIMITS.batch.name : QUICKBOOKS_LIMITS.all.name,
			hubspot: hubspotSeconds === 0 ? 'none' : hsSearch >= hsStandard ? HUBSPOT_LIMITS.search.name : HUBSPOT_LIMITS.standard.name,
		},
	};
}

/** Which limit class a logged request falls under (as the sandbox and the real APIs count them). */
export function classifyEndpoint(api: string, endpoint: string): 'quickbooksApi' | 'quickbooksBatch' | 'quickbooksAuth' | 'hubspotSearch' | 'hubspotExempt' | 'hubspotStandard' | 'other' {
	if (api === 'quickbooks') {
		if (!endpoint.includes('/v3/company/')) return 'quickbooksAuth';
		return / \/v3\/company\/:realmId\/batch$/.test(endpoint) ? 'quickbooksBatch' : 'quickbooksApi';
	}
	if (api === 'hubspot') {
		if (/\/oauth\//.test(endpoint)) return 'other';
		if (/^POST \/crm\/v3\/objects\/[^/]+\/search$/.test(endpoint)) return 'hubspotSearch';
		if (/^POST \/crm\/v4\/associations\/[^/]+\/[^/]+\/batch\/read$/.test(endpoint)) return 'hubspotExempt';
		return 'hubspotStandard';
	}
	return 'other';
}

// ---------------------------------------------------------------------------------------------
// Facts from a sandbox data set.

type Props = Record<string, string | null | undefined>;

/**
 * Counts the lower bounds' inputs from a data set: which invoices are in scope comes from the
 * data set's expectations (every outcome but "not-emitted"), what they refer to from the HubSpot
 * seed's associations, and which customers exist from the QuickBooks seed of the expectations'
 * company. `onlyInvoiceIds` restricts the count to a sample.
 */
export function datasetFacts(dataset: Dataset, onlyInvoiceIds?: Iterable<string>): DatasetFacts {
	const only = onlyInvoiceIds ? new Set(onlyInvoiceIds) : undefined;
	const inScope = Object.entries(dataset.expectations).filter(([id, expectation]) => expectation.outcome !== 'not-emitted' && (!only || only.has(id)));
	const scope = new Set(inScope.map(([id]) => id));

	const linked = new Map<string, { contacts: string[]; companies: string[]; lineItems: string[] }>();
	for (const association of dataset.hubspot.associations) {
		if (association.fromType !== 'invoices' || !scope.has(association.fromId)) continue;
		let entry = linked.get(association.fromId);
		if (!entry) linked.set(association.fromId, (entry = { contacts: [], companies: [], lineItems: [] }));
		if (association.toType === 'contacts') entry.contacts.push(association.toId);
		else if (association.toType === 'companies') entry.companies.push(association.toId);
		else if (association.toType === 'line_items') entry.lineItems.push(association.toId);
	}
	const contactsById = new Map(dataset.hubspot.contacts.map((contact) => [contact.id, contact.properties as Props]));
	const lineItemsById = new Map(dataset.hubspot.lineItems.map((lineItem) => [lineItem.id, lineItem.properties as Props]));
	const taxCodeByRate = new Map(dataset.taxMapping.map((entry) => [entry.hubspotTaxRateId, entry.qboTaxCodeId]));
	const company = dataset.quickbooks.find((seed) => seed.realmId === dataset.realmId) ?? dataset.quickbooks[0];
	const existingEmails = new Set<string>();
	for (const customer of (company?.entities.Customer ?? []) as Array<{ PrimaryEmailAddr?: { Address?: string } }>) {
		const address = customer.PrimaryEmailAddr?.Address;
		if (address) existingEmails.add(address);
	}

	const contacts = new Set<string>();
	const companies = new Set<string>();
	const emails = new Set<string>();
	const skus = new Set<string>();
	const taxCodes = new Set<string>();
	const toCreate = new Set<string>();
	const outcomes: Record<string, number> = {};
	let lineItems = 0;
	let lookupInvoices = 0;
	let invoiceWrites = 0;
	for (const [id, expectation] of inScope) {
		const key = expectation.code ? `${expectation.outcome}:${expectation.code}` : expectation.outcome;
		outcomes[key] = (outcomes[key] ?? 0) + 1;
		const entry = linked.get(id) ?? { contacts: [], companies: [], lineItems: [] };
		lineItems += new Set(entry.lineItems).size;
		for (const contactId of entry.contacts) contacts.add(contactId);
		for (const companyId of entry.companies) companies.add(companyId);
		const contactEmails = entry.contacts.map((contactId) => contactsById.get(contactId)?.email).filter((email): email is string => Boolean(email && email.trim()));
		for (const email of contactEmails) emails.add(email.trim());
		for (const lineItemId of new Set(entry.lineItems)) {
			const properties = lineItemsById.get(lineItemId);
			if (properties?.hs_sku) skus.add(properties.hs_sku);
			const code = properties?.hs_tax_rate_group_id ? taxCodeByRate.get(properties.hs_tax_rate_group_id) : undefined;
			if (code) taxCodes.add(code);
		}
		const outcome = expectation.outcome;
		if (outcome === 'created' || outcome === 'updated' || outcome === 'voided' || outcome === 'unchanged') lookupInvoices++;
		if (outcome === 'created' || outcome === 'updated' || outcome === 'voided') invoiceWrites++;
		if ((outcome === 'created' || outcome === 'updated') && contactEmails[0] && !existingEmails.has(contactEmails[0].trim())) toCreate.add(contactEmails[0].trim());
	}
	return {
		invoices: inScope.length,
		lineItems,
		contacts: contacts.size,
		companies: companies.size,
		emails: emails.size,
		skus: skus.size,
		taxCodes: taxCodes.size,
		lookupInvoices,
		customersToCreate: toCreate.size,
		invoiceWrites,
		outcomes,
	};
}
