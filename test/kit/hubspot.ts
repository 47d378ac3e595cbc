/**
 * A small in-memory HubSpot portal behind nock for node tests: search (filters EQ/GT/GTE/
 * LT/IN, one sort, `after` offsets with HubSpot's 10,000-result cap), batch reads (100 per call,
 * 207 with missing ids), v4 association batch reads (1,000 per call, with labels where set), invoice-level
 * discounts and fees, and account info (time zone settable). Equal sort
 * values come back in DESCENDING id order, so the trigger cannot rely on any tie order.
 * Every call is recorded; `failNext` queues error answers.
 */
import nock from 'nock';

export const HUBSPOT_BASE = 'https://api.hubapi.test';

export type Props = Record<string, string | null>;

export interface Links {
	contacts: string[];
	companies: string[];
	line_items: string[];
	discounts: string[];
	fees: string[];
}

export interface FakeObject {
	id: string;
	properties: Props;
}

export interface RecordedCall {
	method: string;
	path: string;
	body: any;
	authorization?: string;
}

interface QueuedFailure {
	match: RegExp;
	status: number;
	body: unknown;
	headers?: Record<string, string>;
	times: number;
}

const DATETIME = new Set(['hs_lastmodifieddate', 'hs_createdate', 'hs_invoice_date', 'hs_due_date']);
const NUMERIC = new Set(['hs_object_id']);

function comparable(name: string, value: unknown): number | string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (DATETIME.has(name)) {
		const text = String(value);
		return /^\d+$/.test(text) ? Number(text) : Date.parse(text);
	}
	if (NUMERIC.has(name)) return Number(value);
	return String(value).toLowerCase();
}

function byId(a: string, b: string): number {
	return Number(a) - Number(b);
}

export class FakeHubSpot {
	invoices = new Map<string, FakeObject>();
	lineItems = new Map<string, FakeObject>();
	contacts = new Map<string, FakeObject>();
	companies = new Map<string, FakeObject>();
	discounts = new Map<string, FakeObject>();
	fees = new Map<string, FakeObject>();
	/** invoiceId → associated ids per type. */
	associations = new Map<string, Links>();
	/** `${invoiceId}:${contactId}` → labels of that invoice–contact association. */
	contactLabels = new Map<string, string[]>();
	calls: RecordedCall[] = [];
	portalId: number | null = 424242;
	timeZone = 'US/Eastern';
	/** Access tokens answered with 401 EXPIRED_AUTHENTICATION (as HubSpot does once a token expired). */
	expiredTokens = new Set<string>();
	private failures: QueuedFailure[] = [];

	constructor(readonly baseUrl = HUBSPOT_BASE) {}

	addInvoice(id: string, properties: Props, links: Partial<Links> = {}): FakeObject {
		const invoice = { id, properties: { hs_object_id: id, ...properties } };
		this.invoices.set(id, invoice);
		this.associations.set(id, {
			contacts: links.contacts ?? [],
			companies: links.companies ?? [],
			line_items: links.line_items ?? [],
			discounts: links.discounts ?? [],
			fees: links.fees ?? [],
		});
		return invoice;
	}

	/** Adds an invoice-level discount or fee (`hs_type` PERCENT or FIXED) to an invoice. */
	addAdjustment(kind: 'discounts' | 'fees', invoiceId: string, id: string, properties: Props): FakeObject {
		const record = { id, properties: { hs_object_id: id, ...properties } };
		this[kind].set(id, record);
		this.associations.get(invoiceId)![kind].push(id);
		return record;
	}

	/** Queue `times` error answers for requests whose "METHOD path" matches. */
	failNext(match: RegExp, status: number, body: unknown, times = 1, headers?: Record<string, string>): void {
		this.failures.push({ match, status, body, headers, times });
	}

	count(match: RegExp): number {
		return this.calls.filter((call) => match.test(`${call.method} ${call.path}`)).length;
	}

	searches(): any[] {
		return this.calls.filter((call) => call.path.endsWith('/search')).map((call) => call.body);
	}

