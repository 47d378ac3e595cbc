/**
 * QuickBooks Online facts the sync relies on, each checked against a company. Read-only probes ask
 * queries and read settings; the write probes read what the --write session (quickbooksWrites.ts)
 * observed.
 */
import { QUICKBOOKS_BATCH_SIZE, QUICKBOOKS_MAX_RESULTS, QUICKBOOKS_MINOR_VERSION, buildQuery, parseFault } from '../../package/nodes/shared/transport/quickbooks';
import { excerpt } from './client';
import { ProbeError, doesNotHold, holds, skipped, verdict, type Probe } from './probe';
import { call, companyInfo, describeFault, expectBody, faultIn, hasSku, items, preferences, query, queryRows, rowsOf, type Row } from './quickbooksApi';
import { reached, writeSession } from './quickbooksWrites';

/** Documented: "The maximum number of objects that can be returned in a response is 1000" (batch). */
const BATCH_RESPONSE_CAP = 1000;
/** Entities the batch probe queries: plentiful in any company (Intuit's sandbox companies included). */
const BATCH_ENTITIES = ['Item', 'Customer', 'Account'];

/** An email shown without its local part beyond the first character (the company's customers' data). */
function maskEmail(email: string): string {
	const at = email.indexOf('@');
	return at <= 0 ? '…' : `${email[0]}…${email.slice(at)}`;
}

const rowCount = (count: number) => `${count} row${count === 1 ? '' : 's'}`;

function swapCase(text: string): string {
	return [...text].map((char) => (char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase())).join('');
}

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
		fact: "LIKE 'prefix%' on Item.Sku finds the item",
		async run(context) {
			const sample = (await items(context)).find((item) => hasSku(item) && /^[A-Za-z0-9 .-]{2,}$/.test(item.Sku));
			if (!sample) return skipped('no item has a plain SKU (letters, digits, spaces, dots, dashes) of two characters or more');
			const text = buildQuery('Item', [{ field: 'Sku', op: 'LIKE', value: `${String(sample.Sku).slice(0, -1)}%` }], { maxResults: QUICKBOOKS_MAX_RESULTS });
			const answer = await query(context, text);
			if (answer.fault) return doesNotHold(`${text} → ${describeFault(answer.fault)}`);
			const found = answer.rows.some((row) => String(row.Id) === String(sample.Id));
			return verdict(found, `${text} → ${rowCount(answer.rows.length)}${found ? `, item ${sample.Id} among them` : `, not item ${sample.Id}`}`);
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
			const sent = await call(context, 'POST', '/batch', { json: body });
			const refused = faultIn(sent);
			// Refusing the whole call is another way of never answering more than the cap.
			if (refused && sent.status === 400) return holds(`${asked.length} queries (${countsText}) asked for ${expected} objects: the call was refused, ${describeFault(refused)}`);
			const answer = expectBody(sent, 'POST batch');
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
		fact: 'A DisplayName differing only in case from a taken one is refused with 6240',
		write: true,
		async run(context) {
			const { nameCase } = await reached(context, 'nameCase');
			if (!nameCase) throw new ProbeError('not reached');
			if (nameCase.second.row) return doesNotHold(`"${nameCase.asked}" created as customer ${nameCase.second.row.Id} beside "${nameCase.taken}"`);
			return verdict(nameCase.second.fault!.hasCode('6240'), describeFault(nameCase.second.fault!));
		},
	},
	{
		api: 'QuickBooks',
		fact: "An invoice in another currency than its customer's is refused",
		write: true,
		async run(context) {
			const { foreignCurrency } = await reached(context, 'foreignCurrency');
			if (!foreignCurrency) throw new ProbeError('not reached');
			const { home, asked, multicurrency, created } = foreignCurrency;
			const setting = `multicurrency ${multicurrency ? 'on' : 'off'}, customer in ${home}, invoice in ${asked}`;
			if (created.row) return doesNotHold(`${setting}: accepted as invoice ${created.row.Id}; voided`);
			return holds(`${setting}: ${describeFault(created.fault!)}`);
		},
	},
	{
		api: 'QuickBooks',
		fact: 'An invoice dated on the books-closed date is refused with 6210',
		write: true,
		async run(context) {
			const { closedPeriod } = await reached(context, 'closedPeriod');
			if (!closedPeriod) throw new ProbeError('not reached');
			if (!closedPeriod.closeDate) return skipped('the books are not closed (Preferences.AccountingInfoPrefs has no BookCloseDate)');
			const created = closedPeriod.created!;
			if (created.row) return doesNotHold(`dated ${closedPeriod.closeDate}: accepted as invoice ${created.row.Id}; voided`);
			return verdict(created.fault!.hasCode('6210'), `dated ${closedPeriod.closeDate}: ${describeFault(created.fault!)}`);
		},
	},
	{
		api: 'QuickBooks',
		fact: 'An item create without ExpenseAccountRef is refused in UK and Canadian companies only',
		write: true,
		async run(context) {
			const { itemExpense } = await reached(context, 'itemExpense');
			if (!itemExpense) throw new ProbeError('not reached');
			const { country, needsExpenseAccount, created } = itemExpense;
			if (created.row) return verdict(!needsExpenseAccount, `Country ${JSON.stringify(country)}: item ${created.row.Id} created with IncomeAccountRef only`);
			const fault = created.fault!;
			const aboutExpense = fault.errors.some((error) => /ExpenseAccount/i.test(`${error.element ?? ''} ${error.message} ${error.detail}`));
			if (!aboutExpense) throw new ProbeError(`the test item was refused for another reason: ${describeFault(fault)}`);
			return verdict(needsExpenseAccount, `Country ${JSON.stringify(country)}: refused, ${describeFault(fault)}`);
		},
	},
	{
		api: 'QuickBooks',
		fact: 'An Item update with sparse: true is not applied as a sparse update (only the full update is documented)',
		write: true,
		async run(context) {
			const { itemSparse } = await reached(context, 'itemSparse');
			if (!itemSparse) throw new ProbeError('not reached');
			const { before, updated, after } = itemSparse;
			if (updated.fault) return holds(`refused: ${describeFault(updated.fault)}`);
			const fields = ['Name', 'Sku', 'IncomeAccountRef', 'ExpenseAccountRef', 'UnitPrice'].filter((field) => before[field] !== undefined);
			const lost = fields.filter((field) => JSON.stringify(after?.[field]) !== JSON.stringify(before[field]));
			if (lost.length === 0) return doesNotHold(`applied as a sparse update: ${fields.join(', ')} kept`);
			return holds(`treated as a full update: ${lost.join(', ')} lost`);
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
