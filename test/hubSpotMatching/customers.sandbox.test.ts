/**
 * Customer Resolve with Destination HubSpot against the HubSpot simulator, which enforces HubSpot's
 * contact rules (one contact per email ignoring case, 409 CONFLICT naming the existing contact,
 * 400 INVALID_EMAIL) and can make search trail new records: a contact search misses is adopted,
 * a contact HubSpot refuses fails only its own invoices with CUSTOMER_CREATE_FAILED.
 */
import type { IDataObject } from 'n8n-workflow';

import { createHubSpotSimulator, DEFAULT_PRIVATE_APP_TOKEN, type HubSpotSimulator } from '../../sandbox/hubspot';
import { blockExternalNetwork } from '../harness';
import { runNode } from '../kit';
import { quickBooksInvoice } from './items';

const AT = '2026-05-01T10:00:00.000Z';
const object = (id: string, properties: Record<string, string>) => ({ id, properties: { hs_object_id: id, ...properties }, createdAt: AT, updatedAt: AT, archived: false });

let sim: HubSpotSimulator;
let credentials: never;

beforeAll(async () => {
	blockExternalNetwork();
	sim = createHubSpotSimulator({
		limits: false,
		dataset: { invoices: [], lineItems: [], contacts: [object('5001', { email: 'ada@buyer.example' })], companies: [], products: [], taxRates: [], associations: [] },
	});
	await sim.listen(0);
	credentials = { hubSpotInvoiceSyncAppTokenApi: { accessToken: DEFAULT_PRIVATE_APP_TOKEN, baseUrl: sim.baseUrl, useCustomBaseUrl: true } } as never;
});
afterAll(() => sim.close());
beforeEach(() => {
	sim.reset();
	sim.searchSettings.indexLagMs = 0;
});

const resolve = async (items: IDataObject[], parameters: IDataObject = {}) =>
	await runNode('customerResolve', { destination: 'hubspot', hubspotAuthentication: 'appToken', hubspotCompanies: 'none', ...parameters }, items, credentials);
const contactOf = (item: IDataObject) => (item.hubspot as IDataObject).contact as IDataObject;
const emails = () => sim.state.list('contacts').map((contact) => contact.properties.email).sort();
const error = (item: IDataObject) => item.error as IDataObject;

it('adopts the contact HubSpot names in its 409 when search has not caught up yet, and creates the other contacts of the batch', async () => {
	sim.searchSettings.indexLagMs = 60_000;
	const late = sim.createObject('contacts', { email: 'late@buyer.example' });
	const { main, errors } = await resolve([quickBooksInvoice('1', { email: ' LATE@buyer.example ' }), quickBooksInvoice('2', { email: 'fresh@buyer.example' })]);
	expect(errors).toEqual([]);
	expect(contactOf(main[0])).toEqual({ id: late.id, created: false, email: 'late@buyer.example' });
	expect(contactOf(main[1])).toMatchObject({ created: true, email: 'fresh@buyer.example' });
	expect(emails()).toEqual(['ada@buyer.example', 'fresh@buyer.example', 'late@buyer.example']);
});

it('sends one create for two invoices whose emails differ only in case and spaces, which HubSpot accepts', async () => {
	const { main, errors } = await resolve([quickBooksInvoice('1', { email: 'New@Buyer.example' }), quickBooksInvoice('2', { email: ' new@buyer.EXAMPLE' })]);
	expect(errors).toEqual([]);
	expect(contactOf(main[0]).id).toBe(contactOf(main[1]).id);
	expect(emails().map((email) => email?.toLowerCase()).sort()).toEqual(['ada@buyer.example', 'new@buyer.example']);
});

it('an email HubSpot refuses (400 INVALID_EMAIL) fails that invoice with CUSTOMER_CREATE_FAILED, its reason and the fix; the batch\'s other contacts are created and found', async () => {
	const items = [quickBooksInvoice('1', { email: 'fresh@buyer.example' }), quickBooksInvoice('2', { email: 'broken@buyer' }), quickBooksInvoice('3', { email: 'ada@buyer.example' }), quickBooksInvoice('4', { email: 'other@buyer.example' })];
	const { main, errors } = await resolve(items);
	expect(main.map((item) => (item.invoice as IDataObject).number)).toEqual(['QB-1', 'QB-3', 'QB-4']);
	expect(errors).toHaveLength(1);
	expect(error(errors[0])).toMatchObject({
		code: 'CUSTOMER_CREATE_FAILED',
		message: 'Invoice QB-2: could not create HubSpot contact broken@buyer: Email address broken@buyer is invalid',
		retryable: false,
	});
	expect(error(errors[0]).hint).toContain("In QuickBooks, correct the customer's email address");
	expect((error(errors[0]).details as IDataObject).hubspotErrors).toEqual([{ property: 'email', error: 'INVALID_EMAIL', message: 'Email address broken@buyer is invalid' }]);
	expect(emails()).toEqual(['ada@buyer.example', 'fresh@buyer.example', 'other@buyer.example']);
});
