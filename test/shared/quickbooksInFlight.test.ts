/**
 * The QuickBooks credential's "Max Requests in Flight (per n8n Process)": the cap on requests one
 * process has in flight for a company. In queue mode every worker has its own cap, so the setting
 * is how several workers together stay within Intuit's 10 concurrent requests per company.
 */
import { QuickBooksInvoiceSyncOAuth2Api } from '../../package/credentials/QuickBooksInvoiceSyncOAuth2Api.credentials';
import { QUICKBOOKS_MAX_IN_FLIGHT, QuickBooksClient, readMaxInFlight } from '../../package/nodes/shared/transport/quickbooks';
import { fakeContext, noWait } from './fakeContext';

function credentials(realmId: string, extra: Record<string, unknown> = {}) {
	return { useCustomBaseUrl: true, baseUrl: 'http://qbo.test', oauthTokenData: { callbackQueryString: { realmId } }, ...extra };
}

async function peakInFlight(realmId: string, extra: Record<string, unknown>, requests = 40): Promise<number> {
	const fake = fakeContext(() => ({ body: {}, delayMs: 5 }), credentials(realmId, extra));
	const clients = await Promise.all([1, 2].map(async () => await QuickBooksClient.create(fake.context, { retry: noWait })));
	await Promise.all(Array.from({ length: requests }, async (_unused, index) => await clients[index % 2].request('GET', '/preferences')));
	return fake.maxInFlight();
}

describe('QuickBooks requests in flight per process (credential setting)', () => {
	it('offers the setting on the QuickBooks credential with the default of 8', () => {
		const property = new QuickBooksInvoiceSyncOAuth2Api().properties.find((entry) => entry.name === 'maxRequestsInFlight');
		expect(property).toMatchObject({ type: 'number', default: QUICKBOOKS_MAX_IN_FLIGHT, typeOptions: { minValue: 1, maxValue: 10 } });
		expect(property?.description).toMatch(/10 ÷/);
	});

	it('keeps every execution of the process within the credential\'s setting (5 for two workers)', async () => {
		expect(await peakInFlight('in-flight-5', { maxRequestsInFlight: 5 })).toBe(5);
	});

	it('allows a single request in flight when set to 1', async () => {
		expect(await peakInFlight('in-flight-1', { maxRequestsInFlight: 1 }, 10)).toBe(1);
	});

	it('keeps 8 when the credential predates the setting', async () => {
		expect(await peakInFlight('in-flight-default', {})).toBe(8);
	});

	it('applies a changed setting to the next execution for the same company', async () => {
		expect(await peakInFlight('in-flight-changed', { maxRequestsInFlight: 3 })).toBe(3);
		expect(await peakInFlight('in-flight-changed', { maxRequestsInFlight: 6 })).toBe(6);
	});

	it('reads the setting as a whole number from 1 to 10, and 8 when it is empty or not a number', () => {
		expect(readMaxInFlight(undefined)).toBe(8);
		expect(readMaxInFlight('')).toBe(8);
		expect(readMaxInFlight('abc')).toBe(8);
		expect(readMaxInFlight(4)).toBe(4);
		expect(readMaxInFlight('3')).toBe(3);
		expect(readMaxInFlight(4.7)).toBe(4);
		expect(readMaxInFlight(0)).toBe(1);
		expect(readMaxInFlight(25)).toBe(10);
	});
});
