/**
 * Tax Map with Destination HubSpot through n8n's engine against the fake HubSpot CRM: QuickBooks
 * tax codes to HubSpot tax rates through the mapping table, US TAX/NON lines, unmapped codes,
 * mapped rates HubSpot lacks, and HubSpot's tax rates read once per execution (never without tax).
 */
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => {}),
}));

import type { IDataObject } from 'n8n-workflow';

import { hubSpotTestCredentials, runNode } from '../kit';
import { useFakeHubSpotCrm, type FakeHubSpotCrm } from '../kit/hubspotCrm';
import { quickBooksInvoice, type QuickBooksInvoiceInput } from './items';

let hubspot: FakeHubSpotCrm;

useFakeHubSpotCrm(
	(crm) => (hubspot = crm),
	(crm) => {
		crm.taxRates = [
			{ id: '1001', label: 'CA Sales Tax', percentageRate: 7.25, active: true },
			{ id: '1002', label: 'VAT 20%', percentageRate: 20, active: true },
		];
	},
);

const MAPPINGS = { mapping: [{ hubspotTaxRate: '1001', quickbooksTaxCode: '3' }, { hubspotTaxRate: 'vat 20%', quickbooksTaxCode: '7' }] };

/** A QuickBooks invoice after SKU Match (Destination HubSpot): its lines have their products. */
function matched(id: string, input: QuickBooksInvoiceInput): Record<string, any> {
	const lines = input.lines ?? [{}];
	return quickBooksInvoice(id, { ...input, hubspot: { lines: lines.map((_line, index) => ({ productId: String(3001 + index) })) } });
}

async function map(items: IDataObject[], parameters: IDataObject = {}) {
	hubspot.calls = [];
	return await runNode('taxMap', { destination: 'hubspot', hubspotAuthentication: 'appToken', mappings: MAPPINGS, ...parameters }, items, hubSpotTestCredentials());
}

const lines = (item: IDataObject) => (item.hubspot as IDataObject).lines;
const error = (item: IDataObject) => item.error as IDataObject;

it("gives each line the HubSpot rate its code is mapped to (by id or typed label), keeping SKU Match's products; lines without tax get none", async () => {
	const { main, errors } = await map([matched('1', { lines: [{ taxCode: '3' }, { taxCode: '7' }, { taxCode: null }] })]);
	expect(errors).toEqual([]);
	expect(lines(main[0])).toEqual([
		{ productId: '3001', taxRateId: '1001' },
		{ productId: '3002', taxRateId: '1002' },
		{ productId: '3003', taxRateId: null },
	]);
});

it("US lines: TAX takes the invoice's sales tax code, NON has no tax", async () => {
	const { main } = await map([matched('1', { lines: [{ taxCode: 'TAX' }, { taxCode: 'NON' }], txnTaxCode: '3' })]);
	expect(lines(main[0])).toEqual([
		{ productId: '3001', taxRateId: '1001' },
		{ productId: '3002', taxRateId: null },
	]);
});

it('an unmapped QuickBooks code fails the invoice with TAX_CODE_NOT_FOUND naming every one; "Mark Non-Taxable" leaves the line untaxed', async () => {
	const item = matched('1', { lines: [{ taxCode: '4' }, { taxCode: '5' }, { taxCode: '3' }] });
	const failed = await map([item]);
	expect(error(failed.errors[0])).toMatchObject({ code: 'TAX_CODE_NOT_FOUND', message: 'Invoice QB-1: QuickBooks tax code 4, 5 has no usable HubSpot tax rate (it is not in the Tax Map)' });
	const untaxed = await map([item], { unmappedTaxRates: 'nonTaxable' });
	expect(lines(untaxed.main[0])).toEqual([
		{ productId: '3001', taxRateId: null },
		{ productId: '3002', taxRateId: null },
		{ productId: '3003', taxRateId: '1001' },
	]);
});

it('a mapped rate HubSpot does not have fails the invoice naming it', async () => {
	const { errors } = await map([matched('1', { lines: [{ taxCode: '9' }] })], { mappings: { mapping: [{ hubspotTaxRate: '4040', quickbooksTaxCode: '9' }] } });
	expect(error(errors[0]).message).toBe('Invoice QB-1: QuickBooks tax code 9 has no usable HubSpot tax rate (HubSpot has no tax rate 4040)');
});

it("reads HubSpot's tax rates once for the execution, and not at all when no invoice has tax", async () => {
	await map(Array.from({ length: 30 }, (_unused, index) => matched(String(index), { lines: [{ taxCode: '3' }] })));
	expect(hubspot.count(/tax-rates/)).toBe(1);
	await map([matched('1', { lines: [{ taxCode: null }, { taxCode: 'NON' }] })]);
	expect(hubspot.calls).toEqual([]);
});

it('needs the lines SKU Match made (INVALID_INPUT otherwise), and refuses a code mapped to two rates', async () => {
	const { errors } = await map([quickBooksInvoice('1', { lines: [{ taxCode: '3' }] })]);
	expect(error(errors[0]).code).toBe('INVALID_INPUT');
	const parameters = { destination: 'hubspot', hubspotAuthentication: 'appToken', mappings: { mapping: [{ hubspotTaxRate: '1001', quickbooksTaxCode: '3' }, { hubspotTaxRate: '1002', quickbooksTaxCode: '3' }] } };
	hubspot.calls = [];
	const clash = await runNode('taxMap', parameters, [matched('1', { lines: [{ taxCode: '3' }] })], hubSpotTestCredentials(), 'stopWorkflow');
	expect(clash.nodeError('Node Under Test')?.message).toMatch(/QuickBooks tax code 3 is mapped to HubSpot tax rates 1001 and 1002/);
	expect(hubspot.calls).toEqual([]);
});

it("the fixes name the QuickBooks tax code to map (or Mark Non-Taxable), and a mapped rate HubSpot lacks is created in HubSpot or corrected in the mapping", async () => {
	const unmapped = await map([matched('1', { lines: [{ taxCode: '4' }] })]);
	expect(error(unmapped.errors[0]).hint).toBe(
		"Add a row for QuickBooks tax code 4 to the Tax Map node's Tax Mappings (with its HubSpot tax rate), or set Unmapped Tax Rates to Mark Non-Taxable, then retry.",
	);
	const missing = await map([matched('1', { lines: [{ taxCode: '9' }] })], { mappings: { mapping: [{ hubspotTaxRate: '4040', quickbooksTaxCode: '9' }] } });
	expect(error(missing.errors[0]).hint).toBe(
		"Create the tax rate 4040 in HubSpot's tax rates, or correct the HubSpot Tax Rate Name or ID mapped to QuickBooks tax code 9 in the Tax Map node, then retry.",
	);
});
