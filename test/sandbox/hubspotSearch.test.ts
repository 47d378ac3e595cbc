/** HubSpot simulator: CRM search (operators, groups, sort, paging, HubSpot's limits). */
import { createHubSpotSimulator, DEFAULT_PRIVATE_APP_TOKEN, type HubSpotSimulator, type HubSpotSeed } from '../../sandbox/hubspot';
import { hubspotObject } from '../../sandbox/dataset/hubspotBuilders';

function seedWithInvoices(count: number): HubSpotSeed {
	const base = Date.parse('2026-09-01T00:00:00.000Z');
	const invoices = Array.from({ length: count }, (_, i) => {
		const at = new Date(base + i * 60_000).toISOString();
		return hubspotObject(
			'invoices',
			String(1000 + i),
			{
				hs_number: `INV-${1000 + i}`,
				hs_invoice_status: ['open', 'paid', 'draft', 'voided'][i % 4],
				hs_amount_billed: String(i * 10),
				hs_invoice_source: i % 5 === 0 ? 'data_sync' : 'hubspot',
				hs_title: i === 3 ? 'Quarterly support renewal' : undefined,
				hs_currency: 'USD',
			},
			at,
			at,
		);
	});
	return { invoices, lineItems: [], contacts: [], companies: [], products: [], taxRates: [], associations: [] };
}

