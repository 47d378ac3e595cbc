import type { INodeProperties } from 'n8n-workflow';

import { hubSpotAuthenticationProperty } from '../shared/descriptions';
import { billingContactLabelsOption, integrationSourcesOption, invoiceStatusesProperty, skipIntegrationSourceProperty } from '../shared/invoiceTriggerFilters';

import { REDELIVERY_OPTION } from './redelivery';

export const DEFAULT_MAX_INVOICES = 1000;

export const triggerProperties: INodeProperties[] = [
	hubSpotAuthenticationProperty({ displayName: 'Authentication' }),
	{
		displayName: 'Trigger On',
		name: 'event',
		type: 'options',
		options: [
			{
				name: 'Invoice Created',
				value: 'created',
				description: 'Each new invoice, once',
			},
			{
				name: 'Invoice Created or Updated',
				value: 'createdOrUpdated',
				description: 'Every change to an invoice (what a sync to QuickBooks needs)',
			},
			{
				name: 'Invoice Status Changed',
				value: 'statusChanged',
				description: "When an invoice's status changes to one of the statuses below",
			},
			{
				name: 'Invoice Updated',
				value: 'updated',
				description: 'Changes to invoices created before the poll window (new invoices are left to "Invoice Created")',
			},
		],
		default: 'createdOrUpdated',
	},
	invoiceStatusesProperty(
		'Only invoices in one of these statuses trigger (for "Invoice Status Changed": the statuses a change must lead to). Open and Paid is the usual choice; drafts can still change. Select none for every status.',
	),
	skipIntegrationSourceProperty(
		"Whether to skip invoices made by an integration (Invoice Source in \"Integration Sources to Skip\", see Options) and invoices whose only change is this sync's own write-back (their QuickBooks sync hash still matches), to prevent sync loops. Manual runs show what was skipped and why.",
	),
	{
		displayName: 'Backfill Since',
		name: 'backfillSince',
		type: 'dateTime',
		default: '',
		description:
			'Leave empty to start from the moment the workflow is activated. Set a date to also emit every matching invoice changed since then: the first polls work through them (Max Invoices per Run at a time), and a manual run returns them all at once.',
	},
	{
		displayName: 'Max Invoices per Run',
		name: 'maxInvoices',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100000 },
		default: 1000,
		description:
			'The most invoices one poll (or one manual backfill run) reads. A larger backlog drains over the following polls, each continuing exactly where the last one stopped.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			billingContactLabelsOption(
				'Comma-separated association labels that mark the billing contact when an invoice has several contacts (case and spacing do not matter). Without a labelled contact, the contact with the lowest ID is used.',
			),
			{
				displayName: 'Extra Invoice Property Names or IDs',
				name: 'extraProperties',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getInvoiceProperties' },
				default: [],
				description:
					'More HubSpot invoice properties to read; they are output under "hubspotProperties". Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			integrationSourcesOption(
				'Comma-separated Invoice Source values (or their labels; case, spaces and underscores do not matter, so "Data Sync" matches data_sync) of integrations whose invoices are not synced. Any other source is synced. Only applies with Skip Integration Source on.',
			),
			REDELIVERY_OPTION,
			{
				displayName: 'Search Index Lookback (Seconds)',
				name: 'lookbackSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 3600 },
				default: 60,
				description:
					"How far before the cursor each poll looks again, for changes HubSpot's search index showed late. Invoices already emitted are never emitted twice for the same change.",
			},
			{
				displayName: 'Test Run Invoices',
				name: 'testEventCount',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10 },
				default: 1,
				description: 'How many of the most recent matching invoices a manual run ("Fetch Test Event") returns when Backfill Since is empty',
			},
		],
	},
];
