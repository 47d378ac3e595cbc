/**
 * HubSpot Invoice Trigger through n8n-core's PollContext (test harness `runPoll`) against an
 * in-memory HubSpot behind nock.
 */
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	// Retry backoff and search spacing wait through n8n's sleep: instant in these tests.
	sleep: jest.fn(async () => {}),
}));

import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { canonicalInvoiceSchema } from '../../package/nodes/shared/invoiceContract';
import { blockExternalNetwork } from '../harness';
import { captureLogs } from '../reliability/helpers/secrets';
import { FakeHubSpot, HUBSPOT_BASE, iso, seedInvoice } from '../kit';
import { cursorOf, idsOf, poll } from './helpers';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const BACKFILL = '2026-04-01T00:00:00.000Z';

let hubspot: FakeHubSpot;

beforeAll(() => blockExternalNetwork());
beforeEach(() => {
	hubspot = new FakeHubSpot();
	hubspot.install();
});
afterEach(() => nock.cleanAll());
// No nock.restore(): test files share a worker, and a restored nock stays off for the next file.
afterAll(() => nock.enableNetConnect());

const searchCount = () => hubspot.count(/\/search$/);

describe('what it emits', () => {
	it('emits one canonical invoice per item: number, status, currency, dates, source link, customer and ordered lines', async () => {
		seedInvoice(hubspot, 11, T0, { qbo_invoice_id: '77', hs_currency: 'usd' }, { company: true, lines: 3 });
		// positions reversed against ids: lines must follow hs_position_on_quote
		hubspot.lineItems.get('1100')!.properties.hs_position_on_quote = '2';
		hubspot.lineItems.get('1102')!.properties.hs_position_on_quote = '0';
		hubspot.lineItems.get('1101')!.properties.discount = '1.25';
		const { items } = await poll({ backfillSince: BACKFILL }, {});
		expect(items).toHaveLength(1);
		const invoice = items[0].invoice as IDataObject;
		expect(canonicalInvoiceSchema.safeParse(invoice).success).toBe(true);
		expect(items[0].error).toBeUndefined();
		expect(invoice).toMatchObject({
			source: {
				system: 'hubspot',
				id: '11',
				createdBy: 'hubspot',
				url: 'https://app.hubspot.com/contacts/424242/record/0-53/11',
				lastModifiedAt: iso(T0),
				quickbooksInvoiceId: '77',
				syncedHash: null,
			},
			number: 'INV-11',
			status: 'open',
			currency: 'USD',
			issueDate: '2026-03-01',
			dueDate: '2026-03-31',
			customer: {
				email: 'buyer11@example.com',
				firstName: 'Ada',
				lastName: 'Buyer',
				companyName: 'Company 11',
				hubspotContactId: '5011',
				hubspotCompanyId: '7011',
				address: { line1: '1 Main St', city: 'Springfield', state: 'CA', postalCode: '90000', country: 'US' },
			},
		});
		const lines = invoice.lines as IDataObject[];
		expect(lines.map((line) => line.hubspotLineItemId)).toEqual(['1102', '1101', '1100']);
		expect(lines[1]).toMatchObject({
			sku: 'SKU-1',
			name: 'Widget 1',
			description: 'Widget number 1',
			quantity: 2,
			unitPrice: 10.5,
			amount: 21,
			discount: { amount: 1.25, percentage: null },
			taxRateId: '1001',
			taxLabel: 'CA Sales Tax',
		});
		expect(lines[0].discount).toBeNull();
		expect(invoice.contentHash).toMatch(/^[0-9a-f]{32}$/);
	});

	it("uses the contact's company property when no company is associated, and the id when there is no number", async () => {
		seedInvoice(hubspot, 12, T0, { hs_number: null });
		const { items } = await poll({ backfillSince: BACKFILL }, {});
		expect(items[0].invoice).toMatchObject({ number: '12', customer: { companyName: 'Contact Co', hubspotCompanyId: null } });
	});

	it('emits an invoice it cannot read completely with INVOICE_INCOMPLETE and every field it could read', async () => {
		seedInvoice(hubspot, 21, T0, {}, { lines: 2 });
		hubspot.lineItems.delete('2101'); // associated but deleted
		seedInvoice(hubspot, 22, T0 + 1, {}, { contact: false });
		seedInvoice(hubspot, 23, T0 + 2);
		hubspot.contacts.get('5023')!.properties.email = null; // no email: complete here (Customer Resolve reports it)
		const { items } = await poll({ backfillSince: BACKFILL }, {});
		expect(idsOf(items)).toEqual(['21', '22', '23']);
		expect(items[0].error).toMatchObject({
			code: 'INVOICE_INCOMPLETE',
			message: expect.stringContaining('INV-21'),
			hint: expect.any(String),
			retryable: false,
			details: { hubspotInvoiceId: '21', missingLineItemIds: ['2101'] },
		});
		expect(((items[0].invoice as IDataObject).lines as IDataObject[]).map((line) => line.hubspotLineItemId)).toEqual(['2100']);
		expect(items[1].error).toMatchObject({ code: 'INVOICE_INCOMPLETE', message: expect.stringContaining('no contact'), details: { missingContact: true } });
		expect(items[2].error).toBeUndefined();
		expect((items[2].invoice as IDataObject).customer).toMatchObject({ email: null, firstName: 'Ada' });
	});

	it('leaves the link null when the portal id cannot be read, and asks only once', async () => {
		hubspot.portalId = null;
		seedInvoice(hubspot, 31, T0);
		const staticData: IDataObject = {};
		const first = await poll({ backfillSince: BACKFILL }, staticData);
		expect((first.items[0].invoice as any).source.url).toBeNull();
		seedInvoice(hubspot, 32, T0 + 5);
		await poll({ backfillSince: BACKFILL }, staticData);
		expect(hubspot.count(/account-info/)).toBe(1);
	});

	it("gives dates as the day in the account's time zone, or in the invoice's own (hs_timezone)", async () => {
		hubspot.timeZone = 'America/Los_Angeles';
		// picked as 1 March and 31 March in Los Angeles, stored as the end of those days
		seedInvoice(hubspot, 51, T0, { hs_invoice_date: '2026-03-02T07:59:59.999Z', hs_due_date: '2026-04-01T06:59:59.999Z' });
		// picked as 1 March in Auckland, stored as the start of that day
		seedInvoice(hubspot, 52, T0 + 1, { hs_invoice_date: '2026-02-28T11:00:00.000Z', hs_due_date: '2026-03-31T00:00:00.000Z', hs_timezone: 'Pacific/Auckland' });
		const { items } = await poll({ backfillSince: BACKFILL }, {});
		expect(items.map((item) => [(item.invoice as any).issueDate, (item.invoice as any).dueDate])).toEqual([
			['2026-03-01', '2026-03-31'],
			['2026-03-01', '2026-03-31'],
		]);
		expect(hubspot.searches()[0].properties).toContain('hs_timezone');
	});

	it('carries invoice-level totals, discounts and fees, read in batches', async () => {
		const totals = { hs_subtotal: '42.00', hs_discounts_total: '6.20', hs_fees_total: '5.00', hs_taxes_total: '2.83', hs_amount_billed: '43.63' };
		seedInvoice(hubspot, 61, T0, totals);
		hubspot.addAdjustment('discounts', '61', '801', { hs_label: 'Spring promo', hs_type: 'PERCENT', hs_value: '10', hs_sort_order: '0' });
		hubspot.addAdjustment('discounts', '61', '802', { hs_label: 'Voucher', hs_type: 'FIXED', hs_value: '2.00', hs_sort_order: '1' });
		hubspot.addAdjustment('fees', '61', '901', { hs_label: 'Shipping', hs_type: 'FIXED', hs_value: '5.00' });
		seedInvoice(hubspot, 62, T0 + 1, { hs_discounts_total: '0', hs_fees_total: '0' });
		const { items } = await poll({ backfillSince: BACKFILL }, {});
		expect(items.map((item) => item.error)).toEqual([undefined, undefined]);
		expect(items[0].invoice).toMatchObject({
			totals: { subtotal: 42, discountTotal: 6.2, feeTotal: 5, taxTotal: 2.83, total: 43.63 },
			adjustments: [
				{ kind: 'discount', hubspotId: '801', name: 'Spring promo', amount: null, percentage: 10 },
				{ kind: 'discount', hubspotId: '802', name: 'Voucher', amount: 2, percentage: null },
				{ kind: 'fee', hubspotId: '901', name: 'Shipping', amount: 5, percentage: null },
			],
		});
		expect(items[1].invoice).toMatchObject({ totals: { subtotal: null, discountTotal: 0, feeTotal: 0 }, adjustments: [] });
		// invoice 62's zero totals mean it has none: only invoice 61 is asked about, once per kind
		const discountAssociations = hubspot.calls.filter((call) => call.path === '/crm/v4/associations/invoices/discounts/batch/read');
		expect(discountAssociations.map((call) => call.body.inputs)).toEqual([[{ id: '61' }]]);
		expect(hubspot.count(/\/crm\/v4\/associations\/invoices\/fees\/batch\/read$/)).toBe(1);
		expect(hubspot.calls.filter((call) => call.path === '/crm/v3/objects/discounts/batch/read').map((call) => call.body)).toEqual([
			{ inputs: [{ id: '801' }, { id: '802' }], properties: ['hs_label', 'hs_type', 'hs_value', 'hs_sort_order'], propertiesWithHistory: [] },
		]);
		expect(hubspot.count(/\/crm\/v3\/objects\/fees\/batch\/read$/)).toBe(1);
	});

	it('bills the contact whose association carries a billing label, not the lowest id', async () => {
		seedInvoice(hubspot, 71, T0); // contact 5021
		hubspot.contacts.set('4000', { id: '4000', properties: { email: 'sales-rep@example.com', firstname: 'Sam' } });
		hubspot.associations.get('71')!.contacts.unshift('4000');
		expect(((await poll({ backfillSince: BACKFILL }, {})).items[0].invoice as any).customer.hubspotContactId).toBe('4000');
		hubspot.contactLabels.set('71:5021', ['Billing contact']);
		const labelled = (await poll({ backfillSince: BACKFILL }, {})).items[0].invoice as any;
		expect(labelled.customer).toMatchObject({ hubspotContactId: '5021', email: 'buyer21@example.com' });
		hubspot.contactLabels.set('71:5021', ['Accounts payable']);
		const custom = (await poll({ backfillSince: BACKFILL, options: { billingContactLabels: 'Accounts Payable' } }, {})).items[0].invoice as any;
		expect(custom.customer.hubspotContactId).toBe('5021');
	});

	it('outputs extra invoice properties under hubspotProperties', async () => {
		seedInvoice(hubspot, 41, T0, { hs_title: 'Spring order' });
		const { items } = await poll({ backfillSince: BACKFILL, options: { extraProperties: ['hs_title'] } }, {});
		expect(items[0].hubspotProperties).toEqual({ hs_title: 'Spring order' });
		expect(hubspot.searches()[0].properties).toContain('hs_title');
	});
});

