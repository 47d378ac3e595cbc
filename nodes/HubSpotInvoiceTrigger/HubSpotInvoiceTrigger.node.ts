import {
	NodeApiError,
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
import type { InvoiceStatus } from '../shared/invoiceContract';
import { toNodeError } from '../shared/nodeErrors';
import { hubSpotCredentials } from '../shared/descriptions';
import { HubSpotClient, type HubSpotAuthentication } from '../shared/transport/hubspot';

import { isCursorState, newCursor, type CursorState } from './cursor';
import { DEFAULT_MAX_INVOICES, triggerProperties } from './description';
import {
	backfillInvoices,
	cursorPropertyFor,
	latestInvoices,
	latestTimestamp,
	pollInvoices,
	type FeedItem,
	type FeedOptions,
	type TriggerEvent,
} from './invoiceFeed';
import { portalOf, type PortalCache } from './portal';

/** Static data of this node (workflow static data, per node). */
interface TriggerStaticData extends IDataObject {
	cursor?: IDataObject;
	portal?: PortalCache;
}

export class HubSpotInvoiceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubSpot Invoice Trigger',
		name: 'hubSpotInvoiceTrigger',
		icon: 'file:hubSpotInvoiceTrigger.svg',
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
			...hubSpotCredentials('authentication'),
		],
		properties: triggerProperties,
	};

	methods = {
		loadOptions: {
			/** Invoice properties for "Extra Invoice Properties". */
			async getInvoiceProperties(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const authentication = this.getCurrentNodeParameter('authentication') as HubSpotAuthentication;
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
		const event = this.getNodeParameter('event', 'createdOrUpdated') as TriggerEvent;
		const backfillSince = (this.getNodeParameter('backfillSince', '') as string) || '';
		const extra = this.getNodeParameter('options', {}) as IDataObject;
		const backfillMs = backfillSince ? Date.parse(backfillSince) : Number.NaN;
		if (backfillSince && !Number.isFinite(backfillMs)) {
			throw new NodeOperationError(this.getNode(), `Backfill Since "${backfillSince}" is not a date`, { description: 'Pick a date, or leave it empty.' });
		}
		// n8n abandons a poll that runs past its budget: stop searching at half of it and continue next poll.
		const budgetMs = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : undefined;

		try {
			const client = await HubSpotClient.create(this, this.getNodeParameter('authentication', 'oAuth2') as HubSpotAuthentication);
			const options: FeedOptions = {
				event,
				statuses: this.getNodeParameter('statuses', []) as InvoiceStatus[],
				skipIntegrationSource: this.getNodeParameter('skipIntegrationSource', true) as boolean,
				extraProperties: ((extra.extraProperties as string[] | undefined) ?? []).filter(Boolean),
				maxInvoices: Math.max(1, Number(this.getNodeParameter('maxInvoices', DEFAULT_MAX_INVOICES)) || DEFAULT_MAX_INVOICES),
				lookbackMs: Math.max(0, Number(extra.lookbackSeconds ?? 60)) * 1000,
				outOfTime: budgetMs ? () => Date.now() - startedAt > budgetMs / 2 : undefined,
			};
			const property = cursorPropertyFor(event);

			if (manual) {
				options.retryFailed = true;
				options.portal = await portalOf(client, staticData, startedAt);
				const result = Number.isFinite(backfillMs)
					? await backfillInvoices(client, options, backfillMs)
					: await latestInvoices(client, options, Math.min(10, Math.max(1, Number(extra.testEventCount ?? 1))));
				return toOutput(this, result.items);
			}

			let state: CursorState | undefined = isCursorState(staticData.cursor) ? staticData.cursor : undefined;
			if (!state || (Number.isFinite(backfillMs) && backfillSince !== state.backfillSince)) {
				if (!Number.isFinite(backfillMs)) {
					// First activation: start after the newest invoice, emit nothing.
					const newest = await latestTimestamp(client, property);
					staticData.cursor = newCursor(property, newest?.timestampMs ?? startedAt, {
						now: startedAt,
						seen: newest ? { [newest.id]: newest.timestampMs } : {},
					}) as unknown as IDataObject;
					await portalOf(client, staticData, startedAt);
					return null;
				}
				state = newCursor(property, backfillMs, { backfillSince, now: startedAt });
			} else if (state.property !== property) {
				// The event changed: same point in time, on the other timestamp.
				state = { ...state, property, seen: {} };
			}
			options.portal = await portalOf(client, staticData, startedAt);
			const outcome = await pollInvoices(client, options, state, startedAt);
			staticData.cursor = outcome.state as unknown as IDataObject;
			this.logger.debug('HubSpot Invoice Trigger poll', { ...outcome.stats, requests: client.requestCount });
			return toOutput(this, outcome.items);
		} catch (error) {
			if (error instanceof NodeApiError || error instanceof NodeOperationError) throw error;
			const syncError = toSyncError(error);
			const nodeError = toNodeError(this.getNode(), syncError);
			if (!manual && !firstPoll) {
				// Later polls: n8n records the thrown error as a failed execution (and runs the error
				// workflow); the cursor is unchanged, so the next poll retries the same invoices.
				this.logger.error(`HubSpot Invoice Trigger poll failed: ${syncError.message}`, { code: syncError.code, node: this.getNode().name });
			}
			throw nodeError;
		}
	}
}

function toOutput(context: IPollFunctions, items: FeedItem[]): INodeExecutionData[][] | null {
	if (items.length === 0) return null;
	return [context.helpers.returnJsonArray(items as unknown as IDataObject[])];
}
