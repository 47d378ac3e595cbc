import nock from 'nock';

import { blockExternalNetwork } from '../harness';
import {
	COMPANY_PATH,
	REALM,
	batchItems,
	fault,
	invoiceItem,
	mockQuickBooks,
	queryResponse,
	runNode,
	type RecordedRequest,
} from '../kit';

const NODE = 'taxMap';

beforeAll(() => blockExternalNetwork());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

interface Company {
	country: string;
	ast?: boolean;
	taxCodes: Array<Record<string, unknown>>;
	taxRates?: Array<Record<string, unknown>>;
}

const taxCode = (Id: string, Name: string, rateIds: string[] = [], extra: Record<string, unknown> = {}) => ({
	Id,
	Name,
	Active: true,
	Taxable: true,
	SalesTaxRateList: { TaxRateDetail: rateIds.map((value) => ({ TaxRateRef: { value } })) },
	...extra,
});

const US_COMPANY: Company = {
	country: 'US',
	taxCodes: [
		taxCode('TAX', 'TAX'),
		taxCode('NON', 'NON', [], { Taxable: false }),
		taxCode('3', 'CA Sales Tax', ['3']),
		taxCode('4', 'NYC Sales Tax', ['4']),
		taxCode('5', 'Out of State', ['5']),
		taxCode('9', 'Old Code', ['3'], { Active: false }),
	],
	taxRates: [
		{ Id: '3', Name: 'CA', RateValue: 7.25 },
		{ Id: '4', Name: 'NYC', RateValue: 8.875 },
		{ Id: '5', Name: 'Zero', RateValue: 0 },
	],
};

const CA_COMPANY: Company = {
	country: 'CA',
	taxCodes: [taxCode('5', 'HST ON', ['5']), taxCode('6', 'Exempt', ['6'], { Taxable: false }), taxCode('7', 'GST', ['7']), taxCode('8', 'Zero-rated', ['8'])],
};

/** Ids named in `Id IN (...)`, unescaped. */
function idsOf(query: string): string[] {
	const match = /Id IN \((.*?)\) AND/.exec(query);
	return match ? [...match[1].matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1].replace(/\\(.)/g, '$1')) : [];
}

function mockCompany(company: Company): RecordedRequest[] {
	const codeRows = (query: string) => company.taxCodes.filter((code) => idsOf(query).some((id) => id.toLowerCase() === String(code.Id).toLowerCase()));
	return mockQuickBooks((request) => {
		if (request.path === `${COMPANY_PATH}/companyinfo/${REALM}`) return { body: { CompanyInfo: { CompanyName: 'Test Co', Country: company.country } } };
		if (request.path === `${COMPANY_PATH}/preferences`) {
			return { body: { Preferences: { TaxPrefs: { UsingSalesTax: true, PartnerTaxEnabled: company.ast === true } } } };
		}
		if (request.path === `${COMPANY_PATH}/query`) return { body: queryResponse('TaxCode', codeRows(String(request.body))) };
		if (request.path === `${COMPANY_PATH}/batch`) {
			return {
				body: {
					BatchItemResponse: batchItems(request).map((item) =>
						/FROM TaxRate/.test(item.Query)
							? { bId: item.bId, ...(queryResponse('TaxRate', company.taxRates ?? []) as object) }
							: { bId: item.bId, ...(queryResponse('TaxCode', codeRows(item.Query)) as object) },
					),
				},
			};
		}
		return undefined;
	});
}

const mappings = (...pairs: Array<[string, string]>) => ({ mapping: pairs.map(([hubspotTaxRate, quickbooksTaxCode]) => ({ hubspotTaxRate, quickbooksTaxCode })) });
const DEMO_MAPPING = mappings(['1001', '3'], ['1002', 'NON']);
const params = (extra: Record<string, unknown> = {}) => ({ hubspotAuthentication: 'none', mappings: DEMO_MAPPING, ...extra });

const line = (taxRateId: string | null, taxLabel: string | null = null, name = 'Widget') => ({ taxRateId, taxLabel, name });

const usBatchQueries = (...ids: string[]) => [
	`SELECT * FROM TaxCode WHERE Id IN (${ids.join(', ')}) AND Active IN (true, false) MAXRESULTS 1000`,
	'SELECT * FROM TaxRate MAXRESULTS 1000',
];

