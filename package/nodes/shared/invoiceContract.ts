/**
 * The item contract: every node reads and writes one JSON item per invoice. The trigger emits
 * `invoice` (the canonical HubSpot invoice); each later node validates its input here and adds its
 * own part under `quickbooks`, never rewriting another node's part.
 */
// zod's v4 engine (shipped inside zod 3.25+, which n8n bundles) parses the contract in about half
// the CPU and garbage of the classic engine; every node validates every item.
import { z } from 'zod/v4';
import type { IDataObject } from 'n8n-workflow';

import { SyncError } from './errors';
import { mergeObjects } from './objects';

// Every node validates every item, so these two are parsed hundreds of thousands of times per
// sync: one check (not a union) and a default (not a transform) cost about half as much in zod 3.
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;
const decimal = z
	.custom<number | string>(
		(value) => (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && DECIMAL_TEXT.test(value)),
		{ error: (issue) => (issue.input === undefined || issue.input === null ? 'Required' : 'Expected a number or a decimal string') },
	)
	.transform((value) => Number(value));
const nullableText = z.string().nullable().default(null);

export const invoiceStatusSchema = z.enum(['draft', 'open', 'paid', 'voided']);
export type InvoiceStatus = z.infer<typeof invoiceStatusSchema>;

export const addressSchema = z
	.object({
		line1: nullableText,
		city: nullableText,
		state: nullableText,
		postalCode: nullableText,
		country: nullableText,
	})
	.partial();

export const invoiceCustomerSchema = z.object({
	email: nullableText,
	firstName: nullableText,
	lastName: nullableText,
	companyName: nullableText,
	hubspotContactId: nullableText,
	hubspotCompanyId: nullableText,
	address: addressSchema.nullish(),
});

export const invoiceLineSchema = z.object({
	hubspotLineItemId: nullableText,
	sku: nullableText,
	name: z.string().default(''),
	description: nullableText,
	quantity: decimal,
	/** The HubSpot unit price before discounts. */
	unitPrice: decimal,
	/** HubSpot's line amount (quantity × price − discounts). */
	amount: decimal.nullish(),
	discount: z
		.object({ amount: decimal.nullish(), percentage: decimal.nullish() })
		.nullable()
		.default(null),
	taxRateId: nullableText,
	taxLabel: nullableText,
});

export const invoiceAdjustmentSchema = z.object({
	kind: z.enum(['discount', 'fee']),
	hubspotId: nullableText,
	name: z.string().default(''),
	amount: decimal.nullish(),
	percentage: decimal.nullish(),
});

export const canonicalInvoiceSchema = z.object({
	source: z.object({
		/** The system the invoice was read from (the trigger that emitted it). */
		system: z.enum(['hubspot', 'quickbooks']),
		id: z.string().min(1),
		/** `hs_invoice_source`: which system created the invoice (the loop guard reads it). */
		createdBy: nullableText,
		/** Link to the invoice in HubSpot (for people reading an alert). */
		url: nullableText,
		lastModifiedAt: nullableText,
		/** `qbo_invoice_id` written back by an earlier sync: the strongest link to QuickBooks. */
		quickbooksInvoiceId: nullableText,
		/** `qbo_sync_hash` written back by an earlier sync (see contentHash.ts). */
		syncedHash: nullableText,
		/** QuickBooks Trigger: the HubSpot invoice this QuickBooks invoice is linked to (its PrivateNote link). */
		hubspotInvoiceId: z.string().nullable().optional(),
	}),
	number: z.string(),
	status: invoiceStatusSchema,
	currency: z.string().min(3).max(3),
	/**
	 * The trigger emits `YYYY-MM-DD`, the day the HubSpot user sees (see the trigger's mapping); an
	 * ISO datetime from another source is turned into a day by the upsert.
	 */
	issueDate: nullableText,
	dueDate: nullableText,
	customer: invoiceCustomerSchema,
	lines: z.array(invoiceLineSchema),
	/**
	 * HubSpot's invoice-level figures (`hs_subtotal`, `hs_discounts_total`, `hs_fees_total`,
	 * `hs_taxes_total`, `hs_amount_billed`). Observed, not documented: the subtotal is after line
	 * discounts, and `discountTotal` counts line-level discounts as well as invoice-level ones, so
	 * the invoice-level discounts are `adjustments`; total − taxTotal is the pre-tax total.
	 */
	totals: z
		.object({
			subtotal: decimal.nullish(),
			discountTotal: decimal.nullish(),
			feeTotal: decimal.nullish(),
			taxTotal: decimal.nullish(),
			total: decimal.nullish(),
		})
		.nullable()
		.default(null),
	/**
	 * Invoice-level discounts and fees (HubSpot's associated `discounts`/`fees` records). `amount` is a
	 * fixed, positive amount in the invoice currency; `percentage` is e.g. 10 for 10 %; one of the two is set.
	 */
	adjustments: z.array(invoiceAdjustmentSchema).default([]),
	/** QuickBooks Trigger: what is still owed (QuickBooks' Balance); amount paid is `totals.total` − balance. Not in the content hash. */
	balance: decimal.nullish(),
	/** Hash of every field the sync writes; equal hash = nothing to sync (see contentHash.ts). */
	contentHash: nullableText,
});

