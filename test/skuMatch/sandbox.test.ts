/**
 * SKU Match against the local sandbox's default data set: the invoices the data set expects to fail
 * on SKUs land on the error output with those codes, every other invoice passes, and the catalog
 * audit finds the seeded mismatches.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import { canonicalInvoicesFromSandbox, expectedFailures, sandboxCredentials, useDefaultSandbox } from '../fixtures/demoSandbox';
import { PACKAGE_NAME, runWorkflow } from '../harness';

const SKU_CODES = new Set(['SKU_NOT_FOUND', 'SKU_MISSING', 'ITEM_INACTIVE']);
const NODE = 'SKU Match';

let sandbox: Sandbox;
useDefaultSandbox((started) => (sandbox = started));

const credentials = () => sandboxCredentials(sandbox);
const canonicalInvoices = () => canonicalInvoicesFromSandbox(sandbox);

const idOf = (json: IDataObject) => String((json.invoice as { source: { id: string } }).source.id);

describe('SKU Match on the sandbox default data set', () => {
	it('routes exactly the invoices expected to fail on SKUs to the error output, with their codes', async () => {
		const input = canonicalInvoices();
		const expected = expectedFailures(sandbox, [...SKU_CODES]);
		// The data set covers each SKU failure docs/BEHAVIOUR.md describes.
		expect(new Set(Object.values(expected))).toEqual(SKU_CODES);

		const result = await runWorkflow({
			nodes: [{ name: NODE, type: `${PACKAGE_NAME}.skuMatch`, parameters: {}, onError: 'continueErrorOutput' }],
			connections: {},
			credentials: credentials(),
			input,
		});
		const main = result.output(NODE, 0).map((item) => item.json);
		const errors = result.output(NODE, 1).map((item) => item.json);

		const failed = Object.fromEntries(errors.map((json) => [idOf(json), (json.error as { code: string }).code]));
		expect(failed).toEqual(expected);
		expect(main.map(idOf).sort()).toEqual(input.map(idOf).filter((id) => !(id in failed)).sort());
		for (const json of main) {
			const lines = (json.quickbooks as { lines: Array<{ itemId: string }> }).lines;
			expect(lines).toHaveLength((json.invoice as { lines: unknown[] }).lines.length);
			expect(lines.every((line) => /^\d+$/.test(line.itemId))).toBe(true);
		}

		// The case-variant SKU names the QuickBooks SKU it probably means.
		const caseVariant = errors.find((json) => /prod-001/.test(String((json.error as { message: string }).message)));
		expect((caseVariant?.error as { message: string }).message).toContain('did you mean PROD-001 (differs only in case)?');

		// The company (CompanyInfo and Preferences, for the checks before any write), one lookup for
		// every SKU of the invoices in open periods, one for the invoice dated in the closed period (INV-1020).
		expect(
			sandbox.log.entries
				.filter((entry) => entry.api === 'quickbooks' && entry.path.includes('/v3/company/'))
				.map((entry) => entry.endpoint)
				.sort(),
		).toEqual(['GET /v3/company/:realmId/companyinfo/:id', 'GET /v3/company/:realmId/preferences', 'POST /v3/company/:realmId/query', 'POST /v3/company/:realmId/query']);
	});

	it('reactivate policy: the inactive item is made active once and its invoice passes', async () => {
		const result = await runWorkflow({
			nodes: [{ name: NODE, type: `${PACKAGE_NAME}.skuMatch`, parameters: { ifInactive: 'reactivate' }, onError: 'continueErrorOutput' }],
			connections: {},
			credentials: credentials(),
			input: canonicalInvoices(),
		});
		const codes = result.output(NODE, 1).map((item) => (item.json.error as { code: string }).code);
		expect(codes).not.toContain('ITEM_INACTIVE');
		const items = [...sandbox.quickbooks.state.realms[sandbox.dataset.realmId].entities.Item.values()];
		expect(items.find((item) => item.Sku === 'PROD-014')?.Active).toBe(true);
		const writes = sandbox.log.entries.filter((entry) => entry.api === 'quickbooks' && entry.path.endsWith('/batch'));
		expect(writes).toHaveLength(1);
	});

	it('audit finds the seeded mismatches: a case variant, SKUs missing in QuickBooks, an inactive item', async () => {
		const result = await runWorkflow({
			nodes: [{ name: NODE, type: `${PACKAGE_NAME}.skuMatch`, parameters: { operation: 'auditCatalogs', hubspotAuthentication: 'appToken' }, onError: 'continueErrorOutput' }],
			connections: {},
			credentials: credentials(),
			input: [{}],
		});
		expect(result.output(NODE, 1)).toEqual([]);
		const items = result.output(NODE, 0).map((item) => item.json);
		const problems = items.filter((json) => !json.summary).map((json) => [json.problem, json.sku]);
		expect(problems).toEqual(
			expect.arrayContaining([
				['case_or_space_mismatch', 'prod-001'],
				['missing_in_quickbooks', 'PROD-404'],
				['missing_in_quickbooks', 'PROD-999'],
				['inactive_in_quickbooks', 'PROD-014'],
			]),
		);
		const summary = items.find((json) => json.summary);
		expect(summary).toMatchObject({ summary: true, hubspotProducts: sandbox.dataset.hubspot.products.length });
		expect(String(summary?.text)).toContain('prod-001 vs PROD-001');
	});
});

describe('HubSpot Invoice Trigger → SKU Match on the sandbox', () => {
	it('the invoices the trigger emits pass or fail exactly as the data set expects for SKUs', async () => {
		const result = await runWorkflow({
			nodes: [
				{
					name: 'Trigger',
					type: `${PACKAGE_NAME}.hubSpotInvoiceTrigger`,
					parameters: { hubspotAuthentication: 'appToken', statuses: ['open', 'paid', 'voided'], backfillSince: '2000-01-01T00:00:00.000Z' },
				},
				{ name: NODE, type: `${PACKAGE_NAME}.skuMatch`, parameters: {}, onError: 'continueErrorOutput' },
			],
			connections: { Trigger: { main: [[{ node: NODE, type: 'main', index: 0 }]] } },
			credentials: credentials(),
			mode: 'manual',
		});
		expect(result.nodeError('Trigger')).toBeUndefined();
		const emitted = result.output('Trigger').map((item) => idOf(item.json));
		const expectations = sandbox.dataset.expectations;
		// Everything the data set expects to be emitted is, and nothing else.
		expect(emitted.sort()).toEqual(Object.keys(expectations).filter((id) => expectations[id].outcome !== 'not-emitted').sort());

		const failed = Object.fromEntries(result.output(NODE, 1).map((item) => [idOf(item.json), (item.json.error as { code: string }).code]));
		const expectedFailed = Object.fromEntries(
			emitted.filter((id) => SKU_CODES.has(expectations[id].code ?? '')).map((id) => [id, expectations[id].code]),
		);
		expect(failed).toEqual(expectedFailed);
		expect(result.output(NODE, 0)).toHaveLength(emitted.length - Object.keys(expectedFailed).length);
	});
});
