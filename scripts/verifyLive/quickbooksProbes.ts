/**
 * QuickBooks Online facts the sync relies on, each checked against a company. Read-only probes ask
 * queries and read settings; the --write probes create two customers and one invoice (plus a
 * duplicate if the company accepts it), change and void the invoice, and make the customers inactive.
 */
import {
	QUICKBOOKS_BATCH_SIZE,
	QUICKBOOKS_MAX_RESULTS,
	QUICKBOOKS_MINOR_VERSION,
	buildQuery,
	parseFault,
	type QuickBooksFault,
} from '../../nodes/shared/transport/quickbooks';
import { excerpt, type ApiAnswer, type SendOptions } from './client';
import { ProbeError, doesNotHold, holds, skipped, verdict, type Probe, type ProbeContext } from './probe';

type Row = Record<string, any>;

/** Documented: "The maximum number of objects that can be returned in a response is 1000" (batch). */
const BATCH_RESPONSE_CAP = 1000;
/** Entities the batch probe queries: plentiful in any company (Intuit's sandbox companies included). */
const BATCH_ENTITIES = ['Item', 'Customer', 'Account'];

async function call(context: ProbeContext, method: string, path: string, options: SendOptions = {}): Promise<ApiAnswer> {
	const company = context.quickbooks;
	if (!company) throw new ProbeError('no QuickBooks company');
	return await company.client.send(method, `/v3/company/${encodeURIComponent(company.realmId)}${path}`, {
		...options,
		qs: { minorversion: QUICKBOOKS_MINOR_VERSION, ...options.qs },
	});
}

function faultIn(answer: ApiAnswer): QuickBooksFault | undefined {
	return parseFault(answer.body, answer.status, answer.headers.intuit_tid);
}

function describeFault(fault: QuickBooksFault): string {
	return `${fault.status ? `HTTP ${fault.status} ` : ''}${fault.type}: ${fault.message}`;
}

function expectBody(answer: ApiAnswer, what: string): Row {
	const fault = faultIn(answer);
	if (fault) throw new ProbeError(`${what}: ${describeFault(fault)}`);
	if (answer.status !== 200 || !answer.body || typeof answer.body !== 'object') {
		throw new ProbeError(`${what}: HTTP ${answer.status} ${excerpt(answer.body)}`);
	}
	return answer.body as Row;
}

function rowsOf(response: Row | undefined): Row[] {
	if (!response) return [];
	const key = Object.keys(response).find((name) => Array.isArray(response[name]));
	return key ? (response[key] as Row[]) : [];
}

interface QueryAnswer {
	rows: Row[];
	response?: Row;
	fault?: QuickBooksFault;
}

/** One query, sent as our transport sends it (POST /query, application/text). */
async function query(context: ProbeContext, text: string): Promise<QueryAnswer> {
	const answer = await call(context, 'POST', '/query', { text: { body: text, contentType: 'application/text' } });
	const fault = faultIn(answer);
	if (fault) return { rows: [], fault };
	const body = expectBody(answer, text);
	if (!body.QueryResponse || typeof body.QueryResponse !== 'object') throw new ProbeError(`${text}: no QueryResponse in ${excerpt(body)}`);
	return { rows: rowsOf(body.QueryResponse), response: body.QueryResponse };
}

async function queryRows(context: ProbeContext, text: string): Promise<Row[]> {
	const answer = await query(context, text);
	if (answer.fault) throw new ProbeError(`${text}: ${describeFault(answer.fault)}`);
	return answer.rows;
}

async function preferences(context: ProbeContext): Promise<Row> {
	return await context.memo('qbo.preferences', async () => {
		const body = expectBody(await call(context, 'GET', '/preferences'), 'GET preferences');
		if (!body.Preferences) throw new ProbeError(`GET preferences: no Preferences in ${excerpt(body)}`);
		return body.Preferences as Row;
	});
}