describe('cursor', () => {
	it('starts after the newest invoice on first activation (emits nothing), then emits only later changes', async () => {
		seedInvoice(hubspot, 1, T0);
		seedInvoice(hubspot, 2, T0 + 1000);
		const staticData: IDataObject = {};
		const first = await poll({}, staticData);
		expect(first.raw).toBeNull();
		expect(cursorOf(staticData)).toMatchObject({ cursorMs: T0 + 1000, seen: { '2': T0 + 1000 } });
		expect(await poll({}, staticData)).toMatchObject({ raw: null });

		seedInvoice(hubspot, 3, T0 + 2000);
		hubspot.invoices.get('1')!.properties.hs_lastmodifieddate = iso(T0 + 3000);
		const next = await poll({}, staticData);
		expect(idsOf(next.items)).toEqual(['3', '1']);
		expect(cursorOf(staticData)).toMatchObject({ cursorMs: T0 + 3000, seen: { '1': T0 + 3000 } });
	});

	it('records every invoice sharing the newest timestamp on first activation, so none of them is emitted later', async () => {
		seedInvoice(hubspot, 1, T0);
		for (const id of [2, 3, 4]) seedInvoice(hubspot, id, T0 + 1000);
		const staticData: IDataObject = {};
		expect((await poll({}, staticData)).raw).toBeNull();
		expect(cursorOf(staticData)).toMatchObject({ cursorMs: T0 + 1000, seen: { '2': T0 + 1000, '3': T0 + 1000, '4': T0 + 1000 } });
		expect((await poll({}, staticData)).raw).toBeNull();
		seedInvoice(hubspot, 5, T0 + 1000); // indexed late at the same millisecond: after activation, so emitted
		expect(idsOf((await poll({}, staticData)).items)).toEqual(['5']);
	});

	it('records more invoices sharing the newest timestamp than fit one search page', async () => {
		for (let id = 1; id <= 450; id++) seedInvoice(hubspot, id, T0, {}, { lines: 0 });
		const staticData: IDataObject = {};
		expect((await poll({}, staticData)).raw).toBeNull();
		expect(Object.keys(cursorOf(staticData).seen as object)).toHaveLength(450);
		expect(hubspot.searches()).toHaveLength(4); // the newest page, then 450 ids at 200 a page
		expect((await poll({}, staticData)).raw).toBeNull();
	});

	it('pages across pages of 200 with one fresh search per page, never an offset, in ascending order', async () => {
		for (let id = 1; id <= 450; id++) seedInvoice(hubspot, id, T0 + id * 10);
		const { items } = await poll({ backfillSince: BACKFILL }, {});
		expect(idsOf(items)).toEqual(Array.from({ length: 450 }, (_unused, index) => String(index + 1)));
		const searches = hubspot.searches();
		expect(searches).toHaveLength(3);
		for (const body of searches) {
			expect(body.limit).toBe(200);
			expect(body.after).toBeUndefined();
			expect(body.sorts).toEqual([{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }]);
		}
		// the window moves to the last timestamp seen on each page
		expect(searches.map((body) => body.filterGroups[0].filters[0])).toEqual([
			{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(Date.parse(BACKFILL)) },
			{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(T0 + 200 * 10) },
			{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(T0 + 399 * 10) },
		]);
	});

	it('neither duplicates nor drops invoices sharing the boundary millisecond across two polls', async () => {
		seedInvoice(hubspot, 1, T0);
		for (const id of [2, 3, 4]) seedInvoice(hubspot, id, T0 + 500);
		const staticData: IDataObject = {};
		const first = await poll({ backfillSince: BACKFILL, maxInvoices: 2 }, staticData);
		expect(first.items).toHaveLength(2);
		const cursor = cursorOf(staticData);
		expect(cursor.cursorMs).toBe(T0 + 500);
		expect(Object.keys(cursor.seen as object)).toHaveLength(1); // the one emitted at T0+500

		// another invoice lands on the same millisecond (e.g. indexed late) and one later
		seedInvoice(hubspot, 5, T0 + 500);
		seedInvoice(hubspot, 6, T0 + 900);
		const second = await poll({ backfillSince: BACKFILL, maxInvoices: 2 }, staticData);
		const third = await poll({ backfillSince: BACKFILL, maxInvoices: 2 }, staticData);
		const fourth = await poll({ backfillSince: BACKFILL, maxInvoices: 2 }, staticData);
		const all = [...first.items, ...second.items, ...third.items, ...fourth.items];
		expect(idsOf(all).sort()).toEqual(['1', '2', '3', '4', '5', '6']);
		expect(idsOf(all).slice(-1)).toEqual(['6']);
		expect(fourth.raw).toBeNull();
	});

	it('pages through more invoices than fit one page at a single millisecond by record id', async () => {
		for (let id = 1; id <= 450; id++) seedInvoice(hubspot, id, T0, {}, { lines: 0 });
		seedInvoice(hubspot, 999, T0 + 1, {}, { lines: 0 });
		const { items } = await poll({ backfillSince: BACKFILL }, {});
		expect(new Set(idsOf(items)).size).toBe(451);
		expect(items).toHaveLength(451);
		expect(idsOf(items).slice(-1)).toEqual(['999']);
		const idPaged = hubspot.searches().filter((body) => body.sorts[0].propertyName === 'hs_object_id');
		expect(idPaged.length).toBeGreaterThanOrEqual(2);
		expect(idPaged[0].filterGroups[0].filters.slice(0, 2)).toEqual([
			{ propertyName: 'hs_lastmodifieddate', operator: 'EQ', value: String(T0) },
			{ propertyName: 'hs_object_id', operator: 'GT', value: '0' },
		]);
	});

	it('moves the window instead of paging past 10,000 matches', async () => {
		for (let id = 1; id <= 10_050; id++) seedInvoice(hubspot, id, T0 + id, {}, { lines: 0 });
		const { items } = await poll({ backfillSince: BACKFILL, maxInvoices: 20_000 }, {});
		expect(items).toHaveLength(10_050);
		expect(new Set(idsOf(items)).size).toBe(10_050);
		const searches = hubspot.searches();
		expect(searches.every((body) => body.after === undefined)).toBe(true);
		expect(searches.length).toBeLessThanOrEqual(Math.ceil(10_050 / 199) + 1);
		// no HubSpot error: the fake answers 400 to any page past the 10,000th result
	}, 60_000);

	it('drains a backlog over several polls with bounded work, continuing exactly', async () => {
		// groups of three invoices share a millisecond, so poll boundaries fall inside groups
		for (let id = 1; id <= 2500; id++) seedInvoice(hubspot, id, T0 + Math.floor(id / 3) * 7, {}, { lines: 1 });
		const staticData: IDataObject = {};
		const counts: number[] = [];
		const emitted: string[] = [];
		for (let run = 0; run < 5; run++) {
			const { items } = await poll({ backfillSince: BACKFILL, maxInvoices: 1000 }, staticData);
			counts.push(items.length);
			emitted.push(...idsOf(items));
		}
		expect(counts).toEqual([1000, 1000, 500, 0, 0]);
		expect(emitted).toHaveLength(2500);
		expect(new Set(emitted).size).toBe(2500);
		const seen = Object.keys(cursorOf(staticData).seen as object);
		expect(seen.length).toBeLessThanOrEqual(3);
	});

	it('restarts from a new Backfill Since date but keeps its cursor when the date stays the same', async () => {
		seedInvoice(hubspot, 1, Date.parse('2026-02-10T00:00:00Z'));
		seedInvoice(hubspot, 2, T0);
		const staticData: IDataObject = {};
		expect(idsOf((await poll({ backfillSince: BACKFILL }, staticData)).items)).toEqual(['2']);
		expect((await poll({ backfillSince: BACKFILL }, staticData)).raw).toBeNull();
		expect(idsOf((await poll({ backfillSince: '2026-02-01T00:00:00.000Z' }, staticData)).items)).toEqual(['1', '2']);
	});
});

