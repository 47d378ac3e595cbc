/**
 * Create / read / update / void / delete of QBO records in a realm, applying rules.ts.
 * A write either fully succeeds (new SyncToken, MetaData.LastUpdatedTime) or changes nothing.
 */
import {
	invalidProperty,
	objectNotFound,
	requiredParamMissing,
	staleObject,
	validationError,
} from './qboErrors';
import { DEFAULT_ASSUMPTIONS, type QboAssumptions } from './assumptions';
import { assertPeriodOpen, validateInvoice, validateItem, validateNamedListEntity, validateNameEntity, type WriteContext } from './rules';
import { cloneJson, ENTITY_NAMES, qboTimestamp, type EntityName, type QboRecord, type RealmState } from './state';
import { hasApplications, settleBalance, settleLinked, validateCreditMemo, validatePayment, type LinkedType } from './payments';

/** URL segment (lower case, as QBO's paths) → entity. */
export const ENTITY_BY_PATH: Record<string, EntityName> = Object.fromEntries(
	ENTITY_NAMES.map((name) => [name.toLowerCase(), name]),
) as Record<string, EntityName>;

export interface WriteOptions {
	now: Date;
	/** `?include=allowduplicatedocnum` */
	allowDuplicateDocNumber?: boolean;
	assumptions?: QboAssumptions;
}

/** Fields a client can't set; QBO manages them. */
const SERVER_FIELDS = ['Id', 'SyncToken', 'MetaData', 'domain', 'sparse'];

function withoutServerFields(payload: QboRecord): QboRecord {
	const copy = cloneJson(payload);
	for (const f of SERVER_FIELDS) delete copy[f];
	return copy;
}

function assertObject(payload: unknown, entity: string): asserts payload is QboRecord {
	if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
		throw invalidProperty(`The request body must be a ${entity} object`, entity);
	}
}

function validateFor(entity: EntityName, record: QboRecord, ctx: WriteContext): QboRecord {
	switch (entity) {
		case 'Invoice':
			return validateInvoice(record, ctx);
		case 'Item':
			return validateItem(record, ctx);
		case 'Payment':
			return validatePayment(record, ctx);
		case 'CreditMemo':
			return validateCreditMemo(record, ctx);
		case 'Customer':
		case 'Vendor':
		case 'Employee':
			return validateNameEntity(entity, record, ctx);
		default:
			return validateNamedListEntity(entity, record, ctx);
	}
}

/** The stored record with `Id`, else 610 Object Not Found (QBO's answer for missing or deleted records). */
export function readEntity(realm: RealmState, entity: EntityName, id: string): QboRecord {
	const record = realm.entities[entity].get(String(id));
	if (!record) throw objectNotFound(entity, String(id));
	return record;
}

/** Looks up the record an update/void/delete names and checks its SyncToken (5010 when stale). */
function currentVersion(realm: RealmState, entity: EntityName, payload: QboRecord): QboRecord {
	if (payload.Id === undefined || payload.Id === null || payload.Id === '') throw requiredParamMissing('Id');
	const existing = readEntity(realm, entity, String(payload.Id));
	if (payload.SyncToken === undefined || payload.SyncToken === null || payload.SyncToken === '') {
		throw requiredParamMissing('SyncToken');
	}
	if (String(payload.SyncToken) !== String(existing.SyncToken)) {
		throw staleObject(entity, existing.Id, String(payload.SyncToken), String(existing.SyncToken));
	}
	return existing;
}

function stampNewVersion(record: QboRecord, existing: QboRecord, now: Date): QboRecord {
	record.Id = existing.Id;
	record.SyncToken = String(Number(existing.SyncToken) + 1);
	record.domain = 'QBO';
	record.sparse = false;
	record.MetaData = { ...existing.MetaData, LastUpdatedTime: qboTimestamp(now) };
	return record;
}

