/**
 * The sandbox in its own process, so its CPU and memory are not counted as the pipeline's. Driven
 * over IPC by the benchmark (see protocol.ts): start with a generated data set and time-scaled
 * rate limits, hand out the request log, count a sample's facts, close.
 */
import { generateDataset, start, type Dataset, type Sandbox } from '../../sandbox';
import { datasetFacts } from './lowerBound';
import type { SandboxReply, SandboxRequest } from './protocol';

let sandbox: Sandbox | undefined;
let dataset: Dataset | undefined;

function reply(message: SandboxReply): void {
	process.send?.(message);
}

/** In-scope invoices in the order a trigger reads them: last modified, then id. */
function inScopeInOrder(data: Dataset): string[] {
	const invoices = data.hubspot.invoices.filter((invoice) => data.expectations[invoice.id]?.outcome !== 'not-emitted');
	const modified = (properties: Record<string, string | null>) => Date.parse(properties.hs_lastmodifieddate ?? '') || 0;
	invoices.sort((a, b) => modified(a.properties) - modified(b.properties) || Number(a.id) - Number(b.id));
	return invoices.map((invoice) => invoice.id);
}

async function handle(message: SandboxRequest): Promise<void> {
	switch (message.type) {
		case 'start': {
			const started = Date.now();
			dataset = generateDataset(message.dataset);
			sandbox = await start({ dataset, limits: { timeScale: message.timeScale } });
			reply({
				type: 'ready',
				connection: { urls: sandbox.urls, credentials: sandbox.credentials, taxMapping: dataset.taxMapping, realmId: dataset.realmId },
				facts: datasetFacts(dataset),
				datasetInvoices: dataset.hubspot.invoices.length,
				buildMs: Date.now() - started,
			});
			return;
		}
		case 'log':
			reply({
				type: 'log',
				calls: (sandbox?.log.entries ?? []).map((entry) => ({
					t: entry.t,
					api: entry.api,
					endpoint: entry.endpoint,
					status: entry.status,
					ms: entry.ms,
					detail: entry.detail,
					fault: entry.fault,
				})),
			});
			return;
		case 'clearLog':
			sandbox?.log.clear();
			reply({ type: 'cleared' });
			return;
		case 'reset':
			sandbox?.reset();
			reply({ type: 'reset' });
			return;
		case 'sample': {
			if (!dataset) throw new Error('sandbox not started');
			const invoiceIds = inScopeInOrder(dataset).slice(0, message.count);
			reply({ type: 'sample', invoiceIds, facts: datasetFacts(dataset, invoiceIds) });
			return;
		}
		case 'close':
			await sandbox?.close();
			process.exit(0);
	}
}

process.on('message', (message: SandboxRequest) => {
	handle(message).catch((error: Error) => reply({ type: 'error', message: error.stack ?? error.message }));
});
process.on('disconnect', () => process.exit(0));
