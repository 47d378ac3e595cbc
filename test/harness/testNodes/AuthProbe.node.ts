import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodePropertyOptions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * Test-only node (`test.authProbe`): per item, GETs `url` through
 * `this.helpers.httpRequestWithAuthentication` with the chosen test credential type, and outputs
 * the response body.
 */
export class AuthProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Auth Probe',
		name: 'authProbe',
		group: ['transform'],
		version: 1,
		description: 'Calls a URL with a test credential',
		defaults: { name: 'Auth Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'harnessOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
			{
				name: 'harnessBearerApi',
				required: true,
				displayOptions: { show: { authentication: ['bearer'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'OAuth2', value: 'oAuth2' },
					{ name: 'Bearer Token', value: 'bearer' },
				],
				default: 'oAuth2',
			},
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
		],
	};

	methods = {
		loadOptions: {
			/** GETs `url` with the bearer credential; expects `{ results: [{ id, name }] }`. */
			async getThings(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const url = this.getCurrentNodeParameter('url') as string;
				const body = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					'harnessBearerApi',
					{ method: 'GET', url, json: true },
				)) as { results: Array<{ id: string; name: string }> };
				return body.results.map((r) => ({ name: r.name, value: r.id }));
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const authentication = this.getNodeParameter('authentication', 0) as string;
		const credentialType = authentication === 'bearer' ? 'harnessBearerApi' : 'harnessOAuth2Api';
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const url = this.getNodeParameter('url', i) as string;
			const body = (await this.helpers.httpRequestWithAuthentication.call(this, credentialType, {
				method: 'GET',
				url,
				json: true,
			})) as IDataObject;
			out.push({ json: body, pairedItem: { item: i } });
		}
		return [out];
	}
}
