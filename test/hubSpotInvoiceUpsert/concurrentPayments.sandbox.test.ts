/**
 * HubSpot Invoice Upsert, Record HubSpot Payments, against the HubSpot simulator: two executions
 * for the same invoice at the same time. The invoice template (a content change, carrying
 * QuickBooks' payment figures) and the payments template (the payment of the same poll window)
 * poll QuickBooks independently, so n8n can run both at once; so can two payments-template
 * executions when a poll starts before the last one finished. A proxy between the nodes and the
 * simulator holds every payment create until both executions have sent theirs: both searched the
 * references and read the old `qbo_amount_paid` before either wrote a payment. HubSpot has no
 * transactions and no unique payment reference, so both payments are created; HubSpot must still
 * end up holding the QuickBooks money once, whichever execution gets on first.
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

const isPaymentCreate = (exchange: Pick<Exchange, 'method' | 'url'>) => exchange.method === 'POST' && exchange.url.split('?')[0] === '/crm/v3/objects/commerce_payments/batch/create';

/** A QuickBooks invoice of 21.00 (2 × 10.50) with `balance` left, as the QuickBooks Trigger emits it. */
function quickBooksInvoice(id: string, balance: string, number?: string) {
	const item = reverseItem(id, { status: 'open', ...(number ? { number } : {}) });
	Object.assign(item.invoice, { totals: { subtotal: 21, discountTotal: null, feeTotal: null, taxTotal: null, total: 21 }, balance });
	return item;
}

/** HubSpot's own figures for QuickBooks invoice `quickbooksId`, and every live payment recorded for it (on the invoice or not). */
function hubSpotMoney(quickbooksId: string) {
	const [invoice, ...others] = sim.state.list('invoices').filter((found) => found.properties.qbo_invoice_id === quickbooksId);
	const ours = sim.state.list('commerce_payments').filter((payment) => String(payment.properties.hs_reference_number ?? '').startsWith(`QuickBooks invoice ${quickbooksId}:`));
	const onInvoice = new Set(sim.state.associatedIds('invoices', invoice.id, 'commerce_payments'));
	return {
		invoices: 1 + others.length,
		recorded: ours.map((payment) => payment.properties.hs_initial_amount).sort(),
		offInvoice: ours.filter((payment) => !onInvoice.has(payment.id)).length,
		hubspot: { status: invoice.properties.hs_invoice_status, amountPaid: invoice.properties.hs_amount_paid, balanceDue: invoice.properties.hs_balance_due },
		quickbooksAmountPaid: invoice.properties.qbo_amount_paid ?? null,
		announced: invoice.properties.qbo_payments_recording || null,
	};
}

type Release = 'together' | 'first to its end' | 'second to its end';

/**
 * Runs `first` and `second` at once. Every payment create is held until both executions have sent
 * one (both read before either wrote): then released together, or one execution's create alone
 * and the other's only once that execution has finished.
 */
async function runConcurrently(first: IDataObject[], second: IDataObject[], release: Release) {
	const held: Array<{ body: string; go: () => void }> = [];
	let bothHeld!: () => void;
	const bothRead = new Promise<void>((resolve) => (bothHeld = resolve));
	proxy.hooks = {
		beforeServer: async (exchange) => {
			if (!isPaymentCreate(exchange) || held.length >= 2) return;
			await new Promise<void>((go) => {
				held.push({ body: exchange.body, go });
				if (held.length === 2) bothHeld();
			});
		},
	};
	const firstReference = (first[0].payment ? 'paid' : 'with the invoice') as string;
	const isFirsts = (body: string) => (firstReference === 'with the invoice' ? body.includes('with the invoice') : !body.includes('with the invoice'));
	const runs = [upsert(first), upsert(second)];
	const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000));
	try {
		expect(await Promise.race([bothRead.then(() => 'held' as const), timeout])).toBe('held');
		const sameKind = isFirsts(held[0].body) === isFirsts(held[1].body);
		const [firstHeld, secondHeld] = sameKind ? held : isFirsts(held[0].body) ? held : [held[1], held[0]];
		if (release === 'together') held.forEach((entry) => entry.go());
		if (release === 'first to its end') {
			firstHeld.go();
			await runs[0];
			secondHeld.go();
		}
		if (release === 'second to its end') {
			secondHeld.go();
			await runs[1];
			firstHeld.go();
		}
		return await Promise.all(runs);
	} finally {
		held.forEach((entry) => entry.go());
		proxy.hooks = {};
	}
}

describe.each<Release>(['together', 'first to its end', 'second to its end'])('payment creates released %s', (release) => {
	it('the invoice template (content change, 10.00 paid) and the payments template (its 10.00 payment) at once: 10.00 recorded once', async () => {
		await upsert([quickBooksInvoice('501', '21')]);
		const [invoiceRun, paymentRun] = await runConcurrently([quickBooksInvoice('501', '11', 'QB-501-B')], [paymentItem('501', '10', '11')], release);
		expect([invoiceRun.errors, paymentRun.errors]).toEqual([[], []]);
		expect(hubSpotMoney('501')).toEqual({
			invoices: 1,
			recorded: ['10'],
			offInvoice: 0,
			hubspot: { status: 'open', amountPaid: '10.00', balanceDue: '11.00' },
			quickbooksAmountPaid: '10',
			announced: null,
		});
		const reasons = [invoiceRun, paymentRun].map((run) => String(((run.main[0].hubspot as IDataObject).invoice as IDataObject).reason ?? ''));
		expect(reasons.some((reason) => /another execution recorded the same QuickBooks money at the same time: HubSpot payment \d+ \(10\) archived/.test(reason))).toBe(true);
	});

	it('two payments-template executions overlapping with the same 21.00 payment: 21.00 recorded once, the invoice paid', async () => {
		await upsert([quickBooksInvoice('502', '21')]);
		const [one, two] = await runConcurrently([paymentItem('502', '21', '0')], [paymentItem('502', '21', '0')], release);
		expect([one.errors, two.errors]).toEqual([[], []]);
		expect(hubSpotMoney('502')).toEqual({
			invoices: 1,
			recorded: ['21'],
			offInvoice: 0,
			hubspot: { status: 'paid', amountPaid: '21.00', balanceDue: '0.00' },
			quickbooksAmountPaid: '21',
			announced: null,
		});
	});

	it('the invoice template saw 10.00 paid, the payments template 21.00 (a payment in between): HubSpot holds 21.00, not 31.00', async () => {
		await upsert([quickBooksInvoice('503', '21')]);
		const [invoiceRun, paymentRun] = await runConcurrently([quickBooksInvoice('503', '11', 'QB-503-B')], [paymentItem('503', '21', '0')], release);
		expect([invoiceRun.errors, paymentRun.errors]).toEqual([[], []]);
		expect(hubSpotMoney('503')).toMatchObject({ invoices: 1, recorded: ['21'], offInvoice: 0, hubspot: { status: 'paid', amountPaid: '21.00', balanceDue: '0.00' }, announced: null });
	});
});
