/**
 * The demo data set: a US QuickBooks company and a HubSpot portal with clean invoices plus one
 * invoice for every failure docs/BEHAVIOUR.md describes, each with the outcome the sync must produce.
 * A Canadian company (GST/HST) with the same items is included for tax tests.
 */
import type { HubSpotObject, AssociationRecord } from '../hubspot/types';
import {
	DEMO_TAX_RATES,
	addDays,
	addMinutes,
	hubspotObject,
	invoice,
	lineItem,
	link,
	type LineSpec,
} from './hubspotBuilders';
import {
	CA_REALM_ID,
	US_REALM_ID,
	companySeed,
	qboCustomer,
	qboItem,
	qboUsInvoice,
	type CustomerSpec,
	type ItemSpec,
} from './qboBuilders';
import type { Dataset, Expectation, TaxMapping } from './types';

export const DEFAULT_NOW = '2026-10-01T00:00:00.000Z';

/** Tax Map table of the demo template (US realm). 1003 "NY Sales Tax" is deliberately unmapped. */
export const DEMO_TAX_MAPPING: TaxMapping[] = [
	{ hubspotTaxRateId: '1001', qboTaxCodeId: '3' },
	{ hubspotTaxRateId: '1002', qboTaxCodeId: 'NON' },
];

/** The same HubSpot rates mapped onto the Canadian company's GST/HST codes. */
export const DEMO_CA_TAX_MAPPING: TaxMapping[] = [
	{ hubspotTaxRateId: '1001', qboTaxCodeId: '5' },
	{ hubspotTaxRateId: '1002', qboTaxCodeId: '6' },
	{ hubspotTaxRateId: '1003', qboTaxCodeId: '7' },
];

/** QuickBooks items; PROD-014 is inactive. HubSpot products reuse these SKUs. */
export const DEMO_ITEMS: ItemSpec[] = [
	{ id: '1', sku: 'PROD-001', name: 'Widget Standard', priceCents: 2500 },
	{ id: '2', sku: 'PROD-002', name: 'Widget Pro', priceCents: 4900 },
	{ id: '3', sku: 'PROD-003', name: 'Mounting Bracket', priceCents: 750 },
	{ id: '4', sku: 'PROD-004', name: 'Power Adapter', priceCents: 1999 },
	{ id: '5', sku: 'PROD-005', name: 'Sensor Module', priceCents: 12500 },
	{ id: '6', sku: 'PROD-006', name: 'Control Hub', priceCents: 34900 },
	{ id: '7', sku: 'PROD-007', name: 'Cable Kit', priceCents: 1225 },
	{ id: '8', sku: 'PROD-008', name: 'Installation Service (hour)', priceCents: 8000 },
	{ id: '9', sku: 'PROD-009', name: 'Annual Support Plan', priceCents: 120000 },
	{ id: '10', sku: 'PROD-010', name: 'Calibration Service', priceCents: 15000 },
	{ id: '11', sku: 'PROD-011', name: 'Replacement Filter', priceCents: 875 },
	{ id: '12', sku: 'PROD-012', name: 'Display Panel', priceCents: 22000 },
	{ id: '13', sku: 'PROD-013', name: 'Battery Pack', priceCents: 3995 },
	{ id: '14', sku: 'PROD-014', name: 'Legacy Gateway', priceCents: 9900, active: false, description: 'Discontinued; made inactive in QuickBooks' },
	{ id: '15', sku: 'PROD-015', name: 'Training Session', priceCents: 25000 },
	{ id: '16', sku: 'FEE-HANDLING', name: 'Handling Fee', priceCents: 0, description: 'Invoice-level fees from HubSpot (the upsert\'s Fee Item)' },
];

/** The QuickBooks item the demo template books HubSpot's invoice-level fees on. */
export const DEMO_FEE_ITEM_ID = '16';

/** The HubSpot account's time zone in the demo (what account info reports). */
export const DEMO_PORTAL_TIME_ZONE = 'America/Los_Angeles';

