/**
 * QuickBooks Online business rules the simulator enforces on writes (docs/API_FACTS.md),
 * and the fields QBO computes (refs' names, line numbers, tax, TotalAmt, Balance).
 * Each validate* function takes the merged record about to be stored and returns it completed,
 * or throws the QboError QBO would answer with.
 */
import {
	accountPeriodClosed,
	amountMismatch,
	businessValidation,
	duplicateDocNumber,
	duplicateName,
	invalidProperty,
	invalidReference,
	objectNotFoundInactive,
	requiredParamMissing,
	stringLengthOutOfRange,
} from './qboErrors';
import {
	centsToNumber,
	decimalToString,
	divideRoundHalfUp,
	equalsCents,
	multiply,
	parseDecimal,
	percentOfCents,
	toCentsRounded,
	type Decimal,
} from './money';
import { DEFAULT_ASSUMPTIONS, itemNeedsExpenseAccount, type QboAssumptions } from './assumptions';
import { isUsCompany, US_LINE_TAX_CODES, type EntityName, type QboRecord, type RealmState } from './state';

export interface WriteContext {
	realm: RealmState;
	now: Date;
	/** `?include=allowduplicatedocnum` on the request. */
	allowDuplicateDocNumber: boolean;
	/** Id of the record being updated (absent on create). */
	existingId?: string;
	isCreate: boolean;
	assumptions?: QboAssumptions;
}

// --- shared helpers ----------------------------------------------------------------------------

function checkLength(record: QboRecord, field: string, max: number, element = field): void {
	const value = record[field];
	if (typeof value === 'string' && value.length > max) throw stringLengthOutOfRange(element, max, value.length);
}

/** Resolves a `{value}` reference: missing record → 2500, inactive record → 610. */
export function resolveRef(realm: RealmState, entity: EntityName, ref: any, element: string): QboRecord {
	const id = ref && typeof ref === 'object' ? ref.value : undefined;
	if (id === undefined || id === null || String(id).trim() === '') throw requiredParamMissing(element);
	const record = realm.entities[entity].get(String(id));
	if (!record) throw invalidReference(entity, String(id), element);
	if (record.Active === false) throw objectNotFoundInactive(element);
	return record;
}

function sameName(a: unknown, b: unknown): boolean {
	return typeof a === 'string' && typeof b === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();
}

function isValidDate(text: unknown): boolean {
	if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
	const d = new Date(`${text}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

function requireDecimal(value: unknown, element: string): Decimal {
	const d = parseDecimal(value);
	if (!d) throw invalidProperty(`${element} value "${String(value)}" is not a valid number`, element);
	return d;
}

function homeCurrency(realm: RealmState): string {
	return String(realm.preferences.CurrencyPrefs?.HomeCurrency?.value ?? 'USD');
}

/** 6000 when a currency other than the home currency is used in a company without multicurrency. */
function assertCurrencyEnabled(realm: RealmState, currency: string, what: 'transaction' | 'customer'): void {
	const home = homeCurrency(realm);
	if (currency !== home && !realm.preferences.CurrencyPrefs?.MultiCurrencyEnabled) {
		throw businessValidation(`Multicurrency is not enabled for this company; the ${what} currency must be ${home}, not ${currency}.`, 'CurrencyRef');
	}
}

/**
 * A customer has one currency for life: the home currency unless another is given when it is
 * created (multicurrency companies only); an update that names another currency is refused.
 */
function customerCurrency(record: QboRecord, ctx: WriteContext): { value: string; name?: string } {
	const asked = record.CurrencyRef?.value;
	const previous = ctx.isCreate || ctx.existingId === undefined ? undefined : ctx.realm.entities.Customer.get(ctx.existingId);
	if (previous) {
		const current = previous.CurrencyRef ?? { value: homeCurrency(ctx.realm) };
		if (asked !== undefined && String(asked) !== current.value) {
			throw businessValidation(`You can't change the currency of a customer after it has been created: ${previous.DisplayName} is in ${current.value}, not ${String(asked)}.`, 'CurrencyRef');
		}
		return current;
	}
	if (asked === undefined || asked === null || asked === '') return { value: homeCurrency(ctx.realm) };
	assertCurrencyEnabled(ctx.realm, String(asked), 'customer');
	return { value: String(asked), ...(record.CurrencyRef?.name ? { name: record.CurrencyRef.name } : {}) };
}

