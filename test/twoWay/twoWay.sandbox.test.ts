/**
 * Both directions on the same accounts (one HubSpot portal, one QuickBooks company), their
 * templates run together over several polls while invoices, payments, credits and voids change on
 * both sides, each change made as a user makes it, through the APIs. Every record ends right on both
 * sides, nothing is duplicated, and nothing echoes: no direction writes content for a record the
 * other direction wrote, and a last round of polls with no user change in between writes nothing.
 */
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => {}),
}));

import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import { twoWayDataset, type TwoWayDataset } from '../../sandbox/dataset/twoWay';
import { qboClient } from '../../sandbox/quickbooks/simpleClient';
import { performQuickBooksActions } from '../../sandbox/quickbooks/userActions';
import { linkedHubSpotIds } from '../../package/nodes/shared/quickbooksInvoiceLink';
import { toMicros } from '../../package/nodes/shared/money';
import { compareToHubSpot, sandboxHubSpotInvoicesFor, tallyToHubSpot, type ToHubSpotOutcome } from '../../scripts/demo/reverseReport';
import { backfillDateFor, REVERSE_TEMPLATE_FILES, TEMPLATE_FILES } from '../../scripts/demo/templates';
import { changedRecords, crossDirectionEchoes, recordVersions, type DirectionWrite } from '../../scripts/demo/twoWay';
import { sandboxCredentials, useSandbox } from '../fixtures/demoSandbox';
import type { HarnessCredentials } from '../harness';
import { direction, forwardWrites, reverseOutcomes, runCycle } from './directions';

jest.setTimeout(240_000);

const data: TwoWayDataset = twoWayDataset();
let sandbox: Sandbox;
let credentials: HarnessCredentials;

useSandbox({ dataset: data, limits: false }, (started) => {
	sandbox = started;
	credentials = sandboxCredentials(started);
});

const qbo = () => qboClient(sandbox.urls.quickbooks, data.realmId, sandbox.credentials.quickbooks.oauthTokenData.access_token);
const qboInvoices = () => [...((sandbox.quickbooks.state.realms[data.realmId].entities as any).Invoice as Map<string, any>).values()];
const hubspotInvoices = () => (sandbox.hubspot.snapshot() as any).objects.invoices as Array<{ id: string; properties: Record<string, string | null> }>;
const sameAmount = (a: string | null | undefined, b: string) => a !== null && a !== undefined && toMicros(a) === toMicros(b);

