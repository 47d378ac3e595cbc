/**
 * Customer Resolve with Destination HubSpot through n8n's engine against the fake HubSpot CRM:
 * contacts found (ignoring case and spaces), created and adopted, companies found, created or left
 * alone and associated, the email required, and the requests batched for the whole execution.
 */
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => {}),
}));

import type { IDataObject } from 'n8n-workflow';

import { hubSpotTestCredentials, runNode } from '../kit';
import { useFakeHubSpotCrm, type FakeHubSpotCrm } from '../kit/hubspotCrm';
import { quickBooksInvoice } from './items';

let hubspot: FakeHubSpotCrm;

useFakeHubSpotCrm((crm) => (hubspot = crm));

async function resolve(items: IDataObject[], parameters: IDataObject = {}) {
	hubspot.calls = [];
	return await runNode('customerResolve', { destination: 'hubspot', hubspotAuthentication: 'appToken', ...parameters }, items, hubSpotTestCredentials());
}

const part = (item: IDataObject) => item.hubspot as IDataObject;
const requests = () => hubspot.calls.map((call) => `${call.method} ${call.path}`);

describe('contacts', () => {
	it('finds the contact by email ignoring case and surrounding spaces, and the company by name, and associates them', async () => {
		hubspot.add('contacts', '5001', { email: 'ada@buyer.example' });
		hubspot.add('companies', '7001', { name: 'Buyer Co' });
		const { main, errors } = await resolve([quickBooksInvoice('1', { email: '  Ada@Buyer.EXAMPLE ', companyName: ' buyer co' })]);
		expect(errors).toEqual([]);
		expect(part(main[0])).toEqual({ contact: { id: '5001', created: false, email: 'ada@buyer.example' }, company: { id: '7001', created: false } });
		expect(hubspot.contactCompanies).toEqual(new Set(['5001:7001']));
		expect(requests()).toEqual([
			'POST /crm/v3/objects/companies/search',
			'POST /crm/v3/objects/contacts/search',
			'POST /crm/v4/associations/contacts/companies/batch/associate/default',
		]);
	});

	it('creates a missing contact from the QuickBooks customer (names, company, address) and its company, once per email', async () => {
		const { main, errors } = await resolve([quickBooksInvoice('1', { email: 'new@buyer.example' }), quickBooksInvoice('2', { email: 'NEW@buyer.example' })]);
		expect(errors).toEqual([]);
		const contact = [...hubspot.contacts.values()];
		expect(contact).toHaveLength(1);
		expect(contact[0].properties).toMatchObject({ email: 'new@buyer.example', firstname: 'Ada', lastname: 'Buyer', company: 'Buyer Co', address: '1 Main St', city: 'Springfield', state: 'IL', zip: '62701', country: 'US' });
		const company = [...hubspot.companies.values()];
		expect(company.map((record) => record.properties.name)).toEqual(['Buyer Co']);
		expect(main.map((item) => part(item))).toEqual([
			{ contact: { id: contact[0].id, created: true, email: 'new@buyer.example' }, company: { id: company[0].id, created: true } },
			{ contact: { id: contact[0].id, created: true, email: 'new@buyer.example' }, company: { id: company[0].id, created: true } },
		]);
		expect(hubspot.contactCompanies).toEqual(new Set([`${contact[0].id}:${company[0].id}`]));
	});

	it('adopts a contact HubSpot reports in use (409, search not caught up yet) and still creates the others of the batch', async () => {
		hubspot.add('contacts', '5002', { email: 'late@buyer.example' });
		// The search index has not caught up with contact 5002 yet.
		hubspot.failNext(/contacts\/search$/, 200, { total: 0, results: [] });
		const { main, errors } = await resolve([quickBooksInvoice('1', { email: 'Late@Buyer.example' }), quickBooksInvoice('2', { email: 'fresh@buyer.example' })], { hubspotCompanies: 'none' });
		expect(errors).toEqual([]);
		expect(part(main[0]).contact).toEqual({ id: '5002', created: false, email: 'late@buyer.example' });
		expect(part(main[1]).contact).toMatchObject({ created: true, email: 'fresh@buyer.example' });
		expect(part(main[0]).company).toBeNull();
		expect(requests()).toEqual([
			'POST /crm/v3/objects/contacts/search',
			'POST /crm/v3/objects/contacts/batch/create',
			'POST /crm/v3/objects/contacts/batch/read',
			'POST /crm/v3/objects/contacts/batch/create',
		]);
		expect(hubspot.calls[3].body.inputs.map((input: any) => input.properties.email)).toEqual(['fresh@buyer.example']);
	});

	it('fails an invoice whose QuickBooks customer has no email with CUSTOMER_EMAIL_MISSING, and syncs the others', async () => {
		const { main, errors } = await resolve([quickBooksInvoice('1', { email: '   ' }), quickBooksInvoice('2')], { hubspotCompanies: 'none' });
		expect(main).toHaveLength(1);
		expect(errors).toHaveLength(1);
		expect((errors[0].error as IDataObject).code).toBe('CUSTOMER_EMAIL_MISSING');
		expect((errors[0].error as IDataObject).message).toBe('Invoice QB-1: the QuickBooks customer has no email address');
		expect(hubspot.calls[0].body.filterGroups[0].filters[0].values).toEqual(['buyer2@example.com']);
	});

	it('with If Not Found "Fail the Invoice", a missing contact is CUSTOMER_NOT_FOUND and nothing is created', async () => {
		const { errors } = await resolve([quickBooksInvoice('1', { email: 'nobody@buyer.example' })], { ifNotFound: 'error', hubspotCompanies: 'none' });
		expect((errors[0].error as IDataObject).code).toBe('CUSTOMER_NOT_FOUND');
		expect((errors[0].error as IDataObject).message).toBe('Invoice QB-1: no HubSpot contact with email nobody@buyer.example');
		expect(hubspot.count(/batch\/create/)).toBe(0);
	});
});