// --- names: Customer, Vendor, Employee ---------------------------------------------------------

const NAME_ENTITIES: EntityName[] = ['Customer', 'Vendor', 'Employee'];

/**
 * DisplayName is built from the name parts when omitted, must not contain a colon (QBO's
 * sub-customer separator) and must be unique across customers, vendors and employees,
 * inactive ones included, ignoring case.
 */
export function validateNameEntity(entity: EntityName, record: QboRecord, ctx: WriteContext): QboRecord {
	for (const [field, max] of [
		['Title', 16],
		['Suffix', 16],
		['GivenName', 100],
		['MiddleName', 100],
		['FamilyName', 100],
		['CompanyName', 100],
		['DisplayName', 500],
		['PrintOnCheckName', 110],
	] as const) {
		checkLength(record, field, max);
	}
	if (record.DisplayName === undefined || record.DisplayName === null || String(record.DisplayName).trim() === '') {
		const built = [record.Title, record.GivenName, record.MiddleName, record.FamilyName, record.Suffix]
			.filter((p) => typeof p === 'string' && p.trim())
			.join(' ');
		if (!built) throw requiredParamMissing('DisplayName');
		record.DisplayName = built;
	}
	for (const field of ['DisplayName', 'GivenName', 'MiddleName', 'FamilyName']) {
		if (typeof record[field] === 'string' && record[field].includes(':')) {
			throw businessValidation(
				`Invalid character in ${field}: a name can't contain a colon (:), QuickBooks uses it to separate sub-customers. Remove the colon from "${record[field]}".`,
				field,
			);
		}
	}
	for (const other of NAME_ENTITIES) {
		for (const existing of ctx.realm.entities[other].values()) {
			if (other === entity && existing.Id === ctx.existingId) continue;
			if (sameName(existing.DisplayName, record.DisplayName)) {
				throw duplicateName(
					`Another customer, vendor or employee is already using this name. Please use a different name.`,
					'DisplayName',
				);
			}
		}
	}
	record.DisplayName = String(record.DisplayName);
	record.FullyQualifiedName = record.DisplayName;
	if (record.PrintOnCheckName === undefined) record.PrintOnCheckName = record.DisplayName;
	if (record.Active === undefined) record.Active = true;
	if (entity === 'Customer') {
		if (record.Balance === undefined) record.Balance = 0;
		if (record.BalanceWithJobs === undefined) record.BalanceWithJobs = record.Balance;
		if (record.Job === undefined) record.Job = false;
		record.CurrencyRef = customerCurrency(record, ctx);
	}
	return record;
}

// --- Item ----------------------------------------------------------------------------------------

export function validateItem(record: QboRecord, ctx: WriteContext): QboRecord {
	if (typeof record.Name !== 'string' || !record.Name.trim()) throw requiredParamMissing('Name');
	checkLength(record, 'Name', 100);
	checkLength(record, 'Sku', 100);
	checkLength(record, 'Description', 4000);
	for (const existing of ctx.realm.entities.Item.values()) {
		if (existing.Id !== ctx.existingId && sameName(existing.Name, record.Name)) {
			throw duplicateName('Another product or service is already using this name. Please use a different name.', 'Name');
		}
	}
	if (record.Type === undefined) record.Type = 'Service';
	// Service items post their sales to an income account (quickbooks-ruby item.rb).
	if (ctx.isCreate && record.Type === 'Service' && !record.IncomeAccountRef) throw requiredParamMissing('IncomeAccountRef');
	// Intuit's Item reference: ExpenseAccountRef is required for Inventory, NonInventory and Service items
	// (optional in France); which companies enforce it is a setting (UK and Canada by default).
	const expenseSetting = (ctx.assumptions ?? DEFAULT_ASSUMPTIONS).itemExpenseAccount;
	if (ctx.isCreate && ['Inventory', 'NonInventory', 'Service'].includes(record.Type) && !record.ExpenseAccountRef) {
		if (itemNeedsExpenseAccount(ctx.realm.companyInfo.Country, expenseSetting)) throw requiredParamMissing('ExpenseAccountRef');
	}
	for (const refField of ['IncomeAccountRef', 'ExpenseAccountRef', 'AssetAccountRef']) {
		if (record[refField]) {
			const account = resolveRef(ctx.realm, 'Account', record[refField], refField);
			record[refField] = { value: account.Id, name: account.Name };
		}
	}
	if (record.UnitPrice !== undefined) requireDecimal(record.UnitPrice, 'UnitPrice');
	record.FullyQualifiedName = record.Name;
	if (record.Active === undefined) record.Active = true;
	if (record.Taxable === undefined) record.Taxable = false;
	return record;
}

