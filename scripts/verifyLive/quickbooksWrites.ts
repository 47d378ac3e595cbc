/**
 * The QuickBooks --write session, run once and read by every write probe: test customers (emails
 * and names differing in case, a name with a backslash and a quote), one invoice (created without
 * a number, updated, updated again with a stale SyncToken, duplicated by number, voided; one in a
 * foreign currency; one dated on the closing date when the books are closed) and one item (created without an expense account,
 * then sparse-updated). Whatever happens, it cleans up: invoices voided, customers and items made
 * inactive (QuickBooks deletes neither).
 */
import { itemNeedsExpenseAccount } from '../../package/nodes/SkuMatch/skuMatching';
import { QUICKBOOKS_MAX_RESULTS, buildQuery } from '../../package/nodes/shared/transport/quickbooks';
import { ProbeError, type ProbeContext } from './probe';
import { companyInfo, describeFault, items, preferences, queryRows, read, save, type Row, type Saved } from './quickbooksApi';

export interface WriteSession {
	/** Why a fact could not be judged (a prerequisite failed). */
	unreached: Partial<Record<WriteFact, string>>;
	emailCase?: { firstId: string; second: Saved };
	nameCase?: { taken: string; asked: string; second: Saved };
	escapedName?: { name: string; created: Saved; foundExactly?: boolean; found?: number };
	invoice?: { customTxnNumbers: unknown; created: Row; updated: Saved; voided?: Saved };
	duplicate?: { docNumber: string; firstId: string; second: Saved };
	stale?: Saved;
	foreignCurrency?: { home: string; asked: string; multicurrency: boolean; created: Saved };
	/** Absent closeDate: the books are not closed. */
	closedPeriod?: { closeDate?: string; created?: Saved };
	itemExpense?: { country: string; needsExpenseAccount: boolean; created: Saved };
	itemSparse?: { before: Row; updated: Saved; after?: Row };
}

export type WriteFact =
	| 'emailCase'
	| 'nameCase'
	| 'escapedName'
	| 'invoice'
	| 'duplicate'
	| 'stale'
	| 'foreignCurrency'
	| 'closedPeriod'
	| 'itemExpense'
	| 'itemSparse';

/** Records to clean up, with their latest state. */
interface Created {
	customers: Row[];
	invoices: Map<string, Row>;
	items: Row[];
}

export async function writeSession(context: ProbeContext): Promise<WriteSession> {
	return await context.memo('qbo.write', async () => {
		const session: WriteSession = { unreached: {} };
		const created: Created = { customers: [], invoices: new Map(), items: [] };
		try {
			const first = await customerWrites(context, session, created);
			await invoiceWrites(context, session, created, first);
			await itemWrites(context, session, created);
		} finally {
			await cleanUp(context, created);
		}
		return session;
	});
}

/** The session, or a ProbeError when `fact` could not be reached. */
export async function reached(context: ProbeContext, fact: WriteFact): Promise<WriteSession> {
	const session = await writeSession(context);
	const reason = session.unreached[fact];
	if (reason) throw new ProbeError(`not reached: ${reason}`);
	return session;
}

function unreach(session: WriteSession, facts: WriteFact[], reason: string): void {
	for (const fact of facts) session.unreached[fact] ??= reason;
}

async function currencyRef(context: ProbeContext): Promise<Row> {
	const prefs = await preferences(context);
	const home = prefs.CurrencyPrefs?.HomeCurrency?.value;
	return prefs.CurrencyPrefs?.MultiCurrencyEnabled && home ? { CurrencyRef: { value: home } } : {};
}

/** Returns the first test customer (the invoice's), if QuickBooks created it. */
async function customerWrites(context: ProbeContext, session: WriteSession, created: Created): Promise<Row | undefined> {
	const tag = context.runTag;
	const currency = await currencyRef(context);

	// Two customers whose emails differ only in case, under different names.
	const email = `verify-live+${tag}@example.com`;
	const firstName = `Verify Live ${tag} A`;
	const first = await save(context, 'Customer', { DisplayName: firstName, PrimaryEmailAddr: { Address: email }, ...currency });
	if (first.row) {
		created.customers.push(first.row);
		const second = await save(context, 'Customer', { DisplayName: `Verify Live ${tag} B`, PrimaryEmailAddr: { Address: email.toUpperCase() }, ...currency });
		if (second.row) created.customers.push(second.row);
		session.emailCase = { firstId: String(first.row.Id), second };
		// The first name again, in upper case.
		const asked = firstName.toUpperCase();
		const sameName = await save(context, 'Customer', { DisplayName: asked, ...currency });
		if (sameName.row) created.customers.push(sameName.row);
		session.nameCase = { taken: firstName, asked, second: sameName };
	} else {
		unreach(session, ['emailCase', 'nameCase', 'invoice', 'duplicate', 'stale', 'foreignCurrency', 'closedPeriod'], `creating a test customer: ${describeFault(first.fault!)}`);
	}

	// A name with a backslash and a quote, found again by a query escaped as our transport escapes it.
	const name = `Verify Live ${tag} O'Brien \\ Co`;
	const named = await save(context, 'Customer', { DisplayName: name, ...currency });
	session.escapedName = { name, created: named };
	if (named.row) {
		created.customers.push(named.row);
		const found = await queryRows(context, buildQuery('Customer', [{ field: 'DisplayName', op: '=', value: name }]));
		session.escapedName.found = found.length;
		session.escapedName.foundExactly = found.some((row) => String(row.Id) === String(named.row!.Id) && row.DisplayName === name);
	}
	return first.row;
}

