/** Change data capture in the QuickBooks simulator: shape, window, order, deletes, the 1,000 cap and the clock control. */
import { createQuickBooksSimulator, type QboSimulator } from '../../sandbox/quickbooks';
import { EXAMPLE_CLIENT, EXAMPLE_US_REALM, exampleUsCompany } from '../../sandbox/quickbooks/exampleSeed';
import { qboClient } from '../../sandbox/quickbooks/simpleClient';

const START = '2026-03-10T12:00:00.000Z';
let sim: QboSimulator;
let qbo: ReturnType<typeof qboClient>;
let base: string;

beforeAll(async () => {
	sim = createQuickBooksSimulator({ companies: [exampleUsCompany()], clients: [EXAMPLE_CLIENT], limits: false, now: () => new Date(START) });
	base = await sim.listen(0);
	qbo = qboClient(base, EXAMPLE_US_REALM, sim.issueTokens(EXAMPLE_CLIENT.clientId, EXAMPLE_US_REALM).access_token);
});
afterAll(() => sim.close());
beforeEach(() => {
	sim.setClock({ freezeAt: null, offsetMs: 0 });
	sim.reset(); // after the clock: the seed is stamped with the company's now
	Object.assign(sim.assumptions, { cdcObjectCap: 'perResponse', cdcChangedSinceBoundary: 'inclusive' });
});

const cdc = (entities: string, changedSince: string) => qbo.request('GET', 'cdc', undefined, { params: { entities, changedSince } });
const clock = (body: object) => fetch(`${base}/__sandbox/clock`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
const line = (amount: number) => ({ DetailType: 'SalesItemLineDetail', Amount: amount, SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: amount, TaxCodeRef: { value: 'NON' } } });
const newInvoice = async (amount: number) => (await qbo.post('invoice', { CustomerRef: { value: '1' }, TxnDate: '2026-03-01', Line: [line(amount)] })).json.Invoice;

function listOf(res: { json: any }, entity: string): any[] {
	return res.json.CDCResponse[0].QueryResponse.find((r: any) => r[entity])?.[entity] ?? [];
}

