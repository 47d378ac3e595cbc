import type { INodeProperties } from 'n8n-workflow';

import { hubSpotAuthenticationProperty } from '../shared/descriptions';
import { billingContactLabelsOption, integrationSourcesOption, invoiceStatusesProperty, skipIntegrationSourceProperty } from '../shared/invoiceTriggerFilters';

export const webhookTriggerProperties: INodeProperties[] = [
	{
		displayName:
			"In your HubSpot app, point the webhook target URL at this node's Production URL and subscribe to invoice creation and invoice property changes. See the package README for the properties to subscribe to.",
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	hubSpotAuthenticationProperty({ displayName: 'Authentication', description: 'How the invoices an event names are read from HubSpot' }),
	{
		displayName: 'Trigger On',
		name: 'event',
		type: 'options',
		options: [
			{ name: 'Invoice Created', value: 'created', description: 'Only creation events' },
			{ name: 'Invoice Created or Updated', value: 'createdOrUpdated', description: 'Creation and property-change events (what a sync to QuickBooks needs)' },
		],
		default: 'createdOrUpdated',
	},
	invoiceStatusesProperty('Only invoices in one of these statuses when they are read trigger. Select none for every status.'),
	skipIntegrationSourceProperty(
		"Whether to skip invoices made by an integration (Invoice Source in \"Integration Sources to Skip\", see Options) and invoices whose only change is this sync's own write-back (their QuickBooks sync hash still matches), to prevent sync loops",
	),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			billingContactLabelsOption(
				'Comma-separated association labels that mark the billing contact when an invoice has several contacts. Without a labelled contact, the contact with the lowest ID is used.',
			),
			integrationSourcesOption(
				'Comma-separated Invoice Source values (or their labels) of integrations whose invoices are not synced. Only applies with Skip Integration Source on.',
			),
		],
	},
];
