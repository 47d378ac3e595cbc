/**
 * Fuzz, QuickBooks → HubSpot: hostile and odd QuickBooks data, put straight into the QuickBooks
 * company as records QuickBooks can hold (numbers as numbers, texts as texts) — unicode and control
 * characters, very long texts, huge, negative, zero and many-decimal amounts, customers without an
 * email or with an odd one, currencies other than the home one (JPY with no decimals, BHD with
 * three, an unknown code), 150 lines on one invoice, SKUs with spaces, quotes, unicode, another case
 * than HubSpot's, items without a SKU or missing — then synced by the "QuickBooks → HubSpot invoice
 * sync" template. Every invoice must leave either written (then HubSpot holds it once, in its
 * currency, with exactly QuickBooks' lines) or on an error output with a catalogue code (then
 * HubSpot holds nothing of it: no invoice, no orphan line item). A node that stops, an item that
 * disappears, or an error without a code counts as `uncaught`; half-written data as `wrong`.
 */
import type { IDataObject } from 'n8n-workflow';

import { ERROR_CATALOGUE } from '../../package/nodes/shared/errors';
import { seededRandom } from '../../sandbox/common/random';
import { DEMO_ITEMS } from '../../sandbox/dataset/default';
import { ReverseDriver, reverseCredentials, type ReverseExecution } from '../../scripts/reliability/reverseDriver';
import type { InvariantReport } from './helpers/invariant';
import { associated, checkLines, liveSnapshot, micros, quickBooksLines } from './helpers/reverseInvariant';
import { countUncaught } from './helpers/reverseRounds';
import { reverseDriverConfig, startReverseScenario, type ReverseScenario } from './helpers/reverseScenario';
import { captureLogs, sandboxSecrets } from './helpers/secrets';
import { reliabilitySuite } from './helpers/suite';

const SUITE = 'reverseFuzz';
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const INVOICES = 70;
const CODES = new Set(Object.keys(ERROR_CATALOGUE));

jest.setTimeout(180_000);

const HOSTILE = ["'", "' OR '1'='1", '\\', '"', '%', '_', '\u0000', '\u0007', '\t', '\n', '\u2028', '\u202e', '\ufeff', '😀', '👨‍👩‍👧‍👦', 'ｱｲｳ', 'İ', 'ß', '<script>', '{{ $json.x }}', '${x}', ':', '&', '   '];
/** SKUs HubSpot has, and odd ones it has not (or has in another case, or with spaces around). */
const GOOD_SKUS = DEMO_ITEMS.filter((item) => item.active !== false && item.priceCents > 0).map((item) => item.sku);
const ODD_SKUS = ['prod-001', ' PROD-002', 'PROD-003 ', 'PROD 004', "PROD-'5", 'PROD-00😀', 'ПРОД-1', 'PROD-001\u0000', '%', 'x'.repeat(300), ''];
const AMOUNTS = [0, -5, -0.01, 0.001, 0.005, 1.005, 19.99, 123456789.99, 1e12, 3.14159265, 7];
const QUANTITIES = [1, 2, 0, -1, 0.5, 1.5, 0.001, 1e6, 3];
const CURRENCIES = ['USD', 'USD', 'USD', 'usd', 'JPY', 'BHD', 'XYZ', ''];

type Json = Record<string, any>;

