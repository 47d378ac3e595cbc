/**
 * The suite's own checks can fail: every figure the other suites report (lost, duplicated, wrong,
 * hammered retries, secret leaks, invalid QuickBooks invoices) is shown to count a planted fault.
 */
import type { IDataObject } from 'n8n-workflow';

import { start, type Sandbox } from '../../sandbox';
import type { QboRecord, QboState } from '../../sandbox/quickbooks';
import { SyncDriver, type ItemOutcome } from '../../scripts/reliability/driver';
import { blockExternalNetwork } from '../harness';
import { recordFigures } from './helpers/figures';
import { checkInvariant, lastOutcomes } from './helpers/invariant';
import { measureManners } from './helpers/manners';
import type { Exchange } from './helpers/proxy';
import { invoiceProblems, rejectedCharacters } from './helpers/quickbooksRules';
import { SecretScanner, captureLogs, installSecretMarkers, sandboxSecrets } from './helpers/secrets';

jest.setTimeout(60_000);

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('the checks count planted faults', () => {
	let sandbox: Sandbox;
	let outcomes: Map<string, ItemOutcome>;
	let emitted: Set<string>;
	let logLines: string[] = [];
	let markers: ReturnType<typeof installSecretMarkers>;
	let planted = 0;

	beforeAll(async () => {
		blockExternalNetwork();
		markers = installSecretMarkers();
		sandbox = await start({ dataset: { invoices: 40, seed: 5, failureRate: 0.3 }, limits: false });
		const logs = captureLogs();
		try {
			const driver = new SyncDriver({ urls: sandbox.urls, credentials: sandbox.credentials, taxMapping: sandbox.dataset.taxMapping });
			const items = await driver.poll();
			emitted = new Set(items.map((item) => String(((item.invoice as IDataObject).source as IDataObject).id)));
			outcomes = lastOutcomes([await driver.execute(items)]);
		} finally {
			logs.restore();
			logLines = logs.lines;
		}
	});

	afterAll(async () => {
		recordFigures('selftest', { selftestPlantedFaultsDetected: planted });
		markers?.restore();
		await sandbox?.close();
	});

	/** The live state with the invoices and customers copied, so a mutation leaves the sandbox alone. */
	function stateCopy(): { state: QboState; invoices: Map<string, QboRecord>; customers: Map<string, QboRecord> } {
		const realm = sandbox.quickbooks.state.realms[sandbox.dataset.realmId];
		const invoices = new Map([...realm.entities.Invoice].map(([id, record]) => [id, clone(record)]));
		const customers = new Map([...realm.entities.Customer].map(([id, record]) => [id, clone(record)]));
		const state = { realms: { [sandbox.dataset.realmId]: { ...realm, entities: { ...realm.entities, Invoice: invoices, Customer: customers } } } } as unknown as QboState;
		return { state, invoices, customers };
	}
	const created = (invoices: Map<string, QboRecord>) => [...invoices.values()].filter((record) => /HubSpot invoice \d+/.test(String(record.PrivateNote)) && !/Voided/.test(String(record.PrivateNote)));
	const check = (state: QboState, outcomeMap = outcomes, emittedIds = emitted) => checkInvariant({ dataset: sandbox.dataset, state, outcomes: outcomeMap, emitted: emittedIds });

	it('the untouched run is clean', () => {
		const report = check(sandbox.quickbooks.state);
		expect(report.problems).toEqual([]);
		expect(report.checked.syncable).toBeGreaterThan(20);
		expect(report.checked.failing).toBeGreaterThan(3);
	});

	it('counts a deleted invoice as lost', () => {
		const { state, invoices } = stateCopy();
		invoices.delete(String(created(invoices)[0].Id));
		expect(check(state)).toMatchObject({ lost: 1, duplicated: 0, wrong: 0 });
		planted++;
	});

	it('counts a second copy of an invoice as duplicated', () => {
		const { state, invoices } = stateCopy();
		const copy = { ...clone(created(invoices)[0]), Id: '99999' };
		invoices.set('99999', copy);
		expect(check(state)).toMatchObject({ lost: 0, duplicated: 1, wrong: 0 });
		planted++;
	});

	it('counts a changed quantity, a changed customer, a wrong total and a stray invoice as wrong', () => {
		for (const mutate of [
			(record: QboRecord) => {
				const line = (record.Line as any[])[0];
				line.SalesItemLineDetail.Qty += 1;
				line.Amount = Math.round(line.SalesItemLineDetail.Qty * line.SalesItemLineDetail.UnitPrice * 100) / 100;
			},
			(record: QboRecord) => {
				(record.CustomerRef as any).value = String(Number((record.CustomerRef as any).value) + 1);
			},
			(record: QboRecord) => {
				record.TotalAmt = Number(record.TotalAmt) + 0.01;
			},
		]) {
			const { state, invoices } = stateCopy();
			mutate(created(invoices)[0]);
			expect(check(state).wrong).toBe(1);
			planted++;
		}
		const { state, invoices } = stateCopy();
		invoices.set('99998', { ...clone(created(invoices)[0]), Id: '99998', DocNumber: 'STRAY-1', PrivateNote: 'Typed in by hand' });
		expect(check(state).wrong).toBe(1);
		planted++;
	});

	it('counts a wrong error code as wrong and a missing error outcome as lost', () => {
		const failing = [...outcomes.values()].find((outcome) => outcome.outcome === 'error')!;
		const wrongCode = new Map(outcomes);
		wrongCode.set(failing.hubspotId, { ...failing, code: 'SOMETHING_ELSE' });
		expect(check(sandbox.quickbooks.state, wrongCode).wrong).toBe(1);
		const missing = new Map(outcomes);
		missing.delete(failing.hubspotId);
		expect(check(sandbox.quickbooks.state, missing).lost).toBe(1);
		planted += 2;
	});

	it('counts two customers with one email as a duplicate', () => {
		const { state, customers } = stateCopy();
		const withEmail = [...customers.values()].find((customer) => (customer.PrimaryEmailAddr as any)?.Address)!;
		customers.set('99997', { ...clone(withEmail), Id: '99997', DisplayName: `${String(withEmail.DisplayName)} (2)` });
		expect(check(state)).toMatchObject({ duplicatedCustomers: 1, duplicated: 1 });
		planted++;
	});

	it('counts a new customer for an email an existing customer has in another case as wrong and duplicated', () => {
		const { state, invoices, customers } = stateCopy();
		const seededIds = new Set((sandbox.dataset.quickbooks.find((company) => company.realmId === sandbox.dataset.realmId)!.entities.Customer ?? []).map((customer: QboRecord) => String(customer.Id)));
		const record = created(invoices).find((invoice) => seededIds.has(String((invoice.CustomerRef as any).value)))!;
		const existing = customers.get(String((record.CustomerRef as any).value))!;
		const address = ` ${String((existing.PrimaryEmailAddr as any).Address).toUpperCase()} `;
		customers.set('99996', { ...clone(existing), Id: '99996', DisplayName: `${String(existing.DisplayName)} (case)`, PrimaryEmailAddr: { Address: address } });
		(record.CustomerRef as any).value = '99996';
		expect(check(state)).toMatchObject({ wrong: 1, duplicatedCustomers: 1, duplicated: 1 });
		planted++;
	});

	it('flags invoices QuickBooks would not hold', () => {
		const good = clone(created(stateCopy().invoices)[0]);
		expect(invoiceProblems(good)).toEqual([]);
		expect(invoiceProblems({ ...good, DocNumber: 'X'.repeat(22) }).join()).toMatch(/22 characters/);
		expect(invoiceProblems({ ...good, DocNumber: 'INV\u0007' }).join()).toMatch(/U\+7/);
		const line = (good.Line as any[])[0];
		expect(invoiceProblems({ ...good, Line: [{ ...line, Amount: line.Amount + 0.01 }] }).join()).toMatch(/≠ Qty/);
		expect(rejectedCharacters('ok 😀 \ud800', false)).toEqual(['U+d800']);
		planted += 4;
	});

	it('counts a retry sent right after a 429 as hammering, and a patient one as not', () => {
		const exchange = (seq: number, startedAt: number, status: number): Exchange => ({ seq, method: 'POST', url: '/v3/company/1/batch?requestid=abc', body: '{}', startedAt, answeredAt: startedAt + 20, status, inFlight: 1 });
		expect(measureManners([exchange(1, 0, 429), exchange(2, 30, 429), exchange(3, 60, 200)])).toMatchObject({ throttled: 2, hammered: 2 });
		expect(measureManners([exchange(1, 0, 429), exchange(2, 600, 429), exchange(3, 1800, 200)])).toMatchObject({ throttled: 2, hammered: 0, retriesWithinBackoffWindow: 0 });
		planted++;
	});

	it('finds a secret in nested errors, URL-encoded or Basic-encoded, and captures what the nodes log', () => {
		const scanner = new SecretScanner(sandboxSecrets(sandbox));
		const token = sandbox.credentials.quickbooks.oauthTokenData.access_token;
		const basic = Buffer.from(`${sandbox.credentials.quickbooks.clientId}:${sandbox.credentials.quickbooks.clientSecret}`).toString('base64');
		expect(scanner.scan('nested', { error: { cause: new Error(`request failed: Bearer ${token}`) } })).toBeGreaterThan(0);
		expect(scanner.scan('basic', `Authorization: Basic ${basic}`)).toBeGreaterThan(0);
		expect(scanner.scan('encoded', `client_secret=${encodeURIComponent(markers.qbo)}`)).toBeGreaterThan(0);
		expect(scanner.scan('clean', 'nothing to see')).toBe(0);
		// n8n's logger output from the nodes and from n8n-core's engine reached the capture.
		expect(logLines.some((line) => /HubSpot Invoice Trigger poll/.test(line))).toBe(true);
		expect(logLines.some((line) => /Running node "Customer Resolve"/.test(line))).toBe(true);
		planted++;
	});
});
