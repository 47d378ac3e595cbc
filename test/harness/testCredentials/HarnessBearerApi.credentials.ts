import type { IAuthenticateGeneric, ICredentialType, INodeProperties } from 'n8n-workflow';

/** Test-only access-token credential with generic Bearer authentication. */
export class HarnessBearerApi implements ICredentialType {
	name = 'harnessBearerApi';

	displayName = 'Harness Bearer API';

	documentationUrl = 'https://example.com/docs';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};
}