export type CanonicalInvoice = z.infer<typeof canonicalInvoiceSchema>;
export type CanonicalInvoiceInput = z.input<typeof canonicalInvoiceSchema>;
export type InvoiceLine = z.infer<typeof invoiceLineSchema>;
export type InvoiceCustomer = z.infer<typeof invoiceCustomerSchema>;
export type InvoiceAdjustment = z.infer<typeof invoiceAdjustmentSchema>;
export type InvoiceTotals = NonNullable<CanonicalInvoice['totals']>;

// Every part under `quickbooks` is written by this package's nodes, so each is strict: a key the
// contract does not declare is a node emitting something undeclared, or a hand-made part with a
// misspelt field (`itemID`), and fails as INVALID_INPUT naming it instead of travelling unseen.
export const quickbooksCustomerPartSchema = z.strictObject({
	id: z.string().min(1),
	displayName: z.string(),
	created: z.boolean(),
	/** Present when Customer Resolve made an inactive customer active again. */
	reactivated: z.boolean().optional(),
	/** Present when the name wanted was taken, so the customer was created as `displayName` instead. */
	renamedFrom: z.string().optional(),
	/** The customer's currency (multicurrency companies only): an invoice must be in it. */
	currency: z.string().optional(),
});

/** One per invoice line, in line order: SKU Match's item, Tax Map's tax code. */
export const quickbooksLinePartSchema = z.strictObject({
	itemId: z.string().min(1).optional(),
	itemName: z.string().optional(),
	/** How SKU Match found the item: by SKU, by name, the fallback item, or created or reactivated it. */
	matchedBy: z.enum(['sku', 'name', 'fallback', 'created', 'reactivated']).optional(),
	taxCodeId: z.string().min(1).nullish(),
});

export const quickbooksInvoicePartSchema = z.strictObject({
	id: z.string(),
	docNumber: z.string().nullish(),
	syncToken: z.string().nullish(),
	action: z.enum(['created', 'updated', 'unchanged', 'voided', 'skipped']),
	url: z.string().nullish(),
	/** Why the invoice was skipped, or why this run's copy was deleted in favour of another run's. */
	reason: z.string().optional(),
	/** An update: the fields that changed. */
	changes: z.array(z.string()).optional(),
	/** What the user should know about how the invoice was written (e.g. the tax code fees got). */
	notes: z.array(z.string()).optional(),
});

/** A SyncError as JSON (`SyncError.toJSON()`), as items carry it. */
export const syncErrorJsonSchema = z.strictObject({
	code: z.string(),
	message: z.string(),
	hint: z.string(),
	retryable: z.boolean(),
	details: z.record(z.string(), z.unknown()),
});

/** The upsert's HubSpot write-back of this invoice (Write Back to HubSpot on). */
export const writeBackStatusSchema = z.union([
	z.strictObject({ ok: z.literal(true), written: z.boolean() }),
	z.strictObject({ ok: z.literal(false), error: syncErrorJsonSchema }),
]);

export const quickbooksPartSchema = z.strictObject({
	customer: quickbooksCustomerPartSchema.optional(),
	lines: z.array(quickbooksLinePartSchema).optional(),
	txnTaxCodeId: z.string().nullish(),
	invoice: quickbooksInvoicePartSchema.optional(),
	writeBack: writeBackStatusSchema.optional(),
});

export type QuickBooksPart = z.infer<typeof quickbooksPartSchema>;
export type QuickBooksLinePart = z.infer<typeof quickbooksLinePartSchema>;

/** What a manual run of the trigger skipped, on its first item. */
export const triggerSummarySchema = z.strictObject({
	emitted: z.number(),
	skipped: z.number(),
	/** Invoices made by an integration: their count per Invoice Source value. */
	integrationSources: z.record(z.string(), z.number()),
	/** Unchanged since this sync wrote its result back (own write-back). */
	unchangedSinceLastSync: z.number(),
	/** Started in QuickBooks (`qbo_origin` = quickbooks): content comes from QuickBooks, a HubSpot edit is not synced. */
	startedInQuickBooks: z.number(),
	/** "Invoice Status Changed": changed, but not their status. */
	statusNotChanged: z.number(),
	message: z.string(),
});
export type TriggerSummary = z.infer<typeof triggerSummarySchema>;

