import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** Test-only OAuth2 credential shaped like QuickBooks' (extends n8n's oAuth2Api). */
export class HarnessOAuth2Api implements ICredentialType {
	name = 'harnessOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Harness OAuth2 API';

	documentationUrl = 'https://example.com/docs';

	properties: INodeProperties[] = [
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: 'https://auth.harness.test/authorize',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: 'https://auth.harness.test/oauth2/token',
		},
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: 'accounting' },
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: '' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'header' },
	];
}
