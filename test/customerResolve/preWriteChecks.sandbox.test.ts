/**
 * The sync chain (Customer Resolve → SKU Match → Tax Map → QuickBooks Invoice Upsert) against the
 * sandbox: invoices that can never sync (no lines, a currency the company cannot take, a date in
 * the closed period) leave no customer, product or invoice in QuickBooks, while the good invoice of
 * the same run is synced with its new customer and product.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import { canonicalInvoicesFromSandbox, sandboxCredentials, useDefaultSandbox } from '../fixtures/demoSandbox';
import { PACKAGE_NAME, runWorkflow } from '../harness';

let sandbox: Sandbox;
useDefaultSandbox((started) => (sandbox = started));

const CHAIN = ['Customer Resolve', 'SKU Match', 'Tax Map', 'QuickBooks Invoice Upsert'];

function realm() {
	return sandbox.quickbooks.state.realms[sandbox.dataset.realmId];
}

/** A copy of the demo's INV-1001 as a new HubSpot invoice of a new contact with one line of a new SKU. */
function newInvoice(n: number, name: string, changes: IDataObject = {}): IDataObject {
	const base = canonicalInvoicesFromSandbox(sandbox).find((json: any) => json.invoice.number === 'INV-1001') as any;
	const line = { ...base.invoice.lines[0], hubspotLineItemId: null, sku: `NEW-SKU-${name}`, name: `New product ${name}` };
	return {
		invoice: {
			...base.invoice,
			source: { ...base.invoice.source, id: String(9900000000 + n) },
			number: `NEW-${name}`,
			customer: { ...base.invoice.customer, email: `new.${name.toLowerCase()}@example.com`, companyName: `New Company ${name}`, hubspotContactId: null, hubspotCompanyId: null },
			lines: [line],
			contentHash: null,
			...changes,
		},
	};
}

describe('the sync chain on the sandbox writes nothing for an invoice that can never sync', () => {
	it('no lines, another currency, a date in the closed period: no customer, product or invoice for them; the good invoice syncs', async () => {
		const closeDate = String(realm().preferences.AccountingInfoPrefs?.BookCloseDate ?? '').slice(0, 10);
		expect(closeDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		const input = [
			newInvoice(1, 'GOOD'),
			newInvoice(2, 'EMPTY', { lines: [] }),
			newInvoice(3, 'EUR', { currency: 'EUR' }),
			newInvoice(4, 'OLD', { issueDate: `${closeDate}T00:00:00.000Z` }),
		];
		// A company without multicurrency: the EUR invoice is in a currency it cannot take.
		realm().preferences.CurrencyPrefs.MultiCurrencyEnabled = false;
		const customersBefore = realm().entities.Customer.size;
		const itemsBefore = realm().entities.Item.size;

		const result = await runWorkflow({
			nodes: [
				{ name: CHAIN[0], type: `${PACKAGE_NAME}.customerResolve`, parameters: {}, onError: 'continueErrorOutput' },
				{ name: CHAIN[1], type: `${PACKAGE_NAME}.skuMatch`, parameters: { ifNotFound: 'create', newItemType: 'Service', incomeAccountId: '79' }, onError: 'continueErrorOutput' },
				{
					name: CHAIN[2],
					type: `${PACKAGE_NAME}.taxMap`,
					parameters: {
						hubspotAuthentication: 'none',
						mappings: { mapping: sandbox.dataset.taxMapping.map((entry) => ({ hubspotTaxRate: entry.hubspotTaxRateId, quickbooksTaxCode: entry.qboTaxCodeId })) },
					} as never,
					onError: 'continueErrorOutput',
				},
				{ name: CHAIN[3], type: `${PACKAGE_NAME}.quickBooksInvoiceUpsert`, parameters: {}, onError: 'continueErrorOutput' },
			],
			connections: Object.fromEntries(CHAIN.slice(0, -1).map((name, index) => [name, { main: [[{ node: CHAIN[index + 1], type: 'main', index: 0 }]] }])),
			credentials: sandboxCredentials(sandbox),
			input,
		});

		const failures = Object.fromEntries(
			CHAIN.flatMap((node) => result.output(node, 1).map((item) => [(item.json.invoice as { number: string }).number, `${node}: ${(item.json.error as { code: string }).code}`])),
		);
		expect(failures).toEqual({
			'NEW-EMPTY': 'Customer Resolve: INVOICE_HAS_NO_LINES',
			'NEW-EUR': 'Customer Resolve: CURRENCY_MISMATCH',
			'NEW-OLD': 'Customer Resolve: PERIOD_CLOSED',
		});
		const synced = result.output(CHAIN[3], 0).map((item) => item.json as any);
		expect(synced.map((json) => [json.invoice.number, json.quickbooks.invoice.action, json.quickbooks.customer.created, json.quickbooks.lines[0].matchedBy])).toEqual([
			['NEW-GOOD', 'created', true, 'created'],
		]);

		// QuickBooks holds the good invoice's customer, product and invoice, and nothing of the others.
		const customers = [...realm().entities.Customer.values()];
		const items = [...realm().entities.Item.values()];
		expect(customers).toHaveLength(customersBefore + 1);
		expect(customers.filter((customer) => /^new\./.test(customer.PrimaryEmailAddr?.Address ?? '')).map((customer) => customer.PrimaryEmailAddr.Address)).toEqual(['new.good@example.com']);
		expect(items).toHaveLength(itemsBefore + 1);
		expect(items.filter((item) => /^NEW-SKU-/.test(item.Sku ?? '')).map((item) => item.Sku)).toEqual(['NEW-SKU-GOOD']);
		expect([...realm().entities.Invoice.values()].filter((invoice) => /^NEW-/.test(invoice.DocNumber ?? '')).map((invoice) => invoice.DocNumber)).toEqual(['NEW-GOOD']);
	});
});
