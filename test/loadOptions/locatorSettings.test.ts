/**
 * Reading the QuickBooks resource locator parameters into settings: the locator value n8n saves
 * (`{ __rl: true, mode, value }`, "From List" or "By ID"), and the plain Id string a workflow saved
 * while these parameters were dropdowns.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { toUpsertOptions } from '../../package/nodes/QuickBooksInvoiceUpsert/settings';
import { readSettings as readSkuMatchSettings, type MatchSettings } from '../../package/nodes/SkuMatch/settings';
import { readTaxMapSettings } from '../../package/nodes/TaxMap/settings';
import { locatorValue } from '../../package/nodes/shared/parameters';

const fromList = (value: string) => ({ __rl: true, mode: 'list', value, cachedResultName: `Record ${value}` });
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** An execute context holding `parameters` (only what readSettings uses). */
function contextWith(parameters: Record<string, unknown>): IExecuteFunctions {
	const context: Pick<IExecuteFunctions, 'getNodeParameter' | 'getNode'> = {
		getNodeParameter: ((name: string, _itemIndex: number, fallback?: unknown) => (name in parameters ? parameters[name] : fallback)) as IExecuteFunctions['getNodeParameter'],
		getNode: () => ({ id: '1', name: 'Node', type: 'skuMatch', typeVersion: 1, position: [0, 0], parameters: {} }),
	};
	return context as IExecuteFunctions;
}

describe('locatorValue', () => {
	it.each([
		['"From List"', fromList('42'), '42'],
		['"By ID", spaces trimmed', byId(' 42 '), '42'],
		['an old workflow\'s plain string', '42', '42'],
		['a number from an expression', 42, '42'],
		['an empty locator (the default)', { mode: 'list', value: '' }, ''],
		['nothing', undefined, ''],
		['an object that is no locator', { id: '42' }, ''],
	])('%s', (_label, value, expected) => {
		expect(locatorValue(value)).toBe(expected);
	});
});

describe('SKU Match reads its product and account locators', () => {
	const read = (parameters: Record<string, unknown>) => readSkuMatchSettings(contextWith({ operation: 'matchInvoiceLines', ...parameters })) as MatchSettings;

	it('the fallback product, from the list or by ID', () => {
		expect(read({ ifNotFound: 'useFallback', fallbackItemId: fromList('17') }).fallbackItemId).toBe('17');
		expect(read({ ifNotFound: 'useFallback', fallbackItemId: byId('18') }).fallbackItemId).toBe('18');
	});

	it('the income and expense accounts of created products', () => {
		expect(read({ ifNotFound: 'create', incomeAccountId: fromList('79'), expenseAccountId: byId('80') })).toMatchObject({ incomeAccountId: '79', expenseAccountId: '80' });
	});

	it('an old workflow with plain Id strings reads the same', () => {
		expect(read({ ifNotFound: 'useFallback', fallbackItemId: '17' }).fallbackItemId).toBe('17');
		expect(read({ ifNotFound: 'create', incomeAccountId: '79', expenseAccountId: '80' })).toMatchObject({ incomeAccountId: '79', expenseAccountId: '80' });
	});
});

describe('Tax Map reads its tax code locators', () => {
	it('mapping rows, the default code and the code for lines without tax', () => {
		expect(
			readTaxMapSettings({
				mappings: [
					{ hubspotTaxRate: '1001', quickbooksTaxCode: fromList('5') },
					{ hubspotTaxRate: '1002', quickbooksTaxCode: byId('NON') },
				],
				unmappedPolicy: 'useDefault',
				defaultTaxCode: byId('6'),
				options: { noTaxCode: fromList('8') },
			}),
		).toEqual({
			mappings: [
				{ hubspotTaxRate: '1001', quickbooksTaxCodeId: '5' },
				{ hubspotTaxRate: '1002', quickbooksTaxCodeId: 'NON' },
			],
			unmappedPolicy: 'useDefault',
			defaultTaxCodeId: '6',
			noTaxCodeId: '8',
		});
	});

	it('an old workflow with plain Id strings reads the same', () => {
		expect(
			readTaxMapSettings({ mappings: [{ hubspotTaxRate: '1001', quickbooksTaxCode: '5' }], unmappedPolicy: 'useDefault', defaultTaxCode: '6', options: { noTaxCode: '8' } }),
		).toEqual({ mappings: [{ hubspotTaxRate: '1001', quickbooksTaxCodeId: '5' }], unmappedPolicy: 'useDefault', defaultTaxCodeId: '6', noTaxCodeId: '8' });
	});

	it('an empty locator is no choice: "Use Default Code" without a code is refused, a row without a code too', () => {
		expect(readTaxMapSettings({ mappings: [], unmappedPolicy: 'useDefault', defaultTaxCode: { __rl: true, mode: 'list', value: '' }, options: {} })).toBe(
			'Unmapped Tax Rates is "Use Default Code" but no Default Tax Code is chosen',
		);
		expect(readTaxMapSettings({ mappings: [{ hubspotTaxRate: '1001', quickbooksTaxCode: byId('') }], unmappedPolicy: 'error', defaultTaxCode: '', options: {} })).toBe(
			'Tax mapping 1 (HubSpot tax rate 1001) has no QuickBooks tax code: choose one or remove the mapping',
		);
	});
});

describe('QuickBooks Invoice Upsert reads its Fee Item locator', () => {
	it('from the list, by ID, or an old plain string; the empty default is no product', () => {
		expect(toUpsertOptions({ feeItemId: fromList('33') }).feeItemId).toBe('33');
		expect(toUpsertOptions({ feeItemId: byId('34') }).feeItemId).toBe('34');
		expect(toUpsertOptions({ feeItemId: '35' }).feeItemId).toBe('35');
		expect(toUpsertOptions({ feeItemId: { mode: 'list', value: '' } }).feeItemId).toBe('');
	});
});
