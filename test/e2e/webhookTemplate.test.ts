// The webhook variant of the sync template in a real n8n with the packed package installed: the
// HubSpot simulator delivers signed invoice events to the workflow's production webhook URL, the
// workflow syncs the changed invoices into the QuickBooks simulator, a request with a bad
// signature gets 401 and starts nothing, and a retried delivery does not sync twice.
import { start as startSandbox, type Sandbox } from '../../sandbox';
import { DEMO_FEE_ITEM_ID } from '../../sandbox/dataset/default';
import { signedHeaders } from '../../sandbox/hubspot/webhooks';
import type { StoredWorkflow } from '../../scripts/n8n';
import { CREDENTIAL_TYPES, createSandboxCredentials, readTemplate, wireTemplate } from '../../scripts/demo/templates';
import { PACKAGE_NAME, removePackedPackage, startServerWithPackage, type E2eContext } from './helpers';

const TEMPLATE = 'hubspot-to-quickbooks-invoice-sync-webhook.json';
const CLIENT_SECRET = 'sandbox-hubspot-app-client-secret-e2e-webhook';

describe('webhook template in a real n8n, events delivered by the HubSpot simulator', () => {
	let sandbox: Sandbox;
	let context: E2eContext;
	let workflow: StoredWorkflow;
	let webhookUrl: string;

	const qboInvoicesFor = (hubspotId: string) => {
		const invoices = sandbox.quickbooks.state.realms[sandbox.dataset.realmId].entities.Invoice as unknown as Map<string, { PrivateNote?: string; DueDate?: string }>;
		return [...invoices.values()].filter((invoice) => String(invoice.PrivateNote ?? '').includes(`HubSpot invoice ${hubspotId}`));
	};
	/** A request HubSpot did not sign (a made-up signature). */
	const unsigned = async () =>
		await fetch(webhookUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': 'bm90IGEgc2lnbmF0dXJl', 'x-hubspot-request-timestamp': String(Date.now()) },
			body: JSON.stringify([{ objectId: 1, occurredAt: Date.now(), subscriptionType: 'object.creation', objectTypeId: '0-53' }]),
		});
	const openInvoices = () => sandbox.hubspot.state.list('invoices').filter((invoice) => invoice.properties.hs_invoice_status === 'open');

	beforeAll(async () => {
		sandbox = await startSandbox({ dataset: 'default' });
		context = await startServerWithPackage();
		const refs = await createSandboxCredentials(context.api, sandbox);
		const hubspot = await context.api.createCredential({
			name: 'HubSpot (sandbox private app with webhooks)',
			type: CREDENTIAL_TYPES.hubspotAppToken,
			data: { accessToken: sandbox.credentials.hubspot.accessToken, clientSecret: CLIENT_SECRET, useCustomBaseUrl: true, baseUrl: sandbox.urls.hubspot },
		});
		const template = wireTemplate(readTemplate(TEMPLATE), {
			credentials: { ...refs, hubspot: { id: hubspot.id, name: hubspot.name } },
			slackUrl: sandbox.urls.slack,
			taxMapping: sandbox.dataset.taxMapping,
			feeItemId: DEMO_FEE_ITEM_ID,
		});
		workflow = await context.api.createWorkflow(template);
		await context.api.activateWorkflow(workflow.id);
		const trigger = template.nodes.find((node) => node.type === `${PACKAGE_NAME}.hubSpotInvoiceWebhookTrigger`) as unknown as { webhookId: string };
		webhookUrl = `${context.server.url}/webhook/${trigger.webhookId}/hubspot-invoices`;
		// n8n registers a production webhook shortly after activation answers.
		for (let attempt = 0; attempt < 60 && (await unsigned()).status === 404; attempt++) await new Promise((resolve) => setTimeout(resolve, 500));
		sandbox.hubspot.webhooks.configure({ targetUrl: webhookUrl, clientSecret: CLIENT_SECRET, timeScale: 1 / 60_000 });
		sandbox.hubspot.webhooks.subscribe({ subscriptionType: 'object.creation', objectTypeId: '0-53' });
		sandbox.hubspot.webhooks.subscribe({ subscriptionType: 'object.propertyChange', objectTypeId: '0-53', propertyName: 'hs_due_date' });
	});

	afterAll(async () => {
		sandbox?.hubspot.webhooks.close();
		await context?.server.stop();
		await sandbox?.close();
		await removePackedPackage();
	});

	it('answers 401 to a request signed with another secret and starts no execution', async () => {
		const response = await unsigned();
		expect(response.status).toBe(401);
		expect(await context.api.listExecutions({ workflowId: workflow.id })).toHaveLength(0);
	});

	it('a change in HubSpot reaches QuickBooks through the webhook, once, also when HubSpot sends it again', async () => {
		const [first, second] = openInvoices();
		sandbox.hubspot.updateInvoice(first.id, { hs_due_date: '2031-06-30' });
		sandbox.hubspot.updateInvoice(second.id, { hs_due_date: '2031-07-31' });
		await sandbox.hubspot.webhooks.idle();
		expect(sandbox.hubspot.webhooks.attempts.map((attempt) => attempt.status)).toEqual([200]);
		const executions = await context.api.waitForExecutions(workflow.id, 1, 120_000);
		expect(executions.map((execution) => execution.status)).toEqual(['success']);
		expect(qboInvoicesFor(first.id).map((invoice) => invoice.DueDate)).toEqual(['2031-06-30']);
		expect(qboInvoicesFor(second.id).map((invoice) => invoice.DueDate)).toEqual(['2031-07-31']);

		// HubSpot retries a delivery it thinks failed: same events, signed again. Nothing new runs.
		const retry = JSON.stringify([{ eventId: 1, subscriptionId: 101, portalId: 1, appId: 1, occurredAt: Date.parse(first.properties.hs_lastmodifieddate!), subscriptionType: 'object.propertyChange', attemptNumber: 1, objectId: Number(first.id), objectTypeId: '0-53', propertyName: 'hs_due_date', changeSource: 'CRM' }]);
		const response = await fetch(webhookUrl, { method: 'POST', headers: signedHeaders(CLIENT_SECRET, webhookUrl, retry, Date.now()), body: retry });
		expect(response.status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 3000));
		expect(await context.api.listExecutions({ workflowId: workflow.id })).toHaveLength(1);
		expect(qboInvoicesFor(first.id)).toHaveLength(1);
	});
});
