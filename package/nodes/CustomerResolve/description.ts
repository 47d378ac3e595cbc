import type { INodeProperties } from 'n8n-workflow';

import { hubSpotAuthenticationProperty } from '../shared/descriptions';
import { destinationProperty } from '../shared/destination';

const toQuickBooks = { show: { destination: ['quickbooks'] } };
const toHubSpot = { show: { destination: ['hubspot'] } };

export const customerResolveProperties: INodeProperties[] = [
	destinationProperty(),
	hubSpotAuthenticationProperty({ show: toHubSpot.show, description: 'How to connect to HubSpot to find and create contacts and companies' }),
	{
		displayName:
			'Finds the QuickBooks customer whose primary email equals the HubSpot contact\'s email, ignoring case and surrounding spaces as QuickBooks does, in the invoice\'s currency. Connect the error output to see invoices that could not be resolved.',
		name: 'notice',
		type: 'notice',
		displayOptions: toQuickBooks,
		default: '',
	},
	{
		displayName:
			'Finds the HubSpot contact whose email equals the QuickBooks customer\'s email, ignoring case and surrounding spaces as HubSpot does, and the HubSpot company of the customer\'s company name. Connect the error output to see invoices that could not be resolved.',
		name: 'hubspotNotice',
		type: 'notice',
		displayOptions: toHubSpot,
		default: '',
	},
	{
		displayName: 'Companies',
		name: 'hubspotCompanies',
		type: 'options',
		displayOptions: toHubSpot,
		options: [
			{ name: 'Find or Create the Company', value: 'create', description: 'Use the HubSpot company with the customer\'s company name, created when missing, associated with the contact' },
			{ name: 'Find the Company Only', value: 'matchOnly', description: 'Use the company when HubSpot has one with this name; otherwise the invoice gets no company' },
			{ name: 'No Company', value: 'none', description: 'Leave companies alone: the invoice is associated with the contact only' },
		],
		default: 'create',
		description: 'What to do about the QuickBooks customer\'s company name in HubSpot (names compared ignoring case and surrounding spaces)',
	},
	{
		displayName: 'If Not Found',
		name: 'ifNotFound',
		type: 'options',
		options: [
			{
				name: 'Create Customer',
				value: 'create',
				description: 'Create the customer (QuickBooks) or contact (HubSpot) from the invoice\'s names, email and address',
			},
			{
				name: 'Fail the Invoice',
				value: 'error',
				description: 'Send the invoice to the error output with CUSTOMER_NOT_FOUND',
			},
		],
		default: 'create',
		description: 'What to do when no customer (QuickBooks) or contact (HubSpot) has the invoice\'s email',
	},
	{
		displayName: 'If Inactive',
		name: 'ifInactive',
		type: 'options',
		displayOptions: toQuickBooks,
		options: [
			{
				name: 'Fail the Invoice',
				value: 'error',
				description: 'Send the invoice to the error output with CUSTOMER_INACTIVE',
			},
			{
				name: 'Reactivate Customer',
				value: 'reactivate',
				description: 'Mark the QuickBooks customer active again and use it',
			},
		],
		default: 'error',
		description: 'What to do when the matching QuickBooks customer is inactive',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: toQuickBooks,
		default: {},
		options: [
			{
				displayName: 'Customer in Another Currency',
				name: 'ifOtherCurrency',
				type: 'options',
				options: [
					{
						name: 'Use a Customer per Currency',
						value: 'createPerCurrency',
						description: 'Use (or create) a customer with the same email in the invoice\'s currency, named like "Jane Doe (EUR)"',
					},
					{
						name: 'Fail the Invoice',
						value: 'error',
						description: 'Send the invoice to the error output with CUSTOMER_CURRENCY_MISMATCH',
					},
				],
				default: 'createPerCurrency',
				description:
					'Multicurrency companies: what to do when the contact\'s QuickBooks customers are all in another currency than the invoice. QuickBooks fixes a customer\'s currency when it is created.',
			},
			{
				displayName: 'Match Emails Exactly',
				name: 'exactEmailMatch',
				type: 'boolean',
				default: false,
				description:
					'Whether emails must match character for character (Orders@Example.com is then not orders@example.com). Off: surrounding spaces and case are ignored, as QuickBooks compares emails.',
			},
			{
				displayName: 'Sanitize Names',
				name: 'sanitizeNames',
				type: 'boolean',
				default: false,
				description:
					'Whether to also remove &, # and / from names of new customers. Colons are always removed (QuickBooks uses them for sub-customers).',
			},
		],
	},
];
