import './env';

import { getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentials, ICredentialsHelper, NodeHelpers, Workflow, deepCopy, isExpression } from 'n8n-workflow';

import type { HarnessCredentialTypes } from './loader';

export interface HarnessCredentials {
	[credentialType: string]: ICredentialDataDecryptedObject;
}

export interface CredentialUpdate {
	type: string;
	data: ICredentialDataDecryptedObject;
}

/**
 * A stored credential kept in memory as plain data. (n8n-core's `Credentials` encrypts with a key
 * provider that only the n8n CLI configures, and the harness has no database to save to.)
 */
export class InMemoryCredentials extends ICredentials {
	private plain: ICredentialDataDecryptedObject = {};

	async getData(): Promise<ICredentialDataDecryptedObject> {
		return deepCopy(this.plain);
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: JSON.stringify(this.plain) };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.plain = deepCopy(data);
	}

	async updateData(
		toUpdate: Partial<ICredentialDataDecryptedObject>,
		toDelete: string[] = [],
	): Promise<void> {
		const next = { ...this.plain, ...deepCopy(toUpdate) } as ICredentialDataDecryptedObject;
		for (const key of toDelete) delete next[key];
		this.plain = next;
	}
}

/** The id the harness gives the one stored credential of each type. */
export const credentialIdFor = (type: string) => `harness-${type}`;

const expressionNode: INode = {
	id: 'harness-credentials',
	name: 'Harness credentials',
	type: 'harness.credentials',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/**
 * A credentials helper that behaves like n8n's CLI one (`packages/cli/src/credentials-helper.ts`)
 * with an in-memory store instead of the database: one stored (in memory) credential per type; `getDecrypted` applies the type's defaults and resolves
 * expressions; `authenticate` applies function or generic `authenticate` definitions, resolving
 * `{{$credentials.x}}` through n8n's expression engine; OAuth2 token refreshes written by n8n-core
 * (`updateCredentialsOauthTokenData`) update the store and are recorded in `updates`.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	readonly updates: CredentialUpdate[] = [];

	private readonly store = new Map<string, InMemoryCredentials>();

	private expressionWorkflow?: Workflow;

	constructor(
		private readonly credentialTypes: HarnessCredentialTypes,
		private readonly nodeTypes: INodeTypes,
	) {
		super();
	}

	/** Stores the test's credential data (copied, so tests' objects are never mutated). */
	async setCredentials(credentials: HarnessCredentials = {}): Promise<void> {
		for (const [type, data] of Object.entries(credentials)) {
			this.credentialTypes.getByName(type); // fail fast on a typo
			const stored = new InMemoryCredentials({ id: credentialIdFor(type), name: type }, type);
			await stored.setData(data);
			this.store.set(type, stored);
		}
	}

	hasCredentials(type: string): boolean {
		return this.store.has(type);
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		if (!this.credentialTypes.has(credentialType)) return true;
		const typeDef = this.credentialTypes.getByName(credentialType);
		if (!typeDef.restrictToSupportedNodes) return true;
		const shortName = nodeType.split('.').pop() ?? nodeType;
		return (typeDef.supportedNodes ?? []).includes(shortName);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const { authenticate } = this.credentialTypes.getByName(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}
		if (typeof authenticate === 'object' && authenticate.type === 'generic') {
			const resolveWorkflow = workflow ?? this.getExpressionWorkflow();
			const resolveNode = node ?? expressionNode;
			const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as Record<string, unknown>)) {
					const keyResolved = this.resolveValue(key, credentials, resolveWorkflow, resolveNode);
					const valueResolved = this.resolveValue(
						value as string,
						credentials,
						resolveWorkflow,
						resolveNode,
					);
					if (!target[outerKey]) target[outerKey] = {};
					target[outerKey][keyResolved] = valueResolved;
				}
			}
		}
		return requestOptions;
	}

	private resolveValue(
		value: string,
		credentials: ICredentialDataDecryptedObject,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(value)) return value;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		return resolved ? String(resolved) : '';
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		const expirable = credentialType.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (expirable === undefined || typeof credentialType.preAuthentication !== 'function') {
			return undefined;
		}
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;

		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;

		const nodeCredentials = node.credentials?.[typeName];
		if (nodeCredentials) {
			const stored = await this.getCredentials(nodeCredentials, typeName);
			const data = { ...(await stored.getData()), ...output } as ICredentialDataDecryptedObject;
			await this.updateCredentials(nodeCredentials, typeName, data);
		}
		return Object.assign(credentials, output as ICredentialDataDecryptedObject);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		return (output as ICredentialDataDecryptedObject | undefined) ?? undefined;
	}

	async getCredentials(_nodeCredentials: INodeCredentialsDetails, type: string): Promise<InMemoryCredentials> {
		const stored = this.store.get(type);
		if (!stored) {
			throw new Error(
				`No test credentials of type "${type}" were given to the harness (pass credentials: { ${type}: {...} })`,
			);
		}
		return stored;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const original = await (await this.getCredentials(nodeCredentials, type)).getData();
		if (raw === true) return original;

		const properties = this.getCredentialsProperties(type);
		let decrypted = NodeHelpers.getNodeParameters(
			properties,
			original as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (original.oauthTokenData !== undefined) decrypted.oauthTokenData = original.oauthTokenData;

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			decrypted = expressionResolveValues.workflow.expression.getParameterValue(
				decrypted as INodeParameters,
				expressionResolveValues.runExecutionData,
				expressionResolveValues.runIndex,
				expressionResolveValues.itemIndex,
				expressionResolveValues.node.name,
				expressionResolveValues.connectionInputData,
				mode,
				additionalKeys,
				executeData,
				false,
				decrypted,
			) as ICredentialDataDecryptedObject;
		} else {
			decrypted = this.getExpressionWorkflow().expression.getComplexParameterValue(
				expressionNode,
				decrypted as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				decrypted,
			) as ICredentialDataDecryptedObject;
		}
		return decrypted;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const stored = await this.getCredentials(nodeCredentials, type);
		await stored.setData(deepCopy(data));
		this.updates.push({ type, data: deepCopy(data) });
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const stored = await this.getCredentials(nodeCredentials, type);
		await stored.updateData({ oauthTokenData: deepCopy(data.oauthTokenData) });
		this.updates.push({ type, data: deepCopy(await stored.getData()) });
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const typeData = this.credentialTypes.getByName(type);
		if (typeData.extends === undefined) return typeData.properties;
		const combined: INodeProperties[] = [];
		for (const parent of typeData.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, typeData.properties);
		return combined;
	}

	private getExpressionWorkflow(): Workflow {
		this.expressionWorkflow ??= new Workflow({
			id: 'harness-credentials',
			nodes: [],
			connections: {},
			active: false,
			nodeTypes: this.nodeTypes,
		});
		return this.expressionWorkflow;
	}
}