/** HubSpot-only products whose SKUs QuickBooks lacks (or has in another case). */
const HUBSPOT_ONLY_PRODUCTS = [
	{ sku: 'prod-001', name: 'Widget Standard (old SKU)', priceCents: 2500 },
	{ sku: 'PROD-404', name: 'Holo Projector', priceCents: 45000 },
	{ sku: 'PROD-999', name: 'Quantum Widget', priceCents: 9999 },
];

interface Person {
	key: string;
	email?: string;
	firstname: string;
	lastname: string;
	company?: string;
	city?: string;
	state?: string;
}

/** HubSpot contacts. `qbo` marks those that already exist as QuickBooks customers. */
const PEOPLE: (Person & { qbo?: Omit<CustomerSpec, 'email'> & { email?: string } })[] = [
	{ key: 'acme', email: 'ap@acme.example', firstname: 'Wile', lastname: 'Coyote', company: 'Acme Corporation', city: 'Phoenix', state: 'AZ', qbo: { id: '1', displayName: 'Acme Corporation', companyName: 'Acme Corporation', givenName: 'Wile', familyName: 'Coyote' } },
	{ key: 'globex', email: 'billing@globex.example', firstname: 'Hank', lastname: 'Scorpio', company: 'Globex Industries', city: 'Cypress Creek', state: 'OR', qbo: { id: '2', displayName: 'Globex Industries', companyName: 'Globex Industries', givenName: 'Hank', familyName: 'Scorpio' } },
	{ key: 'initech', email: 'accounts@initech.example', firstname: 'Bill', lastname: 'Lumbergh', company: 'Initech LLC', city: 'Austin', state: 'TX', qbo: { id: '3', displayName: 'Initech LLC', companyName: 'Initech LLC', givenName: 'Bill', familyName: 'Lumbergh' } },
	{ key: 'stark', email: 'payables@starklogistics.example', firstname: 'Pepper', lastname: 'Potts', company: 'Stark Logistics', city: 'Long Beach', state: 'CA', qbo: { id: '6', displayName: 'Stark Logistics', companyName: 'Stark Logistics', givenName: 'Pepper', familyName: 'Potts' } },
	{ key: 'wayne', email: 'ap@wayne.example', firstname: 'Lucius', lastname: 'Fox', company: 'Wayne Enterprises', city: 'Newark', state: 'NJ', qbo: { id: '7', displayName: 'Wayne Enterprises', companyName: 'Wayne Enterprises', givenName: 'Lucius', familyName: 'Fox' } },
	{ key: 'umbrella', email: 'finance@umbrella.example', firstname: 'Alice', lastname: 'Abernathy', company: 'Umbrella Health', city: 'Raccoon City', state: 'MO', qbo: { id: '5', displayName: 'Umbrella Health', companyName: 'Umbrella Health', givenName: 'Alice', familyName: 'Abernathy', active: false } },
	{ key: 'piedpiper', email: 'richard@piedpiper.example', firstname: 'Richard', lastname: 'Hendricks', company: 'Pied Piper', city: 'Palo Alto', state: 'CA' },
	{ key: 'dunder', email: 'michael@dundermifflin.example', firstname: 'Michael', lastname: 'Scott', company: 'Dunder Mifflin Paper', city: 'Scranton', state: 'PA' },
	{ key: 'jordan', email: 'jordan.blake@mail.example', firstname: 'Jordan', lastname: 'Blake', city: 'Denver', state: 'CO' },
	{ key: 'noemail', firstname: 'Sam', lastname: 'Quill', company: 'Quill & Ink Studio', city: 'Portland', state: 'OR' },
	{ key: 'harborwest', email: 'Orders@HarborSupply.example', firstname: 'Dana', lastname: 'Whitfield', company: 'Harbor Supply West', city: 'Oakland', state: 'CA' },
	{ key: 'smith', email: 'ops@smithandsons.example', firstname: 'Pat', lastname: 'Smith', company: 'Smith & Sons #2 / R&D: West', city: 'Sacramento', state: 'CA' },
];

