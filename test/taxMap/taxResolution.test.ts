import { readTaxMapSettings } from '../../package/nodes/TaxMap/settings';
import {
	codesToVerify,
	describeRate,
	findMapping,
	finishInvoiceTax,
	planInvoiceTax,
	taxCodeInfo,
	taxModelOf,
	type TaxCodeInfo,
	type TaxMapSettings,
} from '../../package/nodes/TaxMap/taxResolution';
import { SyncError } from '../../package/nodes/shared/errors';

const US = taxModelOf({ Country: 'US' }, { TaxPrefs: { UsingSalesTax: true, PartnerTaxEnabled: false } });
const US_AST = taxModelOf({ Country: 'US' }, { TaxPrefs: { PartnerTaxEnabled: true } });
const CA = taxModelOf({ Country: 'CA' }, { TaxPrefs: { UsingSalesTax: true } });

const settings = (extra: Partial<TaxMapSettings> = {}): TaxMapSettings => ({
	mappings: [
		{ hubspotTaxRate: '1001', quickbooksTaxCodeId: '3' },
		{ hubspotTaxRate: '1002', quickbooksTaxCodeId: 'NON' },
		{ hubspotTaxRate: 'Reduced Rate (5%)', quickbooksTaxCodeId: '7' },
	],
	unmappedPolicy: 'error',
	...extra,
});

const codes = (...infos: Array<Partial<TaxCodeInfo> & { id: string }>) =>
	new Map(infos.map((info) => [info.id, { name: `Code ${info.id}`, active: true, taxable: true, ...info }]));

const rate = (taxRateId: string | null, taxLabel: string | null = null) => ({ taxRateId, taxLabel });

function resolve(lines: ReturnType<typeof rate>[], model = US, options: Partial<TaxMapSettings> = {}, known = codes({ id: '3' }, { id: '7' })) {
	const plan = planInvoiceTax('INV-1', lines, settings(options), model);
	if ('error' in plan) return plan.error;
	return finishInvoiceTax('INV-1', plan, model, known);
}

describe('tax model', () => {
	it('reads the country and Automated Sales Tax', () => {
		expect(US).toEqual({ country: 'US', us: true, automatedSalesTax: false });
		expect(US_AST.automatedSalesTax).toBe(true);
		expect(CA).toEqual({ country: 'CA', us: false, automatedSalesTax: false });
		expect(taxModelOf({ Country: 'usa' }, {}).us).toBe(true);
	});

	it('treats non-taxable codes and codes whose rates are all 0 % as non-taxable', () => {
		const rates = new Map([['1', 7.25], ['2', 0]]);
		const code = (detail: string[], extra = {}) => ({ Id: '9', Name: 'X', SalesTaxRateList: { TaxRateDetail: detail.map((value) => ({ TaxRateRef: { value } })) }, ...extra });
		expect(taxCodeInfo(code(['1']), rates).taxable).toBe(true);
		expect(taxCodeInfo(code(['2']), rates).taxable).toBe(false);
		expect(taxCodeInfo(code(['1', '2']), rates).taxable).toBe(true);
		expect(taxCodeInfo(code([], { Taxable: false }), rates).taxable).toBe(false);
		expect(taxCodeInfo(code(['unknown']), rates).taxable).toBe(true);
		expect(taxCodeInfo(code([], { Active: false }), rates).active).toBe(false);
	});
});

describe('mapping lookup', () => {
	it('matches the HubSpot rate id first, then the label ignoring case and spaces', () => {
		const rows = settings().mappings;
		expect(findMapping(rate('1001', 'whatever'), rows)?.quickbooksTaxCodeId).toBe('3');
		expect(findMapping(rate('5555', '  reduced  RATE (5%) '), rows)?.quickbooksTaxCodeId).toBe('7');
		expect(findMapping(rate(null, 'Reduced Rate (5%)'), rows)?.quickbooksTaxCodeId).toBe('7');
		expect(findMapping(rate('1003', 'NY'), rows)).toBeUndefined();
	});

	it('compares unicode, emoji, quotes and backslashes literally', () => {
		const rows = [{ hubspotTaxRate: 'TVA réduite 🇫🇷 "5,5%" \\ l\'État', quickbooksTaxCodeId: '8' }];
		expect(findMapping(rate(null, 'TVA réduite 🇫🇷 "5,5%" \\ l\'État'), rows)?.quickbooksTaxCodeId).toBe('8');
		expect(findMapping(rate(null, 'TVA reduite 🇫🇷 "5,5%" \\ l\'État'), rows)).toBeUndefined();
	});

	it('describes rates for messages', () => {
		expect(describeRate(rate('1003', 'NY Sales Tax (8.875%)'))).toBe('1003 "NY Sales Tax (8.875%)"');
		expect(describeRate(rate('1003'))).toBe('1003');
		expect(describeRate(rate(null, 'Label'))).toBe('"Label"');
	});
});

