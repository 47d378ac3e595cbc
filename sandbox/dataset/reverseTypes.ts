/** What the QuickBooks → HubSpot data set is: seeds, the QuickBooks user's later actions, and how each invoice must end in HubSpot. */
import type { HubSpotSeed } from '../hubspot/types';
import type { QboCompanySeed } from '../quickbooks';

export type ReverseOutcome = 'created' | 'voided' | 'paymentApplied' | 'error';

export interface ReverseExpectation {
	outcome: ReverseOutcome;
	/** The error code when outcome is 'error' (e.g. SKU_NOT_FOUND). */
	code?: string;
	/** Why, in a sentence (which case this invoice covers). */
	note: string;
	/** The QuickBooks invoice's DocNumber, for readable reports. */
	docNumber: string;
	/** The HubSpot invoice at the end (after every action), when the outcome is not an error. Amounts as decimal text. */
	hubspot?: {
		status: 'open' | 'paid' | 'voided';
		amountBilled: string;
		/** Payments and applied credits together (TotalAmt − Balance in QuickBooks). */
		amountPaid: string;
		balanceDue: string;
	};
}

/**
 * Something a QuickBooks user does after the first sync, performed through QuickBooks' API
 * (sandbox/quickbooks/userActions.ts). Invoices are named by DocNumber; `amount: 'balance'` pays
 * what is open.
 */
export type QuickBooksUserAction =
	| { kind: 'receivePayment'; docNumber: string; amount: string | 'balance'; paymentMethodId?: string }
	| { kind: 'applyCredit'; docNumber: string; amount: string; itemId: string }
	| { kind: 'void'; docNumber: string }
	| { kind: 'delete'; docNumber: string };

/** One row of the reverse template's tax table. */
export interface ReverseTaxMapping {
	qboTaxCodeId: string;
	hubspotTaxRateId: string;
}

export interface ReverseDataset {
	hubspot: HubSpotSeed;
	quickbooks: QboCompanySeed[];
	/** Keyed by QuickBooks invoice Id. */
	expectations: Record<string, ReverseExpectation>;
	/** In order, after the first sync. */
	actions: QuickBooksUserAction[];
	taxMapping: ReverseTaxMapping[];
	realmId: string;
	now: string;
}
