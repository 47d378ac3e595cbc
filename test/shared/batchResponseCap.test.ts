/**
 * QuickBooks returns at most 1,000 objects in one /batch answer. Lookups sent together must fit
 * in it, and a query that may have been cut short must be continued: reading a truncated answer
 * as "not found" would create duplicates.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { QUICKBOOKS_BATCH_RESPONSE_CAP, QuickBooksClient } from '../../package/nodes/shared/transport/quickbooks';
import { fakeContext, noWait } from './fakeContext';

interface Row {
	Id: string;
	DocNumber: string;
}

/** A company whose invoices match any IN query many times over (each value has `perValue` rows). */
function companyWithManyRows(perValue: number) {
	const rowsFor = (query: string): Row[] => {
		const values = [...(/IN \(([^)]*)\)/.exec(query)?.[1] ?? '').matchAll(/'([^']*)'/g)].map((match) => match[1]);
		return values.flatMap((value) => Array.from({ length: perValue }, (_, copy) => ({ Id: `${value}-${copy}`, DocNumber: value })));
	};
	const page = (query: string): Row[] => {
		const start = Number(/STARTPOSITION (\d+)/.exec(query)?.[1] ?? 1);
		const max = Number(/MAXRESULTS (\d+)/.exec(query)?.[1] ?? 100);
		return rowsFor(query).slice(start - 1, start - 1 + max);
	};
	const batchSizes: number[] = [];
	const fake = fakeContext((request: IHttpRequestOptions) => {
		if (String(request.url).endsWith('/query')) return { body: { QueryResponse: { Invoice: page(String(request.body)) } } };
		const items = (request.body as { BatchItemRequest: Array<{ bId: string; Query: string }> }).BatchItemRequest;
		// Like QuickBooks: never more than 1,000 objects in the answer; what does not fit is dropped.
		let budget = QUICKBOOKS_BATCH_RESPONSE_CAP;
		let objects = 0;
		const answers = items.map((item) => {
			const rows = page(item.Query).slice(0, Math.max(0, budget));
			budget -= rows.length;
			objects += rows.length;
			return { bId: item.bId, QueryResponse: { Invoice: rows } };
		});
		batchSizes.push(objects);
		return { body: { BatchItemResponse: answers } };
	});
	return { fake, batchSizes };
}

async function lookUp(perValue: number, values: string[]) {
	const { fake, batchSizes } = companyWithManyRows(perValue);
	const qbo = await QuickBooksClient.create(fake.context, { retry: noWait });
	const rows = await qbo.findByValues<Row>('Invoice', 'DocNumber', values);
	return { rows, requests: fake.requests, batchSizes };
}

describe('batched lookups fit QuickBooks\' 1,000-object batch answer', () => {
	const values = Array.from({ length: 2500 }, (_, index) => `INV-${index}`);

	it('one row per value: every row is found, and no batch answer could exceed 1,000 objects', async () => {
		const { rows, requests, batchSizes } = await lookUp(1, values);
		expect(new Set(rows.map((row) => row.Id)).size).toBe(2500);
		for (const request of requests.filter((entry) => String(entry.url).endsWith('/batch'))) {
			const queries = (request.body as { BatchItemRequest: Array<{ Query: string }> }).BatchItemRequest.map((item) => item.Query);
			const promised = queries.reduce((sum, query) => sum + Number(/MAXRESULTS (\d+)/.exec(query)?.[1]), 0);
			expect(promised).toBeLessThanOrEqual(QUICKBOOKS_BATCH_RESPONSE_CAP);
		}
		expect(Math.max(...batchSizes)).toBeLessThanOrEqual(QUICKBOOKS_BATCH_RESPONSE_CAP);
		// 25 IN queries of 100 values, 10 to a batch: 3 batch calls, no extra pages.
		expect(requests).toHaveLength(3);
	});

	it('three rows per value: queries that fill their share are continued, nothing is missed', async () => {
		const { rows } = await lookUp(3, values.slice(0, 400));
		expect(new Set(rows.map((row) => row.Id)).size).toBe(1200);
	});
});
