import nock from 'nock';

import { PACKAGE_NAME, blockExternalNetwork, runWorkflow } from '../harness';
import { sampleInvoice } from '../kit';

beforeAll(blockExternalNetwork);
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('an invoice that already failed upstream', () => {
	it('goes to the error output with its own code and is not synced half-read', async () => {
		const incomplete = {
			invoice: sampleInvoice,
			error: { code: 'INVOICE_INCOMPLETE', message: 'Invoice INV-1001 could not be read completely from HubSpot: line item 9 is missing', hint: 'Open the invoice in HubSpot…', retryable: false, details: { missingLineItemIds: ['9'] } },
		};
		// No QuickBooks mock: any request would fail the test with a disallowed net connect.
		const run = await runWorkflow({
			nodes: [{ name: 'Customer Resolve', type: `${PACKAGE_NAME}.customerResolve`, typeVersion: 1, parameters: {}, onError: 'continueErrorOutput' }],
			connections: {},
			input: [incomplete],
			credentials: {
				quickBooksInvoiceSyncOAuth2Api: {
					useCustomBaseUrl: true,
					baseUrl: 'https://qbo.upstream.test',
					oauthTokenData: { access_token: 'a', refresh_token: 'r', callbackQueryString: { realmId: '1' } },
				},
			},
		});
		expect(run.output('Customer Resolve', 0)).toEqual([]);
		const [failed] = run.output('Customer Resolve', 1);
		expect(failed.json.error).toMatchObject({ code: 'INVOICE_INCOMPLETE', message: incomplete.error.message, details: { missingLineItemIds: ['9'] } });
		expect((failed.json.invoice as { number: string }).number).toBe('INV-1001');
	});
});
