/**
 * Runs the baseline workflow in a real n8n (scripts/n8n: pinned n8n on Node 24, fresh user folder)
 * against a sandbox: the HTTP Request nodes call the HubSpot simulator directly, the built-in
 * QuickBooks node reaches the QuickBooks simulator through the Intuit proxy (intuitProxy.ts).
 */
import { DEFAULT_N8N_VERSION } from '../../n8n/install';
import { N8nRestClient, type ExecutionDetail } from '../../n8n/rest';
import { startN8n } from '../../n8n/server';
import type { SandboxConnection } from '../protocol';
import { startIntuitProxy, type ProxiedRequest } from './intuitProxy';
import { BASELINE_NODE_NAMES, buildBaselineWorkflow } from './workflow';

export interface RealN8nBaselineResult {
	n8nVersion: string;
	executionId: string;
	status: string;
	/** Loop passes that reached Create Invoice (= invoices processed). */
	invoicesProcessed: number;
	invoicesCreated: number;
	/** Error items per node (calls that failed and continued). */
	errorsByNode: Record<string, number>;
	proxied: ProxiedRequest[];
	refusedHosts: string[];
	wallMs: number;
}

export async function runRealN8nBaseline(
	connection: SandboxConnection,
	sample: number,
	progress: (message: string) => void,
	options: { version?: string; timeoutMs?: number } = {},
): Promise<RealN8nBaselineResult> {
	const proxy = await startIntuitProxy(connection.urls.quickbooks);
	const version = options.version ?? DEFAULT_N8N_VERSION;
	progress(`baseline: starting n8n ${version} (HTTPS_PROXY → Intuit proxy ${proxy.url})…`);
	const server = await startN8n({
		version,
		env: {
			HTTPS_PROXY: proxy.url,
			https_proxy: proxy.url,
			NO_PROXY: '127.0.0.1,localhost',
			no_proxy: '127.0.0.1,localhost',
			NODE_EXTRA_CA_CERTS: proxy.caFile,
		},
	});
	try {
		const client = new N8nRestClient(server.url);
		await client.setupOwner();
		const qbo = connection.credentials.quickbooks;
		const credential = await client.createCredential({
			name: 'QuickBooks (sandbox)',
			type: 'quickBooksOAuth2Api',
			data: { environment: 'production', clientId: qbo.clientId, clientSecret: qbo.clientSecret, oauthTokenData: qbo.oauthTokenData },
		});
		const workflow = await client.createWorkflow(
			buildBaselineWorkflow({
				hubspotUrl: connection.urls.hubspot,
				hubspotToken: connection.credentials.hubspot.accessToken,
				sample,
				quickbooksCredentialId: credential.id,
				taxCodeByRate: Object.fromEntries(connection.taxMapping.map((entry) => [entry.hubspotTaxRateId, entry.qboTaxCodeId === 'NON' ? 'NON' : 'TAX'])),
			}),
		);
		progress(`baseline: running workflow ${workflow.id} over ${sample} invoices in n8n…`);
		const started = Date.now();
		const execution = await client.runWorkflowAndWait(workflow.id, BASELINE_NODE_NAMES.start, options.timeoutMs ?? 15 * 60_000);
		const wallMs = Date.now() - started;
		return { n8nVersion: server.install.version, executionId: execution.id, status: execution.status, ...summarize(execution), proxied: proxy.requests, refusedHosts: proxy.refused, wallMs };
	} finally {
		await server.stop();
		await proxy.close();
	}
}

function summarize(execution: ExecutionDetail): Pick<RealN8nBaselineResult, 'invoicesProcessed' | 'invoicesCreated' | 'errorsByNode'> {
	const runData = execution.data.resultData.runData;
	const runs = runData[BASELINE_NODE_NAMES.createInvoice] ?? [];
	let created = 0;
	const errorsByNode: Record<string, number> = {};
	for (const [name, nodeRuns] of Object.entries(runData)) {
		for (const run of nodeRuns) {
			for (const item of run.data?.main?.[0] ?? []) {
				const json = item.json as Record<string, unknown>;
				if (json && 'error' in json) errorsByNode[name] = (errorsByNode[name] ?? 0) + 1;
				else if (name === BASELINE_NODE_NAMES.createInvoice && json?.Id) created++;
			}
		}
	}
	return { invoicesProcessed: runs.length, invoicesCreated: created, errorsByNode };
}
