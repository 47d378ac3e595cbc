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
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.hubapi.com',
			description: 'Change only to use the local sandbox or a proxy',
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
			baseURL: '={{$credentials.baseUrl.replace(/\\/$/, "")}}',
			url: '/crm/v3/objects/invoices',
			qs: { limit: 1 },
		},
	};
}
