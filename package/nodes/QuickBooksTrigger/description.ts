import type { INodeProperties } from 'n8n-workflow';

export const DEFAULT_OVERLAP_SECONDS = 300;
export const DEFAULT_MAX_CHANGES = 5000;

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Trigger On',
		name: 'events',
		type: 'multiOptions',
		options: [
			{ name: 'Credit Memo Created', value: 'creditMemoCreated', description: 'Each new credit memo, once' },
			{ name: 'Invoice Created', value: 'invoiceCreated', description: 'Each new invoice, once' },
			{ name: 'Invoice Updated', value: 'invoiceUpdated', description: 'Every later change to an invoice' },
			{ name: 'Invoice Voided or Deleted', value: 'invoiceVoided', description: 'An invoice voided (emitted as the invoice) or deleted (emitted as its ID)' },
			{
				name: 'Payment Received',
				value: 'paymentReceived',
				description: 'A payment, or a credit memo, applied to invoices: one item per invoice it applies to, with the balance left',
			},
		],
		default: ['invoiceCreated', 'invoiceUpdated', 'invoiceVoided', 'paymentReceived'],
		required: true,
	},
	{
		displayName: 'Invoice Statuses',
		name: 'statuses',
		type: 'multiOptions',
		options: [
			{ name: 'Open', value: 'open' },
			{ name: 'Paid', value: 'paid' },
		],
		default: ['open', 'paid'],
		description:
			'Invoice Created and Invoice Updated trigger only for invoices in one of these statuses (open: a balance is due; paid: nothing is due). Select none for every status. Voids, deletions and payments always trigger when chosen above.',
	},
	{
		displayName: 'Skip Invoices Synced From HubSpot',
		name: 'skipLinkedInvoices',
		type: 'boolean',
		default: true,
		description:
			'Whether to skip invoices this package created from HubSpot (their memo links a HubSpot invoice), so a two-way setup never syncs an invoice back where it came from. Their payments, voids and deletions still trigger.',
	},
	{
		displayName: 'Backfill Since',
		name: 'backfillSince',
		type: 'dateTime',
		default: '',
		description:
			'Leave empty to start from the moment the workflow is activated. Set a date to also emit every change since then: the first polls work through them (older than 30 days: read page by page), and a manual run returns them all at once.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Max Changes per Run',
				name: 'maxChanges',
				type: 'number',
				typeOptions: { minValue: 1000, maxValue: 100000 },
				default: DEFAULT_MAX_CHANGES,
				description:
					'The most changes per record type one poll reads when it has to page (a backlog older than 30 days, or more than 1,000 changes at once). The rest follow on the next polls.',
			},
			{
				displayName: 'Overlap (Seconds)',
				name: 'overlapSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 3600 },
				default: DEFAULT_OVERLAP_SECONDS,
				description:
					'How far before the last poll each poll reads again, for changes QuickBooks shows a little after their time. A change already emitted is never emitted twice.',
			},
			{
				displayName: 'Test Run Changes',
				name: 'testEventCount',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10 },
				default: 1,
				description: 'How many of the most recent matching changes a manual run ("Fetch Test Event") returns when Backfill Since is empty',
			},
		],
	},
];
