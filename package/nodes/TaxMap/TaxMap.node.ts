import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { processInvoices } from '../shared/execution';
import { syncItemSchema } from '../shared/invoiceContract';
import { getHubSpotTaxRates } from '../shared/loadOptions/hubspot';
import { searchQuickBooksTaxCodes } from '../shared/loadOptions/quickbooks';
import { HubSpotClient } from '../shared/transport/hubspot';
import { QuickBooksClient } from '../shared/transport/quickbooks';
import { taxMapProperties } from './description';
import { resolveHubSpotTaxRates } from './hubSpotTaxRates';
import { resolveTaxCodes } from './resolveTaxCodes';
import { readSettings } from './settings';

export class TaxMap implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'QuickBooks Tax Map',
		name: 'taxMap',
		icon: { light: 'file:taxMap.svg', dark: 'file:taxMap.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{"Unmapped Tax Rates: " + ({error: "Fail the Invoice", nonTaxable: "Mark Non-Taxable", useDefault: "Use Default Code"})[$parameter["unmappedTaxRates"]]}}',
		description: 'Map tax on invoice lines: HubSpot tax rates to QuickBooks tax codes, or QuickBooks tax codes to HubSpot tax rates',
		defaults: { name: 'QuickBooks Tax Map' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Not offered to AI agents: it works on the invoice items the trigger emits, which an agent
		// cannot supply (n8n makes a tool variant only when this is set).
		usableAsTool: undefined,
		credentials: [
			{ name: 'quickBooksInvoiceSyncOAuth2Api', required: true, displayOptions: { hide: { destination: ['hubspot'] } } },
			{ name: 'hubSpotInvoiceSyncOAuth2Api', required: true, displayOptions: { show: { hubspotAuthentication: ['oAuth2'] } } },
			{ name: 'hubSpotInvoiceSyncAppTokenApi', required: true, displayOptions: { show: { hubspotAuthentication: ['appToken'] } } },
		],
		properties: taxMapProperties,
	};

	methods = {
		loadOptions: { getHubSpotTaxRates },
		listSearch: { searchQuickBooksTaxCodes },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const settings = readSettings(this);
		if ('destination' in settings) {
			// QuickBooks → HubSpot: HubSpot's tax rates read once, when an invoice has tax.
			return await processInvoices(this, syncItemSchema, async (invoices) =>
				await resolveHubSpotTaxRates(await HubSpotClient.create(this, settings.hubspotAuthentication), invoices, settings),
			);
		}
		// All invoices of the execution at once: one tax-model read, one tax-code check.
		return await processInvoices(this, syncItemSchema, async (invoices) =>
			await resolveTaxCodes(await QuickBooksClient.create(this), invoices, settings),
		);
	}
}
