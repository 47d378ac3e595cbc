/**
 * The simulated portal's data: CRM records per object type, property definitions (built-in and
 * created through the properties API), associations (indexed both ways) and tax rates.
 * Everything is kept in HubSpot's wire shape so handlers only select and copy.
 */
import { errors } from './errors';
import { DEFAULT_INVOICE_TOTALS_SETTINGS, invoiceTotals, lineItemAmount, lineItemTax, type InvoiceTotalsSettings } from './invoiceTotals';
import { DEFAULT_INVOICE_WRITE_SETTINGS, type InvoiceWriteSettings } from './writeRules';
import { invoicePaymentValues } from './invoicePayments';
import {
	ADJUSTMENT_TYPES,
	ASSOCIATION_TYPE_IDS,
	LABEL_TYPE_ID_BASE,
	BUILT_IN_TIMESTAMP,
	DEFAULT_GROUP,
	TIMESTAMP_PROPERTIES,
	builtInProperties,
} from './schema';
import {
	OBJECT_TYPES,
	type AssociationRecord,
	type HubSpotObject,
	type HubSpotSeed,
	type HubSpotTaxRate,
	type ObjectType,
	type PropertyDefinition,
	type PropertyGroup,
} from './types';

type Index<T> = Map<string, T>;

export interface PropertyValidationIssue {
	name: string;
	error: string;
	message: string;
}

/** A saved change, as HubSpot's webhooks report it (webhooks.ts turns it into events). */
export interface StoreChange {
	type: ObjectType;
	id: string;
	kind: 'creation' | 'propertyChange';
	/** The properties the change set (a creation: every property given). */
	properties: Record<string, string | null>;
	atMs: number;
}

export class HubSpotStore {
	/** Told of every saved change (the webhook delivery listens here). */
	changeObserver?: (change: StoreChange) => void;
	readonly objects: Record<ObjectType, Index<HubSpotObject>>;
	readonly properties: Record<ObjectType, Index<PropertyDefinition>>;
	readonly groups: Record<ObjectType, PropertyGroup[]>;
	taxRates: HubSpotTaxRate[];
	/** `${fromType}:${fromId}` → toType → ordered ids */
	private readonly links = new Map<string, Map<ObjectType, string[]>>();
	/** `${fromType}:${fromId}>${toType}:${toId}` → association labels in that direction. */
	private readonly labels = new Map<string, string[]>();
	/** `${fromType}>${toType}:${label}` → the label's type id. */
	private readonly labelTypeIds = new Map<string, number>();
	private lastStampMs = 0;
	/** Id-ordered record lists, rebuilt only after a create (searches and lists read them often). */
	private readonly ordered: Partial<Record<ObjectType, HubSpotObject[]>> = {};
	private nextId = 90_000_000_001;

	constructor(
		seed: HubSpotSeed,
		private readonly now: () => Date,
		private readonly totalsSettings: InvoiceTotalsSettings = DEFAULT_INVOICE_TOTALS_SETTINGS,
		/** Invoice write rules HubSpot leaves undocumented (writeRules.ts); live, shared across resets. */
		readonly invoiceWriteSettings: InvoiceWriteSettings = DEFAULT_INVOICE_WRITE_SETTINGS,
	) {
		this.objects = Object.fromEntries(OBJECT_TYPES.map((t) => [t, new Map()])) as HubSpotStore['objects'];
		this.properties = Object.fromEntries(
			OBJECT_TYPES.map((t) => [t, new Map(builtInProperties(t).map((p) => [p.name, p]))]),
		) as HubSpotStore['properties'];
		this.groups = Object.fromEntries(
			OBJECT_TYPES.map((t) => [
				t,
				[{ name: DEFAULT_GROUP[t], label: `${t} information`, displayOrder: -1, archived: false }],
			]),
		) as HubSpotStore['groups'];
		this.taxRates = seed.taxRates.map((r) => ({ ...r }));
		const byType: Record<ObjectType, HubSpotObject[]> = {
			invoices: seed.invoices,
			line_items: seed.lineItems,
			contacts: seed.contacts,
			companies: seed.companies,
			products: seed.products,
			discounts: seed.discounts ?? [],
			fees: seed.fees ?? [],
			taxes: seed.taxes ?? [],
			commerce_payments: seed.commercePayments ?? [],
		};
		for (const type of OBJECT_TYPES) {
			for (const o of byType[type]) {
				// Copy: the simulator mutates its records, the dataset must stay as generated.
				this.objects[type].set(o.id, { ...o, properties: { ...o.properties } });
				this.lastStampMs = Math.max(this.lastStampMs, Date.parse(o.updatedAt) || 0);
				const numeric = Number(o.id);
				if (Number.isFinite(numeric) && numeric >= this.nextId) this.nextId = numeric + 1;
			}
		}
		for (const a of seed.associations) this.associate(a, false);
		for (const invoice of this.objects.invoices.values()) this.recomputeInvoiceTotals(invoice.id);
	}

