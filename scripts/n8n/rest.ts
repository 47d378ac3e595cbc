// A small client for n8n 1.123's internal REST API (`/rest/*`, cookie auth, what the editor uses).
import { parseFlatted } from './flatted';
import { sleep } from './util';

export const DEFAULT_OWNER = {
	email: 'owner@example.com',
	firstName: 'Sync',
	lastName: 'Owner',
	password: 'SyncOwner1password',
};

export type Owner = typeof DEFAULT_OWNER;

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<Record<string, unknown> & { name: string; type: string }>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	pinData?: Record<string, unknown>;
	staticData?: unknown;
	active?: boolean;
	[key: string]: unknown;
}

export interface StoredWorkflow extends WorkflowJson {
	id: string;
	versionId: string;
	active: boolean;
	activeVersionId?: string | null;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string; // 'manual' | 'trigger' | …
	status: string; // 'new' | 'running' | 'success' | 'error' | 'canceled' | 'crashed' | 'waiting'
	finished: boolean;
	startedAt: string | null;
	stoppedAt: string | null;
}

export interface NodeRun {
	startTime: number;
	executionTime: number;
	executionStatus?: string;
	/** data.main[outputIndex] = items (0 = main output, 1 = error output when "Continue (using error output)"). */
	data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
	error?: { message: string; description?: string; [key: string]: unknown };
}

export interface ExecutionDetail extends ExecutionSummary {
	workflowData: WorkflowJson;
	data: {
		resultData: {
			runData: Record<string, NodeRun[]>;
			lastNodeExecuted?: string;
			error?: { message: string; [key: string]: unknown };
		};
		[key: string]: unknown;
	};
}

export class N8nApiError extends Error {
	constructor(
		readonly method: string,
		readonly path: string,
		readonly status: number,
		readonly body: string,
	) {
		super(`${method} ${path} -> ${status}: ${body.slice(0, 500)}`);
	}
}

/** Items a node emitted on an output in its last run (output 1 = error output). */
export function nodeOutput(execution: ExecutionDetail, nodeName: string, outputIndex = 0, runIndex = -1) {
	const runs = execution.data.resultData.runData[nodeName] ?? [];
	const run = runs.at(runIndex);
	return (run?.data?.main?.[outputIndex] ?? []).map((item) => item.json);
}

export class N8nRestClient {
	private cookie = '';

	constructor(readonly baseUrl: string) {}

