/**
 * HubSpot carried out a create but the answer never arrived (a proxy between the node and the
 * simulator cuts the connection after the simulator answered). The transport does not retry a
 * create (HubSpot takes no idempotency key): the items concerned reach the error output with the
 * retryable HUBSPOT_UNAVAILABLE and nothing more is written for them; the next run finishes each
 * exactly once.
 */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: async () => {} }));

import type { IDataObject } from 'n8n-workflow';

import type { HubSpotSimulator } from '../../sandbox/hubspot';
import type { RecordingProxy } from '../reliability/helpers/proxy';
import { paymentItem, reverseItem } from './items';
import { type ProxiedHubSpot, upsertThroughProxy, useProxiedHubSpot } from './proxiedHubSpot';

let sim: HubSpotSimulator;
let proxy: RecordingProxy;
let hubspot: ProxiedHubSpot;

useProxiedHubSpot((started) => ({ sim, proxy } = hubspot = started), (started) => (started.sim.searchSettings.indexLagMs = 0));

const upsert = async (items: IDataObject[]) => await upsertThroughProxy(hubspot, items);
const part = (item: IDataObject) => (item.hubspot as IDataObject).invoice as IDataObject;
const linked = (quickbooksId: string) => sim.state.list('invoices').filter((invoice) => invoice.properties.qbo_invoice_id === quickbooksId);
const linesOf = (invoiceId: string) => sim.state.associatedIds('invoices', invoiceId, 'line_items').map((id) => sim.state.get('line_items', id)!.properties.quantity);
const batchCreates = (objectType: string) => proxy.exchanges.filter((exchange) => exchange.method === 'POST' && exchange.url.split('?')[0] === `/crm/v3/objects/${objectType}/batch/create`);

/** Loses the answer of the next `objectType` batch create, after the simulator carried it out. */
function loseNextCreate(objectType: string): void {
	let lost = false;
	proxy.hooks.afterServer = (exchange) => {
		if (lost || exchange.method !== 'POST' || exchange.url.split('?')[0] !== `/crm/v3/objects/${objectType}/batch/create`) return;
		lost = true;
		return 'drop';
	};
}

function expectUnknownOutcome(errors: IDataObject[], count: number): void {
	expect(errors).toHaveLength(count);
	for (const error of errors) {
		expect(error.error).toMatchObject({ code: 'HUBSPOT_UNAVAILABLE', retryable: true });
		expect(String((error.error as IDataObject).message)).toMatch(/outcome of the create .* is unknown/);
	}
}

describe('a lost answer on a HubSpot create', () => {
	it('invoices created, answer lost: the items fail retryable, nothing more is written; the next run finishes the drafts it finds by their link, one invoice each', async () => {
		loseNextCreate('invoices');
		const before = batchCreates('invoices').length;
		const first = await upsert([reverseItem('300'), reverseItem('301')]);
		expect(first.main).toEqual([]);
		expectUnknownOutcome(first.errors, 2);
		expect(batchCreates('invoices').length - before).toBe(1);
		// The lost call made the drafts; no line items, no hash: nothing else was written for them.
		for (const id of ['300', '301']) {
			expect(linked(id).map((invoice) => [invoice.properties.hs_invoice_status, invoice.properties.qbo_source_hash ?? null])).toEqual([['draft', null]]);
			expect(linesOf(linked(id)[0].id)).toEqual([]);
		}
		const second = await upsert([reverseItem('300'), reverseItem('301')]);
		expect(second.errors).toEqual([]);
		expect(second.main.map((item) => [part(item).id, part(item).action, part(item).status])).toEqual([
			[linked('300')[0].id, 'updated', 'open'],
			[linked('301')[0].id, 'updated', 'open'],
		]);
		for (const id of ['300', '301']) {
			expect(linked(id)).toHaveLength(1);
			expect(linesOf(linked(id)[0].id)).toEqual(['2']);
		}
	});

	it('line items of new invoices created, answer lost: the new invoices are undone with the lines the lost call made; the next run creates each once', async () => {
		loseNextCreate('line_items');
		const first = await upsert([reverseItem('310'), reverseItem('311')]);
		expectUnknownOutcome(first.errors, 2);
		expect(linked('310')).toEqual([]);
		expect(linked('311')).toEqual([]);
		expect(sim.state.list('line_items')).toEqual([]);
		const second = await upsert([reverseItem('310'), reverseItem('311')]);
		expect(second.errors).toEqual([]);
		expect(second.main.map((item) => part(item).action)).toEqual(['created', 'created']);
		for (const id of ['310', '311']) expect(linesOf(linked(id)[0].id)).toEqual(['2']);
	});

	it('line items of a content update created, answer lost: the next run\'s line replacement archives every line associated, the lost call\'s too', async () => {
		await upsert([reverseItem('320', { lines: [{ quantity: 1 }] })]);
		const invoiceId = linked('320')[0].id;
		loseNextCreate('line_items');
		const first = await upsert([reverseItem('320', { lines: [{ quantity: 4 }] })]);
		expectUnknownOutcome(first.errors, 1);
		// The old line stays (it is archived only after the new ones are known to exist) beside the lost call's.
		expect(linesOf(invoiceId).sort()).toEqual(['1', '4']);
		const second = await upsert([reverseItem('320', { lines: [{ quantity: 4 }] })]);
		expect(second.errors).toEqual([]);
		expect(part(second.main[0])).toMatchObject({ id: invoiceId, action: 'updated' });
		expect(linesOf(invoiceId)).toEqual(['4']);
		expect(linked('320')).toHaveLength(1);
	});

	it('a payment arriving while the lost create\'s draft is unfinished waits (retryable HUBSPOT_UNAVAILABLE, nothing written); once the invoice run finishes the draft, its retry shows the payment once and the invoice ends paid', async () => {
		loseNextCreate('invoices');
		expectUnknownOutcome((await upsert([reverseItem('340')])).errors, 1);
		const draft = linked('340')[0];
		const early = await upsert([paymentItem('340', '21', '0')]);
		expect(early.main).toEqual([]);
		expect(early.errors.map((error) => error.error)).toEqual([expect.objectContaining({ code: 'HUBSPOT_UNAVAILABLE', retryable: true, message: expect.stringMatching(/not finished/) })]);
		expect(sim.state.get('invoices', draft.id)!.properties).toEqual(draft.properties);
		const finished = await upsert([reverseItem('340')]);
		expect(part(finished.main[0])).toMatchObject({ id: draft.id, action: 'updated', status: 'open' });
		const retried = await upsert([paymentItem('340', '21', '0')]);
		expect(retried.errors).toEqual([]);
		expect(part(retried.main[0])).toMatchObject({ id: draft.id, action: 'paymentApplied', status: 'paid' });
		expect(sim.state.list('commerce_payments').map((payment) => payment.properties.hs_initial_amount)).toEqual(['21']);
	});

	it('search index lag (searchSettings.indexLagMs): a next run that misses the lost call\'s draft creates a second invoice, which the run after reports as HUBSPOT_INVOICE_LINKED_TWICE rather than writing either', async () => {
		sim.searchSettings.indexLagMs = 60_000;
		loseNextCreate('invoices');
		expectUnknownOutcome((await upsert([reverseItem('330')])).errors, 1);
		await upsert([reverseItem('330')]);
		expect(linked('330')).toHaveLength(2);
		sim.searchSettings.indexLagMs = 0;
		const third = await upsert([reverseItem('330')]);
		expect(third.errors.map((error) => (error.error as IDataObject).code)).toEqual(['HUBSPOT_INVOICE_LINKED_TWICE']);
	});
});
