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
 * A stand-in for an n8n execution context whose httpRequestWithAuthentication answers from a
 * handler, recording every request.
 */
export function fakeContext(
	handler: (request: IHttpRequestOptions, index: number) => FakeResponse | Promise<FakeResponse>,
	credentials: Record<string, unknown> = {
		environment: 'custom',
		baseUrl: 'http://qbo.test',
		oauthTokenData: { callbackQueryString: { realmId: '123' } },
	},
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
					if (status >= 400) throw httpError(status, response.body, response.headers);
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
