/**
 * Payment (Receive Payment) and CreditMemo rules: a payment's lines apply amounts to invoices
 * (LinkedTxn TxnType Invoice) and use up credit memos (TxnType CreditMemo, the documented way a
 * credit memo reduces an invoice: a payment whose invoice line is offset by a credit memo line).
 * An invoice's or credit memo's Balance is its TotalAmt less what payments apply to it, in cents.
 */
import type { QboAssumptions } from './assumptions';
import { centsToNumber, parseDecimal, toCentsRounded } from './money';
import { businessValidation, invalidProperty, invalidReference, requiredParamMissing } from './qboErrors';
import { resolveRef, validateInvoice, type WriteContext } from './rules';
import { qboTimestamp, type QboRecord, type RealmState } from './state';

export type LinkedType = 'Invoice' | 'CreditMemo';
const LINKED_TYPES: LinkedType[] = ['Invoice', 'CreditMemo'];

export interface Application {
	txnType: LinkedType;
	txnId: string;
	cents: bigint;
}

const keyOf = (type: string, id: string) => `${type}:${id}`;

function cents(value: unknown, element: string): bigint {
	const d = parseDecimal(value);
	if (!d) throw invalidProperty(`${element} value "${String(value)}" is not a valid number`, element);
	return toCentsRounded(d);
}

/** What a stored payment applies, line by line (a line naming several txns applies its Amount to each). */
export function applicationsOf(payment: QboRecord | undefined): Application[] {
	const out: Application[] = [];
	for (const line of payment?.Line ?? []) {
		for (const linked of line?.LinkedTxn ?? []) {
			if (LINKED_TYPES.includes(linked?.TxnType)) out.push({ txnType: linked.TxnType, txnId: String(linked.TxnId), cents: cents(line.Amount ?? 0, 'Line.Amount') });
		}
	}
	return out;
}

/** Cents applied to each invoice / credit memo by every payment except `skipPaymentId`. */
function appliedTotals(realm: RealmState, skipPaymentId?: string): Map<string, bigint> {
	const totals = new Map<string, bigint>();
	for (const payment of realm.entities.Payment.values()) {
		if (payment.Id === skipPaymentId) continue;
		for (const a of applicationsOf(payment)) totals.set(keyOf(a.txnType, a.txnId), (totals.get(keyOf(a.txnType, a.txnId)) ?? 0n) + a.cents);
	}
	return totals;
}

/** Checks one payment line's LinkedTxn: a known type, an existing record of the payment's customer. */
function checkLinkedTxn(realm: RealmState, linked: any, customerId: string): LinkedType {
	if (!linked || linked.TxnId === undefined || linked.TxnId === '') throw requiredParamMissing('LinkedTxn.TxnId');
	if (!LINKED_TYPES.includes(linked.TxnType)) {
		throw invalidProperty(`LinkedTxn.TxnType "${String(linked.TxnType)}" is not supported on a payment (Invoice or CreditMemo)`, 'LinkedTxn.TxnType');
	}
	const target = realm.entities[linked.TxnType as LinkedType].get(String(linked.TxnId));
	if (!target) throw invalidReference(linked.TxnType, String(linked.TxnId), 'LinkedTxn.TxnId');
	if (String(target.CustomerRef?.value) !== customerId) {
		throw businessValidation(`${linked.TxnType} ${String(linked.TxnId)} belongs to another customer; a payment applies only to its own customer's transactions.`, 'LinkedTxn');
	}
	return linked.TxnType;
}