	/**
	 * A modification timestamp that is never earlier than any existing one, so a poller that
	 * pages on `hs_lastmodifieddate` always sees a mutation even when the clock lags the dataset.
	 */
	stamp(): string {
		const ms = Math.max(this.now().getTime(), this.lastStampMs + 1);
		this.lastStampMs = ms;
		return new Date(ms).toISOString();
	}

	get(type: ObjectType, id: string): HubSpotObject | undefined {
		const o = this.objects[type].get(id);
		return o && !o.archived ? o : undefined;
	}

	/** Live records ordered by numeric id (HubSpot's list order). */
	list(type: ObjectType): HubSpotObject[] {
		const all = (this.ordered[type] ??= [...this.objects[type].values()].sort((a, b) => compareIds(a.id, b.id)));
		return all.filter((o) => !o.archived);
	}

	propertyDefinition(type: ObjectType, name: string): PropertyDefinition | undefined {
		return this.properties[type].get(name);
	}

	associate(a: AssociationRecord, recompute = true): void {
		this.link(a.fromType, a.fromId, a.toType, a.toId);
		this.link(a.toType, a.toId, a.fromType, a.fromId);
		if (a.labels?.length) {
			const key = `${a.fromType}:${a.fromId}>${a.toType}:${a.toId}`;
			this.labels.set(key, [...new Set([...(this.labels.get(key) ?? []), ...a.labels])]);
			for (const label of a.labels) this.labelTypeId(a.fromType, a.toType, label);
		}
		if (recompute && a.fromType === 'invoices') this.recomputeInvoiceTotals(a.fromId);
		if (recompute && a.toType === 'invoices') this.recomputeInvoiceTotals(a.toId);
	}

	/** Labels of the association from → to (empty when unlabeled). */
	associationLabels(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): string[] {
		return this.labels.get(`${fromType}:${fromId}>${toType}:${toId}`) ?? [];
	}

	/** The type id of a USER_DEFINED label (one per label and direction, as HubSpot assigns them). */
	labelTypeId(fromType: ObjectType, toType: ObjectType, label: string): number {
		const key = `${fromType}>${toType}:${label}`;
		let id = this.labelTypeIds.get(key);
		if (id === undefined) {
			id = LABEL_TYPE_ID_BASE + this.labelTypeIds.size;
			this.labelTypeIds.set(key, id);
		}
		return id;
	}

	/** Every label defined from → to, with its type id. */
	definedLabels(fromType: ObjectType, toType: ObjectType): Array<{ label: string; typeId: number }> {
		const prefix = `${fromType}>${toType}:`;
		return [...this.labelTypeIds]
			.filter(([key]) => key.startsWith(prefix))
			.map(([key, typeId]) => ({ label: key.slice(prefix.length), typeId }));
	}

	/**
	 * Sets an invoice's calculated money properties (hs_subtotal, hs_discounts_total, hs_fees_total,
	 * hs_taxes_total, hs_amount_billed) from its line items, discounts, fees and taxes. An invoice
	 * with none of them keeps the values it was given.
	 */
	recomputeInvoiceTotals(invoiceId: string): void {
		const invoice = this.get('invoices', invoiceId);
		if (!invoice) return;
		const records = (type: ObjectType) => this.associatedIds('invoices', invoiceId, type).map((id) => this.get(type, id)!);
		const parts = { lineItems: records('line_items'), discounts: records('discounts'), fees: records('fees'), taxes: records('taxes'), taxRates: this.taxRates };
		const before = { ...invoice.properties };
		if (parts.lineItems.length || parts.discounts.length || parts.fees.length || parts.taxes.length) {
			Object.assign(invoice.properties, invoiceTotals(parts, this.totalsSettings));
		}
		Object.assign(invoice.properties, invoicePaymentValues(invoice, records('commerce_payments')));
		const changed = Object.fromEntries(Object.entries(invoice.properties).filter(([name, value]) => before[name] !== value));
		if (Object.keys(changed).length) this.changeObserver?.({ type: 'invoices', id: invoiceId, kind: 'propertyChange', properties: changed, atMs: this.now().getTime() });
	}

	private link(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): void {
		const key = `${fromType}:${fromId}`;
		let byType = this.links.get(key);
		if (!byType) this.links.set(key, (byType = new Map()));
		const ids = byType.get(toType) ?? [];
		if (!ids.includes(toId)) ids.push(toId);
		byType.set(toType, ids);
	}