describe('Tax Map: US companies', () => {
	it('marks lines TAX/NON, sets the invoice\'s sales tax code, and reads the tax model once', async () => {
		const requests = mockCompany(US_COMPANY);
		const result = await runNode(NODE, params(), [
			invoiceItem({ lines: [line('1001', 'CA Sales Tax (7.25%)'), line('1002', 'Exempt (0%)'), line(null)] }),
			invoiceItem({ lines: [line('1002')] }),
		]);
		expect(result.errors).toEqual([]);
		expect(result.main.map((json: any) => json.quickbooks)).toEqual([
			{ lines: [{ taxCodeId: 'TAX' }, { taxCodeId: 'NON' }, { taxCodeId: 'NON' }], txnTaxCodeId: '3' },
			{ lines: [{ taxCodeId: 'NON' }], txnTaxCodeId: null },
		]);
		expect(requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
			[`GET ${COMPANY_PATH}/companyinfo/${REALM}`, `GET ${COMPANY_PATH}/preferences`, `POST ${COMPANY_PATH}/batch`].sort(),
		);
		const batch = requests.find((r) => r.path.endsWith('/batch'))!;
		expect(batchItems(batch).map((item) => item.Query)).toEqual(usBatchQueries("'3'"));
	});

	it('keeps the customer and item parts of earlier nodes, line by line', async () => {
		mockCompany(US_COMPANY);
		const input = invoiceItem({ lines: [line('1001'), line('1002')] }, { quickbooks: { customer: { id: '1', displayName: 'Acme', created: false }, lines: [{ itemId: '11' }, { itemId: '12' }] } });
		const result = await runNode(NODE, params(), [input]);
		expect(result.main[0].quickbooks).toEqual({
			customer: { id: '1', displayName: 'Acme', created: false },
			lines: [{ itemId: '11', taxCodeId: 'TAX' }, { itemId: '12', taxCodeId: 'NON' }],
			txnTaxCodeId: '3',
		});
	});

	it('treats a line mapped to a 0 % code as NON', async () => {
		mockCompany(US_COMPANY);
		const result = await runNode(NODE, params({ mappings: mappings(['1001', '3'], ['2000', '5']) }), [invoiceItem({ lines: [line('2000'), line('1001')] })]);
		expect(result.main[0].quickbooks).toEqual({ lines: [{ taxCodeId: 'NON' }, { taxCodeId: 'TAX' }], txnTaxCodeId: '3' });
	});

	it('with Automated Sales Tax marks lines but leaves the sales tax code to QuickBooks', async () => {
		mockCompany({ ...US_COMPANY, ast: true });
		const result = await runNode(NODE, params(), [invoiceItem({ lines: [line('1001'), line('1002')] })]);
		expect(result.main[0].quickbooks).toEqual({ lines: [{ taxCodeId: 'TAX' }, { taxCodeId: 'NON' }], txnTaxCodeId: null });
	});

	it('fails an invoice whose taxable lines map to different codes with TAX_CODE_CONFLICT', async () => {
		mockCompany(US_COMPANY);
		const result = await runNode(NODE, params({ mappings: mappings(['1001', '3'], ['1003', '4']) }), [
			invoiceItem({ number: 'INV-C', lines: [line('1001'), line('1003')] }),
			invoiceItem({ lines: [line('1001')] }),
		]);
		expect(result.main).toHaveLength(1);
		expect((result.errors[0] as any).error).toMatchObject({
			code: 'TAX_CODE_CONFLICT',
			message: 'Invoice INV-C: its taxable lines map to different QuickBooks tax codes ("CA Sales Tax" (3), "NYC Sales Tax" (4)); a US invoice takes one sales tax code',
		});
	});

	it('asks QuickBooks nothing beyond the tax model when only TAX/NON are mapped', async () => {
		const requests = mockCompany(US_COMPANY);
		const result = await runNode(NODE, params({ mappings: mappings(['1001', 'TAX'], ['1002', 'NON']) }), [invoiceItem({ lines: [line('1001'), line('1002')] })]);
		expect(result.main[0].quickbooks).toEqual({ lines: [{ taxCodeId: 'TAX' }, { taxCodeId: 'NON' }], txnTaxCodeId: null });
		expect(requests).toHaveLength(2);
	});
});

