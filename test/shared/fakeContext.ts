import type { IHttpRequestOptions } from 'n8n-workflow';

export interface FakeResponse {
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	networkCode?: string;
	delayMs?: number;
}

/** An axios-shaped error, as n8n's httpRequest throws it. */
export function httpError(status: number, body: unknown, headers: Record<string, string> = {}) {
	return Object.assign(new Error(`Request failed with status code ${status}`), {
		response: { status, data: body, headers },
		config: { headers: { Authorization: 'Bearer super-secret-token-value' } },
	});
}

/**
 * The error n8n 1.x (n8n-workflow 1.120, n8n 1.123) throws from httpRequestWithAuthentication: a
 * NodeApiError built from axios' error that keeps the status only as the string `httpCode`, the
 * JSON body only in `context.data`, replaces the message with a generic one, has no `cause` and
 * no headers (n8n-workflow/dist/errors/node-api.error.js of that version).
 */
export function n8nV1ApiError(status: number, body: unknown) {
	const messages: Record<number, string> = {
		400: 'Bad request - please check your parameters',
		401: 'Authorization failed - please check your credentials',
		429: 'The service is receiving too many requests from you',
		503: 'Service unavailable - try again later or consider setting this node to retry automatically (in the node settings)',
	};
	return Object.assign(new Error(messages[status] ?? 'Your request is invalid or could not be processed by the service'), {
		name: 'NodeApiError',
		httpCode: String(status),
		context: body && typeof body === 'object' && !Array.isArray(body) ? { data: body } : {},
		description: typeof body === 'string' ? body : undefined,
		messages: [`Request failed with status code ${status}`],
		cause: undefined,
	});
}

export interface FakeContextOptions {
	/** Which n8n's error shape a failed request throws when the caller lets n8n judge the status. */
	errorShape?: 'n8n1' | 'n8n2';
}

/**
 * A stand-in for an n8n execution context whose httpRequestWithAuthentication answers from a
 * handler, recording every request. Like n8n, it hands back `{ body, headers, statusCode }` when
 * asked for the full response and throws for an error status unless told to ignore it.
 */
export function fakeContext(
	handler: (request: IHttpRequestOptions, index: number) => FakeResponse | Promise<FakeResponse>,
	credentials: Record<string, unknown> = {
		useCustomBaseUrl: true,
		baseUrl: 'http://qbo.test',
		oauthTokenData: { callbackQueryString: { realmId: '123' } },
	},
	options: FakeContextOptions = {},
) {
	const requests: IHttpRequestOptions[] = [];
	let inFlight = 0;
	let maxInFlight = 0;
	const context = {
		getCredentials: async () => credentials,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) => {
				const index = requests.length;
				requests.push(JSON.parse(JSON.stringify(request)));
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				try {
					const response = await handler(request, index);
					if (response.delayMs) await new Promise((resolve) => setTimeout(resolve, response.delayMs));
					if (response.networkCode) throw Object.assign(new Error('socket hang up'), { code: response.networkCode });
					const status = response.status ?? 200;
					if (status >= 400 && !request.ignoreHttpStatusErrors) {
						throw options.errorShape === 'n8n1' ? n8nV1ApiError(status, response.body) : httpError(status, response.body, response.headers);
					}
					if (request.returnFullResponse) return { body: response.body, headers: response.headers ?? {}, statusCode: status, statusMessage: '' };
					return response.body;
				} finally {
					inFlight--;
				}
			},
		},
	};
	return { context: context as never, requests, maxInFlight: () => maxInFlight };
}

export const noWait = { sleep: async () => undefined, random: () => 0.5 };