	install(): void {
		const scope = nock(this.baseUrl).persist();
		// eslint-disable-next-line @typescript-eslint/no-this-alias
		const fake = this;
		const handle = (method: string) =>
			function (this: { req: { headers: Record<string, string> } }, uri: string, body: any) {
				return fake.handle(method, uri, body, this.req.headers);
			};
		scope.post(/.*/).reply(handle('POST'));
		scope.get(/.*/).reply(handle('GET'));
	}

	private handle(method: string, uri: string, rawBody: any, headers: Record<string, string> = {}): [number, unknown, Record<string, string>?] {
		const path = uri.split('?')[0];
		let body = rawBody;
		if (typeof rawBody === 'string' && rawBody) {
			try {
				body = JSON.parse(rawBody);
			} catch {
				body = Object.fromEntries(new URLSearchParams(rawBody));
			}
		}
		this.calls.push({ method, path, body, authorization: headers.authorization });
		const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
		if (bearer && this.expiredTokens.has(bearer) && path !== '/oauth/v1/token') {
			return [401, { status: 'error', message: 'The OAuth token used to make this call expired.', category: 'EXPIRED_AUTHENTICATION' }];
		}
		const failure = this.failures.find((entry) => entry.times > 0 && entry.match.test(`${method} ${path}`));
		if (failure) {
			failure.times--;
			return [failure.status, failure.body, failure.headers];
		}
		if (method === 'POST' && path === '/oauth/v1/token') {
			return [200, { access_token: 'refreshed-access-token', refresh_token: 'refresh-2', token_type: 'bearer', expires_in: 1800 }];
		}
		if (method === 'GET' && path === '/account-info/v3/details') {
			if (this.portalId === null) return [404, { status: 'error', message: 'not found' }];
			return [200, { portalId: this.portalId, uiDomain: 'app.hubspot.com', timeZone: this.timeZone }];
		}
		if (method === 'GET' && path === '/crm/v3/properties/invoices') return [200, { results: [...this.invoiceProperties.values()] }];
		if (method === 'GET' && path === '/crm/v3/properties/invoices/groups') return [200, { results: this.propertyGroups.map((name) => ({ name })) }];
		if (method === 'POST' && path === '/crm/v3/properties/invoices/groups') {
			this.propertyGroups.push(body.name);
			return [201, body];
		}
		if (method === 'POST' && path === '/crm/v3/properties/invoices') {
			this.invoiceProperties.set(body.name, body);
			return [201, body];
		}
		let write = /^\/crm\/v3\/objects\/(invoices|line_items|commerce_payments)\/batch\/create$/.exec(path);
		if (method === 'POST' && write) return this.batchCreate(write[1] as 'invoices' | 'line_items' | 'commerce_payments', body);
		write = /^\/crm\/v3\/objects\/invoices\/batch\/update$/.exec(path);
		if (method === 'POST' && write) return this.batchUpdate(body);
		write = /^\/crm\/v3\/objects\/(invoices|line_items)\/batch\/archive$/.exec(path);
		if (method === 'POST' && write) return this.batchArchive(write[1] as 'invoices' | 'line_items', body);
		let match = /^\/crm\/v3\/objects\/invoices\/search$/.exec(path);
		if (method === 'POST' && match) return this.search(body);
		if (method === 'POST' && path === '/crm/v3/objects/commerce_payments/search') return this.search(body, this.payments);
		if (method === 'POST' && path === '/crm/v4/associations/commerce_payments/invoices/batch/associate/default') return this.associatePayments(body);
		match = /^\/crm\/v3\/objects\/(\w+)\/batch\/read$/.exec(path);
		if (method === 'POST' && match) return this.batchRead(match[1], body);
		match = /^\/crm\/v4\/associations\/invoices\/(\w+)\/batch\/read$/.exec(path);
		if (method === 'POST' && match) return this.associationRead(match[1] as 'contacts', body);
		return [404, { status: 'error', message: `fake HubSpot: no route ${method} ${path}` }];
	}

