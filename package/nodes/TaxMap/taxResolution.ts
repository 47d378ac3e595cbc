/**
 * Tax Map's rules, as plain functions. QuickBooks has two tax models:
 * - US: each line is TAX or NON and the invoice carries one sales tax code (TxnTaxCodeRef); with
 *   Automated Sales Tax (Preferences.TaxPrefs.PartnerTaxEnabled) QuickBooks picks the code itself.
 * - Everywhere else: every line needs a TaxCode id, or QuickBooks rejects the invoice.
 */
import { SyncError } from '../shared/errors';

export const US_TAXABLE = 'TAX';
export const US_NON_TAXABLE = 'NON';

export type UnmappedPolicy = 'error' | 'useDefault' | 'nonTaxable';

export interface TaxMappingRow {
	/** HubSpot tax rate id (from the dropdown) or its label typed by hand. */
	hubspotTaxRate: string;
	quickbooksTaxCodeId: string;
}

export interface TaxMapSettings {
	mappings: TaxMappingRow[];
	unmappedPolicy: UnmappedPolicy;
	/** The code for unmapped rates when the policy is useDefault. */
	defaultTaxCodeId?: string;
	/** Non-US companies: the code for lines without a tax rate (and unmapped ones marked non-taxable). */
	noTaxCodeId?: string;
}

export interface TaxModel {
	country: string;
	us: boolean;
	/** US Automated Sales Tax: QuickBooks computes tax; the invoice gets no TxnTaxCodeRef. */
	automatedSalesTax: boolean;
}

/** What the sync needs to know about a QuickBooks tax code. */
export interface TaxCodeInfo {
	id: string;
	name: string;
	active: boolean;
	/** False for codes marked non-taxable and for codes whose every rate is 0 %. */
	taxable: boolean;
}

export interface TaxLine {
	taxRateId?: string | null;
	taxLabel?: string | null;
	name?: string;
}

type Record_ = Record<string, unknown>;

export function taxModelOf(companyInfo: Record_, preferences: Record_): TaxModel {
	const country = String(companyInfo.Country ?? '').trim().toUpperCase();
	const taxPrefs = (preferences.TaxPrefs ?? {}) as Record_;
	const us = country === 'US' || country === 'USA';
	return { country, us, automatedSalesTax: us && taxPrefs.PartnerTaxEnabled === true };
}

/** Reads a TaxCode record; `ratePercents` maps TaxRate Id → RateValue for the 0 % check. */
export function taxCodeInfo(record: Record_, ratePercents: Map<string, number>): TaxCodeInfo {
	const details = (((record.SalesTaxRateList ?? {}) as Record_).TaxRateDetail ?? []) as Array<Record_>;
	const percents = details.map((detail) => ratePercents.get(String(((detail.TaxRateRef ?? {}) as Record_).value ?? '')));
	const allZero = percents.length > 0 && percents.every((percent) => percent === 0);
	return {
		id: String(record.Id),
		name: String(record.Name ?? record.Id),
		active: record.Active !== false,
		taxable: record.Taxable !== false && !allZero,
	};
}

export function isUsPseudoCode(code: string, model: TaxModel): boolean {
	return model.us && (code.toUpperCase() === US_TAXABLE || code.toUpperCase() === US_NON_TAXABLE);
}

const normalizeLabel = (value: string) => value.trim().replace(/\s+/g, ' ').toLowerCase();

/** The mapping row for a line: by HubSpot rate id first, then by label (case and spaces ignored). */
export function findMapping(line: TaxLine, mappings: TaxMappingRow[]): TaxMappingRow | undefined {
	const id = line.taxRateId?.trim();
	if (id) {
		const byId = mappings.find((row) => row.hubspotTaxRate.trim() === id);
		if (byId) return byId;
	}
	const label = line.taxLabel?.trim();
	if (label) return mappings.find((row) => normalizeLabel(row.hubspotTaxRate) === normalizeLabel(label));
	return undefined;
}

export function hasTaxRate(line: TaxLine): boolean {
	return Boolean(line.taxRateId?.trim() || line.taxLabel?.trim());
}

/** How a rate reads in a message: `1003 "NY Sales Tax (8.875%)"`. */
export function describeRate(line: TaxLine): string {
	const id = line.taxRateId?.trim();
	const label = line.taxLabel?.trim();
	if (id && label) return `${id} "${label}"`;
	return id || `"${label ?? ''}"`;
}

/** What one line's tax comes from before the QuickBooks codes are known. */
export interface LinePlan {
	/** QuickBooks code the line maps to; null = no tax (US: NON). */
	code: string | null;
	source: 'mapping' | 'default' | 'noTax';
	rate: string;
}

export type InvoicePlan = { lines: LinePlan[] } | { error: SyncError };

