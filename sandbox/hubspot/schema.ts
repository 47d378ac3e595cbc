/**
 * Built-in CRM schema of the simulated portal: property definitions per object type, the
 * timestamp property names (they differ per type, as in HubSpot), default properties returned
 * when a request names none, association type ids, and the scopes each object type needs.
 */
import type { ObjectType, PropertyDefinition, PropertyType } from './types';

/** HubSpot names its timestamp properties differently per object type. */
export const TIMESTAMP_PROPERTIES: Record<ObjectType, { created: string; modified: string }> = {
	invoices: { created: 'hs_createdate', modified: 'hs_lastmodifieddate' },
	line_items: { created: 'createdate', modified: 'hs_lastmodifieddate' },
	contacts: { created: 'createdate', modified: 'lastmodifieddate' },
	companies: { created: 'createdate', modified: 'hs_lastmodifieddate' },
	products: { created: 'createdate', modified: 'hs_lastmodifieddate' },
	discounts: { created: 'hs_createdate', modified: 'hs_lastmodifieddate' },
	fees: { created: 'hs_createdate', modified: 'hs_lastmodifieddate' },
	taxes: { created: 'hs_createdate', modified: 'hs_lastmodifieddate' },
	commerce_payments: { created: 'hs_createdate', modified: 'hs_lastmodifieddate' },
};

/** Invoice-level adjustments: associated with an invoice, they change its totals. */
export const ADJUSTMENT_TYPES = ['discounts', 'fees', 'taxes'] as const;
export type AdjustmentType = (typeof ADJUSTMENT_TYPES)[number];

/** Returned when a read names no `properties` (HubSpot's per-type defaults). */
export const DEFAULT_PROPERTIES: Record<ObjectType, string[]> = {
	invoices: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
	line_items: [
		'amount',
		'createdate',
		'description',
		'discount',
		'hs_lastmodifieddate',
		'hs_object_id',
		'hs_product_id',
		'name',
		'price',
		'quantity',
	],
	contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
	companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
	products: ['createdate', 'description', 'hs_lastmodifieddate', 'hs_object_id', 'name', 'price'],
	discounts: ['hs_createdate', 'hs_label', 'hs_lastmodifieddate', 'hs_object_id', 'hs_type', 'hs_value'],
	fees: ['hs_createdate', 'hs_label', 'hs_lastmodifieddate', 'hs_object_id', 'hs_type', 'hs_value'],
	taxes: ['hs_createdate', 'hs_label', 'hs_lastmodifieddate', 'hs_object_id', 'hs_type', 'hs_value'],
	commerce_payments: ['hs_createdate', 'hs_initial_amount', 'hs_initiated_date', 'hs_lastmodifieddate', 'hs_object_id'],
};

/** Always present in a response, whatever was asked for. */
export function alwaysReturned(type: ObjectType): string[] {
	const ts = TIMESTAMP_PROPERTIES[type];
	return [ts.created, ts.modified, 'hs_object_id'];
}

export const DEFAULT_GROUP: Record<ObjectType, string> = {
	invoices: 'invoiceinformation',
	line_items: 'lineiteminformation',
	contacts: 'contactinformation',
	companies: 'companyinformation',
	products: 'productinformation',
	discounts: 'discountinformation',
	fees: 'feeinformation',
	taxes: 'taxinformation',
	commerce_payments: 'paymentinformation',
};

interface PropSpec {
	name: string;
	label: string;
	type?: PropertyType;
	readOnly?: boolean;
	options?: string[];
}

const FIELD_TYPE: Record<PropertyType, string> = {
	string: 'text',
	number: 'number',
	datetime: 'date',
	date: 'date',
	enumeration: 'select',
	bool: 'booleancheckbox',
};

const common = (type: ObjectType): PropSpec[] => [
	{ name: TIMESTAMP_PROPERTIES[type].created, label: 'Create Date', type: 'datetime', readOnly: true },
	{ name: TIMESTAMP_PROPERTIES[type].modified, label: 'Last Modified Date', type: 'datetime', readOnly: true },
	{ name: 'hs_object_id', label: 'Record ID', type: 'number', readOnly: true },
];

const address: PropSpec[] = [
	{ name: 'address', label: 'Street Address' },
	{ name: 'city', label: 'City' },
	{ name: 'state', label: 'State/Region' },
	{ name: 'zip', label: 'Postal Code' },
	{ name: 'country', label: 'Country/Region' },
	{ name: 'phone', label: 'Phone Number' },
];