describe('filters and loop guard', () => {
	it('emits only the selected statuses, filtered in the search itself', async () => {
		seedInvoice(hubspot, 1, T0 + 1, { hs_invoice_status: 'draft' });
		seedInvoice(hubspot, 2, T0 + 2, { hs_invoice_status: 'open' });
		seedInvoice(hubspot, 3, T0 + 3, { hs_invoice_status: 'paid' });
		seedInvoice(hubspot, 4, T0 + 4, { hs_invoice_status: 'voided' });
		const { items } = await poll({ backfillSince: BACKFILL }, {}); // default Open + Paid
		expect(idsOf(items)).toEqual(['2', '3']);
		expect(hubspot.searches()[0].filterGroups[0].filters).toContainEqual({ propertyName: 'hs_invoice_status', operator: 'IN', values: ['open', 'paid'] });

		const voided = await poll({ backfillSince: BACKFILL, statuses: ['voided', 'draft'] }, {});
		expect(idsOf(voided.items)).toEqual(['1', '4']);
		const all = await poll({ backfillSince: BACKFILL, statuses: [] }, {});
		expect(idsOf(all.items)).toEqual(['1', '2', '3', '4']);
	});

	it('skips only invoices from the listed integration sources, without reading them; any other source is synced', async () => {
		seedInvoice(hubspot, 1, T0 + 1, { hs_invoice_source: 'data_sync' });
		seedInvoice(hubspot, 2, T0 + 2, { hs_invoice_source: 'Integration' }); // nobody documented it: synced
		seedInvoice(hubspot, 3, T0 + 3, { hs_invoice_source: 'HubSpot' });
		seedInvoice(hubspot, 4, T0 + 4, { hs_invoice_source: null });
		seedInvoice(hubspot, 5, T0 + 5, { hs_invoice_source: 'LEGACY_QUICKBOOKS_INTEGRATION' });
		const staticData: IDataObject = {};
		const { items } = await poll({ backfillSince: BACKFILL }, staticData);
		expect(idsOf(items)).toEqual(['2', '3', '4']);
		const lineReads = hubspot.calls.filter((call) => call.path === '/crm/v3/objects/line_items/batch/read');
		expect(lineReads.flatMap((call) => call.body.inputs.map((input: IDataObject) => input.id)).sort()).toEqual(['200', '201', '300', '301', '400', '401']);
		expect(cursorOf(staticData).cursorMs).toBe(T0 + 5);

		const off = await poll({ backfillSince: BACKFILL, skipIntegrationSource: false }, {});
		expect(idsOf(off.items)).toEqual(['1', '2', '3', '4', '5']);
		const edited = await poll({ backfillSince: BACKFILL, options: { integrationSources: 'integration,  Stripe' } }, {});
		expect(idsOf(edited.items)).toEqual(['1', '3', '4', '5']);
		const none = await poll({ backfillSince: BACKFILL, options: { integrationSources: '' } }, {});
		expect(idsOf(none.items)).toEqual(['1', '2', '3', '4', '5']);
	});

	it('an invoice that started in QuickBooks (qbo_origin = quickbooks) is never emitted, guard on or off, and is not read: a manual run says why', async () => {
		seedInvoice(hubspot, 1, T0 + 1, { qbo_origin: 'quickbooks', qbo_invoice_id: '201' });
		seedInvoice(hubspot, 2, T0 + 2, { qbo_origin: 'hubspot' });
		seedInvoice(hubspot, 3, T0 + 3);
		const scheduled = await poll({ backfillSince: BACKFILL }, {});
		expect(idsOf(scheduled.items)).toEqual(['2', '3']);
		const lineReads = hubspot.calls.filter((call) => call.path === '/crm/v3/objects/line_items/batch/read');
		expect(lineReads.flatMap((call) => call.body.inputs.map((input: IDataObject) => input.id)).sort()).toEqual(['200', '201', '300', '301']);
		const off = await poll({ backfillSince: BACKFILL, skipIntegrationSource: false }, {});
		expect(idsOf(off.items)).toEqual(['2', '3']);
		const manual = await poll({ backfillSince: BACKFILL }, {}, 'manual');
		expect(manual.items[0].triggerSummary).toMatchObject({
			skipped: 1,
			startedInQuickBooks: 1,
			message: '2 invoices emitted, 1 skipped: 1 started in QuickBooks: content comes from QuickBooks',
		});
	});

	it('a manual run shows what it skipped and why on its first item, and logs it; the item contract is unchanged', async () => {
		seedInvoice(hubspot, 1, T0 + 1, { hs_invoice_source: 'data_sync' });
		seedInvoice(hubspot, 2, T0 + 2, { hs_invoice_source: 'data_sync' });
		seedInvoice(hubspot, 3, T0 + 3);
		const logs = captureLogs();
		let manual;
		try {
			manual = await poll({ backfillSince: BACKFILL }, {}, 'manual');
		} finally {
			logs.restore();
		}
		expect(idsOf(manual.items)).toEqual(['3']);
		expect(manual.items[0].triggerSummary).toEqual({
			emitted: 1,
			skipped: 2,
			integrationSources: { data_sync: 2 },
			unchangedSinceLastSync: 0,
			startedInQuickBooks: 0,
			statusNotChanged: 0,
			message: '1 invoice emitted, 2 skipped: 2 made by an integration (Invoice Source "data_sync": 2)',
		});
		expect(canonicalInvoiceSchema.safeParse(manual.items[0].invoice).success).toBe(true);
		expect(logs.lines.some((line) => line.startsWith('info HubSpot Invoice Trigger: 1 invoice emitted, 2 skipped') && line.includes('data_sync'))).toBe(true);
		// scheduled polls log it too
		const scheduledLogs = captureLogs();
		try {
			await poll({ backfillSince: BACKFILL }, {});
		} finally {
			scheduledLogs.restore();
		}
		expect(scheduledLogs.lines.some((line) => line.includes('2 skipped: 2 made by an integration'))).toBe(true);
	});

	it('a manual run that skipped every invoice says so (and why) instead of returning nothing', async () => {
		seedInvoice(hubspot, 1, T0 + 1, { hs_invoice_source: 'Data Sync' });
		const error = await poll({ backfillSince: BACKFILL }, {}, 'manual').catch((caught) => caught);
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toBe('No invoice to emit: 0 invoices emitted, 1 skipped: 1 made by an integration (Invoice Source "Data Sync": 1)');
		expect(error.description).toMatch(/Integration Sources to Skip/);
		// with nothing skipped, an empty run is still just empty
		hubspot.invoices.clear();
		expect((await poll({ backfillSince: BACKFILL }, {}, 'manual')).raw).toBeNull();
	});

	it("skips an invoice whose only change is this sync's own write-back (hash still matches)", async () => {
		seedInvoice(hubspot, 1, T0);
		seedInvoice(hubspot, 2, T0 + 1);
		const staticData: IDataObject = {};
		const first = await poll({ backfillSince: BACKFILL }, staticData);
		expect(first.items).toHaveLength(2);
		// the upsert writes back qbo_sync_hash (bumping hs_lastmodifieddate) for both
		for (const item of first.items) {
			const invoice = item.invoice as any;
			const stored = hubspot.invoices.get(invoice.source.id)!;
			stored.properties.qbo_sync_hash = invoice.contentHash;
			stored.properties.hs_lastmodifieddate = iso(T0 + 60_000);
		}
		// and someone then really edits invoice 2
		hubspot.lineItems.get('200')!.properties.quantity = '3';
		const second = await poll({ backfillSince: BACKFILL }, staticData);
		expect(idsOf(second.items)).toEqual(['2']);
		expect((second.items[0].invoice as any).source.syncedHash).not.toBe((second.items[0].invoice as any).contentHash);
		expect(cursorOf(staticData).cursorMs).toBe(T0 + 60_000);
		expect((await poll({ backfillSince: BACKFILL }, staticData)).raw).toBeNull();
	});

	it('a manual (backfill) run retries invoices whose last sync failed; polls never do (no loop)', async () => {
		seedInvoice(hubspot, 1, T0);
		seedInvoice(hubspot, 2, T0 + 1);
		const staticData: IDataObject = {};
		const first = await poll({ backfillSince: BACKFILL }, staticData);
		// Both written back with the hash; invoice 2 failed (say the period was closed in QuickBooks).
		for (const item of first.items) {
			const invoice = item.invoice as any;
			const stored = hubspot.invoices.get(invoice.source.id)!;
			stored.properties.qbo_sync_hash = invoice.contentHash;
			stored.properties.qbo_sync_status = invoice.source.id === '2' ? 'failed' : 'synced';
			stored.properties.hs_lastmodifieddate = iso(T0 + 60_000);
		}
		expect((await poll({ backfillSince: BACKFILL }, staticData)).raw).toBeNull();
		const manual = await poll({ backfillSince: BACKFILL }, {}, 'manual');
		expect(idsOf(manual.items)).toEqual(['2']);
	});
});