	/** Invoice property definitions (name → definition), as GET /crm/v3/properties/invoices lists them. */
	invoiceProperties = new Map<string, any>([
		['hs_title', { name: 'hs_title', label: 'Title' }],
		['hs_amount_billed', { name: 'hs_amount_billed', label: 'Amount billed' }],
	]);
	propertyGroups: string[] = ['invoiceinformation'];
	/** Payments (commerce payments) and the invoices they are associated with (invoice id → payment ids). */
	payments = new Map<string, FakeObject>();
	paymentLinks = new Map<string, Set<string>>();
	/** Whether an update may set hs_invoice_status to paid (HubSpot documents no such write: refused by default). */
	paidStatusWrite: 'refused' | 'accepted' = 'refused';
	/** Ids given to created records, counting up. */
	nextId = 900_000;
	/** Line item → invoice association type id; invoice → contact, → company (HubSpot-defined). */
	static readonly ASSOCIATION_TYPES = { lineItemToInvoice: 410, invoiceToContact: 177, invoiceToCompany: 179 };

	private batchCreate(type: 'invoices' | 'line_items' | 'commerce_payments', body: any): [number, unknown] {
		const inputs: any[] = body.inputs ?? [];
		if (inputs.length > 100) return [400, { status: 'error', category: 'VALIDATION_ERROR', message: 'Batch input exceeds 100' }];
		if (type === 'commerce_payments') return this.createPayments(inputs);
		for (const input of inputs) {
			for (const association of input.associations ?? []) {
				const typeId = association.types?.[0]?.associationTypeId;
				const wanted = type === 'line_items' ? [FakeHubSpot.ASSOCIATION_TYPES.lineItemToInvoice] : [FakeHubSpot.ASSOCIATION_TYPES.invoiceToContact, FakeHubSpot.ASSOCIATION_TYPES.invoiceToCompany];
				if (!wanted.includes(typeId)) return [400, { status: 'error', category: 'VALIDATION_ERROR', message: `association type ${typeId} is not valid here` }];
				if (type === 'line_items' && !this.invoices.has(String(association.to.id))) return [400, { status: 'error', category: 'VALIDATION_ERROR', message: `invoice ${association.to.id} does not exist` }];
			}
			if (type === 'invoices' && !input.properties?.hs_currency) return [400, { status: 'error', category: 'VALIDATION_ERROR', message: 'hs_currency is required' }];
		}
		const results = inputs.map((input) => {
			const id = String(this.nextId++);
			const stamp = new Date().toISOString();
			if (type === 'invoices') {
				const invoice = this.addInvoice(id, { hs_invoice_status: 'draft', hs_createdate: stamp, hs_lastmodifieddate: stamp, ...input.properties });
				for (const association of input.associations ?? []) {
					const typeId = association.types[0].associationTypeId;
					this.associations.get(id)![typeId === FakeHubSpot.ASSOCIATION_TYPES.invoiceToContact ? 'contacts' : 'companies'].push(String(association.to.id));
				}
				return invoice;
			}
			const lineItem = { id, properties: { hs_object_id: id, ...input.properties, amount: lineAmount(input.properties) } };
			this.lineItems.set(id, lineItem);
			for (const association of input.associations ?? []) this.associations.get(String(association.to.id))!.line_items.push(id);
			return lineItem;
		});
		return [201, { status: 'COMPLETE', results: results.map((object) => ({ id: object.id, properties: { ...object.properties } })) }];
	}

	/** Payments (HubSpot's payments API: hs_initial_amount and hs_initiated_date required). */
	private createPayments(inputs: any[]): [number, unknown] {
		if (inputs.some((input) => !input.properties?.hs_initial_amount || !input.properties?.hs_initiated_date)) {
			return [400, { status: 'error', category: 'VALIDATION_ERROR', message: 'A payment needs hs_initial_amount and hs_initiated_date' }];
		}
		const results = inputs.map((input) => {
			const id = String(this.nextId++);
			const payment = { id, properties: { hs_object_id: id, ...input.properties } };
			this.payments.set(id, payment);
			return { id, properties: { ...payment.properties } };
		});
		return [201, { status: 'COMPLETE', results }];
	}

