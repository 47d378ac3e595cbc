/**
 * HubSpot simulator: what the trigger reads besides invoices and line items, as HubSpot documents
 * it — paged tax rates, invoice-level discounts and fees (line-item scopes), the calculated invoice
 * totals, association labels, and the account's time zone.
 */
import { createHubSpotSimulator, DEFAULT_PRIVATE_APP_TOKEN, type HubSpotSeed, type HubSpotSimulator, type HubSpotTaxRate } from '../../sandbox/hubspot';

const AT = '2026-05-01T10:00:00.000Z';
const object = (id: string, properties: Record<string, string>) => ({ id, properties: { hs_object_id: id, ...properties }, createdAt: AT, updatedAt: AT, archived: false });
const rate = (id: number): HubSpotTaxRate => ({ id: String(id), name: `Rate ${id}`, label: `Rate ${id}`, percentageRate: id, active: id !== 5 });

/** Invoice 1: two lines (one with a line discount, one taxed), a 10 % and a 5.00 discount, a 7.50 fee; invoice 2: nothing. */
function seed(): HubSpotSeed {
	return {
		invoices: [object('1', { hs_number: 'INV-1', hs_currency: 'USD' }), object('2', { hs_number: 'INV-2', hs_amount_billed: '12.00' })],
		lineItems: [
			object('11', { quantity: '2', price: '50.00', discount: '5.00', amount: '90.00' }),
			object('12', { quantity: '1', price: '10.00', amount: '10.00', hs_tax_amount: '0.73' }),
		],
		contacts: [object('21', { email: 'rep@example.com' }), object('22', { email: 'ap@example.com' })],
		companies: [],
		products: [],
		taxRates: [1, 2, 3, 4, 5].map(rate),
		discounts: [object('31', { hs_label: 'Ten percent', hs_type: 'PERCENT', hs_value: '10' }), object('32', { hs_label: 'Voucher', hs_type: 'FIXED', hs_value: '5.00' })],
		fees: [object('41', { hs_label: 'Shipping', hs_type: 'FIXED', hs_value: '7.50' })],
		associations: [
			{ fromType: 'invoices', fromId: '1', toType: 'line_items', toId: '11' },
			{ fromType: 'invoices', fromId: '1', toType: 'line_items', toId: '12' },
			{ fromType: 'invoices', fromId: '1', toType: 'contacts', toId: '21' },
			{ fromType: 'invoices', fromId: '1', toType: 'contacts', toId: '22', labels: ['Billing contact'] },
			{ fromType: 'invoices', fromId: '1', toType: 'discounts', toId: '31' },
			{ fromType: 'invoices', fromId: '1', toType: 'discounts', toId: '32' },
			{ fromType: 'invoices', fromId: '1', toType: 'fees', toId: '41' },
		],
		timeZone: 'Pacific/Auckland',
	};
}

let sim: HubSpotSimulator;

