/**
 * Node-test harness: runs this package's nodes through n8n-core's real execution engine
 * (`WorkflowExecute`, `PollContext`, `LoadOptionsContext`) with an in-memory credentials helper.
 * See test/harness.test.ts for usage.
 */
import './env';
import 'reflect-metadata';

import * as fs from 'fs';

import { Container } from '@n8n/di';
import {
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	LoadOptionsContext,
	PollContext,
	TriggersAndPollers,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ExecutionError,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
	INodeTypes,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow, createRunExecutionData, deepCopy } from 'n8n-workflow';
import nock from 'nock';

import type { CredentialUpdate, HarnessCredentials } from './credentialsHelper';
import { HarnessCredentialsHelper, credentialIdFor } from './credentialsHelper';
import type { HarnessNodeTypes, LoadOptions } from './loader';
import { PACKAGE_NAME, PACKAGE_ROOT, REPO_ROOT, TEST_PACKAGE_NAME, loadAll } from './loader';

export { PACKAGE_NAME, PACKAGE_ROOT, REPO_ROOT, TEST_PACKAGE_NAME };
export type { CredentialUpdate, HarnessCredentials, LoadOptions };

/** Type of the harness's item source node. */
export const INPUT_NODE_TYPE = `${TEST_PACKAGE_NAME}.input`;
export const INPUT_NODE_NAME = 'Input';

/** Base URL used for every n8n URL in additionalData (they must be absolute). */
export const HARNESS_BASE_URL = 'http://localhost:5678';

/**
 * Every `nodes/<Name>/<Name>.node.ts` of the package as `${PACKAGE_NAME}.<description.name>`,
 * plus (when asked) the harness's test-only nodes as `test.<name>`. Versioned types resolve
 * through `NodeHelpers.getVersionedNodeType`. Type lookups also accept `CUSTOM.<name>` and a bare
 * `<name>`.
 */
export function loadPackageNodeTypes(options: LoadOptions = {}): INodeTypes {
	return loadAll(options).nodeTypes;
}

/** Block real network access but allow loopback servers (the local sandbox). Undo with `nock.enableNetConnect()`. */
export function blockExternalNetwork(): void {
	nock.disableNetConnect();
	nock.enableNetConnect(/127\.0\.0\.1|localhost/);
}

export type NodeDefinition = Partial<INode> & Pick<INode, 'name' | 'type'>;

export interface RunWorkflowOptions {
	nodes: NodeDefinition[];
	connections: IConnections;
	credentials?: HarnessCredentials;
	/** Items emitted by the source node named "Input" (added and wired to the first root node if absent). */
	input?: IDataObject[];
	mode?: WorkflowExecuteMode;
	/** Workflow static data; mutated in place by the run. */
	staticData?: IDataObject;
	timezone?: string;
	/** Register the harness's test-only nodes too (default true). */
	includeTestNodes?: boolean;
	/**
	 * Start at this node with these items, as n8n starts an execution of an ACTIVE polling workflow:
	 * the poll's items enter as the trigger node's data and pass on unchanged (no "Input" node, which
	 * would hold a serialized second copy of every item for the whole execution).
	 */
	startAt?: { nodeName: string; items: INodeExecutionData[] };
}

export interface WorkflowRunResult {
	run: IRun;
	/** Items per output index of the node's LAST run: output(name)[0] = success/main, output(name, 1) = error output when onError=continueErrorOutput. Throws if the node never ran. */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The error of the node's last run (or the run-level error attributed to it). */
	nodeError(nodeName: string): ExecutionError | undefined;
	/** Whether the node ran at all. */
	ran(nodeName: string): boolean;
	/** Credential data persisted during the run (OAuth2 token refreshes), in order. */
	credentialUpdates: CredentialUpdate[];
}

let executionCounter = 0;
const nextExecutionId = () => `${process.pid}-${++executionCounter}`;

