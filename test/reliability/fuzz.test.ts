/**
 * Fuzz: property-based runs (fast-check) feeding random and hostile invoices — unicode, emoji,
 * control characters, very long strings, negative/zero/huge/malformed quantities and prices,
 * missing fields, wrong types — through every node against the sandbox:
 *   1. each of the four processing nodes alone, with raw hostile items;
 *   2. the whole chain with hostile canonical invoices (with the upsert's failing policies and
 *      with its fixing policies: shorten long numbers, strip bad characters);
 *   3. the trigger, polling hostile HubSpot records, and the chain behind it.
 * Every item must leave either on the main output — and then what QuickBooks holds is valid
 * (DocNumber ≤ 21, no rejected characters, Amount = Qty × UnitPrice half-up) — or on an error
 * output with a catalogue code. Anything else (a node that stops, a missing item, an error without
 * a code) counts as `uncaught`; an invalid invoice in QuickBooks counts as `wrong`.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { defaultDataset, start, type Dataset, type Sandbox } from '../../sandbox';
import { hubspotObject, link } from '../../sandbox/dataset/hubspotBuilders';
import type { QboRecord } from '../../sandbox/quickbooks';
import { ERROR_CATALOGUE } from '../../package/nodes/shared/errors';
import { syncItemSchema } from '../../package/nodes/shared/invoiceContract';
import { NODE_NAMES, SyncDriver, type ItemOutcome } from '../../scripts/reliability/driver';
import { pipelineNodes } from '../../scripts/lib/syncPipeline';
import { blockExternalNetwork, runWorkflow } from '../harness';
import { productCents } from './helpers/decimal';
import { recordFigures } from './helpers/figures';
import { customerProblems, invoiceProblems } from './helpers/quickbooksRules';
import { SecretScanner, captureLogs, installSecretMarkers, sandboxSecrets, type LogCapture } from './helpers/secrets';

const SUITE = 'fuzz';
const SEED = Number(process.env.FUZZ_SEED ?? 20260401);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1);

jest.setTimeout(240_000);

const CODES = new Set(Object.keys(ERROR_CATALOGUE));

// ---------------------------------------------------------------------------------------------
// Arbitraries

const HOSTILE_PIECES = [
	"'", "''", '\\', "\\'", "' OR '1'='1", "') OR ('a'='a", '%', '_', 'IN (', ')', '"', ';', '--',
	'\u0000', '\u0007', '\t', '\n', '\r\n', '\u0085', '\u2028', '\u202e', '\ufeff', '\ufffd', '\uffff', '\ud800', '\udfff',
	'😀', '👨‍👩‍👧‍👦', '🇺🇸', 'ｱｲｳ', 'Ω', 'ß', 'İ', 'ﬁ', '<script>alert(1)</script>', '${process.env}', '{{ $json.x }}', ':', 'a:b', '&', '#', '/', ' ', '   ',
];
const textArb: fc.Arbitrary<string> = fc.oneof(
	{ weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
	{ weight: 2, arbitrary: fc.fullUnicodeString({ maxLength: 24 }) },
	{ weight: 1, arbitrary: fc.string16bits({ maxLength: 12 }) },
	{ weight: 4, arbitrary: fc.array(fc.constantFrom(...HOSTILE_PIECES), { minLength: 1, maxLength: 5 }).map((parts) => parts.join('')) },
	{ weight: 1, arbitrary: fc.constantFrom('x'.repeat(5000), '😀'.repeat(1500), 'A'.repeat(22), 'B'.repeat(21), 'É'.repeat(21)) },
);
const numberText = fc
	.tuple(fc.integer({ min: -999_999, max: 999_999 }), fc.integer({ min: 0, max: 999_999_999 }))
	.map(([whole, fraction]) => `${whole}.${String(fraction).padStart(9, '0').replace(/0+$/, '') || '0'}`);
/** Mostly numbers a real invoice has (so many invoices get through), sometimes hostile ones. */
const numberArb: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 30, arbitrary: fc.integer({ min: 1, max: 20 }) },
	{ weight: 15, arbitrary: fc.constantFrom(0.5, 2.5, 19.99, 7.125, 0.005, 0.015, 1.005, 2.675, 0.333333, 1234.5678, '3', '12.50', '0.1') },
	{ weight: 8, arbitrary: numberText },
	{ weight: 6, arbitrary: fc.constantFrom(0, -0, -1, -19.99, 1e21, 1e-7, 123456789012.345678, Number.MAX_SAFE_INTEGER, 9007199254740993, '-0', '0.0000001', '99999999999999.99') },
	{ weight: 2, arbitrary: fc.double() },
	{ weight: 3, arbitrary: fc.constantFrom('1e3', '1e400', '-1e400', 'abc', '', ' 2 ', '0x10', '1,5', 'NaN', 'Infinity', '-', '.5', '5.', '00012', '+3') },
	{ weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [1]) },
);

