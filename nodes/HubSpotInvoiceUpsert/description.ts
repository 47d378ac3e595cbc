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
		displayName: 'Mark Paid in HubSpot',
		name: 'markPaid',
		type: 'boolean',
		default: true,
		description:
			"Whether to set the HubSpot invoice's own status to Paid when its QuickBooks balance is zero (and back to Open when a payment is removed). The QuickBooks payment properties are written either way.",
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
