/**
 * Scalable, deterministic data sets for load and reliability tests: N invoices over a catalog of
 * SKUs and a customer base, with a share of failures spread evenly over the demo's failure cases
 * and each invoice's expected outcome. 10,000 invoices build in well under a second.
 */
import { seededRandom } from '../common/random';
import type { AssociationRecord, HubSpotObject } from '../hubspot/types';
import { DEFAULT_NOW, DEMO_CA_TAX_MAPPING, DEMO_ID_BASE, DEMO_TAX_MAPPING } from './default';
import { DEMO_TAX_RATES, addDays, hubspotObject, invoice, lineItem, link, type LineSpec } from './hubspotBuilders';
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
import type { Dataset, Expectation, GenerateOptions } from './types';

const ADJECTIVES = ['Bright', 'Silver', 'Northern', 'Rapid', 'Golden', 'Quiet', 'Bold', 'Summit', 'Coastal', 'Prairie', 'Urban', 'Evergreen', 'Crystal', 'Iron', 'Blue', 'Maple', 'Cedar', 'Granite', 'Harbor', 'Sunrise'];
const NOUNS = ['Harbor', 'Peak', 'Valley', 'Forge', 'Works', 'Labs', 'Systems', 'Traders', 'Supply', 'Partners', 'Dynamics', 'Outfitters', 'Foods', 'Logistics', 'Studios'];
const SUFFIXES = ['LLC', 'Inc.', 'Co.', 'Ltd.', 'Group'];
const FIRST = ['Ava', 'Ben', 'Chloe', 'Diego', 'Emma', 'Felix', 'Grace', 'Hiro', 'Isla', 'Jonah', 'Kara', 'Liam', 'Maya', 'Noah', 'Olive', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Theo'];
const LAST = ['Adams', 'Baker', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jensen', 'Khan', 'Lopez', 'Moreau', 'Nakamura', 'Okafor', 'Patel', 'Quintero', 'Rossi', 'Schmidt', 'Tanaka'];
const PRODUCT_WORDS = ['Widget', 'Sensor', 'Bracket', 'Adapter', 'Module', 'Panel', 'Cable', 'Filter', 'Battery', 'Gateway', 'Service Hour', 'License', 'Mount', 'Charger', 'Kit'];

const ERROR_KINDS = [
	'sku-case',
	'sku-absent',
	'sku-one-bad',
	'sku-missing',
	'email-missing',
	'customer-inactive',
	'item-inactive',
	'doc-number-too-long',
	'tax-unmapped',
	'period-closed',
] as const;
const SPECIAL_KINDS = ['draft', 'data-sync', 'existing-by-hand', 'voided-linked', 'email-case', 'special-chars'] as const;
type Kind = (typeof ERROR_KINDS)[number] | (typeof SPECIAL_KINDS)[number] | 'clean';

const pad = (n: number, width = 5) => String(n).padStart(width, '0');
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

interface Contact {
	id: string;
	email?: string;
	first: string;
	last: string;
	company: string;
	companyId: string;
	qboCustomer?: { id: string; displayName: string };
}

export function generateDataset(options: GenerateOptions = {}): Dataset {
	const o = {
		seed: options.seed ?? 1,
		invoices: options.invoices ?? 1000,
		linesPerInvoice: Math.max(1, options.linesPerInvoice ?? 5),
		skus: Math.max(4, options.skus ?? 200),
		customers: Math.max(6, options.customers ?? 300),
		failureRate: Math.min(1, Math.max(0, options.failureRate ?? 0.05)),
	};
	const now = options.now ? new Date(options.now).toISOString() : DEFAULT_NOW;
	const closeDate = addDays(now, -93);
	const longAgo = `${addDays(now, -200)}T12:00:00.000Z`;
	const random = seededRandom(o.seed);
	const int = (n: number) => Math.floor(random() * n);

	// --- Catalog: QuickBooks items and HubSpot products (2 % of items inactive, at least one).
	const inactiveItems = Math.max(1, Math.round(o.skus * 0.02));
	const items: ItemSpec[] = [];
	for (let i = 1; i <= o.skus; i++) {
		items.push({
			id: String(i),
			sku: `SKU-${pad(i)}`,
			name: `${PRODUCT_WORDS[i % PRODUCT_WORDS.length]} ${pad(i)}`,
			priceCents: 500 + int(200) * 250,
			active: i <= o.skus - inactiveItems,
		});
	}
	const activeItems = items.filter((i) => i.active !== false);
	const products: HubSpotObject[] = [];
	const productIdBySku = new Map<string, string>();
	const product = (sku: string, name: string, priceCents: number): string => {
		let id = productIdBySku.get(sku);
		if (!id) {
			id = String(DEMO_ID_BASE.products + products.length + 1);
			productIdBySku.set(sku, id);
			products.push(hubspotObject('products', id, { name, hs_sku: sku, price: (priceCents / 100).toFixed(2), description: name }, longAgo));
		}
		return id;
	};
	for (const item of items) product(item.sku, item.name, item.priceCents);

	// --- Customers: unique company and person names so a created customer never clashes (6240).
	const contacts: HubSpotObject[] = [];
	const companies: HubSpotObject[] = [];
	const associations: AssociationRecord[] = [];
	const qboCustomers: CustomerSpec[] = [];
	const addContact = (c: Omit<Contact, 'id' | 'companyId'>): Contact => {
		const id = String(DEMO_ID_BASE.contacts + contacts.length + 1);
		const companyId = String(DEMO_ID_BASE.companies + companies.length + 1);
		contacts.push(hubspotObject('contacts', id, { email: c.email, firstname: c.first, lastname: c.last, company: c.company, country: 'United States' }, longAgo));
		companies.push(hubspotObject('companies', companyId, { name: c.company, domain: c.email?.split('@')[1]?.toLowerCase(), country: 'United States' }, longAgo));
		associations.push(link('contacts', id, 'companies', companyId));
		return { ...c, id, companyId };
	};
	const nameAt = (i: number) => {
		const a = ADJECTIVES.length;
		const n = NOUNS.length;
		const round = Math.floor(i / (a * n));
		const company = `${ADJECTIVES[i % a]} ${NOUNS[Math.floor(i / a) % n]}${round ? ` ${round + 1}` : ''} ${SUFFIXES[i % SUFFIXES.length]}`;
		const f = FIRST.length;
		const l = LAST.length;
		const personRound = Math.floor(i / (f * l));
		return { company, first: FIRST[i % f], last: `${LAST[Math.floor(i / f) % l]}${personRound ? `-${personRound + 1}` : ''}` };
	};
	const inactiveCount = Math.max(1, Math.round(o.customers * 0.01));
	const noEmailCount = Math.max(1, Math.round(o.customers * 0.01));
	const regular: Contact[] = [];
	const existingRegular: Contact[] = [];
	const inactive: Contact[] = [];
	const noEmail: Contact[] = [];
	for (let i = 0; i < o.customers; i++) {
		const { company, first, last } = nameAt(i);
		const email = `${first}.${last}@${slug(company)}.example`.toLowerCase();
		const role = i < inactiveCount ? 'inactive' : i < inactiveCount + noEmailCount ? 'no-email' : 'regular';
		// Half the regular customers (and every inactive one) already exist in QuickBooks.
		const inQbo = role === 'inactive' || (role === 'regular' && i % 2 === 0);
		let qboCustomer: Contact['qboCustomer'];
		if (inQbo) {
			const id = String(qboCustomers.length + 1);
			qboCustomers.push({ id, displayName: company, companyName: company, email, givenName: first, familyName: last, active: role !== 'inactive' });
			qboCustomer = { id, displayName: company };
		}
		const contact = addContact({ email: role === 'no-email' ? undefined : email, first, last, company, qboCustomer });
		if (role === 'inactive') inactive.push(contact);
		else if (role === 'no-email') noEmail.push(contact);
		else {
			regular.push(contact);
			if (qboCustomer) existingRegular.push(contact);
		}
	}
	let specialContacts = 0;

	// --- Invoices.
	const invoices: HubSpotObject[] = [];
	const lineItems: HubSpotObject[] = [];
	const qboInvoices: any[] = [];
	const expectations: Record<string, Expectation> = {};
	const specialRate = o.failureRate / 2;
	let errorTurn = 0;
	let specialTurn = 0;
	let lineSeq = 0;
	const openDays = Math.max(1, 92);
	const mapped = ['1001', '1002'];

	const cleanLine = (): LineSpec & { item: ItemSpec } => {
		const item = activeItems[int(activeItems.length)];
		return { item, sku: item.sku, name: item.name, qty: String(1 + int(10)), priceCents: item.priceCents, taxRateId: mapped[int(2)], productId: productIdBySku.get(item.sku) };
	};

	for (let i = 0; i < o.invoices; i++) {
		const r = random();
		const kind: Kind =
			r < o.failureRate
				? ERROR_KINDS[errorTurn++ % ERROR_KINDS.length]
				: r < o.failureRate + specialRate
					? SPECIAL_KINDS[specialTurn++ % SPECIAL_KINDS.length]
					: 'clean';
		const id = String(DEMO_ID_BASE.invoices + i + 1);
		let number = `INV-${100000 + i + 1}`;
		let status: 'draft' | 'open' | 'paid' | 'voided' = random() < 0.7 ? 'open' : 'paid';
		let source = 'hubspot';
		let invoiceDate = addDays(closeDate, 1 + int(openDays));
		let contact = regular[int(regular.length)];
		let lines = Array.from({ length: o.linesPerInvoice }, cleanLine);
		const badLine = int(lines.length);
		let expectation: Omit<Expectation, 'invoiceNumber'> = { outcome: 'created', note: 'Generated clean invoice.' };

		switch (kind) {
			case 'clean':
				break;
			case 'sku-case': {
				const sku = lines[badLine].sku!.toLowerCase();
				product(sku, `${lines[badLine].name} (old SKU)`, lines[badLine].priceCents);
				lines[badLine] = { ...lines[badLine], sku, productId: productIdBySku.get(sku) };
				expectation = { outcome: 'error', code: 'SKU_NOT_FOUND', note: `SKU "${sku}" differs only in case from QuickBooks.` };
				break;
			}
			case 'sku-absent':
			case 'sku-one-bad': {
				const sku = `MISSING-${pad(i + 1, 6)}`;
				if (kind === 'sku-absent') lines = [lines[0]];
				const at = kind === 'sku-absent' ? 0 : badLine;
				lines[at] = { ...lines[at], sku, name: `Unknown product ${sku}`, productId: product(sku, `Unknown product ${sku}`, lines[at].priceCents) };
				expectation = { outcome: 'error', code: 'SKU_NOT_FOUND', note: `SKU "${sku}" is not in QuickBooks (${lines.length} line(s)).` };
				break;
			}
			case 'sku-missing':
				lines[badLine] = { ...lines[badLine], sku: undefined, productId: undefined, name: 'Custom work (no SKU)' };
				expectation = { outcome: 'error', code: 'SKU_MISSING', note: 'A line has no SKU.' };
				break;
			case 'email-missing':
				contact = noEmail[int(noEmail.length)];
				expectation = { outcome: 'error', code: 'CUSTOMER_EMAIL_MISSING', note: 'The contact has no email.' };
				break;
			case 'customer-inactive':
				contact = inactive[int(inactive.length)];
				expectation = { outcome: 'error', code: 'CUSTOMER_INACTIVE', note: 'The email belongs to an inactive QuickBooks customer.' };
				break;
			case 'item-inactive': {
				const item = items.filter((it) => it.active === false)[0];
				lines[badLine] = { ...lines[badLine], item, sku: item.sku, name: item.name, priceCents: item.priceCents, productId: productIdBySku.get(item.sku) };
				expectation = { outcome: 'error', code: 'ITEM_INACTIVE', note: `SKU "${item.sku}" is an inactive QuickBooks item.` };
				break;
			}
			case 'doc-number-too-long':
				number = `${number}-LONG-REFERENCE-NO`;
				expectation = { outcome: 'error', code: 'DOC_NUMBER_TOO_LONG', note: `Invoice number has ${number.length} characters (max 21).` };
				break;
			case 'tax-unmapped':
				lines[badLine] = { ...lines[badLine], taxRateId: '1003' };
				expectation = { outcome: 'error', code: 'TAX_CODE_NOT_FOUND', note: 'A line uses the unmapped tax rate 1003.' };
				break;
			case 'period-closed':
				invoiceDate = addDays(closeDate, -1 - int(60));
				expectation = { outcome: 'error', code: 'PERIOD_CLOSED', note: `Invoice date ${invoiceDate} is in the closed period.` };
				break;
			case 'draft':
				status = 'draft';
				expectation = { outcome: 'not-emitted', note: 'Draft invoice.' };
				break;
			case 'data-sync':
				source = 'data_sync';
				expectation = { outcome: 'not-emitted', note: 'Created by another integration (data_sync).' };
				break;
			case 'existing-by-hand':
			case 'voided-linked': {
				contact = existingRegular[int(existingRegular.length)];
				const byHand = kind === 'existing-by-hand';
				if (!byHand) status = 'voided';
				qboInvoices.push(
					qboUsInvoice(
						{
							id: String(1000 + qboInvoices.length + 1),
							docNumber: number,
							customer: contact.qboCustomer!,
							txnDate: invoiceDate,
							dueDate: addDays(invoiceDate, 30),
							privateNote: byHand ? 'Entered manually' : `HubSpot invoice ${id}`,
							// By hand: the first line's quantity differs, so the update changes something.
							lines: lines.map((l, li) => ({
								item: (l as any).item as ItemSpec,
								qty: byHand && li === 0 ? String(Number(l.qty) + 1) : l.qty,
								priceCents: l.priceCents,
								taxable: l.taxRateId === '1001',
							})),
						},
						`${invoiceDate}T18:00:00.000Z`,
					),
				);
				expectation = byHand
					? { outcome: 'updated', note: 'Same DocNumber exists in QuickBooks, entered by hand: updated.' }
					: { outcome: 'voided', note: 'Voided in HubSpot; the linked QuickBooks invoice is voided.' };
				break;
			}
			case 'email-case': {
				// Same email as an existing customer but in another case, under a new company name:
				// QuickBooks compares emails ignoring case, so the existing customer gets the invoice.
				const twin = existingRegular[int(existingRegular.length)];
				const n = ++specialContacts;
				contact = addContact({
					email: twin.email!.toUpperCase(),
					first: 'Casey',
					last: `Variant${n}`,
					company: `${twin.company} Branch ${n}`,
				});
				expectation = { outcome: 'created', note: `Email differs only in case from ${twin.email}: the invoice goes to that existing customer (emails match ignoring case).` };
				break;
			}
			case 'special-chars': {
				const n = ++specialContacts;
				contact = addContact({
					email: `ops${n}@smithandsons${n}.example`,
					first: 'Pat',
					last: `Smith${n}`,
					company: `Smith & Sons #${n} / R&D: Unit ${n}`,
				});
				expectation = { outcome: 'created', note: 'Company name with &, #, / and a colon (removed from DisplayName).' };
				break;
			}
		}

		const createdAtRaw = `${invoiceDate}T12:00:00.000Z`;
		const updatedAt = new Date(Date.parse(now) - (o.invoices - i) * 10_000).toISOString();
		const createdAt = createdAtRaw < updatedAt ? createdAtRaw : updatedAt;
		let billed = 0;
		for (const spec of lines) {
			const lineId = String(DEMO_ID_BASE.line_items + ++lineSeq);
			const built = lineItem(lineId, spec, 'USD', createdAt, DEMO_TAX_RATES);
			billed += built.amountCents + built.taxCents;
			lineItems.push(built.object);
			associations.push(link('invoices', id, 'line_items', lineId));
		}
		invoices.push(invoice({ id, number, status, source, invoiceDate, dueDate: addDays(invoiceDate, 30), createdAt, updatedAt }, billed));
		associations.push(link('invoices', id, 'contacts', contact.id));
		associations.push(link('invoices', id, 'companies', contact.companyId));
		expectations[id] = { ...expectation, invoiceNumber: number };
	}

	const qboItems = items.map((s) => qboItem(s, longAgo));
	const customers = qboCustomers.map((c) => qboCustomer(c, longAgo));
	const us = companySeed(
		{ realmId: US_REALM_ID, country: 'US', companyName: 'Sandbox Gadgets Inc.', bookCloseDate: closeDate, at: longAgo },
		{ items: qboItems, customers, invoices: qboInvoices },
	);
	const ca = companySeed(
		{ realmId: CA_REALM_ID, country: 'CA', companyName: 'Sandbox Gadgets Canada Ltd.', bookCloseDate: closeDate, at: longAgo },
		{ items: items.map((s) => qboItem(s, longAgo)), customers: qboCustomers.map((c) => qboCustomer({ ...c, currency: 'CAD' }, longAgo)) },
	);
	return {
		hubspot: { invoices, lineItems, contacts, companies, products, taxRates: DEMO_TAX_RATES.map((r) => ({ ...r })), associations },
		quickbooks: [us, ca],
		expectations,
		taxMapping: DEMO_TAX_MAPPING.map((m) => ({ ...m })),
		taxMappings: { [US_REALM_ID]: DEMO_TAX_MAPPING.map((m) => ({ ...m })), [CA_REALM_ID]: DEMO_CA_TAX_MAPPING.map((m) => ({ ...m })) },
		realmId: US_REALM_ID,
		now,
	};
}
