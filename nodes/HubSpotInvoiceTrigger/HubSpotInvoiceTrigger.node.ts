import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { toSyncError } from '../shared/faultTranslation';
import { hubSpotCredentials } from '../shared/descriptions';
import { HubSpotClient, type HubSpotAuthentication } from '../shared/transport/hubspot';

import { isCursorState } from './cursor';
import { triggerProperties } from './description';
import { pollInvoices, type FeedItem } from './invoiceFeed';
import { portalOf } from './portal';
import { readRedeliverAfterMs, redeliverUnconfirmed } from './redelivery';
import { cursorForPoll, logSkips, manualOutput, manualRun, pollFailure, readTriggerSettings, skipSummary, type TriggerStaticData } from './runs';

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
		// The rule predates NodeConnectionTypes; the value is 'main'.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			...hubSpotCredentials(),
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
		const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
		const manual = this.getMode() === 'manual';
		const firstPoll = !isCursorState(staticData.cursor);
		const settings = readTriggerSettings(this, startedAt);
		try {
			const client = await HubSpotClient.create(this, settings.authentication);
			if (manual) return toOutput(this, manualOutput(this, await manualRun(client, settings, staticData, startedAt)));
			const state = await cursorForPoll(client, settings, staticData, startedAt);
			if (!state) return null;
			const portal = await portalOf(client, staticData, startedAt);
			const outcome = await pollInvoices(client, { ...settings.feed, portal }, state, startedAt);
			const redelivered = await redeliverUnconfirmed(client, { ...settings.feed, portal }, staticData, outcome.items, startedAt, readRedeliverAfterMs(this));
			staticData.cursor = outcome.state as unknown as IDataObject;
			this.logger.debug('HubSpot Invoice Trigger poll', { ...outcome.stats, redelivered: redelivered.length, requests: client.requestCount });
			logSkips(this, skipSummary(outcome.stats));
			return toOutput(this, [...outcome.items, ...redelivered]);
		} catch (error) {
			throw pollFailure(this, error, !manual && !firstPoll);
		}
	}
}

function toOutput(context: IPollFunctions, items: FeedItem[]): INodeExecutionData[][] | null {
	if (items.length === 0) return null;
	return [context.helpers.returnJsonArray(items as unknown as IDataObject[])];
}