/**
 * The QuickBooks Trigger's change behind an item: which event, which record (by its QuickBooks
 * entity and Id) and when QuickBooks says it changed (its MetaData.LastUpdatedTime).
 */
export const quickbooksChangeSchema = z.strictObject({
	event: z.enum(['invoiceCreated', 'invoiceUpdated', 'invoiceVoided', 'invoiceDeleted', 'paymentReceived', 'creditMemoCreated']),
	entity: z.enum(['Invoice', 'Payment', 'CreditMemo']),
	id: z.string().min(1),
	changedAt: z.string(),
});
export type QuickBooksChange = z.infer<typeof quickbooksChangeSchema>;

/**
 * The trigger's Extra Properties: HubSpot property name → value (HubSpot's text, or null). No node
 * of ours reads them, and a node in between may turn a value into a number: any value passes.
 */
const hubspotPropertiesSchema = z.record(z.string(), z.unknown());

// QuickBooks → HubSpot. The matching nodes add `hubspot.contact`, `hubspot.company` and
// `hubspot.lines`; the HubSpot Invoice Upsert adds `hubspot.invoice`. Strict, as the quickbooks parts.
export const hubspotContactPartSchema = z.strictObject({
	id: z.string().min(1),
	created: z.boolean(),
	email: z.string().nullish(),
});

export const hubspotCompanyPartSchema = z.strictObject({
	id: z.string().min(1),
	created: z.boolean(),
});

/**
 * One per invoice line, in line order: SKU Match's HubSpot product, and Tax Map's HubSpot tax rate
 * when taxed (Tax Map adds it to the lines SKU Match made, so it runs after SKU Match).
 */
export const hubspotLinePartSchema = z.strictObject({
	productId: z.string().min(1),
	taxRateId: z.string().min(1).nullish(),
});

export const hubspotInvoiceActionSchema = z.enum(['created', 'updated', 'voided', 'unchanged', 'paymentApplied', 'skipped']);

export const hubspotInvoicePartSchema = z.strictObject({
	/** The HubSpot invoice; null for a skipped invoice that has none. */
	id: z.string().min(1).nullable(),
	action: hubspotInvoiceActionSchema,
	/** `hs_invoice_status` as written (or found). */
	status: z.string(),
	amountPaid: z.string().nullish(),
	balance: z.string().nullish(),
	paidAt: z.string().nullish(),
	/** unpaid | partiallyPaid | paid (QuickBooks' figures). */
	paymentStatus: z.string().nullish(),
	url: z.string().nullish(),
	/** Which side's content the invoice keeps, and why (the two-way rule), when it matters. */
	rule: z.string().optional(),
	reason: z.string().optional(),
	/** An update: the properties or parts that changed. */
	changes: z.array(z.string()).optional(),
	/** HubSpot's total with tax a few cents from QuickBooks' because HubSpot rounds each line's tax. */
	totalDifference: z.strictObject({ hubspotTotal: z.string(), quickbooksTotal: z.string(), reason: z.string() }).optional(),
});

export const hubspotPartSchema = z.strictObject({
	contact: hubspotContactPartSchema.optional(),
	company: hubspotCompanyPartSchema.nullish(),
	lines: z.array(hubspotLinePartSchema).optional(),
	invoice: hubspotInvoicePartSchema.optional(),
});

export type HubSpotPart = z.infer<typeof hubspotPartSchema>;
export type HubSpotInvoicePart = z.infer<typeof hubspotInvoicePartSchema>;

/** A QuickBooks payment or credit applied to an invoice (the QuickBooks Trigger's payment events). */
export const quickbooksPaymentSchema = z.strictObject({
	quickbooksInvoiceId: z.string().min(1),
	/** The HubSpot invoice the QuickBooks invoice is linked to, when QuickBooks knows it. */
	hubspotInvoiceId: z.string().nullish(),
	/** Everything applied to the invoice so far (payments and credits), in the invoice currency. */
	amountPaid: decimal,
	/** What is still owed (QuickBooks' Balance). */
	balance: decimal,
	paidAt: nullableText,
	method: nullableText,
});
export type QuickBooksPayment = z.infer<typeof quickbooksPaymentSchema>;

