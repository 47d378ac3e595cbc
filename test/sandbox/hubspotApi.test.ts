/** HubSpot simulator: objects, batch read, v4 associations, PATCH, properties API, tax rates, errors, control paths. */
import net from 'net';
import { createHubSpotSimulator, DEFAULT_PRIVATE_APP_TOKEN, type HubSpotSimulator } from '../../sandbox/hubspot';
import { defaultDataset } from '../../sandbox/dataset';

const dataset = defaultDataset();
const INV = dataset.hubspot.invoices[0]; // INV-1001: 3 lines, contact + company

let sim: HubSpotSimulator;

async function call(method: string, path: string, body?: unknown, raw?: string) {
	const res = await fetch(sim.baseUrl + path, {
		method,
		headers: { Authorization: `Bearer ${DEFAULT_PRIVATE_APP_TOKEN}`, 'Content-Type': 'application/json' },
		body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
	});
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

beforeAll(async () => {
	sim = createHubSpotSimulator({ dataset: dataset.hubspot, limits: false });
	await sim.listen();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('objects: list and get', () => {
	it('lists with limit ≤ 100, properties and a next cursor', async () => {
		const r = await call('GET', '/crm/v3/objects/invoices?limit=5&properties=hs_number,hs_invoice_status');
		expect(r.status).toBe(200);
		expect(r.body.results).toHaveLength(5);
		expect(r.body.results[0].properties).toMatchObject({ hs_number: 'INV-1001', hs_invoice_status: 'open' });
		const next = await call('GET', `/crm/v3/objects/invoices?limit=100&after=${r.body.paging.next.after}`);
		expect(next.body.results).toHaveLength(dataset.hubspot.invoices.length - 5);
		expect(next.body.paging).toBeUndefined();
		expect((await call('GET', '/crm/v3/objects/invoices?limit=101')).status).toBe(400);
	});

	it('gets one record with embedded associations, by id or by idProperty; 404 when missing', async () => {
		const r = await call('GET', `/crm/v3/objects/invoices/${INV.id}?properties=hs_number&associations=contacts,line_items`);
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ id: INV.id, archived: false, properties: { hs_number: 'INV-1001' } });
		expect(r.body.associations.line_items.results).toHaveLength(3);
		expect(r.body.associations.contacts.results[0]).toEqual({ id: '1010000001', type: 'invoice_to_contact' });
		const byEmail = await call('GET', '/crm/v3/objects/contacts/ap@acme.example?idProperty=email');
		expect(byEmail.body.id).toBe('1010000001');
		const missing = await call('GET', '/crm/v3/objects/invoices/999');
		expect(missing.status).toBe(404);
		expect(missing.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
	});
});

describe('batch read', () => {
	it('reads up to 100 ids with properties; 207 with OBJECT_NOT_FOUND for missing ids', async () => {
		const ids = dataset.hubspot.lineItems.slice(0, 3).map((l) => ({ id: l.id }));
		const ok = await call('POST', '/crm/v3/objects/line_items/batch/read', { inputs: ids, properties: ['hs_sku', 'quantity', 'price', 'amount'] });
		expect(ok.status).toBe(200);
		expect(ok.body.status).toBe('COMPLETE');
		expect(ok.body.results.map((o: any) => o.properties.hs_sku)).toEqual(['PROD-001', 'PROD-002', 'PROD-003']);
		const partial = await call('POST', '/crm/v3/objects/line_items/batch/read', { inputs: [...ids, { id: '1' }, { id: '2' }], properties: ['hs_sku'] });
		expect(partial.status).toBe(207);
		expect(partial.body).toMatchObject({ status: 'COMPLETE', numErrors: 1 });
		expect(partial.body.results).toHaveLength(3);
		expect(partial.body.errors[0]).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: ['1', '2'] } });
	});

	it('rejects more than 100 inputs', async () => {
		const inputs = Array.from({ length: 101 }, (_, i) => ({ id: String(i) }));
		const r = await call('POST', '/crm/v3/objects/invoices/batch/read', { inputs });
		expect(r.status).toBe(400);
		expect(r.body.category).toBe('VALIDATION_ERROR');
	});
});

