/**
 * Runs a webhook trigger node's `webhook()` and its `webhookMethods` with n8n-core's real
 * WebhookContext and HookContext, against a request and a response recorded in memory (the
 * request's raw bytes kept as n8n keeps them).
 */
import { HookContext, WebhookContext } from 'n8n-core';
import type { IDataObject, INodeParameters, IWebhookData, IWebhookResponseData } from 'n8n-workflow';

import { singleNodeSetup, type HarnessCredentials } from './index';

export interface WebhookRequest {
	method?: string;
	/** Path and query as received (n8n's `req.originalUrl`). */
	originalUrl?: string;
	headers: Record<string, string>;
	/** The raw body, exactly as sent. */
	body: string;
}

export interface RecordedResponse {
	status?: number;
	body?: unknown;
}

export interface RunWebhookOptions {
	nodeType: string;
	parameters: INodeParameters;
	credentials?: HarnessCredentials;
	/** Workflow static data, kept across calls by passing the same object. */
	staticData: IDataObject;
	nodeName?: string;
	webhookId?: string;
	mode?: 'trigger' | 'manual';
}

export const HARNESS_WEBHOOK_ID = '8f7e3d7a-1c2b-4d5e-9f00-112233445566';

async function setup(o: RunWebhookOptions) {
	const setupResult = await singleNodeSetup({ ...o, active: true });
	setupResult.node.webhookId = o.webhookId ?? HARNESS_WEBHOOK_ID;
	const type = setupResult.workflow.nodeTypes.getByNameAndVersion(setupResult.node.type, setupResult.node.typeVersion);
	const description = type.description.webhooks?.[0];
	if (!description) throw new Error(`${o.nodeType} declares no webhook`);
	const webhookData: IWebhookData = {
		httpMethod: 'POST',
		node: setupResult.node.name,
		path: String(description.path),
		webhookDescription: description,
		workflowId: setupResult.workflow.id,
		workflowExecuteAdditionalData: setupResult.additionalData,
		webhookId: setupResult.node.webhookId,
	};
	return { ...setupResult, type, webhookData };
}

/** One request through the node's webhook(); returns what it returned and what it wrote to the response. */
export async function runWebhook(o: RunWebhookOptions, request: WebhookRequest): Promise<{ result: IWebhookResponseData; response: RecordedResponse }> {
	const { node, workflow, additionalData, type, webhookData } = await setup(o);
	const response: RecordedResponse = {};
	const res = {
		status(code: number) {
			response.status = code;
			return res;
		},
		json(body: unknown) {
			response.body = body;
			return res;
		},
		send(body: unknown) {
			response.body = body;
			return res;
		},
		end() {
			return res;
		},
	};
	let parsed: unknown;
	try {
		parsed = JSON.parse(request.body);
	} catch {
		parsed = {};
	}
	additionalData.httpRequest = {
		method: request.method ?? 'POST',
		originalUrl: request.originalUrl ?? `/webhook/${node.webhookId}/${webhookData.path}`,
		url: request.originalUrl ?? `/webhook/${node.webhookId}/${webhookData.path}`,
		headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value])),
		body: parsed,
		query: {},
		params: {},
		rawBody: Buffer.from(request.body, 'utf8'),
	} as never;
	additionalData.httpResponse = res as never;
	const context = new WebhookContext(workflow, node, additionalData, o.mode ?? 'trigger', webhookData, [], null);
	if (!type.webhook) throw new Error(`${o.nodeType} has no webhook()`);
	const result = await type.webhook.call(context);
	return { result, response };
}

/** The URL the node listens on in the harness (what HubSpot would be given). */
export async function webhookUrl(o: RunWebhookOptions): Promise<string> {
	const { node, workflow, additionalData, webhookData } = await setup(o);
	const context = new WebhookContext(workflow, node, additionalData, o.mode ?? 'trigger', webhookData, [], null);
	return context.getNodeWebhookUrl('default') ?? '';
}

/** Calls webhookMethods.default[method] with a HookContext, as n8n does on activation and deactivation. */
export async function runWebhookMethod(o: RunWebhookOptions, method: 'checkExists' | 'create' | 'delete'): Promise<boolean> {
	const { node, workflow, additionalData, type, webhookData } = await setup(o);
	const hook = type.webhookMethods?.default?.[method];
	if (!hook) throw new Error(`${o.nodeType} has no webhookMethods.default.${method}`);
	const context = new HookContext(workflow, node, additionalData, o.mode ?? 'trigger', 'activate', webhookData);
	return await hook.call(context);
}