describe('companies', () => {
	it('"Find the Company Only" uses an existing company and gives the others none, creating no company', async () => {
		hubspot.add('companies', '7001', { name: 'Known Ltd' });
		const { main } = await resolve([quickBooksInvoice('1', { companyName: 'Known Ltd' }), quickBooksInvoice('2', { companyName: 'Unknown Ltd' })], { hubspotCompanies: 'matchOnly' });
		expect(main.map((item) => part(item).company)).toEqual([{ id: '7001', created: false }, null]);
		expect(hubspot.count(/companies\/batch\/create/)).toBe(0);
	});

	it('of several companies with the name, uses the oldest', async () => {
		hubspot.add('companies', '7009', { name: 'Twin Co' });
		hubspot.add('companies', '7003', { name: 'twin co' });
		const { main } = await resolve([quickBooksInvoice('1', { companyName: 'Twin Co' })]);
		expect(part(main[0]).company).toEqual({ id: '7003', created: false });
	});

	it('a failed company search fails the invoices with a company and writes no contact', async () => {
		hubspot.failNext(/companies\/search$/, 400, { status: 'error', category: 'VALIDATION_ERROR', message: 'bad filter' });
		const { main, errors } = await resolve([quickBooksInvoice('1'), quickBooksInvoice('2', { companyName: null })]);
		expect((errors[0].error as IDataObject).code).toBe('HUBSPOT_ERROR');
		expect(main.map((item) => part(item).company)).toEqual([null]);
		expect([...hubspot.contacts.values()].map((contact) => contact.properties.email)).toEqual(['buyer2@example.com']);
	});
});

describe('batching', () => {
	it('resolves 150 invoices with 2 company searches, 2 contact searches, 2 + 2 batch creates and 2 association calls', async () => {
		const items = Array.from({ length: 150 }, (_unused, index) => quickBooksInvoice(String(index + 1), { companyName: `Company ${index + 1}` }));
		const { main, errors } = await resolve(items);
		expect(errors).toEqual([]);
		expect(main).toHaveLength(150);
		expect(requests().sort()).toEqual(
			[
				...Array(2).fill('POST /crm/v3/objects/companies/search'),
				...Array(2).fill('POST /crm/v3/objects/companies/batch/create'),
				...Array(2).fill('POST /crm/v3/objects/contacts/search'),
				...Array(2).fill('POST /crm/v3/objects/contacts/batch/create'),
				...Array(2).fill('POST /crm/v4/associations/contacts/companies/batch/associate/default'),
			].sort(),
		);
		expect(hubspot.contacts.size).toBe(150);
		expect(hubspot.contactCompanies.size).toBe(150);
	});
});

