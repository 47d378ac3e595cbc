import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * Scopes the nodes need: read invoices and everything an invoice refers to (discounts and fees are
 * read with the line-item scope), write invoices for the sync-status write-back, and manage invoice
 * properties so the write-back can create its own. The QuickBooks → HubSpot direction also creates
 * contacts, companies, line items and payments. `oauth` is required by every HubSpot app: an
 * authorize request without it is refused.
 */
const scopes = [
	'oauth',
	'crm.objects.invoices.read',
	'crm.objects.invoices.write',
	'crm.objects.line_items.read',
	'crm.objects.line_items.write',
	'crm.objects.contacts.read',
	'crm.objects.contacts.write',
	'crm.objects.companies.read',
	'crm.objects.companies.write',
	'crm.objects.products.read',
	'crm.objects.commercepayments.read',
	'crm.objects.commercepayments.write',
	'crm.schemas.invoices.read',
	'crm.schemas.invoices.write',
	'tax_rates.read',
];

export class HubSpotInvoiceSyncOAuth2Api implements ICredentialType {
	name = 'hubSpotInvoiceSyncOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'HubSpot Invoice Sync OAuth2 API';

	icon: Icon = { light: 'file:hubspot.svg', dark: 'file:hubspot.dark.svg' };

	documentationUrl = 'https://developers.hubspot.com/docs/api/working-with-oauth';

	properties: INodeProperties[] = [
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
				'={{ ($self["useCustomBaseUrl"] === true && String($self["baseUrl"] || "").trim()) ? $self["baseUrl"].trim().replace(/\\/+$/, "") + "/oauth/authorize" : "https://app.hubspot.com/oauth/authorize" }}',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default:
				'={{ ($self["useCustomBaseUrl"] === true && String($self["baseUrl"] || "").trim()) ? $self["baseUrl"].trim().replace(/\\/+$/, "") + "/oauth/v1/token" : "https://api.hubapi.com/oauth/v1/token" }}',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: scopes.join(' '),
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
			default: 'body',
		},
		{
			displayName: 'Custom Base URL (Advanced, for Testing)',
			name: 'useCustomBaseUrl',
			type: 'boolean',
			default: false,
			description:
				'Whether to send every call to a URL of your own instead of HubSpot: a local sandbox for testing, or a proxy you run. The access token and the client secret go there too, so leave it off for real accounts.',
		},
		{
			displayName: 'Custom Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:4010',
			required: true,
			description: 'The local sandbox serves /crm, /oauth/authorize and /oauth/v1/token here',
			displayOptions: { show: { useCustomBaseUrl: [true] } },
		},
	];
}