/** A payment item as a node receives it (loose at the top level, as invoice items are). */
export const paymentItemSchema = z.looseObject({
	payment: quickbooksPaymentSchema,
	hubspot: hubspotPartSchema.optional(),
});
export type PaymentItem = z.infer<typeof paymentItemSchema>;

/** Every top-level key this package's nodes emit on an item. */
function itemShapeWith<I extends z.ZodType<CanonicalInvoice>>(invoice: I) {
	return {
		invoice,
		quickbooks: quickbooksPartSchema.optional(),
		hubspotProperties: hubspotPropertiesSchema.optional(),
		triggerSummary: triggerSummarySchema.optional(),
		change: quickbooksChangeSchema.optional(),
		hubspot: hubspotPartSchema.optional(),
	};
}

/**
 * An item as a node receives it: loose at the top level only. Between our nodes a workflow may
 * have Set, Merge or Code nodes adding fields of their own; those travel through every node to the
 * end untouched. Our keys are declared, and everything under them is checked.
 */
function syncItemSchemaWith<I extends z.ZodType<CanonicalInvoice>>(invoice: I) {
	return z.looseObject(itemShapeWith(invoice));
}

/** An item as this package's nodes emit it: only declared keys (the tests hold every node to it). */
export const emittedItemSchema = z.strictObject(itemShapeWith(canonicalInvoiceSchema));

/** The trigger's item for an invoice that cannot be mapped: the raw invoice and why. */
export const failedTriggerItemSchema = z.strictObject({
	invoice: z.record(z.string(), z.unknown()),
	error: syncErrorJsonSchema,
	hubspotProperties: hubspotPropertiesSchema.optional(),
	triggerSummary: triggerSummarySchema.optional(),
	change: quickbooksChangeSchema.optional(),
});

export const syncItemSchema = syncItemSchemaWith(canonicalInvoiceSchema);

export type SyncItem = z.infer<typeof syncItemSchema>;

/** Every earlier node's part present: what the upsert needs. */
function requireEarlierParts(item: SyncItem, context: z.RefinementCtx): void {
	const part = item.quickbooks;
	if (!part?.customer) {
		context.addIssue({ code: 'custom', path: ['quickbooks', 'customer'], message: 'missing: run Customer Resolve first' });
	}
	if (!part?.lines || part.lines.length !== item.invoice.lines.length) {
		context.addIssue({ code: 'custom', path: ['quickbooks', 'lines'], message: 'missing or wrong length: run SKU Match first' });
		return;
	}
	part.lines.forEach((line, index) => {
		if (!line.itemId) {
			context.addIssue({ code: 'custom', path: ['quickbooks', 'lines', index, 'itemId'], message: 'missing: run SKU Match first' });
		}
	});
}

export const upsertReadyItemSchema = syncItemSchema.superRefine(requireEarlierParts);

/** The matching nodes' parts present: what the HubSpot Invoice Upsert needs for an invoice. */
function requireHubSpotParts(item: SyncItem, context: z.RefinementCtx): void {
	const part = item.hubspot;
	if (!part?.contact) {
		context.addIssue({ code: 'custom', path: ['hubspot', 'contact'], message: 'missing: run the contact match first' });
	}
	if (!part?.lines || part.lines.length !== item.invoice.lines.length) {
		context.addIssue({ code: 'custom', path: ['hubspot', 'lines'], message: 'missing or wrong length: run the product match first' });
	}
}

export const upsertToHubSpotReadyItemSchema = syncItemSchema.superRefine(requireHubSpotParts);

/**
 * What the HubSpot Invoice Upsert takes: a payment item (it has `payment`) or an invoice item with
 * the matching nodes' parts. Each is checked against its own schema, so a misfit names its field.
 */
export const toHubSpotItemSchema = z.unknown().transform((value, context): SyncItem | PaymentItem => {
	const schema = value && typeof value === 'object' && 'payment' in value ? paymentItemSchema : upsertToHubSpotReadyItemSchema;
	const result = schema.safeParse(value);
	if (result.success) return result.data as SyncItem | PaymentItem;
	for (const issue of result.error.issues) context.addIssue({ code: 'custom', message: issue.message, path: issue.path as PropertyKey[] });
	return z.NEVER;
});

/**
 * Invoice objects this process has already validated. Between this package's nodes the invoice
 * object travels unchanged (execution.ts hands the incoming object on), so the next node checks
 * only the small `quickbooks` part instead of parsing the whole invoice again: about half of a
 * sync's CPU was the same invoice validated five times. Nodes in between that change an item make
 * new objects (n8n's Set and Code nodes copy), which are validated in full.
 */