function generate(scenario: ReverseScenario, seed: number): { invoices: Json[]; customers: Json[]; items: Json[] } {
	const random = seededRandom(seed);
	const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
	const text = () => (random() < 0.5 ? Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(HOSTILE)).join('') : random() < 0.1 ? 'É'.repeat(4001) : `Plain ${Math.floor(random() * 1000)}`);
	const at = new Date(Date.now() - 60_000).toISOString();
	const meta = { CreateTime: at, LastUpdatedTime: at };
	const customers: Json[] = Array.from({ length: 8 }, (_, n) => {
		const email = [`fuzz${n}@example.com`, ` FUZZ${n}@Example.COM `, '', 'not-an-email', `ü${n}@bücher.example`, `a${n}@b`, undefined, `${'x'.repeat(300)}@example.com`][n];
		const customer: Json = { Id: String(900 + n), DisplayName: `${text()} ${n}`.slice(0, 500), CompanyName: text().slice(0, 100), Active: true, SyncToken: '0', MetaData: meta, CurrencyRef: { value: 'USD' } };
		if (email !== undefined) customer.PrimaryEmailAddr = { Address: email };
		return customer;
	});
	const skus = [...GOOD_SKUS, ...ODD_SKUS];
	const items: Json[] = skus.map((sku, n) => {
		const item: Json = { Id: String(950 + n), Name: `Fuzz item ${n} ${sku.slice(0, 20)}`, Type: 'Service', Active: true, UnitPrice: 10, SyncToken: '0', MetaData: meta };
		if (sku) item.Sku = sku;
		return item;
	});
	const invoices: Json[] = Array.from({ length: INVOICES }, (_, n) => {
		const lineCount = n === 0 ? 150 : 1 + Math.floor(random() * 5);
		const Line = Array.from({ length: lineCount }, (_, index) => {
			const goodItem = random() < 0.75;
			const itemId = goodItem ? String(950 + Math.floor(random() * GOOD_SKUS.length)) : random() < 0.9 ? pick(items).Id : '99999';
			const qty = random() < 0.7 ? 1 + Math.floor(random() * 4) : pick(QUANTITIES);
			const price = random() < 0.7 ? Math.round(random() * 50_000) / 100 : pick(AMOUNTS);
			return { Id: String(index + 1), LineNum: index + 1, Description: random() < 0.5 ? text() : undefined, Amount: Math.round(qty * price * 100) / 100, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: itemId }, Qty: qty, UnitPrice: price, TaxCodeRef: { value: 'NON' } } };
		});
		const total = Line.reduce((sum, line) => sum + line.Amount, 0);
		const currency = pick(CURRENCIES);
		const invoice: Json = {
			Id: String(5000 + n),
			DocNumber: random() < 0.7 ? `FZ-${n}` : `${text()}`.slice(0, 21),
			TxnDate: at.slice(0, 10),
			DueDate: random() < 0.9 ? at.slice(0, 10) : undefined,
			CustomerRef: { value: pick(customers).Id },
			Line: [...Line, { Amount: total, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} }],
			TotalAmt: Math.round(total * 100) / 100,
			Balance: random() < 0.8 ? Math.round(total * 100) / 100 : 0,
			SyncToken: '0',
			MetaData: meta,
			PrivateNote: random() < 0.1 ? text() : undefined,
		};
		if (currency) invoice.CurrencyRef = { value: currency };
		return invoice;
	});
	void scenario;
	return { invoices, customers, items };
}

/** Puts the records into the company as QuickBooks holds them (no API validation). */
function plant(scenario: ReverseScenario, records: { invoices: Json[]; customers: Json[]; items: Json[] }): void {
	const entities = scenario.sandbox.quickbooks.state.realms[scenario.data.realmId].entities as Record<string, Map<string, Json>>;
	for (const [entity, list] of [['Customer', records.customers], ['Item', records.items], ['Invoice', records.invoices]] as const) {
		for (const record of list) entities[entity].set(record.Id, structuredClone(record));
	}
}