async function companyInfo(context: ProbeContext): Promise<Row> {
	return await context.memo('qbo.companyInfo', async () => {
		const path = `/companyinfo/${encodeURIComponent(context.quickbooks!.realmId)}`;
		const body = expectBody(await call(context, 'GET', path), 'GET companyinfo');
		if (!body.CompanyInfo) throw new ProbeError(`GET companyinfo: no CompanyInfo in ${excerpt(body)}`);
		return body.CompanyInfo as Row;
	});
}

const hasSku = (item: Row) => typeof item.Sku === 'string' && item.Sku !== '';

/** Every active item, asked the way Intuit documents (`SELECT *`). */
async function items(context: ProbeContext): Promise<Row[]> {
	return await context.memo('qbo.items', async () => await queryRows(context, `SELECT * FROM Item MAXRESULTS ${QUICKBOOKS_MAX_RESULTS}`));
}

/** An email shown without its local part beyond the first character (the company's customers' data). */
function maskEmail(email: string): string {
	const at = email.indexOf('@');
	return at <= 0 ? '…' : `${email[0]}…${email.slice(at)}`;
}

const rowCount = (count: number) => `${count} row${count === 1 ? '' : 's'}`;

function swapCase(text: string): string {
	return [...text].map((char) => (char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase())).join('');
}

// ---------------------------------------------------------------------------------------------
// The --write session: every write probe reads what it observed. It cleans up after itself.

interface Saved {
	row?: Row;
	fault?: QuickBooksFault;
}

interface WriteSession {
	/** Why a group of facts could not be judged (a prerequisite failed). */
	unreached: Partial<Record<'emailCase' | 'escapedName' | 'invoice' | 'duplicate' | 'stale', string>>;
	emailCase?: { firstId: string; second: Saved };
	escapedName?: { name: string; created: Saved; foundExactly?: boolean; found?: number };
	invoice?: {
		customTxnNumbers: unknown;
		created: Row;
		updated: Saved;
		voided?: Saved;
	};
	duplicate?: { docNumber: string; firstId: string; second: Saved };
	stale?: Saved;
}

async function save(context: ProbeContext, entity: string, payload: Row, qs?: SendOptions['qs']): Promise<Saved> {
	const answer = await call(context, 'POST', `/${entity.toLowerCase()}`, { json: payload, qs });
	const fault = faultIn(answer);
	if (fault) return { fault };
	const body = expectBody(answer, `POST ${entity.toLowerCase()}`);
	const row = body[entity] as Row | undefined;
	if (!row?.Id) throw new ProbeError(`POST ${entity.toLowerCase()}: no ${entity} in ${excerpt(body)}`);
	return { row };
}

async function lineTaxCode(context: ProbeContext, country: string): Promise<Row | string> {
	// US companies mark lines taxable or not; other countries need a tax code on every line.
	if (country === 'US') return { value: 'NON' };
	const codes = await queryRows(context, buildQuery('TaxCode', [], { maxResults: QUICKBOOKS_MAX_RESULTS }));
	const code = codes.find((entry) => entry.Active !== false && !['TAX', 'NON'].includes(String(entry.Id)));
	return code ? { value: String(code.Id) } : 'the company has no active tax code for the test invoice line';
}

async function writeSession(context: ProbeContext): Promise<WriteSession> {
	return await context.memo('qbo.write', async () => {
		const session: WriteSession = { unreached: {} };
		const customers: Row[] = [];
		const invoices = new Map<string, Row>();
		try {
			await runWrites(context, session, customers, invoices);
		} finally {
			await cleanUp(context, customers, invoices);
		}
		return session;
	});
}

