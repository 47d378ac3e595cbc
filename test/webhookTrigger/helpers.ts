import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import { signedHeaders } from '../../sandbox/hubspot/webhooks';
import { harnessCredentials } from '../../scripts/lib/syncPipeline';
import { PACKAGE_NAME } from '../harness';
import { runWebhook, webhookUrl, type RecordedResponse } from '../harness/webhook';

export const WEBHOOK_TRIGGER_TYPE = `${PACKAGE_NAME}.hubSpotInvoiceWebhookTrigger`;
export const WEBHOOK_NODE_NAME = 'HubSpot Invoice Webhook Trigger';
export const CLIENT_SECRET = 'sandbox-hubspot-private-app-client-secret-0000-0017';

/** The sandbox credentials, the private-app token credential carrying the app's client secret. */
export function webhookCredentials(sandbox: Sandbox, clientSecret = CLIENT_SECRET) {
	const credentials = harnessCredentials(sandbox);
	return { ...credentials, hubSpotInvoiceSyncAppTokenApi: { ...credentials.hubSpotInvoiceSyncAppTokenApi, clientSecret } };
}

export interface Delivery {
	items: IDataObject[];
	raw: INodeExecutionData[];
	response: RecordedResponse;
	/** True when webhook() returned items for a workflow run. */
	started: boolean;
}

export interface EventSpec {
	objectId: string | number;
	occurredAt: number;
	subscriptionType?: string;
	propertyName?: string;
	eventId?: number;
}

export function events(specs: EventSpec[]): IDataObject[] {
	return specs.map((spec, index) => ({
		eventId: spec.eventId ?? index + 1,
		subscriptionId: 100,
		portalId: 24681357,
		appId: 1234567,
		occurredAt: spec.occurredAt,
		subscriptionType: spec.subscriptionType ?? 'object.propertyChange',
		attemptNumber: 0,
		objectId: Number(spec.objectId),
		objectTypeId: '0-53',
		changeSource: 'CRM',
		...(spec.subscriptionType === 'object.creation' ? {} : { propertyName: spec.propertyName ?? 'hs_invoice_status', propertyValue: 'open' }),
	}));
}

export interface SendOptions {
	staticData: IDataObject;
	parameters?: INodeParameters;
	/** Sign with this secret (default: the configured one). */
	signWith?: string;
	/** The timestamp sent (default now). */
	timestampMs?: number;
	/** Change the body after signing. */
	tamper?: (body: string) => string;
	credentialsSecret?: string;
}

/** Signs `body` as HubSpot does for the node's URL and delivers it to the node's webhook(). */
export async function deliver(sandbox: Sandbox, body: IDataObject[] | string, options: SendOptions): Promise<Delivery> {
	const run = {
		nodeType: WEBHOOK_TRIGGER_TYPE,
		nodeName: WEBHOOK_NODE_NAME,
		parameters: { hubspotAuthentication: 'appToken', statuses: [], ...options.parameters } as INodeParameters,
		credentials: webhookCredentials(sandbox, options.credentialsSecret) as never,
		staticData: options.staticData,
	};
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const uri = await webhookUrl(run);
	const headers = signedHeaders(options.signWith ?? CLIENT_SECRET, uri, text, options.timestampMs ?? Date.now());
	const { result, response } = await runWebhook(run, { headers, body: options.tamper ? options.tamper(text) : text });
	const raw = result.workflowData?.[0] ?? [];
	return { items: raw.map((item) => item.json), raw, response, started: result.workflowData !== undefined };
}

export function sourceIds(items: IDataObject[]): string[] {
	return items.map((item) => String(((item.invoice as IDataObject).source as IDataObject).id));
}