describe('events', () => {
	it('"Invoice Created" follows hs_createdate and emits each new invoice once', async () => {
		seedInvoice(hubspot, 1, T0 + 10, {}, { createdMs: Date.parse('2026-01-01T00:00:00Z') }); // old invoice, edited now
		seedInvoice(hubspot, 2, T0 + 20, {}, { createdMs: T0 + 5 });
		const staticData: IDataObject = {};
		const first = await poll({ backfillSince: BACKFILL, event: 'created' }, staticData);
		expect(idsOf(first.items)).toEqual(['2']);
		expect(hubspot.searches()[0].filterGroups[0].filters[0]).toMatchObject({ propertyName: 'hs_createdate', operator: 'GTE' });
		hubspot.invoices.get('2')!.properties.hs_lastmodifieddate = iso(T0 + 30);
		expect((await poll({ backfillSince: BACKFILL, event: 'created' }, staticData)).raw).toBeNull();
	});

	it('"Invoice Updated" leaves out invoices created inside the window', async () => {
		seedInvoice(hubspot, 1, T0 + 10, {}, { createdMs: Date.parse('2026-01-01T00:00:00Z') });
		seedInvoice(hubspot, 2, T0 + 20, {}, { createdMs: T0 + 5 });
		const { items } = await poll({ backfillSince: BACKFILL, event: 'updated' }, {});
		expect(idsOf(items)).toEqual(['1']);
		expect(hubspot.searches()[0].filterGroups[0].filters).toContainEqual({ propertyName: 'hs_createdate', operator: 'LT', value: String(Date.parse(BACKFILL)) });
	});

	it('"Invoice Status Changed" emits an invoice when its status changed to a selected one, not on later edits', async () => {
		const paid = seedInvoice(hubspot, 1, T0 + 100, { hs_invoice_status: 'paid' }) as any;
		paid.history = { hs_invoice_status: [{ value: 'paid', timestamp: iso(T0 + 90) }, { value: 'open', timestamp: iso(T0 - 1000) }] };
		const stillPaid = seedInvoice(hubspot, 2, T0 + 200, { hs_invoice_status: 'paid' }) as any;
		stillPaid.history = { hs_invoice_status: [{ value: 'paid', timestamp: iso(Date.parse('2026-03-01T00:00:00Z')) }] };
		const staticData: IDataObject = {};
		const first = await poll({ backfillSince: BACKFILL, event: 'statusChanged', statuses: ['paid'] }, staticData);
		expect(idsOf(first.items)).toEqual(['1']);
		const historyReads = hubspot.calls.filter((call) => call.path === '/crm/v3/objects/invoices/batch/read');
		expect(historyReads).toHaveLength(1);
		expect(historyReads[0].body.propertiesWithHistory).toEqual(['hs_invoice_status']);
		// a later edit that does not touch the status
		paid.properties.hs_lastmodifieddate = iso(T0 + 5000);
		expect((await poll({ backfillSince: BACKFILL, event: 'statusChanged', statuses: ['paid'] }, staticData)).raw).toBeNull();
	});
});