describe('creates HubSpot refuses', () => {
	const refusal = (name: string, error: string, message: string) => ({
		status: 'error',
		category: 'VALIDATION_ERROR',
		message: `Property values were not valid: ${JSON.stringify([{ isValid: false, message, error, name }])}`,
	});

	it('a company HubSpot refuses fails only the invoices with that company (CUSTOMER_CREATE_FAILED, HubSpot\'s reason, the fix), narrowing the refused batch down', async () => {
		// The batch of both companies is refused, then the half holding the refused one.
		hubspot.failNext(/companies\/batch\/create$/, 400, refusal('name', 'INVALID_STRING', 'Name is not a valid company name'), 2);
		const { main, errors } = await resolve([quickBooksInvoice('1', { companyName: 'Refused Co' }), quickBooksInvoice('2', { companyName: 'Fine Co' }), quickBooksInvoice('3', { companyName: 'Refused Co' })]);
		expect(main.map((item) => (item.invoice as IDataObject).number)).toEqual(['QB-2']);
		expect(errors.map((item) => (item.error as IDataObject).code)).toEqual(['CUSTOMER_CREATE_FAILED', 'CUSTOMER_CREATE_FAILED']);
		expect((errors[0].error as IDataObject).message).toBe('Invoice QB-1: could not create HubSpot company Refused Co: Name is not a valid company name');
		expect((errors[0].error as IDataObject).hint).toBe('In QuickBooks, correct what HubSpot names on the customer (the HubSpot company is made from its company name), then retry the sync.');
		expect(requests().filter((request) => request.includes('companies/batch/create'))).toHaveLength(3);
		expect([...hubspot.companies.values()].map((company) => company.properties.name)).toEqual(['Fine Co']);
		expect([...hubspot.contacts.values()].map((contact) => contact.properties.email)).toEqual(['buyer2@example.com']);
	});

	it('a failed call (HubSpot unavailable) is not a refusal: the batch\'s invoices fail with HUBSPOT_UNAVAILABLE, not CUSTOMER_CREATE_FAILED', async () => {
		hubspot.failNext(/contacts\/batch\/create$/, 503, { status: 'error', message: 'unavailable' }, 10);
		const { errors } = await resolve([quickBooksInvoice('1'), quickBooksInvoice('2')], { hubspotCompanies: 'none' });
		expect(errors.map((item) => (item.error as IDataObject).code)).toEqual(['HUBSPOT_UNAVAILABLE', 'HUBSPOT_UNAVAILABLE']);
	});
});

describe('a QuickBooks email field holding several addresses', () => {
	it('matches and creates the contact by the first address of a comma-separated list (QuickBooks allows several; HubSpot takes one)', async () => {
		hubspot.add('contacts', '5001', { email: 'ada@buyer.example' });
		const { main, errors } = await resolve([quickBooksInvoice('1', { email: ' Ada@Buyer.example, billing@buyer.example' }), quickBooksInvoice('2', { email: 'new@buyer.example,accounts@buyer.example' })], { hubspotCompanies: 'none' });
		expect(errors).toEqual([]);
		expect(part(main[0]).contact).toEqual({ id: '5001', created: false, email: 'ada@buyer.example' });
		expect(part(main[1]).contact).toMatchObject({ created: true, email: 'new@buyer.example' });
		expect([...hubspot.contacts.values()].map((contact) => contact.properties.email)).toEqual(['ada@buyer.example', 'new@buyer.example']);
	});
});

describe('a 409 naming a contact whose primary email is another', () => {
	it('adopts the contact HubSpot names for a lone input (HubSpot holds the email on it, e.g. as a secondary email)', async () => {
		hubspot.add('contacts', '5003', { email: 'primary@buyer.example' });
		hubspot.failNext(/contacts\/batch\/create$/, 409, { status: 'error', message: 'Contact already exists. Existing ID: 5003', category: 'CONFLICT' });
		const { main, errors } = await resolve([quickBooksInvoice('1', { email: 'alias@buyer.example' })], { hubspotCompanies: 'none' });
		expect(errors).toEqual([]);
		expect(part(main[0]).contact).toEqual({ id: '5003', created: false, email: 'primary@buyer.example' });
		expect(hubspot.contacts.size).toBe(1);
	});
});
