/**
 * HubSpot answers a batch create in any order (its results are not in the inputs' order), so
 * Customer Resolve pairs created contacts with their invoices by email and created companies by
 * name, never by position.
 */
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => {}),
}));

import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { blockExternalNetwork } from '../harness';
import { hubSpotTestCredentials, runNode } from '../kit';
import { HUBSPOT_BASE } from '../kit/hubspot';
import { quickBooksInvoice } from './items';

beforeAll(() => blockExternalNetwork());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** A HubSpot that finds nothing and answers every batch create with its results reversed. */
function reversingHubSpot(): void {
	let nextId = 9000;
	const scope = nock(HUBSPOT_BASE).persist();
	scope.post(/\/crm\/v3\/objects\/(contacts|companies)\/search$/).reply(200, { total: 0, results: [] });
	scope.post(/\/crm\/v3\/objects\/(contacts|companies)\/batch\/create$/).reply(201, (_uri: string, body: any) => ({
		status: 'COMPLETE',
		results: (body.inputs as Array<{ properties: Record<string, string> }>).map((input) => ({ id: String(nextId++), properties: input.properties })).reverse(),
	}));
	scope.post('/crm/v4/associations/contacts/companies/batch/associate/default').reply(200, { status: 'COMPLETE', results: [] });
}

it('gives each invoice the contact and company created for it although HubSpot answers in reverse order', async () => {
	reversingHubSpot();
	const items = [quickBooksInvoice('1', { email: 'one@buyer.example', companyName: 'One Co' }), quickBooksInvoice('2', { email: 'two@buyer.example', companyName: 'Two Co' }), quickBooksInvoice('3', { email: 'three@buyer.example', companyName: 'Three Co' })];
	const { main, errors } = await runNode('customerResolve', { destination: 'hubspot', hubspotAuthentication: 'appToken' }, items, hubSpotTestCredentials());
	expect(errors).toEqual([]);
	const parts = main.map((item) => item.hubspot as IDataObject);
	expect(parts.map((part) => (part.contact as IDataObject).email)).toEqual(['one@buyer.example', 'two@buyer.example', 'three@buyer.example']);
	// Companies were created first (ids 9000–9002, answered reversed), then contacts (9003–9005).
	expect(parts.map((part) => (part.company as IDataObject).id)).toEqual(['9000', '9001', '9002']);
	expect(parts.map((part) => (part.contact as IDataObject).id)).toEqual(['9003', '9004', '9005']);
});