// --- TaxCode, TaxRate, Account: a unique Name is all the simulator checks -----------------------

export function validateNamedListEntity(entity: EntityName, record: QboRecord, ctx: WriteContext): QboRecord {
	if (typeof record.Name !== 'string' || !record.Name.trim()) throw requiredParamMissing('Name');
	checkLength(record, 'Name', 100);
	for (const existing of ctx.realm.entities[entity].values()) {
		if (existing.Id !== ctx.existingId && sameName(existing.Name, record.Name)) {
			throw duplicateName(`Another ${entity} is already using this name. Please use a different name.`, 'Name');
		}
	}
	if (entity === 'TaxRate' && record.RateValue !== undefined) requireDecimal(record.RateValue, 'RateValue');
	if (record.Active === undefined) record.Active = true;
	if (entity === 'Account' && record.FullyQualifiedName === undefined) record.FullyQualifiedName = record.Name;
	return record;
}

// --- Invoice -------------------------------------------------------------------------------------

/** The sales-side tax rates of a tax code, as percentages. */
function salesRatesOf(realm: RealmState, taxCode: QboRecord): { rate: QboRecord; percent: Decimal }[] {
	const details: any[] = taxCode.SalesTaxRateList?.TaxRateDetail ?? [];
	return details.map((detail) => {
		const rate = resolveRef(realm, 'TaxRate', detail.TaxRateRef, 'TaxRateRef');
		return { rate, percent: parseDecimal(rate.RateValue ?? 0) ?? { units: 0n, scale: 0 } };
	});
}

function closedBooksDate(realm: RealmState): string | undefined {
	const date = realm.preferences.AccountingInfoPrefs?.BookCloseDate;
	return typeof date === 'string' && date ? date.slice(0, 10) : undefined;
}

/** Throws 6210 when a transaction date falls on or before the books-closed date. */
export function assertPeriodOpen(realm: RealmState, txnDate: unknown): void {
	const closed = closedBooksDate(realm);
	if (closed && typeof txnDate === 'string' && txnDate <= closed) throw accountPeriodClosed(closed);
}

/** Next automatic invoice number: one past the highest numeric DocNumber (QBO starts at 1001). */
function nextDocNumber(realm: RealmState, entity: SalesFormEntity): string {
	let highest = 1000;
	for (const inv of realm.entities[entity].values()) {
		if (typeof inv.DocNumber === 'string' && /^\d{1,15}$/.test(inv.DocNumber)) highest = Math.max(highest, Number(inv.DocNumber));
	}
	return String(highest + 1);
}

interface TaxGroup {
	taxCode?: QboRecord;
	netCents: bigint;
}

/** Sales forms sharing the invoice's lines, tax and totals (a credit memo is built like an invoice). */
export type SalesFormEntity = 'Invoice' | 'CreditMemo';

