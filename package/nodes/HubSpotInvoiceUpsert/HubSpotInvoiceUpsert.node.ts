import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { processInvoices } from '../shared/execution';
import { HubSpotClient } from '../shared/transport/hubspot';
import { hubSpotUpsertProperties } from './description';
import { upsertInputSchema } from './items';
import { readSettings } from './settings';
import { upsertToHubSpot } from './upsert';

export class HubSpotInvoiceUpsert implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubSpot Invoice Upsert',
		name: 'hubSpotInvoiceUpsert',
		icon: { light: 'file:hubSpotInvoiceUpsert.svg', dark: 'file:hubSpotInvoiceUpsert.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{"create or update; payments: " + {"recordPayment": "Record HubSpot Payments", "setStatus": "Set Status to Paid", "propertiesOnly": "QuickBooks Properties Only"}[$parameter["paidStatus"]]}}',
		description: 'Creates or updates QuickBooks invoices in HubSpot exactly once (found by their link), voids voided ones and shows QuickBooks payments',
		defaults: { name: 'HubSpot Invoice Upsert' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Not offered to AI agents: it works on the invoice items the trigger emits, which an agent
		// cannot supply (n8n makes a tool variant only when this is set).
		usableAsTool: undefined,
		credentials: [
			{ name: 'hubSpotInvoiceSyncOAuth2Api', required: true, displayOptions: { show: { hubspotAuthentication: ['oAuth2'] } } },
			{ name: 'hubSpotInvoiceSyncAppTokenApi', required: true, displayOptions: { show: { hubspotAuthentication: ['appToken'] } } },
		],
		properties: hubSpotUpsertProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Settings apply to the whole execution: the writes of all items are batched together.
		const settings = readSettings(this);
		return await processInvoices(this, upsertInputSchema, async (invoices) =>
			await upsertToHubSpot({ hubspot: await HubSpotClient.create(this, settings.authentication) }, invoices, settings),
		);
	}
}