describe('Tax Map: unmapped rates', () => {
	it('fail with TAX_CODE_NOT_FOUND by default (hint: add the mapping in Tax Map) while other invoices pass', async () => {
		mockCompany(US_COMPANY);
		const result = await runNode(NODE, params(), [
			invoiceItem({ number: 'INV-1019', lines: [line('1001'), line('1003', 'NY Sales Tax (8.875%)')] }),
			invoiceItem({ lines: [line('1001')] }),
		]);
		expect(result.main).toHaveLength(1);
		expect((result.errors[0] as any).invoice.number).toBe('INV-1019');
		expect((result.errors[0] as any).error).toMatchObject({
			code: 'TAX_CODE_NOT_FOUND',
			message: 'Invoice INV-1019: HubSpot tax rate 1003 "NY Sales Tax (8.875%)" has no usable QuickBooks tax code (it is not in the Tax Map)',
			hint: 'Add a mapping for this tax rate in the Tax Map node (or choose a default for unmapped rates), then retry.',
			retryable: false,
		});
	});

	it('use the default code with "Use Default Code"', async () => {
		const requests = mockCompany(US_COMPANY);
		const result = await runNode(NODE, params({ unmappedTaxRates: 'useDefault', defaultTaxCode: '3' }), [invoiceItem({ lines: [line('1003')] })]);
		expect(result.main[0].quickbooks).toEqual({ lines: [{ taxCodeId: 'TAX' }], txnTaxCodeId: '3' });
		expect(batchItems(requests.find((r) => r.path.endsWith('/batch'))!)[0].Query).toBe(usBatchQueries("'3'")[0]);
	});

	it('become NON with "Mark Non-Taxable"', async () => {
		mockCompany(US_COMPANY);
		const result = await runNode(NODE, params({ unmappedTaxRates: 'nonTaxable' }), [invoiceItem({ lines: [line('1003'), line('1001')] })]);
		expect(result.main[0].quickbooks).toEqual({ lines: [{ taxCodeId: 'NON' }, { taxCodeId: 'TAX' }], txnTaxCodeId: '3' });
	});

	it('refuse to run "Use Default Code" without a code (n8n\'s required check, and ours for empty expressions)', async () => {
		mockCompany(US_COMPANY);
		await expect(runNode(NODE, params({ unmappedTaxRates: 'useDefault' }), [invoiceItem()])).rejects.toThrow(/"Default Tax Code" is required/);
		const result = await runNode(NODE, params({ unmappedTaxRates: 'useDefault', defaultTaxCode: '={{ "" }}' }), [invoiceItem()]);
		expect(result.run.status).toBe('error');
		expect(result.nodeError('Node Under Test')?.message).toBe('Unmapped Tax Rates is "Use Default Code" but no Default Tax Code is chosen');
	});

	it('runs with the default HubSpot authentication and no HubSpot credential (HubSpot only feeds the dropdown)', async () => {
		mockCompany(US_COMPANY);
		const result = await runNode(NODE, { mappings: DEMO_MAPPING }, [invoiceItem({ lines: [line('1002')] })]);
		expect(result.main).toHaveLength(1);
	});
});

describe('Tax Map: QuickBooks codes are verified', () => {
	it('fails invoices mapped to an inactive or missing code with TAX_CODE_NOT_FOUND, in one lookup', async () => {
		const requests = mockCompany(US_COMPANY);
		const result = await runNode(NODE, params({ mappings: mappings(['1001', '9'], ['1003', '42'], ['1002', 'NON']) }), [
			invoiceItem({ number: 'INV-A', lines: [line('1001')] }),
			invoiceItem({ number: 'INV-B', lines: [line('1003')] }),
			invoiceItem({ number: 'INV-OK', lines: [line('1002')] }),
		]);
		expect(result.main.map((json: any) => json.invoice.number)).toEqual(['INV-OK']);
		expect(result.errors.map((json: any) => json.error.message)).toEqual([
			'Invoice INV-A: HubSpot tax rate 1001 has no usable QuickBooks tax code (the mapped QuickBooks tax code "Old Code" (9) is inactive)',
			'Invoice INV-B: HubSpot tax rate 1003 has no usable QuickBooks tax code (the mapped QuickBooks tax code 42 does not exist)',
		]);
		expect(result.errors.map((json: any) => json.error.code)).toEqual(['TAX_CODE_NOT_FOUND', 'TAX_CODE_NOT_FOUND']);
		const batches = requests.filter((r) => r.path.endsWith('/batch'));
		expect(batches).toHaveLength(1);
		expect(batchItems(batches[0]).map((item) => item.Query)).toEqual(usBatchQueries("'9'", "'42'"));
	});

	it('escapes hostile code ids and matches hostile rate labels literally', async () => {
		const requests = mockCompany({ ...CA_COMPANY, taxCodes: [...CA_COMPANY.taxCodes, taxCode("7'\\x", 'Odd')] });
		const label = 'TVA réduite 🇫🇷 "5,5%" \\ l\'État';
		const result = await runNode(NODE, params({ mappings: mappings([label, "7'\\x"], ['1001', "5' OR Name = 'x"]) }), [
			invoiceItem({ lines: [line('77', label)] }),
			invoiceItem({ lines: [line('1001')] }),
		]);
		expect(requests.find((r) => r.path.endsWith('/query'))!.body).toBe(
			"SELECT * FROM TaxCode WHERE Id IN ('7\\'\\\\x', '5\\' OR Name = \\'x') AND Active IN (true, false) STARTPOSITION 1 MAXRESULTS 1000",
		);
		expect(result.main.map((json: any) => json.quickbooks.lines[0].taxCodeId)).toEqual(["7'\\x"]);
		expect((result.errors[0] as any).error.message).toMatch(/tax code 5' OR Name = 'x does not exist/);
	});

	it('fails only the invoices that needed the lookup when it is rejected', async () => {
		mockQuickBooks((request) => {
			if (request.path.includes('/companyinfo/')) return { body: { CompanyInfo: { Country: 'US' } } };
			if (request.path.endsWith('/preferences')) return { body: { Preferences: { TaxPrefs: {} } } };
			return { status: 400, body: fault('4000', 'Error parsing query', 'QueryParserError: Encountered " <ID> "x" "') };
		});
		const result = await runNode(NODE, params(), [invoiceItem({ lines: [line('1001')] }), invoiceItem({ lines: [line('1002')] })]);
		expect(result.main.map((json: any) => json.quickbooks.lines)).toEqual([[{ taxCodeId: 'NON' }]]);
		expect((result.errors[0] as any).error.code).toBe('QUICKBOOKS_VALIDATION');
	});
});

