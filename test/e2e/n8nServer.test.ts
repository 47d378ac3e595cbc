// The packed package in a real n8n server (pinned version, Node 24) installed as a community package:
// every node and credential registers, nodes load their runtime deps (n8n-workflow, zod, luxon) from
// n8n, OAuth2 credentials created with a token work, executions are readable over REST, and the
// editor (headless Chromium) sets up the owner, finds the nodes and renders them as installed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PACKAGE_ROOT, nodeOutput, packageTypeNames, type N8nRestClient } from '../../scripts/n8n';

/** The built package's "n8n" block: the dist files n8n loads (each codex file sits next to its node). */
const readPackageJson = () => JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };
import { openEditor, type Editor } from '../../scripts/n8n/browser';
import { start as startSandbox, type Sandbox } from '../../sandbox';
import { PACKAGE_NAME, ensureTestOutputDir, packageLoadErrors, startServerWithPackage, type E2eContext } from './helpers';

describe('n8n server with n8n-nodes-hubspot-quickbooks-sync installed as a community package', () => {
	let context: E2eContext;
	let api: N8nRestClient;
	let sandbox: Sandbox;
	let editor: Editor;
	const expected = () => packageTypeNames();

	beforeAll(async () => {
		sandbox = await startSandbox({ limits: false });
		context = await startServerWithPackage({ ownerSetup: 'none' });
		api = context.api;
		// A fresh instance shows "Set up owner account": the editor completes it, REST logs in after.
		expect(await api.needsOwnerSetup()).toBe(true);
		editor = await openEditor(context.server.url);
		await editor.screenshot('n8n-server-home');
		await api.login();
	});

	afterAll(async () => {
		if (context) writeFileSync(join(ensureTestOutputDir(), 'n8n-server.log'), context.server.logs.join(''));
		await editor?.close();
		await context?.server.stop();
		await sandbox?.close();
	});

	it('has every file listed in package.json\'s "n8n" block built into the package', () => {
		expect(expected().missing).toEqual([]);
	});

	it('loads the package without module-resolution or load errors', () => {
		expect(packageLoadErrors(context.server.logs)).toEqual([]);
	});

	it('knows every node listed in package.json under "<package>.<name>"', async () => {
		const known = new Set((await api.nodeTypes()).map((type) => type.name));
		const nodes = expected().nodes;
		expect(nodes).toHaveLength(readPackageJson().n8n.nodes.length);
		for (const name of nodes) {
			expect(name.startsWith(`${PACKAGE_NAME}.`)).toBe(true);
			expect(known.has(name) ? name : `missing ${name}`).toBe(name);
		}
	});

	it("lists each node under the categories and documentation links of its codex file (the node panel's groups)", async () => {
		const types = new Map((await api.nodeTypes()).map((type) => [type.name, type]));
		const codexFiles = readPackageJson().n8n.nodes.map((file) => JSON.parse(readFileSync(join(PACKAGE_ROOT, file.replace(/\.js$/, '.json')), 'utf8')));
		expect(codexFiles).toHaveLength(expected().nodes.length);
		for (const codex of codexFiles) {
			const served = types.get(codex.node)?.codex as { categories?: string[]; resources?: unknown } | undefined;
			expect({ node: codex.node, categories: served?.categories, resources: served?.resources }).toEqual({
				node: codex.node,
				categories: codex.categories,
				resources: codex.resources,
			});
		}
	});

	it('has the owner account created through the editor\'s setup form', async () => {
		expect(await api.needsOwnerSetup()).toBe(false);
		expect(editor.page.url()).toMatch(/\/home\//);
	});

	it('finds the nodes by name in the editor\'s node panel', async () => {
		await editor.page.goto(`${context.server.url}/workflow/new`);
		const searches: Record<string, RegExp> = {
			'HubSpot Invoice': /HubSpot Invoice/,
			'Customer Resolve': /Customer Resolve/,
			'SKU Match': /SKU Match/,
			'Tax Map': /Tax Map/,
			'Invoice Upsert': /Invoice Upsert/,
		};
		for (const [query, expectedName] of Object.entries(searches)) {
			const listed = await editor.searchNodes(query);
			expect(listed.some((name) => expectedName.test(name)) ? query : `${query} not in ${JSON.stringify(listed)}`).toBe(query);
		}
		await editor.screenshot('n8n-server-node-panel');
	});

	it('renders a workflow of every node on the canvas as installed nodes', async () => {
		const nodes = expected().nodes.map((type, index) => ({
			id: `node-${index}`,
			name: type.split('.')[1],
			type,
			typeVersion: 1,
			position: [index * 240, 0] as [number, number],
			parameters: {},
		}));
		const workflow = await api.createWorkflow({ name: 'e2e: canvas of every node', nodes, connections: {} });

		await editor.openWorkflow(workflow.id);

		expect((await editor.canvasNodes()).sort()).toEqual(nodes.map((node) => node.name).sort());
		expect(await editor.notInstalledNodes()).toEqual([]);
		await editor.screenshot('n8n-server-canvas');
	});

	it('shows a node of a package that is not installed as "not installed" (the check above can fail)', async () => {
		const workflow = await api.createWorkflow({
			name: 'e2e: unknown node',
			nodes: [{ id: 'ghost', name: 'Ghost', type: 'n8n-nodes-not-installed.ghost', typeVersion: 1, position: [0, 0], parameters: {} }],
			connections: {},
		});
		await editor.openWorkflow(workflow.id);
		expect(await editor.notInstalledNodes()).toEqual(['Ghost']);
	});

	it('knows every credential type listed in package.json', async () => {
		const known = new Set((await api.credentialTypes()).map((type) => type.name));
		const credentials = expected().credentials;
		expect(credentials).toHaveLength(3);
		for (const name of credentials) expect(known.has(name) ? name : `missing ${name}`).toBe(name);
	});

	it('stores an OAuth2 credential created over REST with its token data', async () => {
		const { quickbooks } = sandbox.credentials;
		const created = await api.createCredential({
			name: 'QuickBooks (token check)',
			type: 'quickBooksInvoiceSyncOAuth2Api',
			data: {
				useCustomBaseUrl: true,
				baseUrl: sandbox.urls.quickbooks,
				clientId: quickbooks.clientId,
				clientSecret: quickbooks.clientSecret,
				oauthTokenData: quickbooks.oauthTokenData,
			},
		});
		const stored = await api.getCredential(created.id);
		// n8n shows token data only as "connected" (true), never the tokens themselves.
		expect(stored.data?.oauthTokenData).toBe(true);
	});

	it("searches QuickBooks in a resource locator's list as the editor does (a product by name; a tax code inside Tax Map's mapping rows)", async () => {
		const { quickbooks } = sandbox.credentials;
		const credential = await api.createCredential({
			name: 'QuickBooks (list search)',
			type: 'quickBooksInvoiceSyncOAuth2Api',
			data: { useCustomBaseUrl: true, baseUrl: sandbox.urls.quickbooks, clientId: quickbooks.clientId, clientSecret: quickbooks.clientSecret, oauthTokenData: quickbooks.oauthTokenData },
		});
		const credentials = { quickBooksInvoiceSyncOAuth2Api: { id: credential.id, name: credential.name } };
		const search = async (type: string, methodName: string, path: string, currentNodeParameters: Record<string, unknown>, filter: string) =>
			await api.request<{ results: Array<{ name: string; value: string }>; paginationToken?: string }>('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
				methodName,
				path,
				nodeTypeAndVersion: { name: `${PACKAGE_NAME}.${type}`, version: 1 },
				currentNodeParameters,
				credentials,
				filter,
			});
		const products = await search('skuMatch', 'searchQuickBooksItems', 'parameters.fallbackItemId', { operation: 'matchInvoiceLines', ifNotFound: 'useFallback' }, 'widget');
		expect(products.results.map((result) => result.name)).toEqual(['Widget Pro (PROD-002)', 'Widget Standard (PROD-001)']);
		const mapping = { mappings: { mapping: [{ hubspotTaxRate: '1001', quickbooksTaxCode: { __rl: true, mode: 'list', value: '' } }] } };
		const taxCodes = await search('taxMap', 'searchQuickBooksTaxCodes', 'parameters.mappings.mapping[0].quickbooksTaxCode', { hubspotAuthentication: 'none', ...mapping }, 'ta');
		expect(taxCodes.results.map((result) => result.value)).toEqual(['3', 'TAX']);
	});

	it('imports a credential (with OAuth token data) and a workflow through the n8n CLI while the server runs', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'n8n-e2e-import-'));
		const { quickbooks } = sandbox.credentials;
		writeFileSync(
			join(dir, 'credentials.json'),
			JSON.stringify([
				{
					id: 'cliQuickBooks001',
					name: 'QuickBooks (CLI import)',
					type: 'quickBooksInvoiceSyncOAuth2Api',
					data: {
						useCustomBaseUrl: true,
						baseUrl: sandbox.urls.quickbooks,
						clientId: quickbooks.clientId,
						clientSecret: quickbooks.clientSecret,
						oauthTokenData: quickbooks.oauthTokenData,
					},
				},
			]),
		);
		writeFileSync(
			join(dir, 'workflow.json'),
			JSON.stringify({
				id: 'cliWorkflow00001',
				// n8n 2.x's import:workflow needs a versionId (NOT NULL); 1.123 fills one in.
				versionId: '6f1d3a52-0c44-4a55-9a63-0d1b7d1e5c01',
				name: 'e2e: CLI import',
				active: false,
				nodes: [
					{
						id: 'c1',
						name: 'Tax Map',
						type: `${PACKAGE_NAME}.taxMap`,
						typeVersion: 1,
						position: [0, 0],
						parameters: {},
						credentials: { quickBooksInvoiceSyncOAuth2Api: { id: 'cliQuickBooks001', name: 'QuickBooks (CLI import)' } },
					},
				],
				connections: {},
				settings: { executionOrder: 'v1' },
			}),
		);

		await context.server.importCredentials(join(dir, 'credentials.json'));
		await context.server.importWorkflows(join(dir, 'workflow.json'));

		expect((await api.getCredential('cliQuickBooks001')).data?.oauthTokenData).toBe(true);
		const workflow = await api.getWorkflow('cliWorkflow00001');
		expect(workflow.nodes.map((node) => node.type)).toEqual([`${PACKAGE_NAME}.taxMap`]);
		rmSync(dir, { recursive: true, force: true });
	});

	it('issues a public-API key that lists workflows on /api/v1', async () => {
		const key = await api.createApiKey('e2e');
		const response = await fetch(`${context.server.url}/api/v1/workflows`, { headers: { 'X-N8N-API-KEY': key } });
		expect(response.status).toBe(200);
		const body = (await response.json()) as { data: Array<{ name: string }> };
		expect(body.data.map((workflow) => workflow.name)).toContain('e2e: CLI import');
	});

	it('routes an invalid item to Customer Resolve\'s error output with code INVALID_INPUT (zod validation at runtime)', async () => {
		const credential = await createQuickBooksCredential(api, sandbox);
		const workflow = await api.createWorkflow({
			name: 'e2e: invalid input to error output',
			nodes: [
				{ id: 'n1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'n2',
					name: 'Not an invoice',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [220, 0],
					parameters: { mode: 'raw', jsonOutput: '{ "invoice": { "number": 42 } }', options: {} },
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
				Start: { main: [[{ node: 'Not an invoice', type: 'main', index: 0 }]] },
				'Not an invoice': { main: [[{ node: 'Customer Resolve', type: 'main', index: 0 }]] },
			},
		});

		const execution = await api.runWorkflowAndWait(workflow.id, 'Start');

		expect(execution.mode).toBe('manual');
		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'Customer Resolve', 0)).toEqual([]);
		const failed = nodeOutput(execution, 'Customer Resolve', 1);
		expect(failed).toHaveLength(1);
		expect(failed[0].error).toEqual(expect.objectContaining({ code: 'INVALID_INPUT' }));
	});

	it('runs HubSpot Invoice Trigger (manual poll) into SKU Match against the sandbox and reads the execution', async () => {
		const quickbooks = await createQuickBooksCredential(api, sandbox);
		const hubspot = await api.createCredential({
			name: 'HubSpot (sandbox app token)',
			type: 'hubSpotInvoiceSyncAppTokenApi',
			data: { accessToken: sandbox.credentials.hubspot.accessToken, useCustomBaseUrl: true, baseUrl: sandbox.urls.hubspot },
		});
		const workflow = await api.createWorkflow({
			name: 'e2e: trigger to SKU Match',
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
				{
					id: 't2',
					name: 'SKU Match',
					type: `${PACKAGE_NAME}.skuMatch`,
					typeVersion: 1,
					position: [220, 0],
					parameters: {},
					credentials: { quickBooksInvoiceSyncOAuth2Api: quickbooks },
					onError: 'continueErrorOutput',
				},
			],
			connections: { 'HubSpot Invoice Trigger': { main: [[{ node: 'SKU Match', type: 'main', index: 0 }]] } },
		});
		sandbox.log.clear();

		const execution = await api.runWorkflowAndWait(workflow.id, 'HubSpot Invoice Trigger');

		expect(execution.status).toBe('success');
		// A manual run of the trigger emits the latest invoice ("Test Run Invoices" defaults to 1).
		const invoices = nodeOutput(execution, 'HubSpot Invoice Trigger');
		expect(invoices).toHaveLength(1);
		expect(invoices[0]).toEqual(expect.objectContaining({ invoice: expect.objectContaining({ number: expect.any(String) }) }));
		const matched = nodeOutput(execution, 'SKU Match', 0);
		const failed = nodeOutput(execution, 'SKU Match', 1);
		expect(matched.length + failed.length).toBe(1);
		// The QuickBooks simulator answered with data, so the stored access token reached it.
		expect(sandbox.log.count((entry) => entry.api === 'quickbooks' && entry.status === 200)).toBeGreaterThan(0);
		expect(sandbox.log.count((entry) => entry.api === 'hubspot' && entry.status === 200)).toBeGreaterThan(0);
	});
});

async function createQuickBooksCredential(api: N8nRestClient, sandbox: Sandbox): Promise<{ id: string; name: string }> {
	const { quickbooks } = sandbox.credentials;
	const created = await api.createCredential({
		name: `QuickBooks (sandbox) ${Math.random().toString(36).slice(2, 8)}`,
		type: 'quickBooksInvoiceSyncOAuth2Api',
		data: {
			useCustomBaseUrl: true,
			baseUrl: sandbox.urls.quickbooks,
			clientId: quickbooks.clientId,
			clientSecret: quickbooks.clientSecret,
			oauthTokenData: quickbooks.oauthTokenData,
		},
	});
	return { id: created.id, name: created.name };
}