describe('manual runs', () => {
	it('returns the most recent matching invoice(s), newest first, without touching the cursor', async () => {
		for (let id = 1; id <= 5; id++) seedInvoice(hubspot, id, T0 + id * 1000);
		seedInvoice(hubspot, 6, T0 + 9000, { hs_invoice_status: 'draft' });
		const staticData: IDataObject = {};
		const one = await poll({}, staticData, 'manual');
		expect(idsOf(one.items)).toEqual(['5']);
		expect(hubspot.searches()[0].sorts).toEqual([{ propertyName: 'hs_lastmodifieddate', direction: 'DESCENDING' }]);
		const three = await poll({ options: { testEventCount: 3 } }, staticData, 'manual');
		expect(idsOf(three.items)).toEqual(['5', '4', '3']);
		expect(cursorOf(staticData)).toBeUndefined();
		// reads only what it returns
		expect(hubspot.calls.filter((call) => call.path.includes('line_items/batch/read')).at(-1)!.body.inputs).toHaveLength(6);
	});

	it('with Backfill Since returns every matching invoice since then, oldest first, up to the maximum', async () => {
		seedInvoice(hubspot, 1, Date.parse('2026-03-01T00:00:00Z'));
		for (let id = 2; id <= 6; id++) seedInvoice(hubspot, id, T0 + id);
		const staticData: IDataObject = {};
		const all = await poll({ backfillSince: BACKFILL }, staticData, 'manual');
		expect(idsOf(all.items)).toEqual(['2', '3', '4', '5', '6']);
		const capped = await poll({ backfillSince: BACKFILL, maxInvoices: 3 }, staticData, 'manual');
		expect(idsOf(capped.items)).toEqual(['2', '3', '4']);
		expect(cursorOf(staticData)).toBeUndefined();
	});

	it('returns null when nothing matches', async () => {
		expect((await poll({}, {}, 'manual')).raw).toBeNull();
	});
});