describe('Tax Map: non-US companies', () => {
	const CA_MAPPING = mappings(['1001', '5'], ['1002', '6'], ['1003', '7']);

	it('gives every line a TaxCode id and no transaction code, checking the codes with one /query', async () => {
		const requests = mockCompany(CA_COMPANY);
		const result = await runNode(NODE, params({ mappings: CA_MAPPING, options: { noTaxCode: '8' } }), [
			invoiceItem({ currency: 'CAD', lines: [line('1001'), line('1002'), line('1003'), line(null)] }),
		]);
		expect(result.main[0].quickbooks).toEqual({
			lines: [{ taxCodeId: '5' }, { taxCodeId: '6' }, { taxCodeId: '7' }, { taxCodeId: '8' }],
			txnTaxCodeId: null,
		});
		const query = requests.find((r) => r.path.endsWith('/query'))!;
		expect(query.body).toBe("SELECT * FROM TaxCode WHERE Id IN ('5', '6', '7', '8') AND Active IN (true, false) STARTPOSITION 1 MAXRESULTS 1000");
		expect(requests).toHaveLength(3);
	});

	it('fails a line without a tax rate when "Code for Lines Without Tax" is not set, naming the line', async () => {
		mockCompany(CA_COMPANY);
		const result = await runNode(NODE, params({ mappings: CA_MAPPING }), [invoiceItem({ number: 'INV-CA', lines: [line('1001'), line(null, null, 'Cable Kit')] })]);
		expect((result.errors[0] as any).error).toMatchObject({
			code: 'TAX_CODE_NOT_FOUND',
			message: expect.stringContaining('(none) on line 2 "Cable Kit"'),
		});
	});
});

describe('Tax Map: efficiency and robustness', () => {
	it('maps 100 invoices over 10 tax rates with 3 QuickBooks requests', async () => {
		const requests = mockCompany({
			...US_COMPANY,
			taxCodes: [...US_COMPANY.taxCodes, ...Array.from({ length: 10 }, (_, index) => taxCode(String(100 + index), `Code ${index}`, ['3']))],
		});
		const rows = mappings(...Array.from({ length: 10 }, (_, index): [string, string] => [String(2000 + index), String(100 + index)]));
		const input = Array.from({ length: 100 }, (_, index) => invoiceItem({ lines: [line(String(2000 + (index % 10))), line(null)] }));
		const result = await runNode(NODE, params({ mappings: rows }), input);
		expect(result.main).toHaveLength(100);
		expect((result.main[37] as any).quickbooks).toEqual({ lines: [{ taxCodeId: 'TAX' }, { taxCodeId: 'NON' }], txnTaxCodeId: '107' });
		expect(requests).toHaveLength(3);
	});

	it('puts an item that is not an invoice on the error output with INVALID_INPUT', async () => {
		mockCompany(US_COMPANY);
		const result = await runNode(NODE, params(), [{ invoice: { number: 5 } }, invoiceItem({ lines: [line('1002')] })]);
		expect((result.errors[0] as any).error.code).toBe('INVALID_INPUT');
		expect(result.main).toHaveLength(1);
	});
});
