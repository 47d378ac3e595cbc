/** What a sandbox data set is: HubSpot seed, QuickBooks companies, and the outcome each invoice should have. */
import type { HubSpotSeed } from '../hubspot/types';
import type { QboCompanySeed } from '../quickbooks';

export type Outcome = 'created' | 'updated' | 'unchanged' | 'voided' | 'not-emitted' | 'error';

export interface Expectation {
	outcome: Outcome;
	/** The error code when outcome is 'error' (e.g. SKU_NOT_FOUND). */
	code?: string;
	/** Why, in a sentence (which case of docs/BEHAVIOUR.md this invoice covers). */
	note: string;
	/** The invoice's hs_number, for readability of reports. */
	invoiceNumber?: string;
	/** What the QuickBooks invoice must hold when the outcome is created or updated. */
	quickbooks?: QuickBooksExpectation;
}

export interface QuickBooksExpectation {
	/** TxnDate: the calendar day the HubSpot user sees. */
	txnDate?: string;
	/** The customer's DisplayName. */
	customerName?: string;
	/** CurrencyRef.value. */
	currency?: string;
	/** Sum of the lines before tax (sales lines − discount lines), as a decimal text. */
	preTaxTotal?: string;
	/** Line DetailTypes in order, subtotal lines left out. */
	lineTypes?: string[];
}

/** One row of the template's Tax Map table. */
export interface TaxMapping {
	hubspotTaxRateId: string;
	qboTaxCodeId: string;
}

export interface Dataset {
	hubspot: HubSpotSeed;
	quickbooks: QboCompanySeed[];
	/** Keyed by HubSpot invoice id; for the main (US) realm. */
	expectations: Record<string, Expectation>;
	/** The Tax Map table for the main realm. */
	taxMapping: TaxMapping[];
	/** Tax Map tables for every realm (the non-US variant included). */
	taxMappings: Record<string, TaxMapping[]>;
	/** The realm the expectations are for. */
	realmId: string;
	/** The clock the data was built around (default 2026-10-01T00:00:00.000Z). */
	now: string;
}

export interface GenerateOptions {
	seed?: number;
	invoices?: number;
	/** Lines on every invoice (default 5). */
	linesPerInvoice?: number;
	skus?: number;
	customers?: number;
	/** Share of invoices that should fail (default 0.05), spread over the error codes. */
	failureRate?: number;
	now?: Date | string;
}
