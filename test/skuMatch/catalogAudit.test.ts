import { PROBLEM_KINDS, auditCatalogs, type AuditItem, type AuditProduct } from '../../package/nodes/SkuMatch/catalogAudit';

const product = (id: string, sku: string | null, name = `Product ${id}`): AuditProduct => ({ id, sku, name, price: '10.00' });
const item = (id: string, sku: string | null, active = true, name = `Item ${id}`, type = 'Service'): AuditItem => ({ id, sku, name, active, type });

describe('catalog audit', () => {
	const products = [
		product('p1', 'PROD-001'),
		product('p2', 'prod-002'),
		product('p3', 'ONLY-HS'),
		product('p4', 'DUP-HS'),
		product('p5', 'DUP-HS'),
		product('p6', null, 'Consulting hour'),
		product('p7', 'OLD-1'),
		product('p8', 'DUP-QB'),
		product('p9', 'SPACE '),
	];
	const items = [
		item('1', 'PROD-001'),
		item('2', 'PROD-002'),
		item('3', 'ONLY-QB'),
		item('4', 'OLD-1', false),
		item('5', 'DUP-QB'),
		item('6', 'DUP-QB'),
		item('7', 'SPACE'),
		item('8', null, true, 'Hours'),
		item('9', 'RETIRED', false),
		item('10', null, true, 'Furniture', 'Category'),
	];

	it('finds every kind of problem once, in a stable order', () => {
		const { problems } = auditCatalogs(products, items);
		expect(problems.map((problem) => [problem.problem, problem.sku])).toEqual([
			['missing_in_quickbooks', 'ONLY-HS'],
			['missing_in_quickbooks', 'DUP-HS'],
			['missing_in_hubspot', 'ONLY-QB'],
			['case_or_space_mismatch', 'SPACE '],
			['case_or_space_mismatch', 'prod-002'],
			['duplicate_sku_quickbooks', 'DUP-QB'],
			['duplicate_sku_hubspot', 'DUP-HS'],
			['inactive_in_quickbooks', 'OLD-1'],
			['product_without_sku', null],
		].sort((a, b) => PROBLEM_KINDS.indexOf(a[0] as never) - PROBLEM_KINDS.indexOf(b[0] as never) || (String(a[1] ?? '') < String(b[1] ?? '') ? -1 : 1)));
	});

	it('describes each problem with both sides, a message and a hint', () => {
		const { problems } = auditCatalogs(products, items);
		const mismatch = problems.find((problem) => problem.sku === 'prod-002');
		expect(mismatch).toEqual({
			problem: 'case_or_space_mismatch',
			sku: 'prod-002',
			hubspot: { products: [products[1]] },
			quickbooks: { items: [items[1]] },
			message: 'HubSpot SKU prod-002 differs only by case or spaces from QuickBooks SKU PROD-002; matching is exact, so invoices with it fail',
			hint: 'Make the SKUs identical in both systems: change prod-002 in HubSpot or PROD-002 in QuickBooks.',
		});
		const spaced = problems.find((problem) => problem.sku === 'SPACE ');
		expect(spaced?.message).toContain('"SPACE "');
		const duplicate = problems.find((problem) => problem.problem === 'duplicate_sku_quickbooks');
		expect(duplicate?.quickbooks.items.map((entry) => entry.id)).toEqual(['5', '6']);
		expect(duplicate?.hubspot.products.map((entry) => entry.id)).toEqual(['p8']);
		expect(duplicate?.message).toBe('2 QuickBooks items share SKU DUP-QB (2 active): "Item 5" (QuickBooks item 5), "Item 6" (QuickBooks item 6)');
		const withoutSku = problems.find((problem) => problem.problem === 'product_without_sku');
		expect(withoutSku?.message).toContain('"Consulting hour" (HubSpot product p6)');
	});

	it('reports a case mismatch once (from the HubSpot side), not also as missing on either side', () => {
		const { problems } = auditCatalogs([product('p', 'abc')], [item('1', 'ABC')]);
		expect(problems.map((problem) => problem.problem)).toEqual(['case_or_space_mismatch']);
	});

	it('does not report retired (inactive) QuickBooks items that no HubSpot product uses, nor categories or items without SKU', () => {
		const { problems, summary } = auditCatalogs([], [item('1', 'RETIRED', false), item('2', null), item('3', 'CAT', true, 'Cat', 'Category')]);
		expect(problems).toEqual([]);
		expect(summary.quickbooksItems).toBe(2);
		expect(summary.quickbooksItemsWithoutSku).toBe(1);
	});

	it('an active item beside an inactive duplicate is not an inactive problem', () => {
		const { problems } = auditCatalogs([product('p', 'X')], [item('1', 'X', false), item('2', 'X')]);
		expect(problems.map((problem) => problem.problem)).toEqual(['duplicate_sku_quickbooks']);
		expect(problems[0].message).toContain('(1 active)');
		expect(problems[0].hint).toMatch(/Only one is active/);
	});

	it('summary: counts per kind, totals and one paragraph for Slack', () => {
		const { summary } = auditCatalogs(products, items);
		expect(summary).toMatchObject({
			summary: true,
			problems: 9,
			hubspotProducts: 9,
			quickbooksItems: 9,
			counts: {
				missing_in_quickbooks: 2,
				missing_in_hubspot: 1,
				case_or_space_mismatch: 2,
				duplicate_sku_quickbooks: 1,
				duplicate_sku_hubspot: 1,
				inactive_in_quickbooks: 1,
				product_without_sku: 1,
			},
		});
		expect(summary.text).toBe(
			'Catalog audit: 9 HubSpot products, 9 QuickBooks items; 9 problems: 2 SKUs missing in QuickBooks (DUP-HS, ONLY-HS); 1 SKU missing in HubSpot (ONLY-QB); 2 SKUs differing only by case or spaces ("SPACE " vs SPACE, prod-002 vs PROD-002); 1 SKU duplicated in QuickBooks (DUP-QB); 1 SKU duplicated in HubSpot (DUP-HS); 1 SKU whose QuickBooks item is inactive (OLD-1); 1 HubSpot product without SKU (Consulting hour).',
		);
		expect(summary.text).not.toMatch(/\n/);
	});

	it('ignores the kinds it is told to, in the items and the summary', () => {
		const { problems, summary } = auditCatalogs(products, items, { ignore: ['missing_in_hubspot', 'product_without_sku'] });
		expect(problems.some((problem) => problem.problem === 'missing_in_hubspot' || problem.problem === 'product_without_sku')).toBe(false);
		expect(summary.counts.missing_in_hubspot).toBe(0);
		expect(summary.problems).toBe(7);
		expect(summary.ignored).toEqual(['missing_in_hubspot', 'product_without_sku']);
	});

	it('shortens long lists in the summary', () => {
		const many = Array.from({ length: 5 }, (_unused, index) => product(`p${index}`, `S-${index}`));
		const { summary } = auditCatalogs(many, []);
		expect(summary.text).toContain('5 SKUs missing in QuickBooks (S-0, S-1, S-2, +2 more)');
	});

	it('says so when the catalogs match', () => {
		const { problems, summary } = auditCatalogs([product('p', 'A')], [item('1', 'A')]);
		expect(problems).toEqual([]);
		expect(summary.text).toBe('Catalog audit: 1 HubSpot product, 1 QuickBooks item; no SKU mismatches found.');
	});
});
