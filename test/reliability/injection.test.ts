/**
 * Injection: SKUs, emails, company names and invoice numbers crafted to break out of QuickBooks
 * queries (quotes, backslashes, `' OR `, `%`, `_`, `IN (`, parentheses) travel the whole way —
 * HubSpot records read by the trigger, QuickBooks lookups by Customer Resolve, SKU Match and the
 * upsert — against the sandbox, whose query parser is strict. Each must find exactly what the
 * documented comparison finds: for SKUs and names the record with that very value, for emails the
 * customer whose email is the same ignoring case and surrounding spaces (as QuickBooks compares
 * them, Customer Resolve's default), or nothing. QuickBooks also holds decoys that a broken escape
 * (or LIKE/wildcard semantics, or a case-insensitive SKU comparison) would return instead.
 *
 * HubSpot side: the nodes put no user value into a HubSpot search filter (the trigger filters on
 * timestamps, ids and statuses; everything else is read by id in batch reads with JSON bodies), so
 * the hostile values cross HubSpot as record properties; the suite also checks the search filters
 * the trigger sent (in the HubSpot request log) never contain one of them.
 */
import { defaultDataset, start, type Dataset, type Sandbox } from '../../sandbox';
import { DEMO_TAX_RATES, hubspotObject, invoice as hubspotInvoice, lineItem, link } from '../../sandbox/dataset/hubspotBuilders';
import { qboCustomer, qboItem, qboUsInvoice, type ItemSpec } from '../../sandbox/dataset/qboBuilders';
import type { QboRecord } from '../../sandbox/quickbooks';
import { QUICKBOOKS_EMAIL_MATCHING, emailKey, preferredCustomer, type QuickBooksCustomer } from '../../package/nodes/CustomerResolve/emailMatch';
import { SyncDriver, type ItemOutcome } from '../../scripts/reliability/driver';
import { blockExternalNetwork } from '../harness';
import { recordFigures } from './helpers/figures';
import { startProxy, type RecordingProxy } from './helpers/proxy';
import { SecretScanner, captureLogs, installSecretMarkers, sandboxSecrets } from './helpers/secrets';

const SUITE = 'injection';
const AT = '2026-03-15T12:00:00.000Z';

jest.setTimeout(120_000);

/** QuickBooks products: hostile SKUs that exist, and decoys a broken query would return. */
const ITEM_SKUS = [
	"O'Brien-1",
	'back\\slash',
	"quote\\'mix",
	'100%',
	'%',
	'_',
	'IN (',
	"' OR Sku LIKE '%",
	'a"b',
	'x) OR (1=1',
	// decoys
	'A',
	'B',
	'y',
	'1000',
	'100x',
	"O'Brien-1 ",
	"o'brien-1",
	'back',
	'slash',
];

/** SKUs on HubSpot lines: the hostile ones above, plus attempts that must match nothing. */
const LINE_SKUS = [
	...ITEM_SKUS.slice(0, 10),
	"A' OR Sku = 'B",
	"nothing' OR '1'='1",
	'10%',
	'100_',
	"x\\' OR Sku = \\'A",
	"A'); DROP TABLE Item; --",
	"PROD-001' OR Sku = 'PROD-002",
	"A', 'B",
	'%%',
	"O'BRIEN-1",
	'back\\',
	"\\' OR 1=1 --",
];

/** QuickBooks customers: hostile emails that exist, and decoys. */
const CUSTOMER_EMAILS = ["o'hara@quote.example", 'back\\slash@x.example', '100%@pct.example', 'a_b@under.example', 'a@x.example', 'b@x.example', 'axb@under.example', "O'HARA@quote.example"];

/** Emails on HubSpot contacts. */
const CONTACT_EMAILS = [
	...CUSTOMER_EMAILS.slice(0, 4),
	"a@x.example' OR PrimaryEmailAddr = 'b@x.example",
	'%@pct.example',
	'a%b@under.example',
	"' OR ''='@x.example",
	"x@y.example\\' OR 1=1 --",
	"o'hara@QUOTE.example",
	"a@x.example', 'b@x.example",
];

/** Company names for new customers (each with a fresh email). */
const COMPANY_NAMES = ["Smith's \"Best\" \\ Co %", "' OR DisplayName LIKE '%", 'Acme Corporation', 'IN (SELECT *', "Back\\'slash Ltd"];

/** Existing QuickBooks invoices typed in by hand (no link), and the HubSpot numbers that meet them. */
const QBO_DOC_NUMBERS = ["Q'1", 'Q\\2', 'Q%', 'Q_3', 'Q(4)'];
const HUBSPOT_NUMBERS = ["Q'1", 'Q%', "Q'OR DocNumber='Q%", 'Q_', 'Q\\', 'Q(4)', "Q' OR 'a'='a"];

