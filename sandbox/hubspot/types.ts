/** Shapes of the HubSpot simulator's data, as HubSpot's CRM API returns them. */

export const OBJECT_TYPES = ['invoices', 'line_items', 'contacts', 'companies', 'products', 'discounts', 'fees', 'taxes', 'commerce_payments'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export function isObjectType(s: string): s is ObjectType {
	return (OBJECT_TYPES as readonly string[]).includes(s);
}

/** A CRM record: every property value is a string (or null), as on the wire. */
export interface HubSpotObject {
	id: string;
	properties: Record<string, string | null>;
	createdAt: string;
	updatedAt: string;
	archived: boolean;
}

export type PropertyType = 'string' | 'number' | 'datetime' | 'date' | 'enumeration' | 'bool';

export interface PropertyOption {
	label: string;
	value: string;
	displayOrder?: number;
	hidden?: boolean;
	description?: string;
}

/** A property definition as `GET /crm/v3/properties/{objectType}` returns it. */
export interface PropertyDefinition {
	name: string;
	label: string;
	type: PropertyType;
	fieldType: string;
	groupName: string;
	description: string;
	options: PropertyOption[];
	displayOrder: number;
	calculated: boolean;
	externalOptions: boolean;
	hasUniqueValue: boolean;
	hidden: boolean;
	hubspotDefined?: boolean;
	formField: boolean;
	createdAt?: string;
	updatedAt?: string;
	modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
	archived?: boolean;
}

export interface PropertyGroup {
	name: string;
	label: string;
	displayOrder: number;
	archived: boolean;
}

/** One association edge as stored in a dataset (direction: from → to; the reverse is implied). */
export interface AssociationRecord {
	fromType: ObjectType;
	fromId: string;
	toType: ObjectType;
	toId: string;
	/** Association labels (USER_DEFINED, e.g. "Billing contact"), in the from → to direction. */
	labels?: string[];
}

export interface HubSpotTaxRate {
	id: string;
	name: string;
	label: string;
	/** Percent, e.g. 7.25 */
	percentageRate: number;
	active: boolean;
}

/** The HubSpot half of a dataset: what the simulator is seeded with. */
export interface HubSpotSeed {
	invoices: HubSpotObject[];
	lineItems: HubSpotObject[];
	contacts: HubSpotObject[];
	companies: HubSpotObject[];
	products: HubSpotObject[];
	taxRates: HubSpotTaxRate[];
	associations: AssociationRecord[];
	/** Invoice-level discounts, fees and taxes (`hs_type` PERCENT or FIXED, `hs_value`), associated with invoices. */
	discounts?: HubSpotObject[];
	fees?: HubSpotObject[];
	taxes?: HubSpotObject[];
	/** Payments recorded in HubSpot (commerce payments API), associated with invoices. */
	commercePayments?: HubSpotObject[];
	/** The account's time zone (IANA name) that account info reports; default US/Eastern. */
	timeZone?: string;
}
