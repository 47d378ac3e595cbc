/**
 * The one HTTP client of the live check: plain fetch with a Bearer token, an answer for every
 * status (probes judge statuses themselves), and patient retries on 429 so a probe run never adds
 * to a throttled account's trouble. Every 429 seen is kept: its body is evidence for a fact.
 */
import { retryAfterMs } from '../../package/nodes/shared/transport/retry';

export interface ApiAnswer {
	status: number;
	headers: Record<string, string>;
	/** Parsed JSON, or the text when the body is not JSON. */
	body: unknown;
}

export interface SendOptions {
	qs?: Record<string, string | number | boolean>;
	json?: unknown;
	/** A raw body with its content type (QuickBooks' `POST /query` takes `application/text`). */
	text?: { body: string; contentType: string };
}

export interface ClientOptions {
	baseUrl: string;
	token: string;
	timeoutMs?: number;
	/** Attempts per request when the API answers 429 (the first included). */
	attempts429?: number;
	/** Wait when a 429 names none (HubSpot's window is 10 s, QuickBooks asks for 60 s). */
	default429WaitMs: number;
	sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ApiClient {
	/** Every 429 answer seen, in order. */
	readonly throttled: ApiAnswer[] = [];
	requests = 0;

	constructor(private readonly options: ClientOptions) {}

	async send(method: string, path: string, options: SendOptions = {}): Promise<ApiAnswer> {
		const url = new URL(this.options.baseUrl.replace(/\/+$/, '') + path);
		for (const [key, value] of Object.entries(options.qs ?? {})) url.searchParams.set(key, String(value));
		const headers: Record<string, string> = { Authorization: `Bearer ${this.options.token}`, Accept: 'application/json' };
		let body: string | undefined;
		if (options.json !== undefined) {
			headers['Content-Type'] = 'application/json';
			body = JSON.stringify(options.json);
		} else if (options.text) {
			headers['Content-Type'] = options.text.contentType;
			body = options.text.body;
		}
		const attempts = this.options.attempts429 ?? 3;
		for (let attempt = 1; ; attempt++) {
			const answer = await this.once(method, url, headers, body);
			if (answer.status !== 429) return answer;
			this.throttled.push(answer);
			// HubSpot's daily limit lasts until midnight: waiting a few seconds cannot help.
			const daily = (answer.body as { policyName?: unknown } | undefined)?.policyName === 'DAILY';
			if (daily || attempt >= attempts) return answer;
			await (this.options.sleep ?? defaultSleep)(retryAfterMs(answer.headers) ?? this.options.default429WaitMs);
		}
	}

	private async once(method: string, url: URL, headers: Record<string, string>, body: string | undefined): Promise<ApiAnswer> {
		this.requests++;
		const response = await fetch(url, {
			method,
			headers,
			body,
			signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
		});
		const text = await response.text();
		const responseHeaders: Record<string, string> = {};
		response.headers.forEach((value, key) => {
			responseHeaders[key.toLowerCase()] = value;
		});
		let parsed: unknown = text;
		try {
			parsed = text === '' ? undefined : JSON.parse(text);
		} catch {
			// Not JSON (an HTML error page, XML): the text is the evidence.
		}
		return { status: response.status, headers: responseHeaders, body: parsed };
	}
}

/** A short, single-line excerpt of an answer's body for evidence lines. */
export function excerpt(body: unknown, max = 160): string {
	const text = typeof body === 'string' ? body : JSON.stringify(body) ?? '';
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