describe('associations v4', () => {
	it('batch reads invoice → line items / contacts with HUBSPOT_DEFINED type ids', async () => {
		const r = await call('POST', '/crm/v4/associations/invoices/line_items/batch/read', { inputs: [{ id: INV.id }, { id: dataset.hubspot.invoices[1].id }] });
		expect(r.status).toBe(200);
		expect(r.body.results).toHaveLength(2);
		const first = r.body.results.find((x: any) => x.from.id === INV.id);
		expect(first.to).toHaveLength(3);
		expect(first.to[0]).toEqual({ toObjectId: 4010000001, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 409, label: null }] });
		const contacts = await call('POST', '/crm/v4/associations/invoices/contacts/batch/read', { inputs: [{ id: INV.id }] });
		expect(contacts.body.results[0].to[0].associationTypes[0].typeId).toBe(177);
		const reverse = await call('GET', '/crm/v4/objects/contacts/1010000001/associations/invoices');
		expect(reverse.body.results.map((x: any) => String(x.toObjectId))).toEqual(
			Object.entries(dataset.expectations).filter(([, e]) => ['INV-1001', 'INV-1007', 'INV-1018-2026-CONTRACT-AB', 'INV-1020', 'INV-1024'].includes(e.invoiceNumber!)).map(([id]) => id),
		);
	});

	it('reports ids without associations as errors (207) and caps inputs at 1000', async () => {
		const r = await call('POST', '/crm/v4/associations/invoices/line_items/batch/read', { inputs: [{ id: INV.id }, { id: '42' }] });
		expect(r.status).toBe(207);
		expect(r.body.errors[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { fromObjectId: ['42'] } });
		const big = await call('POST', '/crm/v4/associations/invoices/line_items/batch/read', { inputs: Array.from({ length: 1001 }, (_, i) => ({ id: String(i) })) });
		expect(big.status).toBe(400);
	});
});

describe('PATCH and the properties API', () => {
	it('rejects unknown and read-only properties and invalid options', async () => {
		const unknown = await call('PATCH', `/crm/v3/objects/invoices/${INV.id}`, { properties: { qbo_sync_status: 'synced' } });
		expect(unknown.status).toBe(400);
		expect(unknown.body.category).toBe('VALIDATION_ERROR');
		expect(unknown.body.message).toContain('PROPERTY_DOESNT_EXIST');
		expect(unknown.body.message).toContain('qbo_sync_status');
		const readOnly = await call('PATCH', `/crm/v3/objects/invoices/${INV.id}`, { properties: { hs_object_id: '1' } });
		expect(readOnly.body.message).toContain('READ_ONLY_VALUE');
		const option = await call('PATCH', `/crm/v3/objects/invoices/${INV.id}`, { properties: { hs_invoice_status: 'lost' } });
		expect(option.body.message).toContain('INVALID_OPTION');
		const missing = await call('PATCH', '/crm/v3/objects/invoices/1', { properties: { hs_title: 'x' } });
		expect(missing.status).toBe(404);
	});

	it('creates a property group and properties (409 on repeat), then PATCH and batch update accept them', async () => {
		const group = await call('POST', '/crm/v3/properties/invoices/groups', { name: 'quickbooks_sync', label: 'QuickBooks sync', displayOrder: -1 });
		expect(group.status).toBe(201);
		expect((await call('POST', '/crm/v3/properties/invoices/groups', { name: 'quickbooks_sync', label: 'again' })).status).toBe(409);
		const definition = {
			name: 'qbo_sync_status',
			label: 'QuickBooks sync status',
			type: 'enumeration',
			fieldType: 'select',
			groupName: 'quickbooks_sync',
			options: ['synced', 'failed', 'voided'].map((v) => ({ label: v, value: v })),
		};
		const created = await call('POST', '/crm/v3/properties/invoices', definition);
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ name: 'qbo_sync_status', type: 'enumeration', groupName: 'quickbooks_sync' });
		const again = await call('POST', '/crm/v3/properties/invoices', definition);
		expect(again.status).toBe(409);
		expect(again.body.category).toBe('OBJECT_ALREADY_EXISTS');
		expect((await call('POST', '/crm/v3/properties/invoices', { ...definition, name: 'x', groupName: 'nope' })).status).toBe(400);
		await call('POST', '/crm/v3/properties/invoices', { name: 'qbo_invoice_id', label: 'QBO id', type: 'string', fieldType: 'text', groupName: 'quickbooks_sync' });

		const list = await call('GET', '/crm/v3/properties/invoices');
		expect(list.body.results.map((p: any) => p.name)).toEqual(expect.arrayContaining(['hs_number', 'qbo_sync_status', 'qbo_invoice_id']));
		expect((await call('GET', '/crm/v3/properties/invoices/qbo_invoice_id')).body.label).toBe('QBO id');

		const before = INV.properties.hs_lastmodifieddate!;
		const patched = await call('PATCH', `/crm/v3/objects/invoices/${INV.id}`, { properties: { qbo_sync_status: 'synced', qbo_invoice_id: '145' } });
		expect(patched.status).toBe(200);
		expect(patched.body.properties).toMatchObject({ qbo_sync_status: 'synced', qbo_invoice_id: '145' });
		expect(Date.parse(patched.body.properties.hs_lastmodifieddate)).toBeGreaterThan(Date.parse(before));
		expect(patched.body.updatedAt).toBe(patched.body.properties.hs_lastmodifieddate);
		expect((await call('PATCH', `/crm/v3/objects/invoices/${INV.id}`, { properties: { qbo_sync_status: 'nope' } })).status).toBe(400);

		const second = dataset.hubspot.invoices[1].id;
		const batch = await call('POST', '/crm/v3/objects/invoices/batch/update', {
			inputs: [
				{ id: INV.id, properties: { qbo_sync_status: 'failed' } },
				{ id: second, properties: { qbo_sync_status: 'synced' } },
			],
		});
		expect(batch.status).toBe(200);
		expect(batch.body.results).toHaveLength(2);
		const bad = await call('POST', '/crm/v3/objects/invoices/batch/update', { inputs: [{ id: second, properties: { made_up: '1' } }] });
		expect(bad.status).toBe(400);
		expect(sim.state.get('invoices', second)!.properties.qbo_sync_status).toBe('synced');
	});
});

