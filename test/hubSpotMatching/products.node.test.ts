/**
 * SKU Match with Destination HubSpot through n8n's engine against the fake HubSpot CRM: each line's
 * product by hs_sku (exact by default, ignoring case or spaces on request, an exact match always
 * winning), an invoice failing as a whole listing every missing SKU, and one search per 100 SKUs.
 */
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => {}),
}));

import type { IDataObject } from 'n8n-workflow';

import { hubSpotTestCredentials, runNode } from '../kit';
import { useFakeHubSpotCrm, type FakeHubSpotCrm } from '../kit/hubspotCrm';
import { quickBooksInvoice } from './items';

let hubspot: FakeHubSpotCrm;

useFakeHubSpotCrm(
	(crm) => (hubspot = crm),
	(crm) => {
		crm.add('products', '3001', { name: 'Widget', hs_sku: 'PROD-001' });
		crm.add('products', '3002', { name: 'Gadget', hs_sku: 'PROD-002' });
	},
);

async function match(items: IDataObject[], options: IDataObject = {}) {
	hubspot.calls = [];
	return await runNode('skuMatch', { operation: 'matchInvoiceLines', destination: 'hubspot', hubspotAuthentication: 'appToken', options }, items, hubSpotTestCredentials());
}

const error = (item: IDataObject) => item.error as IDataObject;

it("gives every line its HubSpot product by exact SKU, keeping the item's other parts", async () => {
	const { main, errors } = await match([quickBooksInvoice('1', { lines: [{ sku: 'PROD-002' }, { sku: 'PROD-001' }], hubspot: { contact: { id: '5001', created: false } } })]);
	expect(errors).toEqual([]);
	expect(main[0].hubspot).toEqual({ contact: { id: '5001', created: false }, lines: [{ productId: '3002' }, { productId: '3001' }] });
	expect(hubspot.count(/products\/search$/)).toBe(1);
	expect(hubspot.calls[0].body.filterGroups[0].filters[0]).toEqual({ propertyName: 'hs_sku', operator: 'IN', values: ['PROD-002', 'PROD-001'] });
});

it('is case-sensitive by default: prod-001 is not PROD-001, and the message says so', async () => {
	const { main, errors } = await match([quickBooksInvoice('1', { lines: [{ sku: 'prod-001' }] })]);
	expect(main).toEqual([]);
	expect(error(errors[0]).code).toBe('SKU_NOT_FOUND');
	expect(error(errors[0]).message).toBe('Invoice QB-1: no HubSpot product with SKU prod-001 — did you mean PROD-001 (differs only in case)?');
});

it('with Ignore Case, prod-001 matches PROD-001, and an exact match wins over a case variant', async () => {
	hubspot.add('products', '3003', { name: 'Widget lower', hs_sku: 'prod-002' });
	const { main, errors } = await match([quickBooksInvoice('1', { lines: [{ sku: 'prod-001' }, { sku: 'prod-002' }] })], { caseInsensitive: true });
	expect(errors).toEqual([]);
	expect((main[0].hubspot as IDataObject).lines).toEqual([{ productId: '3001' }, { productId: '3003' }]);
});

it('fails the whole invoice listing every missing SKU, and the other invoices still match', async () => {
	const { main, errors } = await match([
		quickBooksInvoice('1', { lines: [{ sku: 'PROD-001' }, { sku: 'GONE-1' }, { sku: 'GONE-2' }] }),
		quickBooksInvoice('2', { lines: [{ sku: 'PROD-002' }] }),
	]);
	expect(main.map((item) => (item.invoice as IDataObject).number)).toEqual(['QB-2']);
	expect(error(errors[0])).toMatchObject({ code: 'SKU_NOT_FOUND', message: 'Invoice QB-1: no HubSpot product with SKU GONE-1, GONE-2' });
	expect((error(errors[0]).details as IDataObject).missingSkus).toEqual(['GONE-1', 'GONE-2']);
	expect(errors[0].hubspot).toBeUndefined();
});

it('a line without SKU (QuickBooks item without one) is SKU_MISSING; several products with the SKU are SKU_AMBIGUOUS', async () => {
	hubspot.add('products', '3009', { name: 'Widget copy', hs_sku: 'PROD-001' });
	const { errors } = await match([quickBooksInvoice('1', { lines: [{ sku: null }] }), quickBooksInvoice('2', { lines: [{ sku: 'PROD-001' }] })]);
	expect(errors.map((item) => error(item).code)).toEqual(['SKU_MISSING', 'SKU_AMBIGUOUS']);
	expect(error(errors[1]).message).toBe('Invoice QB-2: several HubSpot products have SKU PROD-001 (Widget #3001, Widget copy #3009)');
});

it('looks 150 distinct SKUs up in 2 searches for the whole execution', async () => {
	for (let index = 0; index < 150; index++) hubspot.add('products', String(4000 + index), { name: `P${index}`, hs_sku: `SKU-${index}` });
	const items = Array.from({ length: 75 }, (_unused, index) => quickBooksInvoice(String(index), { lines: [{ sku: `SKU-${2 * index}` }, { sku: `SKU-${2 * index + 1}` }] }));
	const { main, errors } = await match(items);
	expect(errors).toEqual([]);
	expect(main).toHaveLength(75);
	expect(hubspot.count(/products\/search$/)).toBe(2);
	expect((main[74].hubspot as IDataObject).lines).toEqual([{ productId: '4148' }, { productId: '4149' }]);
});

it('names QuickBooks as the side whose SKU has the extra space, and fixes the product in HubSpot', async () => {
	const { errors } = await match([quickBooksInvoice('1', { lines: [{ sku: 'PROD-001 ' }] })]);
	expect(error(errors[0]).message).toBe('Invoice QB-1: no HubSpot product with SKU "PROD-001 " — did you mean PROD-001 (QuickBooks\' SKU has a trailing space)?');
	expect(error(errors[0]).hint).toMatch(/spaces before and after/);
	expect(error(errors[0]).hint).toContain('In HubSpot, update the product');
});

it('a line without SKU is fixed in QuickBooks; a SKU no product has says no HubSpot product has it', async () => {
	const { errors } = await match([quickBooksInvoice('1', { lines: [{ sku: null }] }), quickBooksInvoice('2', { lines: [{ sku: 'NOWHERE-9' }] })]);
	expect(error(errors[0]).hint).toContain('In QuickBooks, give the product or service on the line a SKU');
	expect(error(errors[1]).hint).toMatch(/^No HubSpot product has this SKU/);
});