async function lineTaxCode(context: ProbeContext): Promise<Row | string> {
	// US companies mark lines taxable or not; other countries need a tax code on every line.
	if (String((await companyInfo(context)).Country ?? '') === 'US') return { value: 'NON' };
	const codes = await queryRows(context, buildQuery('TaxCode', [], { maxResults: QUICKBOOKS_MAX_RESULTS }));
	const code = codes.find((entry) => entry.Active !== false && !['TAX', 'NON'].includes(String(entry.Id)));
	return code ? { value: String(code.Id) } : 'the company has no active tax code for the test invoice line';
}

async function invoiceWrites(context: ProbeContext, session: WriteSession, created: Created, customer: Row | undefined): Promise<void> {
	if (!customer) return;
	const tag = context.runTag;
	const prefs = await preferences(context);
	const item = (await items(context)).find((entry) => ['Service', 'NonInventory'].includes(String(entry.Type)));
	const taxCode = await lineTaxCode(context);
	const blocker = !item ? 'the company has no active service or non-inventory item for the test invoice' : typeof taxCode === 'string' ? taxCode : undefined;
	if (blocker) return unreach(session, ['invoice', 'duplicate', 'stale', 'foreignCurrency', 'closedPeriod'], blocker);

	const note = `verify:live test invoice ${tag}, safe to delete`;
	const currency = await currencyRef(context);
	const invoiceBody = (extra: Row) => ({
		CustomerRef: { value: String(customer.Id) },
		Line: [
			{
				Amount: 1,
				DetailType: 'SalesItemLineDetail',
				Description: 'verify:live test line',
				SalesItemLineDetail: { ItemRef: { value: String(item!.Id) }, Qty: 1, UnitPrice: 1, TaxCodeRef: taxCode },
			},
		],
		PrivateNote: note,
		...currency,
		...extra,
	});
	const track = (row: Row) => created.invoices.set(String(row.Id), row);

	// Dated on the closing date, when the books are closed: refused (6210), or voided with the rest.
	const closeDate = prefs.AccountingInfoPrefs?.BookCloseDate as string | undefined;
	session.closedPeriod = { closeDate };
	if (closeDate) {
		session.closedPeriod.created = await save(context, 'Invoice', invoiceBody({ TxnDate: closeDate, PrivateNote: `${note} (closed period)` }));
		if (session.closedPeriod.created.row) track(session.closedPeriod.created.row);
	}

	// In another currency than the customer's (the home currency): refused, or voided with the rest.
	const home = String(prefs.CurrencyPrefs?.HomeCurrency?.value ?? '');
	const foreign = home === 'EUR' ? 'USD' : 'EUR';
	const inForeign = await save(context, 'Invoice', invoiceBody({ CurrencyRef: { value: foreign }, PrivateNote: `${note} (${foreign})` }));
	session.foreignCurrency = { home, asked: foreign, multicurrency: !!prefs.CurrencyPrefs?.MultiCurrencyEnabled, created: inForeign };
	if (inForeign.row) track(inForeign.row);

	// Created without a DocNumber: QuickBooks' numbering (or none) shows.
	const first = await save(context, 'Invoice', invoiceBody({}));
	if (!first.row) return unreach(session, ['invoice', 'duplicate', 'stale'], `creating the test invoice: ${describeFault(first.fault!)}`);
	const invoice = first.row;
	track(invoice);
	const numbered = typeof invoice.DocNumber === 'string' && invoice.DocNumber !== '';
	const docNumber = numbered ? invoice.DocNumber : tag.slice(0, 21);

	// A sparse update with the current SyncToken; it gives the invoice a number if it has none.
	const updated = await save(context, 'Invoice', { Id: invoice.Id, SyncToken: invoice.SyncToken, sparse: true, PrivateNote: `${note} (updated)`, ...(numbered ? {} : { DocNumber: docNumber }) });
	session.invoice = { customTxnNumbers: prefs.SalesFormsPrefs?.CustomTxnNumbers, created: invoice, updated };
	if (!updated.row) return unreach(session, ['duplicate', 'stale'], `the update of the test invoice failed: ${describeFault(updated.fault!)}`);
	track(updated.row);

	// The SyncToken the create returned is stale now.
	session.stale = await save(context, 'Invoice', { Id: invoice.Id, SyncToken: invoice.SyncToken, sparse: true, PrivateNote: `${note} (stale)` });
	if (session.stale.row) track(session.stale.row);

	const duplicate = await save(context, 'Invoice', invoiceBody({ DocNumber: docNumber }));
	session.duplicate = { docNumber, firstId: String(invoice.Id), second: duplicate };
	if (duplicate.row) track(duplicate.row);

	const latest = created.invoices.get(String(invoice.Id))!;
	session.invoice.voided = await save(context, 'Invoice', { Id: latest.Id, SyncToken: latest.SyncToken }, { operation: 'void' });
	if (session.invoice.voided.row) created.invoices.delete(String(invoice.Id));
}

