/**
 * The webhook trigger's rules on their own: HubSpot's v3 signature (checked against the sandbox's
 * independent signer, which plays HubSpot) and the de-duplication of events by what a read covers.
 */
import { invoiceChange, parseEvents, pendingReads, recordCovered, type CoveredChanges } from '../../package/nodes/HubSpotInvoiceWebhookTrigger/events';
import { MAX_REQUEST_AGE_MS, uriAsSigned, verifySignatureV3 } from '../../package/nodes/HubSpotInvoiceWebhookTrigger/signature';
import { signV3, signedHeaders } from '../../sandbox/hubspot/webhooks';

const SECRET = 'sandbox-hubspot-client-secret-webhook-test-0001';
const URI = 'https://n8n.example.com/webhook/8f7e3d7a/hubspot-invoices';
const BODY = '[{"eventId":1,"objectId":501,"occurredAt":1700000000000,"subscriptionType":"object.creation","objectTypeId":"0-53"}]';
const NOW = 1_700_000_100_000;

function request(overrides: Partial<{ body: string; uri: string; timestamp: string; signature: string; secret: string }> = {}) {
	const headers = signedHeaders(overrides.secret ?? SECRET, URI, BODY, NOW - 1000);
	return {
		method: 'POST',
		uri: overrides.uri ?? URI,
		body: overrides.body ?? BODY,
		timestamp: overrides.timestamp ?? headers['x-hubspot-request-timestamp'],
		signature: overrides.signature ?? headers['x-hubspot-signature-v3'],
	};
}

describe('v3 signature', () => {
	it('accepts a request HubSpot signed with the client secret', () => {
		expect(verifySignatureV3(SECRET, request(), NOW)).toBe('valid');
	});

	it('refuses a tampered body, another URL and a signature made with another secret', () => {
		expect(verifySignatureV3(SECRET, request({ body: BODY.replace('501', '502') }), NOW)).toBe('invalid');
		expect(verifySignatureV3(SECRET, request({ uri: `${URI}x` }), NOW)).toBe('invalid');
		expect(verifySignatureV3(SECRET, request({ secret: 'another-secret-of-another-app-000000' }), NOW)).toBe('invalid');
	});

	it('refuses a timestamp older than five minutes even with a valid signature (a replay later on)', () => {
		const old = String(NOW - MAX_REQUEST_AGE_MS - 1);
		const signature = signV3(SECRET, 'POST', URI, BODY, old);
		expect(verifySignatureV3(SECRET, request({ timestamp: old, signature }), NOW)).toBe('stale');
		const justInTime = String(NOW - MAX_REQUEST_AGE_MS);
		expect(verifySignatureV3(SECRET, request({ timestamp: justInTime, signature: signV3(SECRET, 'POST', URI, BODY, justInTime) }), NOW)).toBe('valid');
	});

	it('refuses a request without signature, timestamp or configured secret', () => {
		expect(verifySignatureV3(SECRET, { ...request(), signature: undefined }, NOW)).toBe('missing');
		expect(verifySignatureV3(SECRET, { ...request(), timestamp: undefined }, NOW)).toBe('missing');
		expect(verifySignatureV3('', request(), NOW)).toBe('missing');
	});

	it("decodes the characters of HubSpot's table in the URI before signing, and no others", () => {
		expect(uriAsSigned('https://h.example/a%3Ab%2Fc%3Fd%40e%21f%24g%27h%28i%29j%2Ak%2Cl%3Bm')).toBe("https://h.example/a:b/c?d@e!f$g'h(i)j*k,l;m");
		expect(uriAsSigned('https://h.example/a%20b%26c')).toBe('https://h.example/a%20b%26c');
		const encoded = 'https://h.example/hook?name=a%3Ab';
		const signature = signV3(SECRET, 'POST', 'https://h.example/hook?name=a:b', BODY, String(NOW));
		expect(verifySignatureV3(SECRET, { method: 'POST', uri: encoded, body: BODY, timestamp: String(NOW), signature }, NOW)).toBe('valid');
	});
});

const event = (objectId: number, occurredAt: number, subscriptionType = 'object.propertyChange', objectTypeId = '0-53') => ({
	eventId: 1,
	objectId,
	occurredAt,
	subscriptionType,
	objectTypeId,
	propertyName: 'hs_invoice_status',
});

describe('events and de-duplication', () => {
	it('reads a JSON array of events and refuses anything else', () => {
		expect(parseEvents(BODY)).toHaveLength(1);
		expect(parseEvents('{"objectId":1}')).toBeUndefined();
		expect(parseEvents('not json')).toBeUndefined();
		expect(parseEvents('[{"objectId":1}]')).toBeUndefined();
	});

	it('knows invoice events by object type id 0-53 (generic subscriptions) or by the invoice name', () => {
		expect(invoiceChange(event(1, 1, 'object.creation'))).toBe('creation');
		expect(invoiceChange(event(1, 1, 'object.propertyChange'))).toBe('propertyChange');
		expect(invoiceChange(event(1, 1, 'object.creation', '0-1'))).toBeUndefined();
		expect(invoiceChange(event(1, 1, 'invoice.creation', ''))).toBe('creation');
		expect(invoiceChange(event(1, 1, 'object.deletion'))).toBeUndefined();
	});

	it('one read per invoice however many of its events arrive, in any order, keeping the newest time', () => {
		const pending = pendingReads([event(7, 300), event(8, 100), event(7, 100), event(7, 200)], {}, 'createdOrUpdated');
		expect([...pending.invoices]).toEqual([
			[7, 300],
			[8, 100],
		].map(([id, at]) => [String(id), at]));
	});

	it('an event at or before what a read covered needs nothing (retries, replays, late older events); a newer one is read', () => {
		const covered: CoveredChanges = {};
		recordCovered(covered, pendingReads([event(7, 300)], covered, 'createdOrUpdated').invoices);
		const again = pendingReads([event(7, 300), event(7, 250), event(7, 301)], covered, 'createdOrUpdated');
		expect([...again.invoices]).toEqual([['7', 301]]);
		expect(again.skipped).toBe(2);
	});

	it('Invoice Created ignores property changes', () => {
		const pending = pendingReads([event(7, 1), event(8, 1, 'object.creation')], {}, 'created');
		expect([...pending.invoices.keys()]).toEqual(['8']);
	});

	it('remembers a bounded number of invoices, forgetting the ones covered longest ago', () => {
		const covered: CoveredChanges = {};
		recordCovered(covered, new Map(Array.from({ length: 10 }, (_, index) => [String(index), 1000 + index])), 4);
		expect(Object.keys(covered).sort()).toEqual(['6', '7', '8', '9']);
	});
});