/** Normalizes the lines and returns what they apply. */
function paymentLines(realm: RealmState, record: QboRecord, customerId: string): Application[] {
	if (record.Line !== undefined && !Array.isArray(record.Line)) throw invalidProperty('Line must be an array', 'Line');
	const applications: Application[] = [];
	record.Line = (record.Line ?? []).map((raw: any, index: number) => {
		if (!raw || typeof raw !== 'object') throw invalidProperty(`Line[${index}] is not an object`, 'Line');
		if (raw.Amount === undefined || raw.Amount === null) throw requiredParamMissing('Line.Amount');
		const amount = cents(raw.Amount, 'Line.Amount');
		if (amount <= 0n) throw invalidProperty(`Line.Amount must be more than zero (got ${String(raw.Amount)})`, 'Line.Amount');
		if (!Array.isArray(raw.LinkedTxn) || raw.LinkedTxn.length === 0) throw requiredParamMissing('Line.LinkedTxn');
		const linked = raw.LinkedTxn.map((l: any) => {
			const txnType = checkLinkedTxn(realm, l, customerId);
			applications.push({ txnType, txnId: String(l.TxnId), cents: amount });
			return { TxnId: String(l.TxnId), TxnType: txnType };
		});
		return { ...raw, Amount: centsToNumber(amount), LinkedTxn: linked };
	});
	return applications;
}

/**
 * Refuses a payment that applies more than it brings (invoice lines − credit lines > TotalAmt), or
 * more to an invoice or credit memo than its open balance; returns the unapplied amount.
 */
function checkAmounts(realm: RealmState, applications: Application[], totalCents: bigint, paymentId?: string): bigint {
	let applied = 0n;
	for (const a of applications) applied += a.txnType === 'Invoice' ? a.cents : -a.cents;
	if (applied > totalCents) {
		throw businessValidation(`Amount applied is greater than payment amount: ${centsToNumber(applied)} applied, TotalAmt ${centsToNumber(totalCents)}.`, 'TotalAmt');
	}
	const others = appliedTotals(realm, paymentId);
	const mine = new Map<string, bigint>();
	for (const a of applications) mine.set(keyOf(a.txnType, a.txnId), (mine.get(keyOf(a.txnType, a.txnId)) ?? 0n) + a.cents);
	for (const [key, amount] of mine) {
		const [type, id] = key.split(':') as [LinkedType, string];
		const open = cents(realm.entities[type].get(id)?.TotalAmt ?? 0, 'TotalAmt') - (others.get(key) ?? 0n);
		if (amount > open) {
			throw businessValidation(`You cannot apply ${centsToNumber(amount)} to ${type} ${id}: more than its open balance of ${centsToNumber(open)}.`, 'Line.Amount');
		}
	}
	return totalCents - applied;
}

/** `POST /payment` (create or update): CustomerRef and TotalAmt required, lines applied within balances. */
export function validatePayment(record: QboRecord, ctx: WriteContext): QboRecord {
	if (!record.CustomerRef || record.CustomerRef.value === undefined || record.CustomerRef.value === '') throw requiredParamMissing('CustomerRef');
	if (record.TotalAmt === undefined || record.TotalAmt === null || record.TotalAmt === '') throw requiredParamMissing('TotalAmt');
	const totalCents = cents(record.TotalAmt, 'TotalAmt');
	if (totalCents < 0n) throw invalidProperty(`TotalAmt must not be negative (got ${String(record.TotalAmt)})`, 'TotalAmt');
	const customer = resolveRef(ctx.realm, 'Customer', record.CustomerRef, 'CustomerRef');
	record.CustomerRef = { value: customer.Id, name: customer.DisplayName };
	if (record.PaymentMethodRef) {
		const method = resolveRef(ctx.realm, 'PaymentMethod', record.PaymentMethodRef, 'PaymentMethodRef');
		record.PaymentMethodRef = { value: method.Id, name: method.Name };
	}
	if (record.TxnDate === undefined || record.TxnDate === null) record.TxnDate = ctx.now.toISOString().slice(0, 10);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(String(record.TxnDate))) throw invalidProperty(`TxnDate value "${String(record.TxnDate)}" is not a valid date (expected YYYY-MM-DD)`, 'TxnDate');
	record.CurrencyRef = record.CurrencyRef ?? customer.CurrencyRef ?? { value: 'USD' };
	const applications = paymentLines(ctx.realm, record, customer.Id);
	record.TotalAmt = centsToNumber(totalCents);
	record.UnappliedAmt = centsToNumber(checkAmounts(ctx.realm, applications, totalCents, ctx.existingId));
	if (record.ProcessPayment === undefined) record.ProcessPayment = false;
	return record;
}