async function call(method: string, path: string, body?: unknown, token = DEFAULT_PRIVATE_APP_TOKEN, on = sim) {
	const res = await fetch(on.baseUrl + path, {
		method,
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, body: (await res.json()) as any };
}

const TOTALS = ['hs_subtotal', 'hs_discounts_total', 'hs_fees_total', 'hs_taxes_total', 'hs_amount_billed'];
const totalsOf = async (id: string, on = sim) =>
	(await call('POST', '/crm/v3/objects/invoices/batch/read', { inputs: [{ id }], properties: TOTALS }, DEFAULT_PRIVATE_APP_TOKEN, on)).body.results[0].properties;

beforeAll(async () => {
	sim = createHubSpotSimulator({
		dataset: seed(),
		limits: false,
		taxRatesPageSize: 2,
		privateAppTokens: [DEFAULT_PRIVATE_APP_TOKEN, { token: 'invoices-only', scopes: ['crm.objects.invoices.read'] }],
		now: () => new Date(AT),
	});
	await sim.listen();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('tax rates are paged (limit, after → paging.next.after)', () => {
	it('serves a page at a time and a cursor while more remain', async () => {
		const first = await call('GET', '/tax-rates/v1/tax-rates');
		expect(first.body.results.map((r: HubSpotTaxRate) => r.id)).toEqual(['1', '2']);
		expect(first.body.paging.next.after).toBe('2');
		const second = await call('GET', `/tax-rates/v1/tax-rates?after=${first.body.paging.next.after}`);
		expect(second.body.results.map((r: HubSpotTaxRate) => r.id)).toEqual(['3', '4']);
		const last = await call('GET', `/tax-rates/v1/tax-rates?after=${second.body.paging.next.after}`);
		expect(last.body.results.map((r: HubSpotTaxRate) => r.id)).toEqual(['5']);
		expect(last.body.paging).toBeUndefined();
	});

	it('honours limit and active, and rejects a bad limit or cursor', async () => {
		const all = await call('GET', '/tax-rates/v1/tax-rates?limit=100');
		expect(all.body.results).toHaveLength(5);
		expect(all.body.paging).toBeUndefined();
		expect((await call('GET', '/tax-rates/v1/tax-rates?limit=100&active=true')).body.results).toHaveLength(4);
		expect((await call('GET', '/tax-rates/v1/tax-rates?limit=0')).status).toBe(400);
		expect((await call('GET', '/tax-rates/v1/tax-rates?after=x')).status).toBe(400);
	});
});

describe('invoice-level discounts and fees', () => {
	it('are objects of their own, read in batches with PERCENT/FIXED, and associated with invoices', async () => {
		const read = await call('POST', '/crm/v3/objects/discounts/batch/read', { inputs: [{ id: '31' }, { id: '32' }], properties: ['hs_label', 'hs_type', 'hs_value'] });
		expect(read.status).toBe(200);
		expect(read.body.results.map((r: any) => r.properties)).toEqual([
			expect.objectContaining({ hs_label: 'Ten percent', hs_type: 'PERCENT', hs_value: '10' }),
			expect.objectContaining({ hs_label: 'Voucher', hs_type: 'FIXED', hs_value: '5.00' }),
		]);
		const links = await call('POST', '/crm/v4/associations/invoices/fees/batch/read', { inputs: [{ id: '1' }, { id: '2' }] });
		expect(links.status).toBe(207); // invoice 2 has none
		expect(links.body.results).toEqual([{ from: { id: '1' }, to: [{ toObjectId: 41, associationTypes: [expect.objectContaining({ category: 'HUBSPOT_DEFINED' })] }] }]);
	});

	it('need the line-item scopes, as HubSpot documents for discounts and fees', async () => {
		const denied = await call('POST', '/crm/v3/objects/fees/batch/read', { inputs: [{ id: '41' }] }, 'invoices-only');
		expect(denied.status).toBe(403);
		expect(JSON.stringify(denied.body)).toContain('crm.objects.line_items.read');
	});

	it("reject a type other than PERCENT or FIXED", async () => {
		const bad = await call('POST', '/crm/v3/objects/fees', { properties: { hs_label: 'Odd', hs_type: 'TIERED', hs_value: '1' } });
		expect(bad.status).toBe(400);
	});
});

describe('calculated invoice totals', () => {
	it('discounts first, then fees, then taxes; line discounts count in hs_discounts_total', async () => {
		// subtotal 100.00 (90 + 10); invoice discounts 10 % of 100 + 5.00 = 15.00; fee 7.50; tax 0.73
		expect(await totalsOf('1')).toMatchObject({
			hs_subtotal: '100.00',
			hs_discounts_total: '25.00', // 15.00 on the invoice + 10.00 on line 11
			hs_fees_total: '7.50',
			hs_taxes_total: '0.73',
			hs_amount_billed: '93.23',
		});
		// an invoice with no lines, discounts or fees keeps what it was given
		expect(await totalsOf('2')).toMatchObject({ hs_amount_billed: '12.00', hs_subtotal: null });
	});

	it('follow changes to a line or a discount, and new associations', async () => {
		await call('PATCH', '/crm/v3/objects/discounts/31', { properties: { hs_value: '20' } });
		expect(await totalsOf('1')).toMatchObject({ hs_discounts_total: '35.00', hs_amount_billed: '83.23' });
		const fee = sim.createObject('fees', { hs_label: 'Card fee', hs_type: 'PERCENT', hs_value: '2' }, [{ toType: 'invoices', toId: '1' }]);
		expect(fee.id).toBeDefined();
		// 2 % of (100.00 − 25.00) = 1.50
		expect(await totalsOf('1')).toMatchObject({ hs_fees_total: '9.00', hs_amount_billed: '84.73' });
	});

	it('count only invoice-level discounts in hs_discounts_total when the setting says so', async () => {
		const other = createHubSpotSimulator({ dataset: seed(), limits: false, discountsTotalIncludesLineDiscounts: false });
		await other.listen();
		try {
			expect(await totalsOf('1', other)).toMatchObject({ hs_discounts_total: '15.00', hs_amount_billed: '93.23' });
		} finally {
			await other.close();
		}
	});
});

describe('association labels', () => {
	it('come back with the association (HUBSPOT_DEFINED plus USER_DEFINED) and in the label list', async () => {
		const links = await call('POST', '/crm/v4/associations/invoices/contacts/batch/read', { inputs: [{ id: '1' }] });
		const [unlabelled, labelled] = links.body.results[0].to;
		expect(unlabelled).toEqual({ toObjectId: 21, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 177, label: null }] });
		expect(labelled.toObjectId).toBe(22);
		expect(labelled.associationTypes).toEqual([
			{ category: 'HUBSPOT_DEFINED', typeId: 177, label: null },
			{ category: 'USER_DEFINED', typeId: expect.any(Number), label: 'Billing contact' },
		]);
		const list = await call('GET', '/crm/v4/associations/invoices/contacts/labels');
		expect(list.body.results).toContainEqual({ category: 'USER_DEFINED', typeId: labelled.associationTypes[1].typeId, label: 'Billing contact' });
	});
});

describe('account info', () => {
	it("reports the data set's time zone with its current offset", async () => {
		const info = await call('GET', '/account-info/v3/details');
		expect(info.body).toMatchObject({ timeZone: 'Pacific/Auckland', utcOffset: '+12:00', utcOffsetMilliseconds: 12 * 3_600_000 });
	});
});
