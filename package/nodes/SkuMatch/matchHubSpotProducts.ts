/**
 * SKU Match with Destination HubSpot (QuickBooks → HubSpot), on the shared `resolveByKeys`: every
 * distinct SKU of the execution looked up in HubSpot's products by `hs_sku` (one search per 100
 * SKUs), each decided with the same matching rules as for QuickBooks (exact by default; the options
 * ignore case or surrounding spaces; an exact match always wins), then each invoice gets its
 * lines' products or fails as a whole listing every missing SKU. Products are never created in
 * HubSpot: a missing product is for a person to add to the catalogue.
 */
import type { InvoiceOutcome, ValidInvoice } from '../shared/execution';
import { findByValues } from '../shared/hubSpotLookups';
import { describeInvoice, withHubSpotPart, type SyncItem } from '../shared/invoiceContract';
import { resolveByKeys } from '../shared/resolveByKeys';
import type { HubSpotClient, HubSpotObject } from '../shared/transport/hubspot';
import { invoiceFailure, lineSku, queryValuesFor, resolveSku, type LineProblem, type MatchOptions, type QuickBooksItem, type SkuResolution, type SkuSides } from './skuMatching';

/** QuickBooks lines' SKUs, looked for in HubSpot's products. */
const TO_HUBSPOT: SkuSides = { source: 'QuickBooks', destination: 'HubSpot' };

export type ProductClient = Pick<HubSpotClient, 'searchAll'>;

export interface HubSpotMatchSettings {
	/** matchOn is always 'sku' (`hs_sku`). */
	match: MatchOptions;
}

/** A HubSpot product in the shape the matching rules read (every HubSpot product is usable: nothing is inactive). */
function asCatalogueItem(product: HubSpotObject): QuickBooksItem {
	return { Id: String(product.id), Name: product.properties.name ?? undefined, Sku: product.properties.hs_sku ?? undefined, Active: true };
}

export async function matchHubSpotProducts(client: ProductClient, invoices: Array<ValidInvoice<SyncItem>>, settings: HubSpotMatchSettings): Promise<Map<number, InvoiceOutcome>> {
	const skus = new Set<string>();
	for (const invoice of invoices) for (const line of invoice.item.invoice.lines) if (lineSku(line.sku) !== null) skus.add(line.sku as string);
	const resolutions = await resolveByKeys([...skus], {
		lookup: async (keys) => (await findByValues(client, 'products', 'hs_sku', queryValuesFor(keys), ['name', 'hs_sku'])).map(asCatalogueItem),
		decide: (sku, products) => ({ settle: resolveSku(sku, products, settings.match) }),
		// Every SKU settles from the lookup: nothing is written.
		write: async () => await Promise.resolve([]),
		outcome: () => ({ kind: 'notFound', suggestions: [], tooLong: false }) as SkuResolution,
	});
	const outcomes = new Map<number, InvoiceOutcome>();
	for (const invoice of invoices) outcomes.set(invoice.index, invoiceOutcome(invoice, resolutions, settings));
	return outcomes;
}

/** Every line's product, or the invoice fails with every line's problem (SKU_MISSING, SKU_NOT_FOUND, SKU_AMBIGUOUS). */
function invoiceOutcome(invoice: ValidInvoice<SyncItem>, resolutions: Map<string, SkuResolution>, settings: HubSpotMatchSettings): InvoiceOutcome {
	const label = describeInvoice(invoice.input);
	const problems: LineProblem[] = [];
	const productIds: string[] = [];
	invoice.item.invoice.lines.forEach((line, index) => {
		const sku = lineSku(line.sku);
		const resolution = sku === null ? undefined : resolutions.get(sku);
		if (sku === null) problems.push({ line: index + 1, problem: 'missingSku' });
		else if (resolution?.kind === 'matched') productIds.push(resolution.item.Id);
		else if (resolution?.kind === 'ambiguous') problems.push({ line: index + 1, problem: 'ambiguous', sku, items: resolution.items });
		else problems.push({ line: index + 1, problem: 'notFound', sku, suggestions: resolution?.kind === 'notFound' ? resolution.suggestions : [], tooLong: false });
	});
	const failure = invoiceFailure(label, problems, settings.match, TO_HUBSPOT);
	if (failure) return { error: failure, failure: { invoice: label, record: 'item' } };
	return { json: withHubSpotPart(invoice.item, { lines: productIds.map((productId) => ({ productId })) }) };
}