describe('tax rates, helpers and control paths', () => {
	it('lists tax rates', async () => {
		const r = await call('GET', '/tax-rates/v1/tax-rates');
		expect(r.body.results.map((t: any) => [t.id, t.percentageRate])).toEqual([['1001', 7.25], ['1002', 0], ['1003', 8.875]]);
	});

	it('updateInvoice sets properties and bumps hs_lastmodifieddate past every other record', async () => {
		const latest = Math.max(...dataset.hubspot.invoices.map((i) => Date.parse(i.properties.hs_lastmodifieddate!)));
		const updated = sim.updateInvoice(INV.id, { hs_invoice_status: 'paid' });
		expect(updated.properties.hs_invoice_status).toBe('paid');
		expect(Date.parse(updated.properties.hs_lastmodifieddate!)).toBeGreaterThan(latest);
		expect(dataset.hubspot.invoices[0].properties.hs_invoice_status).toBe('open'); // the dataset is not mutated
	});

	it('serves /__sandbox/state, /log, /faults and /reset', async () => {
		await call('GET', `/crm/v3/objects/invoices/${INV.id}`);
		const log = await call('GET', '/__sandbox/log');
		expect(log.body.countsByEndpoint['GET /crm/v3/objects/invoices/:id']).toBe(1);
		await call('PATCH', `/__sandbox/objects/invoices/${INV.id}`, { properties: { hs_invoice_status: 'voided' } });
		const state = await call('GET', '/__sandbox/state');
		expect(state.body.objects.invoices.find((i: any) => i.id === INV.id).properties.hs_invoice_status).toBe('voided');
		expect((await call('POST', '/__sandbox/faults', { rules: [{ rate500: 1 }] })).status).toBe(200);
		expect((await call('GET', '/crm/v3/objects/invoices')).status).toBe(500);
		expect((await call('POST', '/__sandbox/reset')).status).toBe(200);
		expect((await call('GET', `/crm/v3/objects/invoices/${INV.id}?properties=hs_invoice_status`)).body.properties.hs_invoice_status).toBe('open');
		expect(sim.log.count()).toBe(1);
	});
});

describe('errors never crash the server', () => {
	it('answers unknown routes, wrong methods, bad object types and malformed bodies HubSpot-style', async () => {
		const unknown = await call('GET', '/crm/v3/nothing/here');
		expect(unknown.status).toBe(404);
		expect(unknown.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
		expect(unknown.body.correlationId).toEqual(expect.any(String));
		expect((await call('DELETE', '/tax-rates/v1/tax-rates')).status).toBe(405);
		expect((await call('GET', '/crm/v3/objects/widgets')).status).toBe(400);
		const malformed = await call('POST', '/crm/v3/objects/invoices/search', undefined, '{"filterGroups": [');
		expect(malformed.status).toBe(400);
		expect(malformed.body.category).toBe('VALIDATION_ERROR');
		expect((await call('POST', '/crm/v3/objects/invoices/search', undefined, '[1,2]')).status).toBe(400);
		expect((await call('POST', '/crm/v3/objects/invoices/batch/read', { inputs: 'nope' })).status).toBe(400);
		expect((await call('PATCH', `/crm/v3/objects/invoices/${INV.id}`, { properties: [] })).status).toBe(400);
	});

	it('survives garbage on the socket', async () => {
		const port = Number(new URL(sim.baseUrl).port);
		await new Promise<void>((resolve) => {
			const socket = net.connect(port, '127.0.0.1', () => socket.end('NOT HTTP AT ALL\r\n\r\n'));
			socket.on('close', () => resolve());
			socket.on('error', () => resolve());
			socket.resume();
		});
		expect((await call('GET', '/tax-rates/v1/tax-rates')).status).toBe(200);
	});
});
