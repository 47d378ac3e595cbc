/**
 * The QuickBooks transport's pacing against the simulator's limits (40 /batch calls and 500
 * requests a minute per company, 10 in flight), time-scaled ×6 on both sides: a burst of /batch
 * calls past the budget gets a handful of 429s, then goes at the rate the window allows, and
 * every call succeeds.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';
import nock from 'nock';

import { createQuickBooksSimulator, type QboSimulator } from '../../sandbox/quickbooks';
import { EXAMPLE_CLIENT } from '../../sandbox/quickbooks/exampleSeed';
import { QuickBooksClient } from '../../package/nodes/shared/transport/quickbooks';
import { setQuickBooksWindowScale } from '../../package/nodes/shared/transport/quickbooksRateLimit';
import { blockExternalNetwork } from '../harness';
import { fakeContext } from './fakeContext';

const REALM = '9130355000000077';
/** QuickBooks' minute lasts 10 s: long against the transport's first backoffs (0.5, 1, 2 … s). */
const TIME_SCALE = 6;

let sim: QboSimulator;
let baseUrl: string;

beforeAll(async () => {
	blockExternalNetwork();
	nock.enableNetConnect('127.0.0.1');
	sim = createQuickBooksSimulator({
		companies: [{ realmId: REALM, companyInfo: { CompanyName: 'Paced', Country: 'US' }, preferences: {}, entities: {} }],
		clients: [EXAMPLE_CLIENT],
		limits: { timeScale: TIME_SCALE },
	});
	baseUrl = await sim.listen(0);
	setQuickBooksWindowScale(TIME_SCALE);
});
afterAll(async () => {
	setQuickBooksWindowScale(1);
	await sim.close();
	nock.enableNetConnect();
});

/** Sends the transport's requests to the simulator over HTTP, as n8n's helper would. */
function forwardingContext(accessToken: string) {
	return fakeContext(
		async (request: IHttpRequestOptions) => {
			const url = new URL(request.url);
			for (const [key, value] of Object.entries(request.qs ?? {})) url.searchParams.set(key, String(value));
			const response = await fetch(url, {
				method: request.method,
				headers: { ...(request.headers as Record<string, string>), Authorization: `Bearer ${accessToken}` },
				body: request.body === undefined ? undefined : JSON.stringify(request.body),
			});
			return { status: response.status, body: await response.json(), headers: Object.fromEntries(response.headers) };
		},
		{ useCustomBaseUrl: true, baseUrl, oauthTokenData: { callbackQueryString: { realmId: REALM } } },
	);
}

it('a burst of 100 /batch calls: a few 429s reveal the budget, then the window paces them; none fails, none hammers', async () => {
	const tokens = sim.issueTokens(EXAMPLE_CLIENT.clientId, REALM);
	const fake = forwardingContext(tokens.access_token);
	const qbo = await QuickBooksClient.create(fake.context, { concurrency: 8 });
	const query = (index: number) => ({ bId: `q${index}`, query: `SELECT * FROM Customer WHERE DisplayName = 'nobody ${index}'` });
	const started = Date.now();
	await Promise.all(Array.from({ length: 100 }, async (_unused, index) => await qbo.batch([query(index)])));
	const elapsed = Date.now() - started;

	const batches = sim.log.entries.filter((entry) => entry.endpoint.endsWith('/batch'));
	const refused = batches.filter((entry) => entry.status === 429);
	expect(batches.length - refused.length).toBe(100);
	// Only calls in flight when the budget filled (at most 8) are refused; each then waits for the window.
	expect(refused.length).toBeLessThanOrEqual(8);
	// 100 calls at 40 per (scaled) minute: two more windows after the first 40.
	expect(elapsed).toBeGreaterThanOrEqual((2 * 60_000) / TIME_SCALE);
	// …and not much more: no backoff overshoot.
	expect(elapsed).toBeLessThan((2 * 60_000) / TIME_SCALE + 5_000);
}, 60_000);