describe('GET /cdc', () => {
	it('answers CDCResponse[0].QueryResponse per entity in the order asked, changes oldest first, with a time', async () => {
		await clock({ advanceMs: 1000 });
		const a = await newInvoice(10);
		await clock({ advanceMs: 1000 });
		const b = await newInvoice(20);
		await clock({ advanceMs: 1000 });
		const pay = (await qbo.post('payment', { CustomerRef: { value: '1' }, TotalAmt: 10, Line: [{ Amount: 10, LinkedTxn: [{ TxnId: a.Id, TxnType: 'Invoice' }] }] })).json.Payment;
		const res = await cdc('Payment,Invoice,CreditMemo', '2026-03-10T12:00:00.500Z');
		expect(res.status).toBe(200);
		const responses = res.json.CDCResponse[0].QueryResponse;
		expect(responses).toHaveLength(3);
		expect(responses[0].Payment.map((p: any) => p.Id)).toEqual([pay.Id]);
		// Invoice a changed again when the payment lowered its Balance, so it now comes after b.
		expect(responses[1].Invoice.map((i: any) => i.Id)).toEqual([b.Id, a.Id]);
		expect(responses[1]).toMatchObject({ startPosition: 1, maxResults: 2 });
		expect(responses[2]).toEqual({});
		expect(res.json.time).toBe('2026-03-10T12:00:03.000Z');
	});

	it('lists deletes after live records as {Id, status: Deleted, MetaData.LastUpdatedTime}; a void is an update with zero amounts', async () => {
		const keep = await newInvoice(5);
		const gone = await newInvoice(6);
		const voided = await newInvoice(7);
		await clock({ advanceMs: 5000 });
		await qbo.post('invoice', { Id: gone.Id, SyncToken: gone.SyncToken }, { operation: 'delete' });
		await qbo.post('invoice', { Id: voided.Id, SyncToken: voided.SyncToken }, { operation: 'void' });
		const all = listOf(await cdc('Invoice', START), 'Invoice');
		expect(all.map((i) => i.Id)).toEqual(['1', keep.Id, voided.Id, gone.Id]);
		expect(all[3]).toEqual({ domain: 'QBO', status: 'Deleted', Id: gone.Id, MetaData: { LastUpdatedTime: '2026-03-10T12:00:05Z' } });
		expect(all[2]).toMatchObject({ TotalAmt: 0, Balance: 0, PrivateNote: 'Voided' });
		const later = listOf(await cdc('Invoice', '2026-03-10T12:00:04Z'), 'Invoice');
		expect(later.map((i) => i.Id)).toEqual([voided.Id, gone.Id]);
	});

	it('refuses changedSince more than 30 days back, a missing parameter, and entities CDC does not serve', async () => {
		expect((await cdc('Invoice', '2026-02-08T11:59:59Z')).json.Fault.Error[0]).toMatchObject({ code: '2010', element: 'changedSince' });
		expect((await cdc('Invoice', '2026-02-08T12:00:00Z')).status).toBe(200);
		expect((await qbo.request('GET', 'cdc', undefined, { params: { entities: 'Invoice' } })).json.Fault.Error[0].code).toBe('2020');
		expect((await cdc('TaxCode', START)).json.Fault.Error[0]).toMatchObject({ code: '2010', element: 'entities' });
		expect((await cdc('Invoice', 'yesterday')).status).toBe(400);
	});

	it('a record changed exactly at changedSince is in the answer (inclusive), or not (exclusive)', async () => {
		await clock({ freezeAt: '2026-03-10T12:30:00.000Z' });
		const a = await newInvoice(1);
		const b = await newInvoice(2);
		expect(a.MetaData.LastUpdatedTime).toBe(b.MetaData.LastUpdatedTime);
		expect(listOf(await cdc('Invoice', '2026-03-10T12:30:00.000Z'), 'Invoice').map((i) => i.Id)).toEqual([a.Id, b.Id]);
		sim.assumptions.cdcChangedSinceBoundary = 'exclusive';
		expect(listOf(await cdc('Invoice', '2026-03-10T12:30:00.000Z'), 'Invoice')).toEqual([]);
	});

	it('answers at most 1,000 objects, oldest first, without a fault; perEntity caps each list instead', async () => {
		const realm = sim.state.realms[EXAMPLE_US_REALM];
		const template = realm.entities.Invoice.get('1')!;
		for (let i = 0; i < 1001; i++) {
			const id = String(100 + i);
			realm.entities.Invoice.set(id, { ...template, Id: id, MetaData: { CreateTime: START, LastUpdatedTime: new Date(Date.parse(START) + i).toISOString() } });
		}
		realm.entities.Customer.get('1')!.MetaData.LastUpdatedTime = '2026-03-10T13:00:00.000Z';
		const capped = await cdc('Invoice,Customer', '2026-03-10T12:00:00Z');
		expect(listOf(capped, 'Invoice')).toHaveLength(1000);
		// The seeded invoice 1 and invoices 100…1098: the oldest 1,000 changes.
		expect(listOf(capped, 'Invoice')[999].Id).toBe('1098');
		expect(listOf(capped, 'Customer')).toEqual([]);
		sim.assumptions.cdcObjectCap = 'perEntity';
		const perEntity = await cdc('Invoice,Customer', '2026-03-10T12:00:00Z');
		expect(listOf(perEntity, 'Invoice')).toHaveLength(1000);
		expect(listOf(perEntity, 'Customer').map((c) => c.Id)).toEqual(['2', '3', '4', '1']);
	});

	it('stamps LastUpdatedTime in whole seconds, as QuickBooks does: writes within one second tie', async () => {
		await clock({ advanceMs: 100 });
		const a = await newInvoice(1);
		await clock({ advanceMs: 800 });
		const b = await newInvoice(2);
		await clock({ advanceMs: 200 });
		const c = await newInvoice(3);
		expect([a, b, c].map((i) => i.MetaData.LastUpdatedTime)).toEqual(['2026-03-10T12:00:00Z', '2026-03-10T12:00:00Z', '2026-03-10T12:00:01Z']);
	});

	it('the clock control skews the company clock: MetaData times and the 30-day window follow it', async () => {
		expect(await clock({ offsetMs: -90_000 })).toEqual({ now: '2026-03-10T11:58:30.000Z' });
		const inv = await newInvoice(3);
		expect(inv.MetaData.LastUpdatedTime).toBe('2026-03-10T11:58:30Z');
		expect((await fetch(`${base}/__sandbox/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 'x' }) })).status).toBe(400);
	});
});
