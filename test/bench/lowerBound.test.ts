import { generateDataset } from '../../sandbox';
import { summarizeCalls } from '../../scripts/bench/analysis';
import { baselineModel } from '../../scripts/bench/baseline';
import { capitalizeQueryEntity } from '../../scripts/bench/baseline/intuitProxy';
import {
	classifyEndpoint,
	datasetFacts,
	hubspotLowerBound,
	limitBound,
	quickbooksLowerBound,
	windowSeconds,
	type DatasetFacts,
} from '../../scripts/bench/lowerBound';
import type { LoggedCall } from '../../scripts/bench/protocol';

const facts = (overrides: Partial<DatasetFacts> = {}): DatasetFacts => ({
	invoices: 990,
	lineItems: 4930,
	contacts: 296,
	companies: 296,
	emails: 294,
	skus: 213,
	taxCodes: 2,
	lookupInvoices: 939,
	customersToCreate: 152,
	invoiceWrites: 939,
	outcomes: {},
	...overrides,
});

describe('benchmark lower bounds', () => {
	it('HubSpot: one search per 200 invoices, 3 association reads per 1,000, batch reads of 100', () => {
		const bound = hubspotLowerBound(facts());
		expect(bound.parts.map((part) => part.requests)).toEqual([5, 3, 50, 3, 3]);
		expect(bound.total).toBe(64);
		// 10,000 invoices: the association reads grow per 1,000 ids.
		expect(hubspotLowerBound(facts({ invoices: 10_000, lineItems: 50_000 })).parts[1].requests).toBe(30);
	});

	it('QuickBooks: one /batch of lookups, creates and writes in 30s, plus CompanyInfo and Preferences', () => {
		const bound = quickbooksLowerBound(facts());
		// ceil(294/100) + ceil(213/100) + ceil(2/100) + ceil(939/100) = 3 + 3 + 1 + 10 = 17 queries → one /batch.
		expect(bound.parts.map((part) => part.requests)).toEqual([1, 6, 32, 2]);
		expect(bound.total).toBe(41);
		// 31 queries need a second /batch.
		expect(quickbooksLowerBound(facts({ lookupInvoices: 2_400 })).parts[0].requests).toBe(2);
	});

	it('an empty data set needs no requests at all', () => {
		const empty = facts({ invoices: 0, lineItems: 0, contacts: 0, companies: 0, emails: 0, skus: 0, taxCodes: 0, lookupInvoices: 0, customersToCreate: 0, invoiceWrites: 0 });
		expect(hubspotLowerBound(empty).total).toBe(0);
		expect(quickbooksLowerBound(empty).total).toBe(0);
	});
});

describe('time the rate limits impose', () => {
	it('is zero up to the limit and one window per further full limit', () => {
		const batch = { name: 'batch', limit: 40, windowSeconds: 60 };
		expect(windowSeconds(40, batch)).toBe(0);
		expect(windowSeconds(41, batch)).toBe(60);
		expect(windowSeconds(80, batch)).toBe(60);
		expect(windowSeconds(81, batch)).toBe(120);
	});

	it('takes the binding limit per API and adds the two APIs (their phases run one after the other)', () => {
		const bound = limitBound({ quickbooksAll: 46, quickbooksBatch: 42, hubspotStandard: 57, hubspotSearch: 5 });
		expect(bound.quickbooksSeconds).toBe(60);
		expect(bound.hubspotSeconds).toBe(1);
		expect(bound.totalSeconds).toBe(61);
		expect(bound.binding.quickbooks).toMatch(/40 \/batch/);
		expect(bound.binding.hubspot).toMatch(/4 searches/);
	});

	it('classifies endpoints as the APIs count them', () => {
		expect(classifyEndpoint('quickbooks', 'POST /v3/company/:realmId/batch')).toBe('quickbooksBatch');
		expect(classifyEndpoint('quickbooks', 'GET /v3/company/:realmId/preferences')).toBe('quickbooksApi');
		expect(classifyEndpoint('quickbooks', 'POST /oauth2/v1/tokens/bearer')).toBe('quickbooksAuth');
		expect(classifyEndpoint('hubspot', 'POST /crm/v3/objects/invoices/search')).toBe('hubspotSearch');
		expect(classifyEndpoint('hubspot', 'POST /crm/v4/associations/invoices/line_items/batch/read')).toBe('hubspotExempt');
		expect(classifyEndpoint('hubspot', 'POST /crm/v3/objects/line_items/batch/read')).toBe('hubspotStandard');
	});

	it('counts 429 answers apart from the requests served', () => {
		const call = (endpoint: string, status = 200, detail?: string): LoggedCall => ({ t: 0, api: endpoint.includes('/v3/company') ? 'quickbooks' : 'hubspot', endpoint, status, ms: 1, detail });
		const summary = summarizeCalls([
			call('POST /v3/company/:realmId/batch', 200, '30'),
			call('POST /v3/company/:realmId/batch', 429),
			call('POST /v3/company/:realmId/batch', 200, '12'),
			call('POST /crm/v3/objects/invoices/search'),
		]);
		expect(summary.quickbooks).toMatchObject({ requests: 2, throttled: 1, batchItems: { calls: 2, items: 42, max: 30 } });
		expect(summary.classes).toEqual({ quickbooksAll: 2, quickbooksBatch: 2, hubspotStandard: 0, hubspotSearch: 1 });
	});
});

describe('data set facts', () => {
	const dataset = generateDataset({ invoices: 60, seed: 3 });
	const counted = datasetFacts(dataset);

	it('counts the invoices the sync must emit and what they refer to', () => {
		const inScope = Object.entries(dataset.expectations).filter(([, expectation]) => expectation.outcome !== 'not-emitted');
		expect(counted.invoices).toBe(inScope.length);
		const ids = new Set(inScope.map(([id]) => id));
		const lines = dataset.hubspot.associations.filter((link) => link.fromType === 'invoices' && link.toType === 'line_items' && ids.has(link.fromId));
		expect(counted.lineItems).toBe(lines.length);
		expect(counted.invoiceWrites).toBe(inScope.filter(([, e]) => ['created', 'updated', 'voided'].includes(e.outcome)).length);
		expect(counted.customersToCreate).toBeLessThanOrEqual(counted.emails);
		expect(counted.taxCodes).toBeGreaterThan(0);
	});

	it('restricts to a sample', () => {
		const first = Object.keys(dataset.expectations).filter((id) => dataset.expectations[id].outcome !== 'not-emitted').slice(0, 5);
		expect(datasetFacts(dataset, first).invoices).toBe(5);
	});
});

describe('baseline', () => {
	it('models the hand-wired workflow: a customer query, one item query per line, one create, new customers once', () => {
		const model = baselineModel(facts());
		expect(model.qbo).toBeCloseTo((990 + 4930 + 990 + 152) / 990, 6);
		expect(model.hubspot).toBeCloseTo((3 * 990 + 5) / 990, 6);
	});

	it("the Intuit proxy capitalizes only the query's entity (QuickBooks ignores its case, the sandbox does not)", () => {
		expect(capitalizeQueryEntity("SELECT * FROM customer WHERE PrimaryEmailAddr = 'a@from.example' MAXRESULTS 1")).toBe(
			"SELECT * FROM Customer WHERE PrimaryEmailAddr = 'a@from.example' MAXRESULTS 1",
		);
		expect(capitalizeQueryEntity('SELECT COUNT(*) FROM item')).toBe('SELECT COUNT(*) FROM Item');
	});
});
