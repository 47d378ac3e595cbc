/**
 * n8n's webhook lifecycle for this trigger. HubSpot's subscriptions and target URL belong to the
 * HubSpot app (set in its settings, see the README), so activation cannot create them; it checks
 * what the node itself needs (a client secret to verify HubSpot's signatures) and starts the
 * node's memory afresh for the URL it listens on, and deactivation forgets it.
 */
import { NodeOperationError, type IHookFunctions } from 'n8n-workflow';

import { oneOf } from '../shared/parameters';

import { webhookClientSecret, type WebhookStaticData } from './webhook';

function authenticationOf(context: IHookFunctions) {
	return oneOf(context, 'Authentication', context.getNodeParameter('hubspotAuthentication', 'oAuth2'), ['oAuth2', 'appToken'] as const);
}

/** Whether the node was activated on its current URL (n8n then skips create). */
export async function isActivatedHere(context: IHookFunctions): Promise<boolean> {
	const staticData = context.getWorkflowStaticData('node') as WebhookStaticData;
	return staticData.activatedUrl !== undefined && staticData.activatedUrl === context.getNodeWebhookUrl('default');
}

/** Refuses to activate without a client secret (every request would be refused), then records the URL. */
export async function activate(context: IHookFunctions): Promise<boolean> {
	const secret = await webhookClientSecret(context, authenticationOf(context));
	if (!secret) {
		throw new NodeOperationError(context.getNode(), 'The HubSpot credential has no client secret to check webhook signatures with', {
			description: "Enter the HubSpot app's client secret in the credential (for a private app: Client Secret (for Webhooks)).",
		});
	}
	const staticData = context.getWorkflowStaticData('node') as WebhookStaticData;
	if (staticData.activatedUrl !== context.getNodeWebhookUrl('default')) delete staticData.covered;
	staticData.activatedUrl = context.getNodeWebhookUrl('default');
	return true;
}

export async function deactivate(context: IHookFunctions): Promise<boolean> {
	const staticData = context.getWorkflowStaticData('node') as WebhookStaticData;
	delete staticData.activatedUrl;
	return true;
}
