/**
 * An invoice changed on both sides between two polls, all three templates polling: it keeps the
 * content of the side it started on, on both sides. Started in QuickBooks (typed there, created in
 * HubSpot by the QuickBooks → HubSpot sync): QuickBooks' content. Started in HubSpot (created in
 * QuickBooks by the HubSpot → QuickBooks sync): HubSpot's content.
 */
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => {}),
}));

import type { Sandbox } from '../../sandbox';
import { twoWayDataset, type TwoWayDataset } from '../../sandbox/dataset/twoWay';
import { qboClient } from '../../sandbox/quickbooks/simpleClient';
import { linkedHubSpotIds } from '../../package/nodes/shared/quickbooksInvoiceLink';
import { sandboxHubSpotInvoicesFor } from '../../scripts/demo/reverseReport';
import { backfillDateFor, REVERSE_TEMPLATE_FILES, TEMPLATE_FILES } from '../../scripts/demo/templates';
import { sandboxCredentials, useSandbox } from '../fixtures/demoSandbox';
import type { HarnessCredentials } from '../harness';
import { direction, forwardWrites, runCycle, type CycleResult, type Direction } from './directions';

jest.setTimeout(240_000);

const data: TwoWayDataset = twoWayDataset();
let sandbox: Sandbox;
let credentials: HarnessCredentials;

useSandbox({ dataset: data, limits: false }, (started) => {
	sandbox = started;
	credentials = sandboxCredentials(started);
});

interface QuickBooksInvoice {
	Id: string;
	SyncToken: string;
	DueDate: string;
	PrivateNote?: string;
}

const qbo = () => qboClient(sandbox.urls.quickbooks, data.realmId, sandbox.credentials.quickbooks.oauthTokenData.access_token);
const addDaysTo = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00.000Z`) + days * 86_400_000).toISOString().slice(0, 10);
const hubspotDueOf = (hubspotId: string) =>
	String((sandbox.hubspot.snapshot() as { objects: { invoices: Array<{ id: string; properties: Record<string, string | null> }> } }).objects.invoices.find((invoice) => invoice.id === hubspotId)?.properties.hs_due_date).slice(0, 10);

async function quickbooksInvoice(id: string): Promise<QuickBooksInvoice> {
	return (await qbo().get('invoice', id)).json.Invoice as QuickBooksInvoice;
}

/** The users: the QuickBooks one moves the due date a week, the HubSpot one two weeks, through the APIs. */
async function changeDueDateOnBothSides(quickbooksId: string, hubspotId: string): Promise<{ quickbooksDue: string; hubspotDue: string }> {
	const before = await quickbooksInvoice(quickbooksId);
	const quickbooksDue = addDaysTo(before.DueDate, 7);
	const hubspotDue = addDaysTo(before.DueDate, 14);
	expect((await qbo().post('invoice', { Id: quickbooksId, SyncToken: before.SyncToken, sparse: true, DueDate: quickbooksDue })).status).toBe(200);
	const res = await fetch(`${sandbox.urls.hubspot}/crm/v3/objects/invoices/${hubspotId}`, {
		method: 'PATCH',
		headers: { Authorization: `Bearer ${sandbox.credentials.hubspot.accessToken}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ properties: { hs_due_date: `${hubspotDue}T00:00:00.000Z` } }),
	});
	expect(res.status).toBe(200);
	return { quickbooksDue, hubspotDue };
}

interface Templates {
	forward: Direction;
	reverse: Direction[];
}

function templates(): Templates {
	const since = backfillDateFor(data);
	return {
		forward: direction(TEMPLATE_FILES.sync, sandbox, data.taxMapping, since),
		reverse: [
			direction(REVERSE_TEMPLATE_FILES.reverseSync, sandbox, data.reverse.taxMapping, since),
			direction(REVERSE_TEMPLATE_FILES.reversePayments, sandbox, data.reverse.taxMapping, since),
		],
	};
}

/** One round: the three templates poll on the same minute, the HubSpot → QuickBooks sync first (the order that lost QuickBooks' edit). */
async function pollAll(all: Templates): Promise<{ forward: CycleResult; reverse: CycleResult[] }> {
	const forward = await runCycle(all.forward, credentials);
	const reverse: CycleResult[] = [];
	for (const dir of all.reverse) reverse.push(await runCycle(dir, credentials));
	return { forward, reverse };
}

describe('an invoice changed on both sides between polls keeps the content of the side it started on', () => {
	beforeEach(() => sandbox.reset());

	it('started in QuickBooks: QuickBooks\' due date on both sides; the HubSpot → QuickBooks sync writes nothing to it; the reverse item names the rule', async () => {
		const all = templates();
		await pollAll(all);
		const [quickbooksId] = Object.entries(data.reverse.expectations).find(([, expected]) => expected.outcome === 'created' && expected.hubspot?.status === 'open')!;
		const [hubspotInvoice] = sandboxHubSpotInvoicesFor(sandbox, data.realmId)(quickbooksId);
		expect(hubspotInvoice.properties.qbo_origin).toBe('quickbooks');
		const { quickbooksDue } = await changeDueDateOnBothSides(quickbooksId, hubspotInvoice.id);

		const round = await pollAll(all);
		await pollAll(all);

		const reverseRules = round.reverse[0].written
			.filter((json) => (json.invoice as { source?: { id?: string } })?.source?.id === quickbooksId)
			.map((json) => (json.hubspot as { invoice?: { rule?: string } })?.invoice?.rule);
		const after = await quickbooksInvoice(quickbooksId);
		expect({ quickbooksDue: after.DueDate, hubspotDue: hubspotDueOf(hubspotInvoice.id), memoLinks: linkedHubSpotIds(after.PrivateNote), reverseRules }).toEqual({
			quickbooksDue,
			hubspotDue: quickbooksDue,
			memoLinks: [],
			reverseRules: ['content from QuickBooks, where the invoice started'],
		});
		// Skipped by the HubSpot trigger's loop guard, before any read: the HubSpot edit never reaches QuickBooks.
		expect(round.forward.emitted.filter((json) => (json.invoice as { source?: { id?: string } })?.source?.id === hubspotInvoice.id)).toEqual([]);
	});

	it('started in HubSpot: HubSpot\'s due date on both sides; the QuickBooks → HubSpot sync leaves its content alone', async () => {
		const all = templates();
		const first = await pollAll(all);
		const openInHubSpot = new Set(
			(sandbox.hubspot.snapshot() as { objects: { invoices: Array<{ id: string; properties: Record<string, string | null> }> } }).objects.invoices
				.filter((invoice) => invoice.properties.hs_invoice_status === 'open')
				.map((invoice) => invoice.id),
		);
		const made = forwardWrites(first.forward).find((write) => write.action === 'created' && openInHubSpot.has(write.sourceId))!;
		const { hubspotDue } = await changeDueDateOnBothSides(made.targetId!, made.sourceId);

		await pollAll(all);
		await pollAll(all);

		expect({ quickbooksDue: (await quickbooksInvoice(made.targetId!)).DueDate, hubspotDue: hubspotDueOf(made.sourceId) }).toEqual({ quickbooksDue: hubspotDue, hubspotDue });
	});
});
