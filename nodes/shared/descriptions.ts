/**
 * Description pieces several nodes share: how a node picks its HubSpot credential, and the
 * credential entries that go with that choice.
 */
import type { INodeCredentialDescription, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { HUBSPOT_CREDENTIAL_TYPES } from './transport/hubspot';
import { QUICKBOOKS_CREDENTIAL_TYPE } from './transport/quickbooks';

type Show = Record<string, Array<string | boolean>>;

const HUBSPOT_AUTHENTICATION_OPTIONS: INodePropertyOptions[] = [
	{ name: 'OAuth2', value: 'oAuth2' },
	{ name: 'Private App Token', value: 'appToken' },
];

/** The node parameter that chooses the HubSpot credential, in every node: 'oAuth2' | 'appToken' (| 'none'). */
export const HUBSPOT_AUTHENTICATION_PARAMETER = 'hubspotAuthentication';

/** The "HubSpot Authentication" selector (OAuth2 first, as n8n's UX guidelines ask). */
export function hubSpotAuthenticationProperty(options: {
	displayName?: string;
	description?: string;
	show?: Show;
	/** Label of an extra "none" choice for nodes that work without HubSpot. */
	noneLabel?: string;
}): INodeProperties {
	return {
		displayName: options.displayName ?? 'HubSpot Authentication',
		name: HUBSPOT_AUTHENTICATION_PARAMETER,
		type: 'options',
		options: [...(options.noneLabel ? [{ name: options.noneLabel, value: 'none' }] : []), ...HUBSPOT_AUTHENTICATION_OPTIONS],
		default: 'oAuth2',
		...(options.description ? { description: options.description } : {}),
		...(options.show ? { displayOptions: { show: options.show } } : {}),
	};
}

/** The two HubSpot credential entries, each shown when the selector picks it. */
export function hubSpotCredentials(show: Show = {}): INodeCredentialDescription[] {
	return (['oAuth2', 'appToken'] as const).map((authentication) => ({
		name: HUBSPOT_CREDENTIAL_TYPES[authentication],
		required: true,
		displayOptions: { show: { ...show, [HUBSPOT_AUTHENTICATION_PARAMETER]: [authentication] } },
	}));
}

export const quickBooksCredential: INodeCredentialDescription = { name: QUICKBOOKS_CREDENTIAL_TYPE, required: true };
