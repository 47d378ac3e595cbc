/** One measured sync: a sandbox process with a generated data set, the pipeline in a runner process. */
import type { GenerateOptions } from '../../sandbox';
import { round, summarizeCalls, type CallSummary } from './analysis';
import { runPipelineProcess, startSandboxProcess } from './children';
import { hubspotLowerBound, quickbooksLowerBound, type DatasetFacts, type LowerBound } from './lowerBound';
import type { RunnerResult } from './protocol';

export interface ScenarioOptions {
	label: string;
	dataset: GenerateOptions;
	timeScale: number;
	maxInvoices: number;
	/** Sync once before the measured sync (same process, sandbox reset in between). */
	warmUp: boolean;
	/** Measured syncs (median CPU reported). */
	repeat: number;
	cpuProfileDir?: string;
	/** Run the pipeline process with --max-old-space-size (MB) instead of Node's default heap sizing. */
	maxOldSpaceMb?: number;
}

export interface ScenarioResult {
	label: string;
	options: ScenarioOptions;
	datasetInvoices: number;
	facts: DatasetFacts;
	run: RunnerResult;
	calls: CallSummary;
	hubspotBound: LowerBound;
	quickbooksBound: LowerBound;
	/** Invoices the trigger emitted (the per-invoice denominator). */
	invoices: number;
	qboPerInvoice: number;
	hubspotPerInvoice: number;
	qboRatio: number;
	hubspotRatio: number;
	cpuMsPerInvoice: number;
	processCpuMsPerInvoice: number;
	/** CPU in our nodes per invoice in the first sync of a fresh process (only with warmUp). */
	coldCpuMsPerInvoice?: number;
}

export async function runScenario(options: ScenarioOptions, progress: (message: string) => void): Promise<ScenarioResult> {
	progress(`${options.label}: generating ${options.dataset.invoices} invoices and starting the sandbox (limits on, time scale ${options.timeScale})…`);
	const sandbox = await startSandboxProcess({ dataset: options.dataset, timeScale: options.timeScale });
	try {
		progress(`${options.label}: sandbox pid ${sandbox.pid} ready in ${sandbox.buildMs} ms; running the sync (Max Invoices ${options.maxInvoices} per poll)…`);
		const run = await runPipelineProcess(
			{ connection: sandbox.connection, maxInvoices: options.maxInvoices, timeScale: options.timeScale, warmUp: options.warmUp, repeat: options.repeat, cpuProfileDir: options.cpuProfileDir },
			async () => {
				progress(`${options.label}: sync done; resetting the sandbox for the next one…`);
				await sandbox.reset();
				// Let the time-scaled rate-limit windows of the warm-up pass (QuickBooks: one minute).
				await new Promise((resolve) => setTimeout(resolve, Math.ceil(60_000 / options.timeScale) + 250));
			},
			{ maxOldSpaceMb: options.maxOldSpaceMb },
		);
		const calls = summarizeCalls(await sandbox.log());
		const hubspotBound = hubspotLowerBound(sandbox.facts);
		const quickbooksBound = quickbooksLowerBound(sandbox.facts);
		const invoices = run.emitted;
		progress(
			`${options.label}: ${invoices} invoices in ${round(run.wallMs / 1000, 1)} s; QuickBooks ${calls.quickbooks.requests} requests, HubSpot ${calls.hubspot.requests}`,
		);
		return {
			label: options.label,
			options,
			datasetInvoices: sandbox.datasetInvoices,
			facts: sandbox.facts,
			run,
			calls,
			hubspotBound,
			quickbooksBound,
			invoices,
			qboPerInvoice: invoices ? calls.quickbooks.requests / invoices : Number.NaN,
			hubspotPerInvoice: invoices ? calls.hubspot.requests / invoices : Number.NaN,
			qboRatio: quickbooksBound.total ? calls.quickbooks.requests / quickbooksBound.total : Number.NaN,
			hubspotRatio: hubspotBound.total ? calls.hubspot.requests / hubspotBound.total : Number.NaN,
			cpuMsPerInvoice: invoices ? run.nodeCpuMs / invoices : Number.NaN,
			processCpuMsPerInvoice: invoices ? run.processCpuMs / invoices : Number.NaN,
			coldCpuMsPerInvoice: run.cold && run.cold.emitted ? run.cold.nodeCpuMs / run.cold.emitted : undefined,
		};
	} finally {
		await sandbox.close();
	}
}