/** `POST /{entity}`: create when the body has no Id, else update (sparse merge or full replace). */
export function saveEntity(realm: RealmState, entity: EntityName, payload: unknown, opts: WriteOptions): QboRecord {
	assertObject(payload, entity);
	const assumptions = opts.assumptions ?? DEFAULT_ASSUMPTIONS;
	const ctxBase = { realm, now: opts.now, allowDuplicateDocNumber: !!opts.allowDuplicateDocNumber, assumptions };
	if (payload.Id === undefined || payload.Id === null || payload.Id === '') {
		const record = validateFor(entity, withoutServerFields(payload), { ...ctxBase, isCreate: true });
		record.Id = String(realm.nextId[entity]++);
		record.SyncToken = '0';
		record.domain = 'QBO';
		record.sparse = false;
		const stamp = qboTimestamp(opts.now);
		record.MetaData = { CreateTime: stamp, LastUpdatedTime: stamp };
		store(realm, entity, record, undefined, opts);
		return record;
	}

	const existing = currentVersion(realm, entity, payload);
	// Item documents no sparse update; what QuickBooks does with one is a setting.
	const sparseAllowed = entity !== 'Item' || assumptions.itemSparseUpdate === 'applied';
	const sparse = sparseAllowed && (payload.sparse === true || payload.sparse === 'true');
	const changes = withoutServerFields(payload);
	if (sparse && 'DisplayName' in changes && (changes.DisplayName === null || String(changes.DisplayName).trim() === '')) {
		// A sparse update can't remove DisplayName.
		throw requiredParamMissing('DisplayName');
	}
	// A full update clears every field it omits; a sparse one changes only what it sends.
	const merged: QboRecord = sparse ? { ...cloneJson(existing), ...changes } : changes;
	if (entity === 'Invoice') {
		assertPeriodOpen(realm, existing.TxnDate); // an invoice in a closed period can't change either
		if (merged.DocNumber === undefined) merged.DocNumber = existing.DocNumber;
	}
	const record = validateFor(entity, merged, { ...ctxBase, isCreate: false, existingId: existing.Id });
	stampNewVersion(record, existing, opts.now);
	store(realm, entity, record, existing, opts);
	return record;
}

/** Keeps balances true: an invoice or credit memo nets what payments apply; a payment re-settles what it touches. */
function store(realm: RealmState, entity: EntityName, record: QboRecord, existing: QboRecord | undefined, opts: WriteOptions): void {
	if (entity === 'Invoice' || entity === 'CreditMemo') settleBalance(realm, entity, record);
	realm.entities[entity].set(record.Id, record);
	if (entity === 'Payment') settleLinked(realm, existing, record, opts.now, opts.assumptions ?? DEFAULT_ASSUMPTIONS);
}

/** Void and delete leave applied payments dangling in QuickBooks' books; the simulator refuses them (an assumption). */
function assertNothingApplied(realm: RealmState, entity: EntityName, id: string, operation: string): void {
	if ((entity === 'Invoice' || entity === 'CreditMemo') && hasApplications(realm, entity as LinkedType, id)) {
		throw validationError('6000', 'A business validation error has occurred while processing your request', `Business Validation Error: ${entity} ${id} has payments applied; remove them before you ${operation} it.`);
	}
}

/** `?operation=void` on an invoice or a payment (the transactions QuickBooks voids through the API here). */
export function voidEntity(realm: RealmState, entity: EntityName, payload: unknown, opts: WriteOptions): QboRecord {
	if (entity === 'Invoice') return voidInvoice(realm, payload, opts);
	if (entity === 'Payment') return voidPayment(realm, payload, opts);
	throw validationError('6000', 'A business validation error has occurred while processing your request', `Business Validation Error: Void is not supported for ${entity}.`);
}

/** `POST /payment?operation=void`: keeps the payment, zeroes it, drops its lines and notes "Voided" (Intuit, Payment). */
export function voidPayment(realm: RealmState, payload: unknown, opts: WriteOptions): QboRecord {
	assertObject(payload, 'Payment');
	const existing = currentVersion(realm, 'Payment', payload);
	assertPeriodOpen(realm, existing.TxnDate);
	const record: QboRecord = { ...cloneJson(existing), TotalAmt: 0, UnappliedAmt: 0, Line: [] };
	record.PrivateNote = existing.PrivateNote ? `Voided\n${existing.PrivateNote}` : 'Voided';
	stampNewVersion(record, existing, opts.now);
	store(realm, 'Payment', record, existing, opts);
	return record;
}

