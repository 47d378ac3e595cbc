/**
 * The reliability suite's way of running the sync: the sync template's nodes (scripts/lib/syncPipeline.ts
 * pipelineNodes) through n8n-core's engine via the test harness, split into the two steps an active
 * n8n workflow has — a poll of the trigger (whose
 * items n8n stores with the execution) and an execution of the rest over those items — so a test
 * can re-run an execution over the same items (n8n's "retry"), run two at once, or persist the
 * items of an execution a killed process left behind.
 *
 * Credentials refreshed during a run (OAuth token rotation) are carried over to the next run, as
 * n8n's credential store does.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { textOf } from '../../package/nodes/shared/text';
import type { Sandbox, TaxMapping } from '../../sandbox';
import { PACKAGE_NAME, runPoll, runWorkflow, type HarnessCredentials, type WorkflowRunResult } from '../../test/harness';
import { NODE_NAMES, pipelineNodes, triggerParameters, type SyncPipelineOptions } from '../lib/syncPipeline';

export { NODE_NAMES };

const PIPELINE = [NODE_NAMES.customer, NODE_NAMES.sku, NODE_NAMES.tax, NODE_NAMES.upsert] as const;

/** What a driver needs to reach the sandbox; plain JSON so a child process can get it from a file. */
export interface DriverConfig {
	urls: Sandbox['urls'];
	credentials: Sandbox['credentials'];
	taxMapping: TaxMapping[];
	/** How the trigger (and the write-back) authenticate to HubSpot. OAuth2 lets tokens expire and refresh. */
	hubspotAuthentication?: 'oAuth2' | 'appToken';
	writeBack?: boolean;
	backfillSince?: string;
	maxInvoices?: number;
	/** Extra parameters per node name, merged over the defaults. */
	parameters?: SyncPipelineOptions['parameters'];
}

export interface ItemOutcome {
	hubspotId: string;
	number: string;
	/** created | updated | unchanged | voided | skipped, or 'error'. */
	outcome: string;
	code?: string;
	retryable?: boolean;
	/** The node whose error output the item left by. */
	node?: string;
	quickbooksId?: string;
	json: IDataObject;
}

export interface ExecutionResult {
	inputCount: number;
	outcomes: ItemOutcome[];
	/** Input items that reached no output (never expected). */
	lost: number;
	/** Errors that stopped a node (never expected: every failure should be an item on the error output). */
	nodeErrors: Record<string, string>;
	/** The whole run (all nodes' items and errors), for secret scans. */
	run?: WorkflowRunResult['run'];
	/** Set when runWorkflow itself threw. */
	thrown?: string;
}

/** The harness credentials for a config (copies: a test may change a driver's tokens without touching the sandbox's). */
export function driverCredentials(config: DriverConfig): HarnessCredentials {
	const { urls, credentials } = config;
	return JSON.parse(JSON.stringify({
		hubSpotInvoiceSyncAppTokenApi: { accessToken: credentials.hubspot.accessToken, useCustomBaseUrl: true, baseUrl: urls.hubspot },
		hubSpotInvoiceSyncOAuth2Api: {
			useCustomBaseUrl: true,
			baseUrl: urls.hubspot,
			clientId: credentials.hubspot.clientId,
			clientSecret: credentials.hubspot.clientSecret,
			oauthTokenData: credentials.hubspot.oauth as unknown as IDataObject,
		},
		quickBooksInvoiceSyncOAuth2Api: {
			useCustomBaseUrl: true,
			baseUrl: urls.quickbooks,
			clientId: credentials.quickbooks.clientId,
			clientSecret: credentials.quickbooks.clientSecret,
			oauthTokenData: credentials.quickbooks.oauthTokenData as unknown as IDataObject,
		},
	})) as HarnessCredentials;
}

export function describeItem(json: IDataObject): { hubspotId: string; number: string } {
	const invoice = (json.invoice ?? {}) as IDataObject;
	const source = (invoice.source ?? {}) as IDataObject;
	return { hubspotId: textOf(source.id), number: textOf(invoice.number) };
}

