/** HubSpot simulator: private-app tokens, scopes, OAuth (authorize → code → tokens → refresh), expiry. */
import {
	createHubSpotSimulator,
	DEFAULT_OAUTH_CLIENT,
	DEFAULT_PRIVATE_APP_TOKEN,
	type HubSpotSimulator,
} from '../../sandbox/hubspot';
import { defaultDataset } from '../../sandbox/dataset';

const dataset = defaultDataset();
const LIMITED_TOKEN = 'sandbox-hubspot-pat-contacts-only';
const REDIRECT = 'http://localhost:5678/rest/oauth2-credential/callback';
let clock = Date.parse('2026-10-01T00:00:00.000Z');
let sim: HubSpotSimulator;

async function get(path: string, token?: string) {
	const res = await fetch(sim.baseUrl + path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
	return { status: res.status, body: (await res.json()) as any };
}

async function token(form: Record<string, string>) {
	const res = await fetch(`${sim.baseUrl}/oauth/v1/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(form).toString(),
	});
	return { status: res.status, body: (await res.json()) as any };
}

async function authorize(params: Record<string, string>) {
	const res = await fetch(`${sim.baseUrl}/oauth/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
	return { status: res.status, location: res.headers.get('location') };
}

beforeAll(async () => {
	sim = createHubSpotSimulator({
		dataset: dataset.hubspot,
		limits: false,
		privateAppTokens: [DEFAULT_PRIVATE_APP_TOKEN, { token: LIMITED_TOKEN, scopes: ['crm.objects.contacts.read'] }],
		now: () => new Date(clock),
	});
	await sim.listen();
});
afterAll(() => sim.close());

describe('bearer tokens', () => {
	it('401 INVALID_AUTHENTICATION without a token or with an unknown one', async () => {
		for (const t of [undefined, 'not-a-token']) {
			const r = await get('/crm/v3/objects/invoices', t);
			expect(r.status).toBe(401);
			expect(r.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
			expect(r.body.message).toMatch(/^Authentication credentials not found/);
			expect(r.body.correlationId).toEqual(expect.any(String));
		}
	});

	it('403 MISSING_SCOPES names the required granular scope', async () => {
		expect((await get('/crm/v3/objects/contacts', LIMITED_TOKEN)).status).toBe(200);
		const r = await get('/crm/v3/objects/invoices', LIMITED_TOKEN);
		expect(r.status).toBe(403);
		expect(r.body).toMatchObject({
			status: 'error',
			category: 'MISSING_SCOPES',
			errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.invoices.read'] } }],
		});
		expect(r.body.message).toMatch(/^This app hasn't been granted all required scopes/);
		expect((await get('/tax-rates/v1/tax-rates', LIMITED_TOKEN)).status).toBe(403);
	});
});

describe('OAuth', () => {
	const client = DEFAULT_OAUTH_CLIENT;

	it('authorize refuses a scope list without oauth, which every HubSpot app requires (a setting)', async () => {
		const refused = await fetch(
			`${sim.baseUrl}/oauth/authorize?${new URLSearchParams({ client_id: client.clientId, redirect_uri: REDIRECT, scope: 'crm.objects.invoices.read' })}`,
			{ redirect: 'manual' },
		);
		expect(refused.status).toBe(400);
		expect(((await refused.json()) as { message: string }).message).toMatch(/required scope oauth/);
		const lenient = createHubSpotSimulator({ limits: false, requireOauthScope: false });
		await lenient.listen();
		try {
			const res = await fetch(`${lenient.baseUrl}/oauth/authorize?${new URLSearchParams({ client_id: client.clientId, redirect_uri: REDIRECT, scope: 'crm.objects.invoices.read' })}`, {
				redirect: 'manual',
			});
			expect(res.status).toBe(302);
		} finally {
			await lenient.close();
		}
	});

	it('authorize redirects with code and state; the code buys a 30-minute token pair once', async () => {
		const auth = await authorize({ client_id: client.clientId, redirect_uri: REDIRECT, scope: 'crm.objects.invoices.read oauth', state: 'xyz' });
		expect(auth.status).toBe(302);
		const location = new URL(auth.location!);
		expect(location.origin + location.pathname).toBe(REDIRECT);
		expect(location.searchParams.get('state')).toBe('xyz');
		const code = location.searchParams.get('code')!;
		const form = { grant_type: 'authorization_code', client_id: client.clientId, client_secret: client.clientSecret, redirect_uri: REDIRECT, code };

		const wrongSecret = await token({ ...form, client_secret: 'nope' });
		expect(wrongSecret).toMatchObject({ status: 400, body: { status: 'BAD_CLIENT_SECRET' } });
		expect((await token({ ...form, redirect_uri: 'http://elsewhere/cb' })).body.status).toBe('BAD_REDIRECT_URI');

		const ok = await token(form);
		expect(ok.status).toBe(200);
		expect(ok.body).toMatchObject({ token_type: 'bearer', expires_in: 1800 });
		expect(ok.body.access_token).toMatch(/^sandbox-hubspot-oauth-/);
		expect((await token(form)).body.status).toBe('BAD_AUTH_CODE'); // single use

		expect((await get('/crm/v3/objects/invoices?limit=1', ok.body.access_token)).status).toBe(200);
		// Only the scopes asked for are granted.
		const contacts = await get('/crm/v3/objects/contacts', ok.body.access_token);
		expect(contacts.status).toBe(403);
		expect(contacts.body.errors[0].context.requiredGranularScopes).toEqual(['crm.objects.contacts.read']);
	});

	it('refreshes with the same refresh token; expired access tokens answer EXPIRED_AUTHENTICATION', async () => {
		const pair = sim.issueTokens(client.clientId);
		expect((await get('/crm/v3/objects/invoices?limit=1', pair.access_token)).status).toBe(200);
		clock += 31 * 60 * 1000;
		const expired = await get('/crm/v3/objects/invoices?limit=1', pair.access_token);
		expect(expired.status).toBe(401);
		expect(expired.body.category).toBe('EXPIRED_AUTHENTICATION');
		expect((await get('/crm/v3/objects/invoices?limit=1', DEFAULT_PRIVATE_APP_TOKEN)).status).toBe(200);

		const refreshed = await token({ grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret, refresh_token: pair.refresh_token });
		expect(refreshed.status).toBe(200);
		expect(refreshed.body.refresh_token).toBe(pair.refresh_token);
		expect(refreshed.body.access_token).not.toBe(pair.access_token);
		expect((await get('/crm/v3/objects/invoices?limit=1', refreshed.body.access_token)).status).toBe(200);

		const info = await get(`/oauth/v1/access-tokens/${refreshed.body.access_token}`);
		expect(info.body).toMatchObject({ token_type: 'access', expires_in: 1800 });

		const bad = await token({ grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret, refresh_token: 'nope' });
		expect(bad.body.status).toBe('BAD_REFRESH_TOKEN');
		expect((await token({ grant_type: 'password', client_id: client.clientId })).body.status).toBe('BAD_GRANT_TYPE');
		expect((await token({ grant_type: 'refresh_token', client_id: 'who' })).body.status).toBe('BAD_CLIENT_ID');
	});

	it('expireAccessTokens() and the expireTokensAfterCalls fault force a refresh', async () => {
		const pair = sim.issueTokens(client.clientId);
		sim.expireAccessTokens();
		expect((await get('/crm/v3/objects/invoices?limit=1', pair.access_token)).body.category).toBe('EXPIRED_AUTHENTICATION');

		const fresh = sim.issueTokens(client.clientId);
		sim.setFaults({ expireTokensAfterCalls: 3 });
		const statuses: number[] = [];
		for (let i = 0; i < 3; i++) statuses.push((await get('/crm/v3/objects/invoices?limit=1', fresh.access_token)).status);
		expect(statuses).toEqual([200, 200, 401]);
		sim.setFaults(undefined);
	});

	it('refuses an unknown client at the authorize step', async () => {
		const r = await fetch(`${sim.baseUrl}/oauth/authorize?client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT)}`, { redirect: 'manual' });
		expect(r.status).toBe(400);
	});
});
