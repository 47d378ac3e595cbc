/** Reads the HubSpot Invoice Upsert's parameters into a plain settings object. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { HubSpotAuthentication } from '../shared/transport/hubspot';

import { PAID_STATUS_MODES, type PaidStatusMode } from './payments';
import type { UpsertSettings } from './upsert';

export interface HubSpotUpsertSettings extends UpsertSettings {
	authentication: HubSpotAuthentication;
}

/** Defaults of the parameters (description.ts shows the same). */
export const DEFAULT_SETTINGS: UpsertSettings = { syncVoids: true, paidStatus: 'recordPayment' };

export function readSettings(context: IExecuteFunctions, itemIndex = 0): HubSpotUpsertSettings {
	const authentication = context.getNodeParameter('hubspotAuthentication', itemIndex, 'oAuth2') as string;
	if (authentication !== 'oAuth2' && authentication !== 'appToken') {
		throw new NodeOperationError(context.getNode(), `HubSpot Authentication "${authentication}" is not one this node supports: choose OAuth2 or Private App Token`);
	}
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		authentication,
		syncVoids: booleanSetting(context, 'syncVoids', options.syncVoids, DEFAULT_SETTINGS.syncVoids),
		paidStatus: paidStatusSetting(context, context.getNodeParameter('paidStatus', itemIndex, DEFAULT_SETTINGS.paidStatus)),
	};
}

function paidStatusSetting(context: IExecuteFunctions, value: unknown): PaidStatusMode {
	if (PAID_STATUS_MODES.includes(value as PaidStatusMode)) return value as PaidStatusMode;
	throw new NodeOperationError(context.getNode(), `Payments in HubSpot "${String(value)}" is not one of its choices: choose Record HubSpot Payments, Set Status to Paid or QuickBooks Properties Only`);
}

function booleanSetting(context: IExecuteFunctions, name: string, value: unknown, fallback: boolean): boolean {
	if (value === undefined) return fallback;
	if (typeof value !== 'boolean') throw new NodeOperationError(context.getNode(), `Option "${name}" must be true or false, not ${JSON.stringify(value)}`);
	return value;
}