/** Discounts, fees and taxes: a label, PERCENT or FIXED, and the percent or amount. */
const adjustment: PropSpec[] = [
	{ name: 'hs_label', label: 'Label' },
	{ name: 'hs_type', label: 'Type', type: 'enumeration', options: ['PERCENT', 'FIXED'] },
	{ name: 'hs_value', label: 'Value', type: 'number' },
	{ name: 'hs_sort_order', label: 'Sort order', type: 'number' },
];

const BUILT_IN: Record<ObjectType, PropSpec[]> = {
	invoices: [
		...common('invoices'),
		{ name: 'hs_number', label: 'Number' },
		{ name: 'hs_title', label: 'Title' },
		{
			name: 'hs_invoice_status',
			label: 'Invoice status',
			type: 'enumeration',
			options: ['draft', 'open', 'paid', 'voided'],
		},
		{ name: 'hs_currency', label: 'Currency' },
		{ name: 'hs_invoice_date', label: 'Invoice Date', type: 'datetime' },
		{ name: 'hs_due_date', label: 'Due date', type: 'datetime' },
		// A free string here: the sync app's loop guard must handle any integration's value.
		{ name: 'hs_invoice_source', label: 'Invoice Source' },
		{ name: 'hs_amount_billed', label: 'Amount billed', type: 'number', readOnly: true },
		// Calculated from the line items and the associated discounts, fees and taxes (see invoiceTotals.ts).
		{ name: 'hs_subtotal', label: 'Subtotal', type: 'number', readOnly: true },
		{ name: 'hs_discounts_total', label: 'Total discounts', type: 'number', readOnly: true },
		{ name: 'hs_fees_total', label: 'Total fees', type: 'number', readOnly: true },
		{ name: 'hs_taxes_total', label: 'Total taxes', type: 'number', readOnly: true },
		{ name: 'hs_timezone', label: 'Time zone' },
		{ name: 'hs_balance_due', label: 'Balance due', type: 'number', readOnly: true },
		{ name: 'hs_amount_paid', label: 'Amount paid', type: 'number', readOnly: true },
		{ name: 'hs_payment_date', label: 'Payment date', type: 'datetime', readOnly: true },
		{ name: 'hs_external_invoice_id', label: 'External invoice ID' },
		{ name: 'hs_comments', label: 'Comments' },
		{ name: 'hs_tax_id', label: 'Tax ID' },
	],
	line_items: [
		...common('line_items'),
		{ name: 'name', label: 'Name' },
		{ name: 'description', label: 'Description' },
		{ name: 'hs_sku', label: 'SKU' },
		{ name: 'quantity', label: 'Quantity', type: 'number' },
		{ name: 'price', label: 'Unit price', type: 'number' },
		{ name: 'amount', label: 'Net price', type: 'number' },
		{ name: 'discount', label: 'Unit discount', type: 'number' },
		{ name: 'hs_discount_percentage', label: 'Discount Percentage', type: 'number' },
		{ name: 'hs_tax_rate_group_id', label: 'Tax rate' },
		{ name: 'hs_tax_label', label: 'Tax label' },
		{ name: 'hs_tax_rate', label: 'Tax rate (%)', type: 'number' },
		{ name: 'hs_tax_amount', label: 'Tax amount', type: 'number' },
		{ name: 'hs_product_id', label: 'Product ID', type: 'number' },
		{ name: 'hs_line_item_currency_code', label: 'Currency' },
	],
	contacts: [
		...common('contacts'),
		{ name: 'email', label: 'Email' },
		{ name: 'firstname', label: 'First Name' },
		{ name: 'lastname', label: 'Last Name' },
		{ name: 'company', label: 'Company Name' },
		...address,
	],
	companies: [
		...common('companies'),
		{ name: 'name', label: 'Company name' },
		{ name: 'domain', label: 'Company Domain Name' },
		...address,
	],
	products: [
		...common('products'),
		{ name: 'name', label: 'Name' },
		{ name: 'hs_sku', label: 'SKU' },
		{ name: 'price', label: 'Unit price', type: 'number' },
		{ name: 'description', label: 'Description' },
	],
	discounts: [...common('discounts'), ...adjustment, { name: 'hs_duration', label: 'Duration', type: 'enumeration', options: ['ONCE', 'FOREVER'] }],
	fees: [...common('fees'), ...adjustment],
	taxes: [...common('taxes'), ...adjustment],
	// hs_initial_amount and hs_initiated_date are the documented required ones; the others are this simulator's reading.
	commerce_payments: [
		...common('commerce_payments'),
		{ name: 'hs_initial_amount', label: 'Gross amount', type: 'number' },
		{ name: 'hs_initiated_date', label: 'Payment date', type: 'datetime' },
		{ name: 'hs_currency_code', label: 'Currency' },
		{ name: 'hs_reference_number', label: 'Reference number' },
		{ name: 'hs_payment_method_type', label: 'Payment method' },
	],
};