type CaseKind = 'sku' | 'email' | 'name' | 'docNumber';

interface InjectionCase {
	kind: CaseKind;
	value: string;
	hubspotId: string;
	number: string;
	email: string;
}

interface Built {
	dataset: Dataset;
	cases: InjectionCase[];
	seededItems: QboRecord[];
	seededCustomers: QboRecord[];
	seededInvoices: QboRecord[];
}

function buildDataset(): Built {
	const dataset = defaultDataset();
	const realm = dataset.quickbooks.find((company) => company.realmId === dataset.realmId)!;
	const entities = realm.entities;
	const hubspot = dataset.hubspot;

	const itemSpecs: ItemSpec[] = ITEM_SKUS.map((sku, index) => ({ id: String(200 + index), sku, name: `Injection item ${index}`, priceCents: 1000 + index }));
	entities.Item = [...(entities.Item ?? []), ...itemSpecs.map((spec) => qboItem(spec, AT))];
	entities.Customer = [
		...(entities.Customer ?? []),
		...CUSTOMER_EMAILS.map((email, index) => qboCustomer({ id: String(200 + index), displayName: `Injection customer ${index}`, email }, AT)),
	];
	const acme = { id: '1', displayName: 'Acme Corporation' };
	const widget: ItemSpec = { id: '1', sku: 'PROD-001', name: 'Widget Standard', priceCents: 2500 };
	entities.Invoice = [
		...(entities.Invoice ?? []),
		...QBO_DOC_NUMBERS.map((docNumber, index) =>
			qboUsInvoice({ id: String(300 + index), docNumber, customer: acme, txnDate: '2026-08-01', dueDate: '2026-08-31', privateNote: 'Typed in by hand', lines: [{ item: widget, qty: '1', priceCents: 2500, taxable: false }] }, AT),
		),
	];

	const cases: InjectionCase[] = [];
	let sequence = 0;
	const acmeContactId = hubspot.contacts.find((contact) => contact.properties.email === 'ap@acme.example')!.id;
	const addInvoice = (kind: CaseKind, value: string, options: { sku?: string; number?: string; contact?: { email: string; company?: string } }) => {
		sequence++;
		const id = String(3_800_000_000 + sequence);
		const at = new Date(Date.UTC(2026, 8, 30, 12) + sequence * 1000).toISOString();
		let contactId = acmeContactId;
		let email = 'ap@acme.example';
		if (options.contact) {
			contactId = String(1_800_000_000 + sequence);
			email = options.contact.email;
			hubspot.contacts.push(hubspotObject('contacts', contactId, { email, firstname: 'Inj', lastname: `Case${sequence}`, company: options.contact.company ?? `Injection Co ${sequence}` }, at));
		}
		const lineId = String(4_800_000_000 + sequence);
		const built = lineItem(lineId, { sku: options.sku ?? 'PROD-001', name: `Line ${sequence}`, qty: '1', priceCents: 1000, taxRateId: '1002' }, 'USD', at, DEMO_TAX_RATES);
		hubspot.lineItems.push(built.object);
		const number = options.number ?? `INJ-${sequence}`;
		hubspot.invoices.push(
			hubspotInvoice({ id, number, status: 'open', invoiceDate: '2026-08-10', dueDate: '2026-09-09', createdAt: at, updatedAt: at }, built.amountCents),
		);
		hubspot.associations.push(link('invoices', id, 'line_items', lineId), link('invoices', id, 'contacts', contactId));
		cases.push({ kind, value, hubspotId: id, number, email });
	};
	for (const sku of LINE_SKUS) addInvoice('sku', sku, { sku });
	for (const email of CONTACT_EMAILS) addInvoice('email', email, { contact: { email } });
	COMPANY_NAMES.forEach((company, index) => addInvoice('name', company, { contact: { email: `name-case-${index}@names.example`, company } }));
	for (const number of HUBSPOT_NUMBERS) addInvoice('docNumber', number, { number });
	return {
		dataset,
		cases,
		seededItems: entities.Item as QboRecord[],
		seededCustomers: entities.Customer as QboRecord[],
		seededInvoices: entities.Invoice as QboRecord[],
	};
}

