/**
 * The reliability suite's way of running the QuickBooks → HubSpot direction: the two reverse
 * templates ("QuickBooks → HubSpot invoice sync": QuickBooks Trigger → Customer Resolve → SKU Match
 * → Tax Map → HubSpot Invoice Upsert; "QuickBooks payments → HubSpot": QuickBooks Trigger → HubSpot
 * Invoice Upsert) wired for the sandbox as `npm start` wires them, minus Slack, each split into the
 * two steps an active workflow has: a poll (the cursor moves only when it succeeds, as n8n saves
 * static data at emit) and an execution of the rest over the poll's items, which a test can run
 * again over the same items (n8n's "retry").
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import type { ReverseTaxMapping } from '../../sandbox/dataset';
import { toHubSpotFailure, toHubSpotWrite } from '../demo/reverseReport';
import { REVERSE_TEMPLATE_FILES, type ReverseTemplateKey } from '../demo/templates';
import { direction, type Direction } from '../../test/twoWay/directions';
import { runPoll, runWorkflow, type HarnessCredentials, type WorkflowRunResult } from '../../test/harness';

/** What a reverse driver needs; plain JSON so a child process can read it from a file. */
export interface ReverseDriverConfig {
	urls: Sandbox['urls'];
	taxMapping: ReverseTaxMapping[];
	backfillSince: string;
	/** The templates' HubSpot nodes use this authentication (wiring sets the private-app token; OAuth2 lets tokens expire). */
	hubspotAuthentication?: 'appToken' | 'oAuth2';
}

/** One item at the end of a reverse execution: written (its upsert action) or failed (its code). */
export interface ReverseItemOutcome {
	/** The QuickBooks invoice the item is about (an invoice, a payment or a deletion). */
	quickbooksId: string;
	/** created | updated | unchanged | voided | paymentApplied …, or 'error'. */
	outcome: string;
	hubspotId?: string;
	code?: string;
	retryable?: boolean;
	node?: string;
	json: IDataObject;
}

export interface ReverseExecution {
	template: ReverseTemplateKey;
	inputCount: number;
	outcomes: ReverseItemOutcome[];
	/** Input items that reached no output (never expected). */
	lost: number;
	/** Errors that stopped a node (never expected: every failure is an item on an error output). */
	nodeErrors: Record<string, string>;
	run?: WorkflowRunResult['run'];
	thrown?: string;
}

export const REVERSE_TEMPLATES: ReverseTemplateKey[] = ['reverseSync', 'reversePayments'];

/** The harness credentials for the sandbox: QuickBooks OAuth2 on the data set's company, HubSpot both ways. */
export function reverseCredentials(sandbox: Pick<Sandbox, 'urls' | 'credentials'>, realmId = sandbox.credentials.quickbooks.realmId): HarnessCredentials {
	const { urls, credentials } = sandbox;
	const qbo = credentials.quickbooks;
	return JSON.parse(JSON.stringify({
		quickBooksInvoiceSyncOAuth2Api: {
			useCustomBaseUrl: true,
			baseUrl: urls.quickbooks,
			clientId: qbo.clientId,
			clientSecret: qbo.clientSecret,
			accessTokenUrl: `${urls.quickbooks}/oauth2/v1/tokens/bearer`,
			authUrl: `${urls.quickbooks}/connect/oauth2`,
			authentication: 'header',
			grantType: 'authorizationCode',
			oauthTokenData: { ...qbo.oauthTokenData, callbackQueryString: { realmId } },
		},
		hubSpotInvoiceSyncAppTokenApi: { accessToken: credentials.hubspot.accessToken, useCustomBaseUrl: true, baseUrl: urls.hubspot },
		hubSpotInvoiceSyncOAuth2Api: {
			useCustomBaseUrl: true,
			baseUrl: urls.hubspot,
			clientId: credentials.hubspot.clientId,
			clientSecret: credentials.hubspot.clientSecret,
			oauthTokenData: credentials.hubspot.oauth,
		},
	})) as HarnessCredentials;
}

/** The QuickBooks invoice an item of the reverse direction is about. */
export function quickBooksIdOfItem(json: IDataObject): string {
	return toHubSpotFailure(json).quickbooksId;
}

export function collectReverseOutcomes(dir: Direction, run: Pick<WorkflowRunResult, 'ran' | 'output' | 'nodeError'>): { outcomes: ReverseItemOutcome[]; nodeErrors: Record<string, string> } {
	const outcomes: ReverseItemOutcome[] = [];
	const nodeErrors: Record<string, string> = {};
	for (const node of dir.nodes) {
		if (node === dir.trigger || !run.ran(node.name)) continue;
		const error = run.nodeError(node.name);
		if (error) nodeErrors[node.name] = error.message;
		for (const { json } of run.output(node.name, 1)) {
			const failure = toHubSpotFailure(json);
			const itemError = (json.error ?? {}) as IDataObject;
			outcomes.push({ quickbooksId: failure.quickbooksId, outcome: 'error', code: failure.code, retryable: itemError.retryable === true, node: node.name, json });
		}
	}
	if (run.ran(dir.upsert.name)) {
		for (const { json } of run.output(dir.upsert.name, 0)) {
			const write = toHubSpotWrite(json);
			outcomes.push({ quickbooksId: write.sourceId, outcome: write.action, hubspotId: write.targetId, json });
		}
	}
	return { outcomes, nodeErrors };
}