function buildAdditionalData(
	credentialsHelper: HarnessCredentialsHelper,
	executionId: string,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	const unsupported = (what: string) => async () => {
		throw new Error(`The node-test harness does not support ${what}`);
	};
	const additionalData: Partial<IWorkflowExecuteAdditionalData> = {
		credentialsHelper,
		hooks,
		executionId,
		workflowId: 'harness-workflow',
		userId: 'harness-user',
		variables: {},
		currentNodeExecutionIndex: 0,
		restApiUrl: `${HARNESS_BASE_URL}/rest`,
		instanceBaseUrl: `${HARNESS_BASE_URL}/`,
		formBaseUrl: `${HARNESS_BASE_URL}/form`,
		formTestBaseUrl: `${HARNESS_BASE_URL}/form-test`,
		formWaitingBaseUrl: `${HARNESS_BASE_URL}/form-waiting`,
		webhookBaseUrl: `${HARNESS_BASE_URL}/webhook`,
		webhookTestBaseUrl: `${HARNESS_BASE_URL}/webhook-test`,
		webhookWaitingBaseUrl: `${HARNESS_BASE_URL}/webhook-waiting`,
		mcpBaseUrl: `${HARNESS_BASE_URL}/mcp`,
		mcpTestBaseUrl: `${HARNESS_BASE_URL}/mcp-test`,
		externalSecretsProxy: new ExternalSecretsProxy(),
		executeWorkflow: unsupported('executeWorkflow (sub-workflows)'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: unsupported('task runners (Code node)'),
	};
	return additionalData as IWorkflowExecuteAdditionalData;
}

/** Fills what n8n's editor would: id, version, position, parameters, and credential refs for given test credentials. */
function completeNode(
	definition: NodeDefinition,
	index: number,
	nodeTypes: HarnessNodeTypes,
	credentials: HarnessCredentials,
): INode {
	const node = deepCopy(definition) as INode;
	node.id ??= `harness-node-${index}`;
	node.typeVersion ??= nodeTypes.defaultVersion(node.type);
	node.position ??= [index * 200, 0];
	node.parameters ??= {};
	const description = nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description;
	for (const { name } of description.credentials ?? []) {
		if (credentials[name] !== undefined && node.credentials?.[name] === undefined) {
			node.credentials = { ...node.credentials, [name]: { id: credentialIdFor(name), name } };
		}
	}
	return node;
}

function hasMainInputs(nodeTypes: HarnessNodeTypes, node: INode): boolean {
	const { inputs } = nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description;
	return !Array.isArray(inputs) || inputs.length > 0;
}

function resultHelpers(run: IRun, credentialUpdates: CredentialUpdate[]): WorkflowRunResult {
	const lastTask = (nodeName: string) => {
		const tasks = run.data.resultData.runData[nodeName];
		return tasks?.[tasks.length - 1];
	};
	return {
		run,
		credentialUpdates,
		ran: (nodeName) => lastTask(nodeName) !== undefined,
		output(nodeName, outputIndex = 0) {
			const task = lastTask(nodeName);
			if (!task) {
				const ran = Object.keys(run.data.resultData.runData).join(', ') || '(none)';
				throw new Error(`Node "${nodeName}" did not run. Nodes that ran: ${ran}`);
			}
			return task.data?.[NodeConnectionTypes.Main]?.[outputIndex] ?? [];
		},
		nodeError(nodeName) {
			const task = lastTask(nodeName);
			if (task?.error) return task.error;
			const runError = run.data.resultData.error;
			if (runError && 'node' in runError && runError.node?.name === nodeName) return runError;
			return undefined;
		},
	};
}

/**
 * Runs a workflow through n8n-core's `WorkflowExecute.processRunExecutionData`, starting at the
 * "Input" source node (or at a trigger/poll root node when there is no input).
 */
export async function runWorkflow(o: RunWorkflowOptions): Promise<WorkflowRunResult> {
	const { nodeTypes, credentialTypes } = loadAll({ includeTestNodes: o.includeTestNodes ?? true });
	const credentials = o.credentials ?? {};
	const mode = o.mode ?? 'manual';
	const connections = deepCopy(o.connections);
	const nodes = o.nodes.map((n, i) => completeNode(n, i, nodeTypes, credentials));

	let startNode = o.startAt ? nodes.find((n) => n.name === o.startAt!.nodeName) : nodes.find((n) => n.name === INPUT_NODE_NAME);
	const startItems: INodeExecutionData[] = o.startAt?.items ?? (o.input ?? [{}]).map((json) => ({ json }));
	if (o.startAt) {
		if (!startNode) throw new Error(`runWorkflow: no node "${o.startAt.nodeName}" to start at`);
	} else if (startNode) {
		if (o.input !== undefined) startNode.parameters.items = JSON.stringify(o.input);
	} else {
		const targets = new Set(
			Object.values(connections).flatMap((byType) =>
				Object.values(byType).flatMap((outputs) =>
					outputs.flatMap((conns) => (conns ?? []).map((c) => c.node)),
				),
			),
		);
		const root = nodes.find((n) => !targets.has(n.name));
		if (!root) throw new Error('runWorkflow: no node without incoming connections');
		if (!hasMainInputs(nodeTypes, root) && o.input === undefined) {
			startNode = root; // trigger / poll root: run it as n8n does in this mode
		} else {
			startNode = completeNode(
				{
					name: INPUT_NODE_NAME,
					type: INPUT_NODE_TYPE,
					parameters: { items: JSON.stringify(o.input ?? [{}]) },
				},
				nodes.length,
				nodeTypes,
				credentials,
			);
			nodes.unshift(startNode);
			connections[INPUT_NODE_NAME] = {
				main: [[{ node: root.name, type: NodeConnectionTypes.Main, index: 0 }]],
			};
		}
	}

	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, nodeTypes);
	await credentialsHelper.setCredentials(credentials);

	const workflow = new Workflow({
		id: 'harness-workflow',
		name: 'Harness workflow',
		nodes,
		connections,
		active: o.startAt !== undefined,
		nodeTypes,
		staticData: o.staticData,
		settings: { executionOrder: 'v1', ...(o.timezone ? { timezone: o.timezone } : {}) },
	});

	const executionId = nextExecutionId();
	const workflowData = {
		id: workflow.id,
		name: workflow.name,
		active: workflow.active,
		isArchived: false,
		nodes,
		connections,
		settings: workflow.settings,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const additionalData = buildAdditionalData(credentialsHelper, executionId, hooks);

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: startNode, data: { main: [startItems] }, source: null },
			],
		},
	});
	const run = await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(
		workflow,
	);
	return resultHelpers(run, credentialsHelper.updates);
}

