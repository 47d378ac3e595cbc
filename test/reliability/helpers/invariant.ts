/**
 * The sync's invariant, checked against the sandbox state after a run, with expectations computed
 * from the data set itself (never from what the nodes did):
 *   - every syncable HubSpot invoice (expected created / updated / voided) exists exactly once in
 *     QuickBooks (found by its link line or its number) with the right customer, lines, tax, total;
 *   - every other invoice reached an error output with its expected code and has no QuickBooks invoice;
 *   - nothing else: no invoice QuickBooks did not have before that isn't one of the above, no
 *     customer created for an email QuickBooks already had a customer for.
 * "The same email" is QuickBooks' comparison, Customer Resolve's default: trimmed, ignoring case.
 * The right customer is the preferred seeded customer with the invoice's email, or else the one
 * customer the sync created for it.
 */
import type { Dataset } from '../../../sandbox';
import type { QboRecord, QboState } from '../../../sandbox/quickbooks';
import { QUICKBOOKS_EMAIL_MATCHING, emailKey, preferredCustomer, type QuickBooksCustomer } from '../../../package/nodes/CustomerResolve/emailMatch';
import type { ItemOutcome } from '../../../scripts/reliability/driver';
import { parseDecimal, percentOfCents, productCents, sameNumber, toCents } from './decimal';

export interface InvariantReport {
	/** Syncable invoices missing from QuickBooks, and failing invoices that reached no error output. */
	lost: number;
	/** Extra QuickBooks invoices for one HubSpot invoice (n copies count n − 1), plus duplicate customers. */
	duplicated: number;
	/** Present once but with wrong content, a wrong error code, or something that should not exist. */
	wrong: number;
	duplicatedCustomers: number;
	checked: { syncable: number; failing: number; notEmitted: number };
	/** One line per problem (capped), for the test's failure message. */
	problems: string[];
}

interface ExpectedLine {
	sku: string;
	quantity: string;
	unitPrice: string;
	amount: string;
	taxRateId?: string;
}

interface ExpectedInvoice {
	id: string;
	number: string;
	status: string;
	txnDate?: string;
	dueDate?: string;
	email?: string;
	lines: ExpectedLine[];
}

const LINK_LINE = /^\s*HubSpot invoice (\d+)\s*$/;

function linkedIds(note: unknown): string[] {
	if (typeof note !== 'string') return [];
	return note
		.split(/\r?\n/)
		.map((line) => LINK_LINE.exec(line)?.[1])
		.filter((id): id is string => Boolean(id));
}

/** What the data set says each HubSpot invoice is. */
export function expectedInvoices(dataset: Dataset): Map<string, ExpectedInvoice> {
	const hubspot = dataset.hubspot;
	const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((entry) => [entry.id, entry]));
	const lineItems = byId(hubspot.lineItems);
	const contacts = byId(hubspot.contacts);
	const linked = new Map<string, { line_items: string[]; contacts: string[] }>();
	for (const association of hubspot.associations) {
		if (association.fromType !== 'invoices') continue;
		const entry = linked.get(association.fromId) ?? { line_items: [], contacts: [] };
		if (association.toType === 'line_items') entry.line_items.push(association.toId);
		if (association.toType === 'contacts') entry.contacts.push(association.toId);
		linked.set(association.fromId, entry);
	}
	const result = new Map<string, ExpectedInvoice>();
	for (const invoice of hubspot.invoices) {
		const p = invoice.properties;
		const links = linked.get(invoice.id) ?? { line_items: [], contacts: [] };
		const contact = links.contacts.map((id) => contacts.get(id)).find(Boolean);
		const lines: ExpectedLine[] = links.line_items
			.map((id) => lineItems.get(id))
			.filter((line): line is NonNullable<typeof line> => Boolean(line))
			.map((line) => {
				const lp = line.properties;
				const price = parseDecimal(lp.price ?? '0');
				// The generated data sets carry no discounts; a discounted line would need its net unit price here.
				if (lp.discount || lp.hs_discount_percentage) throw new Error(`invariant: line ${line.id} has a discount; extend expectedInvoices`);
				return {
					sku: lp.hs_sku ?? '',
					quantity: lp.quantity ?? '0',
					unitPrice: price ? String(lp.price) : '0',
					amount: lp.amount ?? '0',
					taxRateId: lp.hs_tax_rate_group_id ?? undefined,
				};
			});
		result.set(invoice.id, {
			id: invoice.id,
			number: p.hs_number ?? '',
			status: p.hs_invoice_status ?? '',
			txnDate: p.hs_invoice_date?.slice(0, 10),
			dueDate: p.hs_due_date?.slice(0, 10),
			email: contact?.properties.email ?? undefined,
			lines,
		});
	}
	return result;
}

