/** Builds QuickBooks Online entities (API JSON shape) and the two demo companies' settings. */
import type { QboCompanySeed } from '../quickbooks';
import { formatCents, lineAmountCents, taxCents } from './money';

export const US_REALM_ID = '9130357766410001';
export const CA_REALM_ID = '9130357766410002';

const meta = (at: string) => ({ CreateTime: at, LastUpdatedTime: at });

/** Drops undefined fields so records look like QBO's JSON (absent, not null). */
function compact<T extends Record<string, unknown>>(record: T): T {
	for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
	return record;
}
const money = (cents: number) => Number(formatCents(cents));

export interface QboCompanyOptions {
	realmId: string;
	country: 'US' | 'CA';
	companyName: string;
	bookCloseDate: string;
	at: string;
	/** Multicurrency turned on (customers and invoices carry their own currency). */
	multiCurrency?: boolean;
}

export function companyInfo(o: QboCompanyOptions) {
	const us = o.country === 'US';
	const addr = us
		? { Id: '1', Line1: '2700 Coast Ave', City: 'Mountain View', CountrySubDivisionCode: 'CA', PostalCode: '94043', Country: 'US' }
		: { Id: '1', Line1: '100 King St W', City: 'Toronto', CountrySubDivisionCode: 'ON', PostalCode: 'M5X 1A9', Country: 'CA' };
	return {
		Id: '1',
		SyncToken: '0',
		CompanyName: o.companyName,
		LegalName: `${o.companyName} (sandbox)`,
		CompanyAddr: addr,
		LegalAddr: addr,
		CustomerCommunicationAddr: addr,
		Country: o.country,
		Email: { Address: us ? 'books@sandbox-us.example' : 'books@sandbox-ca.example' },
		WebAddr: {},
		FiscalYearStartMonth: 'January',
		SupportedLanguages: 'en',
		CompanyStartDate: '2020-01-01',
		NameValue: [{ Name: 'OfferingSku', Value: 'QuickBooks Online Plus' }],
		MetaData: meta(o.at),
	};
}

export function preferences(o: QboCompanyOptions) {
	const us = o.country === 'US';
	const currency = us ? { value: 'USD', name: 'United States Dollar' } : { value: 'CAD', name: 'Canadian Dollar' };
	return {
		Id: '1',
		SyncToken: '0',
		AccountingInfoPrefs: {
			TrackDepartments: false,
			ClassTrackingPerTxn: false,
			ClassTrackingPerTxnLine: false,
			CustomerTerminology: 'Customers',
			BookCloseDate: o.bookCloseDate,
			UseAccountNumbers: false,
		},
		SalesFormsPrefs: {
			CustomTxnNumbers: true,
			AllowDiscount: true,
			AllowDeposit: true,
			AllowShipping: false,
			DefaultTerms: { value: '3', name: 'Net 30' },
			ETransactionEnabledStatus: 'NotApplicable',
		},
		TaxPrefs: us
			? { UsingSalesTax: true, PartnerTaxEnabled: false, TaxGroupCodeRef: { value: '3' } }
			: { UsingSalesTax: true, PartnerTaxEnabled: false },
		CurrencyPrefs: { MultiCurrencyEnabled: o.multiCurrency ?? false, HomeCurrency: currency },
		MetaData: meta(o.at),
	};
}

export function incomeAccounts(at: string) {
	return [
		{
			Id: '79',
			Name: 'Sales of Product Income',
			FullyQualifiedName: 'Sales of Product Income',
			Classification: 'Revenue',
			AccountType: 'Income',
			AccountSubType: 'SalesOfProductIncome',
			Active: true,
			SubAccount: false,
			CurrentBalance: 0,
			SyncToken: '0',
			MetaData: meta(at),
		},
		{
			Id: '1',
			Name: 'Services',
			FullyQualifiedName: 'Services',
			Classification: 'Revenue',
			AccountType: 'Income',
			AccountSubType: 'ServiceFeeIncome',
			Active: true,
			SubAccount: false,
			CurrentBalance: 0,
			SyncToken: '0',
			MetaData: meta(at),
		},
		{
			Id: '84',
			Name: 'Accounts Receivable (A/R)',
			FullyQualifiedName: 'Accounts Receivable (A/R)',
			Classification: 'Asset',
			AccountType: 'Accounts Receivable',
			AccountSubType: 'AccountsReceivable',
			Active: true,
			SubAccount: false,
			CurrentBalance: 0,
			SyncToken: '0',
			MetaData: meta(at),
		},
	];
}