interface Catalog {
	skus: string[];
	emails: string[];
	taxRates: string[];
	mappedTaxRates: string[];
}

function dateArb(): fc.Arbitrary<unknown> {
	return fc.oneof(
		{ weight: 14, arbitrary: fc.integer({ min: 0, max: 80 }).map((days) => new Date(Date.UTC(2026, 6, 5) + days * 86_400_000).toISOString()) },
		{ weight: 1, arbitrary: fc.constantFrom('2026-08-15', '2026-08-15T23:30:00-07:00', '2026-08-15T00:00:00+14:00', '2026-02-30', '2025-01-01T00:00:00.000Z', 'not a date', '', '1786000000000', '0', '9999-12-31T23:59:59.999Z') },
		{ weight: 1, arbitrary: fc.constantFrom(null, undefined) },
		{ weight: 1, arbitrary: textArb },
	);
}

function lineArb(catalog: Catalog): fc.Arbitrary<IDataObject> {
	return fc
		.record({
			hubspotLineItemId: fc.oneof(fc.integer({ min: 1, max: 1e9 }).map(String), fc.constant(null)),
			sku: fc.oneof({ weight: 24, arbitrary: fc.constantFrom(...catalog.skus) }, { weight: 2, arbitrary: textArb }, { weight: 1, arbitrary: fc.constant(null) }),
			name: fc.oneof(fc.constantFrom('Widget', 'Service hour'), textArb),
			description: fc.oneof(fc.constant(null), textArb),
			quantity: numberArb,
			unitPrice: numberArb,
			amountKind: fc.constantFrom('consistent', 'consistent', 'consistent', 'none', 'random', 'off-by-a-cent'),
			randomAmount: numberArb,
			discount: fc.oneof(
				{ weight: 6, arbitrary: fc.constant(null) },
				{ weight: 1, arbitrary: fc.record({ amount: numberArb, percentage: fc.constant(null) }) },
				{ weight: 1, arbitrary: fc.record({ amount: fc.constant(null), percentage: numberArb }) },
			),
			taxRateId: fc.oneof({ weight: 24, arbitrary: fc.constantFrom(...catalog.mappedTaxRates) }, { weight: 1, arbitrary: fc.constantFrom(...catalog.taxRates) }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: textArb }),
			taxLabel: fc.oneof(fc.constant(null), textArb),
		})
		.map(({ amountKind, randomAmount, ...line }) => {
			let amount: unknown = null;
			const consistent = line.discount === null ? productCents(line.quantity, line.unitPrice) : undefined;
			if (amountKind === 'random') amount = randomAmount;
			else if ((amountKind === 'consistent' || amountKind === 'off-by-a-cent') && consistent !== undefined) {
				const cents = consistent + (amountKind === 'off-by-a-cent' ? 1n : 0n);
				const negative = cents < 0n;
				const absolute = negative ? -cents : cents;
				amount = `${negative ? '-' : ''}${absolute / 100n}.${String(absolute % 100n).padStart(2, '0')}`;
			}
			return { ...line, amount } as IDataObject;
		});
}

