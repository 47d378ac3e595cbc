/**
 * Catalog audit, without n8n: compares HubSpot products with QuickBooks items by SKU (regular
 * audits catch mismatches before an invoice fails on them) and describes every problem in words a
 * person can act on, plus a one-paragraph summary a Slack message can post.
 */
import { displaySku, looseKey } from './skuMatching';

export const PROBLEM_KINDS = [
	'missing_in_quickbooks',
	'missing_in_hubspot',
	'case_or_space_mismatch',
	'duplicate_sku_quickbooks',
	'duplicate_sku_hubspot',
	'inactive_in_quickbooks',
	'product_without_sku',
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export interface AuditProduct {
	id: string;
	name: string | null;
	sku: string | null;
	price: string | null;
}

export interface AuditItem {
	id: string;
	name: string | null;
	sku: string | null;
	active: boolean;
	type: string | null;
}

export interface AuditProblem {
	problem: ProblemKind;
	sku: string | null;
	hubspot: { products: AuditProduct[] };
	quickbooks: { items: AuditItem[] };
	message: string;
	hint: string;
}

export interface AuditSummary {
	summary: true;
	counts: Record<ProblemKind, number>;
	problems: number;
	hubspotProducts: number;
	quickbooksItems: number;
	/** QuickBooks items without a SKU (not compared; SKU matching cannot use them). */
	quickbooksItemsWithoutSku: number;
	ignored: ProblemKind[];
	text: string;
}

export interface AuditOptions {
	ignore?: ProblemKind[];
}

/** Item types that are not sellable products (a Category only groups items). */
const NON_PRODUCT_TYPES = new Set(['Category']);

function skuOf(value: string | null): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function group<T>(records: T[], key: (record: T) => string | null): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const record of records) {
		const value = key(record);
		if (value === null) continue;
		const list = groups.get(value) ?? [];
		list.push(record);
		groups.set(value, list);
	}
	return groups;
}

const productLabel = (product: AuditProduct) => `"${product.name ?? '(no name)'}" (HubSpot product ${product.id})`;
const itemLabel = (item: AuditItem) => `"${item.name ?? '(no name)'}" (QuickBooks item ${item.id}${item.active ? '' : ', inactive'})`;
const list = (values: string[]) => values.join(', ');
/** Locale-independent order, so the same catalogs always give the same output. */
const byCodeUnits = (left: string, right: string) => (left < right ? -1 : left > right ? 1 : 0);

/** Both catalogs grouped by SKU, exactly and by looseKey, as every check reads them. */
interface CatalogIndex {
	productsBySku: Map<string, AuditProduct[]>;
	itemsBySku: Map<string, AuditItem[]>;
	productsByLoose: Map<string, AuditProduct[]>;
	itemsByLoose: Map<string, AuditItem[]>;
}

function indexCatalogs(products: AuditProduct[], items: AuditItem[]): CatalogIndex {
	return {
		productsBySku: group(products, (product) => skuOf(product.sku)),
		itemsBySku: group(items, (item) => skuOf(item.sku)),
		productsByLoose: group(products, (product) => (skuOf(product.sku) === null ? null : looseKey(product.sku as string))),
		itemsByLoose: group(items, (item) => (skuOf(item.sku) === null ? null : looseKey(item.sku as string))),
	};
}

function productsWithoutSku(products: AuditProduct[]): AuditProblem[] {
	return products
		.filter((product) => skuOf(product.sku) === null)
		.map((product) => ({
			problem: 'product_without_sku',
			sku: null,
			hubspot: { products: [product] },
			quickbooks: { items: [] },
			message: `HubSpot product ${productLabel(product)} has no SKU, so invoice lines using it cannot sync`,
			hint: 'In HubSpot, give the product the SKU of its QuickBooks product.',
		}));
}

function hubspotDuplicates({ productsBySku, itemsBySku }: CatalogIndex): AuditProblem[] {
	const problems: AuditProblem[] = [];
	for (const [sku, sharing] of productsBySku) {
		if (sharing.length < 2) continue;
		problems.push({
			problem: 'duplicate_sku_hubspot',
			sku,
			hubspot: { products: sharing },
			quickbooks: { items: itemsBySku.get(sku) ?? [] },
			message: `${sharing.length} HubSpot products share SKU ${displaySku(sku)}: ${list(sharing.map(productLabel))}`,
			hint: 'In HubSpot, give each product its own SKU (or archive the duplicates), so each maps to one QuickBooks product.',
		});
	}
	return problems;
}

