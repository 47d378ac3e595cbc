/**
 * One execution of a workflow the way n8n runs an ACTIVE polling workflow: the poll's items are
 * handed to the execution as the trigger node's data, and n8n-core's WorkflowExecute (mode
 * 'trigger') passes them on from the trigger node to the rest of the workflow, unchanged.
 *
 * The harness's runWorkflow instead feeds items through a test "Input" node, which serializes them
 * into a node parameter and parses them back: a second copy of every item, and a JSON string as
 * big as all of them, held for the whole execution. That is harmless in tests but not what n8n
 * does, and at 10,000 invoices it is a hundred-odd MB the benchmark would wrongly charge to the
 * nodes. Built from the harness's own pieces (node loader, in-memory credentials helper).
 */
import { ExecutionLifecycleHooks, ExternalSecretsProxy, WorkflowExecute } from 'n8n-core';
import type { ExecutionError, IConnections, IDataObject, INode, INodeExecutionData, IRun, IWorkflowBase, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { NodeConnectionTypes, Workflow, createRunExecutionData, deepCopy } from 'n8n-workflow';

import { HARNESS_BASE_URL, type HarnessCredentials, type NodeDefinition } from '../../test/harness';
import { HarnessCredentialsHelper, credentialIdFor } from '../../test/harness/credentialsHelper';
import { loadAll } from '../../test/harness/loader';

export interface ActiveExecutionOptions {
	/** Every node of the workflow, the trigger included. */
	nodes: NodeDefinition[];
	connections: IConnections;
	credentials: HarnessCredentials;
	/** The polling trigger the execution starts from. */
	triggerName: string;
	/** What its poll() returned (output 0). */
	items: INodeExecutionData[];
	staticData?: IDataObject;
}

export interface ActiveExecutionResult {
	run: IRun;
	ran(nodeName: string): boolean;
	/** Items of the node's last run on an output (0 = main, 1 = error output). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	nodeError(nodeName: string): ExecutionError | undefined;
}

let executionCounter = 0;

function additionalDataFor(credentialsHelper: HarnessCredentialsHelper, executionId: string, hooks: ExecutionLifecycleHooks): IWorkflowExecuteAdditionalData {
	const unsupported = (what: string) => async () => {
		throw new Error(`the active-execution runner does not support ${what}`);
	};
	const data: Partial<IWorkflowExecuteAdditionalData> = {
		credentialsHelper,
		hooks,
		executionId,
		workflowId: 'sync-pipeline',
		userId: 'sync-pipeline-user',
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
		executeWorkflow: unsupported('sub-workflows'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: unsupported('task runners (Code node)'),
	};
	return data as IWorkflowExecuteAdditionalData;
}

export async function runActiveExecution(o: ActiveExecutionOptions): Promise<ActiveExecutionResult> {
	const { nodeTypes, credentialTypes } = loadAll({ includeTestNodes: true });
	const nodes: INode[] = o.nodes.map((definition, index) => {
		const node = deepCopy(definition) as INode;
		node.id ??= `sync-node-${index}`;
		node.typeVersion ??= nodeTypes.defaultVersion(node.type);
		node.position ??= [index * 200, 0];
		node.parameters ??= {};
		for (const { name } of nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description.credentials ?? []) {
			if (o.credentials[name] !== undefined && node.credentials?.[name] === undefined) {
				node.credentials = { ...node.credentials, [name]: { id: credentialIdFor(name), name } };
			}
		}
		return node;
	});
	const trigger = nodes.find((node) => node.name === o.triggerName);
	if (!trigger) throw new Error(`no node "${o.triggerName}" in the workflow`);

	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, nodeTypes);
	await credentialsHelper.setCredentials(o.credentials);
	const workflow = new Workflow({
		id: 'sync-pipeline',
		name: 'Sync pipeline',
		nodes,
		connections: o.connections,
		active: true,
		nodeTypes,
		staticData: o.staticData,
		settings: { executionOrder: 'v1' },
	});
	const executionId = `${process.pid}-active-${++executionCounter}`;
	const workflowData = { id: workflow.id, name: workflow.name, active: true, isArchived: false, nodes, connections: o.connections, settings: workflow.settings, createdAt: new Date(), updatedAt: new Date() } as unknown as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks('trigger', executionId, workflowData);
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: trigger, data: { main: [o.items] }, source: null }] },
	});
	const run = await new WorkflowExecute(additionalDataFor(credentialsHelper, executionId, hooks), 'trigger', runExecutionData).processRunExecutionData(workflow);

	const lastTask = (nodeName: string) => run.data.resultData.runData[nodeName]?.at(-1);
	return {
		run,
		ran: (nodeName) => lastTask(nodeName) !== undefined,
		output: (nodeName, outputIndex = 0) => lastTask(nodeName)?.data?.[NodeConnectionTypes.Main]?.[outputIndex] ?? [],
		nodeError(nodeName) {
			const task = lastTask(nodeName);
			if (task?.error) return task.error;
			const runError = run.data.resultData.error;
			return runError && 'node' in runError && runError.node?.name === nodeName ? runError : undefined;
		},
	};
}
