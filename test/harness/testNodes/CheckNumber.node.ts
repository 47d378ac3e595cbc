import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

/**
 * Test-only node (`test.checkNumber`): passes items whose `field` is a finite number and fails
 * the others — per item, the way this package's nodes must: an error item when
 * `continueOnFail()`, a NodeOperationError otherwise.
 */
export class CheckNumber implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Check Number',
		name: 'checkNumber',
		group: ['transform'],
		version: 1,
		description: 'Fails items whose field is not a number',
		defaults: { name: 'Check Number' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Field', name: 'field', type: 'string', default: 'value' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const field = this.getNodeParameter('field', i) as string;
			const value = items[i].json[field];
			if (typeof value === 'number' && Number.isFinite(value)) {
				out.push({ json: { ...items[i].json, ok: true }, pairedItem: { item: i } });
				continue;
			}
			const message = `Field "${field}" must be a number, got ${JSON.stringify(value)}`;
			if (this.continueOnFail()) {
				out.push({ json: { error: { code: 'INVALID_INPUT', message } }, pairedItem: { item: i } });
				continue;
			}
			throw new NodeOperationError(this.getNode(), message, { itemIndex: i });
		}
		return [out];
	}
}
