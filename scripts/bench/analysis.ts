/** Turns the sandbox's request log into per-API counts, limit classes and ratios. */
import { classifyEndpoint, limitBound, type LimitBound, type RequestClassCounts } from './lowerBound';
import type { LoggedCall } from './protocol';

export interface ApiCounts {
	/** Requests the API served (every status except 429). */
	requests: number;
	/** 429 answers (the sandbox's rate limits, time-scaled): retried by the client, not counted in `requests`. */
	throttled: number;
	/** Other error answers (4xx/5xx), included in `requests`. */
	errors: number;
	byEndpoint: Record<string, number>;
	/** Items per /batch call (QuickBooks), for the report. */
	batchItems?: { calls: number; items: number; max: number };
}

export interface CallSummary {
	quickbooks: ApiCounts;
	hubspot: ApiCounts;
	/** OAuth token calls (not under the API limits). */
	auth: number;
	classes: RequestClassCounts;
	limit: LimitBound;
	/** Most QuickBooks requests in flight at once, as the sandbox saw them. */
	firstAt?: number;
	lastAt?: number;
}

function emptyCounts(): ApiCounts {
	return { requests: 0, throttled: 0, errors: 0, byEndpoint: {} };
}

export function summarizeCalls(calls: LoggedCall[]): CallSummary {
	const quickbooks = emptyCounts();
	const hubspot = emptyCounts();
	const classes: RequestClassCounts = { quickbooksAll: 0, quickbooksBatch: 0, hubspotStandard: 0, hubspotSearch: 0 };
	let auth = 0;
	let batchCalls = 0;
	let batchItems = 0;
	let batchMax = 0;
	let firstAt: number | undefined;
	let lastAt: number | undefined;
	for (const call of calls) {
		const kind = classifyEndpoint(call.api, call.endpoint);
		if (kind === 'quickbooksAuth' || kind === 'other') {
			if (call.api !== 'slack') auth++;
			continue;
		}
		const counts = call.api === 'quickbooks' ? quickbooks : hubspot;
		firstAt = Math.min(firstAt ?? call.t, call.t);
		lastAt = Math.max(lastAt ?? call.t, call.t + call.ms);
		if (call.status === 429) {
			counts.throttled++;
			continue;
		}
		counts.requests++;
		if (call.status >= 400) counts.errors++;
		counts.byEndpoint[call.endpoint] = (counts.byEndpoint[call.endpoint] ?? 0) + 1;
		switch (kind) {
			case 'quickbooksBatch': {
				classes.quickbooksAll++;
				classes.quickbooksBatch++;
				const items = Number(call.detail);
				if (Number.isFinite(items)) {
					batchCalls++;
					batchItems += items;
					batchMax = Math.max(batchMax, items);
				}
				break;
			}
			case 'quickbooksApi':
				classes.quickbooksAll++;
				break;
			case 'hubspotSearch':
				classes.hubspotSearch++;
				break;
			case 'hubspotStandard':
				classes.hubspotStandard++;
				break;
			default:
				break;
		}
	}
	if (batchCalls) quickbooks.batchItems = { calls: batchCalls, items: batchItems, max: batchMax };
	return { quickbooks, hubspot, auth, classes, limit: limitBound(classes), firstAt, lastAt };
}

export const round = (value: number, digits = 3) => {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
};

export const ratio = (value: number, reference: number) => (reference > 0 ? value / reference : Number.NaN);
