import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { processInvoices } from '../shared/execution';
import { upsertReadyItemSchema } from '../shared/invoiceContract';
import { searchQuickBooksItems } from '../shared/loadOptions/quickbooks';
import { HubSpotClient } from '../shared/transport/hubspot';
import { QuickBooksClient } from '../shared/transport/quickbooks';
import { upsertProperties } from './description';
import { readSettings } from './settings';
import { upsertInvoices } from './upsert';

export class QuickBooksInvoiceUpsert implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'QuickBooks Invoice Upsert',
		name: 'quickBooksInvoiceUpsert',
		icon: { light: 'file:quickBooksInvoiceUpsert.svg', dark: 'file:quickBooksInvoiceUpsert.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["writeBackToHubSpot"] ? "Create or Update · Write Back to HubSpot" : "Create or Update"}}',
		description: 'Creates or updates HubSpot invoices in QuickBooks Online exactly once (found by link and number), voids voided ones',
		defaults: { name: 'QuickBooks Invoice Upsert' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Not offered to AI agents: it works on the invoice items the trigger emits, which an agent
		// cannot supply (n8n makes a tool variant only when this is set).
		usableAsTool: undefined,
		credentials: [
			{ name: 'quickBooksInvoiceSyncOAuth2Api', required: true },
			{ name: 'hubSpotInvoiceSyncOAuth2Api', required: true, displayOptions: { show: { writeBackToHubSpot: [true], hubspotAuthentication: ['oAuth2'] } } },
			{ name: 'hubSpotInvoiceSyncAppTokenApi', required: true, displayOptions: { show: { writeBackToHubSpot: [true], hubspotAuthentication: ['appToken'] } } },
		],
		properties: upsertProperties,
	};

	methods = {
		listSearch: { searchQuickBooksItems },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const settings = readSettings(this);
		const { writeBack } = settings;
		return await processInvoices(this, upsertReadyItemSchema, async (invoices) => {
			const hubspot = writeBack ? async () => await HubSpotClient.create(this, writeBack.authentication) : undefined;
			return await upsertInvoices({ quickbooks: await QuickBooksClient.create(this), hubspot }, invoices, settings);
		});
	}
}
