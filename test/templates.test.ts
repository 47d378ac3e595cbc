import * as fs from 'fs';
import * as path from 'path';

import type { INodeTypeDescription } from 'n8n-workflow';

import { PACKAGE_NAME, loadPackageNodeTypes } from './harness';

const TEMPLATE_DIR = path.join(__dirname, '..', 'workflows-templates');
const templates = fs.readdirSync(TEMPLATE_DIR).filter((file) => file.endsWith('.json'));
const BUILT_IN_TYPES = new Set(['n8n-nodes-base.httpRequest', 'n8n-nodes-base.stickyNote', 'n8n-nodes-base.scheduleTrigger', 'n8n-nodes-base.manualTrigger', 'n8n-nodes-base.slack']);
/**
 * n8n's built-in nodes in their newest version on the oldest n8n the templates are tested on
 * (1.123; n8n 2.x knows these versions too). The end-to-end tier checks them against the servers.
 */
const BUILT_IN_VERSIONS: Record<string, number> = {
	'n8n-nodes-base.httpRequest': 4.3,
	'n8n-nodes-base.stickyNote': 1,
	'n8n-nodes-base.scheduleTrigger': 1.3,
	'n8n-nodes-base.manualTrigger': 1,
	'n8n-nodes-base.slack': 2.4,
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SYNC = 'hubspot-to-quickbooks-invoice-sync.json';
const SYNC_SLACK_APP = 'hubspot-to-quickbooks-invoice-sync-slack-app.json';
const SYNC_WEBHOOK = 'hubspot-to-quickbooks-invoice-sync-webhook.json';
const REVERSE_SYNC = 'quickbooks-to-hubspot-invoice-sync.json';
const REVERSE_PAYMENTS = 'quickbooks-payments-to-hubspot.json';

interface TemplateNode {
	id: string;
	name: string;
	typeVersion: number;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: string;
}
interface Template {
	name: string;
	versionId: string;
	nodes: TemplateNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(TEMPLATE_DIR, file), 'utf8')) as Template;
const nodeTypes = loadPackageNodeTypes({ includeTestNodes: false });
const describe_ = (type: string) => nodeTypes.getByNameAndVersion(type, 1).description as INodeTypeDescription;

