/**
 * The sync pipeline (trigger → Customer Resolve → SKU Match → Tax Map → QuickBooks Invoice Upsert)
 * run through n8n's own engine (n8n-core, via the test harness) against a sandbox. One poll of the
 * trigger, then one workflow execution over what it emitted — what an active workflow does in n8n
 * (the items enter at the trigger node, mode 'trigger'; see runWorkflow's startAt).
 * Used by sandbox tests, the benchmark and the reliability suite.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { PACKAGE_NAME, REPO_ROOT, runPoll, runWorkflow, type HarnessCredentials, type NodeDefinition } from '../../test/harness';
import type { Sandbox, TaxMapping } from '../../sandbox';

export const NODE_NAMES = {
	trigger: 'HubSpot Invoice Trigger',
	customer: 'Customer Resolve',
	sku: 'SKU Match',
	tax: 'Tax Map',
	upsert: 'QuickBooks Invoice Upsert',
} as const;

const PIPELINE = [NODE_NAMES.customer, NODE_NAMES.sku, NODE_NAMES.tax, NODE_NAMES.upsert] as const;

export interface SyncPipelineOptions {
	urls: Sandbox['urls'];
	credentials: Sandbox['credentials'];
	taxMapping: TaxMapping[];
	/** Workflow static data; pass the same object to later runs to keep the trigger's cursor. */
	staticData?: IDataObject;
	backfillSince?: string;
	statuses?: string[];
	maxInvoices?: number;
	writeBack?: boolean;
	/** Extra parameters per node name, merged over the defaults. */
	parameters?: Partial<Record<(typeof NODE_NAMES)[keyof typeof NODE_NAMES], IDataObject>>;
}

export interface InvoiceOutcome {
	hubspotId: string;
	number: string;
	/** created | updated | unchanged | voided | skipped, or 'error'. */
	outcome: string;
	code?: string;
	node?: string;
	quickbooksId?: string;
	json: IDataObject;
}

export interface SyncRunResult {
	emitted: number;
	outcomes: InvoiceOutcome[];
	byOutcome: Record<string, number>;
	failedByCode: Record<string, number>;
	/** Emitted items that reached no output (must always be 0). */
	lost: number;
	nodeErrors: Record<string, string>;
}

export function harnessCredentials(options: Pick<SyncPipelineOptions, 'urls' | 'credentials'>): HarnessCredentials {
	return {
		hubSpotInvoiceSyncAppTokenApi: { accessToken: options.credentials.hubspot.accessToken, useCustomBaseUrl: true, baseUrl: options.urls.hubspot },
		quickBooksInvoiceSyncOAuth2Api: {
			useCustomBaseUrl: true,
			baseUrl: options.urls.quickbooks,
			clientId: options.credentials.quickbooks.clientId,
			clientSecret: options.credentials.quickbooks.clientSecret,
			oauthTokenData: options.credentials.quickbooks.oauthTokenData as unknown as IDataObject,
		},
	};
}

export function triggerParameters(options: SyncPipelineOptions): IDataObject {
	const trigger = readTemplate().nodes.find((node) => node.name === NODE_NAMES.trigger);
	return {
		...(trigger?.parameters as IDataObject),
		hubspotAuthentication: 'appToken',
		backfillSince: options.backfillSince ?? '2020-01-01T00:00:00.000Z',
		...(options.statuses ? { statuses: options.statuses } : {}),
		...(options.maxInvoices ? { maxInvoices: options.maxInvoices } : {}),
		...options.parameters?.[NODE_NAMES.trigger],
	};
}

export const SYNC_TEMPLATE = path.join(REPO_ROOT, 'workflows-templates', 'hubspot-to-quickbooks-invoice-sync.json');

function readTemplate(): { nodes: NodeDefinition[] } {
	return JSON.parse(fs.readFileSync(SYNC_TEMPLATE, 'utf8')) as { nodes: NodeDefinition[] };
}

/**
 * The pipeline nodes exactly as the sync template wires them (so tests and the benchmark run the
 * template users import), pointed at the sandbox: private-app token auth, the data set's tax
 * mapping, and the Slack alert left out (its HTTP Request node belongs to n8n-nodes-base; failed
 * invoices are read from each node's error output instead).
 */
