import { CA_REALM_ID, DEMO_ITEMS } from '../../sandbox/dataset';
import type { Sandbox } from '../../sandbox';
import { runNode } from '../kit';
import { canonicalInvoicesFromSandbox, expectedFailures, sandboxCredentials, useDefaultSandbox } from '../fixtures/demoSandbox';

let sb: Sandbox;
useDefaultSandbox((sandbox) => (sb = sandbox));

const idOf = (json: any) => String(json.invoice.source.id);
const tableOf = (rows: Array<{ hubspotTaxRateId: string; qboTaxCodeId: string }>) => ({
	mapping: rows.map((row) => ({ hubspotTaxRate: row.hubspotTaxRateId, quickbooksTaxCode: row.qboTaxCodeId })),
});

describe('Tax Map on the sandbox demo data set', () => {
	it('US company: exactly the invoices expected to fail with TAX_CODE_NOT_FOUND go to the error output', async () => {
		const input = canonicalInvoicesFromSandbox(sb);
		const expected = expectedFailures(sb, ['TAX_CODE_NOT_FOUND']);
		expect(Object.keys(expected)).toHaveLength(1);

		const result = await runNode('taxMap', { hubspotAuthentication: 'none', mappings: tableOf(sb.dataset.taxMapping) }, input, sandboxCredentials(sb));

		expect(Object.fromEntries(result.errors.map((json: any) => [idOf(json), json.error.code]))).toEqual(expected);
		expect(result.errors[0].error).toMatchObject({ message: 'Invoice INV-1019: HubSpot tax rate 1003 "NY Sales Tax (8.875%)" has no usable QuickBooks tax code (it is not in the Tax Map)' });
		expect(result.main.map(idOf).sort()).toEqual(input.map(idOf).filter((id) => !(id in expected)).sort());

		const inv1001 = result.main.find((json: any) => json.invoice.number === 'INV-1001') as any;
		expect(inv1001.quickbooks).toEqual({ lines: [{ taxCodeId: 'TAX' }, { taxCodeId: 'TAX' }, { taxCodeId: 'NON' }], txnTaxCodeId: '3' });
		const inv1007 = result.main.find((json: any) => json.invoice.number === 'INV-1007') as any;
		expect(inv1007.quickbooks).toEqual({ lines: [{ taxCodeId: 'NON' }], txnTaxCodeId: null });

		// Tax model (CompanyInfo, Preferences) and one check of the mapped codes.
		expect(sb.log.entries.filter((entry) => entry.api === 'quickbooks').map((entry) => entry.endpoint).sort()).toEqual(
			['GET /v3/company/:realmId/companyinfo/:id', 'GET /v3/company/:realmId/preferences', 'POST /v3/company/:realmId/batch'].sort(),
		);
	});

	it(`non-US company (${CA_REALM_ID}): every line of every invoice gets a TaxCode id, and QuickBooks accepts them`, async () => {
		const input = canonicalInvoicesFromSandbox(sb);
		// One line without a HubSpot tax rate: it takes the "Code for Lines Without Tax".
		(input[0].invoice as any).lines[2].taxRateId = null;
		(input[0].invoice as any).lines[2].taxLabel = null;
		const credentials = sandboxCredentials(sb, CA_REALM_ID);

		const result = await runNode(
			'taxMap',
			{ hubspotAuthentication: 'none', mappings: tableOf(sb.dataset.taxMappings[CA_REALM_ID]), options: { noTaxCode: '8' } },
			input,
			credentials,
		);

		expect(result.errors).toEqual([]);
		expect(result.main).toHaveLength(input.length);
		for (const json of result.main as any[]) {
			expect(json.quickbooks.txnTaxCodeId).toBeNull();
			expect(json.quickbooks.lines).toHaveLength(json.invoice.lines.length);
			for (const line of json.quickbooks.lines) expect(['5', '6', '7', '8']).toContain(line.taxCodeId);
		}
		const first = result.main[0] as any;
		expect(first.quickbooks.lines.map((line: any) => line.taxCodeId)).toEqual(['5', '5', '8']);
		expect((result.main.find((json: any) => json.invoice.number === 'INV-1019') as any).quickbooks.lines.map((line: any) => line.taxCodeId)).toEqual(['5', '7']);

		// The simulated Canadian company takes the invoice with these codes and refuses it without them.
		const token = (credentials.quickBooksInvoiceSyncOAuth2Api as any).oauthTokenData.access_token;
		const post = async (withCodes: boolean) =>
			await fetch(`${sb.urls.quickbooks}/v3/company/${CA_REALM_ID}/invoice?minorversion=75`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
				body: JSON.stringify({
					CustomerRef: { value: '1' },
					Line: first.invoice.lines.map((line: any, index: number) => ({
						DetailType: 'SalesItemLineDetail',
						Amount: line.amount,
						SalesItemLineDetail: {
							ItemRef: { value: DEMO_ITEMS.find((item) => item.sku === line.sku)!.id },
							Qty: line.quantity,
							UnitPrice: line.unitPrice,
							...(withCodes ? { TaxCodeRef: { value: first.quickbooks.lines[index].taxCodeId } } : {}),
						},
					})),
				}),
			});
		const refused = await post(false);
		expect(refused.status).toBe(400);
		expect(JSON.stringify(await refused.json())).toMatch(/GST\/HST/);
		const accepted = await post(true);
		expect(accepted.status).toBe(200);
		expect(((await accepted.json()) as any).Invoice.Line.filter((line: any) => line.SalesItemLineDetail).map((line: any) => line.SalesItemLineDetail.TaxCodeRef.value)).toEqual(['5', '5', '8']);
	});

	it('non-US company: a line without a tax rate fails with TAX_CODE_NOT_FOUND when no code for such lines is set', async () => {
		const input = canonicalInvoicesFromSandbox(sb).slice(0, 2);
		(input[1].invoice as any).lines[0].taxRateId = null;
		(input[1].invoice as any).lines[0].taxLabel = null;
		const result = await runNode('taxMap', { hubspotAuthentication: 'none', mappings: tableOf(sb.dataset.taxMappings[CA_REALM_ID]) }, input, sandboxCredentials(sb, CA_REALM_ID));
		expect(result.main.map(idOf)).toEqual([idOf(input[0])]);
		expect((result.errors[0] as any).error).toMatchObject({ code: 'TAX_CODE_NOT_FOUND', message: expect.stringContaining('(none) on line 1') });
	});

	it('loads the HubSpot tax-rate dropdown from the HubSpot simulator, and lists QuickBooks tax codes through the resource locator\'s search', async () => {
		const { runListSearch, runLoadOptions, PACKAGE_NAME } = await import('../harness');
		const options = await runLoadOptions({
			nodeType: `${PACKAGE_NAME}.taxMap`,
			method: 'getHubSpotTaxRates',
			parameters: { hubspotAuthentication: 'appToken' },
			credentials: sandboxCredentials(sb),
		});
		expect(options.map((option) => option.value)).toEqual(['1001', '1002', '1003']);
		const codes = await runListSearch({ nodeType: `${PACKAGE_NAME}.taxMap`, method: 'searchQuickBooksTaxCodes', parameters: { hubspotAuthentication: 'none' }, credentials: sandboxCredentials(sb, CA_REALM_ID) });
		expect(codes.results.map((option) => option.name)).toEqual(['Exempt', 'GST', 'HST ON', 'Zero-rated']);
	});
});