describe('workflow templates', () => {
	it('ships the seven templates', () => {
		expect(templates.sort()).toEqual(['backfill-historical-invoices.json', SYNC_SLACK_APP, SYNC_WEBHOOK, SYNC, 'nightly-sku-audit.json', REVERSE_PAYMENTS, REVERSE_SYNC]);
	});

	describe.each(templates)('%s', (file) => {
		const template = read(file);

		it('uses only this package\'s node types (as a community install names them) and core n8n nodes', () => {
			for (const node of template.nodes) {
				if (BUILT_IN_TYPES.has(node.type)) continue;
				expect(node.type.startsWith(`${PACKAGE_NAME}.`)).toBe(true);
				expect(() => describe_(node.type)).not.toThrow();
			}
		});

		it('sets only parameters the nodes have, and every required one', () => {
			for (const node of template.nodes.filter((candidate) => candidate.type.startsWith(`${PACKAGE_NAME}.`))) {
				const properties = describe_(node.type).properties;
				const known = new Set([...properties.map((property) => property.name), 'pollTimes']);
				for (const key of Object.keys(node.parameters)) expect({ node: node.name, key, known: known.has(key) }).toEqual({ node: node.name, key, known: true });
				for (const property of properties.filter((candidate) => candidate.required && !candidate.displayOptions)) {
					expect({ node: node.name, property: property.name, set: property.name in node.parameters || property.default !== '' }).toMatchObject({ set: true });
				}
			}
		});

		it('gives every node a unique UUID as id, and the workflow a UUID versionId (n8n 2.x requires one)', () => {
			const ids = template.nodes.map((node) => node.id);
			expect(ids.filter((id) => !UUID.test(id))).toEqual([]);
			expect(new Set(ids).size).toBe(ids.length);
			expect(template.versionId).toMatch(UUID);
		});

		it("uses n8n's built-in nodes in their current version and this package's nodes in theirs", () => {
			for (const node of template.nodes) {
				const expected = BUILT_IN_TYPES.has(node.type) ? BUILT_IN_VERSIONS[node.type] : describe_(node.type).version;
				expect({ node: node.name, typeVersion: node.typeVersion }).toEqual({ node: node.name, typeVersion: expected });
			}
		});

		it('says nothing about how the package was made, only what the user does', () => {
			expect(JSON.stringify(template)).not.toMatch(/\bseed\b|\bissue \d|\/work\/|TODO/i);
		});

		it('connects only nodes that exist', () => {
			const names = new Set(template.nodes.map((node) => node.name));
			for (const [from, outputs] of Object.entries(template.connections)) {
				expect(names.has(from)).toBe(true);
				for (const output of outputs.main) for (const target of output) expect(names.has(target.node)).toBe(true);
			}
		});

		it('carries no secrets: credentials are empty placeholders the user picks on import', () => {
			const text = JSON.stringify(template);
			expect(text).not.toMatch(/pat-[a-z0-9]{2,4}-|access_token|refresh_token|client_?secret|Bearer /i);
			for (const node of template.nodes) for (const credential of Object.values(node.credentials ?? {})) expect(credential.id).toBe('');
		});
	});

	it('sync and backfill: every node after the trigger sends failures to one Slack alert naming invoice, code, message, hint and link', () => {
		for (const file of ['hubspot-to-quickbooks-invoice-sync.json', SYNC_WEBHOOK, 'backfill-historical-invoices.json']) {
			const template = read(file);
			const order = ['Customer Resolve', 'SKU Match', 'Tax Map', 'QuickBooks Invoice Upsert'];
			for (const name of order) {
				const node = template.nodes.find((candidate) => candidate.name === name)!;
				expect(node.onError).toBe('continueErrorOutput');
				expect(template.connections[name].main[1].map((target) => target.node)).toEqual(['Slack Alert']);
			}
			const slack = template.nodes.find((node) => node.name === 'Slack Alert')!;
			const body = String(slack.parameters.jsonBody);
			for (const field of ['invoice.number', 'error.code', 'error.message', 'error.hint', 'source.url']) expect(body).toContain(field);
		}
	});

	it("the Slack-app variant is the sync template with n8n's Slack node, a Slack credential and the same alert text", () => {
		const webhook = read(SYNC);
		const slackApp = read(SYNC_SLACK_APP);
		const withoutAlert = (template: Template) =>
			template.nodes.filter((node) => node.name !== 'Slack Alert' && node.type !== 'n8n-nodes-base.stickyNote').map(({ id: _id, ...node }) => node);
		expect(withoutAlert(slackApp)).toEqual(withoutAlert(webhook));
		expect(slackApp.connections).toEqual(webhook.connections);
		const alert = slackApp.nodes.find((node) => node.name === 'Slack Alert')!;
		expect(alert).toMatchObject({
			type: 'n8n-nodes-base.slack',
			credentials: { slackApi: { id: '' } },
			parameters: { resource: 'message', operation: 'post', select: 'channel', messageType: 'text' },
		});
		const text = String(alert.parameters.text);
		expect(text.startsWith('=')).toBe(true);
		for (const field of ['invoice?.number', 'error.code', 'error.message', 'error.hint', 'source.url']) expect(text).toContain(field);
	});

	it('the webhook variant is the sync template with the webhook trigger in front and the polling trigger kept as a safety net', () => {
		const sync = read(SYNC);
		const webhook = read(SYNC_WEBHOOK);
		const pipeline = (template: Template) =>
			template.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote' && !node.type.endsWith('Trigger')).map(({ id: _id, ...node }) => node);
		expect(pipeline(webhook)).toEqual(pipeline(sync));
		const hook = webhook.nodes.find((node) => node.type === `${PACKAGE_NAME}.hubSpotInvoiceWebhookTrigger`)!;
		expect(hook.parameters).toMatchObject({ statuses: ['open', 'paid', 'voided'], skipIntegrationSource: true });
		expect(UUID.test(String((hook as TemplateNode & { webhookId?: string }).webhookId))).toBe(true);
		const poll = webhook.nodes.find((node) => node.type === `${PACKAGE_NAME}.hubSpotInvoiceTrigger`)!;
		expect(poll.parameters).toMatchObject({ statuses: ['open', 'paid', 'voided'], skipIntegrationSource: true });
		for (const trigger of [hook, poll]) expect(webhook.connections[trigger.name].main[0].map((target) => target.node)).toEqual(['Customer Resolve']);
		const { [hook.name]: _hook, ...rest } = webhook.connections;
		expect(rest).toEqual(sync.connections);
	});

	it('the sync template watches Open, Paid and Voided invoices (so voids reach QuickBooks) with the loop guard on', () => {
		const trigger = read('hubspot-to-quickbooks-invoice-sync.json').nodes.find((node) => node.type === `${PACKAGE_NAME}.hubSpotInvoiceTrigger`)!;
		expect(trigger.parameters).toMatchObject({ statuses: ['open', 'paid', 'voided'], skipIntegrationSource: true });
	});

	describe('QuickBooks → HubSpot', () => {
		const nodeOfType = (template: Template, type: string) => template.nodes.filter((node) => node.type === `${PACKAGE_NAME}.${type}`);
		const eventsOf = (file: string) => nodeOfType(read(file), 'quickBooksTrigger')[0].parameters.events as string[];
		const alertFields = ['error.code', 'error.message', 'error.hint'];

		it('the invoice sync runs QuickBooks Trigger → Customer Resolve → SKU Match → Tax Map → HubSpot Invoice Upsert, all three matching in HubSpot', () => {
			const template = read(REVERSE_SYNC);
			const order = ['QuickBooks Trigger', 'Customer Resolve', 'SKU Match', 'Tax Map', 'HubSpot Invoice Upsert'];
			order.slice(0, -1).forEach((name, index) => expect([name, template.connections[name].main[0].map((target) => target.node)]).toEqual([name, [order[index + 1]]]));
			for (const name of ['Customer Resolve', 'SKU Match', 'Tax Map']) {
				const node = template.nodes.find((candidate) => candidate.name === name)!;
				expect([name, node.parameters.destination]).toEqual([name, 'hubspot']);
			}
		});

		it.each([REVERSE_SYNC, REVERSE_PAYMENTS])('%s: every node after the trigger sends failures to one Slack alert naming the invoice, code, message and hint', (file) => {
			const template = read(file);
			const [trigger] = nodeOfType(template, 'quickBooksTrigger');
			const after = template.nodes.filter((node) => node.type.startsWith(`${PACKAGE_NAME}.`) && node !== trigger);
			expect(after.length).toBeGreaterThan(0);
			for (const node of after) {
				expect([node.name, node.onError]).toEqual([node.name, 'continueErrorOutput']);
				expect([node.name, template.connections[node.name].main[1].map((target) => target.node)]).toEqual([node.name, ['Slack Alert']]);
			}
			const body = String(template.nodes.find((node) => node.name === 'Slack Alert')!.parameters.jsonBody);
			for (const field of [...alertFields, file === REVERSE_SYNC ? 'invoice.number' : 'payment.quickbooksInvoiceId']) expect(body).toContain(field);
		});

		it('the QuickBooks triggers keep the loop guard on, and the two templates split the events so each change is handled once', () => {
			for (const file of [REVERSE_SYNC, REVERSE_PAYMENTS]) {
				expect([file, nodeOfType(read(file), 'quickBooksTrigger')[0].parameters.skipLinkedInvoices]).toEqual([file, true]);
			}
			expect(eventsOf(REVERSE_SYNC).sort()).toEqual(['invoiceCreated', 'invoiceUpdated']);
			expect(eventsOf(REVERSE_PAYMENTS).sort()).toEqual(['invoiceVoided', 'paymentReceived']);
		});

		it('the payments template goes straight from the trigger to HubSpot Invoice Upsert, voids on', () => {
			const template = read(REVERSE_PAYMENTS);
			const [trigger] = nodeOfType(template, 'quickBooksTrigger');
			const [upsert] = nodeOfType(template, 'hubSpotInvoiceUpsert');
			expect(template.connections[trigger.name].main[0].map((target) => target.node)).toEqual([upsert.name]);
			expect(upsert.parameters.options).toMatchObject({ syncVoids: true });
		});

		it('both templates explain running the two directions together and which settings keep them from echoing', () => {
			for (const file of [REVERSE_SYNC, REVERSE_PAYMENTS]) {
				const notes = read(file).nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote').map((node) => String(node.parameters.content)).join('\n');
				for (const setting of ['Skip Invoices Synced From HubSpot', 'Skip Integration Source']) expect([file, notes.includes(setting)]).toEqual([file, true]);
			}
		});
	});
});