function quickbooksDuplicates({ productsBySku, itemsBySku }: CatalogIndex): AuditProblem[] {
	const problems: AuditProblem[] = [];
	for (const [sku, sharing] of itemsBySku) {
		if (sharing.length < 2) continue;
		const active = sharing.filter((item) => item.active).length;
		problems.push({
			problem: 'duplicate_sku_quickbooks',
			sku,
			hubspot: { products: productsBySku.get(sku) ?? [] },
			quickbooks: { items: sharing },
			message: `${sharing.length} QuickBooks items share SKU ${displaySku(sku)} (${active} active): ${list(sharing.map(itemLabel))}`,
			hint:
				active > 1
					? 'Invoices with this SKU fail as ambiguous. In QuickBooks, give each product its own SKU or make the duplicates inactive.'
					: 'Only one is active, so invoices use it; to keep the catalog clean, change the SKU of the inactive ones in QuickBooks.',
		});
	}
	return problems;
}

/** What stops a HubSpot SKU from matching: only inactive items, a near miss, or no item at all. */
function hubspotSkuProblem(sku: string, products: AuditProduct[], { itemsBySku, itemsByLoose }: CatalogIndex): AuditProblem | undefined {
	const exact = itemsBySku.get(sku);
	if (exact) {
		if (exact.some((item) => item.active)) return undefined;
		return {
			problem: 'inactive_in_quickbooks',
			sku,
			hubspot: { products },
			quickbooks: { items: exact },
			message: `SKU ${displaySku(sku)} (${list(products.map(productLabel))}) matches only inactive QuickBooks items: ${list(exact.map(itemLabel))}`,
			hint: 'In QuickBooks, open Products and Services, show inactive items and make the product active (or archive the HubSpot product if it is retired).',
		};
	}
	const near = (itemsByLoose.get(looseKey(sku)) ?? []).filter((item) => item.sku !== sku);
	if (near.length) {
		const nearSkus = [...new Set(near.map((item) => item.sku as string))];
		return {
			problem: 'case_or_space_mismatch',
			sku,
			hubspot: { products },
			quickbooks: { items: near },
			message: `HubSpot SKU ${displaySku(sku)} differs only by case or spaces from QuickBooks SKU ${list(nearSkus.map(displaySku))}; matching is exact, so invoices with it fail`,
			hint: `Make the SKUs identical in both systems: change ${displaySku(sku)} in HubSpot or ${list(nearSkus.map(displaySku))} in QuickBooks.`,
		};
	}
	return {
		problem: 'missing_in_quickbooks',
		sku,
		hubspot: { products },
		quickbooks: { items: [] },
		message: `HubSpot SKU ${displaySku(sku)} (${list(products.map(productLabel))}) has no QuickBooks product`,
		hint: `In QuickBooks, create a product with SKU ${displaySku(sku)} (or update an existing product's SKU to match exactly).`,
	};
}

function hubspotSkuProblems(index: CatalogIndex): AuditProblem[] {
	const problems: AuditProblem[] = [];
	for (const [sku, products] of index.productsBySku) {
		const problem = hubspotSkuProblem(sku, products, index);
		if (problem) problems.push(problem);
	}
	return problems;
}

function missingInHubspot({ productsBySku, itemsBySku, productsByLoose }: CatalogIndex): AuditProblem[] {
	const problems: AuditProblem[] = [];
	for (const [sku, sharing] of itemsBySku) {
		// Inactive items without a HubSpot product are retired ones: nothing to fix.
		const active = sharing.filter((item) => item.active);
		if (active.length === 0 || productsBySku.has(sku)) continue;
		// Reported once, from the HubSpot side, as a case/space mismatch.
		if ((productsByLoose.get(looseKey(sku)) ?? []).length) continue;
		problems.push({
			problem: 'missing_in_hubspot',
			sku,
			hubspot: { products: [] },
			quickbooks: { items: active },
			message: `QuickBooks SKU ${displaySku(sku)} (${list(active.map(itemLabel))}) has no HubSpot product`,
			hint: `If it is sold through HubSpot, create a HubSpot product with SKU ${displaySku(sku)}; otherwise no action is needed.`,
		});
	}
	return problems;
}

