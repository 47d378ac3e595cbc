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

import type { HubSpotSimulator } from '../../sandbox/hubspot';
import type { RecordingProxy } from '../reliability/helpers/proxy';
import { paymentItem, reverseItem } from './items';
import { PAYMENT_ASSOCIATED, PAYMENT_CREATED, type ProxiedHubSpot, hubSpotMoney, quickBooksInvoice, runStoppedAfter, upsertThroughProxy, useProxiedHubSpot } from './proxiedHubSpot';

let sim: HubSpotSimulator;
let proxy: RecordingProxy;
let hubspot: ProxiedHubSpot;

useProxiedHubSpot((started) => ({ sim, proxy } = hubspot = started));

const upsert = async (items: IDataObject[]) => await upsertThroughProxy(hubspot, items);

it('a create recording 10.00 paid with the invoice, killed after its payment was created: the payment item for 21.00 adds 11.00 and puts both on the invoice', async () => {
	await runStoppedAfter(hubspot, [quickBooksInvoice('401', '11')], PAYMENT_CREATED);
	expect(hubSpotMoney(sim, '401')).toMatchObject({ recorded: ['10'], offInvoice: 1, quickbooks: { amountPaid: null } });
	const { errors } = await upsert([paymentItem('401', '21', '0')]);
	expect(errors).toEqual([]);
	expect(hubSpotMoney(sim, '401')).toEqual({
		invoices: 1,
		recorded: ['10', '11'],
		offInvoice: 0,
		hubspot: { status: 'paid', amountPaid: '21.00', balanceDue: '0.00' },
		quickbooks: { amountPaid: '21', announced: null },
	});
});

it('a payment item for 10.00 killed after its payment was associated: the next payment item, 21.00 paid in all, adds 11.00', async () => {
	await upsert([reverseItem('402')]);
	await runStoppedAfter(hubspot, [paymentItem('402', '10', '11')], PAYMENT_ASSOCIATED);
	expect(hubSpotMoney(sim, '402')).toMatchObject({ recorded: ['10'], offInvoice: 0, quickbooks: { amountPaid: null } });
	const { errors } = await upsert([paymentItem('402', '21', '0')]);
	expect(errors).toEqual([]);
	expect(hubSpotMoney(sim, '402')).toEqual({
		invoices: 1,
		recorded: ['10', '11'],
		offInvoice: 0,
		hubspot: { status: 'paid', amountPaid: '21.00', balanceDue: '0.00' },
		quickbooks: { amountPaid: '21', announced: null },
	});
});