/**
 * What a node's `getCredentials(type)` returns for the given stored data: the type's defaults
 * (including those inherited along `extends`) applied and expressions resolved, as n8n's
 * credentials helper does. Use it to check a credential's hidden fields (token URLs, ...).
 */
export async function resolveCredentialData(
	type: string,
	data: IDataObject,
	options: LoadOptions = { includeTestNodes: true },
): Promise<IDataObject> {
	const { nodeTypes, credentialTypes } = loadAll(options);
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, nodeTypes);
	await credentialsHelper.setCredentials({ [type]: data as HarnessCredentials[string] });
	const additionalData = buildAdditionalData(credentialsHelper, nextExecutionId());
	return await credentialsHelper.getDecrypted(
		additionalData,
		{ id: credentialIdFor(type), name: type },
		type,
		'manual',
	);
}

/** Loads a workflow JSON file (as exported by n8n); `pinData` is dropped. */
export function workflowFromJson(path: string): { nodes: INode[]; connections: IConnections } {
	const data = JSON.parse(fs.readFileSync(path, 'utf8')) as {
		nodes?: INode[];
		connections?: IConnections;
	};
	if (!Array.isArray(data.nodes)) throw new Error(`${path}: no "nodes" array`);
	return { nodes: data.nodes, connections: data.connections ?? {} };
}

export interface SingleNodeOptions {
	nodeType: string;
	parameters?: INodeParameters;
	credentials?: HarnessCredentials;
	nodeName?: string;
	typeVersion?: number;
	timezone?: string;
	staticData?: IDataObject;
	active?: boolean;
}