async function search(sim: HubSpotSimulator, body: unknown, type = 'invoices') {
	const res = await fetch(`${sim.baseUrl}/crm/v3/objects/${type}/search`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${DEFAULT_PRIVATE_APP_TOKEN}`, 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: res.status, body: (await res.json()) as any };
}

const ids = (r: { body: any }) => r.body.results.map((o: any) => o.id);
const f = (propertyName: string, operator: string, extra: Record<string, unknown> = {}) => ({ propertyName, operator, ...extra });
const one = (...filters: unknown[]) => ({ filterGroups: [{ filters }], limit: 200 });

describe('HubSpot search', () => {
	let sim: HubSpotSimulator;
	beforeAll(async () => {
		sim = createHubSpotSimulator({ dataset: seedWithInvoices(20), limits: false });
		await sim.listen();
	});
	afterAll(() => sim.close());

	it('EQ is case-insensitive on strings; NEQ keeps records without the property', async () => {
		expect(ids(await search(sim, one(f('hs_number', 'EQ', { value: 'inv-1004' }))))).toEqual(['1004']);
		const neq = await search(sim, one(f('hs_title', 'NEQ', { value: 'quarterly support renewal' })));
		expect(neq.body.total).toBe(19);
		expect(ids(neq)).not.toContain('1003');
	});

	it('compares numbers numerically (GT, GTE, LT, LTE)', async () => {
		expect(ids(await search(sim, one(f('hs_amount_billed', 'GT', { value: '170' }))))).toEqual(['1018', '1019']);
		expect(ids(await search(sim, one(f('hs_amount_billed', 'GTE', { value: '180' }))))).toEqual(['1018', '1019']);
		expect(ids(await search(sim, one(f('hs_amount_billed', 'LT', { value: '20' }))))).toEqual(['1000', '1001']);
		expect(ids(await search(sim, one(f('hs_amount_billed', 'LTE', { value: 20 }))))).toEqual(['1000', '1001', '1002']);
	});

	it('compares datetimes as epoch ms, accepting epoch strings and ISO values; BETWEEN is inclusive', async () => {
		const t5 = String(Date.parse('2026-09-01T00:05:00.000Z'));
		expect(ids(await search(sim, one(f('hs_lastmodifieddate', 'GTE', { value: t5 }), f('hs_lastmodifieddate', 'LT', { value: '2026-09-01T00:07:00.000Z' }))))).toEqual(['1005', '1006']);
		const between = await search(sim, one(f('hs_createdate', 'BETWEEN', { value: '2026-09-01T00:02:00.000Z', highValue: String(Date.parse('2026-09-01T00:04:00.000Z')) })));
		expect(ids(between)).toEqual(['1002', '1003', '1004']);
	});

	it('IN / NOT_IN, HAS_PROPERTY / NOT_HAS_PROPERTY, CONTAINS_TOKEN', async () => {
		const inResult = await search(sim, one(f('hs_invoice_status', 'IN', { values: ['open', 'PAID'] })));
		expect(inResult.body.total).toBe(10);
		const notIn = await search(sim, one(f('hs_invoice_status', 'NOT_IN', { values: ['open', 'paid', 'draft'] })));
		expect(notIn.body.results.every((o: any) => o.id % 4 === 3)).toBe(true);
		expect(ids(await search(sim, one(f('hs_title', 'HAS_PROPERTY'))))).toEqual(['1003']);
		expect((await search(sim, one(f('hs_title', 'NOT_HAS_PROPERTY')))).body.total).toBe(19);
		expect(ids(await search(sim, one(f('hs_title', 'CONTAINS_TOKEN', { value: 'support' }))))).toEqual(['1003']);
		expect(ids(await search(sim, one(f('hs_title', 'CONTAINS_TOKEN', { value: 'renew*' }))))).toEqual(['1003']);
		expect((await search(sim, one(f('hs_title', 'NOT_CONTAINS_TOKEN', { value: 'support' })))).body.total).toBe(19);
	});

	it('ORs filter groups and ANDs the filters inside a group', async () => {
		const r = await search(sim, {
			filterGroups: [
				{ filters: [f('hs_invoice_status', 'EQ', { value: 'open' }), f('hs_invoice_source', 'EQ', { value: 'data_sync' })] },
				{ filters: [f('hs_number', 'EQ', { value: 'INV-1001' })] },
			],
		});
		// open = 0,4,8,12,16; data_sync = 0,5,10,15 → 1000; plus 1001
		expect(ids(r)).toEqual(['1000', '1001']);
	});

	it('sorts by one property, object or "-name" form; returns defaults or requested properties', async () => {
		const desc = await search(sim, { sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'DESCENDING' }], limit: 3 });
		expect(ids(desc)).toEqual(['1019', '1018', '1017']);
		const dash = await search(sim, { sorts: ['-hs_amount_billed'], limit: 2 });
		expect(ids(dash)).toEqual(['1019', '1018']);
		expect(Object.keys(dash.body.results[0].properties).sort()).toEqual(['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id']);
		const withProps = await search(sim, { limit: 1, properties: ['hs_number', 'hs_title', 'not_a_property'] });
		expect(withProps.body.results[0].properties).toMatchObject({ hs_number: 'INV-1000', hs_title: null });
		expect(withProps.body.results[0].properties).not.toHaveProperty('not_a_property');
	});

	it('rejects filters beyond 5 groups, 10 per group, 25 in total, and unknown properties', async () => {
		const group = (n: number) => ({ filters: Array.from({ length: n }, () => f('hs_number', 'HAS_PROPERTY')) });
		expect((await search(sim, { filterGroups: Array.from({ length: 6 }, () => group(1)) })).status).toBe(400);
		expect((await search(sim, { filterGroups: [group(11)] })).status).toBe(400);
		const tooMany = await search(sim, { filterGroups: [group(6), group(6), group(6), group(6), group(6)] });
		expect(tooMany.status).toBe(400);
		expect(tooMany.body.category).toBe('VALIDATION_ERROR');
		expect((await search(sim, { filterGroups: [group(5), group(5), group(5), group(5), group(5)] })).status).toBe(200);
		expect((await search(sim, one(f('no_such_prop', 'EQ', { value: 'x' })))).status).toBe(400);
		expect((await search(sim, one(f('hs_number', 'LIKE', { value: 'x' })))).status).toBe(400);
		expect((await search(sim, one(f('hs_number', 'EQ')))).status).toBe(400);
	});
});

describe('HubSpot search paging', () => {
	let sim: HubSpotSimulator;
	beforeAll(async () => {
		sim = createHubSpotSimulator({ dataset: seedWithInvoices(10_050), limits: false });
		await sim.listen();
	});
	afterAll(() => sim.close());

	it('pages 200 at a time with after, total and paging.next.after', async () => {
		const filter = { filterGroups: [{ filters: [f('hs_amount_billed', 'LT', { value: '4500' })] }], limit: 200 };
		const seen: string[] = [];
		let after: string | undefined;
		let pages = 0;
		do {
			const r = await search(sim, { ...filter, after });
			expect(r.status).toBe(200);
			expect(r.body.total).toBe(450);
			seen.push(...ids(r));
			after = r.body.paging?.next?.after;
			pages++;
		} while (after);
		expect(pages).toBe(3);
		expect(new Set(seen).size).toBe(450);
		expect((await search(sim, { limit: 201 })).status).toBe(400);
		const defaults = await search(sim, {});
		expect(defaults.body.results).toHaveLength(10);
		expect(defaults.body.paging.next.after).toBe('10');
	});

	it('caps a query at 10,000 results: paging past it is a 400', async () => {
		const near = await search(sim, { limit: 200, after: '9900' });
		expect(near.status).toBe(200);
		expect(near.body.total).toBe(10_050);
		expect(near.body.results).toHaveLength(100);
		expect(near.body.paging.next.after).toBe('10000');
		const past = await search(sim, { limit: 200, after: near.body.paging.next.after });
		expect(past.status).toBe(400);
		expect(past.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
		expect(past.body.message).toMatch(/10000/);
	});
});
