/**
 * `npm start`: the whole sync in a real n8n against the local sandbox, no HubSpot or Intuit account.
 *
 *   1. starts the sandbox (HubSpot, QuickBooks Online and Slack simulators, the demo data sets of both
 *      directions in one HubSpot portal and one QuickBooks company);
 *   2. installs (once, cached outside the repo) Node 24 and a pinned n8n, packs this package and
 *      installs it into a fresh n8n user folder the way n8n installs community packages;
 *   3. starts n8n, creates the owner, the sandbox credentials, and imports the templates (both
 *      directions) pointed at the sandbox;
 *   4. runs the sync template once (a manual run with "Backfill Since" set: every demo invoice)
 *      and prints a report, compared with the data set's expectations;
 *   5. runs the QuickBooks → HubSpot templates (invoice sync, then payments), performs the QuickBooks
 *      user's later actions, runs payments again, then every sync template once more with nothing
 *      changed: what that round writes, and any content one direction writes for a record the other
 *      direction created, are echo writes (must be 0);
 *   6. leaves n8n running with the templates' URLs printed, until Ctrl-C.
 *
 * `npm start -- --once` does the same and exits; its last stdout line is the report as JSON (with
 * `toHubSpot` and `echoWrites`), and its exit code is 1 when either direction does not match the
 * data sets' expectations or anything echoed.
 * Progress goes to stderr, the report to stdout.
 */
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';

import { start as startSandbox, type Sandbox } from '../sandbox';
import { DEMO_FEE_ITEM_ID } from '../sandbox/dataset/default';
import { twoWayDataset } from '../sandbox/dataset/twoWay';
import {
	DEFAULT_OWNER,
	N8nRestClient,
	ensureN8n,
	freePort,
	packPackage,
	startN8n,
	type N8nServer,
	type StoredWorkflow,
} from './n8n';
import { compareWithExpectations, formatReport, reportJson, sandboxQuickBooksInvoices, summarizeSyncExecution } from './demo/report';
import { formatToHubSpot, toHubSpotJson } from './demo/reverseReport';
import { runQuickBooksToHubSpot } from './demo/twoWayRun';
import {
	REVERSE_TEMPLATE_FILES,
	TEMPLATE_FILES,
	TEMPLATE_TRIGGERS,
	backfillDateFor,
	createSandboxCredentials,
	readTemplate,
	wireTemplate,
	type ReverseTemplateKey,
	type TemplateKey,
} from './demo/templates';

/** Fixed ports (the sandbox CLI's examples and n8n's default) when they are free. */
const PREFERRED_PORTS = { hubspot: 4010, quickbooks: 4020, slack: 4030, n8n: 5678 };
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function say(message: string): void {
	process.stderr.write(`[start] ${message}\n`);
}

function isPortFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

async function portOrFree(preferred: number): Promise<number> {
	return (await isPortFree(preferred)) ? preferred : await freePort();
}

interface Running {
	sandbox?: Sandbox;
	server?: N8nServer;
	packDir?: string;
}

async function shutDown(running: Running): Promise<void> {
	const server = running.server;
	const sandbox = running.sandbox;
	running.server = undefined;
	running.sandbox = undefined;
	if (server) {
		say('Stopping n8n...');
		await server.stop().catch((error) => say(`n8n did not stop cleanly: ${(error as Error).message}`));
	}
	if (sandbox) await sandbox.close().catch(() => undefined);
	if (running.packDir) rmSync(running.packDir, { recursive: true, force: true });
	running.packDir = undefined;
}

