import type { INodeProperties } from 'n8n-workflow';

export const customerResolveProperties: INodeProperties[] = [
	{
		displayName:
			'Finds the QuickBooks customer whose primary email equals the HubSpot contact\'s email (exact match, as QuickBooks\' own sync does). Connect the error output to see invoices that could not be resolved.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'If Not Found',
		name: 'ifNotFound',
		type: 'options',
		options: [
			{
				name: 'Create Customer',
				value: 'create',
				description: 'Create the customer from the contact\'s company or name, email and address',
			},
			{
				name: 'Fail the Invoice',
				value: 'error',
				description: 'Send the invoice to the error output with CUSTOMER_NOT_FOUND',
			},
		],
		default: 'create',
		description: 'What to do when no QuickBooks customer has the contact\'s email',
	},
	{
		displayName: 'If Inactive',
		name: 'ifInactive',
		type: 'options',
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
		default: {},
		options: [
			{
				displayName: 'Ignore Case and Spaces in Email',
				name: 'ignoreEmailCaseAndSpaces',
				type: 'boolean',
				default: false,
				description:
					'Whether Orders@Example.com matches orders@example.com (and surrounding spaces are ignored). Off: emails must match exactly.',
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
