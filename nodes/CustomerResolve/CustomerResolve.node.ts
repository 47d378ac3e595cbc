import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { processInvoices } from '../shared/execution';
import { syncItemSchema } from '../shared/invoiceContract';
import { getQuickBooksCustomers } from '../shared/loadOptions/quickbooks';
import { quickBooksCredential } from '../shared/descriptions';
import { resolveAfterChecks } from '../shared/preWriteChecks';
import { QuickBooksClient } from '../shared/transport/quickbooks';
import { customerResolveProperties } from './description';
import { resolveCustomers } from './resolveCustomers';
import { readSettings } from './settings';

export class CustomerResolve implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'QuickBooks Customer Resolve',
		name: 'customerResolve',
		icon: { light: 'file:customerResolve.svg', dark: 'file:customerResolve.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{"If Not Found: " + ({create: "Create Customer", error: "Fail the Invoice"})[$parameter["ifNotFound"]] + " · If Inactive: " + ({error: "Fail the Invoice", reactivate: "Reactivate Customer"})[$parameter["ifInactive"]]}}',
		description: 'Find or create the QuickBooks customer of each HubSpot invoice by email',
		defaults: { name: 'QuickBooks Customer Resolve' },
		// The lint plugin predates NodeConnectionTypes; the value is 'main'.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-inputs-wrong-regular-node
		inputs: [NodeConnectionTypes.Main],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: [NodeConnectionTypes.Main],
		// Not offered to AI agents: it works on the invoice items the trigger emits, which an agent
		// cannot supply (n8n makes a tool variant only when this is set).
		usableAsTool: undefined,
		credentials: [quickBooksCredential],
		properties: customerResolveProperties,
	};

	methods = {
		loadOptions: { getQuickBooksCustomers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const settings = readSettings(this);
		// All invoices of the execution at once: one email lookup, one /batch of writes, after the
		// checks that keep an invoice QuickBooks could never take from getting a customer.
		return await processInvoices(this, syncItemSchema, async (invoices) =>
			await resolveAfterChecks(this, await QuickBooksClient.create(this), invoices, async (client, checked) =>
				await resolveCustomers(client, checked, settings),
			),
		);
	}
}