describe('errors', () => {
	const missingScope = {
		status: 'error',
		message: "This app hasn't been granted all required scopes to make this call.",
		category: 'MISSING_SCOPES',
		errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.invoices.read'] } }],
	};

	it('401 on the first poll: a NodeApiError that says to reconnect', async () => {
		hubspot.failNext(/search$/, 401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' }, 2);
		const staticData: IDataObject = {};
		const error = await poll({}, staticData).catch((caught) => caught);
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(/AUTH_EXPIRED.*HubSpot rejected the connection/);
		expect(error.description).toMatch(/Reconnect/);
		expect(cursorOf(staticData)).toBeUndefined();
	});

	it('403 missing scope: names the scope', async () => {
		hubspot.failNext(/search$/, 403, missingScope);
		const error = await poll({}, {}, 'manual').catch((caught) => caught);
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toContain('crm.objects.invoices.read');
		expect(error.description).toMatch(/scope/);
	});

	it('429 daily limit: fails at once (no retries) with DAILY_LIMIT_REACHED', async () => {
		hubspot.failNext(/search$/, 429, { status: 'error', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT', policyName: 'DAILY' }, 5);
		const error = await poll({ backfillSince: BACKFILL }, {}).catch((caught) => caught);
		expect(error.message).toMatch(/DAILY_LIMIT_REACHED/);
		expect(searchCount()).toBe(1);
	});

	it('5xx after retries: HUBSPOT_UNAVAILABLE; a 5xx that recovers is retried transparently', async () => {
		seedInvoice(hubspot, 1, T0);
		hubspot.failNext(/line_items\/batch\/read$/, 502, { status: 'error', message: 'Bad gateway' }, 2);
		const recovered = await poll({ backfillSince: BACKFILL }, {});
		expect(idsOf(recovered.items)).toEqual(['1']);

		hubspot.failNext(/search$/, 503, { status: 'error', message: 'Service unavailable' }, 100);
		const error = await poll({ backfillSince: BACKFILL }, {}).catch((caught) => caught);
		expect(error.message).toMatch(/HUBSPOT_UNAVAILABLE/);
		expect(error.name).toBe('NodeApiError');
	});

	it('a later poll throws too (n8n records it) and keeps the cursor, so nothing is lost', async () => {
		seedInvoice(hubspot, 1, T0);
		const staticData: IDataObject = {};
		await poll({}, staticData); // activation
		const before = JSON.parse(JSON.stringify(cursorOf(staticData)));
		seedInvoice(hubspot, 2, T0 + 10);
		hubspot.failNext(/contacts\/batch\/read$/, 401, { status: 'error', message: 'expired', category: 'EXPIRED_AUTHENTICATION' }, 1);
		await expect(poll({}, staticData)).rejects.toThrow(/AUTH_EXPIRED/);
		expect(cursorOf(staticData)).toEqual(before);
		const after = await poll({}, staticData);
		expect(idsOf(after.items)).toEqual(['2']);
	});
});

describe('OAuth2 credential', () => {
	it('polls with the OAuth2 credential and refreshes an expired token once', async () => {
		seedInvoice(hubspot, 1, T0);
		hubspot.expiredTokens.add('expired-access-token');
		const credentials = {
			hubSpotInvoiceSyncOAuth2Api: {
				useCustomBaseUrl: true,
				baseUrl: HUBSPOT_BASE,
				clientId: 'client-id',
				clientSecret: 'client-secret',
				oauthTokenData: { access_token: 'expired-access-token', refresh_token: 'refresh-1', token_type: 'bearer' },
			},
		};
		const { items } = await poll({ hubspotAuthentication: 'oAuth2', backfillSince: BACKFILL }, {}, 'trigger', credentials);
		expect(idsOf(items)).toEqual(['1']);
		// the first call's 401 is asked again the way n8n refreshes on; n8n refreshes once and retries
		const apiCalls = hubspot.calls.filter((call) => call.path !== '/oauth/v1/token');
		expect(apiCalls.slice(0, 3).map((call) => call.authorization)).toEqual(['Bearer expired-access-token', 'Bearer expired-access-token', 'Bearer refreshed-access-token']);
		expect(apiCalls.slice(2).every((call) => call.authorization === 'Bearer refreshed-access-token')).toBe(true);
		expect(hubspot.count(/\/oauth\/v1\/token$/)).toBe(1);
		expect(hubspot.calls.find((call) => call.path === '/oauth/v1/token')?.body).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'refresh-1', client_id: 'client-id' });
	});
});

describe('cost', () => {
	it('N invoices cost about N/200 searches plus a few batch reads per 1,000, never a call per invoice', async () => {
		const N = 1000;
		// HubSpot's totals say which invoices have discounts or fees: the 10 with some are asked about
		for (let id = 1; id <= N; id++) {
			const some = id % 100 === 0;
			seedInvoice(hubspot, id, T0 + id, { hs_discounts_total: some ? '1.00' : '0', hs_fees_total: some ? '2.00' : '0' }, { lines: 1, company: true });
			if (some) {
				hubspot.addAdjustment('discounts', String(id), `8${id}`, { hs_label: 'Promo', hs_type: 'FIXED', hs_value: '1.00' });
				hubspot.addAdjustment('fees', String(id), `9${id}`, { hs_label: 'Shipping', hs_type: 'FIXED', hs_value: '2.00' });
			}
		}
		const { items } = await poll({ backfillSince: BACKFILL, maxInvoices: N }, {});
		expect(items).toHaveLength(N);
		const searches = searchCount();
		const associationReads = hubspot.count(/\/crm\/v4\/associations\//);
		const lineItemReads = hubspot.count(/v3\/objects\/line_items\/batch\/read$/);
		const contactReads = hubspot.count(/v3\/objects\/contacts\/batch\/read$/);
		const companyReads = hubspot.count(/v3\/objects\/companies\/batch\/read$/);
		expect(searches).toBe(6); // ceil(1000 / 199): each fresh search re-reads one boundary invoice
		const adjustmentReads = hubspot.count(/v3\/objects\/(discounts|fees)\/batch\/read$/);
		expect(associationReads).toBe(5); // contacts, companies, line items: 1,000 ids each; discounts, fees: 10 ids each
		expect(lineItemReads).toBe(10); // 1,000 line items, 100 per call
		expect(contactReads).toBe(1); // 50 distinct contacts
		expect(companyReads).toBe(1); // 20 distinct companies
		expect(adjustmentReads).toBe(2); // 10 discounts, 10 fees
		expect(items.filter((item) => (item.invoice as any).adjustments.length === 2)).toHaveLength(10);
		expect(hubspot.calls.length).toBe(searches + associationReads + lineItemReads + contactReads + companyReads + adjustmentReads + 1 /* account info */);
		expect(hubspot.calls.length).toBeLessThan(N / 25);
	});
});