describe('US companies', () => {
	it('marks mapped taxable lines TAX, exempt and rate-less lines NON, and sets the transaction code', () => {
		expect(resolve([rate('1001'), rate('1002'), rate(null)])).toEqual({
			lines: [{ taxCodeId: 'TAX' }, { taxCodeId: 'NON' }, { taxCodeId: 'NON' }],
			txnTaxCodeId: '3',
		});
	});

	it('marks lines mapped to a 0 % or non-taxable code NON', () => {
		expect(resolve([rate('1001')], US, {}, codes({ id: '3', taxable: false }))).toEqual({ lines: [{ taxCodeId: 'NON' }], txnTaxCodeId: null });
	});

	it('has no transaction code when no line is taxable', () => {
		expect(resolve([rate('1002'), rate(null)])).toEqual({ lines: [{ taxCodeId: 'NON' }, { taxCodeId: 'NON' }], txnTaxCodeId: null });
	});

	it('leaves the transaction code to QuickBooks with Automated Sales Tax but still marks lines', () => {
		expect(resolve([rate('1001'), rate('1002')], US_AST)).toEqual({ lines: [{ taxCodeId: 'TAX' }, { taxCodeId: 'NON' }], txnTaxCodeId: null });
	});

	it('refuses taxable lines mapped to different codes with TAX_CODE_CONFLICT', () => {
		const error = resolve([rate('1001'), rate(null, 'Reduced Rate (5%)')]) as SyncError;
		expect(error).toBeInstanceOf(SyncError);
		expect(error.code).toBe('TAX_CODE_CONFLICT');
		expect(error.message).toBe('Invoice INV-1: its taxable lines map to different QuickBooks tax codes ("Code 3" (3), "Code 7" (7)); a US invoice takes one sales tax code');
	});

	it('accepts the TAX/NON pseudo codes without asking QuickBooks', () => {
		const plan = planInvoiceTax('INV-1', [rate('1002'), rate('9')], { mappings: [{ hubspotTaxRate: '9', quickbooksTaxCodeId: 'TAX' }, { hubspotTaxRate: '1002', quickbooksTaxCodeId: 'NON' }], unmappedPolicy: 'error' }, US);
		expect(codesToVerify(plan, US)).toEqual([]);
		expect(finishInvoiceTax('INV-1', plan as never, US, new Map())).toEqual({ lines: [{ taxCodeId: 'NON' }, { taxCodeId: 'TAX' }], txnTaxCodeId: null });
	});
});

describe('unmapped rates', () => {
	it('fail with TAX_CODE_NOT_FOUND listing every unmapped rate once (default)', () => {
		const error = resolve([rate('1003', 'NY Sales Tax (8.875%)'), rate('1004'), rate('1003', 'NY Sales Tax (8.875%)')]) as SyncError;
		expect(error.code).toBe('TAX_CODE_NOT_FOUND');
		expect(error.message).toBe('Invoice INV-1: HubSpot tax rate 1003 "NY Sales Tax (8.875%)", 1004 has no usable QuickBooks tax code (it is not in the Tax Map)');
		expect(error.hint).toMatch(/Add a mapping for this tax rate in the Tax Map node/);
		expect(error.details).toMatchObject({ unmappedTaxRates: ['1003 "NY Sales Tax (8.875%)"', '1004'] });
	});

	it('use the default code when the policy says so', () => {
		expect(resolve([rate('1003')], US, { unmappedPolicy: 'useDefault', defaultTaxCodeId: '3' })).toEqual({ lines: [{ taxCodeId: 'TAX' }], txnTaxCodeId: '3' });
		expect(resolve([rate('1003')], CA, { unmappedPolicy: 'useDefault', defaultTaxCodeId: '7' })).toEqual({ lines: [{ taxCodeId: '7' }], txnTaxCodeId: null });
	});

	it('become non-taxable when the policy says so (US NON; elsewhere the code for lines without tax)', () => {
		expect(resolve([rate('1003')], US, { unmappedPolicy: 'nonTaxable' })).toEqual({ lines: [{ taxCodeId: 'NON' }], txnTaxCodeId: null });
		expect(resolve([rate('1003')], CA, { unmappedPolicy: 'nonTaxable', noTaxCodeId: '7' })).toEqual({ lines: [{ taxCodeId: '7' }], txnTaxCodeId: null });
		expect((resolve([rate('1003')], CA, { unmappedPolicy: 'nonTaxable' }) as SyncError).code).toBe('TAX_CODE_NOT_FOUND');
	});
});

