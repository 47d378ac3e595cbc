// How the nodes read API failures in a real n8n server. n8n 1.x hands a failed request to a node as
// a NodeApiError without headers and with the body only in `context.data` (the node tier, on
// n8n-core 2.x, cannot show this). A scripted API on 127.0.0.1, independent of sandbox/, answers
// each request as the case needs; the cases check the wait, the attempts and the code.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { nodeOutput, type N8nRestClient } from '../../scripts/n8n';
import { invoiceItem } from '../kit';
import { PACKAGE_NAME, ensureTestOutputDir, startServerWithPackage, type E2eContext } from './helpers';

interface Answer {
	status: number;
	headers?: Record<string, string>;
	body: unknown;
}

interface ScriptedApi {
	url: string;
	requests: Array<{ method: string; path: string; at: number }>;
	answer: (request: { method: string; path: string; index: number }) => Answer;
	close: () => Promise<void>;
}

async function startScriptedApi(): Promise<ScriptedApi> {
	const api: ScriptedApi = {
		url: '',
		requests: [],
		answer: () => ({ status: 500, body: { message: 'no script' } }),
		close: async () => undefined,
	};
	const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
		request.resume();
		request.on('end', () => {
			const path = (request.url ?? '/').split('?')[0];
			const index = api.requests.length;
			api.requests.push({ method: request.method ?? 'GET', path, at: Date.now() });
			const answer = api.answer({ method: request.method ?? 'GET', path, index });
			response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
			response.end(JSON.stringify(answer.body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	api.close = async () => await new Promise<void>((resolve) => server.close(() => resolve()));
	return api;
}

/** Answers a QuickBooks company's reads so Customer Resolve finds the invoice's customer. */
function quickBooksAnswer(path: string, email: string): Answer {
	if (path.endsWith('/preferences')) {
		return { status: 200, body: { Preferences: { CurrencyPrefs: { MultiCurrencyEnabled: false, HomeCurrency: { value: 'USD' } }, SalesFormsPrefs: { CustomTxnNumbers: true } } } };
	}
	if (path.includes('/companyinfo/')) return { status: 200, body: { CompanyInfo: { CompanyName: 'Scripted', Country: 'US' } } };
	const customer = { Id: '58', DisplayName: 'Ada Lovelace', PrimaryEmailAddr: { Address: email }, Active: true, CurrencyRef: { value: 'USD' }, SyncToken: '0' };
	if (path.endsWith('/batch')) {
		return { status: 200, body: { BatchItemResponse: [{ bId: 'q0', QueryResponse: { Customer: [customer] } }] } };
	}
	return { status: 200, body: { QueryResponse: { Customer: [customer], startPosition: 1, maxResults: 1 } } };
}

describe('API failures in a real n8n server (its own error shapes) give the right wait and code', () => {
	let context: E2eContext;
	let api: N8nRestClient;
	let scripted: ScriptedApi;

	beforeAll(async () => {
		scripted = await startScriptedApi();
		context = await startServerWithPackage();
		api = context.api;
	});

	afterAll(async () => {
		if (context) writeFileSync(join(ensureTestOutputDir(), 'n8n-api-errors.log'), context.server.logs.join(''));
		await context?.server.stop();
		await scripted?.close();
	});

	async function quickBooksCredential(): Promise<{ id: string; name: string }> {
		const created = await api.createCredential({
			name: `QuickBooks (scripted) ${Math.random().toString(36).slice(2, 8)}`,
			type: 'quickBooksInvoiceSyncOAuth2Api',
			data: {
				useCustomBaseUrl: true,
				baseUrl: scripted.url,
				clientId: 'scripted-client',
				clientSecret: 'scripted-client-secret-value',
				oauthTokenData: { access_token: 'scripted-access-token-value', refresh_token: 'scripted-refresh-token-value', token_type: 'bearer', callbackQueryString: { realmId: '4620816365' } },
			},
		});
		return { id: created.id, name: created.name };
	}

	async function runCustomerResolve(item: Record<string, unknown>) {
		const credential = await quickBooksCredential();
		const workflow = await api.createWorkflow({
			name: `e2e: API errors ${Math.random().toString(36).slice(2, 8)}`,
			nodes: [
				{ id: 'n1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'n2',
					name: 'Invoice',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [220, 0],
					parameters: { mode: 'raw', jsonOutput: JSON.stringify(item), options: {} },
				},
				{
					id: 'n3',
					name: 'Customer Resolve',
					type: `${PACKAGE_NAME}.customerResolve`,
					typeVersion: 1,
					position: [440, 0],
					parameters: {},
					credentials: { quickBooksInvoiceSyncOAuth2Api: credential },
					onError: 'continueErrorOutput',
				},
			],
			connections: {
				Start: { main: [[{ node: 'Invoice', type: 'main', index: 0 }]] },
				Invoice: { main: [[{ node: 'Customer Resolve', type: 'main', index: 0 }]] },
			},
		});
		return await api.runWorkflowAndWait(workflow.id, 'Start');
	}

	it('QuickBooks 429 with Retry-After: 2: the request is asked again after 2 s, and the invoice resolves', async () => {
		const item = invoiceItem({ customer: { email: 'ada@example.com' } });
		scripted.requests.length = 0;
		scripted.answer = ({ path, index }) =>
			index === 0
				? { status: 429, headers: { 'Retry-After': '2' }, body: { Fault: { Error: [{ Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', code: '3001' }], type: 'SERVICE' } } }
				: quickBooksAnswer(path, 'ada@example.com');

		const execution = await runCustomerResolve(item);

		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'Customer Resolve', 1)).toEqual([]);
		expect(nodeOutput(execution, 'Customer Resolve', 0)[0]).toEqual(expect.objectContaining({ quickbooks: expect.objectContaining({ customer: expect.objectContaining({ id: '58' }) }) }));
		// The node reads several things at once: the throttled request's own repeat is the next one to its path.
		const [throttled, ...later] = scripted.requests;
		const retried = later.find((request) => request.path === throttled.path)!;
		expect(retried).toBeDefined();
		expect(retried.at - throttled.at).toBeGreaterThanOrEqual(1900);
		expect(retried.at - throttled.at).toBeLessThan(10_000);
	});

	it('QuickBooks HTTP 400 Fault: the item is on the error output with the Fault\'s code and detail', async () => {
		const item = invoiceItem({ customer: { email: 'grace@example.com' } });
		scripted.requests.length = 0;
		scripted.answer = ({ path }) =>
			/\/(query|batch)$/.test(path)
				? {
						status: 400,
						body: { Fault: { Error: [{ Message: 'Error parsing query', Detail: 'QueryParserError: Encountered " <INTEGER> "7 "" at line 1, column 49.', code: '4000' }], type: 'ValidationFault' }, time: '2026-12-06T10:00:00.000-08:00' },
					}
				: quickBooksAnswer(path, 'grace@example.com');

		const execution = await runCustomerResolve(item);

		expect(execution.status).toBe('success');
		const failed = nodeOutput(execution, 'Customer Resolve', 1);
		expect(failed).toHaveLength(1);
		const error = failed[0].error as { code: string; message: string; details: Record<string, unknown> };
		expect(error.code).toBe('QUICKBOOKS_VALIDATION');
		expect(error.message).toContain('QueryParserError');
		expect(error.message).not.toMatch(/answered HTTP 400/);
		// Answered at once: a 400 is not retried.
		expect(scripted.requests.filter((request) => /\/(query|batch)$/.test(request.path))).toHaveLength(1);
	});

	it('HubSpot 429 with policyName DAILY: asked once, the run fails with DAILY_LIMIT_REACHED', async () => {
		const hubspot = await api.createCredential({
			name: 'HubSpot (scripted)',
			type: 'hubSpotInvoiceSyncAppTokenApi',
			data: { accessToken: 'pat-na1-00000000-0000-0000-0000-000000000000', useCustomBaseUrl: true, baseUrl: scripted.url },
		});
		const workflow = await api.createWorkflow({
			name: 'e2e: HubSpot daily limit',
			nodes: [
				{
					id: 't1',
					name: 'HubSpot Invoice Trigger',
					type: `${PACKAGE_NAME}.hubSpotInvoiceTrigger`,
					typeVersion: 1,
					position: [0, 0],
					parameters: { hubspotAuthentication: 'appToken', pollTimes: { item: [{ mode: 'everyHour' }] } },
					credentials: { hubSpotInvoiceSyncAppTokenApi: { id: hubspot.id, name: hubspot.name } },
				},
			],
			connections: {},
		});
		scripted.requests.length = 0;
		scripted.answer = () => ({
			status: 429,
			headers: { 'X-HubSpot-RateLimit-Daily': '250000', 'X-HubSpot-RateLimit-Daily-Remaining': '0' },
			body: { status: 'error', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT', policyName: 'DAILY', correlationId: 'c0ffee00-0000-0000-0000-000000000000' },
		});

		const execution = await api.runWorkflowAndWait(workflow.id, 'HubSpot Invoice Trigger');

		expect(execution.status).toBe('error');
		const runs = execution.data.resultData.runData['HubSpot Invoice Trigger'] ?? [];
		const message = String(runs.at(-1)?.error?.message ?? execution.data.resultData.error?.message ?? '');
		expect(message).toContain('DAILY_LIMIT_REACHED');
		// No request is asked twice: the daily limit is not waited out (the portal read fails alike and is not fatal).
		const paths = scripted.requests.map((request) => `${request.method} ${request.path}`);
		expect(paths).toContain('POST /crm/v3/objects/invoices/search');
		expect(new Set(paths).size).toBe(paths.length);
	});
});
