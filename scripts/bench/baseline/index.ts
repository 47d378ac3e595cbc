/**
 * The baseline measurement: a fresh sandbox with the same data set, the baseline workflow over
 * the first `sample` in-scope invoices (in real n8n, or as plain HTTP calls when n8n cannot be
 * started), requests per invoice from the sandbox's log, and the same per-invoice cost modelled
 * over the whole data set (so the sample's larger share of new customers does not flatter us).
 */
import type { GenerateOptions } from '../../../sandbox';
import { summarizeCalls, type CallSummary } from '../analysis';
import { startSandboxProcess } from '../children';
import type { DatasetFacts } from '../lowerBound';
import { runRealN8nBaseline } from './realN8n';
import { runScriptBaseline } from './scriptBaseline';

export interface BaselineResult {
	method: 'real-n8n' | 'script';
	/** Why the script was used instead of n8n. */
	fallbackReason?: string;
	n8nVersion?: string;
	executionStatus?: string;
	sample: number;
	invoicesProcessed: number;
	invoicesCreated: number;
	errorsByNode?: Record<string, number>;
	calls: CallSummary;
	qboPerInvoice: number;
	hubspotPerInvoice: number;
	/**
	 * The workflow's calls per invoice over the whole data set: QuickBooks (invoices + line items +
	 * invoice creates + customers to create) / invoices; HubSpot 3 per invoice + one search per 200.
	 */
	modelQboPerInvoice: number;
	modelHubspotPerInvoice: number;
	wallMs: number;
}

export function baselineModel(facts: DatasetFacts): { qbo: number; hubspot: number } {
	const n = facts.invoices;
	if (!n) return { qbo: Number.NaN, hubspot: Number.NaN };
	return {
		qbo: (n + facts.lineItems + n + facts.customersToCreate) / n,
		hubspot: (3 * n + Math.ceil(n / 200)) / n,
	};
}

export async function runBaseline(
	options: { dataset: GenerateOptions; timeScale: number; sample: number; script: boolean; fullFacts: DatasetFacts },
	progress: (message: string) => void,
): Promise<BaselineResult> {
	progress(`baseline: fresh sandbox with the same data set (time scale ${options.timeScale})…`);
	const sandbox = await startSandboxProcess({ dataset: options.dataset, timeScale: options.timeScale });
	try {
		const model = baselineModel(options.fullFacts);
		const taxCodeByRate = Object.fromEntries(sandbox.connection.taxMapping.map((entry) => [entry.hubspotTaxRateId, entry.qboTaxCodeId === 'NON' ? 'NON' : 'TAX']));
		let result: Omit<BaselineResult, 'calls' | 'qboPerInvoice' | 'hubspotPerInvoice' | 'modelQboPerInvoice' | 'modelHubspotPerInvoice'>;
		let fallbackReason: string | undefined;
		if (!options.script) {
			try {
				const real = await runRealN8nBaseline(sandbox.connection, options.sample, progress);
				if (real.refusedHosts.length) progress(`baseline: the proxy refused ${real.refusedHosts.join(', ')}`);
				result = {
					method: 'real-n8n',
					n8nVersion: real.n8nVersion,
					executionStatus: real.status,
					sample: options.sample,
					invoicesProcessed: real.invoicesProcessed,
					invoicesCreated: real.invoicesCreated,
					errorsByNode: real.errorsByNode,
					wallMs: real.wallMs,
				};
			} catch (error) {
				fallbackReason = (error as Error).message.split('\n')[0];
				progress(`baseline: real n8n unavailable (${fallbackReason}); making the same calls from a script instead`);
				await sandbox.reset();
				result = { method: 'script', fallbackReason, sample: options.sample, ...(await runScriptBaseline(sandbox.connection, options.sample, taxCodeByRate)) };
			}
		} else {
			result = { method: 'script', sample: options.sample, ...(await runScriptBaseline(sandbox.connection, options.sample, taxCodeByRate)) };
		}
		const calls = summarizeCalls(await sandbox.log());
		const processed = result.invoicesProcessed || Number.NaN;
		progress(`baseline (${result.method}): ${result.invoicesProcessed} invoices; QuickBooks ${calls.quickbooks.requests} requests, HubSpot ${calls.hubspot.requests}`);
		return {
			...result,
			calls,
			qboPerInvoice: calls.quickbooks.requests / processed,
			hubspotPerInvoice: calls.hubspot.requests / processed,
			modelQboPerInvoice: model.qbo,
			modelHubspotPerInvoice: model.hubspot,
		};
	} finally {
		await sandbox.close();
	}
}
