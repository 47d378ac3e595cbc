import {
	NodeConnectionTypes,
	NodeOperationError,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { toSyncError } from '../shared/faultTranslation';
import { HubSpotClient, type HubSpotAuthentication } from '../shared/transport/hubspot';

import { triggerProperties } from './description';
import { manualPoll, scheduledPoll } from './runs';
import { readSettings } from './settings';

export class HubSpotInvoiceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubSpot Invoice Trigger',
		name: 'hubSpotInvoiceTrigger',
		icon: { light: 'file:hubSpotInvoiceTrigger.svg', dark: 'file:hubSpotInvoiceTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{({created: "Invoice Created", createdOrUpdated: "Invoice Created or Updated", updated: "Invoice Updated", statusChanged: "Invoice Status Changed"})[$parameter["event"]]}}',
		description: 'Starts the workflow when HubSpot invoices are created or change, with their customer and line items',
		defaults: { name: 'HubSpot Invoice Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'hubSpotInvoiceSyncOAuth2Api', required: true, displayOptions: { show: { hubspotAuthentication: ['oAuth2'] } } },
			{ name: 'hubSpotInvoiceSyncAppTokenApi', required: true, displayOptions: { show: { hubspotAuthentication: ['appToken'] } } },
		],
		properties: triggerProperties,
	};

	methods = {
		loadOptions: {
			/** Invoice properties for "Extra Invoice Properties". */
			async getInvoiceProperties(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const authentication = this.getCurrentNodeParameter('hubspotAuthentication') as HubSpotAuthentication;
				try {
					const client = await HubSpotClient.create(this, authentication ?? 'oAuth2');
					const response = await client.request<{ results?: Array<{ name: string; label?: string; description?: string }> }>('GET', '/crm/v3/properties/invoices');
					return (response.results ?? [])
						.map((property) => ({ name: property.label || property.name, value: property.name, description: property.name }))
						.sort((left, right) => left.name.localeCompare(right.name));
				} catch (error) {
					const syncError = toSyncError(error);
					throw new NodeOperationError(this.getNode(), `Could not load HubSpot invoice properties: ${syncError.message}`, { description: syncError.hint });
				}
			},
		},
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const startedAt = Date.now();
		const settings = readSettings(this, startedAt);
		if (this.getMode() === 'manual') return await manualPoll(this, settings, startedAt);
		return await scheduledPoll(this, settings, startedAt);
	}
}