async function firstAccount(context: ProbeContext, type: string): Promise<Row | undefined> {
	return (await queryRows(context, buildQuery('Account', [{ field: 'AccountType', op: '=', value: type }], { maxResults: 1 })))[0];
}

async function itemWrites(context: ProbeContext, session: WriteSession, created: Created): Promise<void> {
	const tag = context.runTag;
	const country = String((await companyInfo(context)).Country ?? '');
	const income = await firstAccount(context, 'Income');
	if (!income) return unreach(session, ['itemExpense', 'itemSparse'], 'the company has no income account for a test item');

	const item = { Name: `Verify Live ${tag}`, Sku: `VL-${tag}`, Type: 'Service', UnitPrice: 1, IncomeAccountRef: { value: String(income.Id) } };
	const plain = await save(context, 'Item', item);
	session.itemExpense = { country, needsExpenseAccount: itemNeedsExpenseAccount(country), created: plain };
	let row = plain.row;
	if (!row) {
		const cogs = await firstAccount(context, 'Cost of Goods Sold');
		if (!cogs) return unreach(session, ['itemSparse'], 'no test item: the company wants an expense account and has no Cost of Goods Sold account');
		const withExpense = await save(context, 'Item', { ...item, Name: `${item.Name} E`, ExpenseAccountRef: { value: String(cogs.Id) } });
		if (!withExpense.row) return unreach(session, ['itemSparse'], `creating a test item: ${describeFault(withExpense.fault!)}`);
		row = withExpense.row;
	}
	created.items.push(row);

	// Only a full update is documented for Item: what does `sparse: true` with one field do?
	const updated = await save(context, 'Item', { Id: row.Id, SyncToken: row.SyncToken, sparse: true, Description: `verify:live ${tag} sparse update` });
	session.itemSparse = { before: row, updated, after: updated.row ? await read(context, 'Item', String(row.Id)) : undefined };
}

/** Voids every test invoice still open and makes the test customers and items inactive. */
async function cleanUp(context: ProbeContext, created: Created): Promise<void> {
	const attempt = async (what: string, step: () => Promise<Saved>) => {
		try {
			const saved = await step();
			if (saved.fault) context.notes.push(`QuickBooks ${what}: ${describeFault(saved.fault)}`);
		} catch (error) {
			context.notes.push(`QuickBooks ${what}: ${(error as Error).message}`);
		}
	};
	for (const id of created.invoices.keys()) {
		await attempt(`test invoice ${id} could not be voided`, async () => {
			const current = await read(context, 'Invoice', id);
			return await save(context, 'Invoice', { Id: current.Id, SyncToken: current.SyncToken }, { operation: 'void' });
		});
	}
	for (const customer of created.customers) {
		await attempt(`test customer ${customer.Id} could not be made inactive`, async () => {
			const current = await read(context, 'Customer', String(customer.Id));
			return await save(context, 'Customer', { Id: current.Id, SyncToken: current.SyncToken, sparse: true, Active: false });
		});
	}
	for (const item of created.items) {
		// Item has only a full update: the item as read, inactive.
		await attempt(`test item ${item.Id} could not be made inactive`, async () => {
			const current = await read(context, 'Item', String(item.Id));
			return await save(context, 'Item', { ...current, sparse: false, Active: false });
		});
	}
}
