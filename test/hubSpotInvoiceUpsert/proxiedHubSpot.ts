/**
 * The HubSpot simulator behind a recording proxy, for the HubSpot Invoice Upsert's sandbox tests
 * that lose answers, stop runs or hold requests between the node and HubSpot: one buyer (contact
 * and company) and one product, SKU-1 at 10.50.
 */
import type { IDataObject } from 'n8n-workflow';

import { createHubSpotSimulator, DEFAULT_PRIVATE_APP_TOKEN, EMPTY_SEED, type HubSpotSimulator } from '../../sandbox/hubspot';
import { hubSpotRecord } from '../fixtures/hubspotSimulator';
import { blockExternalNetwork } from '../harness';
import { runNode } from '../kit';
import { startProxy, type Exchange, type RecordingProxy } from '../reliability/helpers/proxy';
import { reverseItem, type ReverseInput } from './items';

export interface ProxiedHubSpot {
	sim: HubSpotSimulator;
	proxy: RecordingProxy;
	/** The private-app credential, pointed at the proxy. */
	credentials: never;
}

/**
 * The simulator and its proxy for a test file: started once (no outside network), back to the
 * seed with no proxy hooks before each test (then `prepare`), closed after the file.
 */
export function useProxiedHubSpot(use: (hubspot: ProxiedHubSpot) => void, prepare?: (hubspot: ProxiedHubSpot) => void): void {
	const hubspot = {} as ProxiedHubSpot;
	beforeAll(async () => {
		blockExternalNetwork();
		hubspot.sim = createHubSpotSimulator({
			limits: false,
			dataset: {
				...EMPTY_SEED,
				contacts: [hubSpotRecord('5001', { email: 'ada@buyer.example', firstname: 'Ada', lastname: 'Buyer' })],
				companies: [hubSpotRecord('7001', { name: 'Buyer Co' })],
				products: [hubSpotRecord('3001', { name: 'Widget 1', hs_sku: 'SKU-1', price: '10.50' })],
			},
		});
		await hubspot.sim.listen(0);
		hubspot.proxy = await startProxy(hubspot.sim.baseUrl);
		hubspot.credentials = { hubSpotInvoiceSyncAppTokenApi: { accessToken: DEFAULT_PRIVATE_APP_TOKEN, baseUrl: hubspot.proxy.url, useCustomBaseUrl: true } } as never;
		use(hubspot);
	});
	afterAll(async () => {
		await hubspot.proxy?.close();
		await hubspot.sim?.close();
	});
	beforeEach(() => {
		hubspot.sim.reset();
		hubspot.proxy.hooks = {};
		prepare?.(hubspot);
	});
}

/** The upsert as the QuickBooks → HubSpot templates set it (Record HubSpot Payments), through the proxy. */
export async function upsertThroughProxy(hubspot: ProxiedHubSpot, items: IDataObject[]) {
	return await runNode('hubSpotInvoiceUpsert', { hubspotAuthentication: 'appToken', paidStatus: 'recordPayment', options: {} }, items, hubspot.credentials);
}

type ExchangeMatch = (exchange: Pick<Exchange, 'method' | 'url'>) => boolean;

export const isPost = (path: string): ExchangeMatch => (exchange) => exchange.method === 'POST' && exchange.url.split('?')[0] === path;
export const PAYMENT_CREATED = isPost('/crm/v3/objects/commerce_payments/batch/create');
export const PAYMENT_ASSOCIATED = isPost('/crm/v4/associations/commerce_payments/invoices/batch/associate/default');

/** Runs the upsert in a process stopped once HubSpot carried out the first request `write` matches: nothing more reaches HubSpot. */
export async function runStoppedAfter(hubspot: ProxiedHubSpot, items: IDataObject[], write: ExchangeMatch): Promise<void> {
	let stopped = false;
	hubspot.proxy.hooks = {
		beforeServer: () => (stopped ? 'drop' : undefined),
		afterServer: (exchange) => {
			if (stopped || !write(exchange)) return;
			stopped = true;
			return 'drop';
		},
	};
	try {
		await upsertThroughProxy(hubspot, items);
	} finally {
		hubspot.proxy.hooks = {};
	}
	expect(stopped).toBe(true);
}

/** A QuickBooks invoice of 21.00 (2 × 10.50) with `balance` left, as the QuickBooks Trigger emits it (paid at balance 0). */
export function quickBooksInvoice(id: string, balance: string, overrides: Pick<ReverseInput, 'number'> = {}) {
	const item = reverseItem(id, { status: Number(balance) === 0 ? 'paid' : 'open', ...overrides });
	Object.assign(item.invoice, { totals: { subtotal: 21, discountTotal: null, feeTotal: null, taxTotal: null, total: 21 }, balance });
	return item;
}

/** HubSpot's own figures for QuickBooks invoice `quickbooksId`, and every live payment recorded for it (on the invoice or not). */
export function hubSpotMoney(sim: HubSpotSimulator, quickbooksId: string) {
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
