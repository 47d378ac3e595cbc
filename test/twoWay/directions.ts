/**
 * The templates run as n8n runs an active polling workflow, without a real n8n: one poll of the
 * template's trigger (static data kept between polls), then the rest of the template from the
 * trigger on with the poll's items. Slack alerts are left out; a node's error output is read instead.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import { DEMO_FEE_ITEM_ID } from '../../sandbox/dataset/default';
import type { TaxMapping } from '../../sandbox/dataset';
import { readTemplate, wireTemplate } from '../../scripts/demo/templates';
import { toHubSpotFailure, toHubSpotWrite, type ToHubSpotOutcome } from '../../scripts/demo/reverseReport';
import type { DirectionWrite } from '../../scripts/demo/twoWay';
import type { WorkflowJson } from '../../scripts/n8n';
import { PACKAGE_NAME, runPoll, runWorkflow, type HarnessCredentials } from '../harness';

type TemplateNode = WorkflowJson['nodes'][number] & { parameters: INodeParameters; credentials?: unknown; onError?: string };

export interface Direction {
	name: string;
	nodes: TemplateNode[];
	connections: WorkflowJson['connections'];
	trigger: TemplateNode;
	upsert: TemplateNode;
	staticData: IDataObject;
}

export interface CycleResult {
	emitted: IDataObject[];
	/** The upsert's main output. */
	written: IDataObject[];
	/** Every error output item, with the node it left. */
	failed: Array<{ node: string; json: IDataObject }>;
}

const OUR = (node: { type: string }) => node.type.startsWith(`${PACKAGE_NAME}.`);

/** The template set up for the sandbox as `npm start` does, minus Slack and sticky notes, credentials filled in by the harness. */
export function direction(file: string, sandbox: Sandbox, taxMapping: TaxMapping[], backfillSince: string): Direction {
	const wired = wireTemplate(readTemplate(file), {
		credentials: { hubspot: { id: '', name: 'HubSpot' }, quickbooks: { id: '', name: 'QuickBooks' } },
		slackUrl: sandbox.urls.slack,
		taxMapping,
		backfillSince,
		feeItemId: DEMO_FEE_ITEM_ID,
	});
	const nodes = (wired.nodes as TemplateNode[]).filter(OUR).map(({ credentials: _credentials, ...node }) => node as TemplateNode);
	const names = new Set(nodes.map((node) => node.name));
	const connections = Object.fromEntries(
		Object.entries(wired.connections)
			.filter(([from]) => names.has(from))
			.map(([from, byType]) => [from, { main: (byType as any).main.map((targets: Array<{ node: string }>) => (targets ?? []).filter((target) => names.has(target.node))) }]),
	);
	const trigger = nodes.find((node) => /Trigger$/.test(node.type))!;
	const upsert = nodes.find((node) => /InvoiceUpsert$/.test(node.type))!;
	return { name: wired.name, nodes, connections, trigger, upsert, staticData: {} };
}

/** One poll and, when it emitted anything, one execution of the rest of the template. */
export async function runCycle(dir: Direction, credentials: HarnessCredentials): Promise<CycleResult> {
	const polled = await runPoll({ nodeType: dir.trigger.type, parameters: dir.trigger.parameters, credentials, staticData: dir.staticData, nodeName: dir.trigger.name });
	const items = polled.items?.[0] ?? [];
	if (items.length === 0) return { emitted: [], written: [], failed: [] };
	const result = await runWorkflow({
		nodes: dir.nodes as never,
		connections: dir.connections as never,
		credentials,
		mode: 'trigger',
		startAt: { nodeName: dir.trigger.name, items },
	});
	const failed = dir.nodes
		.filter((node) => node !== dir.trigger && result.ran(node.name))
		.flatMap((node) => result.output(node.name, 1).map((item) => ({ node: node.name, json: item.json })));
	for (const node of dir.nodes) {
		const error = result.ran(node.name) ? result.nodeError(node.name) : undefined;
		if (error) throw new Error(`${dir.name}: ${node.name} failed: ${error.message}`);
	}
	const written = result.ran(dir.upsert.name) ? result.output(dir.upsert.name, 0).map((item) => item.json) : [];
	return { emitted: items.map((item) => item.json), written, failed };
}

/** What the forward upsert wrote, per HubSpot invoice. */
export function forwardWrites(cycle: CycleResult): DirectionWrite[] {
	return cycle.written.map((json: any) => ({ sourceId: String(json.invoice.source.id), targetId: json.quickbooks?.invoice?.id ?? undefined, action: String(json.quickbooks?.invoice?.action) }));
}

/** What the reverse templates did, per QuickBooks invoice: the upsert's writes and every error-output item. */
export function reverseOutcomes(cycle: CycleResult): ToHubSpotOutcome[] {
	return [...cycle.written.map((json) => ({ write: toHubSpotWrite(json) })), ...cycle.failed.map(({ json }) => ({ failure: toHubSpotFailure(json) }))];
}