/** QuickBooks customers with no HubSpot contact in the demo (they make the customer list realistic). */
const QBO_ONLY_CUSTOMERS: CustomerSpec[] = [
	{ id: '4', displayName: 'Harbor Supply Co.', companyName: 'Harbor Supply Co.', email: 'orders@harborsupply.example', givenName: 'Morgan', familyName: 'Reyes' },
	{ id: '8', displayName: 'Soylent Foods', companyName: 'Soylent Foods', email: 'invoices@soylent.example', givenName: 'Sol', familyName: 'Roth' },
	{ id: '9', displayName: 'Hooli Inc.', companyName: 'Hooli Inc.', email: 'ap@hooli.example', givenName: 'Gavin', familyName: 'Belson' },
	{ id: '10', displayName: 'Vandelay Imports', companyName: 'Vandelay Imports', email: 'art@vandelay.example', givenName: 'Art', familyName: 'Vandelay' },
];

type L = [sku: string | undefined, qty: string, taxRateId: string, extra?: Partial<LineSpec>];

interface DemoInvoice {
	number: string;
	contact: string;
	status: 'draft' | 'open' | 'paid' | 'voided';
	/** Invoice date as days after the books-closed date (negative = inside the closed period). */
	day: number;
	lines: L[];
	source?: string;
	/** hs_currency (default USD). */
	currency?: string;
	/** Stored as a time of day on the next day (UTC) that is still `day` in the portal's time zone. */
	lateEvening?: boolean;
	/** Invoice-level discounts and fees (HubSpot discount/fee records associated with the invoice). */
	adjustments?: Array<{ kind: 'discounts' | 'fees'; label: string; type: 'PERCENT' | 'FIXED'; value: string }>;
	expect: Omit<Expectation, 'invoiceNumber'>;
}

const T = '1001'; // CA Sales Tax → QBO 3 (lines TAX)
const E = '1002'; // Exempt → NON
const NY = '1003'; // unmapped

