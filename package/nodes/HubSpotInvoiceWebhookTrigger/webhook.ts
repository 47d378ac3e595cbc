/**
 * The n8n side of one webhook request: check HubSpot's signature on the raw request (401 and
 * nothing emitted otherwise), then hand the events to receiveEvents.ts and emit its items. n8n
 * answers HubSpot 200 as soon as the items are returned, before the rest of the workflow runs; a
 * read that fails throws, n8n answers 500 and HubSpot sends the events again.
 */
import type { IDataObject, IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { toSyncError } from '../shared/faultTranslation';
import { toNodeError } from '../shared/nodeErrors';
import { registerSecrets } from '../shared/errors';
import { HUBSPOT_CREDENTIAL_TYPES, HubSpotClient, type HubSpotAuthentication } from '../shared/transport/hubspot';
import { portalOf, type PortalCache } from '../HubSpotInvoiceTrigger/portal';

import { parseEvents, type CoveredChanges } from './events';
import { receiveInvoiceEvents } from './receiveEvents';
import type { WebhookTriggerSettings } from './settings';
import { verifySignatureV3, type SignedRequest } from './signature';

/** Static data of this node: the changes its reads covered, the portal cache, and the URL it was activated on. */
export interface WebhookStaticData extends IDataObject {
	covered?: CoveredChanges;
	portal?: PortalCache;
	activatedUrl?: string;
}

/**
 * The HubSpot app's client secret, from the HubSpot credential the node uses: an OAuth app's own
 * client secret, or the private app's (the token credential's Client Secret field). HubSpot signs
 * webhooks with it; it is registered as a secret so no message can show it.
 */
export async function webhookClientSecret(context: IWebhookFunctions | IHookFunctions, authentication: HubSpotAuthentication): Promise<string> {
	const credentials = await context.getCredentials<{ clientSecret?: string }>(HUBSPOT_CREDENTIAL_TYPES[authentication]);
	const secret = typeof credentials.clientSecret === 'string' ? credentials.clientSecret.trim() : '';
	registerSecrets([secret]);
	return secret;
}

/** The body exactly as HubSpot sent it (n8n keeps the raw bytes); compact JSON of the parsed body otherwise. */
async function rawBodyOf(context: IWebhookFunctions): Promise<string> {
	const request = context.getRequestObject();
	if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') await request.readRawBody();
	if (Buffer.isBuffer(request.rawBody)) return request.rawBody.toString('utf8');
	return JSON.stringify(context.getBodyData());
}

/** The URL HubSpot called: the node's webhook URL as the user gave it to HubSpot, with the request's query string. */
function calledUrl(context: IWebhookFunctions): string {
	const request = context.getRequestObject();
	const base = context.getNodeWebhookUrl('default') ?? '';
	const original = request.originalUrl ?? request.url ?? '';
	const query = original.includes('?') ? original.slice(original.indexOf('?')) : '';
	return `${base}${query}`;
}

function header(context: IWebhookFunctions, name: string): string | undefined {
	const value = context.getHeaderData()[name];
	return Array.isArray(value) ? value[0] : value;
}

function refuse(context: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	context.getResponseObject().status(status).json({ message });
	return { noWebhookResponse: true };
}

export async function receiveWebhook(context: IWebhookFunctions, settings: WebhookTriggerSettings, now: number): Promise<IWebhookResponseData> {
	const clientSecret = await webhookClientSecret(context, settings.authentication);
	const request: SignedRequest = {
		method: context.getRequestObject().method ?? 'POST',
		uri: calledUrl(context),
		body: await rawBodyOf(context),
		timestamp: header(context, 'x-hubspot-request-timestamp'),
		signature: header(context, 'x-hubspot-signature-v3'),
	};
	const verdict = verifySignatureV3(clientSecret, request, now);
	if (verdict !== 'valid') {
		context.logger.warn(`HubSpot Invoice Webhook Trigger refused a request: signature ${verdict}`, { node: context.getNode().name });
		return refuse(context, 401, verdict === 'stale' ? 'Request timestamp too old' : 'Invalid signature');
	}
	const events = parseEvents(request.body);
	if (!events) return refuse(context, 400, 'The body is not a list of HubSpot events');
	return await emitEvents(context, settings, events, now);
}

async function emitEvents(context: IWebhookFunctions, settings: WebhookTriggerSettings, events: NonNullable<ReturnType<typeof parseEvents>>, now: number): Promise<IWebhookResponseData> {
	const staticData = context.getWorkflowStaticData('node') as WebhookStaticData;
	const covered = staticData.covered ?? {};
	try {
		const client = await HubSpotClient.create(context, settings.authentication);
		const portal = events.length ? await portalOf(client, staticData, now) : null;
		const outcome = await receiveInvoiceEvents(client, { ...settings, feed: { ...settings.feed, portal } }, covered, events);
		staticData.covered = covered;
		context.logger.debug('HubSpot Invoice Webhook Trigger request', { events: events.length, read: outcome.invoicesRead, emitted: outcome.items.length, requests: client.requestCount });
		if (outcome.items.length === 0) return { webhookResponse: { received: events.length } };
		return { workflowData: [context.helpers.returnJsonArray(outcome.items as unknown as IDataObject[])] };
	} catch (error) {
		const syncError = toSyncError(error);
		context.logger.error(`HubSpot Invoice Webhook Trigger could not read the invoices: ${syncError.message}`, { code: syncError.code, node: context.getNode().name });
		throw toNodeError(context.getNode(), syncError);
	}
}