	/** Payments associated with an invoice mark it paid once they cover its line amounts (as HubSpot documents). */
	private associatePayments(body: any): [number, unknown] {
		for (const input of body.inputs ?? []) {
			const paymentId = String(input.from.id);
			const invoiceId = String(input.to.id);
			if (!this.payments.has(paymentId) || !this.invoices.has(invoiceId)) return [400, { status: 'error', message: `payment ${paymentId} or invoice ${invoiceId} missing` }];
			const links = this.paymentLinks.get(invoiceId) ?? new Set<string>();
			links.add(paymentId);
			this.paymentLinks.set(invoiceId, links);
			const invoice = this.invoices.get(invoiceId)!;
			const paid = [...links].reduce((sum, id) => sum + Math.round(Number(this.payments.get(id)!.properties.hs_initial_amount) * 100), 0);
			const billed = this.associations.get(invoiceId)!.line_items.reduce((sum, id) => sum + Math.round(Number(this.lineItems.get(id)?.properties.amount ?? 0) * 100), 0);
			invoice.properties.hs_amount_paid = (paid / 100).toFixed(2);
			if (billed > 0 && paid >= billed && invoice.properties.hs_invoice_status === 'open') invoice.properties.hs_invoice_status = 'paid';
			invoice.properties.hs_lastmodifieddate = new Date().toISOString();
		}
		return [200, { status: 'COMPLETE', results: [] }];
	}

