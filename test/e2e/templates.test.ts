// The workflow templates as a user meets them, in a real n8n (N8N_SYNC_N8N_VERSION, else the
// default; Node 24) with the packed package installed as a community package: the owner is set up
// in the editor, every template is imported with `n8n import:workflow`, the sandbox credentials are
// wired in, the sync template runs three times against the sandbox (asserted in the sandbox's own
// state), the nightly audit posts its summary, and the editor finds the nodes and renders every
// template as installed. The Slack-app variant of the sync (n8n's Slack node, which only reaches
// slack.com) is imported, validated and rendered, not run. Then both directions run together (bothDirections.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { NodeHelpers, type INode, type INodeTypeDescription } from 'n8n-workflow';

import { start as startSandbox, type Sandbox } from '../../sandbox';
import { DEMO_FEE_ITEM_ID } from '../../sandbox/dataset/default';
import type { QboRecord } from '../../sandbox/quickbooks';
import type { SlackMessage } from '../../sandbox/slack';
import { nodeOutput, packageTypeNames, type ExecutionDetail, type N8nRestClient, type StoredWorkflow, type WorkflowJson } from '../../scripts/n8n';
import { openEditor, type Editor } from '../../scripts/n8n/browser';
import { compareWithExpectations, expectedCounts, sandboxQuickBooksInvoices, summarizeSyncExecution, type SyncExecutionSummary } from '../../scripts/demo/report';
import {
	CREDENTIAL_TYPES,
	TEMPLATE_DIR,
	TEMPLATE_FILES,
	TEMPLATE_TRIGGERS,
	backfillDateFor,
	createSandboxCredentials,
	readTemplate,
	templateFiles,
	wireTemplate,
	type SandboxCredentialRefs,
	type TemplateKey,
} from '../../scripts/demo/templates';
import { describeBothDirections } from './bothDirections';
import { PACKAGE_NAME, ensureTestOutputDir, packageLoadErrors, removePackedPackage, startServerWithPackage, type E2eContext } from './helpers';

const RUN_TIMEOUT_MS = 5 * 60 * 1000;
const KEYS = Object.keys(TEMPLATE_FILES) as TemplateKey[];
/** The sync with n8n's Slack node for its alerts: needs a Slack app, so it is not run here. */
const SLACK_APP_TEMPLATE = 'hubspot-to-quickbooks-invoice-sync-slack-app.json';
/** The n8n whose built-in node versions the templates use (the oldest tested n8n they import into). */
const TEMPLATES_REFERENCE_N8N = /^1\.123\./;
const LINK_LINE = /^\s*HubSpot invoice (\d+)\s*$/;

type Node = WorkflowJson['nodes'][number] & { parameters?: Record<string, unknown>; credentials?: Record<string, { id: string; name: string }> };

