import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * Test-only polling trigger (`test.testPoll`). `events` is a JSON array of `{ id }` objects; each
 * poll emits those it has not seen (remembered in node static data) or returns null.
 */
export class TestPoll implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Poll',
		name: 'testPoll',
		group: ['trigger'],
		version: 1,
		description: 'Emits unseen events',
		defaults: { name: 'Test Poll' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Events', name: 'events', type: 'json', default: '[]' }],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const staticData = this.getWorkflowStaticData('node');
		const seen = (staticData.seenIds as string[] | undefined) ?? [];
		const events = JSON.parse(this.getNodeParameter('events') as string) as IDataObject[];
		const fresh = events.filter((e) => !seen.includes(String(e.id)));
		staticData.seenIds = [...seen, ...fresh.map((e) => String(e.id))];
		staticData.polls = ((staticData.polls as number | undefined) ?? 0) + 1;
		if (fresh.length === 0) return null;
		const limited = this.getMode() === 'manual' ? fresh.slice(0, 1) : fresh;
		return [this.helpers.returnJsonArray(limited)];
	}
}