	private batchUpdate(body: any): [number, unknown] {
		const inputs: any[] = body.inputs ?? [];
		if (inputs.length > 100) return [400, { status: 'error', category: 'VALIDATION_ERROR', message: 'Batch input exceeds 100' }];
		for (const input of inputs) {
			const invoice = this.invoices.get(String(input.id));
			const status = input.properties?.hs_invoice_status;
			if (status === 'paid' && invoice?.properties.hs_invoice_status !== 'paid' && this.paidStatusWrite === 'refused') {
				return [400, { status: 'error', category: 'VALIDATION_ERROR', message: 'hs_invoice_status can\'t be set to paid through the API' }];
			}
			if (invoice?.properties.hs_invoice_status === 'voided' && status && status !== 'voided') {
				return [400, { status: 'error', category: 'VALIDATION_ERROR', message: `invoice ${input.id} is voided and cannot change status` }];
			}
			const links = this.associations.get(String(input.id));
			if (invoice && (status === 'open' || status === 'paid') && invoice.properties.hs_invoice_status === 'draft' && (!links?.contacts.length || !links.line_items.length)) {
				return [400, { status: 'error', category: 'VALIDATION_ERROR', message: `invoice ${input.id} needs a contact and line items to leave draft` }];
			}
		}
		const missing = inputs.map((input) => String(input.id)).filter((id) => !this.invoices.has(id));
		const results = inputs.filter((input) => this.invoices.has(String(input.id))).map((input) => {
			const invoice = this.invoices.get(String(input.id))!;
			Object.assign(invoice.properties, input.properties, { hs_lastmodifieddate: new Date().toISOString() });
			return { id: invoice.id, properties: { ...invoice.properties } };
		});
		if (missing.length) return [207, { status: 'COMPLETE', results, numErrors: 1, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'not found', context: { ids: missing } }] }];
		return [200, { status: 'COMPLETE', results }];
	}

	private batchArchive(type: 'invoices' | 'line_items', body: any): [number, unknown] {
		const inputs: any[] = body.inputs ?? [];
		if (inputs.length > 100) return [400, { status: 'error', category: 'VALIDATION_ERROR', message: 'Batch input exceeds 100' }];
		for (const { id } of inputs) {
			this.store(type).delete(String(id));
			if (type === 'invoices') this.associations.delete(String(id));
			else for (const links of this.associations.values()) links.line_items = links.line_items.filter((lineId) => lineId !== String(id));
		}
		return [204, ''];
	}

	private store(type: string): Map<string, FakeObject> {
		const stores: Record<string, Map<string, FakeObject>> = {
			invoices: this.invoices,
			line_items: this.lineItems,
			contacts: this.contacts,
			companies: this.companies,
			discounts: this.discounts,
			fees: this.fees,
		};
		return stores[type];
	}

	private search(body: any, store: Map<string, FakeObject> = this.invoices): [number, unknown] {
		const limit = body.limit ?? 10;
		if (limit > 200) return [400, { status: 'error', category: 'VALIDATION_ERROR', message: 'limit must be ≤ 200' }];
		const after = Number(body.after ?? 0);
		if (after + limit > 10_000) {
			return [400, { status: 'error', category: 'VALIDATION_ERROR', message: 'Search results are limited to 10,000 per query' }];
		}
		const groups: any[] = body.filterGroups ?? [];
		const matches = [...store.values()].filter(
			(invoice) =>
				groups.length === 0 ||
				groups.some((group) =>
					(group.filters as any[]).every((filter) => {
						const name = filter.propertyName;
						const actual = comparable(name, invoice.properties[name]);
						const wanted = comparable(name, filter.value);
						switch (filter.operator) {
							case 'EQ':
								return actual !== undefined && actual === wanted;
							case 'GT':
								return actual !== undefined && wanted !== undefined && actual > wanted;
							case 'GTE':
								return actual !== undefined && wanted !== undefined && actual >= wanted;
							case 'LT':
								return actual !== undefined && wanted !== undefined && actual < wanted;
							case 'IN':
								return actual !== undefined && (filter.values as string[]).some((value) => comparable(name, value) === actual);
							default:
								throw new Error(`fake HubSpot: operator ${filter.operator}`);
						}
					}),
				),
		);
		const sort = body.sorts?.[0];
		if (sort) {
			const name = typeof sort === 'string' ? sort.replace(/^-/, '') : sort.propertyName;
			const descending = typeof sort === 'string' ? sort.startsWith('-') : sort.direction === 'DESCENDING';
			matches.sort((a, b) => {
				const va = comparable(name, a.properties[name]) as number;
				const vb = comparable(name, b.properties[name]) as number;
				if (va === vb) return -byId(a.id, b.id); // ties: descending ids, deliberately
				return (va < vb ? -1 : 1) * (descending ? -1 : 1);
			});
		}
		const page = matches.slice(after, after + limit);
		const properties: string[] = body.properties ?? [];
		const response: any = {
			total: matches.length,
			results: page.map((invoice) => ({ id: invoice.id, properties: pick(invoice.properties, properties) })),
		};
		if (after + limit < matches.length) response.paging = { next: { after: String(after + limit) } };
		return [200, response];
	}

	private batchRead(type: string, body: any): [number, unknown] {
		const inputs: Array<{ id: string }> = body.inputs ?? [];
		if (inputs.length > 100) return [400, { status: 'error', message: 'Batch input exceeds 100' }];
		const store = this.store(type);
		const results = inputs.map((input) => store.get(input.id)).filter((object): object is FakeObject => !!object);
		const missing = inputs.map((input) => input.id).filter((id) => !store.has(id));
		const response: any = {
			status: 'COMPLETE',
			results: results.map((object) => {
				const out: any = { id: object.id, properties: pick(object.properties, body.properties ?? []) };
				if (Array.isArray(body.propertiesWithHistory) && body.propertiesWithHistory.length && (object as any).history) {
					out.propertiesWithHistory = (object as any).history;
				}
				return out;
			}),
		};
		if (missing.length) {
			response.numErrors = 1;
			response.errors = [{ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: missing } }];
			return [207, response];
		}
		return [200, response];
	}

	private associationRead(toType: keyof Links, body: any): [number, unknown] {
		const inputs: Array<{ id: string }> = body.inputs ?? [];
		if (inputs.length > 1000) return [400, { status: 'error', message: 'Batch input exceeds 1000' }];
		const typesOf = (invoiceId: string, toObjectId: string) => [
			{ category: 'HUBSPOT_DEFINED', typeId: 1, label: null },
			...(toType === 'contacts' ? (this.contactLabels.get(`${invoiceId}:${toObjectId}`) ?? []).map((label, index) => ({ category: 'USER_DEFINED', typeId: 100 + index, label })) : []),
		];
		const results = inputs
			.map((input) => ({ id: input.id, to: this.associations.get(input.id)?.[toType] ?? [] }))
			.filter((entry) => entry.to.length > 0)
			.map((entry) => ({ from: { id: entry.id }, to: entry.to.map((toObjectId) => ({ toObjectId: Number(toObjectId), associationTypes: typesOf(entry.id, toObjectId) })) }));
		return [results.length === inputs.length ? 200 : 207, { status: 'COMPLETE', results }];
	}
}

