import { NodeConnectionTypes, type IHookFunctions, type INodeType, type INodeTypeDescription, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';

import { webhookTriggerProperties } from './description';
import { readSettings } from './settings';
import { activate, deactivate, isActivatedHere } from './lifecycle';
import { receiveWebhook } from './webhook';

export class HubSpotInvoiceWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubSpot Invoice Webhook Trigger',
		name: 'hubSpotInvoiceWebhookTrigger',
		icon: { light: 'file:hubSpotInvoiceWebhookTrigger.svg', dark: 'file:hubSpotInvoiceWebhookTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{({created: "Invoice Created", createdOrUpdated: "Invoice Created or Updated"})[$parameter["event"]]}}',
		description: "Starts the workflow within seconds when HubSpot's signed webhooks report invoices created or changed, with their customer and line items",
		defaults: { name: 'HubSpot Invoice Webhook Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'hubSpotInvoiceSyncOAuth2Api', required: true, displayOptions: { show: { hubspotAuthentication: ['oAuth2'] } } },
			{ name: 'hubSpotInvoiceSyncAppTokenApi', required: true, displayOptions: { show: { hubspotAuthentication: ['appToken'] } } },
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'hubspot-invoices',
			},
		],
		properties: webhookTriggerProperties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await isActivatedHere(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await activate(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deactivate(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveWebhook(this, readSettings(this), Date.now());
	}
}
