import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { searchQuickBooksExpenseAccounts, searchQuickBooksIncomeAccounts, searchQuickBooksItems } from '../shared/loadOptions/quickbooks';
import * as audit from './actions/audit.operation';
import * as match from './actions/match.operation';
import { skuMatchProperties } from './description';
import { readSettings } from './settings';

export class SkuMatch implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'QuickBooks SKU Match',
		name: 'skuMatch',
		icon: { light: 'file:skuMatch.svg', dark: 'file:skuMatch.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "auditCatalogs" ? "Audit Catalogs" : $parameter["destination"] === "hubspot" ? "Match Invoice Lines in HubSpot" : "Match Invoice Lines in QuickBooks · If Not Found: " + ({error: "Fail the Invoice", useFallback: "Use a Fallback Product", create: "Create the Product"})[$parameter["ifNotFound"]]}}',
		description: 'Match invoice lines to products by SKU (QuickBooks products for HubSpot invoices, HubSpot products for QuickBooks invoices), or audit both catalogs for SKU mismatches',
		defaults: { name: 'QuickBooks SKU Match' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		// HubSpot where HubSpot Authentication is shown (the audit, matching in HubSpot); QuickBooks except for matching in HubSpot.
		credentials: [
			{ name: 'quickBooksInvoiceSyncOAuth2Api', required: true, displayOptions: { hide: { destination: ['hubspot'] } } },
			{ name: 'hubSpotInvoiceSyncOAuth2Api', required: true, displayOptions: { show: { hubspotAuthentication: ['oAuth2'] } } },
			{ name: 'hubSpotInvoiceSyncAppTokenApi', required: true, displayOptions: { show: { hubspotAuthentication: ['appToken'] } } },
		],
		properties: skuMatchProperties,
	};

	methods = {
		listSearch: { searchQuickBooksItems, searchQuickBooksIncomeAccounts, searchQuickBooksExpenseAccounts },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const settings = readSettings(this);
		if (settings.operation === 'auditCatalogs') return await audit.execute.call(this, settings);
		return await match.execute.call(this, settings);
	}
}
