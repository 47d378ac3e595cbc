/**
 * HubSpot Invoice Upsert against the HubSpot simulator, which enforces HubSpot's invoice rules
 * (draft with hs_currency, open only with contact and line items, products must exist, payments
 * mark an invoice paid, the status paid not writable by default): create, pay, and the HubSpot
 * trigger's loop guard over what was written.
 */
import type { IDataObject } from 'n8n-workflow';

import { createHubSpotSimulator, DEFAULT_PRIVATE_APP_TOKEN, type HubSpotSimulator } from '../../sandbox/hubspot';
import { blockExternalNetwork, PACKAGE_NAME, runPoll } from '../harness';
import { runNode } from '../kit';
import { paymentItem, reverseItem } from './items';

const AT = '2026-05-01T10:00:00.000Z';
const object = (id: string, properties: Record<string, string>) => ({ id, properties: { hs_object_id: id, ...properties }, createdAt: AT, updatedAt: AT, archived: false });

let sim: HubSpotSimulator;
let credentials: never;

beforeAll(async () => {
	blockExternalNetwork();
	sim = createHubSpotSimulator({
		limits: false,
		dataset: {
			invoices: [],
			lineItems: [],
			contacts: [object('5001', { email: 'ada@buyer.example', firstname: 'Ada', lastname: 'Buyer' })],
			companies: [object('7001', { name: 'Buyer Co' })],
			products: [object('3001', { name: 'Widget 1', hs_sku: 'SKU-1', price: '10.50' })],
			taxRates: [],
			associations: [],
		},
	});
	await sim.listen(0);
	credentials = { hubSpotInvoiceSyncAppTokenApi: { accessToken: DEFAULT_PRIVATE_APP_TOKEN, baseUrl: sim.baseUrl, useCustomBaseUrl: true } } as never;
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const upsert = async (items: IDataObject[], paidStatus = 'recordPayment') =>
	await runNode('hubSpotInvoiceUpsert', { hubspotAuthentication: 'appToken', paidStatus, options: {} }, items, credentials);
const part = (item: IDataObject) => (item.hubspot as IDataObject).invoice as IDataObject;
const triggerEmits = async () =>
	(
		await runPoll({
			nodeType: `${PACKAGE_NAME}.hubSpotInvoiceTrigger`,
			parameters: { hubspotAuthentication: 'appToken', backfillSince: '2020-01-01T00:00:00.000Z', invoiceStatuses: ['draft', 'open', 'paid', 'voided'] },
			credentials,
			staticData: {},
			mode: 'trigger',
		})
	).items?.[0] ?? [];

it('creates an open invoice HubSpot accepts, records a QuickBooks payment that makes it paid, and the HubSpot trigger emits neither', async () => {
	const created = await upsert([reverseItem('130')]);
	expect(created.errors).toEqual([]);
	expect(part(created.main[0])).toMatchObject({ action: 'created', status: 'open' });
	expect(await triggerEmits()).toEqual([]);
	const paid = await upsert([paymentItem('130', '21', '0')]);
	expect(paid.errors).toEqual([]);
	expect(part(paid.main[0])).toMatchObject({ action: 'paymentApplied', status: 'paid', paymentStatus: 'paid' });
	expect(await triggerEmits()).toEqual([]);
});

it('Set Status to Paid where HubSpot refuses the write (the simulator\'s default): HUBSPOT_ERROR', async () => {
	await upsert([reverseItem('131')]);
	const { errors } = await upsert([paymentItem('131', '21', '0')], 'setStatus');
	expect(errors[0].error).toMatchObject({ code: 'HUBSPOT_ERROR' });
});
