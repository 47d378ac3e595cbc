/**
 * The demo data set of the QuickBooks → HubSpot direction: a QuickBooks company whose invoices were
 * typed in QuickBooks (customers, items with Sku, tax codes, payments, a credit memo), a HubSpot
 * portal with the matching products (by hs_sku) and some of the contacts, every failure the sync must
 * report, and the QuickBooks user's later actions (payments, a credit, a void, a delete). Each
 * invoice's expectation says how it must end in HubSpot. Ids, realm and emails differ from the
 * forward data set's, so both can be loaded side by side.
 */
import type { AssociationRecord, HubSpotObject, HubSpotSeed } from '../hubspot/types';
import type { QboCompanySeed } from '../quickbooks';
import { DEFAULT_NOW, DEMO_ITEMS } from './default';
import { DEMO_TAX_RATES, addDays, addMinutes, hubspotObject, invoice, lineItem, link } from './hubspotBuilders';
import { formatCents } from './money';
import { companySeed, qboCustomer, qboItem, qboUsInvoice, taxCode, taxRate, type CustomerSpec, type ItemSpec, type QboInvoiceLine } from './qboBuilders';
import { REVERSE_ACTIONS, REVERSE_CUSTOMERS, REVERSE_INVOICES, REVERSE_ITEMS, NV_SALES_TAX, type ReverseInvoiceSpec } from './reverseSpecs';
import type { ReverseDataset, ReverseExpectation } from './reverseTypes';

export * from './reverseTypes';
export { REVERSE_ITEMS, NV_SALES_TAX } from './reverseSpecs';

export const REVERSE_REALM_ID = '9130357766410003';

/** QuickBooks tax code → HubSpot tax rate table of the reverse template; NV Sales Tax (4) is deliberately unmapped. */
export const REVERSE_TAX_MAPPING = [
	{ qboTaxCodeId: '3', hubspotTaxRateId: '1001' },
	{ qboTaxCodeId: 'NON', hubspotTaxRateId: '1002' },
];

const ID_BASE = { contacts: 7030000000, companies: 7040000000, invoices: 7010000000, line_items: 7020000000, products: 7050000000 };

const itemById = (id: string): ItemSpec => REVERSE_ITEMS.find((i) => i.id === id)!;
const centsOf = (amount: number) => Math.round(amount * 100);

/** The QuickBooks invoice of a spec, built with QuickBooks' arithmetic (lines, tax, TotalAmt). */
function qboInvoiceOf(spec: ReverseInvoiceSpec, now: string) {
	const customer = REVERSE_CUSTOMERS.find((c) => c.key === spec.customer)!;
	const txnDate = addDays(now, -spec.daysAgo);
	const lines: QboInvoiceLine[] = spec.lines.map(([itemId, qty, taxable]) => ({ item: itemById(itemId), qty, priceCents: itemById(itemId).priceCents, taxable }));
	const at = addMinutes(`${txnDate}T16:00:00.000Z`, 0);
	return qboUsInvoice(
		{ id: spec.id, docNumber: spec.docNumber, customer: { id: customer.id, displayName: customer.displayName }, txnDate, dueDate: addDays(txnDate, 30), privateNote: spec.privateNote, lines, taxCode: spec.taxCode },
		at,
	);
}

/** A seeded payment (or, with credit lines, the zero-amount payment that applies a credit memo). */
function qboPayment(id: string, customerId: string, txnDate: string, totalCents: number, lines: { txnId: string; txnType: 'Invoice' | 'CreditMemo'; cents: number }[]) {
	return {
		Id: id,
		CustomerRef: { value: customerId },
		TxnDate: txnDate,
		TotalAmt: Number(formatCents(totalCents)),
		UnappliedAmt: 0,
		PaymentMethodRef: { value: '1', name: 'Check' },
		CurrencyRef: { value: 'USD', name: 'United States Dollar' },
		Line: lines.map((l) => ({ Amount: Number(formatCents(l.cents)), LinkedTxn: [{ TxnId: l.txnId, TxnType: l.txnType }] })),
		ProcessPayment: false,
		SyncToken: '0',
		MetaData: { CreateTime: `${txnDate}T18:00:00.000Z`, LastUpdatedTime: `${txnDate}T18:00:00.000Z` },
	};
}