async function runWrites(context: ProbeContext, session: WriteSession, customers: Row[], invoices: Map<string, Row>): Promise<void> {
	const tag = context.runTag;
	const prefs = await preferences(context);
	const info = await companyInfo(context);
	const home = prefs.CurrencyPrefs?.HomeCurrency?.value;
	const currency = prefs.CurrencyPrefs?.MultiCurrencyEnabled && home ? { CurrencyRef: { value: home } } : {};

	// Two customers whose emails differ only in case, under different names.
	const email = `verify-live+${tag}@example.com`;
	const first = await save(context, 'Customer', { DisplayName: `Verify Live ${tag} A`, PrimaryEmailAddr: { Address: email }, ...currency });
	if (!first.row) {
		const reason = `creating a test customer: ${describeFault(first.fault!)}`;
		session.unreached = { emailCase: reason, invoice: reason, duplicate: reason, stale: reason };
	} else {
		customers.push(first.row);
		const second = await save(context, 'Customer', { DisplayName: `Verify Live ${tag} B`, PrimaryEmailAddr: { Address: email.toUpperCase() }, ...currency });
		if (second.row) customers.push(second.row);
		session.emailCase = { firstId: String(first.row.Id), second };
	}

	// A name with a backslash and a quote, found again by a query escaped as our transport escapes it.
	const name = `Verify Live ${tag} O'Brien \\ Co`;
	const named = await save(context, 'Customer', { DisplayName: name, ...currency });
	session.escapedName = { name, created: named };
	if (named.row) {
		customers.push(named.row);
		const found = await queryRows(context, buildQuery('Customer', [{ field: 'DisplayName', op: '=', value: name }]));
		session.escapedName.found = found.length;
		session.escapedName.foundExactly = found.some((row) => String(row.Id) === String(named.row!.Id) && row.DisplayName === name);
	}

	if (!first.row) return;
	const item = (await items(context)).find((entry) => ['Service', 'NonInventory'].includes(String(entry.Type)));
	const taxCode = await lineTaxCode(context, String(info.Country ?? ''));
	const blocker = !item ? 'the company has no active service or non-inventory item for the test invoice' : typeof taxCode === 'string' ? taxCode : undefined;
	if (blocker) {
		session.unreached = { ...session.unreached, invoice: blocker, duplicate: blocker, stale: blocker };
		return;
	}
	const note = `verify:live test invoice ${tag}, safe to delete`;
	const invoiceBody = (extra: Row) => ({
		CustomerRef: { value: String(first.row!.Id) },
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

	// Created without a DocNumber: QuickBooks' numbering (or none) shows.
	const created = await save(context, 'Invoice', invoiceBody({}));
	if (!created.row) {
		const reason = `creating the test invoice: ${describeFault(created.fault!)}`;
		session.unreached = { ...session.unreached, invoice: reason, duplicate: reason, stale: reason };
		return;
	}
	const invoice = created.row;
	invoices.set(String(invoice.Id), invoice);
	const docNumber = typeof invoice.DocNumber === 'string' && invoice.DocNumber !== '' ? invoice.DocNumber : tag.slice(0, 21);

	// A sparse update with the current SyncToken; it gives the invoice a number if it has none.
	const updated = await save(context, 'Invoice', {
		Id: invoice.Id,
		SyncToken: invoice.SyncToken,
		sparse: true,
		PrivateNote: `${note} (updated)`,
		...(invoice.DocNumber ? {} : { DocNumber: docNumber }),
	});
	session.invoice = { customTxnNumbers: prefs.SalesFormsPrefs?.CustomTxnNumbers, created: invoice, updated };
	let latest = updated.row ?? invoice;
	if (updated.row) invoices.set(String(invoice.Id), latest);

	if (updated.row) {
		// The SyncToken the create returned is stale now.
		const stale = await save(context, 'Invoice', { Id: invoice.Id, SyncToken: invoice.SyncToken, sparse: true, PrivateNote: `${note} (stale)` });
		session.stale = stale;
		if (stale.row) {
			latest = stale.row;
			invoices.set(String(invoice.Id), latest);
		}
		const duplicate = await save(context, 'Invoice', invoiceBody({ DocNumber: docNumber }));
		session.duplicate = { docNumber, firstId: String(invoice.Id), second: duplicate };
		if (duplicate.row) invoices.set(String(duplicate.row.Id), duplicate.row);
	} else {
		const reason = `the update of the test invoice failed: ${describeFault(updated.fault!)}`;
		session.unreached = { ...session.unreached, duplicate: reason, stale: reason };
	}

	const voided = await save(context, 'Invoice', { Id: latest.Id, SyncToken: latest.SyncToken }, { operation: 'void' });
	session.invoice.voided = voided;
	if (voided.row) invoices.delete(String(invoice.Id));
}

/** Voids every test invoice still open and makes the test customers inactive (customers cannot be deleted). */
async function cleanUp(context: ProbeContext, customers: Row[], invoices: Map<string, Row>): Promise<void> {
	for (const invoice of invoices.values()) {
		try {
			const current = expectBody(await call(context, 'GET', `/invoice/${encodeURIComponent(invoice.Id)}`), `GET invoice ${invoice.Id}`).Invoice as Row;
			const voided = await save(context, 'Invoice', { Id: current.Id, SyncToken: current.SyncToken }, { operation: 'void' });
			if (voided.fault) context.notes.push(`QuickBooks test invoice ${invoice.Id} could not be voided: ${describeFault(voided.fault)}`);
		} catch (error) {
			context.notes.push(`QuickBooks test invoice ${invoice.Id} could not be voided: ${(error as Error).message}`);
		}
	}
	for (const customer of customers) {
		try {
			const current = expectBody(await call(context, 'GET', `/customer/${encodeURIComponent(customer.Id)}`), `GET customer ${customer.Id}`).Customer as Row;
			const inactive = await save(context, 'Customer', { Id: current.Id, SyncToken: current.SyncToken, sparse: true, Active: false });
			if (inactive.fault) context.notes.push(`QuickBooks test customer ${customer.Id} could not be made inactive: ${describeFault(inactive.fault)}`);
		} catch (error) {
			context.notes.push(`QuickBooks test customer ${customer.Id} could not be made inactive: ${(error as Error).message}`);
		}
	}
}

async function reached<K extends keyof WriteSession['unreached']>(context: ProbeContext, key: K): Promise<WriteSession> {
	const session = await writeSession(context);
	const reason = session.unreached[key];
	if (reason) throw new ProbeError(`not reached: ${reason}`);
	return session;
}

// ---------------------------------------------------------------------------------------------

export const quickbooksProbes: Probe[] = [
	{
		api: 'QuickBooks',
		fact: `SELECT * FROM Item returns Sku at minorversion ${QUICKBOOKS_MINOR_VERSION} (no need for SELECT *, Sku)`,
		async run(context) {
			const all = await items(context);
			const withSku = all.filter(hasSku).length;
			if (withSku > 0) return holds(`SELECT * returned Sku on ${withSku} of ${all.length} items`);
			// No Sku at all: either no item has one, or SELECT * leaves it out (python-quickbooks' reason for SELECT *, Sku).
			const asked = await query(context, `SELECT *, Sku FROM Item MAXRESULTS ${QUICKBOOKS_MAX_RESULTS}`);
			const askedWithSku = asked.rows.filter(hasSku).length;
			if (askedWithSku > 0) return doesNotHold(`SELECT * returned no Sku on ${all.length} items; SELECT *, Sku returned ${askedWithSku}`);
			const projection = asked.fault ? `SELECT *, Sku refused: ${describeFault(asked.fault)}` : 'SELECT *, Sku neither';
			return skipped(`no item came back with a Sku (${all.length} items; ${projection}): give an item a SKU and run again`);
		},
	},
	{
		api: 'QuickBooks',
		fact: 'A query literal holding a backslash and a quote, escaped as \\\\ and \\\', is accepted',
		async run(context) {
			const text = buildQuery('Customer', [{ field: 'DisplayName', op: '=', value: `Verify Live ${context.runTag} O'Brien \\ Co` }]);
			const answer = await query(context, text);
			if (answer.fault) return doesNotHold(`${text} → ${describeFault(answer.fault)}`);
			return holds(`${text} → QueryResponse with ${rowCount(answer.rows.length)}`);
		},
	},
	{
		api: 'QuickBooks',
		fact: 'A customer named with a backslash and a quote is found by a query escaped that way',
		write: true,
		async run(context) {
			const { escapedName } = await writeSession(context);
			if (!escapedName) throw new ProbeError('not reached');
			if (!escapedName.created.row) return skipped(`QuickBooks refused the name ${escapedName.name}: ${describeFault(escapedName.created.fault!)}`);
			return verdict(!!escapedName.foundExactly, `customer ${escapedName.created.row.Id} "${escapedName.name}": the query found ${rowCount(escapedName.found ?? 0)}${escapedName.foundExactly ? ', the customer among them' : ', not the customer'}`);
		},
	},
	{
		api: 'QuickBooks',
		fact: 'Preferences.SalesFormsPrefs.CustomTxnNumbers is present',
		async run(context) {
			const value = (await preferences(context)).SalesFormsPrefs?.CustomTxnNumbers;
			return verdict(typeof value === 'boolean', `CustomTxnNumbers = ${JSON.stringify(value)}`);
		},
	},
	{
		api: 'QuickBooks',
		fact: 'Preferences.CurrencyPrefs carries MultiCurrencyEnabled and HomeCurrency',
		async run(context) {
			const prefs = (await preferences(context)).CurrencyPrefs ?? {};
			const home = prefs.HomeCurrency?.value;
			return verdict(typeof prefs.MultiCurrencyEnabled === 'boolean' && typeof home === 'string' && home !== '', `MultiCurrencyEnabled = ${JSON.stringify(prefs.MultiCurrencyEnabled)}, HomeCurrency = ${JSON.stringify(home)}`);
		},
	},
	{
		api: 'QuickBooks',
		fact: 'CompanyInfo.Country is present',
		async run(context) {
			const country = (await companyInfo(context)).Country;
			return verdict(typeof country === 'string' && country !== '', `Country = ${JSON.stringify(country)}`);
		},
	},
	{
		api: 'QuickBooks',
		fact: 'CompanyInfo has no time-zone field (invoice dates come from HubSpot\'s time zone)',
		async run(context) {
			const info = await companyInfo(context);
			const names = [...Object.keys(info), ...((info.NameValue ?? []) as Row[]).map((entry) => String(entry.Name))];
			const zoned = names.filter((name) => /time.?zone|^tz$/i.test(name));
			return verdict(zoned.length === 0, zoned.length ? `time-zone fields: ${zoned.join(', ')}` : `none among ${names.length} fields and name/value pairs`);
		},
	},
	{
		api: 'QuickBooks',
		fact: `A /batch answer holds at most ${BATCH_RESPONSE_CAP.toLocaleString('en-US')} objects in total`,
		async run(context) {
			const counts: Record<string, number> = {};
			for (const entity of BATCH_ENTITIES) {
				const answer = await query(context, `SELECT COUNT(*) FROM ${entity}`);
				if (answer.fault) throw new ProbeError(`SELECT COUNT(*) FROM ${entity}: ${describeFault(answer.fault)}`);
				counts[entity] = Number(answer.response?.totalCount ?? 0);
			}
			const countsText = BATCH_ENTITIES.map((entity) => `${counts[entity]} ${entity}`).join(', ');
			const entities = BATCH_ENTITIES.filter((entity) => counts[entity] > 0);
			if (entities.length === 0) return skipped('the company has no items, customers or accounts');
			const asked = Array.from({ length: QUICKBOOKS_BATCH_SIZE }, (_, index) => entities[index % entities.length]);
			const wanted = (entity: string) => Math.min(counts[entity], QUICKBOOKS_MAX_RESULTS);
			const expected = asked.reduce((sum, entity) => sum + wanted(entity), 0);
			if (expected <= BATCH_RESPONSE_CAP) {
				return skipped(`${asked.length} queries would ask for only ${expected} objects here (${countsText}); the cap shows in a bigger company`);
			}
			const body = { BatchItemRequest: asked.map((entity, index) => ({ bId: `q${index}`, Query: `SELECT * FROM ${entity} MAXRESULTS ${QUICKBOOKS_MAX_RESULTS}` })) };
			const answer = expectBody(await call(context, 'POST', '/batch', { json: body }), 'POST batch');
			const items = Array.isArray(answer.BatchItemResponse) ? (answer.BatchItemResponse as Row[]) : undefined;
			if (!items) throw new ProbeError(`POST batch: no BatchItemResponse in ${excerpt(answer)}`);
			let total = 0;
			let faulted = 0;
			const cut: string[] = [];
			for (const [index, entity] of asked.entries()) {
				const item = items.find((entry) => entry.bId === `q${index}`);
				const fault = item && parseFault(item);
				if (!item) cut.push(`q${index} missing`);
				else if (fault) {
					faulted++;
					cut.push(`q${index} fault ${fault.code} ${fault.errors[0]?.message ?? ''}`.trim());
				} else {
					const rows = rowsOf(item.QueryResponse).length;
					total += rows;
					if (rows < wanted(entity)) cut.push(`q${index} ${rows}/${wanted(entity)}`);
				}
			}
			if (faulted === asked.length) throw new ProbeError(`every query in the batch failed: ${cut.slice(0, 3).join(', ')}`);
			const shape = cut.length ? `; short or missing: ${cut.slice(0, 5).join(', ')}${cut.length > 5 ? `, +${cut.length - 5} more` : ''}` : '; no query came back short';
			return verdict(total <= BATCH_RESPONSE_CAP, `${asked.length} queries (${countsText}) asked for ${expected} objects, the answer held ${total}${shape}`);
		},
	},
	{
		api: 'QuickBooks',
		fact: 'An error answer (a malformed query) carries the Fault envelope and an intuit_tid header',
		async run(context) {
			const answer = await call(context, 'POST', '/query', { text: { body: 'SELEC * FROM Item', contentType: 'application/text' } });
			const fault = faultIn(answer);
			const tid = answer.headers.intuit_tid;
			const envelope = !!(answer.body as Row | undefined)?.Fault && !!fault?.code;
			const parts = [`HTTP ${answer.status}`, fault ? `${fault.type} ${fault.code}` : `no Fault in ${excerpt(answer.body, 80)}`, tid ? 'intuit_tid present' : 'no intuit_tid header'];
			return verdict(answer.status === 400 && envelope && !!tid, parts.join(', '));
		},
	},
	{
		api: 'QuickBooks',
		fact: 'A query on Customer PrimaryEmailAddr matches the email in another case',
		async run(context) {
			const customers = await queryRows(context, buildQuery('Customer', [], { maxResults: QUICKBOOKS_MAX_RESULTS }));
			const sample = customers.find((customer) => /[a-z]/i.test(String(customer.PrimaryEmailAddr?.Address ?? '')));
			if (!sample) return skipped('no active customer has an email with letters');
			const swapped = swapCase(String(sample.PrimaryEmailAddr.Address));
			const found = await queryRows(context, buildQuery('Customer', [{ field: 'PrimaryEmailAddr', op: '=', value: swapped }]));
			const match = found.some((row) => String(row.Id) === String(sample.Id));
			return verdict(match, `customer ${sample.Id}'s email asked as ${maskEmail(swapped)}: ${found.length} found${match ? ', the customer among them' : ''}`);
		},
	},
	{
		api: 'QuickBooks',
		fact: 'A second customer whose email differs only in case is accepted (emails are not unique, names are)',
		write: true,
		async run(context) {
			const { emailCase } = await reached(context, 'emailCase');
			if (!emailCase) throw new ProbeError('not reached');
			if (emailCase.second.row) return holds(`customer ${emailCase.second.row.Id} created next to customer ${emailCase.firstId} with the email in upper case`);
			return doesNotHold(`refused: ${describeFault(emailCase.second.fault!)}`);
		},
	},
	{
		api: 'QuickBooks',
		fact: 'An invoice can be created, sparse-updated with its SyncToken, and voided',
		write: true,
		async run(context) {
			const { invoice } = await reached(context, 'invoice');
			if (!invoice) throw new ProbeError('not reached');
			const steps = [`invoice ${invoice.created.Id} created (SyncToken ${invoice.created.SyncToken})`];
			if (invoice.updated.fault) return doesNotHold(`${steps[0]}; update refused: ${describeFault(invoice.updated.fault)}`);
			steps.push(`updated (SyncToken ${invoice.updated.row!.SyncToken})`);
			const voided = invoice.voided;
			if (!voided?.row) return doesNotHold(`${steps.join(', ')}; void refused: ${voided?.fault ? describeFault(voided.fault) : 'not sent'}`);
			const total = Number(voided.row.TotalAmt ?? NaN);
			steps.push(`voided (TotalAmt ${voided.row.TotalAmt}, Balance ${voided.row.Balance})`);
			return verdict(invoice.updated.row!.SyncToken !== invoice.created.SyncToken && total === 0, steps.join(', '));
		},
	},
	{
		api: 'QuickBooks',
		fact: 'An invoice sent without DocNumber gets QuickBooks\' own number when CustomTxnNumbers is off, none when on',
		write: true,
		async run(context) {
			const { invoice } = await reached(context, 'invoice');
			if (!invoice) throw new ProbeError('not reached');
			const number = invoice.created.DocNumber;
			const numbered = typeof number === 'string' && number !== '';
			const custom = invoice.customTxnNumbers;
			if (typeof custom !== 'boolean') return skipped(`CustomTxnNumbers is ${JSON.stringify(custom)}; DocNumber came back ${JSON.stringify(number ?? null)}`);
			return verdict(custom ? !numbered : numbered, `CustomTxnNumbers = ${custom}, DocNumber came back ${JSON.stringify(number ?? null)}`);
		},
	},
	{
		api: 'QuickBooks',
		fact: 'A second invoice with a DocNumber in use is refused with 6140 naming the first (TxnId)',
		write: true,
		async run(context) {
			const { duplicate } = await reached(context, 'duplicate');
			if (!duplicate) throw new ProbeError('not reached');
			if (duplicate.second.row) {
				return doesNotHold(`DocNumber ${duplicate.docNumber} accepted again as invoice ${duplicate.second.row.Id} (the company's duplicate-number check is off); voided`);
			}
			const fault = duplicate.second.fault!;
			const named = fault.errors.some((error) => new RegExp(`TxnId=${duplicate.firstId}\\b`).test(error.detail));
			return verdict(fault.hasCode('6140') && named, `${describeFault(fault)}${named ? '' : ` (no TxnId=${duplicate.firstId})`}`);
		},
	},
	{
		api: 'QuickBooks',
		fact: 'An update with a stale SyncToken is refused with 5010',
		write: true,
		async run(context) {
			const { stale } = await reached(context, 'stale');
			if (!stale) throw new ProbeError('not reached');
			if (stale.row) return doesNotHold(`accepted: SyncToken now ${stale.row.SyncToken}`);
			return verdict(stale.fault!.hasCode('5010'), describeFault(stale.fault!));
		},
	},
	{
		api: 'QuickBooks',
		fact: 'QuickBooks\' 429 answers carry a Retry-After header',
		last: true,
		async run(context) {
			const throttled = context.quickbooks!.client.throttled;
			if (throttled.length === 0) return skipped('no 429 seen in this run (the check never provokes one)');
			const withHeader = throttled.filter((answer) => answer.headers['retry-after'] !== undefined).length;
			return verdict(withHeader === throttled.length, `${withHeader} of ${throttled.length} 429 answers had Retry-After`);
		},
	},
];
