import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { processInvoices } from '../shared/execution';
import { upsertReadyItemSchema } from '../shared/invoiceContract';
import { hubSpotCredentials, quickBooksCredential } from '../shared/descriptions';
import { getQuickBooksItems } from '../shared/loadOptions/quickbooks';
import { HubSpotClient, type HubSpotAuthentication } from '../shared/transport/hubspot';
import { QuickBooksClient } from '../shared/transport/quickbooks';
import { upsertProperties } from './description';
import { toUpsertOptions } from './options';
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
		// NodeConnectionTypes.Main is 'main'; the rule only recognises the string literal.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-inputs-wrong-regular-node
		inputs: [NodeConnectionTypes.Main],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: [NodeConnectionTypes.Main],
		credentials: [quickBooksCredential, ...hubSpotCredentials({ writeBackToHubSpot: [true] })],
		properties: upsertProperties,
	};

	methods = {
		loadOptions: { getQuickBooksItems },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Settings apply to the whole execution: the writes of all items are batched together.
		const options = toUpsertOptions(this.getNodeParameter('options', 0, {}) as IDataObject);
		const writeBack = this.getNodeParameter('writeBackToHubSpot', 0, false) as boolean;
		const authentication = writeBack ? (this.getNodeParameter('hubspotAuthentication', 0, 'oAuth2') as HubSpotAuthentication) : undefined;
		return await processInvoices(this, upsertReadyItemSchema, async (invoices) => {
			const quickbooks = await QuickBooksClient.create(this);
			return await upsertInvoices(
				{
					quickbooks,
					hubspot: authentication ? async () => await HubSpotClient.create(this, authentication) : undefined,
					options,
					requestIdSalt: `${this.getExecutionId() ?? ''}|${quickbooks.connection.realmId}`,
				},
				invoices,
			);
		});
	}
}
