/**
 * HubSpot Invoice Upsert, Record HubSpot Payments: a run stopped while it records what QuickBooks
 * was paid with an invoice (a create or a content update), after HubSpot carried out some of its
 * writes and before the final update that shows QuickBooks' figures. The next poll's items then
 * arrive in either order (the payments template may run first) and HubSpot must hold every amount
 * QuickBooks received exactly once: no second payment for the same money, none lost, none left
 * off the invoice.
 *
 * The stop is a process killed after HubSpot carried out a given write: from then on no request
 * reaches HubSpot (each fails as unavailable), so the run cannot finish or undo anything.
 */
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => {}),
}));

import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { blockExternalNetwork } from '../harness';
import { FakeHubSpot, hubSpotTestCredentials, runNode } from '../kit';
import { linkedInvoice, paymentItem, reverseItem, seedCustomer } from './items';

let hubspot: FakeHubSpot;
const CREDENTIALS = { hubSpotInvoiceSyncAppTokenApi: { ...(hubSpotTestCredentials().hubSpotInvoiceSyncAppTokenApi as IDataObject), useCustomBaseUrl: true } } as never;

beforeAll(() => blockExternalNetwork());
beforeEach(() => {
	hubspot = new FakeHubSpot();
	hubspot.install();
	seedCustomer(hubspot);
});
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

type Handle = (method: string, uri: string, body: unknown, headers?: Record<string, string>) => [number, unknown, Record<string, string>?];

/**
 * Runs the upsert on `items` in a process killed once HubSpot has carried out the `nth` request
 * matching `write` ("METHOD path"): that request and every one before it are carried out, every
 * later one fails unanswered. The node's own outcome is of no interest: the process is gone.
 */
async function runKilledAfter(items: IDataObject[], write: RegExp, nth = 1): Promise<void> {
	const fake = hubspot as unknown as { handle: Handle };
	const handle = fake.handle.bind(hubspot);
	let seen = 0;
	let killed = false;
	fake.handle = (method, uri, body, headers) => {
		if (killed) return [503, { status: 'error', message: 'the process that sent this was killed' }];
		const answer = handle(method, uri, body, headers);
		if (write.test(`${method} ${uri.split('?')[0]}`) && ++seen === nth) killed = true;
		return answer;
	};
	try {
		await upsert(items);
	} finally {
		fake.handle = handle;
	}
	expect(killed).toBe(true);
}

async function upsert(items: IDataObject[]) {
	hubspot.calls = [];
	return await runNode('hubSpotInvoiceUpsert', { hubspotAuthentication: 'appToken', paidStatus: 'recordPayment', options: {} }, items, CREDENTIALS);
}

/** A QuickBooks invoice of 21.00 with `balance` left (the rest paid), as the QuickBooks Trigger emits it. */
function quickBooksInvoice(id: string, balance: string, changes: { dueDate?: string } = {}) {
	const item = reverseItem(id, { status: balance === '0' ? 'paid' : 'open', dueDate: changes.dueDate });
	Object.assign(item.invoice, { totals: { subtotal: 21, discountTotal: null, feeTotal: null, taxTotal: null, total: 21 }, balance });
	return item;
}

/** What HubSpot holds for QuickBooks invoice `quickbooksId`: its payments' amounts (all of them, and those on the invoice), its figures. */
function money(quickbooksId: string) {
	const invoice = linkedInvoice(hubspot, quickbooksId)!;
	const cents = (amount: string | null | undefined) => Math.round(Number(amount ?? 0) * 100);
	const ours = [...hubspot.payments.values()].filter((payment) => (payment.properties.hs_reference_number ?? '').startsWith(`QuickBooks invoice ${quickbooksId}:`));
	const onInvoice = [...(hubspot.paymentLinks.get(invoice.id) ?? [])].map((id) => hubspot.payments.get(id)!);
	return {
		recordedCents: ours.reduce((sum, payment) => sum + cents(payment.properties.hs_initial_amount), 0),
		onInvoiceCents: onInvoice.reduce((sum, payment) => sum + cents(payment.properties.hs_initial_amount), 0),
		status: invoice.properties.hs_invoice_status,
		qboAmountPaid: invoice.properties.qbo_amount_paid,
		/** Payments announced as being recorded with the invoice: none once a run finished. */
		announced: invoice.properties.qbo_payments_recording || null,
	};
}

const OPENED = /^POST \/crm\/v3\/objects\/invoices\/batch\/update$/;
const PAYMENT_CREATED = /^POST \/crm\/v3\/objects\/commerce_payments\/batch\/create$/;
const PAYMENT_ASSOCIATED = /^POST \/crm\/v4\/associations\/commerce_payments\/invoices\/batch\/associate\/default$/;

const KILL_POINTS: Array<[string, RegExp]> = [
	['after the invoice was opened, before its payment', OPENED],
	['after the payment was created, before it was associated', PAYMENT_CREATED],
	['after the payment was associated, before the final update', PAYMENT_ASSOCIATED],
];

