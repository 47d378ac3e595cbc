jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => {}) }));

import type { HubSpotObject, HubSpotSearchRequest } from '../../package/nodes/shared/transport/hubspot';
import { advanceCursor, alreadySeen, isCursorState, newCursor, windowStart } from '../../package/nodes/HubSpotInvoiceTrigger/cursor';
import { pollInvoices, scanInvoices, statusChangeTimes, type FeedOptions, type InvoiceApi } from '../../package/nodes/HubSpotInvoiceTrigger/invoiceFeed';
import { portalOf, type PortalCache } from '../../package/nodes/HubSpotInvoiceTrigger/portal';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');

describe('cursor state', () => {
	it('starts at the given time with the floor there', () => {
		const state = newCursor('hs_lastmodifieddate', T0, { now: T0 + 5, seen: { '1': T0 } });
		expect(state).toEqual({ version: 1, property: 'hs_lastmodifieddate', cursorMs: T0, seen: { '1': T0 }, floorMs: T0, backfillSince: null, lastPollAt: T0 + 5 });
		expect(isCursorState(state)).toBe(true);
		expect(isCursorState({ cursorMs: 'x' })).toBe(false);
		expect(isCursorState(undefined)).toBe(false);
	});

	it('searches from the cursor when the last poll ran long after it (no lookback needed)', () => {
		const state = { ...newCursor('hs_lastmodifieddate', T0 - 86_400_000, { now: T0 }), cursorMs: T0 - 3_600_000 };
		expect(windowStart(state, 60_000)).toBe(T0 - 3_600_000);
	});

	it('looks back before the cursor when the last poll ran right after it, never before the floor', () => {
		const state = { ...newCursor('hs_lastmodifieddate', T0 - 86_400_000, { now: T0 }), cursorMs: T0 - 2_000 };
		expect(windowStart(state, 60_000)).toBe(T0 - 60_000);
		expect(windowStart(state, 0)).toBe(T0 - 2_000);
		const fresh = newCursor('hs_lastmodifieddate', T0, { now: T0 });
		expect(windowStart(fresh, 60_000)).toBe(T0);
	});

	it('an id counts as seen at its timestamp or later, not for a newer change', () => {
		expect(alreadySeen({ a: T0 }, 'a', T0)).toBe(true);
		expect(alreadySeen({ a: T0 }, 'a', T0 - 1)).toBe(true);
		expect(alreadySeen({ a: T0 }, 'a', T0 + 1)).toBe(false);
		expect(alreadySeen({}, 'a', T0)).toBe(false);
	});

	it('advances without moving back and keeps only the ids the next window can return', () => {
		const state = { ...newCursor('hs_lastmodifieddate', T0 - 86_400_000, { now: T0 - 86_400_000 }), cursorMs: T0 - 1000 };
		const seen = { old: T0 - 5000, boundary: T0, other: T0, earlier: T0 - 1 };
		const longAfter = T0 + 3_600_000;
		expect(advanceCursor(state, seen, T0, longAfter, 60_000)).toMatchObject({ cursorMs: T0, lastPollAt: longAfter, seen: { boundary: T0, other: T0 } });
		// with the poll right after the cursor, the lookback keeps the last minute
		expect(advanceCursor(state, seen, T0, T0 + 10, 60_000).seen).toEqual(seen);
		expect(advanceCursor(state, {}, T0 - 50_000, longAfter, 0).cursorMs).toBe(T0 - 1000);
	});
});

/** Invoices served by a minimal in-memory search (ties in descending id order). */
class MemoryApi implements InvoiceApi {
	searches: HubSpotSearchRequest[] = [];
	constructor(public invoices: HubSpotObject[]) {}

	async search(_type: string, body: HubSpotSearchRequest) {
		this.searches.push(body);
		const filters = body.filterGroups?.[0]?.filters ?? [];
		const value = (invoice: HubSpotObject, name: string) => (name === 'hs_object_id' ? Number(invoice.id) : Date.parse(invoice.properties[name] ?? ''));
		const matches = this.invoices.filter((invoice) =>
			filters.every((filter) => {
				const actual = value(invoice, filter.propertyName);
				const wanted = Number(filter.value);
				return { EQ: actual === wanted, GT: actual > wanted, GTE: actual >= wanted, LT: actual < wanted }[filter.operator as 'EQ'] ?? true;
			}),
		);
		const sort = body.sorts?.[0] as { propertyName: string; direction: string };
		matches.sort((a, b) => value(a, sort.propertyName) - value(b, sort.propertyName) || Number(b.id) - Number(a.id));
		if (sort.direction === 'DESCENDING') matches.reverse();
		const limit = body.limit ?? 10;
		return { total: matches.length, results: matches.slice(0, limit), nextAfter: matches.length > limit ? String(limit) : undefined };
	}