describe('workflow templates in a real n8n, imported as a user would and run against the sandbox', () => {
	let sandbox: Sandbox;
	let context: E2eContext;
	let api: N8nRestClient;
	let editor: Editor;
	let credentials: SandboxCredentialRefs;
	const workflows = {} as Record<TemplateKey, StoredWorkflow>;
	let slackApp: StoredWorkflow;
	/** Every template file, as imported (stored workflow by file name). */
	const imported = new Map<string, StoredWorkflow>();
	const allImported = () => [...imported.values()];
	const descriptions = new Map<string, INodeTypeDescription>();
	const timings: Record<string, number> = {};
	let firstRun: SyncExecutionSummary;

	const realm = () => sandbox.quickbooks.state.realms[sandbox.dataset.realmId];
	const qboInvoices = (): QboRecord[] => [...realm().entities.Invoice.values()];
	/** Id → SyncToken of every QuickBooks invoice: any create, update or void changes it. */
	const qboFingerprint = () => Object.fromEntries(qboInvoices().map((invoice) => [String(invoice.Id), String(invoice.SyncToken)]));
	const seededInvoiceIds = () =>
		new Set((sandbox.dataset.quickbooks.find((company) => company.realmId === sandbox.dataset.realmId)!.entities.Invoice ?? []).map((record: QboRecord) => String(record.Id)));
	/** QuickBooks invoices that belong to a HubSpot invoice: linked in PrivateNote, or with its number. */
	const qboInvoicesFor = (hubspotId: string, number: string) =>
		qboInvoices().filter(
			(invoice) =>
				String(invoice.PrivateNote ?? '')
					.split(/\r?\n/)
					.some((line) => LINK_LINE.exec(line)?.[1] === hubspotId) || invoice.DocNumber === number,
		);
	const expectations = () => Object.entries(sandbox.dataset.expectations);

	const descriptionOf = async (node: { type: string; typeVersion?: unknown }): Promise<INodeTypeDescription> => {
		const version = Number(node.typeVersion ?? 1);
		const key = `${node.type}@${version}`;
		if (!descriptions.has(key)) {
			const [description] = await api.nodeTypeDescriptions([{ name: node.type, version }]);
			if (!description) throw new Error(`the server has no description of ${key}`);
			descriptions.set(key, description as unknown as INodeTypeDescription);
		}
		return descriptions.get(key)!;
	};

	/** n8n's own parameter validation (what the editor marks on a node), with the server's node descriptions. */
	const parameterIssues = async (node: Node): Promise<string[]> => {
		const description = await descriptionOf(node);
		const asNode = { ...node, typeVersion: Number(node.typeVersion ?? 1), parameters: node.parameters ?? {} } as unknown as INode;
		const parameters = NodeHelpers.getNodeParameters(description.properties, asNode.parameters, true, false, asNode, description) ?? {};
		const issues = NodeHelpers.getNodeParametersIssues(description.properties, { ...asNode, parameters }, description);
		return Object.entries(issues?.parameters ?? {}).flatMap(([name, messages]) => messages.map((message) => `${node.name}.${name}: ${message}`));
	};

	/** Credentials the node's description asks for (given its parameters) that are not set to an existing credential. */
	const credentialIssues = async (node: Node, existing: Set<string>): Promise<string[]> => {
		const description = await descriptionOf(node);
		const asNode = { ...node, typeVersion: Number(node.typeVersion ?? 1), parameters: node.parameters ?? {} } as unknown as INode;
		const parameters = NodeHelpers.getNodeParameters(description.properties, asNode.parameters, true, false, asNode, description) ?? {};
		const issues: string[] = [];
		for (const credential of description.credentials ?? []) {
			if (!NodeHelpers.displayParameter(parameters, credential, asNode, description)) continue;
			const chosen = node.credentials?.[credential.name];
			if (credential.required && !(chosen?.id && existing.has(chosen.id))) issues.push(`${node.name}: ${credential.name} not set`);
		}
		return issues;
	};

	const slackMessages = (): SlackMessage[] => sandbox.slack.messages;

	const run = async (key: TemplateKey, label: string): Promise<ExecutionDetail> => {
		const started = Date.now();
		const execution = await api.runWorkflowAndWait(workflows[key].id, TEMPLATE_TRIGGERS[key], RUN_TIMEOUT_MS);
		timings[label] = Date.now() - started;
		return execution;
	};

	beforeAll(async () => {
		let started = Date.now();
		sandbox = await startSandbox({ limits: false });
		context = await startServerWithPackage({ ownerSetup: 'none' });
		api = context.api;
		timings['install + start n8n'] = Date.now() - started;
		// A fresh instance: the owner is set up in the editor, as a user does on first visit.
		started = Date.now();
		expect(await api.needsOwnerSetup()).toBe(true);
		editor = await openEditor(context.server.url);
		await api.login();
		timings['owner setup in the editor'] = Date.now() - started;
	});

	afterAll(async () => {
		if (context) writeFileSync(join(ensureTestOutputDir(), 'templates-n8n-server.log'), context.server.logs.join(''));
		writeFileSync(join(ensureTestOutputDir(), 'templates-timings.json'), JSON.stringify(timings, null, 2));
		await editor?.close();
		await context?.server.stop();
		await sandbox?.close();
		await removePackedPackage();
	});

	it('loads the package without module-resolution or load errors', () => {
		expect(packageLoadErrors(context.server.logs)).toEqual([]);
	});

	it('imports every template in workflows-templates/ with `n8n import:workflow`', async () => {
		expect(templateFiles()).toEqual(expect.arrayContaining([...Object.values(TEMPLATE_FILES), SLACK_APP_TEMPLATE]));
		const started = Date.now();
		await context.server.importWorkflows(TEMPLATE_DIR);
		timings[`n8n import:workflow (${templateFiles().length} templates)`] = Date.now() - started;

		const stored = await api.listWorkflows();
		for (const file of templateFiles()) {
			const name = readTemplate(file).name;
			const matching = stored.filter((workflow) => workflow.name === name);
			expect({ name, imported: matching.length }).toEqual({ name, imported: 1 });
			imported.set(file, await api.getWorkflow(matching[0].id));
			expect(imported.get(file)!.active).toBe(false);
		}
		for (const key of KEYS) workflows[key] = imported.get(TEMPLATE_FILES[key])!;
		slackApp = imported.get(SLACK_APP_TEMPLATE)!;
	});

	it('has no unknown node types: every node of every template is known to the server in its version', async () => {
		// /types/nodes.json has one entry per node type and version range.
		const known = new Map<string, number[]>();
		for (const type of await api.nodeTypes()) known.set(type.name, [...(known.get(type.name) ?? []), ...([] as number[]).concat(type.version)]);
		const reference = TEMPLATES_REFERENCE_N8N.test(context.server.install.version);
		for (const workflow of allImported()) {
			for (const node of workflow.nodes) {
				const versions = known.get(node.type);
				expect({ node: node.name, type: node.type, known: Boolean(versions?.includes(Number(node.typeVersion))) }).toEqual({
					node: node.name,
					type: node.type,
					known: true,
				});
				// On the reference n8n, each node is in the newest version that n8n offers (what it adds to a new workflow).
				if (reference) expect({ node: node.name, typeVersion: Number(node.typeVersion) }).toEqual({ node: node.name, typeVersion: Math.max(...versions!) });
			}
			const ours = workflow.nodes.filter((node) => node.type.startsWith(`${PACKAGE_NAME}.`));
			expect(ours.length).toBeGreaterThan(0);
		}
		for (const key of KEYS) {
			expect(workflows[key].nodes.map((node) => node.name).sort()).toEqual(readTemplate(key).nodes.map((node) => node.name).sort());
		}
	});

	it('has no parameter issues in any imported node (n8n\'s validation against the server\'s node descriptions)', async () => {
		for (const key of KEYS) {
			for (const node of workflows[key].nodes as Node[]) expect(await parameterIssues(node)).toEqual([]);
		}
		// The check can fail: a Slack Alert without its URL is reported.
		const slack = workflows.sync.nodes.find((node) => node.name === 'Slack Alert') as Node;
		expect(await parameterIssues({ ...slack, parameters: { ...slack.parameters, url: '' } })).not.toEqual([]);
		// The Slack-app variant: only the channel, which the user picks from their workspace, is left to set.
		const issues = (await Promise.all((slackApp.nodes as Node[]).map((node) => parameterIssues(node)))).flat();
		expect(issues.filter((issue) => !issue.startsWith('Slack Alert.channelId:'))).toEqual([]);
		const alert = slackApp.nodes.find((node) => node.name === 'Slack Alert') as Node;
		expect(alert.type).toBe('n8n-nodes-base.slack');
		expect(await parameterIssues({ ...alert, parameters: { ...alert.parameters, channelId: { __rl: true, mode: 'id', value: 'C0123456789' } } })).toEqual([]);
	});

	it('as imported, asks for credentials (placeholders only; no secrets shipped)', async () => {
		const existing = new Set((await api.listCredentials()).map((credential) => credential.id));
		const missing = (await Promise.all((workflows.sync.nodes as Node[]).map((node) => credentialIssues(node, existing)))).flat();
		expect(missing.length).toBeGreaterThan(0);
		const slackAppMissing = (await Promise.all((slackApp.nodes as Node[]).map((node) => credentialIssues(node, existing)))).flat();
		expect(slackAppMissing).toContain('Slack Alert: slackApi not set');
	});

	it('wires the sandbox in as the sticky notes tell a user to: credentials, Slack URL, Tax Map rows, backfill date', async () => {
		credentials = await createSandboxCredentials(api, sandbox);
		const backfillSince = backfillDateFor(sandbox.dataset);
		for (const key of KEYS) {
			const wired = wireTemplate(workflows[key], {
				credentials,
				slackUrl: sandbox.urls.slack,
				taxMapping: sandbox.dataset.taxMapping,
				backfillSince: key === 'audit' ? undefined : backfillSince,
				feeItemId: DEMO_FEE_ITEM_ID,
			});
			await api.updateWorkflow(workflows[key].id, { nodes: wired.nodes });
			workflows[key] = await api.getWorkflow(workflows[key].id);
		}

		const existing = new Set((await api.listCredentials()).map((credential) => credential.id));
		for (const key of KEYS) {
			for (const node of workflows[key].nodes as Node[]) {
				expect(await parameterIssues(node)).toEqual([]);
				expect(await credentialIssues(node, existing)).toEqual([]);
			}
		}
		const syncNodes = workflows.sync.nodes as Node[];
		expect(syncNodes.find((node) => node.name === 'Slack Alert')!.parameters!.url).toBe(sandbox.urls.slack);
		expect(syncNodes.find((node) => node.name === 'HubSpot Invoice Trigger')!.credentials).toEqual({
			[CREDENTIAL_TYPES.hubspotAppToken]: credentials.hubspot,
		});
	});

	it('sync, first run: every clean invoice exactly once in QuickBooks, every broken one posted to Slack with its code', async () => {
		const seeded = seededInvoiceIds();
		const before = qboInvoices().length;
		const slackBefore = slackMessages().length;

		const execution = await run('sync', 'sync run 1');

		expect(execution.mode).toBe('manual');
		expect(execution.status).toBe('success');
		const summary = summarizeSyncExecution(execution);
		firstRun = summary;
		expect(summary.lost).toEqual([]);
		expect(compareWithExpectations(summary, sandbox.dataset, sandboxQuickBooksInvoices(sandbox))).toEqual([]);
		const expected = expectedCounts(sandbox.dataset);
		expect(summary.counts).toEqual(expected.counts);
		expect(summary.failed).toEqual(expected.failed);

		// In QuickBooks (the sandbox's state, not what the nodes said).
		for (const [id, expectation] of expectations()) {
			const number = expectation.invoiceNumber!;
			const found = qboInvoicesFor(id, number);
			if (['created', 'updated', 'voided'].includes(expectation.outcome)) {
				expect({ number, inQuickBooks: found.length }).toEqual({ number, inQuickBooks: 1 });
				if (expectation.outcome === 'created') expect(seeded.has(String(found[0].Id))).toBe(false);
				if (expectation.outcome === 'updated') expect(seeded.has(String(found[0].Id))).toBe(true);
				if (expectation.outcome === 'voided') expect(String(found[0].PrivateNote)).toMatch(/^Voided/);
			} else {
				expect({ number, inQuickBooks: found.length }).toEqual({ number, inQuickBooks: 0 });
			}
		}
		expect(qboInvoices().length - before).toBe(expected.counts.created);

		// In Slack: one alert per broken invoice, naming it, its code, the message and the fix.
		const posted = slackMessages().slice(slackBefore);
		const broken = expectations().filter(([, expectation]) => expectation.outcome === 'error');
		expect(posted).toHaveLength(broken.length);
		const emitted = new Map(
			nodeOutput(execution, TEMPLATE_TRIGGERS.sync).map((item) => {
				const invoice = item.invoice as { source: { id: string; url?: string | null } };
				return [invoice.source.id, invoice.source.url ?? null];
			}),
		);
		for (const [id, expectation] of broken) {
			const alerts = posted.filter((message) => String(message.text).includes(`invoice ${expectation.invoiceNumber} `));
			expect({ number: expectation.invoiceNumber, alerts: alerts.length }).toEqual({ number: expectation.invoiceNumber, alerts: 1 });
			const result = summary.results.find((entry) => entry.hubspotId === id)!;
			expect(alerts[0].text).toContain(`*${expectation.code}*: ${result.message}`);
			expect(alerts[0].text).toContain(`*How to fix:* ${result.hint}`);
			// The link needs the portal id (GET /account-info/v3/details); the alert has it whenever the trigger found one.
			const url = emitted.get(id);
			if (url) expect(alerts[0].text).toContain(`<${url}|Open the invoice in HubSpot>`);
		}
	});

	/**
	 * Manual runs (these are manual, like *Execute workflow*) retry every invoice whose last sync
	 * failed, whether it failed before the upsert (no write-back) or at it (written back as failed);
	 * invoices that synced are skipped by the loop guard until they change.
	 */
	const failedInFirstRun = () => firstRun.results.filter((result) => result.outcome === 'error');

	it('sync, second run: creates nothing (QuickBooks untouched) and retries and alerts every still-broken invoice', async () => {
		for (const result of firstRun.results.filter((entry) => entry.node === 'QuickBooks Invoice Upsert')) {
			expect({ number: result.number, status: sandbox.hubspot.state.get('invoices', result.hubspotId)!.properties.qbo_sync_status }).toEqual({
				number: result.number,
				status: 'failed',
			});
		}
		const fingerprint = qboFingerprint();
		const slackBefore = slackMessages().length;

		const execution = await run('sync', 'sync run 2');

		expect(execution.status).toBe('success');
		const summary = summarizeSyncExecution(execution);
		expect(summary.lost).toEqual([]);
		expect(summary.counts.created).toBe(0);
		expect(qboFingerprint()).toEqual(fingerprint);
		const again = failedInFirstRun();
		expect(summary.results.map((result) => `${result.number} ${result.code}`).sort()).toEqual(again.map((result) => `${result.number} ${result.code}`).sort());
		const posted = slackMessages().slice(slackBefore);
		expect(posted).toHaveLength(again.length);
		for (const result of again) expect(posted.filter((message) => String(message.text).includes(`invoice ${result.number} `))).toHaveLength(1);
	});

	it('sync, third run with the write-back hashes cleared in HubSpot: the upsert itself finds every synced invoice and creates nothing', async () => {
		const synced = expectations().filter(([, expectation]) => ['created', 'updated', 'voided'].includes(expectation.outcome));
		for (const [id] of synced) sandbox.hubspot.updateInvoice(id, { qbo_sync_hash: '' });
		const fingerprint = qboFingerprint();

		const execution = await run('sync', 'sync run 3 (hashes cleared)');

		expect(execution.status).toBe('success');
		const summary = summarizeSyncExecution(execution);
		expect(summary.lost).toEqual([]);
		const outcomes = Object.fromEntries(summary.results.filter((result) => result.outcome !== 'error').map((result) => [result.number, result.outcome]));
		expect(outcomes).toEqual(Object.fromEntries(synced.map(([, expectation]) => [expectation.invoiceNumber, 'unchanged'])));
		expect(qboFingerprint()).toEqual(fingerprint);
	});

	it('backfill template: re-running history creates nothing either', async () => {
		const fingerprint = qboFingerprint();

		const execution = await run('backfill', 'backfill run');

		expect(execution.status).toBe('success');
		const summary = summarizeSyncExecution(execution);
		expect(summary.lost).toEqual([]);
		expect(summary.counts.created).toBe(0);
		expect(summary.results.filter((result) => result.outcome === 'error').map((result) => result.number).sort()).toEqual(
			failedInFirstRun().map((result) => result.number).sort(),
		);
		expect(qboFingerprint()).toEqual(fingerprint);
	});

	it('nightly SKU audit (manual run from its schedule trigger): posts one Slack summary', async () => {
		const slackBefore = slackMessages().length;

		const execution = await run('audit', 'nightly audit run');

		expect(execution.status).toBe('success');
		const summary = nodeOutput(execution, 'SKU Audit').find((item) => item.summary === true);
		expect(summary).toEqual(expect.objectContaining({ text: expect.any(String) }));
		const posted = slackMessages().slice(slackBefore);
		expect(posted).toHaveLength(1);
		expect(posted[0].text).toMatch(/^:mag: Nightly SKU audit\n/);
		expect(posted[0].text).toContain(String(summary!.text));
	});

	it("editor: the node panel finds each of the package's nodes by its name", async () => {
		const ours = (await api.nodeTypes()).filter((type) => type.name.startsWith(`${PACKAGE_NAME}.`) && !type.name.endsWith('Tool'));
		expect(ours.map((type) => type.name).sort()).toEqual([...packageTypeNames().nodes].sort());
		await editor.page.goto(`${context.server.url}/workflow/new`);
		for (const { displayName } of ours) {
			const listed = await editor.searchNodes(displayName);
			// The panel lists triggers without the " Trigger" suffix.
			const found = listed.includes(displayName) || listed.includes(displayName.replace(/ Trigger$/, ''));
			expect(found ? displayName : `${displayName} not in ${JSON.stringify(listed)}`).toBe(displayName);
		}
		await editor.screenshot('templates-node-panel');
	});

	it('editor: every imported template renders with all of its nodes installed', async () => {
		for (const [file, workflow] of imported) {
			const label = file.replace(/\.json$/, '');
			await editor.openWorkflow(workflow.id);
			const expectedNodes = workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote').map((node) => node.name);
			expect((await editor.canvasNodes()).sort()).toEqual(expectedNodes.sort());
			expect(await editor.notInstalledNodes()).toEqual([]);
			expect(await editor.page.getByText(/install this node/i).count()).toBe(0);
			await editor.screenshot(`templates-${label}`);
		}
	});

	it('editor: Tax Map lists HubSpot tax rates and QuickBooks tax codes through the wired credentials', async () => {
		await editor.openWorkflow(workflows.sync.id);
		await editor.page.locator('[data-test-id="canvas-node"][data-node-name="Tax Map"]').dblclick();
		const ndv = editor.page.locator('[data-test-id="ndv"]');
		await ndv.waitFor();
		// The mapping rows show the HubSpot tax rates' names the dropdown loaded from HubSpot, and the
		// QuickBooks tax codes as the wiring saved them in their resource locators, "By ID" (the list
		// search behind "From List" is checked in n8nServer.test.ts).
		const shown = async () => await ndv.locator('input').evaluateAll((inputs) => inputs.map((input) => (input as unknown as { value: string }).value));
		// The default data set maps HubSpot 1001 "CA Sales Tax (7.25%)" → QuickBooks 3 "CA Sales Tax", 1002 "Exempt (0%)" → NON.
		const expected = ['CA Sales Tax (7.25%)', 'By ID', '3', 'Exempt (0%)', 'NON'];
		const deadline = Date.now() + 30_000;
		let values = await shown();
		while (!expected.every((value) => values.includes(value)) && Date.now() < deadline) {
			await editor.page.waitForTimeout(500);
			values = await shown();
		}
		await editor.screenshot('templates-sync-tax-map');
		expect(values).toEqual(expect.arrayContaining(expected));
	});

	// The QuickBooks → HubSpot templates beside the HubSpot → QuickBooks sync, on this server (no second n8n start).
	describeBothDirections(() => api);
});
