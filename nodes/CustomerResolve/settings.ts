/** Customer Resolve's parameters, read once per execution into plain settings. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { oneOf, optionsCollection } from '../shared/parameters';

export interface CustomerResolveSettings {
	ifNotFound: 'create' | 'error';
	ifInactive: 'error' | 'reactivate';
	/** Multicurrency companies: what to do when the email's customers are all in other currencies. */
	ifOtherCurrency: 'createPerCurrency' | 'error';
	/** Compare emails character for character instead of trimmed and ignoring case. */
	exactEmailMatch: boolean;
	sanitizeNames: boolean;
}

/** Item 0's parameters: the lookups and writes of all items are batched together, so one set applies to all. */
export function readSettings(context: IExecuteFunctions, itemIndex = 0): CustomerResolveSettings {
	const options = optionsCollection(context.getNodeParameter('options', itemIndex, {}));
	return {
		ifNotFound: oneOf(context, 'If Not Found', context.getNodeParameter('ifNotFound', itemIndex, 'create'), ['create', 'error'] as const),
		ifInactive: oneOf(context, 'If Inactive', context.getNodeParameter('ifInactive', itemIndex, 'error'), ['error', 'reactivate'] as const),
		ifOtherCurrency: options.ifOtherCurrency === 'error' ? 'error' : 'createPerCurrency',
		exactEmailMatch: options.exactEmailMatch === true,
		sanitizeNames: options.sanitizeNames === true,
	};
}
