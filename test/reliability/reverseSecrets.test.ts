/**
 * Secrets, QuickBooks → HubSpot: the reverse templates' nodes (QuickBooks Trigger, Customer
 * Resolve, SKU Match and Tax Map with Destination HubSpot, HubSpot Invoice Upsert) in their fault
 * paths, where a secret is most likely to end up in an error: HubSpot refusing writes with 401,
 * HubSpot searches failing with 500 until the retries run out, both token refreshes refused — each
 * answer echoing the access token, the refresh token and the client secret back, as a hostile or
 * buggy server could. Every output item, error (message, description, cause, stack), log line and
 * the templates' own Slack Alert payloads are scanned (plain, URL-encoded, Basic-auth base64), and
 * every failure must carry a catalogue code.
 */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: async () => {} }));

import * as fs from 'fs';
import * as path from 'path';

import type { IDataObject } from 'n8n-workflow';

import { ERROR_CATALOGUE } from '../../package/nodes/shared/errors';
import { REVERSE_TEMPLATE_FILES, TEMPLATE_DIR, type ReverseTemplateKey } from '../../scripts/demo/templates';
import { REVERSE_TEMPLATES, ReverseDriver, reverseCredentials, type ReverseItemOutcome } from '../../scripts/reliability/reverseDriver';
import { startProxy, type Exchange, type HookResult, type RecordingProxy } from './helpers/proxy';
import { countUncaught } from './helpers/reverseRounds';
import { reverseDriverConfig, startReverseScenario, type ReverseScenario } from './helpers/reverseScenario';
import { captureLogs, sandboxSecrets } from './helpers/secrets';
import { reliabilitySuite } from './helpers/suite';

const SUITE = 'reverseSecrets';
const CODES = new Set(Object.keys(ERROR_CATALOGUE));

jest.setTimeout(120_000);

/** The Slack Alert node's jsonBody expression of a reverse template, evaluated for one error item. */
function slackPayload(template: ReverseTemplateKey): (json: IDataObject) => unknown {
	const workflow = JSON.parse(fs.readFileSync(path.join(TEMPLATE_DIR, REVERSE_TEMPLATE_FILES[template]), 'utf8')) as { nodes: Array<{ name: string; parameters: IDataObject }> };
	const expression = String(workflow.nodes.find((node) => node.name === 'Slack Alert')?.parameters.jsonBody ?? '');
	const code = /^=\{\{([\s\S]*)\}\}$/.exec(expression.trim())?.[1];
	if (!code) throw new Error(`${template}: no Slack Alert jsonBody expression`);
	// eslint-disable-next-line @typescript-eslint/no-implied-eval
	const evaluate = new Function('$json', `return (${code});`) as (json: IDataObject) => string;
	return (json) => JSON.parse(evaluate(json)) as unknown;
}

function errorSurface(error: unknown): unknown {
	const value = error as Record<string, unknown> | undefined;
	let json: unknown;
	try {
		json = JSON.parse(JSON.stringify(error));
	} catch {
		json = undefined;
	}
	return { message: value?.message, description: value?.description, stack: value?.stack, context: value?.context, cause: value?.cause, json };
}

interface Faults {
	hubspot?: (exchange: Exchange, secrets: string) => HookResult;
	quickbooks?: (exchange: Exchange, secrets: string) => HookResult;
	hubspotAuthentication?: 'appToken' | 'oAuth2';
	/** Expire the access tokens before the run, so the nodes must refresh. */
	expireTokens?: boolean;
}

