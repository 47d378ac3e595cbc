/** The webhook trigger's parameters for one request, read and checked once. */
import type { IWebhookFunctions } from 'n8n-workflow';

import type { InvoiceStatus } from '../shared/invoiceContract';
import { oneOf, optionsCollection } from '../shared/parameters';
import type { HubSpotAuthentication } from '../shared/transport/hubspot';
import { listOption } from '../HubSpotInvoiceTrigger/settings';
import { DEFAULT_BILLING_CONTACT_LABELS, DEFAULT_INTEGRATION_SOURCES } from '../HubSpotInvoiceTrigger/mapping';

import type { ReceiveOptions } from './receiveEvents';

export interface WebhookTriggerSettings extends ReceiveOptions {
	authentication: HubSpotAuthentication;
}

/** A request names at most 100 invoices, so one read covers it. */
const MAX_INVOICES_PER_REQUEST = 100;

export function readSettings(context: IWebhookFunctions): WebhookTriggerSettings {
	const extra = optionsCollection(context.getNodeParameter('options', {}));
	return {
		authentication: oneOf(context, 'Authentication', context.getNodeParameter('hubspotAuthentication', 'oAuth2'), ['oAuth2', 'appToken'] as const),
		event: oneOf(context, 'Trigger On', context.getNodeParameter('event', 'createdOrUpdated'), ['createdOrUpdated', 'created'] as const),
		feed: {
			event: 'createdOrUpdated',
			statuses: context.getNodeParameter('statuses', []) as InvoiceStatus[],
			skipIntegrationSource: context.getNodeParameter('skipIntegrationSource', true) as boolean,
			integrationSources: listOption(extra.integrationSources, DEFAULT_INTEGRATION_SOURCES),
			billingContactLabels: listOption(extra.billingContactLabels, DEFAULT_BILLING_CONTACT_LABELS),
			extraProperties: [],
			maxInvoices: MAX_INVOICES_PER_REQUEST,
			lookbackMs: 0,
		},
	};
}
