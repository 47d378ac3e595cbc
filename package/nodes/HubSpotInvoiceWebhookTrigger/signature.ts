/**
 * HubSpot's v3 request signature, checked before anything in a request is believed:
 * X-HubSpot-Signature-v3 = base64(HMAC-SHA256(key = the app's client secret,
 * method + URI + body + X-HubSpot-Request-Timestamp)). A timestamp more than five minutes old is
 * refused whatever the signature, so a captured request cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'crypto';

/** HubSpot refuses to vouch for a request older than this (its SDKs use the same 300,000 ms). */
export const MAX_REQUEST_AGE_MS = 5 * 60 * 1000;

/** The encoded characters HubSpot decodes in the URI before signing it (its v3 validation table). */
const DECODED_IN_URI: Record<string, string> = {
	'%3A': ':',
	'%2F': '/',
	'%3F': '?',
	'%40': '@',
	'%21': '!',
	'%24': '$',
	'%27': "'",
	'%28': '(',
	'%29': ')',
	'%2A': '*',
	'%2C': ',',
	'%3B': ';',
};

export interface SignedRequest {
	method: string;
	/** The full URL HubSpot called: protocol, host, path and query string. */
	uri: string;
	/** The body exactly as received. */
	body: string;
	timestamp: string | undefined;
	signature: string | undefined;
}

export type SignatureVerdict = 'valid' | 'missing' | 'stale' | 'invalid';

/** The URI as HubSpot signs it: the characters of its table decoded, everything else as sent. */
export function uriAsSigned(uri: string): string {
	return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (encoded) => DECODED_IN_URI[encoded.toUpperCase()]);
}

/** The v3 signature of a request (what HubSpot sends, and what the sandbox signs with). */
export function signatureV3(clientSecret: string, request: Omit<SignedRequest, 'signature' | 'timestamp'> & { timestamp: string }): string {
	const source = `${request.method.toUpperCase()}${uriAsSigned(request.uri)}${request.body}${request.timestamp}`;
	return createHmac('sha256', clientSecret).update(source, 'utf8').digest('base64');
}

/** Whether the request is HubSpot's, signed with `clientSecret` within the last five minutes of `nowMs`. */
export function verifySignatureV3(clientSecret: string, request: SignedRequest, nowMs: number): SignatureVerdict {
	if (!clientSecret || !request.signature || !request.timestamp) return 'missing';
	const timestampMs = Number(request.timestamp);
	if (!/^\d+$/.test(request.timestamp.trim()) || nowMs - timestampMs > MAX_REQUEST_AGE_MS) return 'stale';
	const expected = Buffer.from(signatureV3(clientSecret, { ...request, timestamp: request.timestamp }), 'utf8');
	const received = Buffer.from(request.signature.trim(), 'utf8');
	return expected.length === received.length && timingSafeEqual(expected, received) ? 'valid' : 'invalid';
}