/** The problems not ignored, by kind, then SKU, then HubSpot product id. */
function reportedProblems(problems: AuditProblem[], ignored: ProblemKind[]): AuditProblem[] {
	return problems
		.filter((problem) => !ignored.includes(problem.problem))
		.sort(
			(left, right) =>
				PROBLEM_KINDS.indexOf(left.problem) - PROBLEM_KINDS.indexOf(right.problem) ||
				byCodeUnits(left.sku ?? '', right.sku ?? '') ||
				byCodeUnits(left.hubspot.products[0]?.id ?? '', right.hubspot.products[0]?.id ?? ''),
		);
}

export function auditCatalogs(
	products: AuditProduct[],
	allItems: AuditItem[],
	options: AuditOptions = {},
): { problems: AuditProblem[]; summary: AuditSummary } {
	const items = allItems.filter((item) => !NON_PRODUCT_TYPES.has(item.type ?? ''));
	const index = indexCatalogs(products, items);
	const problems = [
		...productsWithoutSku(products),
		...hubspotDuplicates(index),
		...quickbooksDuplicates(index),
		...hubspotSkuProblems(index),
		...missingInHubspot(index),
	];
	const ignored = [...new Set(options.ignore ?? [])].filter((kind): kind is ProblemKind => (PROBLEM_KINDS as readonly string[]).includes(kind));
	const kept = reportedProblems(problems, ignored);
	const counts = Object.fromEntries(PROBLEM_KINDS.map((kind) => [kind, 0])) as Record<ProblemKind, number>;
	for (const problem of kept) counts[problem.problem]++;
	const summary: AuditSummary = {
		summary: true,
		counts,
		problems: kept.length,
		hubspotProducts: products.length,
		quickbooksItems: items.length,
		quickbooksItemsWithoutSku: items.filter((item) => skuOf(item.sku) === null).length,
		ignored,
		text: summaryText(kept, counts, products.length, items.length),
	};
	return { problems: kept, summary };
}

const KIND_LABELS: Record<ProblemKind, [string, string]> = {
	missing_in_quickbooks: ['SKU missing in QuickBooks', 'SKUs missing in QuickBooks'],
	missing_in_hubspot: ['SKU missing in HubSpot', 'SKUs missing in HubSpot'],
	case_or_space_mismatch: ['SKU differing only by case or spaces', 'SKUs differing only by case or spaces'],
	duplicate_sku_quickbooks: ['SKU duplicated in QuickBooks', 'SKUs duplicated in QuickBooks'],
	duplicate_sku_hubspot: ['SKU duplicated in HubSpot', 'SKUs duplicated in HubSpot'],
	inactive_in_quickbooks: ['SKU whose QuickBooks item is inactive', 'SKUs whose QuickBooks items are inactive'],
	product_without_sku: ['HubSpot product without SKU', 'HubSpot products without SKU'],
};

const EXAMPLES = 3;

function summaryText(problems: AuditProblem[], counts: Record<ProblemKind, number>, productCount: number, itemCount: number): string {
	const head = `Catalog audit: ${productCount} HubSpot product${productCount === 1 ? '' : 's'}, ${itemCount} QuickBooks item${itemCount === 1 ? '' : 's'}`;
	if (problems.length === 0) return `${head}; no SKU mismatches found.`;
	const parts = PROBLEM_KINDS.filter((kind) => counts[kind] > 0).map((kind) => {
		const ofKind = problems.filter((problem) => problem.problem === kind);
		const examples = ofKind
			.slice(0, EXAMPLES)
			.map((problem) =>
				problem.sku === null
					? (problem.hubspot.products[0]?.name ?? problem.hubspot.products[0]?.id ?? '')
					: kind === 'case_or_space_mismatch'
						? `${displaySku(problem.sku)} vs ${problem.quickbooks.items.map((item) => displaySku(item.sku ?? '')).join('/')}`
						: displaySku(problem.sku),
			);
		const more = ofKind.length > EXAMPLES ? `, +${ofKind.length - EXAMPLES} more` : '';
		return `${counts[kind]} ${KIND_LABELS[kind][counts[kind] === 1 ? 0 : 1]} (${examples.join(', ')}${more})`;
	});
	return `${head}; ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${parts.join('; ')}.`;
}