/** `POST /creditmemo`: built like an invoice (lines, tax, TotalAmt); no due date; RemainingCredit = Balance. */
export function validateCreditMemo(record: QboRecord, ctx: WriteContext): QboRecord {
	const memo = validateInvoice(record, ctx, 'CreditMemo');
	delete memo.DueDate;
	memo.RemainingCredit = memo.Balance;
	return memo;
}

/** Cents applied to one invoice / credit memo and the payments applying them, as its LinkedTxn. */
function linkState(realm: RealmState, type: LinkedType, id: string): { applied: bigint; linked: QboRecord[] } {
	let applied = 0n;
	const linked: QboRecord[] = [];
	for (const payment of realm.entities.Payment.values()) {
		const mine = applicationsOf(payment).filter((a) => a.txnType === type && a.txnId === id);
		if (mine.length === 0) continue;
		for (const a of mine) applied += a.cents;
		linked.push({ TxnId: payment.Id, TxnType: 'Payment' });
	}
	return { applied, linked };
}

/** Sets Balance (and a credit memo's RemainingCredit) and LinkedTxn from the payments; refuses a total below what is applied. */
export function settleBalance(realm: RealmState, type: LinkedType, record: QboRecord): QboRecord {
	const { applied, linked } = linkState(realm, type, String(record.Id));
	const total = cents(record.TotalAmt ?? 0, 'TotalAmt');
	if (applied > total) {
		throw businessValidation(`${type} ${String(record.Id)} has ${centsToNumber(applied)} applied by payments; its total can't drop to ${centsToNumber(total)}. Remove the payments first.`, 'TotalAmt');
	}
	record.Balance = centsToNumber(total - applied);
	if (type === 'CreditMemo') record.RemainingCredit = record.Balance;
	if (linked.length) record.LinkedTxn = linked;
	else delete record.LinkedTxn;
	return record;
}

/** True when a payment applies anything to this invoice / credit memo (void and delete are refused then). */
export function hasApplications(realm: RealmState, type: LinkedType, id: string): boolean {
	return linkState(realm, type, id).linked.length > 0;
}

/**
 * After a payment changed: every invoice and credit memo it applied to before or after gets its new
 * Balance; under `paymentTouchesInvoice: 'updated'` that is a new version (SyncToken, LastUpdatedTime).
 */
export function settleLinked(realm: RealmState, before: QboRecord | undefined, after: QboRecord | undefined, now: Date, assumptions: QboAssumptions): void {
	const keys = new Set([...applicationsOf(before), ...applicationsOf(after)].map((a) => keyOf(a.txnType, a.txnId)));
	for (const key of keys) {
		const [type, id] = key.split(':') as [LinkedType, string];
		const record = realm.entities[type].get(id);
		if (!record) continue;
		const previous = record.Balance;
		settleBalance(realm, type, record);
		if (assumptions.paymentTouchesInvoice === 'updated' && previous !== record.Balance) {
			record.SyncToken = String(Number(record.SyncToken) + 1);
			record.MetaData = { ...record.MetaData, LastUpdatedTime: qboTimestamp(now) };
		}
	}
}

/** A seeded company's balances: the seeded payments applied as if entered (other records stay as given). */
export function settleSeedBalances(realm: RealmState): void {
	for (const a of realm.entities.Payment.size ? [...realm.entities.Payment.values()].flatMap(applicationsOf) : []) {
		const record = realm.entities[a.txnType].get(a.txnId);
		if (record) settleBalance(realm, a.txnType, record);
	}
}