/** HubSpot's calculated line amount: quantity × (price − unit discount), less a percentage discount, to the cent. */
function lineAmount(properties: Props): string {
	const quantity = Number(properties.quantity ?? 0);
	const unit = Number(properties.price ?? 0) - Number(properties.discount ?? 0);
	const percentage = Number(properties.hs_discount_percentage ?? 0);
	return (Math.round(quantity * unit * (1 - percentage / 100) * 100) / 100).toFixed(2);
}

function pick(properties: Props, names: string[]): Props {
	const out: Props = { hs_object_id: properties.hs_object_id ?? null };
	for (const name of names) out[name] = properties[name] ?? null;
	out.hs_createdate = properties.hs_createdate ?? null;
	out.hs_lastmodifieddate = properties.hs_lastmodifieddate ?? null;
	return out;
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** A standard invoice with one contact, one company and `lines` line items. */
export function seedInvoice(
	hubspot: FakeHubSpot,
	id: number,
	modifiedMs: number,
	overrides: Props = {},
	options: { lines?: number; contact?: boolean; company?: boolean; createdMs?: number } = {},
): FakeObject {
	const lineIds: string[] = [];
	for (let index = 0; index < (options.lines ?? 2); index++) {
		const lineId = String(id * 100 + index);
		lineIds.push(lineId);
		hubspot.lineItems.set(lineId, {
			id: lineId,
			properties: {
				name: `Widget ${index}`,
				description: `Widget number ${index}`,
				hs_sku: `SKU-${index}`,
				quantity: '2',
				price: '10.50',
				amount: '21.00',
				hs_tax_rate_group_id: '1001',
				hs_tax_label: 'CA Sales Tax',
				hs_position_on_quote: String(index),
			},
		});
	}
	const contactId = String(5000 + (id % 50));
	if (options.contact !== false) {
		hubspot.contacts.set(contactId, {
			id: contactId,
			properties: { email: `buyer${id % 50}@example.com`, firstname: 'Ada', lastname: 'Buyer', company: 'Contact Co', address: '1 Main St', city: 'Springfield', state: 'CA', zip: '90000', country: 'US' },
		});
	}
	const companyId = String(7000 + (id % 20));
	if (options.company) hubspot.companies.set(companyId, { id: companyId, properties: { name: `Company ${id % 20}` } });
	return hubspot.addInvoice(
		String(id),
		{
			hs_number: `INV-${id}`,
			hs_invoice_status: 'open',
			hs_currency: 'USD',
			hs_invoice_date: '2026-03-01T00:00:00.000Z',
			hs_due_date: '2026-03-31T00:00:00.000Z',
			hs_invoice_source: 'hubspot',
			hs_createdate: iso(options.createdMs ?? modifiedMs),
			hs_lastmodifieddate: iso(modifiedMs),
			...overrides,
		},
		{ contacts: options.contact === false ? [] : [contactId], companies: options.company ? [companyId] : [], line_items: lineIds },
	);
}
