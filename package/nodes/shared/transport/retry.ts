/**
 * Retry, backoff and concurrency shared by both API transports. Waiting uses n8n-workflow's
 * `sleep` (community nodes may not touch timers directly); tests inject their own.
 */
import { sleep as n8nSleep } from 'n8n-workflow';

/** What a failed HTTP call looked like, whatever client threw it (axios in n8n 1.x and 2.x). */
export interface HttpFailure {
	status?: number;
	body?: unknown;
	headers: Record<string, string>;
	/** Node/axios network error code (ECONNRESET, ETIMEDOUT, ECONNABORTED …). */
	networkCode?: string;
	message: string;
	/**
	 * n8n could not refresh the OAuth token and asks for the credential to be reconnected (n8n-core
	 * 2.x throws "The credential … needs to be reconnected." with failure.cause "credential-invalid").
	 */
	credentialInvalid?: boolean;
}

const NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
	'ENOTFOUND',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
	'ERR_NETWORK',
]);

/** The fields describeHttpFailure reads, in any of the shapes a failed request's error takes. */
interface FailedRequestError {
	response?: { status?: unknown; statusCode?: unknown; data?: unknown; body?: unknown; headers?: unknown };
	cause?: FailedRequestError;
	httpCode?: unknown;
	statusCode?: unknown;
	body?: unknown;
	context?: { data?: unknown };
	code?: unknown;
	message?: unknown;
	failure?: { cause?: unknown };
}

/**
 * Reads status, headers and body from every shape a failed request takes: axios' error (n8n 2.x,
 * also as a NodeApiError's `cause`), our HttpStatusError, n8n 1.x's NodeApiError (status only in
 * `httpCode`, the body only in `context.data`, no headers: see http.ts), OAuth token errors.
 */
export function describeHttpFailure(error: unknown): HttpFailure {
	const candidate = (error ?? {}) as FailedRequestError;
	const response = candidate.response ?? candidate.cause?.response;
	const status = Number(response?.status ?? response?.statusCode ?? candidate.httpCode ?? candidate.statusCode) || undefined;
	// OAuth token-endpoint errors (client-oauth2 AuthError / ResponseError) carry the body on the error itself.
	let body: unknown = response?.data ?? response?.body ?? candidate.body ?? candidate.cause?.body ?? candidate.context?.data;
	if (typeof body === 'string') {
		try {
			body = JSON.parse(body);
		} catch {
			// keep the text
		}
	} else if (Buffer.isBuffer(body)) {
		const text = body.toString('utf8');
		try {
			body = JSON.parse(text);
		} catch {
			body = text;
		}
	}
	const headers: Record<string, string> = {};
	const rawHeaders = response?.headers ?? {};
	for (const [key, value] of Object.entries(rawHeaders as Record<string, unknown>)) {
		if (typeof value === 'string' || typeof value === 'number') headers[key.toLowerCase()] = String(value);
	}
	// n8n 1.x puts a network error's code (ECONNRESET …) where the status would be.
	const codeText = String(candidate.code ?? candidate.cause?.code ?? (status === undefined ? candidate.httpCode ?? '' : ''));
	const message = String(candidate.message ?? 'request failed');
	const credentialInvalid =
		candidate.failure?.cause === 'credential-invalid' || candidate.cause?.failure?.cause === 'credential-invalid' || /needs to be reconnected/i.test(message);
	// Word boundaries: "reconnected" is not ECONN…, "timeouts" in prose is not a timeout.
	const networkCode = NETWORK_CODES.has(codeText)
		? codeText
		: status === undefined && !credentialInvalid && /socket hang up|\btime(?:d ?)?out\b|\bnetwork\b|\bECONN[A-Z]*\b/i.test(message)
			? 'ECONNRESET'
			: undefined;
	return { status, body, headers, networkCode, message, ...(credentialInvalid ? { credentialInvalid } : {}) };
}

export interface RetryPolicy {
	maxAttempts: number;
	/**
	 * Attempts for a failure classified `rateLimitWindow` (a limit counted per window, e.g.
	 * QuickBooks' per minute): enough that the waits add up to more than the window.
	 */
	rateLimitWindowAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	sleep: (ms: number) => Promise<void>;
	random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 6,
	// Backoff 0.5, 1, 2, 4, 8, 16, 30, 30, 30 s (each at least half that): at least 60.75 s of
	// waiting before the 10th attempt, so a one-minute window has passed.
	rateLimitWindowAttempts: 10,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	sleep: async (ms) => await n8nSleep(ms),
	random: Math.random,
};

export interface RetryDecision {
	retry: boolean;
	/** A server-provided wait (Retry-After, rate-limit window) that overrides the backoff. */
	delayMs?: number;
	/** The failure is a rate limit counted per window: retry up to policy.rateLimitWindowAttempts. */
	rateLimitWindow?: boolean;
}

/** Exponential backoff with full jitter: base × 2^(attempt-1), randomised, capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (policy.random() * ceiling) / 2);
}

export function retryAfterMs(headers: Record<string, string>, cap = 60_000): number | undefined {
	const value = headers['retry-after'];
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.min(cap, Math.max(0, seconds * 1000));
	const date = Date.parse(value);
	return Number.isFinite(date) ? Math.min(cap, Math.max(0, date - Date.now())) : undefined;
}

export interface RetryOutcome<T> {
	value: T;
	attempts: number;
}

/**
 * Runs `attempt` until it succeeds, `classify` says stop, or attempts run out; the last error is
 * rethrown with the number of attempts on it.
 */
export async function withRetries<T>(
	attempt: () => Promise<T>,
	classify: (error: unknown, failure: HttpFailure) => RetryDecision,
	policy: RetryPolicy,
	onRetry?: (failure: HttpFailure, attempt: number, delayMs: number) => void,
): Promise<T> {
	for (let attemptNumber = 1; ; attemptNumber++) {
		let error: unknown;
		try {
			return await attempt();
		} catch (caught) {
			error = caught;
		}
		const failure = describeHttpFailure(error);
		const decision = classify(error, failure);
		const budget = decision.rateLimitWindow ? Math.max(policy.maxAttempts, policy.rateLimitWindowAttempts) : policy.maxAttempts;
		if (!decision.retry || attemptNumber >= budget) {
			if (error && typeof error === 'object') (error as { attempts?: number }).attempts = attemptNumber;
			throw error;
		}
		const delay = Math.min(policy.maxDelayMs * 2, decision.delayMs ?? backoffDelay(attemptNumber, policy));
		onRetry?.(failure, attemptNumber, delay);
		await policy.sleep(delay);
	}
}

/** A counting semaphore: at most `limit` tasks run at once; the rest wait in order. */
export class Semaphore {
	private active = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(private limit: number) {}

	get inFlight(): number {
		return this.active;
	}

	/** Changes the limit; a raised limit starts waiting tasks at once, a lowered one as tasks end. */
	setLimit(limit: number): void {
		this.limit = limit;
		while (this.active < this.limit && this.waiting.length) {
			this.active++;
			this.waiting.shift()!();
		}
	}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.active >= this.limit) {
			await new Promise<void>((resolve) => this.waiting.push(resolve));
		} else {
			this.active++;
		}
		try {
			return await task();
		} finally {
			const next = this.active <= this.limit ? this.waiting.shift() : undefined;
			if (next) next();
			else this.active--;
		}
	}
}