const validatedInvoices = new WeakSet<object>();
const alreadyValidated = z.custom<CanonicalInvoice>((value) => typeof value === 'object' && value !== null);
const trustedVariants = new Map<z.ZodTypeAny, z.ZodTypeAny>([
	[syncItemSchema, syncItemSchemaWith(alreadyValidated)],
	[upsertReadyItemSchema, syncItemSchemaWith(alreadyValidated).superRefine(requireEarlierParts)],
]);

/** Marks an invoice object as validated (it equals a parsed, valid invoice). */
export function markInvoiceValidated(invoice: unknown): void {
	if (invoice && typeof invoice === 'object') validatedInvoices.add(invoice);
}

/**
 * Validates an incoming item. A misfit becomes INVALID_INPUT naming the first offending field,
 * for that item only.
 */
export function parseSyncItem<T extends z.ZodTypeAny = typeof syncItemSchema>(
	json: IDataObject,
	schema?: T,
): z.infer<T> {
	const fullSchema = (schema ?? syncItemSchema) as z.ZodTypeAny;
	const invoice = json.invoice;
	const trusted = invoice && typeof invoice === 'object' && validatedInvoices.has(invoice) ? trustedVariants.get(fullSchema) : undefined;
	const result = (trusted ?? fullSchema).safeParse(json);
	if (result.success) {
		const data = result.data as { invoice?: unknown };
		// The parse returns fresh copies, and n8n keeps every node's output until the execution ends:
		// when the incoming invoice and quickbooks part needed no normalising, keep them (one copy per
		// execution, not one per node) and let the copies die young instead of surviving the node.
		if (!trusted && invoice && typeof invoice === 'object' && sameJson(invoice, data.invoice)) data.invoice = invoice;
		for (const key of ['quickbooks', 'hubspotProperties', 'triggerSummary'] as const) {
			const incoming = json[key];
			if (incoming && typeof incoming === 'object' && sameJson(incoming, (data as IDataObject)[key])) (data as IDataObject)[key] = incoming;
		}
		markInvoiceValidated(data.invoice);
		return data as z.infer<T>;
	}
	const issue = result.error.issues[0];
	const field = issue.path.join('.') || '(item)';
	throw new SyncError(
		'INVALID_INPUT',
		{ detail: `${field}: ${issue.message}` },
		{ field, issues: result.error.issues.slice(0, 5).map((entry) => ({ path: entry.path.join('.'), message: entry.message })) },
	);
}

/** Deep equality of JSON values (objects, arrays, primitives). */
export function sameJson(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) || Array.isArray(b)) {
		if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
		for (let index = 0; index < a.length; index++) if (!sameJson(a[index], b[index])) return false;
		return true;
	}
	const left = a as Record<string, unknown>;
	const right = b as Record<string, unknown>;
	const keys = Object.keys(left);
	if (keys.length !== Object.keys(right).length) return false;
	for (const key of keys) if (!Object.prototype.hasOwnProperty.call(right, key) || !sameJson(left[key], right[key])) return false;
	return true;
}

/** Best-effort invoice number for messages about items that failed validation. */
export function describeInvoice(json: IDataObject): string {
	const invoice = json.invoice as IDataObject | undefined;
	const number = invoice?.number;
	const source = invoice?.source as IDataObject | undefined;
	if (typeof number === 'string' && number) return number;
	if (source && typeof source.id === 'string') return `HubSpot #${source.id}`;
	return '(unknown invoice)';
}

/** Adds a node's part under `quickbooks`, merging per line so earlier nodes' fields stay. */
export function withQuickBooksPart(item: SyncItem, part: Partial<QuickBooksPart>): IDataObject {
	return withPart(item, 'quickbooks', part);
}

/** Adds a matching node's part under `hubspot` (QuickBooks → HubSpot), merging per line as withQuickBooksPart does. */
export function withHubSpotPart(item: SyncItem, part: Partial<HubSpotPart>): IDataObject {
	return withPart(item, 'hubspot', part);
}

function withPart<K extends 'quickbooks' | 'hubspot'>(item: SyncItem, key: K, part: Partial<NonNullable<SyncItem[K]>>): IDataObject {
	const current = (item[key] ?? {}) as { lines?: object[] };
	const merged = mergeObjects(current as IDataObject, part as IDataObject) as IDataObject;
	const lines = (part as { lines?: object[] }).lines;
	if (lines) {
		const count = Math.max(lines.length, current.lines?.length ?? 0);
		merged.lines = Array.from({ length: count }, (_unused, index) => mergeObjects((current.lines?.[index] ?? {}) as IDataObject, lines[index] as IDataObject));
	}
	return mergeObjects(item as unknown as IDataObject, { [key]: merged });
}
