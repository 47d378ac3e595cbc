/**
 * Description pieces several nodes share: how a node picks its HubSpot credential. The credential
 * entries themselves are written out in each node class, where n8n's lint rules can read them.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

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