let nextHubSpotId = 3_700_000_000;

function canonicalArb(catalog: Catalog): fc.Arbitrary<IDataObject> {
	return fc
		.record({
			number: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 99_999 }).map((n) => `FZ-${n}`) }, { weight: 4, arbitrary: textArb }),
			status: fc.oneof({ weight: 16, arbitrary: fc.constantFrom('open', 'paid') }, { weight: 2, arbitrary: fc.constantFrom('voided', 'draft') }, { weight: 1, arbitrary: textArb }),
			currency: fc.oneof({ weight: 16, arbitrary: fc.constant('USD') }, { weight: 2, arbitrary: fc.constantFrom('usd', 'CAD', 'EUR', 'US', 'USDX') }, { weight: 1, arbitrary: textArb }),
			issueDate: dateArb(),
			dueDate: dateArb(),
			customer: fc.record({
				email: fc.oneof(
					{ weight: 10, arbitrary: fc.constantFrom(...catalog.emails) },
					{ weight: 4, arbitrary: textArb.map((local) => `${local}@fuzz.example`) },
					{ weight: 1, arbitrary: textArb },
					{ weight: 1, arbitrary: fc.constantFrom(null, '', '   ') },
				),
				firstName: fc.oneof(fc.constant(null), textArb),
				lastName: fc.oneof(fc.constant(null), textArb),
				companyName: fc.oneof(fc.constant(null), textArb),
				hubspotContactId: fc.constant('1010000099'),
				hubspotCompanyId: fc.constant(null),
				address: fc.oneof(fc.constant(null), fc.record({ line1: textArb, city: textArb, state: textArb, postalCode: textArb, country: textArb })),
			}),
			lines: fc.oneof({ weight: 12, arbitrary: fc.array(lineArb(catalog), { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: fc.constant([]) }),
		})
		.map((invoice) => {
			const id = String(nextHubSpotId++);
			return {
				invoice: {
					source: { system: 'hubspot', id, createdBy: 'hubspot', url: null, lastModifiedAt: null, quickbooksInvoiceId: null, syncedHash: null },
					...invoice,
					contentHash: null,
				},
			} as IDataObject;
		});
}

/** Replaces one value somewhere in the item by anything at all (wrong type, missing, nested junk). */
function corrupt(item: IDataObject, pathChoice: number, replacement: unknown): IDataObject {
	const copy = JSON.parse(JSON.stringify(item)) as IDataObject;
	const paths: Array<Array<string | number>> = [];
	const walk = (value: unknown, path: Array<string | number>) => {
		paths.push(path);
		if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) walk(child, [...path, Array.isArray(value) ? Number(key) : key]);
	};
	walk(copy, []);
	const path = paths[1 + (pathChoice % Math.max(1, paths.length - 1))] ?? ['invoice'];
	let parent: any = copy;
	for (const key of path.slice(0, -1)) parent = parent?.[key];
	if (parent && typeof parent === 'object') {
		if (replacement === undefined) delete parent[path[path.length - 1]];
		else parent[path[path.length - 1]] = replacement;
	}
	return copy;
}

function itemArb(catalog: Catalog): fc.Arbitrary<IDataObject> {
	return fc.oneof(
		{ weight: 12, arbitrary: canonicalArb(catalog) },
		{ weight: 2, arbitrary: fc.tuple(canonicalArb(catalog), fc.nat(), fc.oneof(fc.anything(), fc.constant(undefined))).map(([item, at, value]) => corrupt(item, at, value)) },
		{ weight: 1, arbitrary: fc.anything().map((value) => (value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : { value: value as never })) },
	);
}

// ---------------------------------------------------------------------------------------------
// Checks

