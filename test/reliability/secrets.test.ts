/**
 * Secrets where they are most likely to leak: failures of authentication itself. Tokens and client
 * secrets are recognisable (sandbox tokens have fixed prefixes; both OAuth apps get a marked client
 * secret), and every output item, error (message, description, details, cause), log line (n8n's
 * logger at every level, console) and Slack message — the template's own Slack Alert payload,
 * posted to the sandbox's Slack sink — is scanned for them, in plain text, URL-encoded and as
 * Basic-auth base64. The other suites scan their own runs the same way (chaos, crash, concurrent,
 * fuzz, injection, rate limits); this one also checks the failures carry the right code.
 */
import * as fs from 'fs';

import type { IDataObject } from 'n8n-workflow';

import { start, type Sandbox } from '../../sandbox';
import { SYNC_TEMPLATE } from '../../scripts/lib/syncPipeline';
import { SyncDriver, type ItemOutcome } from '../../scripts/reliability/driver';
import { blockExternalNetwork } from '../harness';
import { recordFigures } from './helpers/figures';
import { SecretScanner, captureLogs, installSecretMarkers, sandboxSecrets } from './helpers/secrets';

const SUITE = 'secrets';

jest.setTimeout(120_000);

/** The Slack Alert node's jsonBody expression from the sync template, evaluated for one error item. */
function templateSlackPayload(): (json: IDataObject) => unknown {
	const template = JSON.parse(fs.readFileSync(SYNC_TEMPLATE, 'utf8')) as { nodes: Array<{ name: string; parameters: IDataObject }> };
	const expression = String(template.nodes.find((node) => node.name === 'Slack Alert')?.parameters.jsonBody ?? '');
	const code = /^=\{\{([\s\S]*)\}\}$/.exec(expression.trim())?.[1];
	if (!code) throw new Error('the sync template has no Slack Alert jsonBody expression');
	// eslint-disable-next-line @typescript-eslint/no-implied-eval
	const evaluate = new Function('$json', `return (${code});`) as (json: IDataObject) => string;
	return (json) => JSON.parse(evaluate(json)) as unknown;
}

async function postToSlack(sandbox: Sandbox, outcomes: ItemOutcome[]): Promise<void> {
	const payloadOf = templateSlackPayload();
	for (const outcome of outcomes.filter((entry) => entry.outcome === 'error')) {
		await fetch(sandbox.urls.slack, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payloadOf(outcome.json)) });
	}
}

/** Everything an error object carries that n8n could show or store. */
function errorSurface(error: unknown): unknown {
	const value = error as Record<string, unknown> | undefined;
	return {
		message: value?.message,
		description: value?.description,
		stack: value?.stack,
		context: value?.context,
		cause: value?.cause,
		messages: value?.messages,
		json: (() => {
			try {
				return JSON.parse(JSON.stringify(error));
			} catch {
				return undefined;
			}
		})(),
	};
}