describe('HubSpot Invoice Trigger → Customer Resolve → Tax Map on the sandbox', () => {
	it('the invoices the trigger emits fail exactly where the data set expects (customer codes, then tax codes)', async () => {
		const { runWorkflow, PACKAGE_NAME } = await import('../harness');
		const result = await runWorkflow({
			nodes: [
				{
					name: 'Trigger',
					type: `${PACKAGE_NAME}.hubSpotInvoiceTrigger`,
					parameters: { hubspotAuthentication: 'appToken', statuses: ['open', 'paid', 'voided'], backfillSince: '2000-01-01T00:00:00.000Z' },
				},
				{ name: 'Customer Resolve', type: `${PACKAGE_NAME}.customerResolve`, parameters: {}, onError: 'continueErrorOutput' },
				{ name: 'Tax Map', type: `${PACKAGE_NAME}.taxMap`, parameters: { hubspotAuthentication: 'appToken', mappings: tableOf(sb.dataset.taxMapping) }, onError: 'continueErrorOutput' },
			],
			connections: {
				Trigger: { main: [[{ node: 'Customer Resolve', type: 'main', index: 0 }]] },
				'Customer Resolve': { main: [[{ node: 'Tax Map', type: 'main', index: 0 }]] },
			},
			credentials: sandboxCredentials(sb),
			mode: 'manual',
		});
		expect(result.nodeError('Trigger')).toBeUndefined();
		const expectations = sb.dataset.expectations;
		const emitted = result.output('Trigger').map((item) => idOf(item.json));
		expect(emitted.sort()).toEqual(Object.keys(expectations).filter((id) => expectations[id].outcome !== 'not-emitted').sort());

		const codesAt = (node: string) => Object.fromEntries(result.output(node, 1).map((item) => [idOf(item.json), (item.json.error as { code: string }).code]));
		expect(codesAt('Customer Resolve')).toEqual(expectedFailures(sb, ['CUSTOMER_EMAIL_MISSING', 'CUSTOMER_INACTIVE']));
		expect(codesAt('Tax Map')).toEqual(expectedFailures(sb, ['TAX_CODE_NOT_FOUND']));
		const passed = result.output('Tax Map', 0).map((item) => item.json as any);
		expect(passed).toHaveLength(emitted.length - 3);
		// Both parts are on every item that passed: the customer and a tax code per line.
		for (const json of passed) {
			expect(json.quickbooks.customer.id).toEqual(expect.any(String));
			expect(json.quickbooks.lines).toHaveLength(json.invoice.lines.length);
			for (const line of json.quickbooks.lines) expect(['TAX', 'NON']).toContain(line.taxCodeId);
		}
	});
});