export async function singleNodeSetup(o: SingleNodeOptions) {
	const { nodeTypes, credentialTypes } = loadAll({ includeTestNodes: true });
	const credentials = o.credentials ?? {};
	const type = nodeTypes.getByNameAndVersion(o.nodeType, o.typeVersion);
	const node = completeNode(
		{
			name: o.nodeName ?? type.description.defaults.name ?? type.description.displayName,
			type: o.nodeType,
			typeVersion: o.typeVersion,
			parameters: deepCopy(o.parameters ?? {}),
		},
		0,
		nodeTypes,
		credentials,
	);
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, nodeTypes);
	await credentialsHelper.setCredentials(credentials);
	const workflow = new Workflow({
		id: 'harness-workflow',
		name: 'Harness workflow',
		nodes: [node],
		connections: {},
		active: o.active ?? false,
		nodeTypes,
		staticData: o.staticData,
		settings: { executionOrder: 'v1', ...(o.timezone ? { timezone: o.timezone } : {}) },
	});
	const additionalData = buildAdditionalData(credentialsHelper, nextExecutionId());
	return { node, workflow, additionalData, credentialsHelper };
}

export interface RunPollOptions {
	nodeType: string;
	parameters: INodeParameters;
	credentials?: HarnessCredentials;
	/** Workflow static data; the node's `getWorkflowStaticData('node')` lives at `staticData['node:<nodeName>']`. Mutated in place. */
	staticData?: IDataObject;
	mode?: 'manual' | 'trigger';
	timezone?: string;
	/** Node name (default: the type's default name); it keys the node static data. */
	nodeName?: string;
	typeVersion?: number;
}

/** Calls the node's `poll()` with a real n8n-core `PollContext`, through n8n-core's `TriggersAndPollers`. */
export async function runPoll(o: RunPollOptions): Promise<{
	items: INodeExecutionData[][] | null;
	staticData: IDataObject;
	credentialUpdates: CredentialUpdate[];
}> {
	const staticData = o.staticData ?? {};
	const mode = o.mode ?? 'trigger';
	const { node, workflow, additionalData, credentialsHelper } = await singleNodeSetup({
		...o,
		staticData,
		active: mode === 'trigger',
	});
	const activation: WorkflowActivateMode = mode === 'manual' ? 'manual' : 'activate';
	const context = new PollContext(workflow, node, additionalData, mode, activation);
	const items = await Container.get(TriggersAndPollers).runPollFunction(workflow, node, context);
	return { items, staticData, credentialUpdates: credentialsHelper.updates };
}

export interface RunLoadOptionsOptions {
	nodeType: string;
	method: string;
	parameters?: INodeParameters;
	credentials?: HarnessCredentials;
	/** Path of the parameter whose options are loaded, e.g. `parameters.customerId`. */
	path?: string;
	typeVersion?: number;
}

/** Calls `methods.loadOptions[method]` with a real n8n-core `LoadOptionsContext`. */
export async function runLoadOptions(o: RunLoadOptionsOptions): Promise<INodePropertyOptions[]> {
	const { node, workflow, additionalData } = await singleNodeSetup(o);
	const type = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const method = type.methods?.loadOptions?.[o.method];
	if (!method) {
		const known = Object.keys(type.methods?.loadOptions ?? {}).join(', ') || '(none)';
		throw new Error(`${o.nodeType} has no loadOptions method "${o.method}". Known: ${known}`);
	}
	additionalData.currentNodeParameters = node.parameters;
	const context = new LoadOptionsContext(workflow, node, additionalData, o.path ?? `parameters.${o.method}`);
	return await method.call(context);
}

export interface RunListSearchOptions extends RunLoadOptionsOptions {
	/** The text typed in the list's search box. */
	filter?: string;
	/** The token a previous page returned. */
	paginationToken?: string;
}

/** Calls `methods.listSearch[method]` (a resource locator's "From List") as n8n's editor does. */
export async function runListSearch(o: RunListSearchOptions): Promise<INodeListSearchResult> {
	const { node, workflow, additionalData } = await singleNodeSetup(o);
	const type = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const method = type.methods?.listSearch?.[o.method];
	if (!method) {
		const known = Object.keys(type.methods?.listSearch ?? {}).join(', ') || '(none)';
		throw new Error(`${o.nodeType} has no listSearch method "${o.method}". Known: ${known}`);
	}
	additionalData.currentNodeParameters = node.parameters;
	const context = new LoadOptionsContext(workflow, node, additionalData, o.path ?? `parameters.${o.method}`);
	return await method.call(context, o.filter, o.paginationToken);
}