const INVOICES: DemoInvoice[] = [
	{ number: 'INV-1001', contact: 'acme', status: 'open', day: 10, lines: [['PROD-001', '2', T], ['PROD-002', '1', T], ['PROD-003', '5', E]],
		expect: { outcome: 'created', note: 'Clean: 3 lines, existing QuickBooks customer matched by exact email.' } },
	{ number: 'INV-1002', contact: 'globex', status: 'paid', day: 14, lines: [['PROD-009', '1', T]],
		expect: { outcome: 'created', note: 'Clean: one line, paid, existing customer.' } },
	{ number: 'INV-1003', contact: 'piedpiper', status: 'open', day: 21,
		lines: [['PROD-005', '4', T], ['PROD-006', '1', T], ['PROD-007', '3', T], ['PROD-015', '2', E, { unitDiscountCents: 2500 }], ['PROD-008', '2.5', E]],
		expect: { outcome: 'created', note: 'Clean: 5 lines incl. a unit discount (2 × (250.00 − 25.00)) and a fractional quantity (2.5 h); new customer "Pied Piper" is created.' } },
	{ number: 'INV-1004', contact: 'dunder', status: 'open', day: 30, lines: [['PROD-008', '3', T, { discountPercent: 10 }], ['PROD-013', '2', T]],
		expect: { outcome: 'created', note: 'Clean: 2 lines, one with a 10 % discount (3 × 80.00 − 10 % = 216.00); new customer "Dunder Mifflin Paper" is created.' } },
	{ number: 'INV-1005', contact: 'jordan', status: 'paid', day: 38, lines: [['PROD-004', '1', T], ['PROD-010', '1', E], ['PROD-012', '2', T], ['PROD-001', '10', T]],
		expect: { outcome: 'created', note: 'Clean: 4 lines; contact without a company, new customer "Jordan Blake" is created.' } },
	{ number: 'INV-1006', contact: 'initech', status: 'open', day: 45, lines: [['PROD-002', '6', T], ['PROD-008', '3', E]],
		expect: { outcome: 'created', note: 'Clean: 2 lines, existing customer.' } },
	{ number: 'INV-1007', contact: 'acme', status: 'paid', day: 52, lines: [['PROD-009', '1', E]],
		expect: { outcome: 'created', note: 'Clean: tax-exempt only (1002 → NON), second invoice for the same existing customer.' } },
	{ number: 'INV-1008', contact: 'stark', status: 'open', day: 55, lines: [['prod-001', '4', T]],
		expect: { outcome: 'error', code: 'SKU_NOT_FOUND', note: 'SKU "prod-001" differs only in case from QuickBooks "PROD-001"; matching is case-sensitive.' } },
	{ number: 'INV-1009', contact: 'stark', status: 'open', day: 56, lines: [['PROD-404', '1', T]],
		expect: { outcome: 'error', code: 'SKU_NOT_FOUND', note: 'SKU "PROD-404" does not exist in QuickBooks.' } },
	{ number: 'INV-1010', contact: 'globex', status: 'open', day: 57, lines: [['PROD-001', '1', T], ['PROD-003', '2', T], ['PROD-999', '1', T], ['PROD-007', '1', T]],
		expect: { outcome: 'error', code: 'SKU_NOT_FOUND', note: '4 lines, one SKU ("PROD-999") missing in QuickBooks: the whole invoice fails.' } },
	{ number: 'INV-1011', contact: 'initech', status: 'open', day: 58, lines: [['PROD-002', '1', T], [undefined, '1', T, { name: 'Custom engraving', priceCents: 1500 }]],
		expect: { outcome: 'error', code: 'SKU_MISSING', note: 'A line ("Custom engraving") has no SKU.' } },
	{ number: 'INV-1012', contact: 'noemail', status: 'open', day: 59, lines: [['PROD-001', '2', T]],
		expect: { outcome: 'error', code: 'CUSTOMER_EMAIL_MISSING', note: 'The contact (Sam Quill) has no email address.' } },
	{ number: 'INV-1013', contact: 'harborwest', status: 'open', day: 60, lines: [['PROD-003', '8', T]],
		expect: { outcome: 'created', note: 'Email "Orders@HarborSupply.example" differs only in case from QuickBooks customer "Harbor Supply Co." (orders@harborsupply.example): QuickBooks compares emails ignoring case, so the invoice goes to that customer and no second one is created.',
			quickbooks: { customerName: 'Harbor Supply Co.' } } },
	{ number: 'INV-1014', contact: 'smith', status: 'open', day: 61, lines: [['PROD-012', '1', T]],
		expect: { outcome: 'created', note: 'Company "Smith & Sons #2 / R&D: West" has &, #, / and a colon: new customer created as "Smith & Sons #2 / R&D West" (colon removed).' } },
	{ number: 'INV-1015', contact: 'umbrella', status: 'open', day: 62, lines: [['PROD-005', '1', T]],
		expect: { outcome: 'error', code: 'CUSTOMER_INACTIVE', note: 'The email belongs to an inactive QuickBooks customer (Umbrella Health).' } },
	{ number: 'INV-1016', contact: 'stark', status: 'open', day: 63, lines: [['PROD-001', '1', T], ['PROD-014', '1', T]],
		expect: { outcome: 'error', code: 'ITEM_INACTIVE', note: 'SKU "PROD-014" is an inactive QuickBooks item (Legacy Gateway).' } },
	{ number: 'INV-1017', contact: 'wayne', status: 'open', day: 64, lines: [['PROD-006', '2', T], ['PROD-008', '4', E]],
		expect: { outcome: 'updated', note: 'DocNumber INV-1017 already exists in QuickBooks, entered by hand (no HubSpot link): the existing invoice is updated.' } },
	{ number: 'INV-1018-2026-CONTRACT-AB', contact: 'acme', status: 'open', day: 65, lines: [['PROD-001', '1', T]],
		expect: { outcome: 'error', code: 'DOC_NUMBER_TOO_LONG', note: 'Invoice number has 25 characters; QuickBooks allows 21.' } },
	{ number: 'INV-1019', contact: 'stark', status: 'open', day: 66, lines: [['PROD-002', '1', T], ['PROD-004', '1', NY]],
		expect: { outcome: 'error', code: 'TAX_CODE_NOT_FOUND', note: 'A line uses HubSpot tax rate 1003 "NY Sales Tax", which the Tax Map does not map.' } },
	{ number: 'INV-1020', contact: 'acme', status: 'open', day: -46, lines: [['PROD-001', '3', T]],
		expect: { outcome: 'error', code: 'PERIOD_CLOSED', note: 'Invoice date 2026-05-15 is on or before the books-closed date 2026-06-30.' } },
	{ number: 'INV-1021', contact: 'globex', status: 'open', day: 67, source: 'data_sync', lines: [['PROD-001', '1', T]],
		expect: { outcome: 'not-emitted', note: 'Created by another integration (hs_invoice_source "data_sync"): Skip Integration Source.' } },
	{ number: 'INV-1022', contact: 'initech', status: 'draft', day: 68, lines: [['PROD-002', '1', T]],
		expect: { outcome: 'not-emitted', note: 'Draft: not in the status filter (Open, Paid, Voided).' } },
	{ number: 'INV-1023', contact: 'wayne', status: 'voided', day: 40, lines: [['PROD-010', '2', T]],
		expect: { outcome: 'voided', note: 'Voided in HubSpot; its QuickBooks counterpart (linked by PrivateNote and DocNumber) is voided.' } },
	{ number: 'INV-1024', contact: 'acme', status: 'open', day: 69, currency: 'EUR', lines: [['PROD-001', '4', E]],
		expect: { outcome: 'created', note: 'In EUR for a contact whose QuickBooks customer is in USD (a customer\'s currency is fixed for life): a second customer "Acme Corporation (EUR)" in EUR is created and invoiced in EUR.',
			quickbooks: { customerName: 'Acme Corporation (EUR)', currency: 'EUR', preTaxTotal: '100.00' } } },
	{ number: 'INV-1025', contact: 'dunder', status: 'open', day: 70, lines: [['PROD-001', '2', E], ['PROD-005', '1', E]],
		adjustments: [{ kind: 'discounts', label: 'Loyalty 10 %', type: 'PERCENT', value: '10' }, { kind: 'fees', label: 'Handling', type: 'FIXED', value: '7.50' }],
		expect: { outcome: 'created', note: 'Invoice-level 10 % discount and a 7.50 handling fee: lines 175.00, a 17.50 discount line and a fee line on the Fee Item, 165.00 before tax as in HubSpot.',
			quickbooks: { preTaxTotal: '165.00', lineTypes: ['SalesItemLineDetail', 'SalesItemLineDetail', 'SalesItemLineDetail', 'DiscountLineDetail'] } } },
	{ number: 'INV-1026', contact: 'jordan', status: 'open', day: 71, lateEvening: true, lines: [['PROD-013', '1', T]],
		expect: { outcome: 'created', note: 'Dated 23:30 in the portal\'s time zone (America/Los_Angeles), which is already the next day in UTC: QuickBooks gets the day the HubSpot user sees.',
			quickbooks: { txnDate: '2026-09-09' } } },
	{ number: 'INV-1027', contact: 'initech', status: 'open', day: 72, source: 'API', lines: [['PROD-003', '2', T]],
		expect: { outcome: 'created', note: 'hs_invoice_source "API" is not a known integration: it is synced (only listed integration sources are skipped).' } },
];