export function validateInvoice(record: QboRecord, ctx: WriteContext, entity: SalesFormEntity = 'Invoice'): QboRecord {
	const { realm } = ctx;
	const us = isUsCompany(realm);

	// Required fields (2020) and lengths (2050) first, as QBO checks the request shape before the books.
	if (!record.CustomerRef || record.CustomerRef.value === undefined || record.CustomerRef.value === '') {
		throw requiredParamMissing('CustomerRef');
	}
	if (!Array.isArray(record.Line) || record.Line.length === 0) throw requiredParamMissing('Line');
	// Intuit (Invoice.DocNumber): with Preferences.SalesFormsPrefs.CustomTxnNumbers off QuickBooks
	// numbers a new invoice itself; with it on, a create without a number keeps DocNumber empty.
	const noNumber = record.DocNumber === undefined || record.DocNumber === null || record.DocNumber === '';
	const customNumbers = realm.preferences.SalesFormsPrefs?.CustomTxnNumbers !== false && realm.preferences.SalesFormsPrefs?.CustomTxnNumbers !== 'false';
	if (record.DocNumber === 'AUTO_GENERATE' || (ctx.isCreate && noNumber && !customNumbers)) record.DocNumber = nextDocNumber(realm, entity);
	if (record.DocNumber === undefined || record.DocNumber === null || record.DocNumber === '') delete record.DocNumber;
	else record.DocNumber = String(record.DocNumber);
	checkLength(record, 'DocNumber', 21);
	checkLength(record, 'PrivateNote', 4000);
	if (record.TxnDate === undefined || record.TxnDate === null) record.TxnDate = ctx.now.toISOString().slice(0, 10);
	for (const field of ['TxnDate', 'DueDate', 'ShipDate']) {
		if (record[field] !== undefined && record[field] !== null && !isValidDate(record[field])) {
			throw invalidProperty(`${field} value "${String(record[field])}" is not a valid date (expected YYYY-MM-DD)`, field);
		}
	}
	if (record.DueDate === undefined || record.DueDate === null) record.DueDate = record.TxnDate;

	// References: missing → 2500, inactive → 610.
	const customer = resolveRef(realm, 'Customer', record.CustomerRef, 'CustomerRef');
	record.CustomerRef = { value: customer.Id, name: customer.DisplayName };

	const home = homeCurrency(realm);
	// Intuit (Invoice.CurrencyRef): "Required if multicurrency is enabled for the company".
	const multiCurrency = realm.preferences.CurrencyPrefs?.MultiCurrencyEnabled === true || realm.preferences.CurrencyPrefs?.MultiCurrencyEnabled === 'true';
	if (ctx.isCreate && multiCurrency && !record.CurrencyRef?.value) throw requiredParamMissing('CurrencyRef');
	const currency = record.CurrencyRef?.value ?? home;
	assertCurrencyEnabled(realm, currency, 'transaction');
	// A transaction is in its customer's currency (a customer has one currency for life).
	const customerCurrencyCode = customer.CurrencyRef?.value ?? home;
	if (currency !== customerCurrencyCode) {
		throw businessValidation(
			`The transaction currency (${currency}) must be the currency of customer ${customer.DisplayName} (${customerCurrencyCode}).`,
			'CurrencyRef',
		);
	}
	record.CurrencyRef = { value: currency, ...(record.CurrencyRef?.name ? { name: record.CurrencyRef.name } : {}) };

	// Lines: amounts in exact cents; Amount must equal Qty × UnitPrice rounded half-up (6070).
	const lines: QboRecord[] = [];
	let subtotalCents = 0n;
	let discountCents = 0n;
	const taxGroups = new Map<string, TaxGroup>(); // by line TaxCodeRef value
	const discountLines: QboRecord[] = [];
	record.Line.forEach((raw: any, index: number) => {
		if (!raw || typeof raw !== 'object') throw invalidProperty(`Line[${index}] is not an object`, 'Line');
		const line: QboRecord = { ...raw };
		const detailType =
			line.DetailType ??
			['SalesItemLineDetail', 'DescriptionOnly', 'SubTotalLineDetail', 'DiscountLineDetail', 'GroupLineDetail', 'DescriptionLineDetail'].find(
				(t) => line[t] !== undefined,
			);
		if (!detailType) throw requiredParamMissing('Line.DetailType');
		line.DetailType = detailType;
		checkLength(line, 'Description', 4000, 'Line.Description');
		if (detailType === 'SubTotalLineDetail') return; // recomputed below
		if (detailType === 'GroupLineDetail') {
			throw businessValidation('Group lines (GroupLineDetail) are not supported by the QuickBooks sandbox simulator.', 'Line');
		}
		if (detailType === 'DiscountLineDetail') {
			// Intuit (Invoice DiscountLine): the company preference Sales Form Entry | Discounts must be on.
			const allowDiscount = realm.preferences.SalesFormsPrefs?.AllowDiscount;
			if (allowDiscount === false || allowDiscount === 'false') {
				throw businessValidation('Discounts are turned off for this company: turn on Discount in Account and Settings → Sales to use a discount line.', 'DiscountLineDetail');
			}
			discountLines.push(line);
			lines.push(line);
			return;
		}
		if (detailType !== 'SalesItemLineDetail') {
			lines.push(line); // description-only: documentation, no amount
			return;
		}
		const detail: QboRecord = { ...(line.SalesItemLineDetail ?? {}) };
		line.SalesItemLineDetail = detail;
		if (line.Amount === undefined || line.Amount === null) throw requiredParamMissing('Line.Amount');
		const amount = requireDecimal(line.Amount, 'Line.Amount');
		if (!detail.ItemRef) {
			// Without ItemRef QBO treats the line as documentation and ignores its Amount.
			lines.push(line);
			return;
		}
		const item = resolveRef(realm, 'Item', detail.ItemRef, 'ItemRef');
		detail.ItemRef = { value: item.Id, name: item.Name };
		const amountCents = toCentsRounded(amount);
		if (detail.Qty !== undefined && detail.UnitPrice !== undefined) {
			const qty = requireDecimal(detail.Qty, 'Line.SalesItemLineDetail.Qty');
			const unitPrice = requireDecimal(detail.UnitPrice, 'Line.SalesItemLineDetail.UnitPrice');
			const expected = toCentsRounded(multiply(qty, unitPrice));
			if (!equalsCents(amount, expected)) throw amountMismatch(decimalToString(amount));
		}
		if (detail.ServiceDate !== undefined && !isValidDate(detail.ServiceDate)) {
			throw invalidProperty(`ServiceDate value "${String(detail.ServiceDate)}" is not a valid date (expected YYYY-MM-DD)`, 'ServiceDate');
		}
		// Tax code per line: US uses TAX/NON (or a code); other countries need a TaxCode Id on every line.
		let taxKey: string | undefined;
		if (detail.TaxCodeRef && detail.TaxCodeRef.value !== undefined && detail.TaxCodeRef.value !== '') {
			const value = String(detail.TaxCodeRef.value);
			if (us && US_LINE_TAX_CODES.includes(value.toUpperCase())) {
				detail.TaxCodeRef = { value: value.toUpperCase() };
				taxKey = value.toUpperCase();
			} else {
				const taxCode = resolveRef(realm, 'TaxCode', detail.TaxCodeRef, 'TaxCodeRef');
				detail.TaxCodeRef = { value: taxCode.Id, ...(taxCode.Name ? { name: taxCode.Name } : {}) };
				const codeKey = String(taxCode.Id);
				taxKey = codeKey;
				if (!taxGroups.has(codeKey)) taxGroups.set(codeKey, { taxCode, netCents: 0n });
			}
		} else if (!us) {
			throw businessValidation('Make sure all your transactions have a GST/HST rate before you save.', 'TaxCodeRef');
		}
		if (taxKey) {
			const group = taxGroups.get(taxKey) ?? { netCents: 0n };
			group.netCents += amountCents;
			taxGroups.set(taxKey, group);
		}
		line.Amount = centsToNumber(amountCents);
		subtotalCents += amountCents;
		lines.push(line);
	});

	for (const line of discountLines) {
		const detail = line.DiscountLineDetail ?? {};
		let cents: bigint;
		if (detail.PercentBased && detail.DiscountPercent !== undefined) {
			cents = percentOfCents(subtotalCents, requireDecimal(detail.DiscountPercent, 'DiscountPercent'));
		} else {
			cents = toCentsRounded(requireDecimal(line.Amount ?? 0, 'Line.Amount'));
		}
		line.Amount = centsToNumber(cents);
		discountCents += cents;
	}

	// Tax: US per transaction (TxnTaxCodeRef over TAX lines), elsewhere per line tax code.
	const taxMode = us ? 'TaxExcluded' : (record.GlobalTaxCalculation ?? 'TaxExcluded');
	if (!us && !['TaxExcluded', 'TaxInclusive', 'NotApplicable'].includes(taxMode)) {
		throw invalidProperty(`GlobalTaxCalculation value "${String(taxMode)}" is not supported`, 'GlobalTaxCalculation');
	}
	const taxLines: QboRecord[] = [];
	let taxCents = 0n;
	const addTax = (rate: QboRecord, percent: Decimal, netCents: bigint) => {
		let cents: bigint;
		if (taxMode === 'TaxInclusive') {
			// Amounts already include tax: tax = net × p / (100 + p).
			const scale = 10n ** BigInt(percent.scale);
			cents = divideRoundHalfUp(netCents * percent.units, 100n * scale + percent.units);
		} else cents = percentOfCents(netCents, percent);
		taxCents += cents;
		taxLines.push({
			Amount: centsToNumber(cents),
			DetailType: 'TaxLineDetail',
			TaxLineDetail: {
				TaxRateRef: { value: rate.Id, ...(rate.Name ? { name: rate.Name } : {}) },
				PercentBased: true,
				TaxPercent: Number(decimalToString(percent)),
				NetAmountTaxable: centsToNumber(netCents),
			},
		});
	};
	const suppliedTxnTax = record.TxnTaxDetail ?? {};
	const txnTaxDetail: QboRecord = {};
	if (us) {
		if (suppliedTxnTax.TxnTaxCodeRef && suppliedTxnTax.TxnTaxCodeRef.value !== undefined && suppliedTxnTax.TxnTaxCodeRef.value !== '') {
			const taxCode = resolveRef(realm, 'TaxCode', suppliedTxnTax.TxnTaxCodeRef, 'TxnTaxCodeRef');
			txnTaxDetail.TxnTaxCodeRef = { value: taxCode.Id, ...(taxCode.Name ? { name: taxCode.Name } : {}) };
			const taxable = taxGroups.get('TAX')?.netCents ?? 0n;
			for (const { rate, percent } of salesRatesOf(realm, taxCode)) addTax(rate, percent, taxable);
		} else if (suppliedTxnTax.TotalTax !== undefined) {
			// Automated Sales Tax companies honour a supplied TotalTax.
			taxCents = toCentsRounded(requireDecimal(suppliedTxnTax.TotalTax, 'TxnTaxDetail.TotalTax'));
		}
	} else if (taxMode !== 'NotApplicable') {
		for (const group of taxGroups.values()) {
			if (!group.taxCode) continue;
			for (const { rate, percent } of salesRatesOf(realm, group.taxCode)) addTax(rate, percent, group.netCents);
		}
	}
	txnTaxDetail.TotalTax = centsToNumber(taxCents);
	if (taxLines.length) txnTaxDetail.TaxLine = taxLines;
	record.TxnTaxDetail = txnTaxDetail;
	if (!us) record.GlobalTaxCalculation = taxMode;

	// QBO appends a subtotal line and numbers the lines.
	lines.push({ Amount: centsToNumber(subtotalCents), DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} });
	let lineNum = 0;
	for (const line of lines) {
		if (line.DetailType === 'SubTotalLineDetail') continue;
		lineNum++;
		line.Id = String(lineNum);
		line.LineNum = lineNum;
	}
	record.Line = lines;
	const totalCents = subtotalCents - discountCents + (taxMode === 'TaxInclusive' ? 0n : taxCents);
	record.TotalAmt = centsToNumber(totalCents);
	record.Balance = centsToNumber(totalCents);
	if (record.HomeTotalAmt !== undefined || currency !== home) {
		const rate = parseDecimal(record.ExchangeRate ?? 1) ?? { units: 1n, scale: 0 };
		record.HomeTotalAmt = centsToNumber(toCentsRounded(multiply({ units: totalCents, scale: 2 }, rate)));
	}

	// Books and numbering last: closed period (6210), duplicate DocNumber per type (6140).
	assertPeriodOpen(realm, record.TxnDate);
	if (!ctx.allowDuplicateDocNumber && record.DocNumber !== undefined && (ctx.assumptions ?? DEFAULT_ASSUMPTIONS).duplicateDocNumberCheck === 'on') {
		for (const existing of realm.entities[entity].values()) {
			if (existing.Id !== ctx.existingId && sameName(existing.DocNumber, record.DocNumber)) {
				throw duplicateDocNumber(record.DocNumber, entity, existing.Id);
			}
		}
	}
	if (record.EmailStatus === undefined) record.EmailStatus = 'NotSet';
	if (record.PrintStatus === undefined) record.PrintStatus = 'NotSet';
	return record;
}
