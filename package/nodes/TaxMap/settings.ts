/** Tax Map's parameters, read once per execution into plain settings and checked. */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { DESTINATIONS } from '../shared/destination';
import { locatorValue, oneOf } from '../shared/parameters';
import { parameterText } from '../shared/text';
import type { HubSpotAuthentication } from '../shared/transport/hubspot';

import type { HubSpotTaxSettings } from './hubSpotTaxRates';
import type { TaxMapSettings, TaxMappingRow, UnmappedPolicy } from './taxResolution';

/** Destination HubSpot: the mapping table read from QuickBooks tax codes to HubSpot tax rates. */
export interface HubSpotTaxMapSettings extends HubSpotTaxSettings {
	destination: 'hubspot';
	hubspotAuthentication: HubSpotAuthentication;
}

const POLICIES: UnmappedPolicy[] = ['error', 'useDefault', 'nonTaxable'];

/**
 * Item 0's parameters (the tax codes of all items are checked together); a mapping that makes no
 * sense is a NodeOperationError for the person configuring the node.
 */
export function readSettings(context: IExecuteFunctions, itemIndex = 0): TaxMapSettings | HubSpotTaxMapSettings {
	if (oneOf(context, 'Destination', context.getNodeParameter('destination', itemIndex, 'quickbooks'), DESTINATIONS) === 'hubspot') {
		return readHubSpotSettings(context, itemIndex);
	}
	const settings = readTaxMapSettings({
		mappings: context.getNodeParameter('mappings.mapping', itemIndex, []),
		unmappedPolicy: context.getNodeParameter('unmappedTaxRates', itemIndex, 'error'),
		defaultTaxCode: context.getNodeParameter('defaultTaxCode', itemIndex, ''),
		options: context.getNodeParameter('options', itemIndex, {}),
	});
	if (typeof settings === 'string') throw new NodeOperationError(context.getNode(), settings);
	return settings;
}

function readHubSpotSettings(context: IExecuteFunctions, itemIndex: number): HubSpotTaxMapSettings {
	const settings = readHubSpotTaxSettings(context.getNodeParameter('mappings.mapping', itemIndex, []), context.getNodeParameter('unmappedTaxRates', itemIndex, 'error'));
	if (typeof settings === 'string') throw new NodeOperationError(context.getNode(), settings);
	const hubspotAuthentication = oneOf(context, 'HubSpot Authentication', context.getNodeParameter('hubspotAuthentication', itemIndex, 'oAuth2'), ['oAuth2', 'appToken', 'none'] as const);
	if (hubspotAuthentication === 'none') throw new NodeOperationError(context.getNode(), 'Destination HubSpot needs a HubSpot connection: choose one in "HubSpot Authentication"');
	return { destination: 'hubspot', hubspotAuthentication, ...settings };
}

/**
 * The checks for Destination HubSpot on the raw values: the same rows as for QuickBooks, so the
 * same checks, and a QuickBooks code paired with two HubSpot rates cannot be read backwards.
 */
export function readHubSpotTaxSettings(mappings: unknown, unmappedPolicy: unknown): HubSpotTaxSettings | string {
	const checked = readTaxMapSettings({ mappings, unmappedPolicy: 'error', defaultTaxCode: '', options: {} });
	if (typeof checked === 'string') return checked;
	for (const row of checked.mappings) {
		const clash = checked.mappings.find((entry) => entry.quickbooksTaxCodeId === row.quickbooksTaxCodeId && entry.hubspotTaxRate !== row.hubspotTaxRate);
		if (clash) return `QuickBooks tax code ${row.quickbooksTaxCodeId} is mapped to HubSpot tax rates ${row.hubspotTaxRate} and ${clash.hubspotTaxRate}: with Destination HubSpot each code needs one rate`;
	}
	if (unmappedPolicy === 'useDefault') return 'Unmapped Tax Rates "Use Default Code" picks a QuickBooks code: with Destination HubSpot choose "Fail the Invoice" or "Mark Non-Taxable"';
	return { mappings: checked.mappings, unmappedPolicy: unmappedPolicy === 'nonTaxable' ? 'nonTaxable' : 'error' };
}

/** The checks of readSettings on the raw parameter values: the settings, or the problem's message. */
export function readTaxMapSettings(parameters: {
	mappings: unknown;
	unmappedPolicy: unknown;
	defaultTaxCode: unknown;
	options: unknown;
}): TaxMapSettings | string {
	const rows = Array.isArray(parameters.mappings) ? (parameters.mappings as Array<Record<string, unknown>>) : [];
	const mappings: TaxMappingRow[] = [];
	for (const [index, row] of rows.entries()) {
		const hubspotTaxRate = parameterText(row?.hubspotTaxRate);
		const quickbooksTaxCodeId = locatorValue(row?.quickbooksTaxCode);
		if (!hubspotTaxRate && !quickbooksTaxCodeId) continue;
		if (!hubspotTaxRate) return `Tax mapping ${index + 1} has no HubSpot tax rate: choose one or remove the mapping`;
		if (!quickbooksTaxCodeId) return `Tax mapping ${index + 1} (HubSpot tax rate ${hubspotTaxRate}) has no QuickBooks tax code: choose one or remove the mapping`;
		const clash = mappings.find((entry) => entry.hubspotTaxRate === hubspotTaxRate && entry.quickbooksTaxCodeId !== quickbooksTaxCodeId);
		if (clash) {
			return `HubSpot tax rate ${hubspotTaxRate} is mapped twice, to QuickBooks tax codes ${clash.quickbooksTaxCodeId} and ${quickbooksTaxCodeId}: keep one mapping`;
		}
		mappings.push({ hubspotTaxRate, quickbooksTaxCodeId });
	}
	const unmappedPolicy = POLICIES.includes(parameters.unmappedPolicy as UnmappedPolicy) ? (parameters.unmappedPolicy as UnmappedPolicy) : 'error';
	const defaultTaxCodeId = locatorValue(parameters.defaultTaxCode);
	if (unmappedPolicy === 'useDefault' && !defaultTaxCodeId) {
		return 'Unmapped Tax Rates is "Use Default Code" but no Default Tax Code is chosen';
	}
	const options = (parameters.options ?? {}) as Record<string, unknown>;
	const noTaxCodeId = locatorValue(options.noTaxCode);
	return {
		mappings,
		unmappedPolicy,
		...(unmappedPolicy === 'useDefault' ? { defaultTaxCodeId } : {}),
		...(noTaxCodeId ? { noTaxCodeId } : {}),
	};
}
