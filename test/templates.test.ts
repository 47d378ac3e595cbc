import * as fs from 'fs';
import * as path from 'path';

import type { INodeTypeDescription } from 'n8n-workflow';

import { PACKAGE_NAME, loadPackageNodeTypes } from './harness';

const TEMPLATE_DIR = path.join(__dirname, '..', 'workflows-templates');
const templates = fs.readdirSync(TEMPLATE_DIR).filter((file) => file.endsWith('.json'));
const BUILT_IN_TYPES = new Set(['n8n-nodes-base.httpRequest', 'n8n-nodes-base.stickyNote', 'n8n-nodes-base.scheduleTrigger', 'n8n-nodes-base.manualTrigger']);

interface TemplateNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: string;
}
interface Template {
	name: string;
	nodes: TemplateNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(TEMPLATE_DIR, file), 'utf8')) as Template;
const nodeTypes = loadPackageNodeTypes({ includeTestNodes: false });
const describe_ = (type: string) => nodeTypes.getByNameAndVersion(type, 1).description as INodeTypeDescription;

describe('workflow templates', () => {
	it('ships the three templates', () => {
		expect(templates.sort()).toEqual(['backfill-historical-invoices.json', 'hubspot-to-quickbooks-invoice-sync.json', 'nightly-sku-audit.json']);
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
		for (const file of ['hubspot-to-quickbooks-invoice-sync.json', 'backfill-historical-invoices.json']) {
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

	it('the sync template watches Open, Paid and Voided invoices (so voids reach QuickBooks) with the loop guard on', () => {
		const trigger = read('hubspot-to-quickbooks-invoice-sync.json').nodes.find((node) => node.type === `${PACKAGE_NAME}.hubSpotInvoiceTrigger`)!;
		expect(trigger.parameters).toMatchObject({ statuses: ['open', 'paid', 'voided'], skipIntegrationSource: true });
	});
});