export function pipelineNodes(options: SyncPipelineOptions): NodeDefinition[] {
	const template = readTemplate();
	const overrides: Record<string, IDataObject> = {
		[NODE_NAMES.tax]: {
			hubspotAuthentication: 'none',
			mappings: { mapping: options.taxMapping.map((entry) => ({ hubspotTaxRate: entry.hubspotTaxRateId, quickbooksTaxCode: entry.qboTaxCodeId })) },
		},
		[NODE_NAMES.upsert]: { writeBackToHubSpot: options.writeBack ?? false, hubspotAuthentication: 'appToken' },
	};
	return (PIPELINE as readonly string[]).map((name) => {
		const node = template.nodes.find((candidate) => candidate.name === name);
		if (!node) throw new Error(`the sync template has no node "${name}"`);
		return {
			...node,
			credentials: undefined,
			parameters: {
				...(node.parameters as IDataObject),
				...overrides[name],
				...(options.parameters as Record<string, IDataObject> | undefined)?.[name],
			} as INodeParameters,
		};
	});
}

function describe(json: IDataObject): { hubspotId: string; number: string } {
	const invoice = (json.invoice ?? {}) as IDataObject;
	const source = (invoice.source ?? {}) as IDataObject;
	return { hubspotId: String(source.id ?? ''), number: String(invoice.number ?? '') };
}

/** One poll and, when it emits, one execution of the rest of the pipeline. */
export async function runSyncOnce(options: SyncPipelineOptions): Promise<SyncRunResult> {
	const credentials = harnessCredentials(options);
	const staticData = options.staticData ?? {};
	const poll = await runPoll({
		nodeType: `${PACKAGE_NAME}.hubSpotInvoiceTrigger`,
		nodeName: NODE_NAMES.trigger,
		parameters: triggerParameters(options) as INodeParameters,
		credentials,
		staticData,
		mode: 'trigger',
	});
	const trigger: NodeDefinition = {
		name: NODE_NAMES.trigger,
		type: `${PACKAGE_NAME}.hubSpotInvoiceTrigger`,
		typeVersion: 1,
		position: [0, 300],
		parameters: triggerParameters(options) as INodeParameters,
	};
	return await runPipelineFrom(options, trigger, poll.items?.[0] ?? []);
}

/**
 * The execution n8n starts for an active workflow: a trigger's items (a poll's, or a webhook
 * trigger's) enter at the trigger node and run through the rest of the pipeline.
 */
export async function runPipelineFrom(options: SyncPipelineOptions, trigger: NodeDefinition, emitted: INodeExecutionData[]): Promise<SyncRunResult> {
	const credentials = harnessCredentials(options);
	const staticData = options.staticData ?? {};
	const result: SyncRunResult = { emitted: emitted.length, outcomes: [], byOutcome: {}, failedByCode: {}, lost: 0, nodeErrors: {} };
	if (emitted.length === 0) return result;
	const connections: IDataObject = { [trigger.name]: { main: [[{ node: PIPELINE[0], type: 'main', index: 0 }]] } };
	for (let index = 0; index < PIPELINE.length - 1; index++) {
		connections[PIPELINE[index]] = { main: [[{ node: PIPELINE[index + 1], type: 'main', index: 0 }]] };
	}
	const run = await runWorkflow({
		nodes: [trigger, ...pipelineNodes(options)],
		connections: connections as never,
		credentials,
		mode: 'trigger',
		startAt: { nodeName: trigger.name, items: emitted },
		staticData,
	});

	const record = (json: IDataObject, outcome: string, node?: string) => {
		const error = json.error as IDataObject | undefined;
		const quickbooks = (json.quickbooks ?? {}) as IDataObject;
		const invoice = (quickbooks.invoice ?? {}) as IDataObject;
		result.outcomes.push({
			...describe(json),
			outcome,
			code: error ? String(error.code) : undefined,
			node,
			quickbooksId: invoice.id ? String(invoice.id) : undefined,
			json,
		});
		result.byOutcome[outcome] = (result.byOutcome[outcome] ?? 0) + 1;
		if (error) result.failedByCode[String(error.code)] = (result.failedByCode[String(error.code)] ?? 0) + 1;
	};

	// Items the trigger itself marked (INVOICE_INCOMPLETE) carry `error` and fail at the first node.
	for (const name of PIPELINE) {
		const error = run.nodeError(name);
		if (error) result.nodeErrors[name] = error.message;
		if (!run.ran(name)) continue;
		for (const item of run.output(name, 1)) record(item.json, 'error', name);
	}
	if (run.ran(NODE_NAMES.upsert)) {
		for (const item of run.output(NODE_NAMES.upsert, 0)) {
			const invoice = ((item.json.quickbooks as IDataObject)?.invoice ?? {}) as IDataObject;
			record(item.json, String(invoice.action ?? 'unknown'));
		}
	}
	result.lost = emitted.length - result.outcomes.length;
	return result;
}