/** Seeded payments and the credit memo: what happened in QuickBooks before the first sync. */
function seededSettlements(invoices: any[], now: string) {
	const byId = (id: string) => invoices.find((i) => i.Id === id)!;
	const day = addDays(now, -3);
	const full = byId('202');
	const memo = { ...qboInvoiceOf({ ...REVERSE_INVOICES.find((s) => s.id === '208')!, id: '301', docNumber: 'CM-301', lines: [['8', '1', false]] }, now), RemainingCredit: 0 };
	delete (memo as any).DueDate;
	const credit = centsOf(memo.TotalAmt);
	return {
		payments: [
			qboPayment('401', full.CustomerRef.value, day, centsOf(full.TotalAmt), [{ txnId: '202', txnType: 'Invoice', cents: centsOf(full.TotalAmt) }]),
			qboPayment('402', byId('203').CustomerRef.value, day, 20000, [{ txnId: '203', txnType: 'Invoice', cents: 20000 }]),
			qboPayment('403', byId('208').CustomerRef.value, day, 0, [
				{ txnId: '208', txnType: 'Invoice', cents: credit },
				{ txnId: '301', txnType: 'CreditMemo', cents: credit },
			]),
		],
		creditMemos: [memo],
	};
}

/** The QuickBooks company: items (one without Sku), customers (one without email), NV Sales Tax, invoices, payments. */
function reverseCompany(now: string): QboCompanySeed {
	const at = addMinutes(`${addDays(now, -200)}T12:00:00.000Z`, 0);
	const customers = REVERSE_CUSTOMERS.map((c) => qboCustomer(c as CustomerSpec, at));
	const items = REVERSE_ITEMS.map((s) => {
		const item: Record<string, unknown> = qboItem(s, at);
		if (!s.sku) delete item.Sku;
		return item;
	});
	const invoices = REVERSE_INVOICES.map((spec) => qboInvoiceOf(spec, now));
	const seed = companySeed({ realmId: REVERSE_REALM_ID, country: 'US', companyName: 'Sandbox Outfitters LLC', bookCloseDate: addDays(now, -93), at }, { items, customers, invoices });
	const nv = { id: NV_SALES_TAX.id, name: NV_SALES_TAX.name, percent: NV_SALES_TAX.percent, agency: 'Nevada Department of Taxation' };
	seed.entities.TaxRate = [...(seed.entities.TaxRate ?? []), taxRate(nv, at)];
	seed.entities.TaxCode = [...(seed.entities.TaxCode ?? []), taxCode(nv.id, nv.name, [nv], true, at)];
	const { payments, creditMemos } = seededSettlements(invoices, now);
	seed.entities.Payment = payments;
	seed.entities.CreditMemo = creditMemos;
	seed.entities.PaymentMethod = [{ Id: '1', Name: 'Check', Type: 'NON_CREDIT_CARD' }, { Id: '2', Name: 'Credit Card', Type: 'CREDIT_CARD' }];
	return seed;
}

/** HubSpot contacts (and their companies) of the customers HubSpot already knows. */
function hubspotPeople(at: string) {
	const contacts: HubSpotObject[] = [];
	const companies: HubSpotObject[] = [];
	const associations: AssociationRecord[] = [];
	const contactIdByKey = new Map<string, string>();
	for (const c of REVERSE_CUSTOMERS.filter((p) => p.hubspotEmail)) {
		const contactId = String(ID_BASE.contacts + contacts.length + 1);
		const companyId = String(ID_BASE.companies + companies.length + 1);
		contactIdByKey.set(c.key, contactId);
		contacts.push(hubspotObject('contacts', contactId, { email: c.hubspotEmail, firstname: c.givenName, lastname: c.familyName, company: c.companyName }, at));
		companies.push(hubspotObject('companies', companyId, { name: c.companyName, domain: c.hubspotEmail!.split('@')[1].toLowerCase() }, at));
		associations.push(link('contacts', contactId, 'companies', companyId));
	}
	return { contacts, companies, associations, contactIdByKey };
}