export interface InvariantInput {
	dataset: Dataset;
	/** The live QuickBooks simulator state (sandbox.quickbooks.state). */
	state: QboState;
	/** The last outcome each HubSpot invoice reached (across every execution). */
	outcomes: Map<string, ItemOutcome>;
	/** Every HubSpot invoice id the trigger ever emitted. */
	emitted: Set<string>;
}

export function checkInvariant(input: InvariantInput): InvariantReport {
	const { dataset, state, outcomes, emitted } = input;
	const realm = state.realms[dataset.realmId];
	const seed = dataset.quickbooks.find((company) => company.realmId === dataset.realmId)!;
	const seededInvoiceIds = new Set((seed.entities.Invoice ?? []).map((record: QboRecord) => String(record.Id)));
	const invoices = [...realm.entities.Invoice.values()];
	const customers = realm.entities.Customer;
	const seededCustomers = (seed.entities.Customer ?? []) as QboRecord[];
	const seededCustomerIds = new Set(seededCustomers.map((customer) => String(customer.Id)));
	const seededByEmail = groupByEmail(seededCustomers);
	const items = [...realm.entities.Item.values()];
	const taxRateByCode = new Map<string, number>();
	for (const code of realm.entities.TaxCode.values()) {
		const rateIds = ((code.SalesTaxRateList as any)?.TaxRateDetail ?? []).map((detail: any) => String(detail.TaxRateRef?.value));
		const rates = rateIds.map((id: string) => Number(realm.entities.TaxRate.get(id)?.RateValue ?? 0));
		taxRateByCode.set(String(code.Id), rates.reduce((sum: number, rate: number) => sum + rate, 0));
	}
	const mapping = new Map(dataset.taxMapping.map((entry) => [entry.hubspotTaxRateId, entry.qboTaxCodeId]));

	const byDocNumber = new Map<string, QboRecord[]>();
	const byLink = new Map<string, QboRecord[]>();
	for (const record of invoices) {
		const doc = String(record.DocNumber ?? '');
		byDocNumber.set(doc, [...(byDocNumber.get(doc) ?? []), record]);
		for (const id of linkedIds(record.PrivateNote)) byLink.set(id, [...(byLink.get(id) ?? []), record]);
	}

	const report: InvariantReport = {
		lost: 0,
		duplicated: 0,
		wrong: 0,
		duplicatedCustomers: 0,
		checked: { syncable: 0, failing: 0, notEmitted: 0 },
		problems: [],
	};
	const problem = (kind: 'lost' | 'duplicated' | 'wrong', text: string) => {
		report[kind]++;
		if (report.problems.length < 40) report.problems.push(`${kind}: ${text}`);
	};
	const accounted = new Set<string>();

	for (const [id, expected] of expectedInvoices(dataset)) {
		const expectation = dataset.expectations[id];
		if (!expectation) continue;
		const found = new Map<string, QboRecord>();
		for (const record of [...(byDocNumber.get(expected.number) ?? []), ...(byLink.get(id) ?? [])]) found.set(String(record.Id), record);
		const outcome = outcomes.get(id);
		const label = `${expected.number} (HubSpot ${id}, expected ${expectation.outcome}${expectation.code ? ` ${expectation.code}` : ''})`;

		if (expectation.outcome === 'created' || expectation.outcome === 'updated' || expectation.outcome === 'voided' || expectation.outcome === 'unchanged') {
			report.checked.syncable++;
			for (const key of found.keys()) accounted.add(key);
			if (found.size === 0) {
				problem('lost', `${label}: not in QuickBooks (last outcome ${outcome?.outcome ?? 'none'} ${outcome?.code ?? ''})`);
				continue;
			}
			if (found.size > 1) {
				problem('duplicated', `${label}: ${found.size} QuickBooks invoices (${[...found.keys()].join(', ')})`);
				report.duplicated += found.size - 2; // problem() counted one
				continue;
			}
			const record = [...found.values()][0];
			const mismatch = describeMismatch(expected, expectation.outcome, record, { customers, seededByEmail, seededCustomerIds, items, mapping, taxRateByCode });
			if (mismatch) problem('wrong', `${label}: ${mismatch}`);
			else if (!outcome || outcome.outcome === 'error' || outcome.outcome === 'skipped') {
				problem('wrong', `${label}: QuickBooks is right but the last outcome was ${outcome ? `${outcome.outcome} ${outcome.code ?? ''}` : 'none'}`);
			}
			continue;
		}

		if (expectation.outcome === 'error') {
			report.checked.failing++;
			const created = [...found.values()].filter((record) => !seededInvoiceIds.has(String(record.Id)));
			if (created.length) problem('wrong', `${label}: QuickBooks invoice ${created.map((r) => r.Id).join(', ')} exists`);
			for (const record of created) accounted.add(String(record.Id));
			if (!outcome) problem('lost', `${label}: reached no output`);
			else if (outcome.outcome !== 'error' || outcome.code !== expectation.code) problem('wrong', `${label}: got ${outcome.outcome} ${outcome.code ?? ''}`);
			continue;
		}

		// not-emitted
		report.checked.notEmitted++;
		if (emitted.has(id)) problem('wrong', `${label}: the trigger emitted it`);
		const created = [...found.values()].filter((record) => !seededInvoiceIds.has(String(record.Id)));
		if (created.length) problem('wrong', `${label}: QuickBooks invoice ${created.map((r) => r.Id).join(', ')} exists`);
		for (const record of created) accounted.add(String(record.Id));
	}

	for (const record of invoices) {
		const key = String(record.Id);
		if (!seededInvoiceIds.has(key) && !accounted.has(key)) problem('wrong', `QuickBooks invoice ${key} (${String(record.DocNumber)}) belongs to no HubSpot invoice`);
	}

	// Customers the sync created: one per email QuickBooks had no customer for, none for the others.
	// (Duplicates already in the seed are not the sync's doing. The generated data sets are in one
	// currency, so a customer per currency never applies.)
	const createdByEmail = groupByEmail([...customers.values()].filter((customer) => !seededCustomerIds.has(String(customer.Id))));
	for (const [key, created] of createdByEmail) {
		const seeded = seededByEmail.get(key)?.length ?? 0;
		const extra = created.length - (seeded > 0 ? 0 : 1);
		if (extra > 0) {
			report.duplicatedCustomers += extra;
			problem('duplicated', `${seeded + created.length} QuickBooks customers with email ${key} (${created.length} created: ${created.map((customer) => customer.Id).join(', ')})`);
			report.duplicated += extra - 1;
		}
	}
	return report;
}

