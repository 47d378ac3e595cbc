/**
 * The HubSpot OAuth2 credential asks HubSpot for a fixed list of scopes. Both directions must work
 * with exactly that list: the simulator refuses a call whose scope the token lacks (403
 * MISSING_SCOPES), as HubSpot does, so a scope the nodes need but the credential does not ask for
 * shows up here as a failed invoice.
 */
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => {}),
}));

import type { IDataObject } from 'n8n-workflow';

import { HubSpotInvoiceSyncOAuth2Api } from '../../package/credentials/HubSpotInvoiceSyncOAuth2Api.credentials';
import type { Sandbox } from '../../sandbox';
import { twoWayDataset, type TwoWayDataset } from '../../sandbox/dataset/twoWay';
import { performQuickBooksActions } from '../../sandbox/quickbooks/userActions';
import { backfillDateFor, REVERSE_TEMPLATE_FILES, TEMPLATE_FILES } from '../../scripts/demo/templates';
import { sandboxCredentials, useSandbox } from '../fixtures/demoSandbox';
import type { HarnessCredentials } from '../harness';
import { direction, reverseOutcomes, runCycle } from './directions';

jest.setTimeout(240_000);

const data: TwoWayDataset = twoWayDataset();
let sandbox: Sandbox;

useSandbox({ dataset: data, limits: false }, (started) => (sandbox = started));

function credentialScopes(): string[] {
	const scope = new HubSpotInvoiceSyncOAuth2Api().properties.find((property) => property.name === 'scope');
	return String(scope?.default ?? '').split(' ').filter(Boolean);
}

/** The sandbox credentials, with HubSpot reached through a token granted exactly `scopes`. */
function credentialsWithScopes(scopes: string[]): HarnessCredentials {
	const base = sandboxCredentials(sandbox);
	const token = sandbox.hubspot.issueTokens(undefined, scopes).access_token;
	return { ...base, hubSpotInvoiceSyncAppTokenApi: { ...(base.hubSpotInvoiceSyncAppTokenApi as IDataObject), accessToken: token } } as HarnessCredentials;
}

describe('HubSpot OAuth2 credential scopes', () => {
	it('both directions sync with exactly the scopes the credential asks for: no invoice fails for a missing permission', async () => {
		const credentials = credentialsWithScopes(credentialScopes());
		const since = backfillDateFor(data);
		const directions = [
			direction(TEMPLATE_FILES.sync, sandbox, data.taxMapping, since),
			direction(REVERSE_TEMPLATE_FILES.reverseSync, sandbox, data.reverse.taxMapping, since),
			direction(REVERSE_TEMPLATE_FILES.reversePayments, sandbox, data.reverse.taxMapping, since),
		];
		const failures: Array<{ node: string; code: string; message: string }> = [];
		let reverseWrites = 0;
		const cycle = async () => {
			for (const dir of directions) {
				const result = await runCycle(dir, credentials);
				for (const { node, json } of result.failed) {
					const error = json.error as IDataObject | undefined;
					failures.push({ node, code: String(error?.code), message: `${String(error?.message)} ${String(error?.hint ?? '')}` });
				}
				if (dir !== directions[0]) reverseWrites += reverseOutcomes(result).filter((outcome) => 'write' in outcome).length;
			}
		};
		await cycle();
		await performQuickBooksActions(sandbox.urls.quickbooks, data.realmId, sandbox.credentials.quickbooks.oauthTokenData.access_token, data.reverse.actions);
		await cycle();

		expect(failures.filter((failure) => /scope|permission/i.test(failure.message))).toEqual([]);
		const expectedCodes = new Set([...Object.values(data.expectations), ...Object.values(data.reverse.expectations)].flatMap((expected) => (expected.code ? [expected.code] : [])));
		expect(failures.filter((failure) => !expectedCodes.has(failure.code))).toEqual([]);
		// The reverse direction really wrote: contacts, companies, invoices, line items and payments.
		expect(reverseWrites).toBeGreaterThan(5);
	});

	it('a token without the line-item write scope is refused: the check above can fail', async () => {
		sandbox.reset();
		const credentials = credentialsWithScopes(credentialScopes().filter((scope) => scope !== 'crm.objects.line_items.write'));
		const reverse = direction(REVERSE_TEMPLATE_FILES.reverseSync, sandbox, data.reverse.taxMapping, backfillDateFor(data));
		const result = await runCycle(reverse, credentials);
		const messages = result.failed.map(({ json }) => JSON.stringify(json.error));
		expect(messages.some((message) => message.includes('crm.objects.line_items.write'))).toBe(true);
	});
});
