// A custom base URL (the local sandbox, a proxy) is an advanced, opt-in setting of each credential:
// the credential's face offers only the real APIs, and no token, client secret or API call goes
// anywhere else unless the user turned the setting on and typed the URL. n8n's credential editor
// saves `getNodeParameters(properties, data, false, false, null, null)`: only the fields shown.
import { NodeHelpers, type ICredentialType, type IDataObject, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import { HubSpotInvoiceSyncAppTokenApi } from '../package/credentials/HubSpotInvoiceSyncAppTokenApi.credentials';
import { HubSpotInvoiceSyncOAuth2Api } from '../package/credentials/HubSpotInvoiceSyncOAuth2Api.credentials';
import { QuickBooksInvoiceSyncOAuth2Api } from '../package/credentials/QuickBooksInvoiceSyncOAuth2Api.credentials';
import { customBaseUrl } from '../package/nodes/shared/transport/customBaseUrl';
import { HubSpotClient } from '../package/nodes/shared/transport/hubspot';
import { getQuickBooksConnection } from '../package/nodes/shared/transport/quickbooks';
import { resolveCredentialData } from './harness';

const PROXY = 'http://127.0.0.1:9999';
const connected = { oauthTokenData: { callbackQueryString: { realmId: '1' } } };

const credentialTypes: ICredentialType[] = [
	new QuickBooksInvoiceSyncOAuth2Api(),
	new HubSpotInvoiceSyncOAuth2Api(),
	new HubSpotInvoiceSyncAppTokenApi(),
];

const visible = (properties: INodeProperties[]) => properties.filter((property) => property.type !== 'hidden');

describe.each(credentialTypes.map((type) => [type.displayName, type] as const))('%s', (_name, type) => {
	it('offers only the real APIs as environments', () => {
		const environment = type.properties.find((property) => property.name === 'environment');
		const values = (environment?.options ?? []).map((option) => (option as { value: string }).value);
		expect(values).not.toContain('custom');
	});

	it('keeps the custom base URL behind an advanced switch that is off by default, shown last', () => {
		const shown = visible(type.properties);
		const toggle = shown.find((property) => property.name === 'useCustomBaseUrl')!;
		expect(toggle).toMatchObject({ type: 'boolean', default: false });
		expect(toggle.displayName).toMatch(/advanced/i);
		expect(toggle.description).toMatch(/testing|proxy/i);
		const url = shown.find((property) => property.name === 'baseUrl')!;
		expect(url.displayOptions).toEqual({ show: { useCustomBaseUrl: [true] } });
		expect(url.default).toBe('');
		expect(shown.slice(-2).map((property) => property.name)).toEqual(['useCustomBaseUrl', 'baseUrl']);
	});
});

describe('what the credential editor saves', () => {
	const saved = (type: ICredentialType, data: IDataObject) => NodeHelpers.getNodeParameters(type.properties, data as INodeParameters, false, false, null, null) ?? {};

	it.each(credentialTypes.map((type) => [type.displayName, type] as const))('%s: the base URL only with the switch on', (_name, type) => {
		expect(saved(type, { useCustomBaseUrl: false, baseUrl: PROXY })).not.toHaveProperty('baseUrl');
		expect(saved(type, { baseUrl: PROXY })).not.toHaveProperty('baseUrl');
		expect(saved(type, { useCustomBaseUrl: true, baseUrl: PROXY })).toMatchObject({ useCustomBaseUrl: true, baseUrl: PROXY });
	});
});

describe('customBaseUrl', () => {
	it('is the URL only when the user turned the switch on and typed one, without trailing slashes', () => {
		expect(customBaseUrl({ useCustomBaseUrl: true, baseUrl: `${PROXY}/` })).toBe(PROXY);
		expect(customBaseUrl({ useCustomBaseUrl: true, baseUrl: '  ' })).toBeUndefined();
		expect(customBaseUrl({ useCustomBaseUrl: false, baseUrl: PROXY })).toBeUndefined();
		expect(customBaseUrl({ environment: 'custom', baseUrl: PROXY })).toBeUndefined();
		expect(customBaseUrl({ baseUrl: PROXY })).toBeUndefined();
	});
});

describe('QuickBooks: where tokens and calls go', () => {
	const connection = (credentials: IDataObject) =>
		getQuickBooksConnection({ getCredentials: async () => ({ ...connected, ...credentials }) } as never);

	it('goes to Intuit while the switch is off, whatever base URL is stored', async () => {
		const data = await resolveCredentialData('quickBooksInvoiceSyncOAuth2Api', { environment: 'production', useCustomBaseUrl: false, baseUrl: PROXY });
		expect(data.authUrl).toBe('https://appcenter.intuit.com/connect/oauth2');
		expect(data.accessTokenUrl).toBe('https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer');
		expect((await connection({ environment: 'production', useCustomBaseUrl: false, baseUrl: PROXY })).apiBaseUrl).toBe('https://quickbooks.api.intuit.com');
	});

	it('goes to the typed URL once the switch is on', async () => {
		const data = await resolveCredentialData('quickBooksInvoiceSyncOAuth2Api', { environment: 'production', useCustomBaseUrl: true, baseUrl: `${PROXY}/` });
		expect(data.authUrl).toBe(`${PROXY}/connect/oauth2`);
		expect(data.accessTokenUrl).toBe(`${PROXY}/oauth2/v1/tokens/bearer`);
		const chosen = await connection({ environment: 'production', useCustomBaseUrl: true, baseUrl: PROXY });
		expect(chosen).toMatchObject({ apiBaseUrl: PROXY, appBaseUrl: PROXY });
	});
});

describe('HubSpot: where tokens and calls go', () => {
	const client = (authentication: 'oAuth2' | 'appToken', credentials: IDataObject) =>
		HubSpotClient.create({ getCredentials: async () => credentials } as never, authentication);

	it('goes to HubSpot while the switch is off, whatever base URL is stored', async () => {
		const data = await resolveCredentialData('hubSpotInvoiceSyncOAuth2Api', { environment: 'production', useCustomBaseUrl: false, baseUrl: PROXY });
		expect(data.authUrl).toBe('https://app.hubspot.com/oauth/authorize');
		expect(data.accessTokenUrl).toBe('https://api.hubapi.com/oauth/v1/token');
		expect((await client('oAuth2', { useCustomBaseUrl: false, baseUrl: PROXY })).baseUrl).toBe('https://api.hubapi.com');
		expect((await client('appToken', { accessToken: 'x', useCustomBaseUrl: false, baseUrl: PROXY })).baseUrl).toBe('https://api.hubapi.com');
	});

	it('goes to the typed URL once the switch is on', async () => {
		const data = await resolveCredentialData('hubSpotInvoiceSyncOAuth2Api', { environment: 'production', useCustomBaseUrl: true, baseUrl: PROXY });
		expect(data.authUrl).toBe(`${PROXY}/oauth/authorize`);
		expect(data.accessTokenUrl).toBe(`${PROXY}/oauth/v1/token`);
		expect((await client('oAuth2', { useCustomBaseUrl: true, baseUrl: PROXY })).baseUrl).toBe(PROXY);
		expect((await client('appToken', { accessToken: 'x', useCustomBaseUrl: true, baseUrl: PROXY })).baseUrl).toBe(PROXY);
	});

	it('tests a token credential against HubSpot unless the switch is on', () => {
		const test = new HubSpotInvoiceSyncAppTokenApi().test.request.baseURL as string;
		const evaluate = (credentials: IDataObject) =>
			new Function('$credentials', `return (${test.replace(/^=\{\{/, '').replace(/\}\}$/, '')});`)(credentials);
		expect(evaluate({ useCustomBaseUrl: false, baseUrl: PROXY })).toBe('https://api.hubapi.com');
		expect(evaluate({ baseUrl: PROXY })).toBe('https://api.hubapi.com');
		expect(evaluate({ useCustomBaseUrl: true, baseUrl: `${PROXY}/` })).toBe(PROXY);
	});
});
