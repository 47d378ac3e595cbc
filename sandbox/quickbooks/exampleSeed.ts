/**
 * A small, fixed pair of companies for the simulator's own tests and as an example of the seed
 * format (the demo data set lives in sandbox/dataset). Covers what the rules need: accounts, tax
 * rates and codes, active and inactive items and customers, an existing invoice, a vendor and an
 * employee sharing the name space with customers, a closed period, and a non-US (Canadian) company.
 */
import type { QboCompanySeed } from './state';

export const EXAMPLE_US_REALM = '9130000000000001';
export const EXAMPLE_CA_REALM = '9130000000000002';
export const EXAMPLE_CLIENT = { clientId: 'sandbox-qbo-client', clientSecret: 'sandbox-qbo-secret' };

export function exampleUsCompany(): QboCompanySeed {
	return {
		realmId: EXAMPLE_US_REALM,
		companyInfo: {
			CompanyName: 'Sandbox Trading Co (US)',
			LegalName: 'Sandbox Trading Co LLC',
			Country: 'US',
			CompanyAddr: { Line1: '1 Market St', City: 'San Francisco', CountrySubDivisionCode: 'CA', PostalCode: '94105', Country: 'US' },
			SupportedLanguages: 'en',
		},
		preferences: {
			TaxPrefs: { UsingSalesTax: true, PartnerTaxEnabled: false },
			CurrencyPrefs: { MultiCurrencyEnabled: false, HomeCurrency: { value: 'USD' } },
			AccountingInfoPrefs: { BookCloseDate: '2025-12-31' },
			SalesFormsPrefs: { CustomTxnNumbers: true },
		},
		entities: {
			Account: [
				{ Id: '1', Name: 'Sales of Product Income', AccountType: 'Income', AccountSubType: 'SalesOfProductIncome' },
				{ Id: '2', Name: 'Services', AccountType: 'Income', AccountSubType: 'ServiceFeeIncome' },
				{ Id: '3', Name: 'Old Income', AccountType: 'Income', Active: false },
			],
			TaxRate: [{ Id: '1', Name: 'California', RateValue: 8.25, AgencyRef: { value: '1' } }],
			TaxCode: [
				{
					Id: '2',
					Name: 'California',
					Taxable: true,
					TaxGroup: false,
					SalesTaxRateList: { TaxRateDetail: [{ TaxRateRef: { value: '1', name: 'California' }, TaxTypeApplicable: 'TaxOnAmount', TaxOrder: 0 }] },
				},
			],
			Item: [
				{ Id: '1', Name: 'Widget', Sku: 'WID-001', Type: 'NonInventory', UnitPrice: 10, IncomeAccountRef: { value: '1' }, Taxable: true },
				{ Id: '2', Name: 'Consulting Hour', Sku: 'CONS-HR', Type: 'Service', UnitPrice: 150, IncomeAccountRef: { value: '2' } },
				{ Id: '3', Name: 'Retired Gadget', Sku: 'OLD-001', Type: 'NonInventory', UnitPrice: 5, IncomeAccountRef: { value: '1' }, Active: false },
				{ Id: '4', Name: 'widget (lowercase sku)', Sku: 'wid-001', Type: 'NonInventory', UnitPrice: 10, IncomeAccountRef: { value: '1' } },
			],
			Customer: [
				{ Id: '1', DisplayName: 'Acme Corp', CompanyName: 'Acme Corp', PrimaryEmailAddr: { Address: 'billing@acme.example' } },
				{ Id: '2', DisplayName: "Pat O'Brien", GivenName: 'Pat', FamilyName: "O'Brien", PrimaryEmailAddr: { Address: 'pat@obrien.example' } },
				{ Id: '3', DisplayName: 'Gone Away Ltd', PrimaryEmailAddr: { Address: 'old@gone.example' }, Active: false },
				{ Id: '4', DisplayName: 'Back\\slash Studio', PrimaryEmailAddr: { Address: 'hi@backslash.example' } },
			],
			Vendor: [{ Id: '1', DisplayName: 'Paper Supplier Inc' }],
			Employee: [{ Id: '1', DisplayName: 'Jane Employee', GivenName: 'Jane', FamilyName: 'Employee' }],
			Invoice: [
				{
					Id: '1',
					DocNumber: 'INV-1001',
					TxnDate: '2026-01-15',
					DueDate: '2026-02-14',
					CustomerRef: { value: '1', name: 'Acme Corp' },
					PrivateNote: 'HubSpot invoice 5001',
					Line: [
						{ Id: '1', LineNum: 1, Amount: 20, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1', name: 'Widget' }, Qty: 2, UnitPrice: 10, TaxCodeRef: { value: 'NON' } } },
						{ Amount: 20, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
					],
					TxnTaxDetail: { TotalTax: 0 },
					TotalAmt: 20,
					Balance: 20,
					CurrencyRef: { value: 'USD', name: 'United States Dollar' },
				},
			],
		},
	};
}

export function exampleCanadianCompany(): QboCompanySeed {
	return {
		realmId: EXAMPLE_CA_REALM,
		companyInfo: { CompanyName: 'Sandbox Trading Co (Canada)', Country: 'CA', CompanyAddr: { City: 'Toronto', CountrySubDivisionCode: 'ON', Country: 'CA' } },
		preferences: {
			TaxPrefs: { UsingSalesTax: true, PartnerTaxEnabled: false },
			CurrencyPrefs: { MultiCurrencyEnabled: false, HomeCurrency: { value: 'CAD' } },
			AccountingInfoPrefs: {},
		},
		entities: {
			Account: [{ Id: '1', Name: 'Sales', AccountType: 'Income' }],
			TaxRate: [{ Id: '1', Name: 'HST ON', RateValue: 13 }, { Id: '2', Name: 'Exempt', RateValue: 0 }],
			TaxCode: [
				{ Id: '5', Name: 'HST ON', Taxable: true, SalesTaxRateList: { TaxRateDetail: [{ TaxRateRef: { value: '1' }, TaxOrder: 0 }] } },
				{ Id: '6', Name: 'Exempt', Taxable: false, SalesTaxRateList: { TaxRateDetail: [{ TaxRateRef: { value: '2' }, TaxOrder: 0 }] } },
			],
			Item: [{ Id: '1', Name: 'Maple Widget', Sku: 'MAP-001', Type: 'NonInventory', UnitPrice: 12.5, IncomeAccountRef: { value: '1' } }],
			Customer: [{ Id: '1', DisplayName: 'Northern Goods', PrimaryEmailAddr: { Address: 'ap@northern.example' } }],
		},
	};
}
