/**
 * The HubSpot simulator's contact rules that Customer Resolve (Destination HubSpot) meets: one
 * contact per email, compared ignoring case, refused with HubSpot's 409 CONFLICT naming the
 * existing contact (a single create and a batch create, a batch failing whole, duplicates inside
 * one batch too); an invalid email refused with 400 INVALID_EMAIL; the search index lagging
 * behind new records when the named setting says so.
 */
import type { HubSpotSimulator } from '../../sandbox/hubspot';
import { callHubSpot, hubSpotRecord, useHubSpotSimulator } from '../fixtures/hubspotSimulator';

let sim: HubSpotSimulator;

useHubSpotSimulator({ contacts: [hubSpotRecord('21', { email: 'ap@example.com', firstname: 'Ann' })] }, (started) => (sim = started), (started) => (started.searchSettings.indexLagMs = 0));

const call = (method: string, path: string, body?: unknown) => callHubSpot(sim, method, path, body);

const contactEmails = () => [...sim.state.list('contacts')].map((contact) => contact.properties.email).sort();
const createContacts = async (...emails: string[]) => await call('POST', '/crm/v3/objects/contacts/batch/create', { inputs: emails.map((email) => ({ properties: { email } })) });

describe('one contact per email', () => {
	it('a single create with an email in use, in another case, is 409 CONFLICT naming the existing contact', async () => {
		const answer = await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'AP@Example.COM', firstname: 'Ann' } });
		expect(answer.status).toBe(409);
		expect(answer.body).toMatchObject({ status: 'error', category: 'CONFLICT', message: 'Contact already exists. Existing ID: 21' });
		expect(contactEmails()).toEqual(['ap@example.com']);
	});

	it('a batch create holding one email in use fails whole, naming the first existing contact', async () => {
		sim.createObject('contacts', { email: 'bo@example.com' });
		const answer = await createContacts('new@example.com', 'Bo@Example.com', 'ap@example.com');
		expect(answer.status).toBe(409);
		expect(answer.body.message).toMatch(/^Contact already exists\. Existing ID: \d+$/);
		expect(answer.body.message).not.toContain('21');
		expect(contactEmails()).toEqual(['ap@example.com', 'bo@example.com']);
	});

	it('a batch create with the same email twice (ignoring case) fails whole with 409 and creates nothing', async () => {
		const answer = await createContacts('twin@example.com', 'other@example.com', 'TWIN@example.com');
		expect(answer.status).toBe(409);
		expect(answer.body.category).toBe('CONFLICT');
		expect(answer.body.message).toContain('twin@example.com');
		expect(contactEmails()).toEqual(['ap@example.com']);
	});

	it('companies have no such rule: two companies may share a name', async () => {
		const answer = await call('POST', '/crm/v3/objects/companies/batch/create', { inputs: [{ properties: { name: 'Twin' } }, { properties: { name: 'twin' } }] });
		expect(answer.status).toBe(201);
		expect(sim.state.list('companies')).toHaveLength(2);
	});
});

describe('email format', () => {
	it.each(['not-an-email', 'a b@example.com', '"quoted"@example.com', 'ann@example', 'ann@@example.com'])('refuses %j with 400 INVALID_EMAIL and creates nothing of the batch', async (email) => {
		const answer = await createContacts('fine@example.com', email);
		expect(answer.status).toBe(400);
		expect(answer.body.category).toBe('VALIDATION_ERROR');
		expect(answer.body.message).toContain('"error":"INVALID_EMAIL"');
		expect(answer.body.errors[0]).toMatchObject({ code: 'INVALID_EMAIL', message: `Email address ${email} is invalid`, context: { propertyName: ['email'] } });
		expect(contactEmails()).toEqual(['ap@example.com']);
	});

	it('accepts an ordinary address', async () => {
		expect((await createContacts('ann.o+tag@sub.example.co.uk')).status).toBe(201);
	});
});

describe('search index lag (setting searchSettings.indexLagMs)', () => {
	it('with a lag, a contact created moments ago is missing from search but still holds its email', async () => {
		sim.searchSettings.indexLagMs = 60_000;
		sim.createObject('contacts', { email: 'late@example.com' });
		const search = await call('POST', '/crm/v3/objects/contacts/search', { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'IN', values: ['late@example.com', 'ap@example.com'] }] }], properties: ['email'] });
		expect(search.body.results.map((contact: any) => contact.properties.email)).toEqual(['ap@example.com']);
		expect((await createContacts('late@example.com')).status).toBe(409);
	});

	it('without a lag (the default), search sees it at once', async () => {
		sim.createObject('contacts', { email: 'late@example.com' });
		const search = await call('POST', '/crm/v3/objects/contacts/search', { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'late@example.com' }] }] });
		expect(search.body.total).toBe(1);
	});
});