	async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
		const send = async () => {
			const response = await fetch(`${this.baseUrl}${path}`, {
				method,
				headers: {
					...(body !== undefined ? { 'content-type': 'application/json' } : {}),
					...(this.cookie ? { cookie: this.cookie } : {}),
					...headers,
				},
				body: body !== undefined ? JSON.stringify(body) : undefined,
			});
			return { response, text: await response.text() };
		};
		// Reads are safe to repeat: on a busy machine n8n sometimes closes the connection midway
		// through a large answer (/types/nodes.json, node descriptions), "other side closed".
		let sent: Awaited<ReturnType<typeof send>> | undefined;
		for (let attempt = 1; !sent; attempt++) {
			try {
				sent = await send();
			} catch (error) {
				const read = method === 'GET' || path === '/rest/node-types';
				if (!read || attempt >= 3) throw error;
			}
		}
		const { response, text } = sent;
		const setCookies = response.headers.getSetCookie?.() ?? [];
		const auth = setCookies.find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		if (!response.ok) throw new N8nApiError(method, path, response.status, text);
		if (!text) return undefined as T;
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			throw new N8nApiError(method, path, response.status, `not JSON: ${text.slice(0, 200)}`);
		}
		// The internal API wraps results in { data }.
		return (json && typeof json === 'object' && 'data' in json ? (json as { data: unknown }).data : json) as T;
	}

	get<T = unknown>(path: string) {
		return this.request<T>('GET', path);
	}

	post<T = unknown>(path: string, body?: unknown) {
		return this.request<T>('POST', path, body ?? {});
	}

	// ---- users -------------------------------------------------------------------------------

	/** Whether the instance still shows the "set up owner account" screen. */
	async needsOwnerSetup(): Promise<boolean> {
		const settings = await this.get<{ userManagement: { showSetupOnFirstLoad?: boolean } }>('/rest/settings');
		return Boolean(settings.userManagement.showSetupOnFirstLoad);
	}

	/** Creates the owner on a fresh instance (else logs in), leaving this client logged in. */
	async setupOwner(owner: Owner = DEFAULT_OWNER): Promise<void> {
		if (await this.needsOwnerSetup()) {
			await this.post('/rest/owner/setup', owner);
		} else {
			await this.login(owner);
		}
	}

	async login(owner: Pick<Owner, 'email' | 'password'> = DEFAULT_OWNER): Promise<void> {
		await this.post('/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	}

	async personalProjectId(): Promise<string> {
		const project = await this.get<{ id: string }>('/rest/projects/personal');
		return project.id;
	}

	/** A public-API key (header X-N8N-API-KEY, base path /api/v1) with every scope the owner has. */
	async createApiKey(label = 'sync-scripts'): Promise<string> {
		const scopes = await this.get<string[]>('/rest/api-keys/scopes');
		const created = await this.post<{ rawApiKey: string }>('/rest/api-keys', { label, scopes, expiresAt: null });
		return created.rawApiKey;
	}

	// ---- types -------------------------------------------------------------------------------

	/** Every node type the server knows (name, version, displayName…), as the editor loads them. */
	async nodeTypes(): Promise<Array<{ name: string; version: number | number[]; displayName: string; [k: string]: unknown }>> {
		return await this.get('/types/nodes.json');
	}

	async credentialTypes(): Promise<Array<{ name: string; displayName: string; [k: string]: unknown }>> {
		return await this.get('/types/credentials.json');
	}

	/** Full descriptions for some node types (POST /rest/node-types). */
	async nodeTypeDescriptions(nodeInfos: Array<{ name: string; version: number }>) {
		return await this.post<Array<Record<string, unknown>>>('/rest/node-types', { nodeInfos });
	}

	// ---- credentials -------------------------------------------------------------------------

	/**
	 * Creates a credential. `data` may carry `oauthTokenData` (n8n 1.123 stores it on create; PATCH
	 * drops it), so OAuth2 credentials arrive connected without the consent screen.
	 */
	async createCredential(credential: { name: string; type: string; data: Record<string, unknown>; projectId?: string }) {
		return await this.post<{ id: string; name: string; type: string }>('/rest/credentials', credential);
	}

	async listCredentials() {
		return await this.get<Array<{ id: string; name: string; type: string }>>('/rest/credentials');
	}

	/** Decrypted data (secrets redacted, oauthTokenData shown as `true`) — to check what got stored. */
	async getCredential(id: string) {
		return await this.get<{ id: string; name: string; type: string; data?: Record<string, unknown> }>(
			`/rest/credentials/${id}?includeData=true`,
		);
	}

	// ---- workflows ---------------------------------------------------------------------------

	async createWorkflow(workflow: WorkflowJson, projectId?: string): Promise<StoredWorkflow> {
		const { id: _id, active: _active, ...body } = workflow;
		void _id, _active;
		return await this.post<StoredWorkflow>('/rest/workflows', {
			settings: { executionOrder: 'v1' },
			...body,
			active: false, // required by the DB; activate with activateWorkflow()
			...(projectId ? { projectId } : {}),
		});
	}

	async getWorkflow(id: string): Promise<StoredWorkflow> {
		return await this.get<StoredWorkflow>(`/rest/workflows/${id}`);
	}

	async listWorkflows(): Promise<StoredWorkflow[]> {
		return await this.get<StoredWorkflow[]>('/rest/workflows');
	}

	async updateWorkflow(id: string, changes: Partial<WorkflowJson>): Promise<StoredWorkflow> {
		const current = await this.getWorkflow(id);
		return await this.request<StoredWorkflow>('PATCH', `/rest/workflows/${id}`, {
			...changes,
			versionId: current.versionId,
		});
	}

	/**
	 * Activates (publishes) the workflow's current version. A polling trigger polls once right away
	 * (and starts a 'trigger' execution if it returned items); an error in that poll fails activation.
	 */
	async activateWorkflow(id: string): Promise<StoredWorkflow> {
		const { versionId } = await this.getWorkflow(id);
		return await this.post<StoredWorkflow>(`/rest/workflows/${id}/activate`, { versionId });
	}

	async deactivateWorkflow(id: string): Promise<StoredWorkflow> {
		return await this.post<StoredWorkflow>(`/rest/workflows/${id}/deactivate`, {});
	}

	/**
	 * Runs the saved workflow the way the editor's "Execute workflow" button does, starting at
	 * `triggerNodeName` (a polling trigger then runs its poll() in 'manual' mode; manual runs never
	 * persist the trigger's static data). Returns the execution id.
	 */
	async runWorkflow(id: string, triggerNodeName?: string): Promise<string> {
		const workflowData = await this.getWorkflow(id);
		const trigger =
			triggerNodeName ??
			workflowData.nodes.find((node) => /trigger/i.test(node.type) && !node.disabled)?.name ??
			workflowData.nodes[0]?.name;
		const result = await this.post<{ executionId?: string; waitingForWebhook?: boolean }>(`/rest/workflows/${id}/run`, {
			workflowData,
			triggerToStartFrom: { name: trigger },
		});
		if (!result?.executionId) throw new Error(`Run of workflow ${id} did not start an execution: ${JSON.stringify(result)}`);
		return result.executionId;
	}

	/** Runs the workflow and waits for its execution to finish. */
	async runWorkflowAndWait(id: string, triggerNodeName?: string, timeoutMs = 120_000): Promise<ExecutionDetail> {
		const executionId = await this.runWorkflow(id, triggerNodeName);
		return await this.waitForExecution(executionId, timeoutMs);
	}

	// ---- executions --------------------------------------------------------------------------

	/** Newest first. n8n 1.123 filters on workflowId/status (not mode: filter `mode` client-side). */
	async listExecutions(filter: { workflowId?: string; status?: string[] } = {}, limit = 100) {
		const query = new URLSearchParams({ filter: JSON.stringify(filter), limit: String(limit) });
		const page = await this.get<{ results: ExecutionSummary[]; count: number }>(`/rest/executions?${query}`);
		return page.results;
	}

	async getExecution(id: string): Promise<ExecutionDetail> {
		const raw = await this.get<Omit<ExecutionDetail, 'data'> & { data: string }>(`/rest/executions/${id}`);
		return { ...raw, data: parseFlatted(raw.data) } as ExecutionDetail;
	}

	async waitForExecution(id: string, timeoutMs = 120_000): Promise<ExecutionDetail> {
		const deadline = Date.now() + timeoutMs;
		while (true) {
			try {
				const execution = await this.getExecution(id);
				if (!['new', 'running', 'waiting'].includes(execution.status)) return execution;
			} catch (error) {
				// The row appears shortly after the run starts.
				if (!(error instanceof N8nApiError && error.status === 404)) throw error;
			}
			if (Date.now() > deadline) throw new Error(`Execution ${id} did not finish within ${timeoutMs} ms`);
			await sleep(300);
		}
	}

	/** Waits until the workflow has at least `count` finished executions (e.g. after activation). */
	async waitForExecutions(workflowId: string, count: number, timeoutMs = 120_000): Promise<ExecutionSummary[]> {
		const deadline = Date.now() + timeoutMs;
		while (true) {
			const executions = (await this.listExecutions({ workflowId })).filter(
				(execution) => !['new', 'running', 'waiting'].includes(execution.status),
			);
			if (executions.length >= count) return executions;
			if (Date.now() > deadline) {
				throw new Error(`Workflow ${workflowId} has ${executions.length} finished executions, expected ${count}`);
			}
			await sleep(500);
		}
	}
}
