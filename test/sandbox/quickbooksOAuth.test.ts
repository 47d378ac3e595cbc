/** OAuth of the QuickBooks simulator, and Intuit's official client (intuit-oauth) as a contract test. */
import { createQuickBooksSimulator, type QboSimulator } from '../../sandbox/quickbooks';
import { EXAMPLE_CA_REALM, EXAMPLE_CLIENT, EXAMPLE_US_REALM, exampleCanadianCompany, exampleUsCompany } from '../../sandbox/quickbooks/exampleSeed';
import { qboClient } from '../../sandbox/quickbooks/simpleClient';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const OAuthClient = require('intuit-oauth');

const REDIRECT_URI = 'http://127.0.0.1:5678/rest/oauth2-credential/callback';
const basicAuth = `Basic ${Buffer.from(`${EXAMPLE_CLIENT.clientId}:${EXAMPLE_CLIENT.clientSecret}`).toString('base64')}`;

/** A clock the tests can move forward. */
let clockOffsetMs = 0;
const now = () => new Date(Date.now() + clockOffsetMs);

let sim: QboSimulator;
let base: string;

beforeAll(async () => {
	sim = createQuickBooksSimulator({
		companies: [exampleUsCompany(), exampleCanadianCompany()],
		clients: [EXAMPLE_CLIENT],
		accessTokenTtlSeconds: 3600,
		refreshGraceSeconds: 60,
		limits: false,
		now,
	});
	base = await sim.listen(0);
});
afterAll(() => sim.close());
beforeEach(() => {
	clockOffsetMs = 0;
});

async function authorize(params: Record<string, string> = {}): Promise<URL> {
	const url = new URL(`${base}/connect/oauth2`);
	const query = { client_id: EXAMPLE_CLIENT.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'com.intuit.quickbooks.accounting', state: 'st-1', ...params };
	for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
	const res = await fetch(url, { redirect: 'manual' });
	expect(res.status).toBe(302);
	return new URL(res.headers.get('location') as string);
}

async function tokenRequest(form: Record<string, string>, authorization: string | null = basicAuth) {
	const res = await fetch(`${base}/oauth2/v1/tokens/bearer`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
		body: new URLSearchParams(form).toString(),
	});
	return { status: res.status, json: (await res.json()) as any };
}

describe('authorize and token endpoints', () => {
	it('redirects straight back with code, state and the first realmId (or the requested one)', async () => {
		const back = await authorize();
		expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
		expect(back.searchParams.get('state')).toBe('st-1');
		expect(back.searchParams.get('realmId')).toBe(EXAMPLE_US_REALM);
		expect(back.searchParams.get('code')).toBeTruthy();
		expect((await authorize({ realmId: EXAMPLE_CA_REALM })).searchParams.get('realmId')).toBe(EXAMPLE_CA_REALM);
	});

	it('rejects an unknown client on the authorize page', async () => {
		const res = await fetch(`${base}/connect/oauth2?client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&response_type=code&scope=x`, { redirect: 'manual' });
		expect(res.status).toBe(400);
		expect(res.headers.get('content-type')).toMatch(/text\/html/);
	});

	it('exchanges an authorization code once only', async () => {
		const code = (await authorize()).searchParams.get('code') as string;
		const first = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
		expect(first.status).toBe(200);
		expect(first.json).toEqual({
			access_token: expect.any(String),
			refresh_token: expect.any(String),
			expires_in: 3600,
			x_refresh_token_expires_in: 8726400,
			token_type: 'bearer',
		});
		const again = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
		expect(again).toEqual({ status: 400, json: { error: 'invalid_grant' } });
	});

	it('accepts client credentials in the body, and rejects bad ones with invalid_client', async () => {
		const code = (await authorize()).searchParams.get('code') as string;
		const bad = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: EXAMPLE_CLIENT.clientId, client_secret: 'wrong' }, null);
		expect(bad).toEqual({ status: 401, json: { error: 'invalid_client' } });
		const good = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, ...{ client_id: EXAMPLE_CLIENT.clientId, client_secret: EXAMPLE_CLIENT.clientSecret } }, null);
		expect(good.status).toBe(200);
		expect((await tokenRequest({ grant_type: 'password' })).json).toEqual({ error: 'unsupported_grant_type' });
	});

	it('rotates refresh tokens; the previous one works during the grace period, then invalid_grant', async () => {
		const tokens = sim.issueTokens(EXAMPLE_CLIENT.clientId, EXAMPLE_US_REALM);
		const rotated = await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
		expect(rotated.status).toBe(200);
		expect(rotated.json.refresh_token).not.toBe(tokens.refresh_token);
		expect(rotated.json.access_token).not.toBe(tokens.access_token);
		clockOffsetMs = 59_000;
		expect((await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).status).toBe(200);
		clockOffsetMs = 61_000;
		expect(await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).toEqual({ status: 400, json: { error: 'invalid_grant' } });
		expect((await tokenRequest({ grant_type: 'refresh_token', refresh_token: rotated.json.refresh_token })).status).toBe(200);
	});
});

