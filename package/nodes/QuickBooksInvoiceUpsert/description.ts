import type { INodeProperties } from 'n8n-workflow';

import { hubSpotAuthenticationProperty } from '../shared/descriptions';
import { quickBooksLocator } from '../shared/loadOptions/quickbooks';

/** Defaults here equal DEFAULT_UPSERT_OPTIONS (options.ts); a unit test keeps them in step. */
export const upsertProperties: INodeProperties[] = [
	{
		displayName:
			'Creates or updates each invoice in QuickBooks exactly once, however often the workflow runs. Connect it after Customer Resolve, SKU Match and Tax Map.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Write Back to HubSpot',
		name: 'writeBackToHubSpot',
		type: 'boolean',
		default: false,
		description:
			'Whether to store the QuickBooks invoice ID, number, sync status and last error on the HubSpot invoice (in "QuickBooks Sync" properties this node creates if missing). The stored ID keeps renumbered invoices linked: without it, an invoice renumbered in HubSpot after its sync is created again in QuickBooks under the new number.',
	},
	hubSpotAuthenticationProperty({ show: { writeBackToHubSpot: [true] } }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Amount Mismatch',
				name: 'amountMismatch',
				type: 'options',
				options: [
					{
						name: 'Use HubSpot Amount',
						value: 'useHubSpotAmount',
						description: 'HubSpot\'s line amount is what the customer owes: fit the unit price so quantity × price equals it',
					},
					{
						name: 'Error',
						value: 'error',
						description: 'Stop with AMOUNT_MISMATCH when HubSpot\'s amount differs from quantity × discounted price by more than a cent',
					},
				],
				default: 'useHubSpotAmount',
				description: 'What to do when a HubSpot line amount is not quantity × discounted unit price (QuickBooks requires Amount = Qty × UnitPrice)',
			},
			{
				displayName: 'Extra Characters to Reject',
				name: 'extraInvalidCharacters',
				type: 'string',
				default: '',
				placeholder: '&#/',
				description:
					'Characters to treat as invalid in invoice numbers and line descriptions, on top of control characters (for example &#/ when a downstream tool rejects them)',
			},
			quickBooksLocator('item', {
				displayName: 'Fee Item',
				name: 'feeItemId',
				description:
					'QuickBooks product or service that invoice-level fees from HubSpot are booked on (one line per fee). Needed only when invoices carry fees. Search the list by name, or give its ID.',
			}),
			{
				displayName: 'Invalid Characters',
				name: 'invalidCharacters',
				type: 'options',
				options: [
					{ name: 'Error', value: 'error', description: 'Stop with INVALID_CHARACTERS' },
					{ name: 'Strip', value: 'strip', description: 'Remove the characters and sync' },
				],
				default: 'error',
				description: 'What to do with characters QuickBooks rejects in the invoice number or a line description',
			},
			{
				displayName: 'Long Invoice Numbers',
				name: 'longInvoiceNumbers',
				type: 'options',
				options: [
					{ name: 'Error', value: 'error', description: 'Stop with DOC_NUMBER_TOO_LONG' },
					{
						name: 'Shorten',
						value: 'shorten',
						description: 'Use the first characters plus a short hash (always the same for the same number) and keep the full number in the memo',
					},
				],
				default: 'error',
				description: 'What to do with invoice numbers longer than the 21 characters QuickBooks allows',
			},
			{
				displayName: 'Sync Void Status',
				name: 'syncVoidStatus',
				type: 'boolean',
				default: true,
				description: 'Whether to void the QuickBooks invoice when its HubSpot invoice is voided',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: 'UTC',
				placeholder: 'America/New_York',
				description:
					'IANA time zone used to turn HubSpot date-times into QuickBooks dates when QuickBooks does not report the company\'s own (date-only values keep their day)',
			},
			{
				displayName: 'When It Already Exists',
				name: 'whenExists',
				type: 'options',
				options: [
					{ name: 'Update', value: 'update', description: 'Update the QuickBooks invoice to match HubSpot' },
					{ name: 'Skip', value: 'skip', description: 'Leave it alone and output the item with action "skipped"' },
					{ name: 'Error', value: 'error', description: 'Stop with DUPLICATE_INVOICE' },
				],
				default: 'update',
				description:
					'What to do when QuickBooks already has an invoice with this number that this sync did not create (invoices it created are always updated)',
			},
		],
	},
];
