import { NodeConnectionTypes, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';

import { triggerProperties } from './description';
import { manualRun, scheduledRun } from './runs';

export class QuickBooksTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'QuickBooks Trigger',
		name: 'quickBooksTrigger',
		icon: { light: 'file:quickBooksTrigger.svg', dark: 'file:quickBooksTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].map((event) => ({creditMemoCreated: "Credit Memo Created", invoiceCreated: "Invoice Created", invoiceUpdated: "Invoice Updated", invoiceVoided: "Invoice Voided or Deleted", paymentReceived: "Payment Received"})[event]).join(", ")}}',
		description: 'Starts the workflow when QuickBooks Online invoices are created, change, are voided or paid, or credit memos are created',
		defaults: { name: 'QuickBooks Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'quickBooksInvoiceSyncOAuth2Api', required: true }],
		properties: triggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return this.getMode() === 'manual' ? await manualRun(this) : await scheduledRun(this);
	}
}