export interface RateSpec {
	id: string;
	name: string;
	percent: number;
	agency: string;
}

export function taxRate(r: RateSpec, at: string) {
	return {
		Id: r.id,
		Name: r.name,
		Description: r.name,
		Active: true,
		RateValue: r.percent,
		AgencyRef: { value: '1', name: r.agency },
		SpecialTaxType: 'NONE',
		DisplayType: 'ReadOnly',
		SyncToken: '0',
		MetaData: meta(at),
	};
}

export function taxCode(id: string, name: string, rates: RateSpec[], taxable: boolean, at: string) {
	return {
		Id: id,
		Name: name,
		Description: name,
		Active: true,
		Hidden: false,
		Taxable: taxable,
		TaxGroup: rates.length > 0,
		SalesTaxRateList: {
			TaxRateDetail: rates.map((r, i) => ({
				TaxRateRef: { value: r.id, name: r.name },
				TaxTypeApplicable: 'TaxOnAmount',
				TaxOrder: i,
			})),
		},
		PurchaseTaxRateList: { TaxRateDetail: [] },
		SyncToken: '0',
		MetaData: meta(at),
	};
}

/** US: the TAX/NON pseudo codes plus "CA Sales Tax" (7.25 %) with id 3. */
export function usTaxEntities(at: string) {
	const ca: RateSpec = { id: '3', name: 'CA Sales Tax', percent: 7.25, agency: 'California Department of Tax and Fee Administration' };
	return {
		TaxRate: [taxRate(ca, at)],
		TaxCode: [taxCode('TAX', 'TAX', [], true, at), taxCode('NON', 'NON', [], false, at), taxCode('3', 'CA Sales Tax', [ca], true, at)],
	};
}

/** Canada: GST/HST codes; every invoice line needs one of these ids. */
export function caTaxEntities(at: string) {
	const hst: RateSpec = { id: '5', name: 'HST ON', percent: 13, agency: 'Canada Revenue Agency' };
	const exempt: RateSpec = { id: '6', name: 'Exempt', percent: 0, agency: 'Canada Revenue Agency' };
	const gst: RateSpec = { id: '7', name: 'GST', percent: 5, agency: 'Canada Revenue Agency' };
	const zero: RateSpec = { id: '8', name: 'Zero-rated', percent: 0, agency: 'Canada Revenue Agency' };
	return {
		TaxRate: [taxRate(hst, at), taxRate(exempt, at), taxRate(gst, at), taxRate(zero, at)],
		TaxCode: [
			taxCode('5', 'HST ON', [hst], true, at),
			taxCode('6', 'Exempt', [exempt], false, at),
			taxCode('7', 'GST', [gst], true, at),
			taxCode('8', 'Zero-rated', [zero], true, at),
		],
	};
}

export interface ItemSpec {
	id: string;
	sku: string;
	name: string;
	priceCents: number;
	active?: boolean;
	description?: string;
}

export function qboItem(s: ItemSpec, at: string) {
	return {
		Id: s.id,
		Name: s.name,
		FullyQualifiedName: s.name,
		Sku: s.sku,
		Description: s.description ?? s.name,
		Active: s.active ?? true,
		Type: 'Service',
		UnitPrice: money(s.priceCents),
		Taxable: true,
		IncomeAccountRef: { value: '79', name: 'Sales of Product Income' },
		TrackQtyOnHand: false,
		SyncToken: '0',
		MetaData: meta(at),
	};
}

export interface CustomerSpec {
	id: string;
	displayName: string;
	email?: string;
	givenName?: string;
	familyName?: string;
	companyName?: string;
	active?: boolean;
	currency?: 'USD' | 'CAD';
}