/** The HubSpot invoice the forward sync made earlier (QuickBooks invoice 211 carries its link). */
function forwardLinkedInvoice(now: string, productIdBySku: Map<string, string>, contactId: string) {
	const spec = REVERSE_INVOICES.find((s) => s.id === '211')!;
	const id = String(ID_BASE.invoices + 1);
	const at = addMinutes(`${addDays(now, -spec.daysAgo)}T15:00:00.000Z`, 0);
	const lines = spec.lines.map(([itemId, qty, taxable], i) => {
		const item = itemById(itemId);
		return lineItem(String(ID_BASE.line_items + i + 1), { sku: item.sku, name: item.name, qty, priceCents: item.priceCents, taxRateId: taxable ? '1001' : '1002', productId: productIdBySku.get(item.sku) }, 'USD', at, DEMO_TAX_RATES);
	});
	const billed = lines.reduce((sum, l) => sum + l.amountCents + l.taxCents, 0);
	const record = invoice({ id, number: spec.docNumber, status: 'open', invoiceDate: addDays(now, -spec.daysAgo), dueDate: addDays(now, 30 - spec.daysAgo), createdAt: at, updatedAt: addMinutes(at, 5) }, billed);
	const associations = [...lines.map((l) => link('invoices', id, 'line_items', l.object.id)), link('invoices', id, 'contacts', contactId)];
	return { invoice: record, lineItems: lines.map((l) => l.object), associations };
}

function reverseHubSpot(now: string): HubSpotSeed {
	const at = addMinutes(`${addDays(now, -200)}T12:00:00.000Z`, 0);
	const productIdBySku = new Map<string, string>();
	const products = DEMO_ITEMS.filter((i) => i.active !== false).map((item, i) => {
		const id = String(ID_BASE.products + i + 1);
		productIdBySku.set(item.sku, id);
		return hubspotObject('products', id, { name: item.name, hs_sku: item.sku, price: formatCents(item.priceCents), description: item.name }, at);
	});
	const people = hubspotPeople(at);
	const linked = forwardLinkedInvoice(now, productIdBySku, people.contactIdByKey.get('tailspin')!);
	return {
		invoices: [linked.invoice],
		lineItems: linked.lineItems,
		contacts: people.contacts,
		companies: people.companies,
		products,
		taxRates: DEMO_TAX_RATES.map((r) => ({ ...r })),
		associations: [...people.associations, ...linked.associations],
	};
}

/** What each QuickBooks invoice must end as in HubSpot, amounts taken from the built QuickBooks records. */
function expectationsOf(company: QboCompanySeed): Record<string, ReverseExpectation> {
	const out: Record<string, ReverseExpectation> = {};
	for (const spec of REVERSE_INVOICES) {
		const total = centsOf(company.entities.Invoice!.find((i: any) => i.Id === spec.id).TotalAmt);
		const paid = spec.expect.paidCents === 'all' ? total : (spec.expect.paidCents ?? 0);
		const { paidCents: _paid, status, ...rest } = spec.expect;
		out[spec.id] = { ...rest, docNumber: spec.docNumber };
		if (status) out[spec.id].hubspot = { status, amountBilled: formatCents(status === 'voided' ? 0 : total), amountPaid: formatCents(paid), balanceDue: formatCents(status === 'voided' ? 0 : total - paid) };
	}
	return out;
}

export function reverseDataset(opts: { now?: Date | string } = {}): ReverseDataset {
	const now = opts.now ? new Date(opts.now).toISOString() : DEFAULT_NOW;
	const company = reverseCompany(now);
	return {
		hubspot: reverseHubSpot(now),
		quickbooks: [company],
		expectations: expectationsOf(company),
		actions: REVERSE_ACTIONS.map((a) => ({ ...a })),
		taxMapping: REVERSE_TAX_MAPPING.map((m) => ({ ...m })),
		realmId: REVERSE_REALM_ID,
		now,
	};
}
