/**
 * The QuickBooks → HubSpot direction's cost: the "QuickBooks → HubSpot invoice sync" template
 * (QuickBooks Trigger → Customer Resolve, SKU Match, Tax Map with Destination HubSpot → HubSpot
 * Invoice Upsert) run as an active workflow runs it — polls, each followed by one execution of the
 * rest — over a QuickBooks company of N new invoices, until a poll emits nothing. Requests come
 * from the sandbox's request log (OAuth token calls aside) and are set against
 * reverseLowerBound's requests for the same invoices.
 *
 * In-process, rate limits off: the counts are what is measured; time is the forward bench's.
 * `npm run bench` runs it after the forward direction; alone: `npx tsx scripts/bench/reverse.ts 1000`.
 */
import type { IDataObject } from 'n8n-workflow';

import { start, type Dataset, type Sandbox } from '../../sandbox';
import { reverseDataset, REVERSE_TAX_MAPPING } from '../../sandbox/dataset/reverse';
import { sandboxCredentials } from '../../test/fixtures/demoSandbox';
import { direction, runCycle } from '../../test/twoWay/directions';
import { REVERSE_TEMPLATE_FILES } from '../demo/templates';
import { classifyEndpoint, reverseLowerBound, type LowerBound, type ReverseFacts } from './lowerBound';

/** QuickBooks invoices of the demo data set that sync cleanly: copied to make the bench's company. */
const TEMPLATE_INVOICE_IDS = ['201', '202', '203', '204'];
const BENCH_ID_BASE = 50_000;
const MAX_POLLS = 200;

export interface ReverseBenchResult {
	facts: ReverseFacts;
	polls: number;
	qboRequests: number;
	hubspotRequests: number;
	qboByEndpoint: Record<string, number>;
	hubspotByEndpoint: Record<string, number>;
	/** The portal's one-time set-up (property group and properties), not in the per-invoice figures. */
	hubspotSetUp: number;
	qboLowerBound: LowerBound;
	hubspotLowerBound: LowerBound;
	failed: Record<string, number>;
	seconds: number;
}

/** The demo company's QuickBooks side with its invoices replaced by `count` copies of the clean ones (unpaid, numbered apart). */
function benchDataset(count: number): Dataset {
	const reverse = reverseDataset();
	const [company] = reverse.quickbooks;
	const entities = company.entities as Record<string, IDataObject[]>;
	const templates = entities.Invoice.filter((invoice) => TEMPLATE_INVOICE_IDS.includes(String(invoice.Id)));
	const invoices = Array.from({ length: count }, (_unused, index) => {
		const copy = JSON.parse(JSON.stringify(templates[index % templates.length])) as IDataObject;
		Object.assign(copy, { Id: String(BENCH_ID_BASE + index), DocNumber: `QB-B${index + 1}`, Balance: copy.TotalAmt, LinkedTxn: [] });
		return copy;
	});
	const quickbooks = [{ ...company, entities: { ...entities, Invoice: invoices, Payment: [], CreditMemo: [] } }];
	return { hubspot: reverse.hubspot, quickbooks, realmId: reverse.realmId, taxMapping: REVERSE_TAX_MAPPING, expectations: {}, now: reverse.now } as unknown as Dataset;
}

/** The day before the earliest QuickBooks invoice change: the first polls backfill every bench invoice. */
function backfillSince(dataset: Dataset): string {
	const invoices = (dataset.quickbooks[0].entities as Record<string, IDataObject[]>).Invoice;
	const earliest = Math.min(...invoices.map((invoice) => Date.parse(String(((invoice.MetaData ?? {}) as IDataObject).LastUpdatedTime))));
	return `${new Date(earliest - 24 * 60 * 60 * 1000).toISOString().slice(0, 10)}T00:00:00.000Z`;
}

/** A portal's one-time set-up: this package's property group and properties, created on its first run. */
const isSetUp = (endpoint: string) => /^POST \/crm\/v3\/properties\/|^GET \/crm\/v3\/properties\/[^/]+\/groups$/.test(endpoint);