	async batchRead() {
		return { results: new Map<string, HubSpotObject>(), missingIds: [] };
	}

	async batchReadAssociations(_from: string, _to: string, ids: Iterable<string>) {
		return new Map([...ids].map((id) => [id, []]));
	}

	async request<T>(): Promise<T> {
		return { results: [] } as T;
	}
}

const invoiceAt = (id: number, ms: number, properties: Record<string, string> = {}): HubSpotObject => ({
	id: String(id),
	properties: { hs_lastmodifieddate: new Date(ms).toISOString(), hs_createdate: new Date(ms).toISOString(), hs_invoice_source: 'hubspot', ...properties },
});

const options = (overrides: Partial<FeedOptions> = {}): FeedOptions => ({
	event: 'createdOrUpdated',
	statuses: [],
	skipIntegrationSource: true,
	integrationSources: ['Data Sync'],
	extraProperties: [],
	maxInvoices: 1000,
	lookbackMs: 0,
	...overrides,
});

describe('scanInvoices', () => {
	it('stops exactly at the read budget; integration invoices before the cut are processed, after it not', async () => {
		const api = new MemoryApi([invoiceAt(1, T0), invoiceAt(2, T0 + 1, { hs_invoice_source: 'data_sync' }), invoiceAt(3, T0 + 2), invoiceAt(4, T0 + 3, { hs_invoice_source: 'data_sync' })]);
		const seen: Record<string, number> = {};
		const scan = await scanInvoices(api, options(), 'hs_lastmodifieddate', T0, seen, 1);
		expect(scan.scanned.map((entry) => [entry.invoice.id, entry.read])).toEqual([
			['1', true],
			['2', false],
		]);
		expect(scan.complete).toBe(false);
		expect(scan.lastProcessedMs).toBe(T0 + 1);
		expect(seen).toEqual({ '1': T0, '2': T0 + 1 });
	});

	it('pages a crowded millisecond by id, then continues after it with GT', async () => {
		const crowded = Array.from({ length: 250 }, (_unused, index) => invoiceAt(index + 1, T0));
		const api = new MemoryApi([...crowded, invoiceAt(1000, T0 + 1)]);
		const scan = await scanInvoices(api, options(), 'hs_lastmodifieddate', T0, {}, 10_000);
		expect(scan.scanned).toHaveLength(251);
		expect(scan.complete).toBe(true);
		const shapes = api.searches.map((body) => body.filterGroups![0].filters.slice(0, 2).map((filter) => `${filter.propertyName} ${filter.operator} ${filter.value}`).join(' & '));
		expect(shapes).toEqual([
			`hs_lastmodifieddate GTE ${T0}`,
			`hs_lastmodifieddate EQ ${T0} & hs_object_id GT 0`,
			`hs_lastmodifieddate EQ ${T0} & hs_object_id GT 200`,
			`hs_lastmodifieddate GT ${T0}`,
		]);
	});

	it('stops starting searches when the poll runs out of time, keeping what it has', async () => {
		const api = new MemoryApi(Array.from({ length: 500 }, (_unused, index) => invoiceAt(index + 1, T0 + index)));
		const scan = await scanInvoices(api, options({ outOfTime: () => true }), 'hs_lastmodifieddate', T0, {}, 10_000);
		expect(api.searches).toHaveLength(1);
		expect(scan.scanned).toHaveLength(200);
		expect(scan.complete).toBe(false);
		expect(scan.lastProcessedMs).toBe(T0 + 199);
	});
});

describe('pollInvoices with a lookback', () => {
	it('emits an invoice HubSpot indexed late (before the cursor) once, and not the ones already emitted', async () => {
		const now = Date.now();
		const early = invoiceAt(1, now - 15_000);
		const late = invoiceAt(2, now - 20_000); // changed before invoice 1, but searchable only after the first poll
		const api = new MemoryApi([early]);
		let state = newCursor('hs_lastmodifieddate', now - 30_000, { now: now - 30_000 });
		const first = await pollInvoices(api, options({ lookbackMs: 60_000 }), state, now - 10_000);
		state = first.state;
		expect(first.items.map((item) => (item.invoice as any).source.id)).toEqual(['1']);
		api.invoices.push(late);
		const second = await pollInvoices(api, options({ lookbackMs: 60_000 }), state, now);
		expect(second.items.map((item) => (item.invoice as any).source.id)).toEqual(['2']);
		const third = await pollInvoices(api, options({ lookbackMs: 60_000 }), second.state, now + 1000);
		expect(third.items).toHaveLength(0);
		// without the lookback the late invoice is lost: the cursor is already past it
		const withoutLookback = await pollInvoices(new MemoryApi([early, late]), options(), first.state, now);
		expect(withoutLookback.items).toHaveLength(0);
	});
});

