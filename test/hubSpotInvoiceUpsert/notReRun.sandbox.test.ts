/**
 * HubSpot Invoice Upsert against the HubSpot simulator, where n8n does not run a crashed execution
 * again: the next polls alone must bring HubSpot right. Two QuickBooks payments between two polls
 * arrive as two payment items of one execution, both naming the invoice's amount paid now; and a
 * create killed after it opened the invoice (no `qbo_source_hash` yet) meets the payment item
 * first, which makes it paid, then the invoice item that finishes it. The kill is a proxy between
 * the node and the simulator: once HubSpot carried out the chosen write, nothing more reaches it.
 */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: async () => {} }));

import type { IDataObject } from 'n8n-workflow';

import type { HubSpotSimulator } from '../../sandbox/hubspot';
import type { RecordingProxy } from '../reliability/helpers/proxy';
import { paymentItem, reverseItem } from './items';
import { PAYMENT_ASSOCIATED, PAYMENT_CREATED, type ProxiedHubSpot, hubSpotMoney, isPost, quickBooksInvoice, runStoppedAfter, upsertThroughProxy, useProxiedHubSpot } from './proxiedHubSpot';

let sim: HubSpotSimulator;
let proxy: RecordingProxy;
let hubspot: ProxiedHubSpot;

useProxiedHubSpot((started) => ({ sim, proxy } = hubspot = started));

const upsert = async (items: IDataObject[]) => await upsertThroughProxy(hubspot, items);

const INVOICES_UPDATED = isPost('/crm/v3/objects/invoices/batch/update');

const invoicePart = (json: IDataObject) => (json.hubspot as { invoice: Record<string, unknown> }).invoice;

describe('two payment items for one invoice in one execution (two QuickBooks payments between polls)', () => {
	it('records the money once, on the invoice; the second item says it was recorded with the first', async () => {
		await upsert([reverseItem('403')]);
		const { errors, main } = await upsert([paymentItem('403', '10', '11'), paymentItem('403', '10', '11')]);
		expect(errors).toEqual([]);
		expect(hubSpotMoney(sim, '403')).toEqual({
			invoices: 1,
			recorded: ['10'],
			offInvoice: 0,
			hubspot: { status: 'open', amountPaid: '10.00', balanceDue: '11.00' },
			quickbooks: { amountPaid: '10', announced: null },
		});
		expect(main.map(invoicePart)).toEqual([
			expect.objectContaining({ action: 'paymentApplied', status: 'open', amountPaid: '10', balance: '11' }),
			expect.objectContaining({ action: 'paymentApplied', status: 'open', amountPaid: '10', balance: '11', reason: expect.stringContaining('recorded once, with item 0') }),
		]);
	});

	it('two items with different figures: the later one\'s are written, with one payment for all QuickBooks received; both items say paid', async () => {
		await upsert([reverseItem('405')]);
		const { errors, main } = await upsert([paymentItem('405', '10', '11'), paymentItem('405', '21', '0')]);
		expect(errors).toEqual([]);
		expect(hubSpotMoney(sim, '405')).toEqual({ invoices: 1, recorded: ['21'], offInvoice: 0, hubspot: { status: 'paid', amountPaid: '21.00', balanceDue: '0.00' }, quickbooks: { amountPaid: '21', announced: null } });
		expect(main.map(invoicePart)).toEqual([
			expect.objectContaining({ action: 'paymentApplied', status: 'paid', amountPaid: '10', reason: expect.stringContaining('recorded once, with item 1 (amount paid 21)') }),
			expect.objectContaining({ action: 'paymentApplied', status: 'paid', amountPaid: '21', balance: '0' }),
		]);
	});
});