/** `POST /invoice?operation=void`: keeps the invoice, zeroes its amounts and notes "Voided". */
export function voidInvoice(realm: RealmState, payload: unknown, opts: WriteOptions): QboRecord {
	assertObject(payload, 'Invoice');
	const existing = currentVersion(realm, 'Invoice', payload);
	assertPeriodOpen(realm, existing.TxnDate);
	assertNothingApplied(realm, 'Invoice', existing.Id, 'void');
	const record = cloneJson(existing);
	for (const line of record.Line ?? []) {
		line.Amount = 0;
		if (line.SalesItemLineDetail) line.SalesItemLineDetail.Qty = 0;
	}
	record.TxnTaxDetail = { ...(record.TxnTaxDetail ?? {}), TotalTax: 0 };
	for (const taxLine of record.TxnTaxDetail.TaxLine ?? []) taxLine.Amount = 0;
	record.TotalAmt = 0;
	record.Balance = 0;
	if (record.HomeTotalAmt !== undefined) record.HomeTotalAmt = 0;
	// Keep the previous note below, so a link written there (e.g. "HubSpot invoice 123") survives.
	record.PrivateNote = existing.PrivateNote ? `Voided\n${existing.PrivateNote}` : 'Voided';
	stampNewVersion(record, existing, opts.now);
	realm.entities.Invoice.set(record.Id, record);
	return record;
}

/** Transactions the simulator deletes; names and items are made inactive instead. */
const DELETABLE: EntityName[] = ['Invoice', 'Payment', 'CreditMemo'];

/** `POST /{entity}?operation=delete`: only transactions can be deleted; names and items are made inactive instead. */
export function deleteEntity(realm: RealmState, entity: EntityName, payload: unknown, opts: WriteOptions): QboRecord {
	assertObject(payload, entity);
	if (!DELETABLE.includes(entity)) {
		throw validationError(
			'500',
			'Unsupported Operation',
			`Operation Delete is not supported for ${entity}; set Active to false instead.`,
		);
	}
	const existing = currentVersion(realm, entity, payload);
	assertPeriodOpen(realm, existing.TxnDate);
	assertNothingApplied(realm, entity, existing.Id, 'delete');
	realm.entities[entity].delete(existing.Id);
	if (entity === 'Payment') settleLinked(realm, existing, undefined, opts.now, opts.assumptions ?? DEFAULT_ASSUMPTIONS);
	// Change data capture reports the delete: Id, status and when (Intuit's CDC sample).
	realm.deleted.push({ entity, record: { domain: 'QBO', status: 'Deleted', Id: existing.Id, MetaData: { LastUpdatedTime: qboTimestamp(opts.now) } } });
	return { domain: 'QBO', status: 'Deleted', Id: existing.Id };
}

/** Update of CompanyInfo or Preferences (single records per company). */
export function saveSingleton(
	realm: RealmState,
	which: 'companyInfo' | 'preferences',
	payload: unknown,
	opts: WriteOptions,
): QboRecord {
	const entity = which === 'companyInfo' ? 'CompanyInfo' : 'Preferences';
	assertObject(payload, entity);
	const existing = realm[which];
	if (payload.SyncToken === undefined) throw requiredParamMissing('SyncToken');
	if (String(payload.SyncToken) !== String(existing.SyncToken)) {
		throw staleObject(entity, existing.Id, String(payload.SyncToken), String(existing.SyncToken));
	}
	const changes = withoutServerFields(payload);
	const sparse = payload.sparse === true || payload.sparse === 'true';
	const record = sparse ? { ...cloneJson(existing), ...changes } : changes;
	stampNewVersion(record, existing, opts.now);
	realm[which] = record;
	return record;
}
