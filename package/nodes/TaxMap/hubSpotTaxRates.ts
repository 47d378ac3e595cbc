/**
 * Tax Map with Destination HubSpot (QuickBooks → HubSpot): each QuickBooks line's tax code becomes
 * the HubSpot tax rate the mapping table pairs it with (the same table as for HubSpot → QuickBooks,
 * read the other way). HubSpot's tax rates are read once per execution to check that each mapped
 * rate exists (a rate typed by hand may be its label). US QuickBooks lines carry TAX or NON: TAX
 * means the invoice's sales tax code, NON no tax. A line without tax gets no tax rate.
 */
import type { IDataObject } from 'n8n-workflow';

import { SyncError } from '../shared/errors';
import type { InvoiceOutcome, ValidInvoice } from '../shared/execution';
import { describeInvoice, withHubSpotPart, type SyncItem } from '../shared/invoiceContract';
import { textOf } from '../shared/text';
import type { HubSpotClient } from '../shared/transport/hubspot';
import { US_NON_TAXABLE, type TaxMappingRow } from './taxResolution';

export type TaxRateClient = Pick<HubSpotClient, 'listTaxRates'>;

export interface HubSpotTaxSettings {
	mappings: TaxMappingRow[];
	/** An unmapped QuickBooks code fails the invoice, or its line gets no tax rate. */
	unmappedPolicy: 'error' | 'nonTaxable';
}

/** QuickBooks' US line code for a taxable line: the invoice-level code says which tax. */
const US_TAXABLE = 'TAX';

/** The QuickBooks tax code a line is taxed with, or null when it is not taxed. */
export function lineTaxCode(lineCode: string | null | undefined, txnTaxCodeId: string | null | undefined): string | null {
	if (!lineCode || lineCode === US_NON_TAXABLE) return null;
	if (lineCode === US_TAXABLE) return txnTaxCodeId || null;
	return lineCode;
}

/** A mapping's HubSpot side (an id, or a label typed by hand) → the id of a HubSpot tax rate, when HubSpot has it. */
function rateIds(rates: IDataObject[]): (wanted: string) => string | undefined {
	const byId = new Map(rates.map((rate) => [textOf(rate.id), textOf(rate.id)]));
	const byLabel = new Map<string, string>();
	for (const rate of rates) for (const label of [textOf(rate.label), textOf(rate.name)]) if (label) byLabel.set(label.trim().toLowerCase(), textOf(rate.id));
	return (wanted) => byId.get(wanted) ?? byLabel.get(wanted.trim().toLowerCase());
}

export async function resolveHubSpotTaxRates(client: TaxRateClient, invoices: Array<ValidInvoice<SyncItem>>, settings: HubSpotTaxSettings): Promise<Map<number, InvoiceOutcome>> {
	const outcomes = new Map<number, InvoiceOutcome>();
	const taxed = invoices.filter((invoice) => (invoice.item.quickbooks?.lines ?? []).some((line) => line.taxCodeId && line.taxCodeId !== US_NON_TAXABLE));
	// Only invoices with tax need HubSpot's rates: an execution without tax makes no request.
	const rateId = taxed.length ? rateIds(await client.listTaxRates()) : () => undefined;
	const rateOf = new Map(settings.mappings.map((row) => [row.quickbooksTaxCodeId, row.hubspotTaxRate]));
	for (const invoice of invoices) outcomes.set(invoice.index, invoiceTax(invoice, rateOf, rateId, settings));
	return outcomes;
}

function invoiceTax(invoice: ValidInvoice<SyncItem>, rateOf: Map<string, string>, rateId: (wanted: string) => string | undefined, settings: HubSpotTaxSettings): InvoiceOutcome {
	const label = describeInvoice(invoice.input);
	const item = invoice.item;
	const products = item.hubspot?.lines ?? [];
	if (products.length !== item.invoice.lines.length) {
		const error = new SyncError('INVALID_INPUT', { detail: 'hubspot.lines: missing or wrong length: run SKU Match (Destination HubSpot) before Tax Map' }, { field: 'hubspot.lines' });
		return { error, failure: { invoice: label } };
	}
	const unmapped = new Set<string>();
	const missing = new Map<string, string>();
	// SKU Match's lines, each with its tax rate added.
	const lines = products.map((line, index) => {
		const code = lineTaxCode(item.quickbooks?.lines?.[index]?.taxCodeId, item.quickbooks?.txnTaxCodeId);
		const wanted = code === null ? undefined : rateOf.get(code);
		if (code !== null && wanted === undefined && settings.unmappedPolicy === 'error') unmapped.add(code);
		const id = wanted === undefined ? undefined : rateId(wanted);
		if (code !== null && wanted !== undefined && id === undefined) missing.set(code, wanted);
		return { ...line, taxRateId: id ?? null };
	});
	const error = taxFailure(label, unmapped, missing);
	if (error) return { error, failure: { invoice: label, record: 'taxCode' } };
	return { json: withHubSpotPart(item, { lines }) };
}

/** TAX_CODE_NOT_FOUND naming every unmapped code, or every mapped rate HubSpot does not have. */
function taxFailure(invoice: string, unmapped: Set<string>, missing: Map<string, string>): SyncError | undefined {
	const values = { invoice, source: 'QuickBooks tax code', destination: 'HubSpot tax rate' };
	if (unmapped.size) {
		const codes = [...unmapped].join(', ');
		const fix = `Add a row for QuickBooks tax code ${codes} to the Tax Map node's Tax Mappings (with its HubSpot tax rate), or set Unmapped Tax Rates to Mark Non-Taxable`;
		return new SyncError('TAX_CODE_NOT_FOUND', { ...values, taxRate: codes, reason: ' (it is not in the Tax Map)', fix }, { unmappedTaxCodes: [...unmapped] });
	}
	if (missing.size) {
		const rates = [...missing.values()];
		const codes = [...missing.keys()].join(', ');
		const fix = `Create the tax rate ${rates.join(', ')} in HubSpot's tax rates, or correct the HubSpot Tax Rate Name or ID mapped to QuickBooks tax code ${codes} in the Tax Map node`;
		return new SyncError('TAX_CODE_NOT_FOUND', { ...values, taxRate: codes, reason: ` (HubSpot has no tax rate ${rates.join(', ')})`, fix }, { missingHubSpotTaxRates: rates });
	}
	return undefined;
}
