/** Runs one node in a workflow through the harness, its error output on unless asked otherwise. */
import type { IDataObject } from 'n8n-workflow';

import { PACKAGE_NAME, runWorkflow, type HarnessCredentials, type WorkflowRunResult } from '../harness';
import { quickBooksTestCredentials, testCredentials } from './credentials';

export const NODE_NAME = 'Node Under Test';

/** Main-output and error-output JSON of the node `name`. */
export function outputs(result: WorkflowRunResult, name = NODE_NAME): { main: IDataObject[]; errors: IDataObject[] } {
	const ran = result.ran(name);
	return {
		main: ran ? result.output(name, 0).map((item) => item.json) : [],
		errors: ran ? result.output(name, 1).map((item) => item.json) : [],
	};
}

export async function runNode(
	nodeType: string,
	parameters: IDataObject,
	input: IDataObject[],
	credentials: HarnessCredentials = quickBooksTestCredentials(),
	onError: 'continueErrorOutput' | 'stopWorkflow' = 'continueErrorOutput',
	name = NODE_NAME,
): Promise<WorkflowRunResult & { main: IDataObject[]; errors: IDataObject[] }> {
	const result = await runWorkflow({
		nodes: [{ name, type: `${PACKAGE_NAME}.${nodeType}`, parameters: parameters as never, ...(onError === 'continueErrorOutput' ? { onError } : {}) }],
		connections: {},
		credentials,
		input,
	});
	return { ...result, ...outputs(result, name) };
}

/** `runNode` for one node type with the QuickBooks and HubSpot credentials; the error output on unless `continueOnFail: false`. */
export function nodeRunner(nodeType: string) {
	return async (parameters: IDataObject, input: IDataObject[], options: { continueOnFail?: boolean } = {}) =>
		await runNode(nodeType, parameters, input, testCredentials(), options.continueOnFail === false ? 'stopWorkflow' : 'continueErrorOutput');
}