async function hubspotPatch(id: string, properties: Record<string, string>): Promise<void> {
	const res = await fetch(`${sandbox.urls.hubspot}/crm/v3/objects/invoices/${id}`, {
		method: 'PATCH',
		headers: { Authorization: `Bearer ${sandbox.credentials.hubspot.accessToken}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ properties }),
	});
	expect([id, res.status, res.status === 200 ? '' : await res.text()]).toEqual([id, 200, '']);
}

/** Expectations of the QuickBooks → HubSpot data set this run covers: all, or (without the invoice sync) those of invoices the forward sync made. */
type ReverseScope = 'all' | 'forwardMade';

async function runTogether(scope: ReverseScope): Promise<void> {
	const since = backfillDateFor(data);
	const forward = direction(TEMPLATE_FILES.sync, sandbox, data.taxMapping, since);
	const payments = direction(REVERSE_TEMPLATE_FILES.reversePayments, sandbox, data.reverse.taxMapping, since);
	const reverse = scope === 'all' ? [direction(REVERSE_TEMPLATE_FILES.reverseSync, sandbox, data.reverse.taxMapping, since), payments] : [payments];
	const forwardWritten: DirectionWrite[] = [];
	const forwardFailed = new Map<string, string>();
	const reverseOutcomesSeen: ToHubSpotOutcome[] = [];
	const cycle = async () => {
		const result = await runCycle(forward, credentials);
		forwardWritten.push(...forwardWrites(result));
		for (const { json } of result.failed) forwardFailed.set(String((json.invoice as any)?.source?.id), String((json.error as IDataObject)?.code));
		for (const dir of reverse) reverseOutcomesSeen.push(...reverseOutcomes(await runCycle(dir, credentials)));
	};

	await cycle();
	// The users: in QuickBooks, payments, a credit, a void and a delete on invoices typed in QuickBooks
	// and a payment on one the forward sync made; in HubSpot, a forward invoice voided.
	await performQuickBooksActions(sandbox.urls.quickbooks, data.realmId, sandbox.credentials.quickbooks.oauthTokenData.access_token, data.reverse.actions);
	const openInHubSpot = new Set(hubspotInvoices().filter((invoice) => invoice.properties.hs_invoice_status === 'open').map((invoice) => invoice.id));
	const [paidInQuickBooks, voidedInHubSpot] = forwardWritten.filter((write) => write.action === 'created' && openInHubSpot.has(write.sourceId));
	const toPay = (await qbo().get('invoice', paidInQuickBooks.targetId!)).json.Invoice;
	const paid = await qbo().post('payment', { CustomerRef: toPay.CustomerRef, TotalAmt: toPay.Balance, Line: [{ Amount: toPay.Balance, LinkedTxn: [{ TxnId: toPay.Id, TxnType: 'Invoice' }] }] });
	expect(paid.status).toBe(200);
	await hubspotPatch(voidedInHubSpot.sourceId, { hs_invoice_status: 'voided' });

	await cycle();
	await cycle();
	const settled = recordVersions(sandbox);
	await cycle();
	const summary = tallyToHubSpot(reverseOutcomesSeen);

	// No echo: a round of polls with no user change writes nothing, and no direction wrote content for a record the other created.
	expect(changedRecords(settled, recordVersions(sandbox))).toEqual([]);
	expect(crossDirectionEchoes(forwardWritten, summary.writes)).toEqual([]);

	// No duplicates: one QuickBooks invoice per HubSpot invoice and one HubSpot invoice per QuickBooks invoice.
	const linksToHubSpot = qboInvoices().flatMap((invoice) => linkedHubSpotIds(invoice.PrivateNote).map((id) => [id, invoice.Id]));
	const hubspotByQuickBooks = hubspotInvoices().filter((invoice) => invoice.properties.qbo_invoice_id).map((invoice) => [invoice.properties.qbo_invoice_id, invoice.id]);
	for (const pairs of [linksToHubSpot, hubspotByQuickBooks]) {
		const seen = new Map<string, string[]>();
		for (const [key, id] of pairs) seen.set(key!, [...(seen.get(key!) ?? []), id!]);
		expect([...seen].filter(([, ids]) => ids.length > 1)).toEqual([]);
	}

	// HubSpot → QuickBooks: each expected invoice synced once, each failure with its code; the one voided in HubSpot voided in QuickBooks.
	for (const [hubspotId, expected] of Object.entries(data.expectations)) {
		const made = qboInvoices().filter((invoice) => linkedHubSpotIds(invoice.PrivateNote).includes(hubspotId));
		if (expected.outcome === 'error') expect([hubspotId, forwardFailed.get(hubspotId)]).toEqual([hubspotId, expected.code]);
		if (['created', 'updated', 'unchanged'].includes(expected.outcome)) expect([hubspotId, made.length]).toEqual([hubspotId, 1]);
	}
	expect(Number(qboInvoices().find((invoice) => invoice.Id === voidedInHubSpot.targetId)!.TotalAmt)).toBe(0);

	// QuickBooks → HubSpot: each invoice ends as the data set expects (the same comparison as npm start), payments and credits included.
	const forwardMade = (qboId: string) => linkedHubSpotIds(qboInvoices().find((invoice) => invoice.Id === qboId)?.PrivateNote).length > 0;
	const expectations = Object.fromEntries(Object.entries(data.reverse.expectations).filter(([qboId]) => scope === 'all' || forwardMade(qboId)));
	expect(compareToHubSpot(summary, { ...data.reverse, expectations }, sandboxHubSpotInvoicesFor(sandbox, data.realmId))).toEqual([]);
	if (scope === 'forwardMade') expect(Object.keys(expectations).length).toBeGreaterThan(0);
	// Nothing else failed: every error-output item is an invoice the data set expects to fail (or, without the invoice sync, one typed in QuickBooks that has no HubSpot invoice).
	const unexpected = reverseOutcomesSeen.flatMap((outcome) => ('failure' in outcome ? [outcome.failure] : [])).filter(({ quickbooksId, code }) => {
		if (data.reverse.expectations[quickbooksId]?.code === code) return false;
		return scope === 'all' || forwardMade(quickbooksId) || code !== 'HUBSPOT_INVOICE_NOT_FOUND';
	});
	expect(unexpected).toEqual([]);

	// The payment on the forward-made invoice reached its HubSpot invoice.
	const paidHubSpot = hubspotInvoices().find((invoice) => invoice.id === paidInQuickBooks.sourceId)!;
	expect([paidHubSpot.properties.qbo_payment_status, sameAmount(paidHubSpot.properties.qbo_balance, '0')]).toEqual(['paid', true]);
}

describe('both directions together on one HubSpot portal and one QuickBooks company', () => {
	beforeEach(() => sandbox.reset());

	it('HubSpot → QuickBooks sync with QuickBooks payments → HubSpot: payments and voids of synced invoices reach HubSpot, no duplicate, no echo write', async () => {
		await runTogether('forwardMade');
	});

	it('all three templates: every record ends right on both sides, with no duplicate and no echo write', async () => {
		await runTogether('all');
	});
});
