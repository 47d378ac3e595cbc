/** Customer Resolve's parameters, read once per execution into plain settings, per destination. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { oneOf, optionsCollection } from '../shared/parameters';
import type { HubSpotAuthentication } from '../shared/transport/hubspot';
import type { HubSpotContactSettings } from './resolveContacts';

export interface CustomerResolveSettings {
	destination?: 'quickbooks';
	ifNotFound: 'create' | 'error';
	ifInactive: 'error' | 'reactivate';
	/** Multicurrency companies: what to do when the email's customers are all in other currencies. */
	ifOtherCurrency: 'createPerCurrency' | 'error';
	/** Compare emails character for character instead of trimmed and ignoring case. */
	exactEmailMatch: boolean;
	sanitizeNames: boolean;
}

/** Destination HubSpot: QuickBooks invoices get their HubSpot contact and company. */
export interface ContactResolveSettings extends HubSpotContactSettings {
	destination: 'hubspot';
	hubspotAuthentication: HubSpotAuthentication;
}

/** Item 0's parameters: the lookups and writes of all items are batched together, so one set applies to all. */
export function readSettings(context: IExecuteFunctions, itemIndex = 0): CustomerResolveSettings | ContactResolveSettings {
	const destination = oneOf(context, 'Destination', context.getNodeParameter('destination', itemIndex, 'quickbooks'), ['quickbooks', 'hubspot'] as const);
	const ifNotFound = oneOf(context, 'If Not Found', context.getNodeParameter('ifNotFound', itemIndex, 'create'), ['create', 'error'] as const);
	if (destination === 'hubspot') {
		return {
			destination,
			hubspotAuthentication: oneOf(context, 'HubSpot Authentication', context.getNodeParameter('hubspotAuthentication', itemIndex, 'oAuth2'), ['oAuth2', 'appToken'] as const),
			ifNotFound,
			companies: oneOf(context, 'Companies', context.getNodeParameter('hubspotCompanies', itemIndex, 'create'), ['create', 'matchOnly', 'none'] as const),
		};
	}
	const options = optionsCollection(context.getNodeParameter('options', itemIndex, {}));
	return {
		destination,
		ifNotFound,
		ifInactive: oneOf(context, 'If Inactive', context.getNodeParameter('ifInactive', itemIndex, 'error'), ['error', 'reactivate'] as const),
		ifOtherCurrency: options.ifOtherCurrency === 'error' ? 'error' : 'createPerCurrency',
		exactEmailMatch: options.exactEmailMatch === true,
		sanitizeNames: options.sanitizeNames === true,
	};
}
