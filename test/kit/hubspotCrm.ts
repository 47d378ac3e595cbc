/**
 * A small in-memory HubSpot CRM behind nock for the matching nodes' tests (QuickBooks → HubSpot):
 * contacts, companies and products with search (EQ/IN, strings compared ignoring case as HubSpot
 * does, 200 per page), contacts and companies batch create (100 per call; one contact per email,
 * ignoring case: a batch holding a used email fails whole with 409 CONFLICT naming the first existing
 * contact, as HubSpot answers), batch read, contact–company default associations, and the tax-rate
 * list. Every call is recorded; `failNext` queues error answers.
 */
import nock from 'nock';

import { blockExternalNetwork } from '../harness';
import { HUBSPOT_BASE, type FakeObject, type Props, type RecordedCall } from './hubspot';

type CrmType = 'contacts' | 'companies' | 'products';

export class FakeHubSpotCrm {
	contacts = new Map<string, FakeObject>();
	companies = new Map<string, FakeObject>();
	products = new Map<string, FakeObject>();
	taxRates: Array<Record<string, unknown>> = [];
	/** Contact → company associations (`contactId:companyId`). */
	contactCompanies = new Set<string>();
	calls: RecordedCall[] = [];
	nextId = 800_000;
	private failures: Array<{ match: RegExp; status: number; body: unknown; times: number }> = [];

	constructor(readonly baseUrl = HUBSPOT_BASE) {}

	add(type: CrmType, id: string, properties: Props): FakeObject {
		const record = { id, properties: { hs_object_id: id, ...properties } };
		this.records(type).set(id, record);
		return record;
	}

	failNext(match: RegExp, status: number, body: unknown, times = 1): void {
		this.failures.push({ match, status, body, times });
	}

	count(match: RegExp): number {
		return this.calls.filter((call) => match.test(`${call.method} ${call.path}`)).length;
	}

	install(): void {
		const scope = nock(this.baseUrl).persist();
		// eslint-disable-next-line @typescript-eslint/no-this-alias
		const fake = this;
		const handle = (method: string) =>
			function (uri: string, body: any) {
				return fake.handle(method, uri, body);
			};
		scope.post(/.*/).reply(handle('POST'));
		scope.get(/.*/).reply(handle('GET'));
	}

	private records(type: string): Map<string, FakeObject> {
		if (type === 'contacts') return this.contacts;
		if (type === 'companies') return this.companies;
		return this.products;
	}

	private handle(method: string, uri: string, rawBody: any): [number, unknown] {
		const path = uri.split('?')[0];
		const body = typeof rawBody === 'string' && rawBody ? JSON.parse(rawBody) : rawBody;
		this.calls.push({ method, path, body });
		const failure = this.failures.find((entry) => entry.times > 0 && entry.match.test(`${method} ${path}`));
		if (failure) {
			failure.times--;
			return [failure.status, failure.body];
		}
		if (method === 'GET' && path === '/tax-rates/v1/tax-rates') return [200, { results: this.taxRates }];
		if (method === 'POST' && path === '/crm/v4/associations/contacts/companies/batch/associate/default') return this.associate(body);
		const match = /^\/crm\/v3\/objects\/(contacts|companies|products)\/(search|batch\/create|batch\/read)$/.exec(path);
		if (method === 'POST' && match?.[2] === 'search') return this.search(match[1], body);
		if (method === 'POST' && match?.[2] === 'batch/create' && match[1] !== 'products') return this.create(match[1] as CrmType, body);
		if (method === 'POST' && match?.[2] === 'batch/read') return this.read(match[1], body);
		return [404, { status: 'error', message: `fake HubSpot CRM: no route ${method} ${path}` }];
	}

	private search(type: string, body: any): [number, unknown] {
		const limit = body.limit ?? 10;
		if (limit > 200) return [400, { status: 'error', category: 'VALIDATION_ERROR', message: 'limit must be ≤ 200' }];
		const groups: any[] = body.filterGroups ?? [];
		const text = (value: unknown) => String(value ?? '').toLowerCase();
		const matches = [...this.records(type).values()].filter((record) =>
			groups.some((group) =>
				(group.filters as any[]).every((filter) => {
					const actual = record.properties[filter.propertyName];
					if (actual === null || actual === undefined) return false;
					if (filter.operator === 'EQ') return text(actual) === text(filter.value);
					if (filter.operator === 'IN') {
						if (filter.values.length > 100) throw new Error('fake HubSpot CRM: more than 100 IN values');
						return (filter.values as string[]).some((value) => text(value) === text(actual));
					}
					throw new Error(`fake HubSpot CRM: operator ${filter.operator}`);
				}),
			),
		);
		const after = Number(body.after ?? 0);
		const page = matches.slice(after, after + limit).map((record) => ({ id: record.id, properties: pick(record.properties, body.properties ?? []) }));
		const response: any = { total: matches.length, results: page };
		if (after + limit < matches.length) response.paging = { next: { after: String(after + limit) } };
		return [200, response];
	}

	private create(type: CrmType, body: any): [number, unknown] {
		const inputs: any[] = body.inputs ?? [];
		if (inputs.length > 100) return [400, { status: 'error', category: 'VALIDATION_ERROR', message: 'Batch input exceeds 100' }];
		if (type === 'contacts') {
			for (const input of inputs) {
				const email = String(input.properties?.email ?? '').toLowerCase();
				const holder = [...this.contacts.values()].find((contact) => email !== '' && String(contact.properties.email ?? '').toLowerCase() === email);
				if (holder) return [409, { status: 'error', message: `Contact already exists. Existing ID: ${holder.id}`, category: 'CONFLICT' }];
			}
		}
		const results = inputs.map((input) => {
			const record = this.add(type, String(this.nextId++), input.properties ?? {});
			return { id: record.id, properties: { ...record.properties } };
		});
		return [201, { status: 'COMPLETE', results }];
	}

	private read(type: string, body: any): [number, unknown] {
		const inputs: Array<{ id: string }> = body.inputs ?? [];
		const results = inputs.map((input) => this.records(type).get(String(input.id))).filter((record): record is FakeObject => !!record);
		return [200, { status: 'COMPLETE', results: results.map((record) => ({ id: record.id, properties: pick(record.properties, body.properties ?? []) })) }];
	}

	private associate(body: any): [number, unknown] {
		const inputs: any[] = body.inputs ?? [];
		if (inputs.length > 100) return [400, { status: 'error', category: 'VALIDATION_ERROR', message: 'Batch input exceeds 100' }];
		for (const input of inputs) this.contactCompanies.add(`${input.from.id}:${input.to.id}`);
		return [200, { status: 'COMPLETE', results: [] }];
	}
}

function pick(properties: Props, names: string[]): Props {
	const out: Props = { hs_object_id: properties.hs_object_id ?? null };
	for (const name of names) out[name] = properties[name] ?? null;
	return out;
}

/**
 * A fresh fake CRM before each test of the file, seeded by `seed` and handed to `use`; no outside
 * network meanwhile, and nock's interceptors cleared after each test.
 */
export function useFakeHubSpotCrm(use: (hubspot: FakeHubSpotCrm) => void, seed?: (hubspot: FakeHubSpotCrm) => void): void {
	beforeAll(() => blockExternalNetwork());
	beforeEach(() => {
		const hubspot = new FakeHubSpotCrm();
		hubspot.install();
		seed?.(hubspot);
		use(hubspot);
	});
	afterEach(() => nock.cleanAll());
	afterAll(() => nock.enableNetConnect());
}