/** Customers by email as QuickBooks (and Customer Resolve by default) compares them. */
function groupByEmail(customers: QboRecord[]): Map<string, QboRecord[]> {
	const byEmail = new Map<string, QboRecord[]>();
	for (const customer of customers) {
		const email = (customer.PrimaryEmailAddr as any)?.Address;
		if (typeof email !== 'string' || email === '') continue;
		const key = emailKey(email, QUICKBOOKS_EMAIL_MATCHING);
		byEmail.set(key, [...(byEmail.get(key) ?? []), customer]);
	}
	return byEmail;
}

interface Lookups {
	customers: Map<string, QboRecord>;
	/** The seed's customers by email key. */
	seededByEmail: Map<string, QboRecord[]>;
	seededCustomerIds: Set<string>;
	items: QboRecord[];
	mapping: Map<string, string>;
	taxRateByCode: Map<string, number>;
}

function describeMismatch(expected: ExpectedInvoice, outcome: string, record: QboRecord, lookups: Lookups): string | undefined {
	const note = String(record.PrivateNote ?? '');
	if (outcome === 'voided') {
		if (!/(^|\n)Voided(\n|$)/.test(note) || !sameNumber(record.TotalAmt ?? 0, 0)) return `not voided (TotalAmt ${String(record.TotalAmt)}, note ${JSON.stringify(note)})`;
		return undefined;
	}
	if (/(^|\n)Voided(\n|$)/.test(note)) return 'voided';
	if (record.DocNumber !== expected.number) return `DocNumber ${String(record.DocNumber)}`;
	if (expected.txnDate && record.TxnDate !== expected.txnDate) return `TxnDate ${String(record.TxnDate)} ≠ ${expected.txnDate}`;
	if (expected.dueDate && record.DueDate !== expected.dueDate) return `DueDate ${String(record.DueDate)} ≠ ${expected.dueDate}`;

	const customer = lookups.customers.get(String((record.CustomerRef as any)?.value));
	const email = (customer?.PrimaryEmailAddr as any)?.Address;
	if (!customer) return `customer ${(record.CustomerRef as any)?.value} does not exist`;
	if (customer.Active === false) return `customer ${String(customer.Id)} is inactive`;
	if (expected.email === undefined || typeof email !== 'string') return `customer ${String(customer.Id)} has email ${String(email)} ≠ ${String(expected.email)}`;
	const key = emailKey(expected.email, QUICKBOOKS_EMAIL_MATCHING);
	const existing = preferredCustomer((lookups.seededByEmail.get(key) ?? []) as QuickBooksCustomer[]);
	if (existing && String(customer.Id) !== String(existing.Id)) return `customer ${String(customer.Id)} (${email}) ≠ customer ${existing.Id}, which has email ${String((existing.PrimaryEmailAddr as any)?.Address)} for ${expected.email}`;
	if (!existing && lookups.seededCustomerIds.has(String(customer.Id))) return `customer ${String(customer.Id)} (${email}) is an existing customer; ${expected.email} needs a new one`;
	if (emailKey(email, QUICKBOOKS_EMAIL_MATCHING) !== key) return `customer ${String(customer.Id)} has email ${email} ≠ ${expected.email}`;

	const lines = ((record.Line ?? []) as any[]).filter((line) => line.DetailType === 'SalesItemLineDetail');
	if (lines.length !== expected.lines.length) return `${lines.length} lines ≠ ${expected.lines.length}`;
	const signature = (itemId: string, qty: unknown, price: unknown, amountCents: bigint | undefined, tax: string) =>
		`${itemId}|${String(parseDecimal(qty)?.units)}e${parseDecimal(qty)?.scale}|${String(toCents(price))}|${String(amountCents)}|${tax}`;
	const want: string[] = [];
	let taxable = 0n;
	let subtotal = 0n;
	let taxCode: string | undefined;
	for (const line of expected.lines) {
		const matches = lookups.items.filter((item) => item.Sku === line.sku);
		if (matches.length !== 1) return `expected SKU ${line.sku} matches ${matches.length} QuickBooks items`;
		const amount = toCents(line.amount)!;
		if (productCents(line.quantity, line.unitPrice) !== amount) return `data set line ${line.sku}: amount ≠ qty × price`;
		const code = line.taxRateId ? lookups.mapping.get(line.taxRateId) : undefined;
		const lineTax = code && code !== 'NON' && (lookups.taxRateByCode.get(code) ?? 0) > 0 ? 'TAX' : 'NON';
		if (lineTax === 'TAX') {
			taxable += amount;
			taxCode = code;
		}
		subtotal += amount;
		want.push(signature(String(matches[0].Id), Number(line.quantity), line.unitPrice, amount, lineTax));
	}
	const got: string[] = [];
	for (const line of lines) {
		const detail = line.SalesItemLineDetail ?? {};
		const amount = toCents(line.Amount);
		if (productCents(detail.Qty, detail.UnitPrice) !== amount) return `line ${String(line.LineNum)}: Amount ${line.Amount} ≠ Qty ${detail.Qty} × UnitPrice ${detail.UnitPrice}`;
		got.push(signature(String(detail.ItemRef?.value), detail.Qty, detail.UnitPrice, amount, String(detail.TaxCodeRef?.value ?? 'NON')));
	}
	want.sort();
	got.sort();
	if (want.join('\n') !== got.join('\n')) return `lines differ:\n  want ${want.join('; ')}\n  got  ${got.join('; ')}`;

	const detail = (record.TxnTaxDetail ?? {}) as any;
	const rate = taxCode ? lookups.taxRateByCode.get(taxCode) ?? 0 : 0;
	const tax = taxable > 0n ? percentOfCents(taxable, rate)! : 0n;
	if (taxable > 0n && String(detail.TxnTaxCodeRef?.value) !== taxCode) return `TxnTaxCodeRef ${String(detail.TxnTaxCodeRef?.value)} ≠ ${String(taxCode)}`;
	if (toCents(detail.TotalTax ?? 0) !== tax) return `TotalTax ${String(detail.TotalTax)} ≠ ${tax} cents`;
	if (toCents(record.TotalAmt) !== subtotal + tax) return `TotalAmt ${String(record.TotalAmt)} ≠ ${subtotal + tax} cents`;
	return undefined;
}

/** Folds executions' outcomes into the last outcome per HubSpot invoice. */
export function lastOutcomes(executions: Array<{ outcomes: ItemOutcome[] }>): Map<string, ItemOutcome> {
	const result = new Map<string, ItemOutcome>();
	for (const execution of executions) for (const outcome of execution.outcomes) result.set(outcome.hubspotId, outcome);
	return result;
}
