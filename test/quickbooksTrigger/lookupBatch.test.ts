/**
 * The trigger's reference lookups (customers, items, paid invoices) go through findEachByValues:
 * every lookup's IN queries sent together, each query's rows back to its own lookup, a query that
 * fills its 100-row share continued, and a single query still a plain /query.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { QuickBooksClient } from '../../package/nodes/shared/transport/quickbooks';
import { fakeContext, noWait } from '../shared/fakeContext';

interface Row {
	Id: string;
}

/** A company where each Id has one record of the entity queried, except Id 'MANY' with 150 (Active IN both: inactive twins). */
function company() {
	const rowsFor = (query: string): Row[] => {
		const entity = /FROM (\w+)/.exec(query)?.[1] ?? '';
		const ids = [...(/Id IN \(([^)]*)\)/.exec(query)?.[1] ?? '').matchAll(/'([^']*)'/g)].map((match) => match[1]);
		return ids.flatMap((id) => Array.from({ length: id === 'MANY' ? 150 : 1 }, (_, copy) => ({ Id: `${entity}-${id}-${copy}` })));
	};
	const page = (query: string): Record<string, Row[]> => {
		const start = Number(/STARTPOSITION (\d+)/.exec(query)?.[1] ?? 1);
		const max = Number(/MAXRESULTS (\d+)/.exec(query)?.[1] ?? 100);
		return { [/FROM (\w+)/.exec(query)?.[1] ?? '']: rowsFor(query).slice(start - 1, start - 1 + max) };
	};
	return fakeContext((request: IHttpRequestOptions) => {
		if (String(request.url).endsWith('/query')) return { body: { QueryResponse: page(String(request.body)) } };
		const items = (request.body as { BatchItemRequest: Array<{ bId: string; Query: string }> }).BatchItemRequest;
		return { body: { BatchItemResponse: items.map((item) => ({ bId: item.bId, QueryResponse: page(item.Query) })) } };
	});
}

const routes = (fake: ReturnType<typeof company>) => fake.requests.map((request) => String(request.url).replace(/^.*\//, '/'));

describe('findEachByValues', () => {
	it('sends the queries of several lookups in one /batch and gives each lookup its own rows', async () => {
		const fake = company();
		const qbo = await QuickBooksClient.create(fake.context, { retry: noWait });
		const customerIds = Array.from({ length: 95 }, (_, index) => `C${index}`); // 90 + 5: two IN queries
		const [customers, items, invoices] = await qbo.findEachByValues<Row>([
			{ entity: 'Customer', field: 'Id', values: [...customerIds, 'C0', ''], includeInactive: true },
			{ entity: 'Item', field: 'Id', values: ['MANY'], includeInactive: true },
			{ entity: 'Invoice', field: 'Id', values: [] },
		]);
		expect(customers.map((row) => row.Id)).toEqual(customerIds.map((id) => `Customer-${id}-0`));
		// The item query filled its 100-row share of the /batch answer: the other 50 rows by paging.
		expect(items).toHaveLength(150);
		expect(new Set(items.map((row) => row.Id)).size).toBe(150);
		expect(invoices).toEqual([]);
		expect(routes(fake)).toEqual(['/batch', '/query']);
		const batch = fake.requests[0].body as { BatchItemRequest: Array<{ Query: string }> };
		expect(batch.BatchItemRequest.map((item) => /FROM (\w+)/.exec(item.Query)?.[1])).toEqual(['Customer', 'Customer', 'Item']);
		expect(String(fake.requests[1].body)).toMatch(/FROM Item WHERE .* STARTPOSITION 101 MAXRESULTS 1000$/);
	});

	it('a single query across the lookups goes to /query, not /batch (no /batch budget spent)', async () => {
		const fake = company();
		const qbo = await QuickBooksClient.create(fake.context, { retry: noWait });
		const [customers, items] = await qbo.findEachByValues<Row>([
			{ entity: 'Customer', field: 'Id', values: ['7'], includeInactive: true },
			{ entity: 'Item', field: 'Id', values: [] },
		]);
		expect(customers.map((row) => row.Id)).toEqual(['Customer-7-0']);
		expect(items).toEqual([]);
		expect(routes(fake)).toEqual(['/query']);
	});
});
