/**
 * One way to send an authenticated request and see the whole answer, on every n8n version.
 *
 * A request that fails inside httpRequestWithAuthentication reaches us in a shape that depends on
 * the n8n version: n8n 2.x keeps axios' error (status, headers and body), n8n 1.x wraps it in a
 * NodeApiError that keeps only `httpCode` and the body in `context.data` and drops the headers
 * (Retry-After, X-HubSpot-RateLimit-*, intuit_tid). So we ask n8n not to judge the status
 * (`ignoreHttpStatusErrors`) and to hand back the full response, then judge it ourselves.
 */
import type { IDataObject, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import type { RequestContext } from './quickbooks';

/** An answer with an error status, kept whole. Shaped like axios' error so one reader serves both. */
export class HttpStatusError extends Error {
	readonly response: { status: number; headers: Record<string, string>; data: unknown };

	constructor(status: number, headers: Record<string, string>, data: unknown) {
		super(`Request failed with status code ${status}`);
		this.name = 'HttpStatusError';
		this.response = { status, headers, data };
	}
}

function isFullResponse(value: unknown): value is IN8nHttpFullResponse {
	return Boolean(value && typeof value === 'object' && 'statusCode' in value && 'headers' in value && 'body' in value);
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [key, value] of Object.entries((headers ?? {}) as Record<string, unknown>)) {
		if (typeof value === 'string' || typeof value === 'number') result[key.toLowerCase()] = String(value);
		else if (Array.isArray(value)) result[key.toLowerCase()] = value.map(String).join(', ');
	}
	return result;
}

export interface SendOptions {
	/** Options n8n passes to its OAuth2 signer (e.g. includeCredentialsOnRefreshOnBody). */
	additionalCredentialOptions?: IDataObject;
	/**
	 * The credential is OAuth2: n8n refreshes an expired token only when the request *throws* a
	 * 401, which `ignoreHttpStatusErrors` prevents. A 401 is therefore asked once more the way
	 * that lets n8n refresh and retry.
	 */
	oAuth2: boolean;
}

/**
 * Sends `request` with the credential and returns the body of a 2xx/3xx answer. An error status
 * throws an HttpStatusError with status, headers and body; a network failure, or a failed token
 * refresh, throws whatever n8n threw.
 */
export async function sendWithAuthentication(
	context: RequestContext,
	credentialType: string,
	request: IHttpRequestOptions,
	options: SendOptions,
): Promise<unknown> {
	const send = async (ignoreHttpStatusErrors: boolean): Promise<unknown> =>
		await context.helpers.httpRequestWithAuthentication.call(
			context,
			credentialType,
			{ ...request, returnFullResponse: true, ignoreHttpStatusErrors },
			options.additionalCredentialOptions as never,
		);
	let response = await send(true);
	if (options.oAuth2 && isFullResponse(response) && response.statusCode === 401) response = await send(false);
	if (!isFullResponse(response)) return response;
	if (response.statusCode >= 400) {
		throw new HttpStatusError(response.statusCode, lowerCaseHeaders(response.headers), response.body);
	}
	return response.body;
}