describe('secrets: authentication failures leak nothing and say what to do', () => {
	let sandbox: Sandbox;
	let markers: ReturnType<typeof installSecretMarkers>;
	const scanner = new SecretScanner();
	const codes: Record<string, string[]> = {};
	let uncaught = 0;
	const slackMessages: string[] = [];

	beforeAll(async () => {
		blockExternalNetwork();
		markers = installSecretMarkers();
		sandbox = await start({ dataset: 'default', limits: false });
		scanner.addSecrets([...sandboxSecrets(sandbox), markers.qbo, markers.hubspot]);
	});

	afterAll(async () => {
		recordFigures(SUITE, { secretLeaks: scanner.count, uncaught, secretsScenarios: codes, secretsScannedBytes: scanner.scannedBytes });
		markers?.restore();
		await sandbox?.close();
	});

	/** A fresh driver (fresh credentials and cursor) with the data set's invoices already polled. */
	async function prepared(hubspotAuthentication: 'oAuth2' | 'appToken' = 'appToken', writeBack = false): Promise<{ driver: SyncDriver; items: IDataObject[] }> {
		sandbox.reset();
		sandbox.setFaults({ hubspot: undefined, quickbooks: undefined });
		const driver = new SyncDriver({ urls: sandbox.urls, credentials: sandbox.credentials, taxMapping: sandbox.dataset.taxMapping, hubspotAuthentication, writeBack });
		const items = await driver.poll();
		expect(items.length).toBeGreaterThan(10);
		return { driver, items };
	}

	async function executeScanned(label: string, driver: SyncDriver, items: IDataObject[]): Promise<ItemOutcome[]> {
		const logs = captureLogs();
		try {
			const execution = await driver.execute(items);
			uncaught += execution.lost + Object.keys(execution.nodeErrors).length + (execution.thrown ? 1 : 0);
			scanner.scan(`${label}: execution`, execution.run ?? execution.outcomes);
			await postToSlack(sandbox, execution.outcomes);
			// (prepared() resets the sandbox, Slack sink included: scan what this scenario posted now.)
			scanner.scan(`${label}: Slack messages`, sandbox.slack.messages);
			scanner.scan(`${label}: sandbox request log`, sandbox.log.entries);
			slackMessages.push(...sandbox.slack.messages.map((message) => String(message.text)));
			codes[label] = [...new Set(execution.outcomes.map((outcome) => outcome.code ?? outcome.outcome))].sort();
			return execution.outcomes;
		} finally {
			logs.restore();
			scanner.scan(`${label}: logs`, logs.lines);
		}
	}

	async function pollScanned(label: string, driver: SyncDriver): Promise<unknown> {
		const logs = captureLogs();
		try {
			await driver.poll();
			return undefined;
		} catch (error) {
			scanner.scan(`${label}: poll error`, errorSurface(error));
			codes[label] = [/\[([A-Z_]+)\]/.exec(String((error as Error).message))?.[1] ?? 'uncoded'];
			return error;
		} finally {
			logs.restore();
			scanner.scan(`${label}: logs`, logs.lines);
		}
	}

	const qboTokens = (driver: SyncDriver) => driver.credentials.quickBooksInvoiceSyncOAuth2Api.oauthTokenData as IDataObject;
	const hubspotTokens = (driver: SyncDriver) => driver.credentials.hubSpotInvoiceSyncOAuth2Api.oauthTokenData as IDataObject;

	it('QuickBooks refresh token revoked: every invoice fails AUTH_EXPIRED (not retryable, one refresh attempt), nothing leaks', async () => {
		const { driver, items } = await prepared();
		sandbox.quickbooks.expireAccessTokens();
		qboTokens(driver).refresh_token = 'AB11-sim-rt-REVOKED0000000000000000000000';
		const before = sandbox.log.count((entry) => entry.path === '/oauth2/v1/tokens/bearer');
		const outcomes = (await executeScanned('QuickBooks refresh token revoked', driver, items)).filter((outcome) => outcome.code !== 'CUSTOMER_EMAIL_MISSING');
		expect([...new Set(outcomes.map((outcome) => outcome.code))]).toEqual(['AUTH_EXPIRED']);
		expect(outcomes.every((outcome) => outcome.retryable === false)).toBe(true);
		expect(String((outcomes[0].json.error as IDataObject).message)).toMatch(/QuickBooks rejected the connection: the authorization expired or was revoked/);
		// A dead refresh token is not retried six times per request.
		expect(sandbox.log.count((entry) => entry.path === '/oauth2/v1/tokens/bearer') - before).toBeLessThanOrEqual(2);
		expect(scanner.leaks).toEqual([]);
	});

	it('QuickBooks client secret wrong: AUTH_EXPIRED, and the (marked) secret appears nowhere', async () => {
		const { driver, items } = await prepared();
		sandbox.quickbooks.expireAccessTokens();
		driver.credentials.quickBooksInvoiceSyncOAuth2Api.clientSecret = `${markers.qbo}-WRONG`;
		const outcomes = await executeScanned('QuickBooks client secret wrong', driver, items);
		expect(outcomes.length).toBe(items.length);
		expect(outcomes.every((outcome) => outcome.outcome === 'error')).toBe(true);
		expect(scanner.leaks).toEqual([]);
	});

	it('QuickBooks token endpoint down while tokens expire: a retryable outage code, nothing leaks', async () => {
		const { driver, items } = await prepared();
		sandbox.setFaults({ quickbooks: { rules: [{ match: '^POST /oauth2/v1/tokens/bearer$', rate503: 1 }] } });
		sandbox.quickbooks.expireAccessTokens();
		const outcomes = await executeScanned('QuickBooks token endpoint down', driver, items);
		expect(outcomes.length).toBe(items.length);
		const needingQuickBooks = outcomes.filter((outcome) => outcome.code !== 'CUSTOMER_EMAIL_MISSING');
		expect(needingQuickBooks.every((outcome) => outcome.outcome === 'error' && outcome.retryable === true)).toBe(true);
		expect(scanner.leaks).toEqual([]);
	});

	it('HubSpot OAuth refresh fails during a poll: the poll fails with AUTH_EXPIRED and leaks nothing', async () => {
		const { driver } = await prepared('oAuth2');
		hubspotTokens(driver).access_token = 'sandbox-hubspot-oauth-EXPIRED0000000000000000';
		hubspotTokens(driver).refresh_token = 'sandbox-hubspot-refresh-REVOKED000000000000000';
		driver.staticData = {};
		const error = await pollScanned('HubSpot OAuth refresh fails', driver);
		expect(String((error as Error | undefined)?.message)).toMatch(/\[AUTH_EXPIRED\]/);
		expect(scanner.leaks).toEqual([]);
	});

	it('HubSpot private-app token wrong: the poll fails with AUTH_EXPIRED and leaks nothing', async () => {
		const { driver } = await prepared('appToken');
		driver.credentials.hubSpotInvoiceSyncAppTokenApi.accessToken = 'sandbox-hubspot-pat-na1-WRONG0000-0000-4000-8000-000000000000';
		driver.staticData = {};
		const error = await pollScanned('HubSpot app token wrong', driver);
		expect(String((error as Error | undefined)?.message)).toMatch(/\[AUTH_EXPIRED\]/);
		expect(scanner.leaks).toEqual([]);
	});

	it('HubSpot refresh fails during the write-back: QuickBooks results stand, the write-back reports the failure, nothing leaks', async () => {
		const { driver, items } = await prepared('oAuth2', true);
		hubspotTokens(driver).access_token = 'sandbox-hubspot-oauth-EXPIRED0000000000000000';
		hubspotTokens(driver).refresh_token = 'sandbox-hubspot-refresh-REVOKED000000000000000';
		const outcomes = await executeScanned('HubSpot write-back refresh fails', driver, items);
		const synced = outcomes.filter((outcome) => outcome.outcome !== 'error');
		expect(synced.length).toBeGreaterThan(5);
		const writeBack = ((synced[0].json.quickbooks as IDataObject).writeBack ?? {}) as IDataObject;
		expect(writeBack.ok).toBe(false);
		expect(scanner.leaks).toEqual([]);
	});

	it('every failure reached Slack through the template payload, and the scanner saw all of it', () => {
		expect(slackMessages.length).toBeGreaterThan(20);
		expect(slackMessages[0]).toMatch(/did not sync to QuickBooks/);
		expect(uncaught).toBe(0);
	});
});