/** Every outcome of one execution: error outputs of each node, then the upsert's main output. */
export function collectOutcomes(run: Pick<WorkflowRunResult, 'ran' | 'output' | 'nodeError'>): { outcomes: ItemOutcome[]; nodeErrors: Record<string, string> } {
	const outcomes: ItemOutcome[] = [];
	const nodeErrors: Record<string, string> = {};
	const record = (json: IDataObject, outcome: string, node?: string) => {
		const error = json.error as IDataObject | undefined;
		const invoice = (((json.quickbooks ?? {}) as IDataObject).invoice ?? {}) as IDataObject;
		outcomes.push({
			...describeItem(json),
			outcome,
			code: error ? textOf(error.code) : undefined,
			retryable: error ? error.retryable === true : undefined,
			node,
			quickbooksId: invoice.id ? textOf(invoice.id) : undefined,
			json,
		});
	};
	for (const name of PIPELINE) {
		const error = run.nodeError(name);
		if (error) nodeErrors[name] = error.message;
		if (!run.ran(name)) continue;
		for (const item of run.output(name, 1)) record(item.json, 'error', name);
	}
	if (run.ran(NODE_NAMES.upsert)) {
		for (const item of run.output(NODE_NAMES.upsert, 0)) {
			const invoice = (((item.json.quickbooks ?? {}) as IDataObject).invoice ?? {}) as IDataObject;
			record(item.json, textOf(invoice.action) || 'unknown');
		}
	}
	return { outcomes, nodeErrors };
}

export class SyncDriver {
	/** The stored credentials, updated after every run with what n8n-core refreshed. */
	credentials: HarnessCredentials;
	/** Workflow static data (the trigger's cursor lives here). */
	staticData: IDataObject;
	readonly options: SyncPipelineOptions;

	constructor(
		readonly config: DriverConfig,
		state: { credentials?: HarnessCredentials; staticData?: IDataObject } = {},
	) {
		this.credentials = state.credentials ?? driverCredentials(config);
		this.staticData = state.staticData ?? {};
		const authentication = config.hubspotAuthentication ?? 'appToken';
		this.options = {
			urls: config.urls,
			credentials: config.credentials,
			taxMapping: config.taxMapping,
			backfillSince: config.backfillSince,
			maxInvoices: config.maxInvoices,
			writeBack: config.writeBack ?? false,
			parameters: {
				...config.parameters,
				[NODE_NAMES.trigger]: { hubspotAuthentication: authentication, ...config.parameters?.[NODE_NAMES.trigger] },
				[NODE_NAMES.upsert]: { hubspotAuthentication: authentication, ...config.parameters?.[NODE_NAMES.upsert] },
			},
		};
	}

	private absorb(updates: Array<{ type: string; data: IDataObject }>): void {
		for (const update of updates) {
			this.credentials[update.type] = { ...this.credentials[update.type], ...update.data } as HarnessCredentials[string];
		}
	}

	/** One poll of the trigger. Mutates `staticData` (the cursor) only when the poll succeeds. */
	async poll(): Promise<IDataObject[]> {
		const working = JSON.parse(JSON.stringify(this.staticData)) as IDataObject;
		const result = await runPoll({
			nodeType: `${PACKAGE_NAME}.hubSpotInvoiceTrigger`,
			nodeName: NODE_NAMES.trigger,
			parameters: triggerParameters(this.options) as never,
			credentials: this.credentials,
			staticData: working,
			mode: 'trigger',
		});
		this.absorb(result.credentialUpdates as never);
		// A poll that threw left the cursor as it was; a successful one moves it (n8n saves it at emit).
		for (const key of Object.keys(this.staticData)) delete this.staticData[key];
		Object.assign(this.staticData, working);
		const emitted: INodeExecutionData[] = result.items?.[0] ?? [];
		return emitted.map((item) => item.json);
	}

	/**
	 * One execution of Customer Resolve → SKU Match → Tax Map → Upsert over `items` (mode 'trigger',
	 * as for an active workflow; the harness's credentials helper reports the tokens n8n-core refreshed).
	 */
	async execute(items: IDataObject[]): Promise<ExecutionResult> {
		if (items.length === 0) return { inputCount: 0, outcomes: [], lost: 0, nodeErrors: {} };
		const connections: IDataObject = {};
		for (let index = 0; index < PIPELINE.length - 1; index++) {
			connections[PIPELINE[index]] = { main: [[{ node: PIPELINE[index + 1], type: 'main', index: 0 }]] };
		}
		let run: WorkflowRunResult;
		try {
			run = await runWorkflow({
				nodes: pipelineNodes(this.options),
				connections: connections as never,
				credentials: this.credentials,
				input: items,
				mode: 'trigger',
			});
		} catch (error) {
			return { inputCount: items.length, outcomes: [], lost: items.length, nodeErrors: {}, thrown: String((error as Error)?.stack ?? error) };
		}
		this.absorb(run.credentialUpdates as never);
		const { outcomes, nodeErrors } = collectOutcomes(run);
		return { inputCount: items.length, outcomes, lost: items.length - outcomes.length, nodeErrors, run: run.run };
	}


}