interface Tally {
	runs: number;
	items: number;
	uncaught: number;
	wrong: number;
	rejectedByQuickBooks: number;
	created: number;
	errorsByCode: Record<string, number>;
	problems: string[];
	/** Errors worth a look even though they are coded: QuickBooks refused what the nodes sent, or a node was surprised. */
	notable: string[];
}

const tally: Tally = { runs: 0, items: 0, uncaught: 0, wrong: 0, rejectedByQuickBooks: 0, created: 0, errorsByCode: {}, problems: [], notable: [] };

function note(kind: 'uncaught' | 'wrong', text: string): void {
	tally[kind]++;
	tally.problems.push(`${kind}: ${text.slice(0, 600)}`);
}

/** fast-check's report without the (huge, hostile) counterexample: seed, path and what went wrong. */
function conciseReporter<T>(details: fc.RunDetails<T>): void {
	if (!details.failed) return;
	const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
	throw new Error(`property failed (fast-check seed ${details.seed}, path ${String(details.counterexamplePath)}; the run replays with FUZZ_SEED=${SEED}):\n${error}`);
}

function describeInput(item: IDataObject): string {
	return JSON.stringify(item, (_key, value: unknown) => (typeof value === 'string' && value.length > 60 ? `${value.slice(0, 60)}…(${value.length})` : value)).slice(0, 400);
}

/** Checks one execution's outputs against its inputs and against what QuickBooks now holds. */
function checkOutcomes(sandbox: Sandbox, label: string, inputs: IDataObject[], outcomes: Array<Pick<ItemOutcome, 'outcome' | 'code' | 'quickbooksId' | 'json'>>, nodeErrors: Record<string, string>, thrown?: string): boolean {
	const before = tally.uncaught + tally.wrong;
	tally.runs++;
	tally.items += inputs.length;
	if (thrown) note('uncaught', `${label}: the run threw ${thrown}`);
	for (const [node, message] of Object.entries(nodeErrors)) note('uncaught', `${label}: ${node} stopped: ${message}`);
	if (outcomes.length !== inputs.length) note('uncaught', `${label}: ${inputs.length} items in, ${outcomes.length} out (${inputs.map(describeInput).join(' | ')})`);
	const realm = sandbox.quickbooks.state.realms[sandbox.dataset.realmId];
	for (const outcome of outcomes) {
		if (outcome.outcome === 'error') {
			const code = outcome.code ?? '';
			tally.errorsByCode[code] = (tally.errorsByCode[code] ?? 0) + 1;
			const error = outcome.json.error as IDataObject | undefined;
			if (!CODES.has(code) || typeof error?.message !== 'string' || !error.message) note('uncaught', `${label}: error item without a catalogue code: ${JSON.stringify(error).slice(0, 300)}`);
			if (code === 'QUICKBOOKS_VALIDATION') tally.rejectedByQuickBooks++;
			if (['QUICKBOOKS_VALIDATION', 'UNEXPECTED_ERROR', 'DUPLICATE_INVOICE', 'INVALID_DATE'].includes(code) && tally.notable.length < 12) {
				tally.notable.push(`${label}: ${code}: ${String(error?.message).slice(0, 200)} ${JSON.stringify(error?.details ?? {}).slice(0, 300)}`);
			}
			continue;
		}
		if (outcome.outcome === 'skipped') continue;
		const record = outcome.quickbooksId ? realm.entities.Invoice.get(outcome.quickbooksId) : undefined;
		if (!record) {
			note('wrong', `${label}: ${outcome.outcome} but QuickBooks has no invoice ${String(outcome.quickbooksId)}`);
			continue;
		}
		tally.created++;
		const problems = invoiceProblems(record);
		if (problems.length) note('wrong', `${label}: QuickBooks invoice ${String(record.Id)}: ${problems.join('; ')}`);
		const customer = realm.entities.Customer.get(String((record.CustomerRef as IDataObject | undefined)?.value));
		if (!customer) note('wrong', `${label}: invoice ${String(record.Id)} refers to a missing customer`);
		else if (customerProblems(customer as QboRecord).length) note('wrong', `${label}: customer ${String(customer.Id)}: ${customerProblems(customer as QboRecord).join('; ')}`);
	}
	if (tally.uncaught + tally.wrong !== before) throw new Error(tally.problems.slice(-(tally.uncaught + tally.wrong - before)).join('\n'));
	return true;
}

