/**
 * Identity across edits: an invoice renumbered in HubSpot after it was synced is the same invoice.
 * With the shipped sync template's configuration (write-back to HubSpot on) the next sync must
 * update the QuickBooks invoice it already has — found by qbo_invoice_id written back to the
 * HubSpot invoice — and never create a second one.
 *
 * Without the write-back (the node's default) there is no link QuickBooks can be asked for: the
 * "HubSpot invoice <id>" line in PrivateNote cannot be filtered in a QuickBooks query, so only the
 * DocNumber is left, and the new number finds nothing. That known limitation is documented on
 * the "Write Back to HubSpot" parameter; the second case checks the documentation stays true.
 */
import * as fs from 'fs';

import { start, type Sandbox } from '../../sandbox';
import { NODE_NAMES, SYNC_TEMPLATE } from '../../scripts/lib/syncPipeline';
import { SyncDriver, type ExecutionResult, type ItemOutcome } from '../../scripts/reliability/driver';
import { upsertProperties } from '../../package/nodes/QuickBooksInvoiceUpsert/description';
import { blockExternalNetwork } from '../harness';
import { recordFigures } from './helpers/figures';

const SUITE = 'renumber';

jest.setTimeout(60_000);

/** The upsert's "Write Back to HubSpot" as the shipped sync template sets it. */
function templateWriteBack(): boolean {
	const template = JSON.parse(fs.readFileSync(SYNC_TEMPLATE, 'utf8')) as { nodes: Array<{ name: string; parameters: Record<string, unknown> }> };
	return template.nodes.find((node) => node.name === NODE_NAMES.upsert)?.parameters.writeBackToHubSpot === true;
}

/** Syncs everything, renumbers three synced invoices in HubSpot ("-R"), syncs again. */
async function renumberAfterSync(sandbox: Sandbox, writeBack: boolean): Promise<{ synced: ItemOutcome[]; second: ExecutionResult; copies: Array<Array<Record<string, unknown>>> }> {
	const driver = new SyncDriver({ urls: sandbox.urls, credentials: sandbox.credentials, taxMapping: sandbox.dataset.taxMapping, writeBack });
	const first = await driver.execute(await driver.poll());
	// Open invoices only: HubSpot keeps a paid invoice's own properties, hs_number included.
	const isOpen = (outcome: ItemOutcome) => (outcome.json.invoice as { status?: string } | undefined)?.status === 'open';
	const synced = first.outcomes.filter((outcome) => outcome.outcome === 'created' && isOpen(outcome)).slice(0, 3);
	expect(synced).toHaveLength(3);
	for (const outcome of synced) {
		const response = await fetch(`${sandbox.urls.hubspot}/crm/v3/objects/invoices/${outcome.hubspotId}`, {
			method: 'PATCH',
			headers: { Authorization: `Bearer ${sandbox.credentials.hubspot.accessToken}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ properties: { hs_number: `${outcome.number}-R` } }),
		});
		expect(response.status).toBe(200);
	}
	const second = await driver.execute(await driver.poll());
	expect(second.outcomes.map((outcome) => outcome.hubspotId).sort()).toEqual(synced.map((outcome) => outcome.hubspotId).sort());
	const invoices = [...sandbox.quickbooks.state.realms[sandbox.dataset.realmId].entities.Invoice.values()];
	const copies = synced.map((outcome) => invoices.filter((record) => String(record.PrivateNote ?? '').split('\n').includes(`HubSpot invoice ${outcome.hubspotId}`)));
	return { synced, second, copies };
}

describe('an invoice renumbered in HubSpot after its sync', () => {
	const figures: Record<string, unknown> = { duplicated: 0 };

	beforeAll(() => blockExternalNetwork());

	afterAll(() => {
		recordFigures(SUITE, figures);
	});

	it('with the sync template\'s configuration (write-back on): stays one QuickBooks invoice, updated to the new number', async () => {
		const writeBack = templateWriteBack();
		expect(writeBack).toBe(true);
		const sandbox = await start({ dataset: 'default', limits: false });
		try {
			const { synced, second, copies } = await renumberAfterSync(sandbox, writeBack);
			figures.duplicated = copies.reduce((sum, list) => sum + Math.max(0, list.length - 1), 0);
			expect(copies.map((list) => list.map((record) => record.DocNumber))).toEqual(synced.map((outcome) => [`${outcome.number}-R`]));
			expect(second.outcomes.map((outcome) => outcome.outcome)).toEqual(['updated', 'updated', 'updated']);
		} finally {
			await sandbox.close();
		}
	});

	it('without the write-back (the node default): the known limitation — a new invoice under the new number — is what the node documents', async () => {
		const parameter = upsertProperties.find((property) => property.name === 'writeBackToHubSpot');
		expect(parameter?.default).toBe(false);
		expect(parameter?.description).toMatch(/keeps renumbered invoices linked: without it, an invoice renumbered in HubSpot after its sync is created again/);
		const sandbox = await start({ dataset: 'default', limits: false });
		try {
			const { synced, second, copies } = await renumberAfterSync(sandbox, false);
			// Recorded apart from `duplicated`: a configuration the template does not use, documented.
			figures.renumberWithoutWriteBackCopies = copies.reduce((sum, list) => sum + Math.max(0, list.length - 1), 0);
			// If this starts to fail because the invoice stays one, the limitation is gone: update the parameter's description.
			expect(copies.map((list) => list.map((record) => record.DocNumber).sort())).toEqual(synced.map((outcome) => [outcome.number, `${outcome.number}-R`]));
			expect(second.outcomes.map((outcome) => outcome.outcome)).toEqual(['created', 'created', 'created']);
		} finally {
			await sandbox.close();
		}
	});
});