/** Requests per endpoint (OAuth, 429 answers and the one-time set-up apart), and the set-up's count. */
function countRequests(sandbox: Sandbox, api: 'quickbooks' | 'hubspot'): { counts: Record<string, number>; setUp: number } {
	const counts: Record<string, number> = {};
	let setUp = 0;
	for (const entry of sandbox.log.entries) {
		if (entry.api !== api || entry.status === 429) continue;
		const kind = classifyEndpoint(api, entry.endpoint);
		if (kind === 'quickbooksAuth' || kind === 'other') continue;
		const key = entry.detail && api === 'quickbooks' ? `${entry.endpoint} (${entry.detail})` : entry.endpoint;
		if (isSetUp(entry.endpoint)) setUp++;
		else counts[key] = (counts[key] ?? 0) + 1;
	}
	return { counts, setUp };
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, count) => total + count, 0);

/** The lower bound's inputs, from what the trigger emitted and what the upsert wrote. */
function factsOf(emitted: IDataObject[], written: IDataObject[]): ReverseFacts {
	const invoices = emitted.map((item) => item.invoice as IDataObject);
	const created = written.filter((item) => ((item.hubspot as IDataObject).invoice as IDataObject).action === 'created');
	const lines = (item: IDataObject) => ((item.invoice as IDataObject).lines as IDataObject[]).length;
	const part = (item: IDataObject, name: string) => (item.hubspot as IDataObject)[name] as IDataObject | null | undefined;
	const emails = new Set(invoices.map((invoice) => String(((invoice.customer as IDataObject).email ?? '')).trim().toLowerCase()).filter(Boolean));
	const createdCount = (name: string) => new Set(written.map((item) => part(item, name)).filter((record) => record?.created).map((record) => record!.id)).size;
	return {
		invoices: emitted.length,
		invoicesCreated: created.length,
		lineItemsCreated: created.reduce((total, item) => total + lines(item), 0),
		emails: emails.size,
		contactsToCreate: createdCount('contact'),
		companies: new Set(invoices.map((invoice) => String(((invoice.customer as IDataObject).companyName ?? '')).trim().toLowerCase()).filter(Boolean)).size,
		companiesToCreate: createdCount('company'),
		skus: new Set(invoices.flatMap((invoice) => (invoice.lines as IDataObject[]).map((line) => line.sku)).filter(Boolean)).size,
		taxed: written.some((item) => ((item.hubspot as IDataObject).lines as IDataObject[] | undefined)?.some((line) => line.taxRateId)),
		executions: 0,
	};
}

export async function runReverseBench(invoiceCount: number, progress: (message: string) => void): Promise<ReverseBenchResult> {
	const dataset = benchDataset(invoiceCount);
	const sandbox = await start({ dataset, limits: false });
	const started = Date.now();
	try {
		const since = backfillSince(sandbox.dataset);
		const sync = direction(REVERSE_TEMPLATE_FILES.reverseSync, sandbox, REVERSE_TAX_MAPPING, since);
		const credentials = sandboxCredentials(sandbox);
		sandbox.log.clear();
		const emitted: IDataObject[] = [];
		const written: IDataObject[] = [];
		const failed: Record<string, number> = {};
		let polls = 0;
		let executions = 0;
		for (; polls < MAX_POLLS; polls++) {
			const logged = sandbox.log.entries.length;
			const cycle = await runCycle(sync, credentials);
			if (cycle.emitted.length === 0) {
				// The poll that finds the feed drained is what every idle poll costs, not the sync's.
				sandbox.log.entries.length = logged;
				break;
			}
			executions++;
			emitted.push(...cycle.emitted);
			written.push(...cycle.written);
			for (const { json } of cycle.failed) {
				const code = String(((json.error ?? {}) as IDataObject).code ?? 'UNKNOWN');
				failed[code] = (failed[code] ?? 0) + 1;
			}
			progress(`reverse: poll ${polls + 1} emitted ${cycle.emitted.length}, wrote ${cycle.written.length}`);
		}
		const facts = { ...factsOf(emitted, written), executions };
		const qboByEndpoint = countRequests(sandbox, 'quickbooks').counts;
		const { counts: hubspotByEndpoint, setUp: hubspotSetUp } = countRequests(sandbox, 'hubspot');
		const bound = reverseLowerBound(facts);
		return {
			facts,
			polls,
			qboRequests: sum(qboByEndpoint),
			hubspotRequests: sum(hubspotByEndpoint),
			qboByEndpoint,
			hubspotByEndpoint,
			hubspotSetUp,
			qboLowerBound: bound.quickbooks,
			hubspotLowerBound: bound.hubspot,
			failed,
			seconds: (Date.now() - started) / 1000,
		};
	} finally {
		await sandbox.close();
	}
}