describe('non-US companies', () => {
	it('give every line its mapped code id', () => {
		expect(resolve([rate('1001'), rate(null, 'reduced rate (5%)')], CA)).toEqual({ lines: [{ taxCodeId: '3' }, { taxCodeId: '7' }], txnTaxCodeId: null });
	});

	it('give lines without a rate the "Code for Lines Without Tax"', () => {
		expect(resolve([rate(null), rate('1001')], CA, { noTaxCodeId: '7' })).toEqual({ lines: [{ taxCodeId: '7' }, { taxCodeId: '3' }], txnTaxCodeId: null });
	});

	it('fail naming the line when a line has no rate and no such code is set', () => {
		const plan = planInvoiceTax('INV-2', [{ taxRateId: '1001', name: 'Widget' }, { taxRateId: null, name: 'Cable Kit' }], settings(), CA);
		const error = (plan as { error: SyncError }).error;
		expect(error.code).toBe('TAX_CODE_NOT_FOUND');
		expect(error.message).toBe(
			'Invoice INV-2: HubSpot tax rate (none) on line 2 "Cable Kit" has no usable QuickBooks tax code: a CA QuickBooks company needs a tax code on every line; set the Tax Map option "Code for Lines Without Tax"',
		);
	});
});

describe('QuickBooks codes that cannot be used', () => {
	it('reject inactive and missing codes with TAX_CODE_NOT_FOUND saying which', () => {
		const inactive = resolve([rate('1001')], US, {}, codes({ id: '3', name: 'CA Sales Tax', active: false })) as SyncError;
		expect(inactive.message).toBe('Invoice INV-1: HubSpot tax rate 1001 has no usable QuickBooks tax code (the mapped QuickBooks tax code "CA Sales Tax" (3) is inactive)');
		const missing = resolve([rate('1001')], CA, {}, new Map()) as SyncError;
		expect(missing.message).toBe('Invoice INV-1: HubSpot tax rate 1001 has no usable QuickBooks tax code (the mapped QuickBooks tax code 3 does not exist)');
		expect(missing.details).toEqual({ taxCodes: [{ taxRate: '1001', taxCodeId: '3', problem: 'missing' }] });
		const defaultMissing = resolve([rate('1003')], CA, { unmappedPolicy: 'useDefault', defaultTaxCodeId: '99' }) as SyncError;
		expect(defaultMissing.message).toMatch(/the default QuickBooks tax code 99 does not exist/);
	});
});

describe('settings', () => {
	const read = (overrides: Record<string, unknown> = {}) =>
		readTaxMapSettings({ mappings: [{ hubspotTaxRate: ' 1001 ', quickbooksTaxCode: '3' }, { hubspotTaxRate: '', quickbooksTaxCode: '' }], unmappedPolicy: 'error', defaultTaxCode: '', options: {}, ...overrides });

	it('reads the mapping rows, trimmed, skipping empty rows', () => {
		expect(read()).toEqual({ mappings: [{ hubspotTaxRate: '1001', quickbooksTaxCodeId: '3' }], unmappedPolicy: 'error' });
		expect(read({ options: { noTaxCode: '6' } })).toMatchObject({ noTaxCodeId: '6' });
	});

	it('explains incomplete or contradictory configuration', () => {
		expect(read({ unmappedPolicy: 'useDefault' })).toBe('Unmapped Tax Rates is "Use Default Code" but no Default Tax Code is chosen');
		expect(read({ mappings: [{ hubspotTaxRate: '1001', quickbooksTaxCode: '' }] })).toMatch(/Tax mapping 1 \(HubSpot tax rate 1001\) has no QuickBooks tax code/);
		expect(read({ mappings: [{ hubspotTaxRate: '', quickbooksTaxCode: '3' }] })).toMatch(/has no HubSpot tax rate/);
		expect(read({ mappings: [{ hubspotTaxRate: '1001', quickbooksTaxCode: '3' }, { hubspotTaxRate: '1001', quickbooksTaxCode: '5' }] })).toMatch(/mapped twice/);
		expect(read({ unmappedPolicy: 'useDefault', defaultTaxCode: '3' })).toMatchObject({ defaultTaxCodeId: '3' });
	});
});