/** Decides each line's QuickBooks code from the mapping and policies (no QuickBooks calls). */
export function planInvoiceTax(invoice: string, lines: TaxLine[], settings: TaxMapSettings, model: TaxModel): InvoicePlan {
	const unmapped: string[] = [];
	const withoutCode: string[] = [];
	const plans: LinePlan[] = [];
	const noTax = (rate: string, lineNumber: number, line: TaxLine): LinePlan | undefined => {
		if (model.us) return { code: null, source: 'noTax', rate };
		if (settings.noTaxCodeId) return { code: settings.noTaxCodeId, source: 'noTax', rate };
		withoutCode.push(`line ${lineNumber}${line.name ? ` "${line.name}"` : ''}`);
		return undefined;
	};
	lines.forEach((line, index) => {
		const lineNumber = index + 1;
		if (!hasTaxRate(line)) {
			const plan = noTax('(none)', lineNumber, line);
			if (plan) plans.push(plan);
			return;
		}
		const rate = describeRate(line);
		const row = findMapping(line, settings.mappings);
		if (row) {
			plans.push({ code: row.quickbooksTaxCodeId.trim(), source: 'mapping', rate });
			return;
		}
		if (settings.unmappedPolicy === 'useDefault' && settings.defaultTaxCodeId) {
			plans.push({ code: settings.defaultTaxCodeId, source: 'default', rate });
			return;
		}
		if (settings.unmappedPolicy === 'nonTaxable') {
			const plan = noTax(rate, lineNumber, line);
			if (plan) plans.push(plan);
			return;
		}
		if (!unmapped.includes(rate)) unmapped.push(rate);
	});
	if (unmapped.length) {
		return {
			error: new SyncError(
				'TAX_CODE_NOT_FOUND',
				{ invoice, taxRate: unmapped.join(', '), reason: ' (it is not in the Tax Map)' },
				{ unmappedTaxRates: unmapped, policy: settings.unmappedPolicy },
			),
		};
	}
	if (withoutCode.length) {
		return {
			error: new SyncError(
				'TAX_CODE_NOT_FOUND',
				{
					invoice,
					taxRate: `(none) on ${withoutCode.join(', ')}`,
					reason: `: a ${model.country || 'non-US'} QuickBooks company needs a tax code on every line; set the Tax Map option "Code for Lines Without Tax"`,
				},
				{ linesWithoutTaxCode: withoutCode, country: model.country },
			),
		};
	}
	return { lines: plans };
}

/** Codes of a plan QuickBooks must confirm exist and are active (US TAX/NON are built in). */
export function codesToVerify(plan: InvoicePlan, model: TaxModel): string[] {
	if ('error' in plan) return [];
	return plan.lines.map((line) => line.code).filter((code): code is string => code !== null && !isUsPseudoCode(code, model));
}

export interface InvoiceTax {
	lines: Array<{ taxCodeId: string }>;
	txnTaxCodeId: string | null;
}

/** Turns a plan into line codes and the transaction code, checking every code QuickBooks returned. */
export function finishInvoiceTax(invoice: string, plan: { lines: LinePlan[] }, model: TaxModel, codes: Map<string, TaxCodeInfo>): InvoiceTax | SyncError {
	const problems: string[] = [];
	const problemCodes: Array<{ taxRate: string; taxCodeId: string; problem: 'missing' | 'inactive' }> = [];
	const resolved = plan.lines.map((line) => {
		if (line.code === null || isUsPseudoCode(line.code, model)) return { line, info: undefined };
		const info = codes.get(line.code);
		if (!info || !info.active) {
			const problem = info ? 'inactive' : 'missing';
			if (!problemCodes.some((entry) => entry.taxCodeId === line.code && entry.taxRate === line.rate)) {
				problemCodes.push({ taxRate: line.rate, taxCodeId: line.code, problem });
				problems.push(`${line.rate}: ${line.source === 'default' ? 'the default' : line.source === 'noTax' ? 'the "Code for Lines Without Tax"' : 'the mapped'} QuickBooks tax code ${info ? `"${info.name}" (${line.code}) is inactive` : `${line.code} does not exist`}`);
			}
		}
		return { line, info };
	});
	if (problemCodes.length) {
		const rates = [...new Set(problemCodes.map((entry) => entry.taxRate))];
		// With one rate the message already names it; with several each problem says which.
		const reasons = rates.length === 1 ? problems.map((problem) => problem.slice(problem.indexOf(': ') + 2)) : problems;
		return new SyncError(
			'TAX_CODE_NOT_FOUND',
			{ invoice, taxRate: rates.join(', '), reason: ` (${reasons.join('; ')})` },
			{ taxCodes: problemCodes },
		);
	}
	if (!model.us) {
		return { lines: resolved.map(({ line }) => ({ taxCodeId: line.code as string })), txnTaxCodeId: null };
	}
	const txnCodes = new Set<string>();
	const lines = resolved.map(({ line, info }) => {
		if (line.code === null || line.code.toUpperCase() === US_NON_TAXABLE) return { taxCodeId: US_NON_TAXABLE };
		if (line.code.toUpperCase() === US_TAXABLE) return { taxCodeId: US_TAXABLE };
		if (!info?.taxable) return { taxCodeId: US_NON_TAXABLE };
		txnCodes.add(line.code);
		return { taxCodeId: US_TAXABLE };
	});
	if (model.automatedSalesTax) return { lines, txnTaxCodeId: null };
	if (txnCodes.size > 1) {
		const names = [...txnCodes].map((code) => `"${codes.get(code)?.name ?? code}" (${code})`);
		return new SyncError('TAX_CODE_CONFLICT', { invoice, taxCodes: names.join(', ') }, { taxCodeIds: [...txnCodes] });
	}
	return { lines, txnTaxCodeId: txnCodes.size ? [...txnCodes][0] : null };
}
