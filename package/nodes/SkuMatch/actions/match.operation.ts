/**
 * Operation "Match invoice lines": every line's SKU → a QuickBooks item id, after the checks that
 * keep an invoice QuickBooks could never take from getting a product (matchLines.ts does the work).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { hubSpotAuthenticationProperty } from '../../shared/descriptions';
import { destinationProperty } from '../../shared/destination';
import { quickBooksLocator } from '../../shared/loadOptions/quickbooks';
import { processInvoices } from '../../shared/execution';
import { syncItemSchema } from '../../shared/invoiceContract';
import { resolveAfterChecks } from '../../shared/preWriteChecks';
import { HubSpotClient } from '../../shared/transport/hubspot';
import { QuickBooksClient } from '../../shared/transport/quickbooks';
import { matchHubSpotProducts } from '../matchHubSpotProducts';
import { matchLines } from '../matchLines';
import type { HubSpotMatchLinesSettings, MatchSettings } from '../settings';

const forMatch = { show: { operation: ['matchInvoiceLines'] } };
/** The QuickBooks catalogue's parameters (Destination QuickBooks). */
const forQuickBooks = { show: { operation: ['matchInvoiceLines'], destination: ['quickbooks'] } };

export const description: INodeProperties[] = [
	destinationProperty(forMatch.show),
	hubSpotAuthenticationProperty({
		show: { operation: ['matchInvoiceLines'], destination: ['hubspot'] },
		description: "How to connect to HubSpot to find the lines' products by SKU (hs_sku)",
	}),
	{
		displayName:
			"Finds each line's HubSpot product by SKU (hs_sku), exactly unless an option says otherwise. An invoice with any line whose SKU no product has fails as a whole with SKU_NOT_FOUND, listing every missing SKU; products are never created in HubSpot.",
		name: 'hubspotNotice',
		type: 'notice',
		displayOptions: { show: { operation: ['matchInvoiceLines'], destination: ['hubspot'] } },
		default: '',
	},
	{
		displayName: 'If Not Found',
		name: 'ifNotFound',
		type: 'options',
		displayOptions: forQuickBooks,
		options: [
			{
				name: 'Fail the Invoice',
				value: 'error',
				description: 'The invoice goes to the error output with SKU_NOT_FOUND, listing every missing SKU',
			},
			{
				name: 'Use a Fallback Product',
				value: 'useFallback',
				description: 'Lines whose SKU is not found use the product chosen below',
			},
			{
				name: 'Create the Product',
				value: 'create',
				description: "Create a QuickBooks product with the line's SKU, name and price (one per SKU)",
			},
		],
		default: 'error',
		description: 'What to do with a line whose SKU matches no QuickBooks product. Lines without any SKU always fail with SKU_MISSING.',
	},
	quickBooksLocator('item', {
		displayName: 'Fallback Product',
		name: 'fallbackItemId',
		displayOptions: { show: { operation: ['matchInvoiceLines'], destination: ['quickbooks'], ifNotFound: ['useFallback'] } },
		required: true,
		description: 'QuickBooks product used for lines whose SKU is not found. Search the list by name, or give its ID.',
	}),
	{
		displayName: 'New Product Type',
		name: 'newItemType',
		type: 'options',
		displayOptions: { show: { operation: ['matchInvoiceLines'], destination: ['quickbooks'], ifNotFound: ['create'] } },
		options: [
			{ name: 'Service', value: 'Service' },
			{ name: 'Non-Inventory', value: 'NonInventory' },
		],
		default: 'Service',
		description: 'QuickBooks type of the products this node creates',
	},
	quickBooksLocator('incomeAccount', {
		displayName: 'Income Account',
		name: 'incomeAccountId',
		displayOptions: { show: { operation: ['matchInvoiceLines'], destination: ['quickbooks'], ifNotFound: ['create'] } },
		required: true,
		description: 'Income account the created products book their sales to. Search the list by name, or give its ID.',
	}),
	quickBooksLocator('expenseAccount', {
		displayName: 'Expense Account',
		name: 'expenseAccountId',
		displayOptions: { show: { operation: ['matchInvoiceLines'], destination: ['quickbooks'], ifNotFound: ['create'] } },
		description:
			'Cost of sales account for the created products. QuickBooks companies in the UK and Canada require one; elsewhere it is sent when chosen. Search the list by name, or give its ID.',
	}),
	{
		displayName: 'If Inactive',
		name: 'ifInactive',
		type: 'options',
		displayOptions: forQuickBooks,
		options: [
			{
				name: 'Fail the Invoice',
				value: 'error',
				description: 'The invoice goes to the error output with ITEM_INACTIVE',
			},
			{
				name: 'Reactivate the Product',
				value: 'reactivate',
				description: 'Mark the QuickBooks product active again (once per product per run) and use it',
			},
		],
		default: 'error',
		description: 'What to do when the matching QuickBooks product is inactive (QuickBooks rejects invoices that use it)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: forMatch,
		default: {},
		options: [
			{
				displayName: 'Ignore Case',
				name: 'caseInsensitive',
				type: 'boolean',
				default: false,
				description: 'Whether PROD-001 matches prod-001. Off by default: SKU matching is case-sensitive. An exact match always wins.',
			},
			{
				displayName: 'Match On',
				name: 'matchOn',
				type: 'options',
				displayOptions: { show: { '/destination': ['quickbooks'] } },
				options: [
					{ name: 'SKU', value: 'sku', description: "The HubSpot SKU must equal the QuickBooks product's SKU" },
					{ name: 'Name', value: 'name', description: "The HubSpot SKU must equal the QuickBooks product's name" },
					{
						name: 'SKU, Then Name',
						value: 'skuThenName',
						description: 'Try the SKU first; when no product has it, try the product name',
					},
				],
				default: 'sku',
				description: 'Which QuickBooks product field the HubSpot SKU is compared with',
			},
			{
				displayName: 'Trim Spaces',
				name: 'trimSpaces',
				type: 'boolean',
				default: false,
				description: 'Whether spaces before and after the SKU are ignored on both sides',
			},
		],
	},
];


export async function execute(this: IExecuteFunctions, settings: MatchSettings | HubSpotMatchLinesSettings): Promise<INodeExecutionData[][]> {
	if (settings.destination === 'hubspot') {
		// QuickBooks → HubSpot: one product search per 100 SKUs, nothing written.
		return await processInvoices(this, syncItemSchema, async (invoices) =>
			await matchHubSpotProducts(await HubSpotClient.create(this, settings.hubspotAuthentication), invoices, settings),
		);
	}
	return await processInvoices(this, syncItemSchema, async (invoices) =>
		await resolveAfterChecks(this, await QuickBooksClient.create(this), invoices, async (client, checked) => await matchLines(client, checked, settings)),
	);
}
