import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

/** A HubSpot private-app access token: what most ops teams create under Settings → Integrations. */
export class HubSpotInvoiceSyncAppTokenApi implements ICredentialType {
	name = 'hubSpotInvoiceSyncAppTokenApi';

	displayName = 'HubSpot Invoice Sync Private App Token API';

	icon: Icon = { light: 'file:hubspot.svg', dark: 'file:hubspot.dark.svg' };

	documentationUrl = 'https://developers.hubspot.com/docs/api/private-apps';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The private app access token. The app needs the invoice, line item, contact, company, product and tax rate scopes.',
		},
		{
			displayName: 'Client Secret (for Webhooks)',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				"Only for the HubSpot Invoice Webhook Trigger: the private app's client secret (its Auth tab), which HubSpot signs every webhook request with. Leave empty otherwise.",
		},
		{
			displayName: 'Custom Base URL (Advanced, for Testing)',
			name: 'useCustomBaseUrl',
			type: 'boolean',
			default: false,
			description:
				'Whether to send every call to a URL of your own instead of HubSpot: a local sandbox for testing, or a proxy you run. The access token goes there too, so leave it off for real accounts.',
		},
		{
			displayName: 'Custom Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:4010',
			required: true,
			description: 'The local sandbox serves /crm here',
			displayOptions: { show: { useCustomBaseUrl: [true] } },
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			// As the transport's customBaseUrl: the switch on and a URL typed, else HubSpot.
			baseURL:
				'={{ $credentials.useCustomBaseUrl === true && String($credentials.baseUrl || "").trim() ? String($credentials.baseUrl).trim().replace(/\\/+$/, "") : "https://api.hubapi.com" }}',
			url: '/crm/v3/objects/invoices',
			qs: { limit: 1 },
		},
	};
}