/** Numeric ids laid out by type so they are easy to tell apart in logs. */
export const DEMO_ID_BASE = {
	contacts: 1010000000,
	companies: 2010000000,
	invoices: 3010000000,
	line_items: 4010000000,
	products: 5010000000,
	adjustments: 6010000000,
};

export function defaultDataset(opts: { now?: Date | string } = {}): Dataset {
	const now = opts.now ? new Date(opts.now).toISOString() : DEFAULT_NOW;
	const closeDate = addDays(now, -93); // 2026-06-30 for the default clock
	const longAgo = addMinutes(`${addDays(now, -200)}T12:00:00.000Z`, 0);
	const catalog = new Map<string, { name: string; priceCents: number; productId: string }>();

	// HubSpot products (QuickBooks catalog + HubSpot-only SKUs).
	const products: HubSpotObject[] = [];
	for (const p of [...DEMO_ITEMS.filter((i) => i.active !== false), ...DEMO_ITEMS.filter((i) => i.active === false), ...HUBSPOT_ONLY_PRODUCTS]) {
		const id = String(DEMO_ID_BASE.products + products.length + 1);
		catalog.set(p.sku, { name: p.name, priceCents: p.priceCents, productId: id });
		products.push(
			hubspotObject('products', id, { name: p.name, hs_sku: p.sku, price: (p.priceCents / 100).toFixed(2), description: p.name }, longAgo),
		);
	}

	// Contacts and companies.
	const contacts: HubSpotObject[] = [];
	const companies: HubSpotObject[] = [];
	const associations: AssociationRecord[] = [];
	const contactIdByKey = new Map<string, string>();
	const companyIdByKey = new Map<string, string>();
	PEOPLE.forEach((p, i) => {
		const contactId = String(DEMO_ID_BASE.contacts + i + 1);
		contactIdByKey.set(p.key, contactId);
		contacts.push(
			hubspotObject('contacts', contactId, {
				email: p.email,
				firstname: p.firstname,
				lastname: p.lastname,
				company: p.company,
				city: p.city,
				state: p.state,
				country: 'United States',
			}, longAgo),
		);
		if (p.company) {
			const companyId = String(DEMO_ID_BASE.companies + companies.length + 1);
			companyIdByKey.set(p.key, companyId);
			const domain = p.email ? p.email.split('@')[1].toLowerCase() : undefined;
			companies.push(hubspotObject('companies', companyId, { name: p.company, domain, city: p.city, state: p.state, country: 'United States' }, longAgo));
			associations.push(link('contacts', contactId, 'companies', companyId));
		}
	});

	// Invoices and line items.
	const invoices: HubSpotObject[] = [];
	const lineItems: HubSpotObject[] = [];
	const discounts: HubSpotObject[] = [];
	const fees: HubSpotObject[] = [];
	const expectations: Record<string, Expectation> = {};
	const invoiceIdByNumber = new Map<string, string>();
	INVOICES.forEach((spec, i) => {
		const id = String(DEMO_ID_BASE.invoices + i + 1);
		invoiceIdByNumber.set(spec.number, id);
		const invoiceDate = addDays(closeDate, spec.day);
		const currency = spec.currency ?? 'USD';
		const createdAt = addMinutes(`${invoiceDate}T15:00:00.000Z`, i);
		// Modified dates increase with the id, all before `now`: a poller sees them in id order.
		const updatedAt = addMinutes(now, -(INVOICES.length - i) * 11);
		let billed = 0;
		spec.lines.forEach(([sku, qty, taxRateId, extra], li) => {
			const product = sku ? catalog.get(sku) : undefined;
			const lineId = String(DEMO_ID_BASE.line_items + i * 10 + li + 1);
			const built = lineItem(
				lineId,
				{
					sku,
					name: extra?.name ?? product?.name ?? 'Custom line',
					qty,
					priceCents: extra?.priceCents ?? product?.priceCents ?? 0,
					unitDiscountCents: extra?.unitDiscountCents,
					discountPercent: extra?.discountPercent,
					taxRateId,
					productId: product?.productId,
				},
				currency,
				createdAt,
				DEMO_TAX_RATES,
			);
			billed += built.amountCents + built.taxCents;
			lineItems.push(built.object);
			associations.push(link('invoices', id, 'line_items', lineId));
		});
		// Invoice-level discounts and fees; HubSpot's calculated totals (hs_amount_billed …) follow from them.
		spec.adjustments?.forEach((adjustment, ai) => {
			const recordId = String(DEMO_ID_BASE.adjustments + i * 10 + ai + 1);
			const record = hubspotObject(adjustment.kind, recordId, { hs_label: adjustment.label, hs_type: adjustment.type, hs_value: adjustment.value }, createdAt);
			(adjustment.kind === 'discounts' ? discounts : fees).push(record);
			associations.push(link('invoices', id, adjustment.kind, recordId));
			const sign = adjustment.kind === 'discounts' ? -1 : 1;
			billed += sign * (adjustment.type === 'PERCENT' ? Math.round((billed * Number(adjustment.value)) / 100) : Math.round(Number(adjustment.value) * 100));
		});
		invoices.push(
			invoice(
				{
					id,
					number: spec.number,
					status: spec.status,
					source: spec.source,
					currency,
					// 23:30 in Los Angeles (UTC−7 in summer) is 06:30 UTC the next day.
					...(spec.lateEvening ? { invoiceDate: addDays(invoiceDate, 1), invoiceTime: '06:30:00.000Z' } : { invoiceDate }),
					dueDate: addDays(invoiceDate, 30),
					createdAt,
					updatedAt,
				},
				billed,
			),
		);
		associations.push(link('invoices', id, 'contacts', contactIdByKey.get(spec.contact)!));
		const companyId = companyIdByKey.get(spec.contact);
		if (companyId) associations.push(link('invoices', id, 'companies', companyId));
		expectations[id] = { ...spec.expect, invoiceNumber: spec.number };
	});

	// QuickBooks: items, customers, and the two invoices that already exist there.
	const items = DEMO_ITEMS.map((s) => qboItem(s, longAgo));
	const customers = [
		...PEOPLE.filter((p) => p.qbo).map((p) => ({ ...p.qbo!, email: p.email })),
		...QBO_ONLY_CUSTOMERS,
	]
		.sort((a, b) => Number(a.id) - Number(b.id))
		.map((c) => qboCustomer(c, longAgo));
	const item = (sku: string) => DEMO_ITEMS.find((d) => d.sku === sku)!;
	const wayne = { id: '7', displayName: 'Wayne Enterprises' };
	const handMadeDate = addDays(closeDate, 64);
	const voidedDate = addDays(closeDate, 40);
	const qboInvoices = [
		// Typed in by hand with the same number, different quantities, no link to HubSpot.
		qboUsInvoice(
			{
				id: '101',
				docNumber: 'INV-1017',
				customer: wayne,
				txnDate: handMadeDate,
				dueDate: addDays(handMadeDate, 30),
				privateNote: 'Entered manually by the bookkeeper',
				lines: [
					{ item: item('PROD-006'), qty: '1', priceCents: item('PROD-006').priceCents, taxable: true },
					{ item: item('PROD-008'), qty: '4', priceCents: item('PROD-008').priceCents, taxable: false },
				],
			},
			addMinutes(`${handMadeDate}T18:00:00.000Z`, 0),
		),
		// Synced earlier from HubSpot: linked by PrivateNote and DocNumber.
		qboUsInvoice(
			{
				id: '102',
				docNumber: 'INV-1023',
				customer: wayne,
				txnDate: voidedDate,
				dueDate: addDays(voidedDate, 30),
				privateNote: `HubSpot invoice ${invoiceIdByNumber.get('INV-1023')}`,
				lines: [{ item: item('PROD-010'), qty: '2', priceCents: item('PROD-010').priceCents, taxable: true }],
			},
			addMinutes(`${voidedDate}T18:00:00.000Z`, 0),
		),
	];

	const us = companySeed(
		{ realmId: US_REALM_ID, country: 'US', companyName: 'Sandbox Gadgets Inc.', bookCloseDate: closeDate, at: longAgo, multiCurrency: true },
		{ items, customers, invoices: qboInvoices },
	);
	const ca = companySeed(
		{ realmId: CA_REALM_ID, country: 'CA', companyName: 'Sandbox Gadgets Canada Ltd.', bookCloseDate: closeDate, at: longAgo },
		{
			items: DEMO_ITEMS.map((s) => qboItem(s, longAgo)),
			customers: customers.map((c) => ({ ...c, CurrencyRef: { value: 'CAD', name: 'Canadian Dollar' } })),
		},
	);

	return {
		hubspot: {
			invoices,
			lineItems,
			contacts,
			companies,
			products,
			taxRates: DEMO_TAX_RATES.map((r) => ({ ...r })),
			associations,
			discounts,
			fees,
			timeZone: DEMO_PORTAL_TIME_ZONE,
		},
		quickbooks: [us, ca],
		expectations,
		taxMapping: DEMO_TAX_MAPPING.map((m) => ({ ...m })),
		taxMappings: {
			[US_REALM_ID]: DEMO_TAX_MAPPING.map((m) => ({ ...m })),
			[CA_REALM_ID]: DEMO_CA_TAX_MAPPING.map((m) => ({ ...m })),
		},
		realmId: US_REALM_ID,
		now,
	};
}