export const BUILT_IN_TIMESTAMP = '2020-01-01T00:00:00.000Z';

function toDefinition(type: ObjectType, spec: PropSpec, order: number): PropertyDefinition {
	const t = spec.type ?? 'string';
	return {
		name: spec.name,
		label: spec.label,
		type: t,
		fieldType: FIELD_TYPE[t],
		groupName: DEFAULT_GROUP[type],
		description: '',
		options: (spec.options ?? []).map((value, i) => ({
			label: value.charAt(0).toUpperCase() + value.slice(1),
			value,
			displayOrder: i,
			hidden: false,
			description: '',
		})),
		displayOrder: order,
		calculated: false,
		externalOptions: false,
		hasUniqueValue: false,
		hidden: false,
		hubspotDefined: true,
		formField: false,
		createdAt: BUILT_IN_TIMESTAMP,
		updatedAt: BUILT_IN_TIMESTAMP,
		modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: !!spec.readOnly },
		archived: false,
	};
}

export function builtInProperties(type: ObjectType): PropertyDefinition[] {
	return BUILT_IN[type].map((spec, i) => toDefinition(type, spec, i));
}

/** HUBSPOT_DEFINED association type ids (unlabeled), both directions. */
export const ASSOCIATION_TYPE_IDS: Partial<Record<ObjectType, Partial<Record<ObjectType, number>>>> = {
	// The invoice–discount/fee/tax ids are this simulator's own numbers: nothing relies on them.
	invoices: { contacts: 177, companies: 179, line_items: 409, discounts: 9_001, fees: 9_003, taxes: 9_005, commerce_payments: 9_007 },
	contacts: { invoices: 178, companies: 279 },
	companies: { invoices: 180, contacts: 280 },
	line_items: { invoices: 410 },
	discounts: { invoices: 9_002 },
	fees: { invoices: 9_004 },
	taxes: { invoices: 9_006 },
	commerce_payments: { invoices: 9_008 },
};

/** Type ids of USER_DEFINED association labels start here (HubSpot gives each label its own id). */
export const LABEL_TYPE_ID_BASE = 10_000;

/**
 * Scopes a token needs for object reads/writes (granular scope names as HubSpot lists them).
 * Discounts, fees and taxes are read and written with the line-item scopes (HubSpot's discounts,
 * fees and taxes guides).
 */
export function objectScope(type: ObjectType, access: 'read' | 'write'): string {
	const scoped = (ADJUSTMENT_TYPES as readonly string[]).includes(type) ? 'line_items' : type === 'commerce_payments' ? 'commercepayments' : type;
	return `crm.objects.${scoped}.${access}`;
}

export const TAX_RATES_SCOPE = 'tax_rates.read';

/**
 * Scopes that satisfy a required one: the legacy `e-commerce` scope for products and line items,
 * and (a leniency of the simulator) an object's own read/write scope for its property schema,
 * since granular `crm.schemas.*` scopes are not offered for every object type.
 */
export const SCOPE_ALIASES: Record<string, string[]> = {
	'crm.objects.products.read': ['e-commerce'],
	'crm.objects.products.write': ['e-commerce'],
	'crm.objects.line_items.read': ['e-commerce'],
	'crm.objects.line_items.write': ['e-commerce'],
	...Object.fromEntries(
		(['invoices', 'line_items', 'contacts', 'companies', 'products'] as ObjectType[]).flatMap((t) => [
			[`crm.schemas.${t}.read`, [`crm.objects.${t}.read`]],
			[`crm.schemas.${t}.write`, [`crm.objects.${t}.write`]],
		]),
	),
};

/** Every scope the simulator knows: what a default private app is granted. */
export const ALL_SCOPES: string[] = [
	objectScope('commerce_payments', 'read'),
	objectScope('commerce_payments', 'write'),
	...(['invoices', 'line_items', 'contacts', 'companies', 'products'] as ObjectType[]).flatMap((t) => [
		objectScope(t, 'read'),
		objectScope(t, 'write'),
		`crm.schemas.${t}.read`,
		`crm.schemas.${t}.write`,
	]),
	TAX_RATES_SCOPE,
	'oauth',
];
