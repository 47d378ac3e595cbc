/** Datasets: determinism, internal consistency, and that the demo covers every seed failure. */
import { defaultDataset, generateDataset, US_REALM_ID, CA_REALM_ID, type Dataset } from '../../sandbox/dataset';
import { lineAmountCents } from '../../sandbox/dataset/money';

function byNumber(d: Dataset, number: string) {
	const inv = d.hubspot.invoices.find((i) => i.properties.hs_number === number)!;
	expect(inv).toBeDefined();
	return { invoice: inv, expectation: d.expectations[inv.id] };
}

// Association lookups indexed once per dataset (the generated sets are large).
const indexes = new WeakMap<Dataset, { lines: Map<string, string[]>; contact: Map<string, string> }>();
function index(d: Dataset) {
	let idx = indexes.get(d);
	if (!idx) {
		idx = { lines: new Map(), contact: new Map() };
		for (const a of d.hubspot.associations) {
			if (a.fromType !== 'invoices') continue;
			if (a.toType === 'line_items') idx.lines.set(a.fromId, [...(idx.lines.get(a.fromId) ?? []), a.toId]);
			if (a.toType === 'contacts') idx.contact.set(a.fromId, a.toId);
		}
		indexes.set(d, idx);
	}
	return idx;
}

function linesOf(d: Dataset, invoiceId: string) {
	const ids = new Set(index(d).lines.get(invoiceId) ?? []);
	return d.hubspot.lineItems.filter((l) => ids.has(l.id));
}

function lineCount(d: Dataset, invoiceId: string): number {
	return (index(d).lines.get(invoiceId) ?? []).length;
}

function contactOf(d: Dataset, invoiceId: string) {
	const id = index(d).contact.get(invoiceId);
	return d.hubspot.contacts.find((c) => c.id === id)!;
}

function checkConsistency(d: Dataset) {
	const us = d.quickbooks.find((q) => q.realmId === d.realmId)!;
	// Every invoice has an expectation, one contact, and ≥ 1 line; every association points at a record.
	const all = new Map<string, Set<string>>(
		Object.entries({
			invoices: d.hubspot.invoices,
			line_items: d.hubspot.lineItems,
			contacts: d.hubspot.contacts,
			companies: d.hubspot.companies,
			products: d.hubspot.products,
			discounts: d.hubspot.discounts ?? [],
			fees: d.hubspot.fees ?? [],
		}).map(([t, list]) => [t, new Set(list.map((o) => o.id))]),
	);
	for (const a of d.hubspot.associations) {
		expect(all.get(a.fromType)!.has(a.fromId)).toBe(true);
		expect(all.get(a.toType)!.has(a.toId)).toBe(true);
	}
	for (const inv of d.hubspot.invoices) {
		expect(d.expectations[inv.id]).toBeDefined();
		expect(contactOf(d, inv.id)).toBeDefined();
		expect(lineCount(d, inv.id)).toBeGreaterThan(0);
		for (const value of Object.values(inv.properties)) expect(typeof value).toBe('string');
	}
	// Line amounts are exactly qty × price − discounts.
	for (const l of d.hubspot.lineItems) {
		const p = l.properties;
		const expected = lineAmountCents({
			qty: p.quantity!,
			priceCents: Math.round(Number(p.price) * 100),
			unitDiscountCents: p.discount ? Math.round(Number(p.discount) * 100) : undefined,
			discountPercent: p.hs_discount_percentage ? Number(p.hs_discount_percentage) : undefined,
		});
		expect(Math.round(Number(p.amount) * 100)).toBe(expected);
	}
	// QuickBooks names are unique, as QBO requires.
	const names = (us.entities.Customer ?? []).map((c: any) => c.DisplayName);
	expect(new Set(names).size).toBe(names.length);
	const skus = (us.entities.Item ?? []).map((i: any) => i.Sku);
	expect(new Set(skus).size).toBe(skus.length);
}

