/** In-memory log of every request a simulator served, for tests and benchmarks. */

export interface LoggedRequest {
	/** Epoch ms when the request arrived. */
	t: number;
	api: 'quickbooks' | 'hubspot' | 'slack';
	method: string;
	path: string;
	/** Normalized, e.g. "GET /v3/company/:realmId/query". */
	endpoint: string;
	status: number;
	ms: number;
	/** The injected fault, if any (e.g. "429", "drop", "timeout"). */
	fault?: string;
	/** Requests in flight (same api) when this one arrived, including itself. */
	concurrent: number;
	/** E.g. the entity of a query, the op count of a batch. */
	detail?: string;
}

export class RequestLog {
	entries: LoggedRequest[] = [];

	add(e: LoggedRequest): void {
		this.entries.push(e);
	}

	/** Number of requests per normalized endpoint ("METHOD /path"). */
	countsByEndpoint(): Record<string, number> {
		const counts: Record<string, number> = {};
		for (const e of this.entries) counts[e.endpoint] = (counts[e.endpoint] ?? 0) + 1;
		return counts;
	}

	count(filter?: (e: LoggedRequest) => boolean): number {
		return filter ? this.entries.filter(filter).length : this.entries.length;
	}

	/** Highest number of requests that were in flight at once. */
	maxConcurrent(): number {
		let max = 0;
		for (const e of this.entries) if (e.concurrent > max) max = e.concurrent;
		return max;
	}

	clear(): void {
		this.entries = [];
	}
}