export function qboCustomer(s: CustomerSpec, at: string) {
	const currency = s.currency === 'CAD' ? { value: 'CAD', name: 'Canadian Dollar' } : { value: 'USD', name: 'United States Dollar' };
	return compact({
		Id: s.id,
		DisplayName: s.displayName,
		FullyQualifiedName: s.displayName,
		PrintOnCheckName: s.companyName ?? s.displayName,
		CompanyName: s.companyName,
		GivenName: s.givenName,
		FamilyName: s.familyName,
		PrimaryEmailAddr: s.email ? { Address: s.email } : undefined,
		Active: s.active ?? true,
		Job: false,
		BillWithParent: false,
		Taxable: true,
		Balance: 0,
		BalanceWithJobs: 0,
		CurrencyRef: currency,
		PreferredDeliveryMethod: 'Print',
		SyncToken: '0',
		MetaData: meta(at),
	});
}

export interface QboInvoiceLine {
	item: ItemSpec;
	qty: string;
	priceCents: number;
	taxable: boolean;
	description?: string;
}

/** A US invoice with exact amounts, QBO's subtotal line and CA Sales Tax (code 3) on taxable lines. */
export function qboUsInvoice(
	o: {
		id: string;
		docNumber: string;
		customer: { id: string; displayName: string };
		txnDate: string;
		dueDate: string;
		privateNote?: string;
		lines: QboInvoiceLine[];
		/** The transaction tax code on taxable lines (default "CA Sales Tax", id 3, 7.25 %). */
		taxCode?: { id: string; name: string; percent: number };
	},
	at: string,
) {
	const code = o.taxCode ?? { id: '3', name: 'CA Sales Tax', percent: 7.25 };
	let subtotal = 0;
	let taxable = 0;
	const lines: any[] = o.lines.map((l, i) => {
		const amount = lineAmountCents({ qty: l.qty, priceCents: l.priceCents });
		subtotal += amount;
		if (l.taxable) taxable += amount;
		return {
			Id: String(i + 1),
			LineNum: i + 1,
			Description: l.description ?? l.item.name,
			Amount: money(amount),
			DetailType: 'SalesItemLineDetail',
			SalesItemLineDetail: {
				ItemRef: { value: l.item.id, name: l.item.name },
				Qty: Number(l.qty),
				UnitPrice: money(l.priceCents),
				TaxCodeRef: { value: l.taxable ? 'TAX' : 'NON' },
			},
		};
	});
	const tax = taxCents(taxable, code.percent);
	lines.push({ Amount: money(subtotal), DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} });
	const total = subtotal + tax;
	return compact({
		Id: o.id,
		DocNumber: o.docNumber,
		TxnDate: o.txnDate,
		DueDate: o.dueDate,
		CustomerRef: { value: o.customer.id, name: o.customer.displayName },
		CurrencyRef: { value: 'USD', name: 'United States Dollar' },
		PrivateNote: o.privateNote,
		Line: lines,
		TxnTaxDetail: {
			TxnTaxCodeRef: { value: code.id, name: code.name },
			TotalTax: money(tax),
			TaxLine:
				taxable > 0
					? [
							{
								Amount: money(tax),
								DetailType: 'TaxLineDetail',
								TaxLineDetail: {
									TaxRateRef: { value: code.id, name: code.name },
									PercentBased: true,
									TaxPercent: code.percent,
									NetAmountTaxable: money(taxable),
								},
							},
						]
					: [],
		},
		TotalAmt: money(total),
		Balance: money(total),
		EmailStatus: 'NotSet',
		PrintStatus: 'NotSet',
		SyncToken: '0',
		MetaData: meta(at),
	});
}

export function companySeed(
	o: QboCompanyOptions,
	entities: { items: any[]; customers: any[]; invoices?: any[] },
): QboCompanySeed {
	const tax = o.country === 'US' ? usTaxEntities(o.at) : caTaxEntities(o.at);
	return {
		realmId: o.realmId,
		companyInfo: companyInfo(o),
		preferences: preferences(o),
		entities: {
			Account: incomeAccounts(o.at),
			TaxRate: tax.TaxRate,
			TaxCode: tax.TaxCode,
			Item: entities.items,
			Customer: entities.customers,
			Invoice: entities.invoices ?? [],
		},
	};
}