describe('defaultDataset', () => {
	const d = defaultDataset();

	it('is deterministic and self-consistent', () => {
		expect(defaultDataset()).toEqual(d);
		checkConsistency(d);
		expect(d.now).toBe('2026-10-01T00:00:00.000Z');
	});

	it('has a US company with the demo settings and a Canadian variant with GST/HST codes', () => {
		const us = d.quickbooks.find((q) => q.realmId === US_REALM_ID)!;
		expect(us.companyInfo.Country).toBe('US');
		expect(us.preferences.TaxPrefs.PartnerTaxEnabled).toBe(false);
		expect(us.preferences.CurrencyPrefs.HomeCurrency.value).toBe('USD');
		expect(us.preferences.AccountingInfoPrefs.BookCloseDate).toBe('2026-06-30');
		expect(us.entities.TaxCode!.map((t: any) => t.Id)).toEqual(['TAX', 'NON', '3']);
		expect(us.entities.TaxRate![0]).toMatchObject({ Id: '3', Name: 'CA Sales Tax', RateValue: 7.25 });
		expect(us.entities.Item!.length).toBeGreaterThanOrEqual(15);
		expect(us.entities.Item!.find((i: any) => i.Sku === 'PROD-001')).toMatchObject({ Active: true, IncomeAccountRef: { value: '79' } });
		expect(us.entities.Customer!.length).toBeGreaterThanOrEqual(10);
		expect(us.entities.Customer!.every((c: any) => c.PrimaryEmailAddr?.Address)).toBe(true);
		const ca = d.quickbooks.find((q) => q.realmId === CA_REALM_ID)!;
		expect(ca.companyInfo.Country).toBe('CA');
		expect(ca.preferences.CurrencyPrefs.HomeCurrency.value).toBe('CAD');
		expect(ca.entities.TaxCode!.find((t: any) => t.Id === '5')).toMatchObject({ Name: 'HST ON' });
		expect(ca.entities.TaxRate!.find((t: any) => t.Id === '5')).toMatchObject({ RateValue: 13 });
		expect(ca.entities.Item!.map((i: any) => i.Sku)).toEqual(us.entities.Item!.map((i: any) => i.Sku));
		expect(d.taxMapping).toEqual([
			{ hubspotTaxRateId: '1001', qboTaxCodeId: '3' },
			{ hubspotTaxRateId: '1002', qboTaxCodeId: 'NON' },
		]);
		expect(d.hubspot.taxRates.map((r) => [r.id, r.name, r.percentageRate])).toEqual([
			['1001', 'CA Sales Tax', 7.25],
			['1002', 'Exempt', 0],
			['1003', 'NY Sales Tax', 8.875],
		]);
	});

	it('contains every seed case with its expected outcome', () => {
		const us = d.quickbooks.find((q) => q.realmId === US_REALM_ID)!;
		const qboCustomerEmails = us.entities.Customer!.map((c: any) => c.PrimaryEmailAddr.Address);
		const qboSkus = new Map(us.entities.Item!.map((i: any) => [i.Sku, i]));

		const created = Object.entries(d.expectations).filter(([, e]) => e.outcome === 'created');
		const clean = created.filter(([id]) => {
			const lines = linesOf(d, id);
			return lines.length >= 1 && lines.length <= 5 && lines.every((l) => qboSkus.has(l.properties.hs_sku));
		});
		expect(clean.length).toBeGreaterThanOrEqual(6);
		const cleanEmails = clean.map(([id]) => contactOf(d, id).properties.email);
		expect(cleanEmails.some((e) => qboCustomerEmails.includes(e))).toBe(true);
		expect(cleanEmails.some((e) => e && !qboCustomerEmails.map((x: string) => x.toLowerCase()).includes(e.toLowerCase()))).toBe(true);

		const skuCase = byNumber(d, 'INV-1008');
		expect(skuCase.expectation).toMatchObject({ outcome: 'error', code: 'SKU_NOT_FOUND' });
		expect(linesOf(d, skuCase.invoice.id)[0].properties.hs_sku).toBe('prod-001');
		expect(qboSkus.has('PROD-001')).toBe(true);

		const absent = byNumber(d, 'INV-1009');
		expect(absent.expectation.code).toBe('SKU_NOT_FOUND');
		expect(qboSkus.has(linesOf(d, absent.invoice.id)[0].properties.hs_sku)).toBe(false);

		const oneBad = byNumber(d, 'INV-1010');
		const oneBadLines = linesOf(d, oneBad.invoice.id);
		expect(oneBadLines).toHaveLength(4);
		expect(oneBadLines.filter((l) => !qboSkus.has(l.properties.hs_sku))).toHaveLength(1);
		expect(oneBad.expectation.code).toBe('SKU_NOT_FOUND');

		const noSku = byNumber(d, 'INV-1011');
		expect(noSku.expectation.code).toBe('SKU_MISSING');
		expect(linesOf(d, noSku.invoice.id).some((l) => !l.properties.hs_sku)).toBe(true);

		const noEmail = byNumber(d, 'INV-1012');
		expect(noEmail.expectation.code).toBe('CUSTOMER_EMAIL_MISSING');
		expect(contactOf(d, noEmail.invoice.id).properties.email).toBeUndefined();

		const emailCase = byNumber(d, 'INV-1013');
		const caseEmail = contactOf(d, emailCase.invoice.id).properties.email!;
		expect(emailCase.expectation.outcome).toBe('created');
		expect(qboCustomerEmails).not.toContain(caseEmail);
		expect(qboCustomerEmails.map((e: string) => e.toLowerCase())).toContain(caseEmail.toLowerCase());

		const special = byNumber(d, 'INV-1014');
		expect(special.expectation.outcome).toBe('created');
		expect(contactOf(d, special.invoice.id).properties.company).toMatch(/&.*#.*\/.*:/);

		const inactiveCustomer = byNumber(d, 'INV-1015');
		expect(inactiveCustomer.expectation.code).toBe('CUSTOMER_INACTIVE');
		const inactiveEmail = contactOf(d, inactiveCustomer.invoice.id).properties.email;
		expect(us.entities.Customer!.find((c: any) => c.PrimaryEmailAddr.Address === inactiveEmail).Active).toBe(false);

		const inactiveItem = byNumber(d, 'INV-1016');
		expect(inactiveItem.expectation.code).toBe('ITEM_INACTIVE');
		expect(linesOf(d, inactiveItem.invoice.id).some((l) => qboSkus.get(l.properties.hs_sku)?.Active === false)).toBe(true);

		const byHand = byNumber(d, 'INV-1017');
		expect(byHand.expectation.outcome).toBe('updated');
		const handInvoice = us.entities.Invoice!.find((i: any) => i.DocNumber === 'INV-1017');
		expect(handInvoice.PrivateNote).not.toMatch(/HubSpot invoice/);

		const long = d.hubspot.invoices.find((i) => i.properties.hs_number!.length === 25)!;
		expect(d.expectations[long.id].code).toBe('DOC_NUMBER_TOO_LONG');

		const tax = byNumber(d, 'INV-1019');
		expect(tax.expectation.code).toBe('TAX_CODE_NOT_FOUND');
		const unmapped = linesOf(d, tax.invoice.id).map((l) => l.properties.hs_tax_rate_group_id);
		expect(unmapped.some((id) => !d.taxMapping.some((m) => m.hubspotTaxRateId === id))).toBe(true);

		const closed = byNumber(d, 'INV-1020');
		expect(closed.invoice.properties.hs_invoice_date).toBe('2026-05-15T00:00:00.000Z');
		expect(closed.expectation.code).toBe('PERIOD_CLOSED');

		const dataSync = byNumber(d, 'INV-1021');
		expect(dataSync.invoice.properties.hs_invoice_source).toBe('data_sync');
		expect(dataSync.expectation.outcome).toBe('not-emitted');

		const draft = byNumber(d, 'INV-1022');
		expect(draft.invoice.properties.hs_invoice_status).toBe('draft');
		expect(draft.expectation.outcome).toBe('not-emitted');

		const voided = byNumber(d, 'INV-1023');
		expect(voided.invoice.properties.hs_invoice_status).toBe('voided');
		expect(voided.expectation.outcome).toBe('voided');
		const counterpart = us.entities.Invoice!.find((i: any) => i.DocNumber === 'INV-1023');
		expect(counterpart.PrivateNote).toBe(`HubSpot invoice ${voided.invoice.id}`);

		// Clean invoices only use mapped tax rates and dates after the books-closed date.
		for (const [id] of clean) {
			expect(linesOf(d, id).every((l) => d.taxMapping.some((m) => m.hubspotTaxRateId === l.properties.hs_tax_rate_group_id))).toBe(true);
			expect(d.hubspot.invoices.find((i) => i.id === id)!.properties.hs_invoice_date! > '2026-06-30').toBe(true);
		}
	});

	it('moves its dates with `now`', () => {
		const later = defaultDataset({ now: '2027-10-01T00:00:00.000Z' });
		const us = later.quickbooks.find((q) => q.realmId === US_REALM_ID)!;
		expect(us.preferences.AccountingInfoPrefs.BookCloseDate).toBe('2027-06-30');
	});
});

describe('generateDataset', () => {
	it('is deterministic per seed and differs across seeds', () => {
		const a = generateDataset({ seed: 7, invoices: 300 });
		expect(generateDataset({ seed: 7, invoices: 300 })).toEqual(a);
		expect(generateDataset({ seed: 8, invoices: 300 })).not.toEqual(a);
	});

	it('spreads failures over every code and is self-consistent', () => {
		const d = generateDataset({ seed: 3, invoices: 2000, linesPerInvoice: 3, skus: 50, customers: 80, failureRate: 0.1 });
		checkConsistency(d);
		expect(d.hubspot.invoices).toHaveLength(2000);
		const codes = new Set(Object.values(d.expectations).map((e) => e.code).filter(Boolean));
		expect([...codes].sort()).toEqual(
			['CUSTOMER_EMAIL_MISSING', 'CUSTOMER_INACTIVE', 'DOC_NUMBER_TOO_LONG', 'ITEM_INACTIVE', 'PERIOD_CLOSED', 'SKU_MISSING', 'SKU_NOT_FOUND', 'TAX_CODE_NOT_FOUND'].sort(),
		);
		const outcomes = new Set(Object.values(d.expectations).map((e) => e.outcome));
		expect([...outcomes].sort()).toEqual(['created', 'error', 'not-emitted', 'updated', 'voided']);
		const errors = Object.values(d.expectations).filter((e) => e.outcome === 'error').length;
		expect(errors / 2000).toBeGreaterThan(0.07);
		expect(errors / 2000).toBeLessThan(0.13);
	});

	it('builds 10,000 invoices quickly', () => {
		// Speed is the benchmark's business (npm run bench), never a timed assertion here.
		const d = generateDataset({ seed: 1, invoices: 10_000 });
		expect(d.hubspot.invoices).toHaveLength(10_000);
		const total = d.hubspot.invoices.reduce((n, i) => n + lineCount(d, i.id), 0);
		expect(d.hubspot.lineItems).toHaveLength(total);
	});
});
