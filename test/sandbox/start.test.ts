/** start(): the three servers from one call, sharing one log, with working credentials. */
import { start, type Sandbox } from '../../sandbox';

describe('start()', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await start();
	});
	afterAll(() => sb.close());

	it('brings HubSpot, QuickBooks and Slack up with credentials that work', async () => {
		expect(sb.urls.hubspot).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(sb.urls.quickbooks).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(sb.urls.slack.startsWith(`${sb.urls.slackBase}/services/`)).toBe(true);
		const c = sb.credentials;
		expect(c.hubspot.accessToken).toMatch(/^sandbox-hubspot-pat-/);
		expect(c.quickbooks).toMatchObject({ realmId: '9130357766410001', oauthTokenData: { token_type: 'bearer', callbackQueryString: { realmId: '9130357766410001' } } });

		const pat = await fetch(`${sb.urls.hubspot}/crm/v3/objects/invoices?limit=1`, { headers: { Authorization: `Bearer ${c.hubspot.accessToken}` } });
		expect(pat.status).toBe(200);
		const oauth = await fetch(`${sb.urls.hubspot}/tax-rates/v1/tax-rates`, { headers: { Authorization: `Bearer ${c.hubspot.oauth.access_token}` } });
		expect(oauth.status).toBe(200);

		const query = encodeURIComponent("select * from Item where Sku = 'PROD-001'");
		const qbo = await fetch(`${sb.urls.quickbooks}/v3/company/${c.quickbooks.realmId}/query?query=${query}&minorversion=75`, {
			headers: { Authorization: `Bearer ${c.quickbooks.oauthTokenData.access_token}`, Accept: 'application/json' },
		});
		expect(qbo.status).toBe(200);
		const qboBody = (await qbo.json()) as any;
		expect(qboBody.QueryResponse.Item[0]).toMatchObject({ Sku: 'PROD-001', Name: 'Widget Standard' });

		const slack = await fetch(sb.urls.slack, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'hello' }) });
		expect(await slack.text()).toBe('ok');
		expect(sb.slack.messages.map((m) => m.text)).toEqual(['hello']);

		expect(new Set(sb.log.entries.map((e) => e.api))).toEqual(new Set(['hubspot', 'quickbooks', 'slack']));
		expect(sb.dataset.hubspot.invoices).toHaveLength(Object.keys(sb.dataset.expectations).length);
	});

	it('setFaults reaches each simulator; reset restores data, clears Slack and the log', async () => {
		sb.setFaults({ hubspot: { rules: [{ rate503: 1 }] } });
		const faulted = await fetch(`${sb.urls.hubspot}/crm/v3/objects/invoices`, { headers: { Authorization: `Bearer ${sb.credentials.hubspot.accessToken}` } });
		expect(faulted.status).toBe(503);
		sb.setFaults({ hubspot: undefined });
		sb.hubspot.updateInvoice(sb.dataset.hubspot.invoices[0].id, { hs_invoice_status: 'paid' });
		sb.reset();
		expect(sb.hubspot.state.get('invoices', sb.dataset.hubspot.invoices[0].id)!.properties.hs_invoice_status).toBe('open');
		expect(sb.slack.messages).toHaveLength(0);
		expect(sb.log.count()).toBe(0);
		// Credentials survive a reset.
		const after = await fetch(`${sb.urls.hubspot}/crm/v3/objects/invoices?limit=1`, { headers: { Authorization: `Bearer ${sb.credentials.hubspot.oauth.access_token}` } });
		expect(after.status).toBe(200);
	});
});

describe('start() options', () => {
	it('takes a generated data set, limits off, and closes cleanly', async () => {
		const sb = await start({ dataset: { invoices: 40, linesPerInvoice: 2 }, seed: 5, limits: false });
		expect(sb.dataset.hubspot.invoices).toHaveLength(40);
		const auth = { Authorization: `Bearer ${sb.credentials.hubspot.accessToken}`, 'Content-Type': 'application/json' };
		for (let i = 0; i < 8; i++) {
			const r = await fetch(`${sb.urls.hubspot}/crm/v3/objects/invoices/search`, { method: 'POST', headers: auth, body: '{"limit":1}' });
			expect(r.status).toBe(200);
		}
		await sb.close();
		await sb.close(); // idempotent
		await expect(fetch(`${sb.urls.hubspot}/crm/v3/objects/invoices`)).rejects.toThrow();
	});

	it('fails cleanly when a port is taken, leaving nothing running', async () => {
		const first = await start({ limits: false });
		const port = Number(new URL(first.urls.quickbooks).port);
		await expect(start({ ports: { quickbooks: port } })).rejects.toThrow(/EADDRINUSE/);
		await first.close();
	});

	it('applies fault options from the start', async () => {
		const sb = await start({ faults: { quickbooks: { rules: [{ rate500: 1 }] } } });
		const r = await fetch(`${sb.urls.quickbooks}/v3/company/${sb.credentials.quickbooks.realmId}/companyinfo/${sb.credentials.quickbooks.realmId}`, {
			headers: { Authorization: `Bearer ${sb.credentials.quickbooks.oauthTokenData.access_token}`, Accept: 'application/json' },
		});
		expect(r.status).toBe(500);
		await sb.close();
	});
});
