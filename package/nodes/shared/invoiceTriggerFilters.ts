/**
 * The filters both HubSpot invoice triggers (polling and webhook) offer. Saved workflows and
 * templates store their values by name, so the name, type, default and choices are declared once
 * here and cannot drift apart between the two triggers; each trigger passes its own description,
 * because they read invoices at different moments (a poll window, a webhook event).
 * Kept apart from descriptions.ts, which every node imports, so only the triggers load the defaults.
 */
import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_BILLING_CONTACT_LABELS, DEFAULT_INTEGRATION_SOURCES } from '../HubSpotInvoiceTrigger/mapping';

/** "Invoice Statuses": the HubSpot invoice statuses (`hs_invoice_status`) that trigger. */
export function invoiceStatusesProperty(description: string): INodeProperties {
	return {
		displayName: 'Invoice Statuses',
		name: 'statuses',
		type: 'multiOptions',
		options: [
			{ name: 'Draft', value: 'draft' },
			{ name: 'Open', value: 'open' },
			{ name: 'Paid', value: 'paid' },
			{ name: 'Voided', value: 'voided' },
		],
		default: ['open', 'paid'],
		description,
	};
}

/** "Skip Integration Source": the loop guard's switch. */
export function skipIntegrationSourceProperty(description: string): INodeProperties {
	return {
		displayName: 'Skip Integration Source',
		name: 'skipIntegrationSource',
		type: 'boolean',
		default: true,
		description,
	};
}

/** "Billing Contact Labels", an entry of the triggers' Options collection. */
export function billingContactLabelsOption(description: string): INodeProperties {
	return {
		displayName: 'Billing Contact Labels',
		name: 'billingContactLabels',
		type: 'string',
		default: DEFAULT_BILLING_CONTACT_LABELS.join(', '),
		description,
	};
}

/** "Integration Sources to Skip", an entry of the triggers' Options collection. */
export function integrationSourcesOption(description: string): INodeProperties {
	return {
		displayName: 'Integration Sources to Skip',
		name: 'integrationSources',
		type: 'string',
		default: DEFAULT_INTEGRATION_SOURCES.join(', '),
		description,
	};
}