describe('announcing a payment recorded with the invoice', () => {
	it('writes its total on the invoice with the write before the payment, and clears it with the final update; no request added', async () => {
		await upsert([reverseItem('300')]); // the portal's first run also creates the properties
		await upsert([quickBooksInvoice('301', '11')]);
		const updates = hubspot.calls.filter((call) => OPENED.test(`${call.method} ${call.path}`)).map((call) => call.body.inputs[0].properties);
		expect(updates).toEqual([
			{ hs_invoice_status: 'open', qbo_payments_recording: '10' },
			expect.objectContaining({ qbo_amount_paid: '10', qbo_payments_recording: '' }),
		]);
		expect(hubspot.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
			'GET /crm/v3/properties/invoices',
			'GET /account-info/v3/details',
			'POST /crm/v3/objects/invoices/search',
			'POST /crm/v3/objects/invoices/batch/create',
			'POST /crm/v3/objects/line_items/batch/create',
			'POST /crm/v3/objects/invoices/batch/update',
			'POST /crm/v3/objects/commerce_payments/search',
			'POST /crm/v3/objects/commerce_payments/batch/create',
			'POST /crm/v4/associations/commerce_payments/invoices/batch/associate/default',
			// The invoice's payments read back: an execution running at the same time may have recorded the same money (paymentDuplicates.ts).
			'POST /crm/v4/associations/invoices/commerce_payments/batch/read',
			'POST /crm/v3/objects/invoices/batch/read',
			'POST /crm/v3/objects/invoices/batch/update',
		]);
	});
});

describe.each(KILL_POINTS)('a create recording 10.00 paid with the invoice, killed %s', (_name, write) => {
	it('then the payment item for that 10.00: HubSpot holds 10.00 once, on the invoice; the invoice item after it records nothing', async () => {
		await runKilledAfter([quickBooksInvoice('301', '11')], write);
		const { main, errors } = await upsert([paymentItem('301', '10', '11')]);
		expect(errors).toEqual([]);
		expect((main[0].hubspot as IDataObject).invoice).toMatchObject({ action: 'paymentApplied', paymentStatus: 'partially_paid' });
		expect(money('301')).toMatchObject({ recordedCents: 1000, onInvoiceCents: 1000, status: 'open', qboAmountPaid: '10', announced: null });
		const again = await upsert([quickBooksInvoice('301', '11')]);
		expect(again.errors).toEqual([]);
		expect(money('301')).toMatchObject({ recordedCents: 1000, onInvoiceCents: 1000, status: 'open', qboAmountPaid: '10', announced: null });
	});

	it('then a payment item for 21.00 paid in all (11.00 more since): HubSpot holds 21.00 once and shows it paid', async () => {
		await runKilledAfter([quickBooksInvoice('302', '11')], write);
		const { errors } = await upsert([paymentItem('302', '21', '0')]);
		expect(errors).toEqual([]);
		expect(money('302')).toMatchObject({ recordedCents: 2100, onInvoiceCents: 2100, status: 'paid', qboAmountPaid: '21', announced: null });
		await upsert([quickBooksInvoice('302', '0')]);
		expect(money('302')).toMatchObject({ recordedCents: 2100, onInvoiceCents: 2100, status: 'paid', qboAmountPaid: '21', announced: null });
	});

	it('then the invoice item again with 21.00 paid in all: HubSpot holds 21.00 once; the payment item after it records nothing', async () => {
		await runKilledAfter([quickBooksInvoice('303', '11')], write);
		const { errors } = await upsert([quickBooksInvoice('303', '0')]);
		expect(errors).toEqual([]);
		expect(money('303')).toMatchObject({ recordedCents: 2100, onInvoiceCents: 2100, status: 'paid', qboAmountPaid: '21', announced: null });
		await upsert([paymentItem('303', '21', '0')]);
		expect(money('303')).toMatchObject({ recordedCents: 2100, onInvoiceCents: 2100, status: 'paid', qboAmountPaid: '21', announced: null });
	});
});

describe('a content update recording 10.00 paid with the invoice, killed after the payment was associated', () => {
	it('then a payment item for 21.00 paid in all: HubSpot holds 21.00 once', async () => {
		await upsert([reverseItem('311', { status: 'open' })]);
		const changed = quickBooksInvoice('311', '11', { dueDate: '2026-04-30' });
		await runKilledAfter([changed], PAYMENT_ASSOCIATED);
		expect(linkedInvoice(hubspot, '311')!.properties.qbo_amount_paid ?? null).toBeNull();
		const { errors } = await upsert([paymentItem('311', '21', '0')]);
		expect(errors).toEqual([]);
		expect(money('311')).toMatchObject({ recordedCents: 2100, onInvoiceCents: 2100, status: 'paid', qboAmountPaid: '21', announced: null });
	});
});

describe('killed twice while recording with the invoice, QuickBooks paid more in between', () => {
	it('a create killed after its 10.00 was associated, its re-run (21.00 paid) killed after its 11.00 was created: the payment item records nothing more', async () => {
		await runKilledAfter([quickBooksInvoice('321', '11')], PAYMENT_ASSOCIATED);
		await runKilledAfter([quickBooksInvoice('321', '0')], PAYMENT_CREATED);
		const { errors } = await upsert([paymentItem('321', '21', '0')]);
		expect(errors).toEqual([]);
		expect(money('321')).toMatchObject({ recordedCents: 2100, onInvoiceCents: 2100, status: 'paid', qboAmountPaid: '21', announced: null });
	});
});

describe('a payment item killed after its payment was recorded, before the final update', () => {
	it.each([
		['created', PAYMENT_CREATED],
		['associated', PAYMENT_ASSOCIATED],
	])('(killed after it was %s) then the next payment item, 21.00 paid in all: HubSpot holds 21.00 once', async (_name, write) => {
		await upsert([reverseItem('331')]);
		await runKilledAfter([paymentItem('331', '10', '11')], write);
		const { errors } = await upsert([paymentItem('331', '21', '0')]);
		expect(errors).toEqual([]);
		expect(money('331')).toMatchObject({ recordedCents: 2100, onInvoiceCents: 2100, status: 'paid', qboAmountPaid: '21', announced: null });
	});
});
