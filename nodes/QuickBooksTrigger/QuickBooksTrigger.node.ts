import { NodeConnectionTypes, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';

import { quickBooksCredential } from '../shared/descriptions';

import { triggerProperties } from './description';
import { manualRun, scheduledRun } from './runs';

export class QuickBooksTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'QuickBooks Trigger',
		name: 'quickBooksTrigger',
		icon: { light: 'file:quickBooksTrigger.svg', dark: 'file:quickBooksTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		description: 'Starts the workflow when QuickBooks Online invoices are created, change, are voided or paid, or credit memos are created',
		defaults: { name: 'QuickBooks Trigger' },
		polling: true,
		inputs: [],
		// The rule predates NodeConnectionTypes; the value is 'main'.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: [NodeConnectionTypes.Main],
		credentials: [quickBooksCredential],
		properties: triggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return this.getMode() === 'manual' ? await manualRun(this) : await scheduledRun(this);
	}
}
