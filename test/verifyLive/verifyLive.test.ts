/**
 * `npm run verify:live`: the probes against the local sandbox (as CI runs them), credentials from
 * the environment only and never printed, missing credentials skipping one API only, and probes
 * that say "does not hold" when an API answers otherwise.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import nock from 'nock';

import { registerSecrets } from '../../package/nodes/shared/errors';
import type { Sandbox } from '../../sandbox';
import { formatReport, type Probe } from '../../scripts/verifyLive/probe';
import { quickbooksProbes } from '../../scripts/verifyLive/quickbooksProbes';
import { startSandboxTargets, targetsFromEnv, type Targets } from '../../scripts/verifyLive/targets';
import { verify, ALL_PROBES } from '../../scripts/verifyLive/verify';
import { blockExternalNetwork } from '../harness';

const noWait = async () => {};
const REPO = join(__dirname, '..', '..');

function sandboxSecrets(sandbox: Sandbox): string[] {
	const { quickbooks, hubspot } = sandbox.credentials;
	return [quickbooks.oauthTokenData.access_token, quickbooks.oauthTokenData.refresh_token, quickbooks.clientSecret, hubspot.accessToken, hubspot.clientSecret, hubspot.oauth.access_token];
}

describe('verify:live against the local sandbox', () => {
	let sandbox: Sandbox;
	let targets: Targets;

	beforeAll(async () => {
		blockExternalNetwork();
		({ sandbox, targets } = await startSandboxTargets());
	});
	afterAll(async () => {
		await sandbox?.close();
		nock.enableNetConnect();
	});
	beforeEach(() => {
		sandbox.reset();
		sandbox.setFaults({ hubspot: undefined, quickbooks: undefined });
	});

	it('judges every fact, writes included: each holds in the sandbox (only the 429 probes skip), and no credential is printed', async () => {
		const report = await verify({ targets, write: true, sleep: noWait });

		expect(report.results).toHaveLength(ALL_PROBES.length);
		expect(report.results.filter((result) => result.outcome === 'error')).toEqual([]);
		// The sandbox behaves as documented (or as its default settings assume): every fact holds.
		expect(report.results.filter((result) => result.outcome === 'does not hold')).toEqual([]);
		// Nothing here provokes a 429.
		expect(report.results.filter((result) => result.outcome === 'skipped').map((result) => result.fact)).toEqual([
			"QuickBooks' 429 answers carry a Retry-After header",
			"HubSpot's 429 answers carry policyName",
		]);
		for (const result of report.results) expect(result.evidence.length).toBeGreaterThan(0);
		for (const secret of sandboxSecrets(sandbox)) expect(report.text).not.toContain(secret);
		expect(report.text).toMatch(new RegExp(`${ALL_PROBES.length - 2} hold, 0 do not hold, 2 skipped, 0 errors$`));
	});

	it('cleans up what --write created: invoices voided, test customers and the test item inactive, the HubSpot draft voided', async () => {
		const realm = sandbox.quickbooks.state.realms[sandbox.credentials.quickbooks.realmId];
		const before = (entity: 'Customer' | 'Invoice' | 'Item') => new Set(realm.entities[entity].keys());
		const added = (entity: 'Customer' | 'Invoice' | 'Item', known: Set<string>) => [...realm.entities[entity].values()].filter((record) => !known.has(String(record.Id)));
		const [customers, invoices, items] = [before('Customer'), before('Invoice'), before('Item')];
		const hubspotBefore = new Set(sandbox.hubspot.state.list('invoices').map((invoice) => invoice.id));

		const report = await verify({ targets, write: true, sleep: noWait });
		expect(report.results.filter((result) => result.outcome === 'error')).toEqual([]);
		expect(report.notes.filter((note) => note.startsWith('QuickBooks'))).toEqual([]);

		expect(added('Customer', customers).map((customer) => customer.Active)).toEqual([false, false, false]);
		expect(added('Item', items).map((item) => item.Active)).toEqual([false]);
		const newInvoices = added('Invoice', invoices);
		expect(newInvoices.length).toBeGreaterThanOrEqual(1);
		for (const invoice of newInvoices) expect(Number(invoice.TotalAmt)).toBe(0);
		const drafts = sandbox.hubspot.state.list('invoices').filter((invoice) => !hubspotBefore.has(invoice.id));
		expect(drafts.map((draft) => draft.properties.hs_invoice_status)).toEqual(['voided']);
	});

	it.each([
		['duplicateDocNumberCheck', 'off', /DocNumber in use is refused with 6140/, /accepted again as invoice \d+ \(the company's duplicate-number check is off\); voided/],
		['queryBackslash', 'escapesQuoteOnly', /backslash and a quote is found/, /the query found 0 rows, not the customer/],
		['itemSparseUpdate', 'applied', /sparse: true is not applied/, /applied as a sparse update: Name, Sku, IncomeAccountRef, UnitPrice kept/],
		['itemExpenseAccount', 'allButFrance', /without ExpenseAccountRef is refused in UK and Canadian/, /Country "US": refused/],
	] as const)('says "does not hold" when the sandbox is set the other way: %s = %s', async (setting, value, fact, evidence) => {
		const assumptions = sandbox.quickbooks.assumptions as unknown as Record<string, string>;
		const previous = assumptions[setting];
		assumptions[setting] = value;
		try {
			const report = await verify({ targets, write: true, sleep: noWait, probes: ALL_PROBES.filter((probe) => fact.test(probe.fact)) });
			expect(report.results).toHaveLength(1);
			expect(report.results[0].outcome).toBe('does not hold');
			expect(report.results[0].evidence).toMatch(evidence);
			expect(report.notes.filter((note) => note.startsWith('QuickBooks'))).toEqual([]);
		} finally {
			assumptions[setting] = previous;
		}
	});

	it('in a multicurrency company, writes with the home CurrencyRef and sees a foreign-currency invoice refused', async () => {
		const prefs = sandbox.quickbooks.state.realms[sandbox.credentials.quickbooks.realmId].preferences as { CurrencyPrefs: { MultiCurrencyEnabled: boolean } };
		prefs.CurrencyPrefs.MultiCurrencyEnabled = true;
		try {
			const report = await verify({ targets, write: true, sleep: noWait, probes: ALL_PROBES.filter((probe) => /can be created, sparse-updated|another currency than its customer/.test(probe.fact)) });
			expect(report.results.map((result) => result.outcome)).toEqual(['holds', 'holds']);
			expect(report.results[1].evidence).toMatch(/^multicurrency on, customer in USD, invoice in EUR: HTTP 400 ValidationFault: 6000/);
			expect(report.notes.filter((note) => note.startsWith('QuickBooks'))).toEqual([]);
		} finally {
			prefs.CurrencyPrefs.MultiCurrencyEnabled = false;
		}
	});

	it('says "does not hold" when an invoice carries an hs_timezone the trigger cannot read', async () => {
		const invoice = sandbox.hubspot.state.list('invoices')[2];
		sandbox.hubspot.updateInvoice(invoice.id, { hs_timezone: 'Mars/Olympus_Mons' });
		const report = await verify({ targets, write: false, sleep: noWait, probes: ALL_PROBES.filter((probe) => /hs_timezone value/.test(probe.fact)) });
		expect(report.results[0].outcome).toBe('does not hold');
		expect(report.results[0].evidence).toMatch(/"Mars\/Olympus_Mons" ×1 \[not read\]/);
	});

	it('counts a /batch call refused for asking too much as the cap holding (batchResponseOverflow = fault)', async () => {
		const assumptions = sandbox.quickbooks.assumptions;
		const previous = assumptions.batchResponseOverflow;
		assumptions.batchResponseOverflow = 'fault';
		try {
			const report = await verify({ targets, write: false, sleep: noWait, probes: ALL_PROBES.filter((probe) => /batch answer/.test(probe.fact)) });
			expect(report.results[0]).toMatchObject({ outcome: 'holds', evidence: expect.stringMatching(/asked for 1500 objects: the call was refused, HTTP 400 ValidationFault: 6000/) });
		} finally {
			assumptions.batchResponseOverflow = previous;
		}
	});

	it('without --write, creates nothing and skips the write probes', async () => {
		const realm = sandbox.quickbooks.state.realms[sandbox.credentials.quickbooks.realmId];
		const counts = () => ({ customers: realm.entities.Customer.size, invoices: realm.entities.Invoice.size, hubspot: sandbox.hubspot.state.list('invoices').length });
		const before = counts();

		const report = await verify({ targets, write: false, sleep: noWait });

		expect(counts()).toEqual(before);
		const writes = report.results.filter((result) => ALL_PROBES.find((probe) => probe.fact === result.fact)?.write);
		expect(writes.length).toBeGreaterThan(0);
		for (const result of writes) expect(result).toMatchObject({ outcome: 'skipped', evidence: 'writes test records: run with --write' });
		expect(report.results.filter((result) => result.outcome === 'error')).toEqual([]);
	});

	it("reads policyName from HubSpot's 429 answers when it meets them, and still judges the fact it was probing", async () => {
		sandbox.setFaults({ hubspot: { seed: 7, rules: [{ match: '^GET /account-info', rate429: 0.5 }] } });
		const report = await verify({ targets, write: false, sleep: noWait, probes: ALL_PROBES.filter((probe) => probe.api === 'HubSpot' && (probe.last || /timeZone/.test(probe.fact))) });

		const [timeZone, policy] = report.results;
		expect(timeZone.outcome).toBe('holds');
		expect(policy.outcome).toBe('holds');
		expect(policy.evidence).toMatch(/TEN_SECONDLY_ROLLING/);
	});

	it('without QuickBooks credentials, its probes say which variables to set and HubSpot is still checked', async () => {
		const report = await verify({ targets: { ...targets, quickbooks: undefined, missing: { QuickBooks: '(set QUICKBOOKS_ACCESS_TOKEN and QUICKBOOKS_REALM_ID)' } }, write: false, sleep: noWait });

		for (const result of report.results.filter((entry) => entry.api === 'QuickBooks')) {
			expect(result).toMatchObject({ outcome: 'skipped', evidence: '(set QUICKBOOKS_ACCESS_TOKEN and QUICKBOOKS_REALM_ID)' });
		}
		const hubspot = report.results.filter((entry) => entry.api === 'HubSpot');
		expect(hubspot.some((result) => result.outcome === 'holds')).toBe(true);
		expect(hubspot.filter((result) => result.outcome === 'error')).toEqual([]);
	});
});

describe('verify:live judges an API that answers otherwise', () => {
	let server: Server;
	let baseUrl: string;
	beforeAll(async () => {
		blockExternalNetwork();
		// A QuickBooks stand-in that answers a malformed query with a bare 400: no Fault, no intuit_tid.
		server = createServer((request, response) => {
			request.resume();
			request.on('end', () => {
				response.writeHead(400, { 'Content-Type': 'text/plain' });
				response.end('Bad Request');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await new Promise((resolve) => server.close(resolve));
		nock.enableNetConnect();
	});

	it('says "does not hold", with what came back, when an error answer lacks the Fault envelope and intuit_tid', async () => {
		const probe = quickbooksProbes.find((entry) => /Fault envelope/.test(entry.fact)) as Probe;
		const report = await verify({ targets: { quickbooks: { baseUrl, realmId: '1', accessToken: 'stand-in-token-0123456789' }, missing: { HubSpot: '(set HUBSPOT_ACCESS_TOKEN)' } }, write: false, probes: [probe] });

		expect(report.results[0]).toMatchObject({ outcome: 'does not hold' });
		expect(report.results[0].evidence).toBe('HTTP 400, no Fault in Bad Request, no intuit_tid header');
	});

	it('reports an answer it cannot judge as an error, not a verdict', async () => {
		const probe = quickbooksProbes.find((entry) => /CustomTxnNumbers is present/.test(entry.fact)) as Probe;
		const report = await verify({ targets: { quickbooks: { baseUrl, realmId: '1', accessToken: 'stand-in-token-0123456789' }, missing: {} }, write: false, probes: [probe] });

		expect(report.results[0].outcome).toBe('error');
		expect(report.results[0].evidence).toMatch(/GET preferences: HTTP 400 Bad Request/);
	});
});

describe('verify:live keeps credentials out of its output', () => {
	it('reads tokens from the environment and redacts them from every printed line, errors included', async () => {
		const token = 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0..live-check-test-token-value';
		const hubspotToken = 'pat-na1-00000000-1111-2222-3333-444444444444';
		const targets = targetsFromEnv({ QUICKBOOKS_ACCESS_TOKEN: token, QUICKBOOKS_REALM_ID: '123', HUBSPOT_ACCESS_TOKEN: hubspotToken });
		expect(targets.quickbooks).toMatchObject({ accessToken: token, realmId: '123', baseUrl: 'https://sandbox-quickbooks.api.intuit.com' });
		expect(targets.hubspot).toMatchObject({ accessToken: hubspotToken, baseUrl: 'https://api.hubapi.com' });

		const leaky: Probe[] = [
			{ api: 'QuickBooks', fact: 'a probe whose error quotes the token', run: async () => Promise.reject(new Error(`the API echoed ${token} and plain ${token.slice(0, 30)}`)) },
			{ api: 'HubSpot', fact: 'a probe whose evidence quotes the token', run: async () => ({ outcome: 'holds', evidence: `saw ${hubspotToken}` }) },
		];
		const report = await verify({ targets, write: false, probes: leaky });

		expect(report.results.map((result) => result.outcome)).toEqual(['error', 'holds']);
		expect(report.text).not.toContain(token);
		expect(report.text).not.toContain(hubspotToken);
		expect(report.text).toContain('[redacted]');
	});

	it('names missing variables without repeating any value, and refuses a base URL that is not one', () => {
		expect(targetsFromEnv({ HUBSPOT_ACCESS_TOKEN: 'pat-na1-abcdefabcdef' }).missing).toEqual({ QuickBooks: '(set QUICKBOOKS_ACCESS_TOKEN and QUICKBOOKS_REALM_ID)' });
		expect(targetsFromEnv({ QUICKBOOKS_REALM_ID: '9' }).missing).toEqual({ QuickBooks: '(set QUICKBOOKS_ACCESS_TOKEN)', HubSpot: '(set HUBSPOT_ACCESS_TOKEN)' });
		const secretish = 'not a url secret-in-url-value';
		expect(() => targetsFromEnv({ HUBSPOT_ACCESS_TOKEN: 'pat-na1-abcdefabcdef', HUBSPOT_BASE_URL: secretish })).toThrow(/^HUBSPOT_BASE_URL is not a URL$/);
	});

	it('the report redacts a registered token even inside a fact name', () => {
		registerSecrets(['registered-secret-value-0001']);
		const text = formatReport([{ api: 'HubSpot', fact: 'fact registered-secret-value-0001', outcome: 'holds', evidence: 'ok' }]);
		expect(text).not.toContain('registered-secret-value-0001');
	});
});

describe('npm run verify:live (the command)', () => {
	const run = (args: string[]) =>
		spawnSync(process.execPath, [join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(REPO, 'scripts', 'verifyLive', 'index.ts'), ...args], {
			cwd: REPO,
			encoding: 'utf8',
			env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
			timeout: 60_000,
		});

	it('with no credentials set, skips every probe with the variables to set and exits 0 (no request made)', () => {
		const result = run([]);
		expect(result.status).toBe(0);
		expect(result.stdout).toContain('(set QUICKBOOKS_ACCESS_TOKEN and QUICKBOOKS_REALM_ID)');
		expect(result.stdout).toContain('(set HUBSPOT_ACCESS_TOKEN)');
		expect(result.stdout).toMatch(new RegExp(`0 hold, 0 do not hold, ${ALL_PROBES.length} skipped, 0 errors`));
	});

	it('refuses an unknown flag with exit code 2 and the usage', () => {
		const result = run(['--writ']);
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('Usage: npm run verify:live');
	});
});
