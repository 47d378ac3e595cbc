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

import type { HubSpotSimulator } from '../../sandbox/hubspot';
import type { RecordingProxy } from '../reliability/helpers/proxy';
import { paymentItem } from './items';
import { type ProxiedHubSpot, hubSpotMoney, PAYMENT_CREATED, quickBooksInvoice, upsertThroughProxy, useProxiedHubSpot } from './proxiedHubSpot';

let sim: HubSpotSimulator;
let proxy: RecordingProxy;
let hubspot: ProxiedHubSpot;

useProxiedHubSpot((started) => ({ sim, proxy } = hubspot = started));

const upsert = async (items: IDataObject[]) => await upsertThroughProxy(hubspot, items);

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
			if (!PAYMENT_CREATED(exchange) || held.length >= 2) return;
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
		const [invoiceRun, paymentRun] = await runConcurrently([quickBooksInvoice('501', '11', { number: 'QB-501-B' })], [paymentItem('501', '10', '11')], release);
		expect([invoiceRun.errors, paymentRun.errors]).toEqual([[], []]);
		expect(hubSpotMoney(sim, '501')).toEqual({
			invoices: 1,
			recorded: ['10'],
			offInvoice: 0,
			hubspot: { status: 'open', amountPaid: '10.00', balanceDue: '11.00' },
			quickbooks: { amountPaid: '10', announced: null },
		});
		const reasons = [invoiceRun, paymentRun].map((run) => String(((run.main[0].hubspot as IDataObject).invoice as IDataObject).reason ?? ''));
		expect(reasons.some((reason) => /another execution recorded the same QuickBooks money at the same time: HubSpot payment \d+ \(10\) archived/.test(reason))).toBe(true);
	});

	it('two payments-template executions overlapping with the same 21.00 payment: 21.00 recorded once, the invoice paid', async () => {
		await upsert([quickBooksInvoice('502', '21')]);
		const [one, two] = await runConcurrently([paymentItem('502', '21', '0')], [paymentItem('502', '21', '0')], release);
		expect([one.errors, two.errors]).toEqual([[], []]);
		expect(hubSpotMoney(sim, '502')).toEqual({
			invoices: 1,
			recorded: ['21'],
			offInvoice: 0,
			hubspot: { status: 'paid', amountPaid: '21.00', balanceDue: '0.00' },
			quickbooks: { amountPaid: '21', announced: null },
		});
	});

	it('the invoice template saw 10.00 paid, the payments template 21.00 (a payment in between): HubSpot holds 21.00, not 31.00', async () => {
		await upsert([quickBooksInvoice('503', '21')]);
		const [invoiceRun, paymentRun] = await runConcurrently([quickBooksInvoice('503', '11', { number: 'QB-503-B' })], [paymentItem('503', '21', '0')], release);
		expect([invoiceRun.errors, paymentRun.errors]).toEqual([[], []]);
		expect(hubSpotMoney(sim, '503')).toMatchObject({ invoices: 1, recorded: ['21'], offInvoice: 0, hubspot: { status: 'paid', amountPaid: '21.00', balanceDue: '0.00' }, quickbooks: { announced: null } });
	});
});
