/** SKU Match's parameters, read once per execution into plain settings, per operation. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { locatorValue, oneOf, optionsCollection } from '../shared/parameters';
import type { HubSpotAuthentication } from '../shared/transport/hubspot';
import { DESTINATIONS } from '../shared/destination';
import type { ProblemKind } from './catalogAudit';
import type { HubSpotMatchSettings } from './matchHubSpotProducts';
import type { MatchOn, MatchOptions } from './skuMatching';

export type IfNotFound = 'error' | 'useFallback' | 'create';
export type IfInactive = 'error' | 'reactivate';
export type NewItemType = 'Service' | 'NonInventory';

export interface MatchSettings {
	operation: 'matchInvoiceLines';
	destination?: 'quickbooks';
	match: MatchOptions;
	ifNotFound: IfNotFound;
	ifInactive: IfInactive;
	fallbackItemId: string;
	newItemType: NewItemType;
	incomeAccountId: string;
	/** Sent on every create when set; UK and Canadian companies require it. */
	expenseAccountId: string;
}

export interface AuditSettings {
	operation: 'auditCatalogs';
	hubspotAuthentication: HubSpotAuthentication;
	/** Kinds of problems left out of the output and the summary. */
	ignore: ProblemKind[];
}

/** Destination HubSpot: QuickBooks invoice lines get HubSpot products (matched only, never created). */
export interface HubSpotMatchLinesSettings extends HubSpotMatchSettings {
	operation: 'matchInvoiceLines';
	destination: 'hubspot';
	hubspotAuthentication: HubSpotAuthentication;
}

export type SkuMatchSettings = MatchSettings | HubSpotMatchLinesSettings | AuditSettings;

/** Item 0's parameters: lookups are batched across all items, so the settings cannot differ per item. */
export function readSettings(context: IExecuteFunctions, itemIndex = 0): SkuMatchSettings {
	const operation = oneOf(context, 'Operation', context.getNodeParameter('operation', itemIndex, 'matchInvoiceLines'), ['matchInvoiceLines', 'auditCatalogs'] as const);
	if (operation === 'auditCatalogs') return readAuditSettings(context, itemIndex);
	const destination = oneOf(context, 'Destination', context.getNodeParameter('destination', itemIndex, 'quickbooks'), DESTINATIONS);
	return destination === 'hubspot' ? readHubSpotMatchSettings(context, itemIndex) : readMatchSettings(context, itemIndex);
}

function readHubSpotMatchSettings(context: IExecuteFunctions, itemIndex: number): HubSpotMatchLinesSettings {
	const options = optionsCollection(context.getNodeParameter('options', itemIndex, {}));
	return {
		operation: 'matchInvoiceLines',
		destination: 'hubspot',
		hubspotAuthentication: oneOf(context, 'HubSpot Authentication', context.getNodeParameter('hubspotAuthentication', itemIndex, 'oAuth2'), ['oAuth2', 'appToken'] as const),
		match: { matchOn: 'sku', caseSensitive: !(options.caseInsensitive === true), trimSpaces: options.trimSpaces === true },
	};
}

function readMatchSettings(context: IExecuteFunctions, itemIndex: number): MatchSettings {
	const options = optionsCollection(context.getNodeParameter('options', itemIndex, {}));
	const ifNotFound = oneOf(context, 'If Not Found', context.getNodeParameter('ifNotFound', itemIndex, 'error'), ['error', 'useFallback', 'create'] as const);
	const creating = ifNotFound === 'create';
	// Resource locators; an older workflow's plain Id string is read the same way.
	const locator = (name: string) => locatorValue(context.getNodeParameter(name, itemIndex, ''));
	return {
		operation: 'matchInvoiceLines',
		match: {
			matchOn: oneOf(context, 'Match On', options.matchOn ?? 'sku', ['sku', 'name', 'skuThenName'] as const) as MatchOn,
			caseSensitive: !(options.caseInsensitive === true),
			trimSpaces: options.trimSpaces === true,
		},
		ifNotFound,
		ifInactive: oneOf(context, 'If Inactive', context.getNodeParameter('ifInactive', itemIndex, 'error'), ['error', 'reactivate'] as const),
		fallbackItemId: ifNotFound === 'useFallback' ? locator('fallbackItemId') : '',
		newItemType: creating ? oneOf(context, 'New Product Type', context.getNodeParameter('newItemType', itemIndex, 'Service'), ['Service', 'NonInventory'] as const) : 'Service',
		incomeAccountId: creating ? locator('incomeAccountId') : '',
		expenseAccountId: creating ? locator('expenseAccountId') : '',
	};
}

function readAuditSettings(context: IExecuteFunctions, itemIndex: number): AuditSettings {
	const options = optionsCollection(context.getNodeParameter('auditOptions', itemIndex, {}));
	const ignore = Array.isArray(options.ignoreProblems) ? options.ignoreProblems : [];
	return {
		operation: 'auditCatalogs',
		hubspotAuthentication: oneOf(context, 'HubSpot Authentication', context.getNodeParameter('hubspotAuthentication', itemIndex, 'oAuth2'), ['oAuth2', 'appToken'] as const),
		ignore: ignore as ProblemKind[],
	};
}
