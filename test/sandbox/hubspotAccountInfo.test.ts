import { start, type Sandbox } from '../../sandbox';

describe('HubSpot simulator: account info', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await start({ limits: false });
	});
	afterAll(async () => await sandbox.close());

	it('serves the portal id the trigger uses to link invoices in HubSpot', async () => {
		const response = await fetch(`${sandbox.urls.hubspot}/account-info/v3/details`, {
			headers: { Authorization: `Bearer ${sandbox.credentials.hubspot.accessToken}` },
		});
		expect(response.status).toBe(200);
		const body = (await response.json()) as { portalId: number; uiDomain: string };
		expect(Number.isInteger(body.portalId)).toBe(true);
		expect(body.uiDomain).toBe('app.hubspot.com');
	});

	it('still requires a token', async () => {
		expect((await fetch(`${sandbox.urls.hubspot}/account-info/v3/details`)).status).toBe(401);
	});
});
