/**
 * The item contract is the whole truth: every item each node puts on its main output, run through
 * the schema our nodes emit, comes back unchanged. The whole chain runs on the demo sandbox with
 * the options that add optional fields (Extra Properties, item creation, the write-back), so an
 * undeclared field anywhere fails here.
 */
import type { IDataObject } from 'n8n-workflow';

import { emittedItemSchema, failedTriggerItemSchema } from '../../package/nodes/shared/invoiceContract';
import type { Sandbox } from '../../sandbox';
import { demoUpsertParameters, sandboxCredentials, useDefaultSandbox } from '../fixtures/demoSandbox';
import { PACKAGE_NAME, runWorkflow } from '../harness';

let sandbox: Sandbox;
useDefaultSandbox((started) => (sandbox = started));

const CHAIN = ['Trigger', 'Customer Resolve', 'SKU Match', 'Tax Map', 'QuickBooks Invoice Upsert'];

/**
 * Parses an output item with the schema of what our nodes emit (the trigger's item for an invoice
 * it could not map has its own) and expects it back unchanged: a strict part rejects an undeclared
 * key, the invoice drops one.
 */
function expectDeclared(node: string, json: IDataObject): void {
	const schema = 'error' in json ? failedTriggerItemSchema : emittedItemSchema;
	const parsed = schema.safeParse(json);
	const number = (json.invoice as IDataObject | undefined)?.number;
	expect({ node, number, issues: parsed.success ? [] : parsed.error.issues }).toEqual({ node, number, issues: [] });
	if (parsed.success) expect({ node, number, json: parsed.data }).toEqual({ node, number, json });
}

describe('every field a node emits is declared in the item contract', () => {
	it('the trigger, Customer Resolve, SKU Match, Tax Map and the upsert with write-back emit only declared fields', async () => {
		const result = await runWorkflow({
			nodes: [
				{
					name: CHAIN[0],
					type: `${PACKAGE_NAME}.hubSpotInvoiceTrigger`,
					parameters: {
						hubspotAuthentication: 'appToken',
						statuses: ['open', 'paid', 'voided'],
						backfillSince: '2000-01-01T00:00:00.000Z',
						options: { extraProperties: ['hs_invoice_source'] },
					} as never,
				},
				{ name: CHAIN[1], type: `${PACKAGE_NAME}.customerResolve`, parameters: {}, onError: 'continueErrorOutput' },
				{ name: CHAIN[2], type: `${PACKAGE_NAME}.skuMatch`, parameters: { ifNotFound: 'create', newItemType: 'Service', incomeAccountId: '79' }, onError: 'continueErrorOutput' },
				{
					name: CHAIN[3],
					type: `${PACKAGE_NAME}.taxMap`,
					parameters: {
						hubspotAuthentication: 'none',
						mappings: { mapping: sandbox.dataset.taxMapping.map((entry) => ({ hubspotTaxRate: entry.hubspotTaxRateId, quickbooksTaxCode: entry.qboTaxCodeId })) },
					} as never,
					onError: 'continueErrorOutput',
				},
				{
					name: CHAIN[4],
					type: `${PACKAGE_NAME}.quickBooksInvoiceUpsert`,
					parameters: demoUpsertParameters({ writeBackToHubSpot: true, hubspotAuthentication: 'appToken' }) as never,
					onError: 'continueErrorOutput',
				},
			],
			connections: Object.fromEntries(CHAIN.slice(0, -1).map((name, index) => [name, { main: [[{ node: CHAIN[index + 1], type: 'main', index: 0 }]] }])),
			credentials: sandboxCredentials(sandbox),
			mode: 'manual',
		});
		for (const node of CHAIN) expect({ node, error: result.nodeError(node) }).toEqual({ node, error: undefined });

		const outputs = Object.fromEntries(CHAIN.map((node) => [node, result.output(node, 0).map((item) => item.json)]));
		for (const node of CHAIN) {
			expect(outputs[node].length).toBeGreaterThan(0);
			for (const json of outputs[node]) expectDeclared(node, json);
		}

		// The optional fields were there to be checked.
		const synced = outputs[CHAIN[4]] as any[];
		expect(outputs[CHAIN[0]][0].triggerSummary).toEqual(expect.objectContaining({ skipped: expect.any(Number) }));
		expect(outputs[CHAIN[0]][0].hubspotProperties).toEqual(expect.objectContaining({ hs_invoice_source: expect.anything() }));
		expect(synced.every((json) => json.quickbooks.writeBack?.ok === true)).toBe(true);
		expect(new Set(synced.flatMap((json) => json.quickbooks.lines.map((line: IDataObject) => line.matchedBy)))).toContain('sku');
		expect(synced.some((json) => json.quickbooks.customer.currency)).toBe(true);
	});
});
