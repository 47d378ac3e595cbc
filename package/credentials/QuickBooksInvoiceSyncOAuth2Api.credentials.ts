import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * Intuit's authorize and token URLs are the same for sandbox and production companies; only the
 * API host differs. The advanced "Custom Base URL" points all three at the local sandbox or a proxy.
 */
export class QuickBooksInvoiceSyncOAuth2Api implements ICredentialType {
	name = 'quickBooksInvoiceSyncOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'QuickBooks Online Invoice Sync OAuth2 API';

	icon: Icon = { light: 'file:quickbooks.svg', dark: 'file:quickbooks.dark.svg' };

	documentationUrl = 'https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production' },
				{ name: 'Sandbox (Intuit Developer)', value: 'sandbox' },
			],
			default: 'production',
			description: 'Production for real companies; Sandbox for the sandbox companies of an Intuit developer account',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default:
				'={{ ($self["useCustomBaseUrl"] === true && String($self["baseUrl"] || "").trim()) ? $self["baseUrl"].trim().replace(/\\/+$/, "") + "/connect/oauth2" : "https://appcenter.intuit.com/connect/oauth2" }}',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default:
				'={{ ($self["useCustomBaseUrl"] === true && String($self["baseUrl"] || "").trim()) ? $self["baseUrl"].trim().replace(/\\/+$/, "") + "/oauth2/v1/tokens/bearer" : "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer" }}',
		},
		{
			displayName: 'Company ID (Realm ID) Override',
			name: 'realmIdOverride',
			type: 'string',
			default: '',
			description:
				'Leave empty: the company ID comes from the OAuth connection. Set it only to address a different company the same connection can reach.',
		},
		{
			// On the credential because Intuit's limit is per company, and the credential is the company.
			displayName: 'Max Requests in Flight (per n8n Process)',
			name: 'maxRequestsInFlight',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: 8,
			description:
				'QuickBooks refuses more than 10 requests at once per company (HTTP 429). Each n8n process (each queue-mode worker) keeps its own count, so set ⌊10 ÷ processes that run executions⌋: 5 for two workers, 3 for three. One process: 8.',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: 'com.intuit.quickbooks.accounting',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
		{
			displayName: 'Custom Base URL (Advanced, for Testing)',
			name: 'useCustomBaseUrl',
			type: 'boolean',
			default: false,
			description:
				'Whether to send every call to a URL of your own instead of Intuit: a local sandbox for testing, or a proxy you run. The access token and the client secret go there too, so leave it off for real accounts.',
		},
		{
			displayName: 'Custom Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:4020',
			required: true,
			description: 'The local sandbox serves /v3, /connect/oauth2 and /oauth2/v1/tokens/bearer here',
			displayOptions: { show: { useCustomBaseUrl: [true] } },
		},
	];
}