	associatedIds(fromType: ObjectType, fromId: string, toType: ObjectType): string[] {
		// An archived record's associations are gone with it (and back if it is restored).
		if (!this.get(fromType, fromId)) return [];
		const ids = this.links.get(`${fromType}:${fromId}`)?.get(toType) ?? [];
		return ids.filter((id) => this.get(toType, id));
	}

	associationTypeId(fromType: ObjectType, toType: ObjectType): number {
		return ASSOCIATION_TYPE_IDS[fromType]?.[toType] ?? 0;
	}

	/** All association edges, each once (in the direction they were first stored). */
	associationRecords(): AssociationRecord[] {
		const seen = new Set<string>();
		const out: AssociationRecord[] = [];
		for (const [key, byType] of this.links) {
			const [fromType, fromId] = splitKey(key);
			for (const [toType, ids] of byType) {
				for (const toId of ids) {
					const edge = [`${fromType}:${fromId}`, `${toType}:${toId}`].sort().join('|');
					if (seen.has(edge)) continue;
					seen.add(edge);
					const labels = this.associationLabels(fromType, fromId, toType, toId);
					out.push(labels.length ? { fromType, fromId, toType, toId, labels } : { fromType, fromId, toType, toId });
				}
			}
		}
		return out;
	}

	/**
	 * Checks property values the way HubSpot's write endpoints do; returns every problem
	 * (HubSpot reports them all in one 400).
	 */
	validateProperties(type: ObjectType, values: Record<string, unknown>): PropertyValidationIssue[] {
		const issues: PropertyValidationIssue[] = [];
		for (const [name, value] of Object.entries(values)) {
			const def = this.propertyDefinition(type, name);
			if (!def) {
				issues.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
				continue;
			}
			if (def.modificationMetadata.readOnlyValue || def.calculated) {
				issues.push({ name, error: 'READ_ONLY_VALUE', message: `"${name}" is a read only property; its value cannot be set.` });
				continue;
			}
			if (value === null || value === undefined || value === '') continue;
			const text = String(value);
			if (def.type === 'number' && !Number.isFinite(Number(text.trim()))) {
				issues.push({ name, error: 'INVALID_FLOAT', message: `${text} was not a valid number.` });
			} else if ((def.type === 'datetime' || def.type === 'date') && parseHubSpotTime(text) === undefined) {
				issues.push({ name, error: 'INVALID_DATE', message: `${text} was not a valid long or ISO 8601 date.` });
			} else if (def.type === 'enumeration' && def.options.length > 0) {
				const allowed = def.options.map((o) => o.value);
				// Multi-select values are ';'-separated; each part must be an option.
				const bad = text.split(';').filter((v) => !allowed.includes(v));
				if (bad.length > 0) {
					issues.push({
						name,
						error: 'INVALID_OPTION',
						message: `${text} was not one of the allowed options: [${allowed.join(', ')}]`,
					});
				}
			} else if (def.type === 'bool' && !['true', 'false'].includes(text.toLowerCase())) {
				issues.push({ name, error: 'INVALID_BOOLEAN', message: `${text} was not a valid boolean.` });
			}
		}
		return issues;
	}

	/** Stores values as HubSpot would (strings; datetimes normalized to ISO) and bumps the modified date. */
	applyProperties(type: ObjectType, object: HubSpotObject, values: Record<string, unknown>, kind: StoreChange['kind'] = 'propertyChange'): void {
		for (const [name, value] of Object.entries(values)) {
			const def = this.propertyDefinition(type, name);
			if (value === null || value === undefined) {
				object.properties[name] = '';
				continue;
			}
			let text = String(value);
			if (def && (def.type === 'datetime' || def.type === 'date') && text !== '') {
				const ms = parseHubSpotTime(text);
				if (ms !== undefined) text = new Date(ms).toISOString();
			}
			object.properties[name] = text;
		}
		const amount = type === 'line_items' ? lineItemAmount(object.properties, Object.keys(values)) : undefined;
		if (amount !== undefined) object.properties.amount = amount;
		const tax = type === 'line_items' ? lineItemTax(object.properties, [...Object.keys(values), ...(amount !== undefined ? ['amount'] : [])], this.taxRates) : undefined;
		if (tax) Object.assign(object.properties, tax);
		const at = this.stamp();
		object.properties[TIMESTAMP_PROPERTIES[type].modified] = at;
		object.updatedAt = at;
		const changed = Object.fromEntries(Object.keys(values).map((name) => [name, object.properties[name]]));
		this.changeObserver?.({ type, id: object.id, kind, properties: changed, atMs: Date.parse(at) });
		if (type === 'line_items' || type === 'commerce_payments' || (ADJUSTMENT_TYPES as readonly string[]).includes(type)) {
			for (const invoiceId of this.associatedIds(type, object.id, 'invoices')) this.recomputeInvoiceTotals(invoiceId);
		}
	}

