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
import { resolveAfterChecks } from '../shared/preWriteChecks';
import { HubSpotClient } from '../shared/transport/hubspot';
import { QuickBooksClient } from '../shared/transport/quickbooks';
import { customerResolveProperties } from './description';
import { resolveContacts } from './resolveContacts';
import { resolveCustomers } from './resolveCustomers';
import { readSettings } from './settings';

export class CustomerResolve implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'QuickBooks Customer Resolve',
		name: 'customerResolve',
		icon: { light: 'file:customerResolve.svg', dark: 'file:customerResolve.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["destination"] === "hubspot" ? "HubSpot Contact · If Not Found: " + ({create: "Create Contact", error: "Fail the Invoice"})[$parameter["ifNotFound"]] : "QuickBooks Customer · If Not Found: " + ({create: "Create Customer", error: "Fail the Invoice"})[$parameter["ifNotFound"]] + " · If Inactive: " + ({error: "Fail the Invoice", reactivate: "Reactivate Customer"})[$parameter["ifInactive"]]}}',
		description: 'Find or create the customer of each invoice by email: the QuickBooks customer of a HubSpot invoice, or the HubSpot contact and company of a QuickBooks invoice',
		defaults: { name: 'QuickBooks Customer Resolve' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Not offered to AI agents: it works on the invoice items the trigger emits, which an agent
		// cannot supply (n8n makes a tool variant only when this is set).
		usableAsTool: undefined,
		credentials: [
			{ name: 'quickBooksInvoiceSyncOAuth2Api', required: true, displayOptions: { show: { destination: ['quickbooks'] } } },
			{ name: 'hubSpotInvoiceSyncOAuth2Api', required: true, displayOptions: { show: { destination: ['hubspot'], hubspotAuthentication: ['oAuth2'] } } },
			{ name: 'hubSpotInvoiceSyncAppTokenApi', required: true, displayOptions: { show: { destination: ['hubspot'], hubspotAuthentication: ['appToken'] } } },
		],
		properties: customerResolveProperties,
	};

	methods = {
		loadOptions: { getQuickBooksCustomers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const settings = readSettings(this);
		if (settings.destination === 'hubspot') {
			// QuickBooks → HubSpot: one email search, one batch create, one association batch.
			return await processInvoices(this, syncItemSchema, async (invoices) =>
				await resolveContacts(await HubSpotClient.create(this, settings.hubspotAuthentication), invoices, settings),
			);
		}
		// All invoices of the execution at once: one email lookup, one /batch of writes, after the
		// checks that keep an invoice QuickBooks could never take from getting a customer.
		return await processInvoices(this, syncItemSchema, async (invoices) =>
			await resolveAfterChecks(this, await QuickBooksClient.create(this), invoices, async (client, checked) =>
				await resolveCustomers(client, checked, settings),
			),
		);
	}
}
