/** One verification run: clients for the targets, every probe, and the printed report. */
import { ApiClient } from './client';
import { hubspotProbes } from './hubspotProbes';
import { formatReport, runProbes, type Probe, type ProbeResult } from './probe';
import { quickbooksProbes } from './quickbooksProbes';
import type { Targets } from './targets';

export const ALL_PROBES: Probe[] = [...quickbooksProbes, ...hubspotProbes];

export interface VerifyOptions {
	targets: Targets;
	write: boolean;
	probes?: Probe[];
	/** Called as each result is known (the CLI prints progress). */
	onResult?: (result: ProbeResult) => void;
	sleep?: (ms: number) => Promise<void>;
}

export interface VerifyReport {
	results: ProbeResult[];
	notes: string[];
	/** The report as printed (redacted). */
	text: string;
}

/** HubSpot's rate window is 10 s; QuickBooks asks for a minute after a 429. */
const HUBSPOT_429_WAIT_MS = 10_000;
const QUICKBOOKS_429_WAIT_MS = 60_000;

export async function verify(options: VerifyOptions): Promise<VerifyReport> {
	const { quickbooks, hubspot, missing } = options.targets;
	const { results, notes } = await runProbes({
		probes: options.probes ?? ALL_PROBES,
		write: options.write,
		missing,
		quickbooks: quickbooks && {
			client: new ApiClient({ baseUrl: quickbooks.baseUrl, token: quickbooks.accessToken, default429WaitMs: QUICKBOOKS_429_WAIT_MS, sleep: options.sleep }),
			realmId: quickbooks.realmId,
		},
		hubspot: hubspot && {
			client: new ApiClient({ baseUrl: hubspot.baseUrl, token: hubspot.accessToken, default429WaitMs: HUBSPOT_429_WAIT_MS, sleep: options.sleep }),
		},
		onResult: options.onResult,
	});
	return { results, notes, text: formatReport(results, notes) };
}
