// Evidence for README.md "Running a polling-trigger workflow on demand": starts the sandbox and a
// real n8n, then runs a HubSpot Invoice Trigger workflow manually and through activation, printing
// what each step produced. `npx tsx scripts/n8n/probe-polling.ts` (about a minute once n8n is cached).
import { start as startSandbox } from '../../sandbox';
import { N8nRestClient, PACKAGE_NAME, nodeOutput, packPackage, startN8n } from './index';
import { sleep } from './util';

async function main(): Promise<void> {
	const sandbox = await startSandbox({ limits: false });
	const server = await startN8n({ communityPackages: [await packPackage()] });
	const report: Record<string, unknown> = {};
	try {
		const api = new N8nRestClient(server.url);
		await api.setupOwner();
		const hubspot = await api.createCredential({
			name: 'HubSpot sandbox',
			type: 'hubSpotInvoiceSyncAppTokenApi',
			data: { accessToken: sandbox.credentials.hubspot.accessToken, useCustomBaseUrl: true, baseUrl: sandbox.urls.hubspot },
		});
		const workflowFor = (backfillSince: string) => ({
			name: `probe ${backfillSince || 'no backfill'}`,
			nodes: [
				{
					id: 'trigger',
					name: 'HubSpot Invoice Trigger',
					type: `${PACKAGE_NAME}.hubSpotInvoiceTrigger`,
					typeVersion: 1,
					position: [0, 0],
					parameters: { hubspotAuthentication: 'appToken', backfillSince, pollTimes: { item: [{ mode: 'everyHour' }] } },
					credentials: { hubSpotInvoiceSyncAppTokenApi: { id: hubspot.id, name: hubspot.name } },
				},
			],
			connections: {},
		});
		const finished = async (id: string) => (await api.listExecutions({ workflowId: id })).map((e) => `${e.mode}:${e.status}`);
		const settle = () => sleep(4000);

		for (const backfillSince of ['', '2000-01-01']) {
			const workflow = await api.createWorkflow(workflowFor(backfillSince));
			const steps: Record<string, unknown> = {};
			const manual = await api.runWorkflowAndWait(workflow.id);
			steps.manualRun = { mode: manual.mode, status: manual.status, items: nodeOutput(manual, 'HubSpot Invoice Trigger').length };
			steps.staticDataAfterManualRun = (await api.getWorkflow(workflow.id)).staticData ?? null;

			await api.activateWorkflow(workflow.id);
			await settle();
			steps.afterActivation = await finished(workflow.id);
			steps.cursorSaved = Boolean((await api.getWorkflow(workflow.id)).staticData);

			await api.deactivateWorkflow(workflow.id);
			await api.activateWorkflow(workflow.id);
			await settle();
			steps.afterReactivation = await finished(workflow.id);

			await api.deactivateWorkflow(workflow.id);
			await api.updateWorkflow(workflow.id, { staticData: null });
			await api.activateWorkflow(workflow.id);
			await settle();
			steps.afterStaticDataResetAndActivation = await finished(workflow.id);
			const executions = (await api.listExecutions({ workflowId: workflow.id })).filter((e) => e.mode === 'trigger');
			if (executions[0]) {
				const detail = await api.getExecution(executions[0].id);
				steps.latestTriggerExecutionItems = nodeOutput(detail, 'HubSpot Invoice Trigger').length;
			}
			await api.deactivateWorkflow(workflow.id);
			report[workflow.name] = steps;
		}
	} finally {
		await server.stop();
		await sandbox.close();
	}
	console.log(JSON.stringify(report, null, 2));
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
