import IntuitOAuthClient from 'intuit-oauth';

import { createHubSpotSimulator, DEFAULT_OAUTH_CLIENT } from '../sandbox/hubspot';
import { resolveCredentialData } from './harness';

describe('QuickBooks OAuth2 credential', () => {
	it('uses Intuit\'s authorize and token URLs and the accounting scope in production', async () => {
		const data = await resolveCredentialData('quickBooksInvoiceSyncOAuth2Api', { environment: 'production' });
		expect(data.authUrl).toBe('https://appcenter.intuit.com/connect/oauth2');
		expect(data.accessTokenUrl).toBe('https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer');
		expect(data.scope).toBe('com.intuit.quickbooks.accounting');
		expect(data.authentication).toBe('header');
	});

	it('points OAuth at the custom base URL (local sandbox or proxy)', async () => {
		const data = await resolveCredentialData('quickBooksInvoiceSyncOAuth2Api', {
			useCustomBaseUrl: true,
			baseUrl: 'http://127.0.0.1:9999/',
		});
		expect(data.authUrl).toBe('http://127.0.0.1:9999/connect/oauth2');
		expect(data.accessTokenUrl).toBe('http://127.0.0.1:9999/oauth2/v1/tokens/bearer');
	});

	it('matches what Intuit\'s own client (intuit-oauth) declares', async () => {
		const data = await resolveCredentialData('quickBooksInvoiceSyncOAuth2Api', { environment: 'sandbox' });
		const client = IntuitOAuthClient as unknown as {
			authorizeEndpoint: string;
			tokenEndpoint: string;
			scopes: { Accounting: string };
			environment: { sandbox: string; production: string };
		};
		expect(data.authUrl).toBe(client.authorizeEndpoint);
		expect(data.accessTokenUrl).toBe(client.tokenEndpoint);
		expect(data.scope).toBe(client.scopes.Accounting);
		// The transport's API hosts are Intuit's, with the trailing slash intuit-oauth keeps.
		const { getQuickBooksConnection } = await import('../package/nodes/shared/transport/quickbooks');
		for (const environment of ['sandbox', 'production'] as const) {
			const connection = await getQuickBooksConnection({
				getCredentials: async () => ({ environment, oauthTokenData: { callbackQueryString: { realmId: '1' } } }),
			} as never);
			expect(`${connection.apiBaseUrl}/`).toBe(client.environment[environment]);
		}
	});
});

describe('HubSpot credentials', () => {
	it('OAuth2 uses HubSpot\'s URLs, body authentication and the invoice scopes', async () => {
		const data = await resolveCredentialData('hubSpotInvoiceSyncOAuth2Api', { environment: 'production' });
		expect(data.authUrl).toBe('https://app.hubspot.com/oauth/authorize');
		expect(data.accessTokenUrl).toBe('https://api.hubapi.com/oauth/v1/token');
		expect(data.authentication).toBe('body');
		for (const scope of ['crm.objects.invoices.read', 'crm.objects.invoices.write', 'crm.objects.line_items.read', 'crm.objects.contacts.read', 'crm.objects.companies.read', 'crm.objects.products.read', 'tax_rates.read']) {
			expect(String(data.scope).split(' ')).toContain(scope);
		}
	});

	it('OAuth2 asks for the oauth scope every HubSpot app requires, and the sandbox accepts its authorize request', async () => {
		const data = await resolveCredentialData('hubSpotInvoiceSyncOAuth2Api', { environment: 'production' });
		expect(String(data.scope).split(' ')).toContain('oauth');
		const sim = createHubSpotSimulator({ limits: false });
		await sim.listen();
		try {
			const params = { client_id: DEFAULT_OAUTH_CLIENT.clientId, redirect_uri: 'http://localhost:5678/rest/oauth2-credential/callback', scope: String(data.scope) };
			const res = await fetch(`${sim.baseUrl}/oauth/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
			expect(res.status).toBe(302);
			const withoutOauth = { ...params, scope: String(data.scope).split(' ').filter((scope) => scope !== 'oauth').join(' ') };
			expect((await fetch(`${sim.baseUrl}/oauth/authorize?${new URLSearchParams(withoutOauth)}`, { redirect: 'manual' })).status).toBe(400);
		} finally {
			await sim.close();
		}
	});

	it('OAuth2 with the Custom Base URL switch on points at the base URL', async () => {
		const data = await resolveCredentialData('hubSpotInvoiceSyncOAuth2Api', { useCustomBaseUrl: true, baseUrl: 'http://127.0.0.1:5555' });
		expect(data.accessTokenUrl).toBe('http://127.0.0.1:5555/oauth/v1/token');
		expect(data.authUrl).toBe('http://127.0.0.1:5555/oauth/authorize');
	});

	it('private-app token goes to the real API unless the Custom Base URL switch is on', async () => {
		const data = await resolveCredentialData('hubSpotInvoiceSyncAppTokenApi', { accessToken: 'x' });
		expect(data).toMatchObject({ useCustomBaseUrl: false });
		expect(data.baseUrl).toBeUndefined();
	});
});