describe('API authentication', () => {
	it('3200: missing, unknown or expired access token → 401 AUTHENTICATION fault', async () => {
		const tokens = sim.issueTokens(EXAMPLE_CLIENT.clientId, EXAMPLE_US_REALM);
		const qbo = qboClient(base, EXAMPLE_US_REALM, tokens.access_token);
		expect((await qbo.query('SELECT * FROM Item')).status).toBe(200);
		const expected = { Fault: { Error: [{ Message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', code: '3200' }], type: 'AUTHENTICATION' } };
		for (const token of [null, 'not-a-token']) {
			const res = await qbo.query('SELECT * FROM Item', token);
			expect(res.status).toBe(401);
			expect(res.json).toMatchObject(expected);
		}
		clockOffsetMs = 3600_000;
		const expired = await qbo.query('SELECT * FROM Item');
		expect(expired.status).toBe(401);
		expect(expired.json).toMatchObject(expected);
	});

	it('expireAccessTokens() expires current tokens; a refreshed token works', async () => {
		const tokens = sim.issueTokens(EXAMPLE_CLIENT.clientId, EXAMPLE_US_REALM);
		sim.expireAccessTokens();
		expect((await qboClient(base, EXAMPLE_US_REALM, tokens.access_token).query('SELECT * FROM Item')).status).toBe(401);
		const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
		expect((await qboClient(base, EXAMPLE_US_REALM, refreshed.json.access_token).query('SELECT * FROM Item')).status).toBe(200);
	});

	it('3100: a token for another realm → 403', async () => {
		const tokens = sim.issueTokens(EXAMPLE_CLIENT.clientId, EXAMPLE_CA_REALM);
		const res = await qboClient(base, EXAMPLE_US_REALM, tokens.access_token).query('SELECT * FROM Item');
		expect(res.status).toBe(403);
		expect(res.json.Fault.Error[0].code).toBe('3100');
	});
});

describe('intuit-oauth (official client) against the simulator', () => {
	const saved: Record<string, string> = {};

	beforeAll(() => {
		for (const key of ['authorizeEndpoint', 'tokenEndpoint', 'revokeEndpoint']) saved[key] = OAuthClient[key];
		// The endpoints are static on the class: point them at the simulator for this suite only.
		OAuthClient.authorizeEndpoint = `${base}/connect/oauth2`;
		OAuthClient.tokenEndpoint = `${base}/oauth2/v1/tokens/bearer`;
		OAuthClient.revokeEndpoint = `${base}/oauth2/v1/tokens/revoke`;
	});
	afterAll(() => {
		Object.assign(OAuthClient, saved);
	});

	it('authorizeUri → createToken → refresh (rotation) → old refresh token valid in grace, invalid after', async () => {
		const client = new OAuthClient({ clientId: EXAMPLE_CLIENT.clientId, clientSecret: EXAMPLE_CLIENT.clientSecret, environment: 'sandbox', redirectUri: REDIRECT_URI, logging: false });
		const authorizeUri: string = client.authorizeUri({ scope: [OAuthClient.scopes.Accounting], state: 'contract' });
		expect(authorizeUri.startsWith(`${base}/connect/oauth2?`)).toBe(true);
		const res = await fetch(authorizeUri, { redirect: 'manual' });
		const callback = res.headers.get('location') as string;

		const created = await client.createToken(callback);
		expect(created.getToken().realmId).toBe(EXAMPLE_US_REALM);
		const firstRefresh: string = client.getToken().refresh_token;
		expect(client.isAccessTokenValid()).toBe(true);

		const apiCall = await client.makeApiCall({ url: `${base}/v3/company/${EXAMPLE_US_REALM}/companyinfo/${EXAMPLE_US_REALM}?minorversion=75` });
		expect(apiCall.json.CompanyInfo.CompanyName).toBe('Sandbox Trading Co (US)');

		await client.refresh();
		const secondRefresh: string = client.getToken().refresh_token;
		expect(secondRefresh).not.toBe(firstRefresh);

		// The previous refresh token still works inside the grace period (60 s here)…
		const other = new OAuthClient({ clientId: EXAMPLE_CLIENT.clientId, clientSecret: EXAMPLE_CLIENT.clientSecret, environment: 'sandbox', redirectUri: REDIRECT_URI });
		await other.refreshUsingToken(firstRefresh);
		expect(other.getToken().access_token).toBeTruthy();
		// …and not after it.
		clockOffsetMs = 61_000;
		const failure = await other.refreshUsingToken(firstRefresh).then(
			() => undefined,
			(e: any) => e,
		);
		expect(failure).toBeDefined();
		expect(failure.error).toBe('invalid_grant');
		// The newest one keeps working.
		await client.refresh();
		expect(client.getToken().refresh_token).not.toBe(secondRefresh);
	});
});