/** The four figures `npm run bench` reports for this direction. */
export function reverseFigures(result: ReverseBenchResult) {
	const per = (requests: number) => (result.facts.invoices > 0 ? requests / result.facts.invoices : 0);
	const ratio = (requests: number, bound: LowerBound) => (bound.total > 0 ? requests / bound.total : 0);
	return {
		reverseQboRequestsPerInvoice: per(result.qboRequests),
		reverseHubspotRequestsPerInvoice: per(result.hubspotRequests),
		reverseQboRatioToLowerBound: ratio(result.qboRequests, result.qboLowerBound),
		reverseHubspotRatioToLowerBound: ratio(result.hubspotRequests, result.hubspotLowerBound),
	};
}

export const REVERSE_RATIO_TARGET = 1.25;

/** The summary's reverse-direction figures and their targets (merged into `npm run bench`'s JSON). */
export function reverseSummary(result: ReverseBenchResult) {
	const figures = reverseFigures(result);
	const round = (value: number) => Math.round(value * 1000) / 1000;
	const target = (value: number) => ({ target: `≤ ${REVERSE_RATIO_TARGET}× lower bound`, value: round(value), met: value <= REVERSE_RATIO_TARGET });
	return {
		figures: Object.fromEntries(Object.entries(figures).map(([key, value]) => [key, round(value)])) as ReturnType<typeof reverseFigures>,
		details: { reverseInvoices: result.facts.invoices, reverseQboLowerBound: result.qboLowerBound.total, reverseHubspotLowerBound: result.hubspotLowerBound.total, reverseHubspotSetUpRequests: result.hubspotSetUp },
		targets: { reverseQboRatioToLowerBound: target(figures.reverseQboRatioToLowerBound), reverseHubspotRatioToLowerBound: target(figures.reverseHubspotRatioToLowerBound) },
	};
}

/** The reverse direction's table: requests by endpoint against the lower bound's parts. */
export function renderReverse(result: ReverseBenchResult): string {
	const figures = reverseFigures(result);
	const f = result.facts;
	const lines = [
		`QuickBooks → HubSpot invoice sync: ${f.invoices} new QuickBooks invoices (${f.lineItemsCreated} lines, ${f.emails} emails, ${f.skus} SKUs), ${result.polls} polls, ${f.executions} executions, rate limits off, ${result.seconds.toFixed(1)} s.`,
		`  QuickBooks: ${result.qboRequests} requests (${figures.reverseQboRequestsPerInvoice.toFixed(4)}/invoice), lower bound ${result.qboLowerBound.total}, ratio ${figures.reverseQboRatioToLowerBound.toFixed(2)}`,
		...Object.entries(result.qboByEndpoint).map(([endpoint, count]) => `    ${String(count).padStart(5)}  ${endpoint}`),
		...result.qboLowerBound.parts.map((part) => `    bound ${String(part.requests).padStart(3)}  ${part.name} = ${part.formula}`),
		`  HubSpot: ${result.hubspotRequests} requests (${figures.reverseHubspotRequestsPerInvoice.toFixed(4)}/invoice; the portal's one-time set-up, ${result.hubspotSetUp} more, apart), lower bound ${result.hubspotLowerBound.total}, ratio ${figures.reverseHubspotRatioToLowerBound.toFixed(2)}`,
		...Object.entries(result.hubspotByEndpoint).map(([endpoint, count]) => `    ${String(count).padStart(5)}  ${endpoint}`),
		...result.hubspotLowerBound.parts.map((part) => `    bound ${String(part.requests).padStart(3)}  ${part.name} = ${part.formula}`),
	];
	if (Object.keys(result.failed).length) lines.push(`  failed: ${JSON.stringify(result.failed)}`);
	return lines.join('\n');
}

if (require.main === module) {
	const count = Number(process.argv[2] ?? 1000);
	runReverseBench(count, (message) => process.stderr.write(`[bench] ${message}\n`))
		.then((result) => {
			const { figures, details } = reverseSummary(result);
			console.log(`${renderReverse(result)}\n${JSON.stringify({ ...figures, ...details })}`);
		})
		.catch((error) => {
			console.error(error);
			process.exit(1);
		});
}
