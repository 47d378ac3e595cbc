/** Tax Map's parameters, read once per execution into plain settings and checked. */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { parameterText } from '../shared/text';

import type { TaxMapSettings, TaxMappingRow, UnmappedPolicy } from './taxResolution';

const POLICIES: UnmappedPolicy[] = ['error', 'useDefault', 'nonTaxable'];

/**
 * Item 0's parameters (the tax codes of all items are checked together); a mapping that makes no
 * sense is a NodeOperationError for the person configuring the node.
 */
export function readSettings(context: IExecuteFunctions, itemIndex = 0): TaxMapSettings {
	const settings = readTaxMapSettings({
		mappings: context.getNodeParameter('mappings.mapping', itemIndex, []),
		unmappedPolicy: context.getNodeParameter('unmappedTaxRates', itemIndex, 'error'),
		defaultTaxCode: context.getNodeParameter('defaultTaxCode', itemIndex, ''),
		options: context.getNodeParameter('options', itemIndex, {}),
	});
	if (typeof settings === 'string') throw new NodeOperationError(context.getNode(), settings);
	return settings;
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
		const quickbooksTaxCodeId = parameterText(row?.quickbooksTaxCode);
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
	const defaultTaxCodeId = parameterText(parameters.defaultTaxCode);
	if (unmappedPolicy === 'useDefault' && !defaultTaxCodeId) {
		return 'Unmapped Tax Rates is "Use Default Code" but no Default Tax Code is chosen';
	}
	const options = (parameters.options ?? {}) as Record<string, unknown>;
	const noTaxCodeId = parameterText(options.noTaxCode);
	return {
		mappings,
		unmappedPolicy,
		...(unmappedPolicy === 'useDefault' ? { defaultTaxCodeId } : {}),
		...(noTaxCodeId ? { noTaxCodeId } : {}),
	};
}