/** What the documented comparison finds, straight from the seed. */
function expectedFor(built: Built, testCase: InjectionCase): string {
	if (testCase.kind === 'sku') {
		const matches = built.seededItems.filter((item) => item.Sku === testCase.value);
		if (matches.length > 1) return 'error SKU_AMBIGUOUS';
		if (matches.length === 0) return 'error SKU_NOT_FOUND';
		return `item ${String(matches[0].Id)}`;
	}
	if (testCase.kind === 'email') {
		// Several seeded customers can share the email ignoring case; the invoice goes to the preferred one.
		const key = emailKey(testCase.value, QUICKBOOKS_EMAIL_MATCHING);
		const matches = built.seededCustomers.filter((customer) => {
			const address = (customer.PrimaryEmailAddr as any)?.Address;
			return typeof address === 'string' && emailKey(address, QUICKBOOKS_EMAIL_MATCHING) === key;
		});
		const preferred = preferredCustomer(matches as QuickBooksCustomer[]);
		return preferred ? `customer ${String(preferred.Id)}` : 'new customer';
	}
	if (testCase.kind === 'name') return 'new customer';
	// QuickBooks compares DocNumbers ignoring case and outer spaces (6140), so that is "exact" here.
	const same = built.seededInvoices.filter((invoice) => String(invoice.DocNumber).trim().toLowerCase() === testCase.number.trim().toLowerCase());
	return same.length ? `updated ${String(same[0].Id)}` : 'created';
}

function actualFor(built: Built, sandbox: Sandbox, testCase: InjectionCase, outcome: ItemOutcome | undefined): string {
	if (!outcome) return 'no outcome';
	if (outcome.outcome === 'error') return `error ${outcome.code ?? ''}`;
	const realm = sandbox.quickbooks.state.realms[sandbox.dataset.realmId];
	const record = outcome.quickbooksId ? realm.entities.Invoice.get(outcome.quickbooksId) : undefined;
	if (!record) return `${outcome.outcome} without a QuickBooks invoice`;
	if (testCase.kind === 'sku') {
		const line = ((record.Line ?? []) as any[]).find((entry) => entry.DetailType === 'SalesItemLineDetail');
		return `item ${String(line?.SalesItemLineDetail?.ItemRef?.value)}`;
	}
	const customerId = String((record.CustomerRef as any)?.value);
	if (testCase.kind === 'email' || testCase.kind === 'name') {
		const seeded = built.seededCustomers.some((customer) => String(customer.Id) === customerId);
		if (seeded) return `customer ${customerId}`;
		const customer = realm.entities.Customer.get(customerId);
		const email = (customer?.PrimaryEmailAddr as any)?.Address;
		// A new customer must carry exactly the email it was created for.
		return email === testCase.email ? 'new customer' : `new customer with email ${JSON.stringify(email)}`;
	}
	if (outcome.outcome === 'updated' || outcome.outcome === 'unchanged') return `updated ${String(record.Id)}`;
	const seededInvoice = built.seededInvoices.some((invoice) => String(invoice.Id) === String(record.Id));
	return seededInvoice ? `${outcome.outcome} ${String(record.Id)} (a seeded invoice)` : outcome.outcome;
}

/** A query the nodes sent to QuickBooks, with QuickBooks' answer to that very query. */
interface SentQuery {
	query: string;
	answer: any;
}

/**
 * Every query in the recorded exchanges: the text body of POST /query (or the `query` parameter of
 * a GET), and each `Query` of a /batch call (JSON, so its backslashes are doubled on the wire)
 * paired with the BatchItemResponse of the same bId.
 */
function sentQueries(exchanges: RecordingProxy['exchanges']): SentQuery[] {
	const parse = (text: string | undefined): any => {
		try {
			return JSON.parse(text ?? '');
		} catch {
			return undefined;
		}
	};
	const queries: SentQuery[] = [];
	for (const exchange of exchanges) {
		const url = new URL(exchange.url, 'http://proxy.invalid');
		if (url.pathname.endsWith('/query')) {
			const query = exchange.method === 'GET' ? url.searchParams.get('query') ?? '' : exchange.body;
			queries.push({ query, answer: parse(exchange.response) });
		} else if (url.pathname.endsWith('/batch')) {
			const requests = (parse(exchange.body)?.BatchItemRequest ?? []) as Array<{ bId?: string; Query?: string }>;
			const answers = (parse(exchange.response)?.BatchItemResponse ?? []) as Array<{ bId?: string }>;
			for (const request of requests) {
				if (typeof request.Query === 'string') queries.push({ query: request.Query, answer: answers.find((answer) => answer.bId === request.bId) });
			}
		}
	}
	return queries;
}