describe('a create killed after it opened the invoice, not re-run: the payment item comes first, then the invoice item', () => {
	const killPoints = [
		{ name: 'after its payment was created', write: PAYMENT_CREATED, recorded: ['10', '11'] },
		{ name: 'after its payment was associated (so before its final update)', write: PAYMENT_ASSOCIATED, recorded: ['10', '11'] },
		// Opened and announced, no payment yet: the payment item records all QuickBooks received.
		{ name: 'after it opened the invoice, before its payment', write: INVOICES_UPDATED, recorded: ['21'] },
	];
	for (const [offset, point] of killPoints.entries()) {
		it(`killed ${point.name}: HubSpot ends paid with 21.00 in payments, the invoice item finishes it without an error`, async () => {
			const id = String(410 + offset);
			await runStoppedAfter(hubspot, [quickBooksInvoice(id, '11')], point.write);
			expect(sim.state.list('invoices').find((invoice) => invoice.properties.qbo_invoice_id === id)?.properties.qbo_source_hash ?? null).toBeNull();
			const payments = await upsert([paymentItem(id, '21', '0')]);
			expect(payments.errors).toEqual([]);
			const hubspotId = sim.state.list('invoices').find((invoice) => invoice.properties.qbo_invoice_id === id)!.id;
			const lines = sim.state.associatedIds('invoices', hubspotId, 'line_items');
			const invoices = await upsert([quickBooksInvoice(id, '0')]);
			expect(invoices.errors).toEqual([]);
			// Its lines were already QuickBooks': kept, not replaced on a paid invoice.
			expect(sim.state.associatedIds('invoices', hubspotId, 'line_items')).toEqual(lines);
			expect(invoicePart(invoices.main[0])).toMatchObject({ action: 'updated', status: 'paid' });
			const invoice = sim.state.list('invoices').find((found) => found.properties.qbo_invoice_id === id)!;
			expect(invoice.properties).toMatchObject({ qbo_sync_status: 'synced', hs_number: `QB-${id}`, hs_currency: 'USD' });
			expect(invoice.properties.qbo_source_hash).toBeTruthy();
			expect(hubSpotMoney(sim, id)).toEqual({
				invoices: 1,
				recorded: point.recorded,
				offInvoice: 0,
				hubspot: { status: 'paid', amountPaid: '21.00', balanceDue: '0.00' },
				quickbooks: { amountPaid: '21', announced: null },
			});
			// Nothing left to do: the next poll's item finds it unchanged.
			const again = await upsert([quickBooksInvoice(id, '0')]);
			expect(again.errors).toEqual([]);
			expect(invoicePart(again.main[0])).toMatchObject({ action: 'unchanged' });
		});
	}
});

describe('a content update of an invoice with a payment on it (HubSpot refuses edits of its own properties there)', () => {
	it('the create killed after its payment was associated, then the invoice item again: finished without writing HubSpot\'s own properties', async () => {
		await runStoppedAfter(hubspot, [quickBooksInvoice('421', '11')], PAYMENT_ASSOCIATED);
		const { errors, main } = await upsert([quickBooksInvoice('421', '11')]);
		expect(errors).toEqual([]);
		expect(invoicePart(main[0])).toMatchObject({ action: 'updated', status: 'open' });
		expect(hubSpotMoney(sim, '421')).toEqual({ invoices: 1, recorded: ['10'], offInvoice: 0, hubspot: { status: 'open', amountPaid: '10.00', balanceDue: '11.00' }, quickbooks: { amountPaid: '10', announced: null } });
	});

	it('QuickBooks changed the due date of an invoice HubSpot holds part paid: HUBSPOT_INVOICE_HAS_PAYMENTS naming hs_due_date, nothing of it written', async () => {
		await upsert([quickBooksInvoice('422', '11')]);
		const before = sim.state.list('invoices').find((invoice) => invoice.properties.qbo_invoice_id === '422')!;
		const linesBefore = sim.state.associatedIds('invoices', before.id, 'line_items');
		const changed = quickBooksInvoice('422', '11');
		changed.invoice.dueDate = '2026-04-30';
		const { errors, main } = await upsert([changed]);
		expect(main).toEqual([]);
		expect(errors).toHaveLength(1);
		expect(errors[0].error).toMatchObject({ code: 'HUBSPOT_INVOICE_HAS_PAYMENTS', retryable: false, message: expect.stringContaining('hs_due_date') });
		expect(String((errors[0].error as { message: string }).message)).not.toContain('hs_number');
		const after = sim.state.list('invoices').find((invoice) => invoice.id === before.id)!;
		expect(after.properties).toEqual(before.properties);
		expect(sim.state.associatedIds('invoices', before.id, 'line_items')).toEqual(linesBefore);
	});

	it('QuickBooks changed a line of an invoice HubSpot holds part paid: HUBSPOT_INVOICE_HAS_PAYMENTS naming its line items, nothing of it written', async () => {
		await upsert([quickBooksInvoice('423', '11')]);
		const before = sim.state.list('invoices').find((invoice) => invoice.properties.qbo_invoice_id === '423')!;
		const linesBefore = sim.state.associatedIds('invoices', before.id, 'line_items');
		const changed = quickBooksInvoice('423', '11');
		changed.invoice.lines[0].quantity = 3;
		const { errors } = await upsert([changed]);
		expect(errors.map((error) => error.error)).toEqual([expect.objectContaining({ code: 'HUBSPOT_INVOICE_HAS_PAYMENTS', message: expect.stringContaining('QuickBooks changed line items of invoice QB-423') })]);
		expect(sim.state.list('invoices').find((invoice) => invoice.id === before.id)!.properties).toEqual(before.properties);
		expect(sim.state.associatedIds('invoices', before.id, 'line_items')).toEqual(linesBefore);
		expect(sim.state.list('line_items')).toHaveLength(linesBefore.length);
	});
});
