import type { INodeProperties } from 'n8n-workflow';

import { hubSpotAuthenticationProperty } from '../shared/descriptions';

/** Defaults here equal DEFAULT_SETTINGS (settings.ts). */
export const hubSpotUpsertProperties: INodeProperties[] = [
	{
		displayName:
			'Creates or updates each QuickBooks invoice in HubSpot exactly once, and shows QuickBooks payments and credits on it. Invoice items need the contact and product matches first; payment items from the QuickBooks Trigger can come straight here.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	hubSpotAuthenticationProperty({}),
	{
		displayName: 'Payments in HubSpot',
		name: 'paidStatus',
		type: 'options',
		default: 'recordPayment',
		description: "How QuickBooks payments show on the HubSpot invoice. The QuickBooks payment properties (amount paid, balance, paid date, payment status) are written in every case.",
		options: [
			{
				name: 'Record HubSpot Payments',
				value: 'recordPayment',
				description:
					"Record each amount QuickBooks received as a payment on the HubSpot invoice, so HubSpot's own amount paid, balance due and Paid status follow (the account needs HubSpot payments or Stripe set up)",
			},
			{
				name: 'Set Status to Paid',
				value: 'setStatus',
				description: "Write the invoice's status Paid at a zero balance (and Open when a payment is removed), where the HubSpot account accepts it",
			},
			{ name: 'QuickBooks Properties Only', value: 'propertiesOnly', description: "Leave HubSpot's own payment figures and status alone" },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Sync Voids',
				name: 'syncVoids',
				type: 'boolean',
				default: true,
				description: 'Whether to void the HubSpot invoice when its QuickBooks invoice is voided or deleted',
			},
		],
	},
];