describe('pollInvoices after a large write-back', () => {
	it('moves past a full page of invoices it already saw (lookback) and emits the next real change in a few searches', async () => {
		const now = Date.now();
		// A sync wrote back to 300 invoices within the last minute: all were seen by the previous poll.
		const writtenBack = Array.from({ length: 300 }, (_unused, index) => invoiceAt(index + 1, now - 50_000 + index * 10));
		const api = new MemoryApi(writtenBack);
		const start = newCursor('hs_lastmodifieddate', now - 60_000, { now: now - 60_000 });
		const first = await pollInvoices(api, options({ lookbackMs: 60_000 }), start, now - 1_000);
		expect(first.items).toHaveLength(300);

		api.invoices.push(invoiceAt(1000, now + 500));
		api.searches = [];
		// A poll going round in circles would search until n8n's poll budget is gone; cut it short here.
		const second = await pollInvoices(api, options({ lookbackMs: 60_000, outOfTime: () => api.searches.length > 20 }), first.state, now + 1_000);
		expect(second.items.map((item) => (item.invoice as any).source.id)).toEqual(['1000']);
		expect(second.stats.complete).toBe(true);
		expect(api.searches.length).toBeLessThanOrEqual(4);

		api.searches = [];
		const third = await pollInvoices(api, options({ lookbackMs: 60_000, outOfTime: () => api.searches.length > 20 }), second.state, now + 2_000);
		expect(third.items).toHaveLength(0);
		expect(third.stats.complete).toBe(true);
		expect(api.searches.length).toBeLessThanOrEqual(4);
	});
});

describe('statusChangeTimes', () => {
	it('finds when the current status was set from property history (newest first)', async () => {
		const api = new MemoryApi([]);
		api.request = async <T>() =>
			({
				results: [
					{
						id: '1',
						properties: { hs_invoice_status: 'paid' },
						propertiesWithHistory: {
							hs_invoice_status: [
								{ value: 'paid', timestamp: '2026-05-03T00:00:00.000Z' },
								{ value: 'paid', timestamp: '2026-05-02T00:00:00.000Z' },
								{ value: 'open', timestamp: '2026-05-01T00:00:00.000Z' },
							],
						},
					},
					{ id: '2', properties: { hs_invoice_status: 'open' } },
				],
			}) as T;
		const times = await statusChangeTimes(api, ['1', '2']);
		expect(times.get('1')).toBe(Date.parse('2026-05-02T00:00:00.000Z'));
		expect(times.has('2')).toBe(false);
	});
});

describe('portalOf', () => {
	it('reads the portal once and keeps it; on failure links are null and it waits an hour before asking again', async () => {
		let calls = 0;
		const ok = { request: async <T>() => ((calls++, { portalId: 42, uiDomain: 'app.hubspot.com', timeZone: 'US/Pacific' }) as T) };
		const portal = { portalId: '42', uiDomain: 'app.hubspot.com', timeZone: 'US/Pacific' };
		const staticData: { portal?: PortalCache } = {};
		expect(await portalOf(ok, staticData, T0)).toEqual(portal);
		expect(await portalOf(ok, staticData, T0)).toEqual(portal);
		expect(calls).toBe(1);

		const failing = {
			request: async () => {
				calls++;
				throw new Error('404');
			},
		};
		const empty: { portal?: PortalCache } = {};
		expect(await portalOf(failing, empty, T0)).toBeNull();
		expect(await portalOf(failing, empty, T0 + 1000)).toBeNull();
		expect(calls).toBe(2);
		expect(await portalOf(ok, empty, T0 + 3_600_001)).toEqual(portal);
	});

	it("keeps the account's time zone, null when HubSpot gives none it knows, and reads caches kept without one again", async () => {
		let calls = 0;
		const answering = (timeZone?: string) => ({ request: async <T>() => ((calls++, { portalId: 42, timeZone }) as T) });
		expect(await portalOf(answering('Pacific/Auckland'), {}, T0)).toMatchObject({ timeZone: 'Pacific/Auckland' });
		expect(await portalOf(answering('Nowhere/Special'), {}, T0)).toMatchObject({ timeZone: null });
		expect(await portalOf(answering(undefined), {}, T0)).toMatchObject({ timeZone: null });
		const older = { portal: { portalId: '42', uiDomain: null, retryAt: null } as PortalCache };
		calls = 0;
		expect(await portalOf(answering('America/Los_Angeles'), older, T0)).toMatchObject({ portalId: '42', timeZone: 'America/Los_Angeles' });
		expect(await portalOf(answering('America/Los_Angeles'), older, T0)).toMatchObject({ timeZone: 'America/Los_Angeles' });
		expect(calls).toBe(1);
	});
});