async function main(): Promise<number> {
	const args = process.argv.slice(2);
	const once = args.includes('--once');
	const unknown = args.filter((arg) => arg !== '--once');
	if (unknown.length) {
		process.stderr.write(`Unknown option ${unknown.join(' ')}\nUsage: npm start [-- --once]\n`);
		return 2;
	}

	const running: Running = {};
	let stopping = false;
	const onSignal = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		say(`${signal}: closing n8n and the sandbox...`);
		void shutDown(running).finally(() => {
			say('Bye.');
			process.exit(signal === 'SIGINT' ? 0 : 128 + (signal === 'SIGTERM' ? 15 : 1));
		});
	};
	for (const signal of SIGNALS) process.on(signal, onSignal);

	try {
		// 1. The sandbox.
		const ports = {
			hubspot: await portOrFree(PREFERRED_PORTS.hubspot),
			quickbooks: await portOrFree(PREFERRED_PORTS.quickbooks),
			slack: await portOrFree(PREFERRED_PORTS.slack),
		};
		// Both directions on the same accounts: the demo data set with the QuickBooks → HubSpot one merged in.
		const dataset = twoWayDataset();
		const sandbox = await startSandbox({ dataset, ports });
		running.sandbox = sandbox;
		say(`Sandbox up (demo data sets of both directions, ${dataset.hubspot.invoices.length} HubSpot invoices, ${Object.keys(dataset.reverse.expectations).length} QuickBooks invoices to sync): HubSpot ${sandbox.urls.hubspot}, QuickBooks ${sandbox.urls.quickbooks}, Slack ${sandbox.urls.slack}`);

		// 2. Node 24 + n8n (cached after the first run), this package packed.
		say('Checking Node 24 and n8n (the first run downloads and installs them, about 4-6 minutes)...');
		const install = await ensureN8n();
		say(`n8n ${install.version} on Node 24 (${install.dir})`);
		// `npm start` has just built dist/; run directly (tsx scripts/start.ts) it builds first.
		const tarball = await packPackage({ skipBuild: process.env.npm_lifecycle_event === 'start' });
		running.packDir = dirname(tarball);

		// 3. n8n from a fresh user folder (a temp dir, removed on exit) with the package installed.
		const listenersBefore = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
		const server = await startN8n({ version: install.version, communityPackages: [tarball], port: await portOrFree(PREFERRED_PORTS.n8n) });
		running.server = server;
		// startN8n installs handlers that exit at once on Ctrl-C; ours closes n8n and the sandbox first.
		for (const signal of SIGNALS) {
			for (const listener of process.listeners(signal)) {
				if (!listenersBefore.get(signal)!.has(listener)) process.removeListener(signal, listener as (...a: unknown[]) => void);
			}
		}
		rmSync(running.packDir, { recursive: true, force: true });
		running.packDir = undefined;

		const api = new N8nRestClient(server.url);
		await api.setupOwner(DEFAULT_OWNER);
		say(`Owner account: ${DEFAULT_OWNER.email} / ${DEFAULT_OWNER.password}`);
		const credentials = await createSandboxCredentials(api, sandbox);
		say(`Credentials: "${credentials.hubspot.name}" (private-app token), "${credentials.quickbooks.name}" (OAuth2, connected)`);

		const backfillSince = backfillDateFor(dataset);
		const workflows = {} as Record<TemplateKey | ReverseTemplateKey, StoredWorkflow>;
		for (const key of [...Object.keys(TEMPLATE_FILES), ...Object.keys(REVERSE_TEMPLATE_FILES)] as Array<TemplateKey | ReverseTemplateKey>) {
			const wired = wireTemplate(readTemplate(key), {
				credentials,
				slackUrl: sandbox.urls.slack,
				taxMapping: key in REVERSE_TEMPLATE_FILES ? dataset.reverse.taxMapping : dataset.taxMapping,
				backfillSince: key === 'audit' ? undefined : backfillSince,
				feeItemId: DEMO_FEE_ITEM_ID,
			});
			workflows[key] = await api.createWorkflow(wired);
			say(`Imported "${workflows[key].name}" → ${server.url}/workflow/${workflows[key].id}`);
		}

		// 4. One sync: a manual run of the sync template (Backfill Since ${backfillSince}: every demo invoice).
		say(`Running "${workflows.sync.name}" once (manual run, Backfill Since ${backfillSince.slice(0, 10)})...`);
		const slackBefore = sandbox.slack.messages.length;
		const started = Date.now();
		const execution = await api.runWorkflowAndWait(workflows.sync.id, TEMPLATE_TRIGGERS.sync, 10 * 60 * 1000);
		say(`Execution ${execution.id} finished (${execution.status}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		const slackMessages = sandbox.slack.messages.length - slackBefore;
		const summary = summarizeSyncExecution(execution);
		const problems = compareWithExpectations(summary, dataset, sandboxQuickBooksInvoices(sandbox));

		// 5. The QuickBooks → HubSpot templates beside it, the QuickBooks user's actions, and a settling round.
		const reverseStarted = Date.now();
		const twoWay = await runQuickBooksToHubSpot(api, sandbox, dataset, { sync: workflows.sync.id, reverseSync: workflows.reverseSync.id, reversePayments: workflows.reversePayments.id }, execution, say);
		say(`QuickBooks → HubSpot runs and the settling round took ${((Date.now() - reverseStarted) / 1000).toFixed(1)} s`);
		const allProblems = [...problems, ...twoWay.problems, ...twoWay.echoes];
		const json = { ...reportJson(summary, slackMessages, allProblems), toHubSpot: toHubSpotJson(twoWay.summary), echoWrites: twoWay.echoes.length };

		process.stdout.write(`\n${formatReport(summary, slackMessages, problems, dataset)}\n\n${formatToHubSpot(twoWay.summary, twoWay.echoes, twoWay.problems)}\n\n`);

		if (once) {
			await shutDown(running);
			process.stdout.write(`${JSON.stringify(json)}\n`);
			return allProblems.length === 0 ? 0 : 1;
		}

		// 6. Leave the editor running.
		process.stdout.write(
			[
				`n8n is running at ${server.url}`,
				`  Sign in as ${DEFAULT_OWNER.email} / ${DEFAULT_OWNER.password}`,
				`  Sync template (the run above is under Executions): ${server.url}/workflow/${workflows.sync.id}`,
				`  Backfill template:                                  ${server.url}/workflow/${workflows.backfill.id}`,
				`  Nightly SKU audit:                                  ${server.url}/workflow/${workflows.audit.id}`,
				`  QuickBooks → HubSpot invoice sync:                  ${server.url}/workflow/${workflows.reverseSync.id}`,
				`  QuickBooks payments → HubSpot:                      ${server.url}/workflow/${workflows.reversePayments.id}`,
				`  Sandbox: HubSpot ${sandbox.urls.hubspot}, QuickBooks ${sandbox.urls.quickbooks}, Slack ${sandbox.urls.slack}`,
				`    (state: GET ${sandbox.urls.quickbooks}/__sandbox/state, Slack messages: GET ${sandbox.urls.slackBase}/__sandbox/state)`,
				'Press Ctrl-C to stop n8n and the sandbox.',
				'',
			].join('\n'),
		);
		await new Promise<never>(() => {
			/* until a signal */
		});
		return 0;
	} catch (error) {
		process.stderr.write(`\nnpm start failed: ${(error as Error).stack ?? error}\n`);
		await shutDown(running);
		return 1;
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		process.stderr.write(`${(error as Error).stack ?? error}\n`);
		process.exit(1);
	},
);