	/** Validates then applies; throws the HubSpot 400 on any invalid value. */
	update(type: ObjectType, id: string, values: Record<string, unknown>): HubSpotObject {
		const object = this.get(type, id);
		if (!object) throw errors.notFound(`Object not found.  objectId are usually numeric.`);
		const issues = this.validateProperties(type, values);
		if (issues.length > 0) throw errors.invalidProperties(issues);
		this.applyProperties(type, object, values);
		return object;
	}

	/**
	 * Archives a record (HubSpot's recycling bin): it leaves reads, searches and association reads,
	 * and the invoices it was part of are totalled again. Unknown or archived ids are ignored.
	 */
	archive(type: ObjectType, id: string): void {
		const object = this.get(type, id);
		if (!object) return;
		const invoiceIds = type === 'invoices' ? [] : this.associatedIds(type, id, 'invoices');
		object.archived = true;
		delete this.ordered[type];
		for (const invoiceId of invoiceIds) this.recomputeInvoiceTotals(invoiceId);
	}

	/** Creates a record (used by tests and by the control API to add data after start). */
	create(type: ObjectType, values: Record<string, unknown>, id?: string): HubSpotObject {
		const newId = id ?? String(this.nextId++);
		const at = this.stamp();
		const ts = TIMESTAMP_PROPERTIES[type];
		const object: HubSpotObject = {
			id: newId,
			properties: { [ts.created]: at, [ts.modified]: at, hs_object_id: newId },
			createdAt: at,
			updatedAt: at,
			archived: false,
		};
		this.objects[type].set(newId, object);
		delete this.ordered[type];
		this.applyProperties(type, object, values, 'creation');
		object.properties[ts.modified] = at;
		object.updatedAt = at;
		return object;
	}

	addProperty(type: ObjectType, def: PropertyDefinition): PropertyDefinition {
		if (this.properties[type].has(def.name)) {
			throw errors.conflict(`A property named '${def.name}' already exists.`);
		}
		this.properties[type].set(def.name, def);
		return def;
	}

	addGroup(type: ObjectType, group: PropertyGroup): PropertyGroup {
		if (this.groups[type].some((g) => g.name === group.name)) {
			throw errors.conflict(`A property group named '${group.name}' already exists.`);
		}
		this.groups[type].push(group);
		return group;
	}

	/** A JSON copy of everything, for `/__sandbox/state` and assertions. */
	snapshot(): {
		objects: Record<ObjectType, HubSpotObject[]>;
		associations: AssociationRecord[];
		customProperties: Record<ObjectType, PropertyDefinition[]>;
		propertyGroups: Record<ObjectType, PropertyGroup[]>;
		taxRates: HubSpotTaxRate[];
	} {
		const objects = {} as Record<ObjectType, HubSpotObject[]>;
		const customProperties = {} as Record<ObjectType, PropertyDefinition[]>;
		const propertyGroups = {} as Record<ObjectType, PropertyGroup[]>;
		for (const t of OBJECT_TYPES) {
			objects[t] = this.list(t).map((o) => ({ ...o, properties: { ...o.properties } }));
			customProperties[t] = [...this.properties[t].values()].filter((p) => !p.hubspotDefined).map((p) => ({ ...p }));
			propertyGroups[t] = this.groups[t].map((g) => ({ ...g }));
		}
		return {
			objects,
			associations: this.associationRecords(),
			customProperties,
			propertyGroups,
			taxRates: this.taxRates.map((r) => ({ ...r })),
		};
	}
}

/** HubSpot accepts epoch milliseconds or ISO 8601 for datetime values. */
export function parseHubSpotTime(value: string | number): number | undefined {
	const text = String(value).trim();
	if (/^-?\d+$/.test(text)) return Number(text);
	if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
	const ms = Date.parse(text);
	return Number.isNaN(ms) ? undefined : ms;
}

export function compareIds(a: string, b: string): number {
	const na = Number(a);
	const nb = Number(b);
	if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
	return a < b ? -1 : a > b ? 1 : 0;
}

function splitKey(key: string): [ObjectType, string] {
	const i = key.indexOf(':');
	return [key.slice(0, i) as ObjectType, key.slice(i + 1)];
}

export { BUILT_IN_TIMESTAMP };