function check(scenario: ReverseScenario, planted: Json[], executions: ReverseExecution[]): InvariantReport & { written: number; failed: number; codes: Record<string, number> } {
	const report = { lost: 0, duplicated: 0, wrong: 0, duplicatedCustomers: 0, checked: { syncable: 0, failing: 0, notEmitted: 0 }, problems: [] as string[], written: 0, failed: 0, codes: {} as Record<string, number> };
	const snapshot = liveSnapshot(scenario.sandbox);
	const entities = scenario.sandbox.quickbooks.state.realms[scenario.data.realmId].entities as Record<string, Map<string, Json>>;
	const last = new Map<string, { outcome: string; code?: string }>();
	for (const execution of executions) for (const outcome of execution.outcomes) last.set(outcome.quickbooksId, outcome);
	const lineItems = new Map((snapshot.objects.line_items as Json[]).map((line) => [String(line.id), line]));
	for (const invoice of planted) {
		const label = `fuzz invoice ${String(invoice.Id)}`;
		const outcome = last.get(invoice.Id);
		const linked = (snapshot.objects.invoices as Json[]).filter((hubspot) => hubspot.properties.qbo_invoice_id === invoice.Id);
		if (!outcome) {
			report.lost++;
			report.problems.push(`${label}: reached no output`);
			continue;
		}
		if (outcome.outcome === 'error') {
			report.failed++;
			report.codes[outcome.code ?? 'none'] = (report.codes[outcome.code ?? 'none'] ?? 0) + 1;
			if (!CODES.has(outcome.code ?? '')) report.problems.push(`${label}: error without a catalogue code (${String(outcome.code)})`);
			if (linked.length) {
				report.wrong++;
				report.problems.push(`${label}: failed with ${String(outcome.code)}, yet HubSpot holds ${linked.length} invoice(s) for it`);
			}
			continue;
		}
		report.written++;
		if (linked.length !== 1) {
			if (linked.length === 0) report.lost++;
			else report.duplicated += linked.length - 1;
			report.problems.push(`${label}: ${outcome.outcome}, ${linked.length} HubSpot invoices`);
			continue;
		}
		const currency = String(invoice.CurrencyRef?.value ?? 'USD').toUpperCase();
		if (String(linked[0].properties.hs_currency ?? '').toUpperCase() !== currency) {
			report.wrong++;
			report.problems.push(`${label}: HubSpot currency ${String(linked[0].properties.hs_currency)}, QuickBooks ${currency}`);
		}
		const got = associated(snapshot, 'invoices', String(linked[0].id), 'line_items')
			.map((id) => lineItems.get(id))
			.filter(Boolean)
			.map((line) => `${String(line!.properties.hs_sku ?? '')}|${micros(line!.properties.quantity)}|${micros(line!.properties.price)}`);
		const want = quickBooksLines(invoice, entities.Item);
		checkLines(report, label, want, got);
	}
	// Half-written: line items or payments HubSpot holds for no invoice.
	for (const type of ['line_items', 'commerce_payments']) {
		for (const object of snapshot.objects[type] as Json[]) {
			if (associated(snapshot, type, String(object.id), 'invoices').length === 0) {
				report.wrong++;
				report.problems.push(`HubSpot ${type} ${String(object.id)} belongs to no invoice`);
			}
		}
	}
	return report;
}

describe('reverse fuzz: hostile QuickBooks data through the QuickBooks → HubSpot template', () => {
	const suite = reliabilitySuite(SUITE);
	let scenario: ReverseScenario;
	let executions: ReverseExecution[] = [];
	let planted: Json[] = [];
	let report: ReturnType<typeof check>;
	const uncaught = { uncaught: 0, uncaughtDetails: [] as string[] };

	beforeAll(async () => {
		suite.totals.lost += INVOICES; // until the check says otherwise
		scenario = await startReverseScenario({ limits: false });
		suite.scanner.addSecrets(sandboxSecrets(scenario.sandbox));
		const records = generate(scenario, SEED);
		planted = records.invoices;
		plant(scenario, records);
		const driver = new ReverseDriver(reverseDriverConfig(scenario, { backfillSince: new Date(Date.now() - 3_600_000).toISOString() }), reverseCredentials(scenario.sandbox, scenario.data.realmId));
		const logs = captureLogs();
		try {
			// Two polls: the second must bring nothing new and write nothing twice.
			for (let poll = 0; poll < 2; poll++) {
				const items: IDataObject[] = await driver.poll('reverseSync');
				const execution = await driver.execute('reverseSync', items);
				executions.push(execution);
				countUncaught(uncaught, execution, `poll ${poll + 1}`);
				suite.scanner.scan(`${SUITE} execution ${poll + 1}`, execution.run ?? execution.outcomes);
			}
		} finally {
			logs.restore();
			suite.scanner.scan(`${SUITE}: logs`, logs.lines);
		}
		report = check(scenario, planted, executions);
		suite.totals.lost -= INVOICES;
		suite.addReport(report);
		suite.totals.uncaught += uncaught.uncaught + report.problems.filter((problem) => /without a catalogue code/.test(problem)).length;
		Object.assign(suite.figures, { reverseFuzzInvoices: INVOICES, reverseFuzzWritten: report.written, reverseFuzzFailed: report.failed, reverseFuzzCodes: report.codes, reverseFuzzSeed: SEED });
	});

	afterAll(async () => {
		executions = [];
		await scenario?.sandbox.close();
	});

	it('no node stopped and every item reached an output', () => {
		expect(uncaught.uncaughtDetails).toEqual([]);
	});

	it('each hostile invoice is written right (once, its currency, exactly its lines) or fails with a catalogue code and nothing in HubSpot', () => {
		expect(report.problems).toEqual([]);
		// The fuzz is worth something only if both kinds happen.
		expect(report.written).toBeGreaterThan(5);
		expect(report.failed).toBeGreaterThan(5);
	});

	it('no credential in any item, error or log line', () => {
		expect(suite.scanner.leaks).toEqual([]);
	});
});