describe('injection: hostile SKUs, emails, names and numbers find exactly what an exact match finds', () => {
	let sandbox: Sandbox;
	let proxy: RecordingProxy;
	let hubspotProxy: RecordingProxy;
	let built: Built;
	let outcomes: Map<string, ItemOutcome>;
	let markers: ReturnType<typeof installSecretMarkers>;
	const scanner = new SecretScanner();
	const results: Record<CaseKind, { checked: number; mismatches: string[] }> = {
		sku: { checked: 0, mismatches: [] },
		email: { checked: 0, mismatches: [] },
		name: { checked: 0, mismatches: [] },
		docNumber: { checked: 0, mismatches: [] },
	};
	let hubspotFilterLeaks: string[] = [];
	let parserFaults = 0;
	let searchCount = 0;

	beforeAll(async () => {
		blockExternalNetwork();
		markers = installSecretMarkers();
		built = buildDataset();
		sandbox = await start({ dataset: built.dataset, limits: false });
		proxy = await startProxy(sandbox.urls.quickbooks);
		hubspotProxy = await startProxy(sandbox.urls.hubspot);
		scanner.addSecrets([...sandboxSecrets(sandbox), markers.qbo, markers.hubspot]);
		const logs = captureLogs();
		try {
			const driver = new SyncDriver({ urls: { ...sandbox.urls, quickbooks: proxy.url, hubspot: hubspotProxy.url }, credentials: sandbox.credentials, taxMapping: sandbox.dataset.taxMapping });
			const items = await driver.poll();
			scanner.scan('injection poll items', items);
			const execution = await driver.execute(items);
			scanner.scan('injection execution', execution.run ?? execution.outcomes);
			outcomes = new Map(execution.outcomes.map((outcome) => [outcome.hubspotId, outcome]));
		} finally {
			logs.restore();
			scanner.scan('injection logs', logs.lines);
		}
		for (const testCase of built.cases) {
			const expected = expectedFor(built, testCase);
			const actual = actualFor(built, sandbox, testCase, outcomes.get(testCase.hubspotId));
			results[testCase.kind].checked++;
			if (actual !== expected) results[testCase.kind].mismatches.push(`${JSON.stringify(testCase.value)}: expected ${expected}, got ${actual}`);
		}
		// QuickBooks answered every query the nodes built (a broken escape shows up as a 4000 parser fault).
		parserFaults = proxy.exchanges.filter((exchange) => /QueryParserError|"code":"4000"/.test(exchange.response ?? '')).length;
		const hostile = [...LINE_SKUS, ...CONTACT_EMAILS, ...COMPANY_NAMES, ...HUBSPOT_NUMBERS];
		const searches = hubspotProxy.exchanges.filter((exchange) => exchange.url.includes('/search'));
		searchCount = searches.length;
		const filterValues = searches.flatMap((exchange) => {
			const body = JSON.parse(exchange.body) as { filterGroups?: Array<{ filters?: Array<{ value?: unknown; values?: unknown[] }> }> };
			return (body.filterGroups ?? []).flatMap((group) => (group.filters ?? []).flatMap((filter) => [filter.value, ...(filter.values ?? [])])).map(String);
		});
		hubspotFilterLeaks = hostile.filter((value) => filterValues.some((filterValue) => filterValue === value || (value.length > 2 && filterValue.includes(value))));
	});

	afterAll(async () => {
		const mismatches = Object.values(results).reduce((sum, result) => sum + result.mismatches.length, 0);
		recordFigures(SUITE, {
			wrong: mismatches,
			lost: built ? built.cases.filter((testCase) => !outcomes?.has(testCase.hubspotId)).length : 0,
			secretLeaks: scanner.count,
			injectionCases: built?.cases.length,
			injectionMismatches: Object.fromEntries(Object.entries(results).map(([kind, result]) => [kind, result.mismatches])),
		});
		markers?.restore();
		await proxy?.close();
		await hubspotProxy?.close();
		await sandbox?.close();
	});

	it('every hostile value reached an outcome', () => {
		expect(built.cases.filter((testCase) => !outcomes.has(testCase.hubspotId)).map((testCase) => testCase.value)).toEqual([]);
	});

	it.each(['sku', 'email', 'name', 'docNumber'] as CaseKind[])('%s: the record with exactly that value, or nothing', (kind) => {
		expect(results[kind].checked).toBeGreaterThan(3);
		expect(results[kind].mismatches).toEqual([]);
	});

	it('QuickBooks parsed every query the nodes sent, and no hostile value went into a HubSpot search filter', () => {
		// The SKU with a quote was really queried, escaped as Intuit documents (\'), and QuickBooks'
		// answer to that query (not a fault) holds the item with that very SKU.
		const obrien = sentQueries(proxy.exchanges).filter((sent) => /^SELECT \* FROM Item WHERE /i.test(sent.query) && sent.query.includes("'O\\'Brien-1'"));
		expect(obrien.map((sent) => sent.query)).not.toEqual([]);
		for (const sent of obrien) {
			expect(sent.answer?.Fault).toBeUndefined();
			expect(((sent.answer?.QueryResponse?.Item ?? []) as QboRecord[]).filter((item) => item.Sku === "O'Brien-1").map((item) => String(item.Id))).toEqual(['200']);
		}
		expect(parserFaults).toBe(0);
		expect(searchCount).toBeGreaterThan(0);
		expect(hubspotFilterLeaks).toEqual([]);
		expect(scanner.leaks).toEqual([]);
	});
});
