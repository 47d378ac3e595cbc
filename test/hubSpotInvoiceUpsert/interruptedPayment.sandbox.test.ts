/**
 * HubSpot Invoice Upsert against the HubSpot simulator (payments recompute the invoice's amount
 * paid, balance and status; custom properties must exist and clear with an empty string): a run
 * killed after HubSpot recorded a payment and before the final update that shows QuickBooks'
 * figures, then the next poll's payment item first. HubSpot must hold what QuickBooks received
 * exactly once. The kill is a proxy between the node and the simulator: once HubSpot carried out
 * the chosen write, nothing more reaches it.
 */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: async () => {} }));

import type { IDataObject } from 'n8n-workflow';

import { createHubSpotSimulator, DEFAULT_PRIVATE_APP_TOKEN, type HubSpotSimulator } from '../../sandbox/hubspot';
import { blockExternalNetwork } from '../harness';
import { runNode } from '../kit';
import { startProxy, type Exchange, type RecordingProxy } from '../reliability/helpers/proxy';
import { paymentItem, reverseItem } from './items';

const AT = '2026-05-01T10:00:00.000Z';
const object = (id: string, properties: Record<string, string>) => ({ id, properties: { hs_object_id: id, ...properties }, createdAt: AT, updatedAt: AT, archived: false });

let sim: HubSpotSimulator;
let proxy: RecordingProxy;
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
	proxy = await startProxy(sim.baseUrl);
	credentials = { hubSpotInvoiceSyncAppTokenApi: { accessToken: DEFAULT_PRIVATE_APP_TOKEN, baseUrl: proxy.url, useCustomBaseUrl: true } } as never;
});
afterAll(async () => {
	await proxy.close();
	await sim.close();
});
beforeEach(() => {
	sim.reset();
	proxy.hooks = {};
});

const upsert = async (items: IDataObject[]) => await runNode('hubSpotInvoiceUpsert', { hubspotAuthentication: 'appToken', paidStatus: 'recordPayment', options: {} }, items, credentials);

const isPost = (path: string) => (exchange: Pick<Exchange, 'method' | 'url'>) => exchange.method === 'POST' && exchange.url.split('?')[0] === path;
const PAYMENT_CREATED = isPost('/crm/v3/objects/commerce_payments/batch/create');
const PAYMENT_ASSOCIATED = isPost('/crm/v4/associations/commerce_payments/invoices/batch/associate/default');

/** Runs the upsert in a process killed once HubSpot carried out the first request `write` matches. */
async function runKilledAfter(items: IDataObject[], write: (exchange: Pick<Exchange, 'method' | 'url'>) => boolean): Promise<void> {
	let killed = false;
	proxy.hooks = {
		beforeServer: () => (killed ? 'drop' : undefined),
		afterServer: (exchange) => {
			if (killed || !write(exchange)) return;
			killed = true;
			return 'drop';
		},
	};
	try {
		await upsert(items);
	} finally {
		proxy.hooks = {};
	}
	expect(killed).toBe(true);
}

/** A QuickBooks invoice of 21.00 (2 × 10.50) with `balance` left, as the QuickBooks Trigger emits it. */
function quickBooksInvoice(id: string, balance: string) {
	const item = reverseItem(id, { status: 'open' });
	Object.assign(item.invoice, { totals: { subtotal: 21, discountTotal: null, feeTotal: null, taxTotal: null, total: 21 }, balance });
	return item;
}

/** HubSpot's own figures for QuickBooks invoice `quickbooksId`, and every payment recorded for it (on the invoice or not). */
function hubSpotMoney(quickbooksId: string) {
	const [invoice, ...others] = sim.state.list('invoices').filter((found) => found.properties.qbo_invoice_id === quickbooksId);
	const ours = sim.state.list('commerce_payments').filter((payment) => String(payment.properties.hs_reference_number ?? '').startsWith(`QuickBooks invoice ${quickbooksId}:`));
	const onInvoice = new Set(sim.state.associatedIds('invoices', invoice.id, 'commerce_payments'));
	return {
		invoices: 1 + others.length,
		recorded: ours.map((payment) => payment.properties.hs_initial_amount).sort(),
		offInvoice: ours.filter((payment) => !onInvoice.has(payment.id)).length,
		hubspot: { status: invoice.properties.hs_invoice_status, amountPaid: invoice.properties.hs_amount_paid, balanceDue: invoice.properties.hs_balance_due },
		quickbooks: { amountPaid: invoice.properties.qbo_amount_paid ?? null, announced: invoice.properties.qbo_payments_recording || null },
	};
}

it('a create recording 10.00 paid with the invoice, killed after its payment was created: the payment item for 21.00 adds 11.00 and puts both on the invoice', async () => {
	await runKilledAfter([quickBooksInvoice('401', '11')], PAYMENT_CREATED);
	expect(hubSpotMoney('401')).toMatchObject({ recorded: ['10'], offInvoice: 1, quickbooks: { amountPaid: null } });
	const { errors } = await upsert([paymentItem('401', '21', '0')]);
	expect(errors).toEqual([]);
	expect(hubSpotMoney('401')).toEqual({
		invoices: 1,
		recorded: ['10', '11'],
		offInvoice: 0,
		hubspot: { status: 'paid', amountPaid: '21.00', balanceDue: '0.00' },
		quickbooks: { amountPaid: '21', announced: null },
	});
});

it('a payment item for 10.00 killed after its payment was associated: the next payment item, 21.00 paid in all, adds 11.00', async () => {
	await upsert([reverseItem('402')]);
	await runKilledAfter([paymentItem('402', '10', '11')], PAYMENT_ASSOCIATED);
	expect(hubSpotMoney('402')).toMatchObject({ recorded: ['10'], offInvoice: 0, quickbooks: { amountPaid: null } });
	const { errors } = await upsert([paymentItem('402', '21', '0')]);
	expect(errors).toEqual([]);
	expect(hubSpotMoney('402')).toEqual({
		invoices: 1,
		recorded: ['10', '11'],
		offInvoice: 0,
		hubspot: { status: 'paid', amountPaid: '21.00', balanceDue: '0.00' },
		quickbooks: { amountPaid: '21', announced: null },
	});
});