function catalogOf(sandbox: Sandbox): Catalog {
	const realm = sandbox.quickbooks.state.realms[sandbox.dataset.realmId];
	return {
		skus: [...realm.entities.Item.values()].map((item) => String(item.Sku ?? '')).filter(Boolean),
		emails: [...realm.entities.Customer.values()].map((customer) => String((customer.PrimaryEmailAddr as IDataObject | undefined)?.Address ?? '')).filter(Boolean),
		taxRates: sandbox.dataset.hubspot.taxRates.map((rate) => rate.id),
		mappedTaxRates: sandbox.dataset.taxMapping.map((entry) => entry.hubspotTaxRateId),
	};
}

// ---------------------------------------------------------------------------------------------

describe('fuzz: hostile invoices through every node', () => {
	let sandbox: Sandbox;
	let catalog: Catalog;
	let markers: ReturnType<typeof installSecretMarkers>;
	let logs: LogCapture;
	const scanner = new SecretScanner();
	const started = Date.now();

	beforeAll(async () => {
		blockExternalNetwork();
		markers = installSecretMarkers();
		sandbox = await start({ dataset: 'default', limits: false });
		scanner.addSecrets([...sandboxSecrets(sandbox), markers.qbo, markers.hubspot]);
		catalog = catalogOf(sandbox);
		logs = captureLogs();
	});

	afterAll(async () => {
		logs?.restore();
		scanner.scan('fuzz: n8n logger and console', logs?.lines ?? []);
		recordFigures(SUITE, {
			uncaught: tally.uncaught,
			wrong: tally.wrong,
			secretLeaks: scanner.count,
			fuzzRuns: tally.runs,
			fuzzItems: tally.items,
			fuzzInvoicesInQuickBooks: tally.created,
			fuzzRejectedByQuickBooks: tally.rejectedByQuickBooks,
			fuzzErrorsByCode: tally.errorsByCode,
			fuzzNotable: tally.notable,
			fuzzProblems: tally.problems.slice(0, 20),
			fuzzSeed: SEED,
			fuzzMs: Date.now() - started,
		});
		markers?.restore();
		await sandbox?.close();
	});

	const driverFor = (upsertOptions: IDataObject = {}) =>
		new SyncDriver({
			urls: sandbox.urls,
			credentials: sandbox.credentials,
			taxMapping: sandbox.dataset.taxMapping,
			parameters: { [NODE_NAMES.upsert]: { options: upsertOptions } },
		});

	const NODES = [NODE_NAMES.customer, NODE_NAMES.sku, NODE_NAMES.tax, NODE_NAMES.upsert] as const;

	it.each(NODES)('%s alone: every raw hostile item leaves on the main or the error output (coded)', async (name) => {
		const driver = driverFor();
		const definition = pipelineNodes(driver.options).find((node) => node.name === name)!;
		await fc.assert(
			fc.asyncProperty(fc.array(itemArb(catalog), { minLength: 1, maxLength: 6 }), async (items) => {
				const run = await runWorkflow({ nodes: [definition], connections: {}, credentials: driver.credentials, input: items }).catch((error: Error) => error);
				if (run instanceof Error) return checkOutcomes(sandbox, name, items, [], {}, run.message);
				scanner.scan(`fuzz ${name}`, run.run);
				const nodeError = run.nodeError(name);
				const out = run.ran(name) ? [...run.output(name, 0), ...run.output(name, 1)] : [];
				const outcomes = out.map((item) => {
					const error = item.json.error as IDataObject | undefined;
					const invoicePart = ((item.json.quickbooks as IDataObject | undefined)?.invoice ?? {}) as IDataObject;
					return {
						outcome: error ? 'error' : name === NODE_NAMES.upsert ? String(invoicePart.action ?? 'unknown') : 'skipped',
						code: error ? String(error.code) : undefined,
						quickbooksId: invoicePart.id ? String(invoicePart.id) : undefined,
						json: item.json,
					};
				});
				return checkOutcomes(sandbox, name, items, outcomes, nodeError ? { [name]: nodeError.message } : {});
			}),
			{ seed: SEED, numRuns: 12 * RUNS, endOnFailure: true, reporter: conciseReporter },
		);
	});

	it.each([
		['failing policies (defaults)', {}],
		['fixing policies (shorten numbers, strip characters, fit prices)', { longInvoiceNumbers: 'shorten', invalidCharacters: 'strip', amountMismatch: 'useHubSpotAmount' }],
	])('the whole chain with %s: each invoice is valid in QuickBooks or on an error output with a code', async (_label, upsertOptions) => {
		const driver = driverFor(upsertOptions as IDataObject);
		await fc.assert(
			fc.asyncProperty(fc.array(itemArb(catalog), { minLength: 1, maxLength: 8 }), async (items) => {
				const execution = await driver.execute(items);
				scanner.scan('fuzz chain', execution.run ?? execution.outcomes);
				return checkOutcomes(sandbox, 'chain', items, execution.outcomes, execution.nodeErrors, execution.thrown);
			}),
			{ seed: SEED + (Object.keys(upsertOptions).length ? 3 : 1), numRuns: 40 * RUNS, endOnFailure: true, reporter: conciseReporter },
		);
		expect(tally.created).toBeGreaterThan(0);
	});

	it('the trigger polling hostile HubSpot records, then the chain: nothing crashes, every emitted item is coded or valid', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(hubspotInvoiceArb(), { minLength: 1, maxLength: 6 }), async (specs) => {
				const dataset = hostileDataset(specs);
				const hostileSandbox = await start({ dataset, limits: false });
				try {
					scanner.addSecrets(sandboxSecrets(hostileSandbox));
					const driver = new SyncDriver({
						urls: hostileSandbox.urls,
						credentials: hostileSandbox.credentials,
						taxMapping: dataset.taxMapping,
						backfillSince: '2026-10-15T00:00:00.000Z',
					});
					let items: IDataObject[];
					try {
						items = await driver.poll();
					} catch (error) {
						// A poll may fail as a whole (then n8n records a failed execution and the cursor stays) — but only with a coded error.
						const message = String((error as Error).message);
						if (!/\[[A-Z_]+\]/.test(message)) return checkOutcomes(hostileSandbox, 'trigger', specs as never, [], {}, `poll threw an uncoded error: ${message}`);
						return true;
					}
					scanner.scan('fuzz trigger items', items);
					for (const item of items) {
						const parsed = syncItemSchema.safeParse(item);
						const marked = (item as IDataObject).error as IDataObject | undefined;
						if (!parsed.success && !(marked && CODES.has(String(marked.code)))) {
							checkOutcomes(hostileSandbox, 'trigger', [item], [], {}, `emitted an item that is neither a valid invoice nor coded: ${describeInput(item)}`);
						}
					}
					const execution = await driver.execute(items);
					scanner.scan('fuzz trigger chain', execution.run ?? execution.outcomes);
					return checkOutcomes(hostileSandbox, 'trigger → chain', items, execution.outcomes, execution.nodeErrors, execution.thrown);
				} finally {
					await hostileSandbox.close();
				}
			}),
			{ seed: SEED + 2, numRuns: 15 * RUNS, endOnFailure: true, reporter: conciseReporter },
		);
	});

	it('counted nothing uncaught and nothing invalid in QuickBooks', () => {
		expect(tally.problems).toEqual([]);
		expect(scanner.leaks).toEqual([]);
	});
});