describe('reverse secrets: fault paths of the QuickBooks → HubSpot nodes leak nothing', () => {
	const suite = reliabilitySuite(SUITE);
	const { scanner } = suite;
	const codes: Record<string, string[]> = {};
	suite.figures.reverseSecretsScenarios = codes;

	async function run(label: string, faults: Faults): Promise<{ outcomes: ReverseItemOutcome[]; pollErrors: unknown[] }> {
		const scenario: ReverseScenario = await startReverseScenario({ limits: false });
		const { sandbox, data } = scenario;
		const proxies: Record<'hubspot' | 'quickbooks', RecordingProxy> = { hubspot: await startProxy(sandbox.urls.hubspot), quickbooks: await startProxy(sandbox.urls.quickbooks) };
		const secrets = sandboxSecrets(sandbox);
		scanner.addSecrets(secrets);
		// What a hostile server sends back: every credential the sandbox handed out.
		const echo = secrets.join(' ');
		let echoed = 0;
		for (const api of ['hubspot', 'quickbooks'] as const) {
			const fault = faults[api];
			if (fault)
				proxies[api].hooks.beforeServer = (exchange) => {
					const answer = fault(exchange, echo);
					if (answer) echoed++;
					return answer;
				};
		}
		const outcomes: ReverseItemOutcome[] = [];
		const pollErrors: unknown[] = [];
		const logs = captureLogs();
		try {
			const urls = { ...sandbox.urls, hubspot: proxies.hubspot.url, quickbooks: proxies.quickbooks.url };
			const driver = new ReverseDriver(reverseDriverConfig(scenario, { urls, hubspotAuthentication: faults.hubspotAuthentication }), reverseCredentials({ urls, credentials: sandbox.credentials }, data.realmId));
			if (faults.expireTokens) {
				sandbox.quickbooks.expireAccessTokens();
				sandbox.hubspot.expireAccessTokens();
			}
			const uncaught = { uncaught: 0, uncaughtDetails: [] as string[] };
			for (const template of REVERSE_TEMPLATES) {
				let items: IDataObject[];
				try {
					items = await driver.poll(template);
				} catch (error) {
					pollErrors.push(error);
					scanner.scan(`${label}: ${template} poll error`, errorSurface(error));
					continue;
				}
				const execution = await driver.execute(template, items);
				countUncaught(uncaught, execution, `${label} ${template}`);
				scanner.scan(`${label}: ${template} execution`, execution.run ?? execution.outcomes);
				const payload = slackPayload(template);
				for (const outcome of execution.outcomes.filter((entry) => entry.outcome === 'error')) scanner.scan(`${label}: ${template} Slack alert`, payload(outcome.json));
				outcomes.push(...execution.outcomes);
			}
			suite.totals.uncaught += uncaught.uncaught;
			expect(uncaught.uncaughtDetails).toEqual([]);
			// The nodes did receive the credentials in failure answers.
			expect(echoed).toBeGreaterThan(0);
		} finally {
			logs.restore();
			scanner.scan(`${label}: logs`, logs.lines);
			await proxies.hubspot.close();
			await proxies.quickbooks.close();
			await sandbox.close();
		}
		const failures = outcomes.filter((outcome) => outcome.outcome === 'error');
		const pollCodes = pollErrors.map((error) => /\[([A-Z_]+)\]/.exec(String((error as Error)?.message))?.[1] ?? 'uncoded');
		codes[label] = [...new Set([...failures.map((outcome) => outcome.code ?? 'uncoded'), ...pollCodes.map((code) => `poll:${code}`)])].sort();
		const uncoded = failures.filter((outcome) => !CODES.has(outcome.code ?? ''));
		suite.totals.uncaught += uncoded.length;
		expect(uncoded.map((outcome) => `${outcome.quickbooksId}: ${String(outcome.code)}`)).toEqual([]);
		return { outcomes, pollErrors };
	}

	const hubspotWrite = (exchange: Exchange) => exchange.method === 'POST' && /\/batch\/(create|update|archive)$/.test(exchange.url.split('?')[0]);

	it('HubSpot refuses every write with 401 and echoes the credentials: coded failures, no secret anywhere', async () => {
		const { outcomes } = await run('HubSpot 401 on writes', {
			hubspot: (exchange, secrets) => (hubspotWrite(exchange) ? { status: 401, body: { status: 'error', category: 'INVALID_AUTHENTICATION', message: `Authentication failed for ${secrets}`, context: { token: [secrets] } } } : undefined),
		});
		expect(outcomes.filter((outcome) => outcome.outcome === 'error').length).toBeGreaterThan(3);
		expect(outcomes.filter((outcome) => outcome.outcome === 'created')).toEqual([]);
		expect(scanner.leaks).toEqual([]);
	});

	it('HubSpot searches fail with 500 (echoing the credentials) until the retries run out: coded failures, no secret anywhere', async () => {
		const { outcomes } = await run('HubSpot 500 on searches', {
			hubspot: (exchange, secrets) => (/\/search$/.test(exchange.url.split('?')[0]) ? { status: 500, body: { status: 'error', category: 'INTERNAL_ERROR', message: `internal error near ${secrets}` } } : undefined),
		});
		expect(outcomes.filter((outcome) => outcome.outcome === 'error').length).toBeGreaterThan(3);
		expect(scanner.leaks).toEqual([]);
	});

	it('the QuickBooks token refresh is refused, echoing the refresh token and client secret: the poll fails coded, no secret anywhere', async () => {
		const { pollErrors } = await run('QuickBooks refresh refused', {
			expireTokens: true,
			quickbooks: (exchange, secrets) => (/\/oauth2\/v1\/tokens\/bearer$/.test(exchange.url.split('?')[0]) ? { status: 400, body: { error: 'invalid_grant', error_description: `refresh token invalid: ${secrets}` } } : undefined),
		});
		expect(pollErrors.length).toBe(REVERSE_TEMPLATES.length);
		expect(scanner.leaks).toEqual([]);
	});

	it('the HubSpot OAuth refresh is refused, echoing the credentials: coded failures, no secret anywhere', async () => {
		const { outcomes } = await run('HubSpot refresh refused', {
			hubspotAuthentication: 'oAuth2',
			expireTokens: true,
			hubspot: (exchange, secrets) => (/\/oauth\/v1\/token$/.test(exchange.url.split('?')[0]) ? { status: 400, body: { status: 'BAD_REFRESH_TOKEN', message: `missing or invalid refresh token ${secrets}` } } : undefined),
		});
		expect(outcomes.filter((outcome) => outcome.outcome === 'error').length).toBeGreaterThan(3);
		expect(scanner.leaks).toEqual([]);
	});
});