export class ReverseDriver {
	readonly directions: Record<ReverseTemplateKey, Direction>;

	constructor(
		readonly config: ReverseDriverConfig,
		/** The stored credentials, updated with what n8n-core refreshed. */
		public credentials: HarnessCredentials,
		/** Each template's static data (the QuickBooks Trigger's cursor). */
		staticData: Partial<Record<ReverseTemplateKey, IDataObject>> = {},
	) {
		const slack = { urls: config.urls } as Sandbox;
		const entries = REVERSE_TEMPLATES.map((key) => {
			const dir = direction(REVERSE_TEMPLATE_FILES[key], slack, config.taxMapping, config.backfillSince);
			if (config.hubspotAuthentication === 'oAuth2') for (const node of dir.nodes) if (node.parameters.hubspotAuthentication) node.parameters.hubspotAuthentication = 'oAuth2';
			dir.staticData = staticData[key] ?? {};
			return [key, dir] as const;
		});
		this.directions = Object.fromEntries(entries) as Record<ReverseTemplateKey, Direction>;
	}

	staticData(): Record<ReverseTemplateKey, IDataObject> {
		return Object.fromEntries(REVERSE_TEMPLATES.map((key) => [key, this.directions[key].staticData])) as Record<ReverseTemplateKey, IDataObject>;
	}

	private absorb(updates: Array<{ type: string; data: IDataObject }>): void {
		for (const update of updates) this.credentials[update.type] = { ...this.credentials[update.type], ...update.data } as HarnessCredentials[string];
	}

	/** One poll of the template's trigger; the cursor moves only when it succeeds. */
	async poll(key: ReverseTemplateKey): Promise<IDataObject[]> {
		const dir = this.directions[key];
		const working = JSON.parse(JSON.stringify(dir.staticData)) as IDataObject;
		const result = await runPoll({ nodeType: dir.trigger.type, parameters: dir.trigger.parameters, credentials: this.credentials, staticData: working, nodeName: dir.trigger.name });
		this.absorb(result.credentialUpdates as never);
		for (const name of Object.keys(dir.staticData)) delete dir.staticData[name];
		Object.assign(dir.staticData, working);
		const emitted: INodeExecutionData[] = result.items?.[0] ?? [];
		return emitted.map((item) => item.json);
	}

	/**
	 * The template's trigger executed by hand with *Backfill Since* `since`, as a user recovers after a
	 * crashed execution (README "Running at scale"): every change since then at once, the cursor untouched.
	 */
	async backfillByHand(key: ReverseTemplateKey, since: string): Promise<IDataObject[]> {
		const dir = this.directions[key];
		const result = await runPoll({
			nodeType: dir.trigger.type,
			parameters: { ...dir.trigger.parameters, backfillSince: since },
			credentials: this.credentials,
			staticData: JSON.parse(JSON.stringify(dir.staticData)) as IDataObject,
			nodeName: dir.trigger.name,
			mode: 'manual',
		});
		this.absorb(result.credentialUpdates as never);
		const emitted: INodeExecutionData[] = result.items?.[0] ?? [];
		return emitted.map((item) => item.json);
	}

	/** One execution of the template after its trigger over `items` (mode 'trigger', as an active workflow). */
	async execute(key: ReverseTemplateKey, items: IDataObject[]): Promise<ReverseExecution> {
		const dir = this.directions[key];
		const empty: ReverseExecution = { template: key, inputCount: items.length, outcomes: [], lost: 0, nodeErrors: {} };
		if (items.length === 0) return empty;
		let run: WorkflowRunResult;
		try {
			run = await runWorkflow({
				nodes: dir.nodes as never,
				connections: dir.connections as never,
				credentials: this.credentials,
				mode: 'trigger',
				startAt: { nodeName: dir.trigger.name, items: items.map((json) => ({ json })) },
			});
		} catch (error) {
			return { ...empty, lost: items.length, thrown: String((error as Error)?.stack ?? error) };
		}
		this.absorb(run.credentialUpdates as never);
		const { outcomes, nodeErrors } = collectReverseOutcomes(dir, run);
		return { ...empty, outcomes, lost: Math.max(0, items.length - outcomes.length), nodeErrors, run: run.run };
	}
}