// ---------------------------------------------------------------------------------------------
// Hostile HubSpot records for the trigger

interface HubSpotInvoiceSpec {
	props: Record<string, string | undefined>;
	lines: Array<Record<string, string | undefined>>;
	contact: Record<string, string | undefined> | null;
}

const propertyText = fc.oneof({ weight: 12, arbitrary: numberArb.map((value) => (value === null || value === undefined ? undefined : typeof value === 'object' ? JSON.stringify(value) : String(value))) }, { weight: 1, arbitrary: textArb });

function hubspotInvoiceArb(): fc.Arbitrary<HubSpotInvoiceSpec> {
	const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary }, { weight: 1, arbitrary: fc.constant(undefined) });
	return fc.record({
		props: fc.record({
			hs_number: maybe(fc.oneof(fc.integer({ min: 1, max: 99_999 }).map((n) => `HX-${n}`), textArb)),
			hs_invoice_status: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('open', 'paid', 'voided') }, { weight: 1, arbitrary: textArb }),
			hs_currency: maybe(fc.oneof({ weight: 6, arbitrary: fc.constant('USD') }, { weight: 1, arbitrary: textArb })),
			hs_invoice_date: maybe(dateArb().map((value) => (value === null || value === undefined ? undefined : String(value)))),
			hs_due_date: maybe(dateArb().map((value) => (value === null || value === undefined ? undefined : String(value)))),
			hs_invoice_source: fc.oneof({ weight: 8, arbitrary: fc.constant('hubspot') }, { weight: 1, arbitrary: textArb }),
			hs_title: maybe(textArb),
		}),
		lines: fc.array(
			fc.record({
				name: maybe(textArb),
				hs_sku: maybe(fc.oneof({ weight: 4, arbitrary: fc.constantFrom('PROD-001', 'PROD-002', 'PROD-005', 'PROD-014', 'prod-001') }, { weight: 1, arbitrary: textArb })),
				quantity: maybe(propertyText),
				price: maybe(propertyText),
				amount: maybe(propertyText),
				discount: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: propertyText }),
				hs_discount_percentage: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: propertyText }),
				hs_tax_rate_group_id: maybe(fc.oneof(fc.constantFrom('1001', '1002', '1003'), textArb)),
				description: maybe(textArb),
			}),
			{ minLength: 0, maxLength: 4 },
		),
		contact: fc.oneof(
			{ weight: 1, arbitrary: fc.constant(null) },
			{
				weight: 5,
				arbitrary: fc.record({
					email: maybe(fc.oneof(fc.constantFrom('ap@acme.example', 'billing@globex.example'), textArb.map((local) => `${local}@hx.example`), textArb)),
					firstname: maybe(textArb),
					lastname: maybe(textArb),
					company: maybe(textArb),
				}),
			},
		),
	});
}

let hostileSeq = 0;

function hostileDataset(specs: HubSpotInvoiceSpec[]): Dataset {
	const dataset = defaultDataset();
	const hubspot = dataset.hubspot;
	specs.forEach((spec, index) => {
		const n = ++hostileSeq;
		const id = String(3_990_000_000 + n);
		const at = new Date(Date.UTC(2026, 10, 1) + n * 1000 + index).toISOString();
		hubspot.invoices.push(hubspotObject('invoices', id, spec.props, at, at));
		spec.lines.forEach((line, lineIndex) => {
			const lineId = String(4_990_000_000 + n * 10 + lineIndex);
			hubspot.lineItems.push(hubspotObject('line_items', lineId, line, at));
			hubspot.associations.push(link('invoices', id, 'line_items', lineId));
		});
		if (spec.contact) {
			const contactId = String(1_990_000_000 + n);
			hubspot.contacts.push(hubspotObject('contacts', contactId, spec.contact, at));
			hubspot.associations.push(link('invoices', id, 'contacts', contactId));
		}
	});
	return dataset;
}

