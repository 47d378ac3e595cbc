/**
 * HubSpot facts the sync relies on, each checked against a portal. Read-only probes read account
 * info, invoices, properties, tax rates and association labels; the --write probe creates a draft
 * invoice, updates it, voids it and archives it.
 */
import {
	DEFAULT_BILLING_CONTACT_LABELS,
	DEFAULT_INTEGRATION_SOURCES,
	sourceKey,
} from '../../package/nodes/HubSpotInvoiceTrigger/mapping';
import { dependsOnTimeZone, firstTimeZone } from '../../package/nodes/shared/dates';
import { excerpt, type ApiAnswer, type SendOptions } from './client';
import { ProbeError, doesNotHold, holds, skipped, verdict, type Probe, type ProbeContext } from './probe';

type Row = Record<string, any>;

/** Pages of invoices the source listing reads at most (100 each). */
const SOURCE_PAGES = 10;
/** Pages of tax rates followed at most. */
const TAX_RATE_PAGES = 50;
/** Invoice-level money the trigger reads to reconcile totals. */
const TOTAL_PROPERTIES = ['hs_subtotal', 'hs_discounts_total', 'hs_fees_total', 'hs_taxes_total'];

async function call(context: ProbeContext, method: string, path: string, options: SendOptions = {}): Promise<ApiAnswer> {
	if (!context.hubspot) throw new ProbeError('no HubSpot portal');
	return await context.hubspot.client.send(method, path, options);
}

/** HubSpot's error text: `message` and `category` when the body has them. */
function describe(answer: ApiAnswer): string {
	const body = answer.body as Row | undefined;
	const message = body && typeof body === 'object' && typeof body.message === 'string' ? `${body.category ? `${body.category}: ` : ''}${body.message}` : excerpt(answer.body);
	return `HTTP ${answer.status} ${message}`;
}

async function expectOk(context: ProbeContext, method: string, path: string, options: SendOptions = {}): Promise<Row> {
	const answer = await call(context, method, path, options);
	if (answer.status < 200 || answer.status >= 300 || !answer.body || typeof answer.body !== 'object') {
		throw new ProbeError(`${method} ${path}: ${describe(answer)}`);
	}
	return answer.body as Row;
}

async function accountDetails(context: ProbeContext): Promise<Row> {
	return await context.memo('hubspot.account', async () => await expectOk(context, 'GET', '/account-info/v3/details'));
}

const nextAfter = (body: Row): string | undefined => {
	const after = body.paging?.next?.after;
	return after === undefined || after === null || after === '' ? undefined : String(after);
};

/** The portal's invoices (up to SOURCE_PAGES pages), with the properties the probes look at. */
async function invoiceListing(context: ProbeContext): Promise<{ invoices: Row[]; more: boolean }> {
	return await context.memo('hubspot.invoices', async () => {
		const invoices: Row[] = [];
		let after: string | undefined;
		for (let page = 0; page < SOURCE_PAGES; page++) {
			const body = await expectOk(context, 'POST', '/crm/v3/objects/invoices/search', {
				json: { filterGroups: [], properties: ['hs_invoice_source', 'hs_timezone', 'hs_invoice_date', 'hs_due_date'], limit: 100, ...(after ? { after } : {}) },
			});
			invoices.push(...((body.results ?? []) as Row[]));
			after = nextAfter(body);
			if (!after) break;
		}
		return { invoices, more: !!after };
	});
}

async function invoiceProperties(context: ProbeContext): Promise<Map<string, Row>> {
	return await context.memo('hubspot.invoiceProperties', async () => {
		const body = await expectOk(context, 'GET', '/crm/v3/properties/invoices');
		return new Map(((body.results ?? []) as Row[]).map((property) => [String(property.name), property]));
	});
}

/** Distinct values with their counts, most frequent first: `"a" ×3, (empty) ×1`. */
function tallied(values: string[], mark: (value: string) => string = () => ''): string {
	const counts = new Map<string, number>();
	for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
	return [...counts.entries()]
		.sort((a, b) => b[1] - a[1])
		.map(([value, count]) => `${value === '' ? '(empty)' : JSON.stringify(value)} ×${count}${mark(value)}`)
		.join(', ');
}

export const hubspotProbes: Probe[] = [
	{
		api: 'HubSpot',
		fact: 'Account info (GET /account-info/v3/details) gives the portal\'s timeZone, in a form the trigger reads',
		async run(context) {
			const details = await accountDetails(context);
			const zone = typeof details.timeZone === 'string' ? details.timeZone : undefined;
			const read = firstTimeZone(zone);
			return verdict(!!read, `timeZone = ${JSON.stringify(details.timeZone)}${details.utcOffset ? ` (UTC${details.utcOffset})` : ''}${read ? `, read as ${read}` : ', not a time zone the trigger reads'}`);
		},
	},
	{
		api: 'HubSpot',
		fact: 'Invoices carry hs_invoice_source (the values seen are listed)',
		async run(context) {
			const { invoices, more } = await invoiceListing(context);
			if (invoices.length === 0) return skipped('the portal has no invoices');
			const values = invoices.map((invoice) => String(invoice.properties?.hs_invoice_source ?? '').trim());
			const skippedByDefault = new Set(DEFAULT_INTEGRATION_SOURCES.map(sourceKey));
			const listed = tallied(values, (value) => (value !== '' && skippedByDefault.has(sourceKey(value)) ? ' [skipped by default]' : ''));
			return verdict(values.some((value) => value !== ''), `${invoices.length}${more ? '+' : ''} invoices: ${listed}`);
		},
	},
	{
		api: 'HubSpot',
		fact: 'hs_timezone exists as an invoice property',
		async run(context) {
			const answer = await call(context, 'GET', '/crm/v3/properties/invoices/hs_timezone');
			if (answer.status === 404) return doesNotHold(describe(answer));
			if (answer.status !== 200) throw new ProbeError(`GET /crm/v3/properties/invoices/hs_timezone: ${describe(answer)}`);
			const property = answer.body as Row;
			return holds(`type ${property.type}, fieldType ${property.fieldType}${Array.isArray(property.options) ? `, ${property.options.length} options` : ''}`);
		},
	},
	{
		api: 'HubSpot',
		fact: 'Every hs_timezone value on invoices names a time zone the trigger reads (IANA or HubSpot\'s enumeration form)',
		async run(context) {
			const { invoices, more } = await invoiceListing(context);
			const values = invoices.map((invoice) => String(invoice.properties?.hs_timezone ?? '').trim()).filter((value) => value !== '');
			if (values.length === 0) return skipped(`none of ${invoices.length}${more ? '+' : ''} invoices has an hs_timezone`);
			const unread = [...new Set(values.filter((value) => !firstTimeZone(value)))];
			return verdict(unread.length === 0, `${values.length} of ${invoices.length}${more ? '+' : ''} invoices set it: ${tallied(values, (value) => (firstTimeZone(value) ? '' : ' [not read]'))}`);
		},
	},
	{
		api: 'HubSpot',
		fact: 'hs_invoice_date and hs_due_date are datetime properties (instants, whose day depends on the time zone)',
		async run(context) {
			const properties = await invoiceProperties(context);
			const types = ['hs_invoice_date', 'hs_due_date'].map((name) => `${name} ${properties.get(name)?.type ?? 'missing'}`);
			const { invoices } = await invoiceListing(context);
			const values = invoices.flatMap((invoice) => [invoice.properties?.hs_invoice_date, invoice.properties?.hs_due_date]).filter((value) => value !== undefined && value !== null && value !== '');
			const zoned = values.filter((value) => dependsOnTimeZone(value)).length;
			const datetimes = ['hs_invoice_date', 'hs_due_date'].every((name) => properties.get(name)?.type === 'datetime');
			return verdict(datetimes, `${types.join(', ')}; ${zoned} of ${values.length} values seen are not midnight UTC`);
		},
	},
	{
		api: 'HubSpot',
		fact: 'Invoice-level discounts and fees are CRM objects (GET /crm/v3/objects/discounts and /fees)',
		async run(context) {
			const answers = await Promise.all(['discounts', 'fees'].map(async (type) => [type, await call(context, 'GET', `/crm/v3/objects/${type}`, { qs: { limit: 1 } })] as const));
			const evidence = answers.map(([type, answer]) => (answer.status === 200 ? `${type}: HTTP 200, ${((answer.body as Row).results ?? []).length ? 'records' : 'no records'}` : `${type}: ${describe(answer)}`));
			return verdict(answers.every(([, answer]) => answer.status === 200), evidence.join('; '));
		},
	},
	{
		api: 'HubSpot',
		fact: `Invoice-level totals exist as invoice properties (${TOTAL_PROPERTIES.join(', ')})`,
		async run(context) {
			const names = await invoiceProperties(context);
			const missing = TOTAL_PROPERTIES.filter((name) => !names.has(name));
			return verdict(missing.length === 0, missing.length ? `missing: ${missing.join(', ')} (of ${names.size} invoice properties)` : `all ${TOTAL_PROPERTIES.length} among ${names.size} invoice properties`);
		},
	},
	{
		api: 'HubSpot',
		fact: 'The tax-rate list pages with limit and paging.next.after',
		async run(context) {
			let pages = 0;
			let rates = 0;
			let after: string | undefined;
			do {
				const body = await expectOk(context, 'GET', '/tax-rates/v1/tax-rates', { qs: after ? { after } : {} });
				pages++;
				rates += ((body.results ?? []) as Row[]).length;
				after = nextAfter(body);
			} while (after && pages < TAX_RATE_PAGES);
			const walked = `${rates} rates in ${pages}${after ? '+' : ''} page${pages === 1 ? '' : 's'} at the default size`;
			if (rates < 2) return skipped(`${walked}: paging shows with two rates or more`);
			const small = await expectOk(context, 'GET', '/tax-rates/v1/tax-rates', { qs: { limit: 1 } });
			const first = ((small.results ?? []) as Row[]).length;
			const smallNext = nextAfter(small);
			return verdict(first === 1 && !!smallNext, `${walked}; limit=1 gave ${first} result${first === 1 ? '' : 's'} and ${smallNext ? 'paging.next.after' : 'no paging.next.after'}`);
		},
	},
	{
		api: 'HubSpot',
		fact: 'Invoice→contact association labels include a billing-contact label',
		async run(context) {
			const body = await expectOk(context, 'GET', '/crm/v4/associations/invoices/contacts/labels');
			const labels = ((body.results ?? []) as Row[]).map((entry) => ({ typeId: entry.typeId, label: entry.label === null || entry.label === undefined ? null : String(entry.label) }));
			const known = new Set(DEFAULT_BILLING_CONTACT_LABELS.map((label) => label.toLowerCase()));
			const billing = labels.filter((entry) => entry.label !== null && (known.has(entry.label.toLowerCase()) || /bill/i.test(entry.label)));
			const listed = labels.map((entry) => `${entry.typeId}:${entry.label === null ? '(unlabelled)' : JSON.stringify(entry.label)}`).join(', ') || 'none';
			return verdict(billing.length > 0, `labels: ${listed}`);
		},
	},
	{
		api: 'HubSpot',
		fact: 'A draft invoice can be created with hs_currency alone, updated and voided through the API',
		write: true,
		async run(context) {
			let currency = 'USD';
			try {
				const details = await accountDetails(context);
				if (typeof details.companyCurrency === 'string' && details.companyCurrency) currency = details.companyCurrency;
			} catch {
				// The account-info probe reports that failure; USD is a currency every portal takes.
			}
			const created = await call(context, 'POST', '/crm/v3/objects/invoices', { json: { properties: { hs_currency: currency } } });
			const id = (created.body as Row | undefined)?.id;
			if (created.status !== 201 && created.status !== 200) return doesNotHold(`create refused: ${describe(created)}`);
			if (!id) throw new ProbeError(`POST /crm/v3/objects/invoices: no id in ${excerpt(created.body)}`);
			const steps = [`draft ${id} created (hs_currency ${currency})`];
			let fact = true;
			try {
				// hs_due_date is in the invoices guide's table of properties; midnight UTC suits a date or a datetime property.
				const due = `${new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)}T00:00:00.000Z`;
				const updated = await call(context, 'PATCH', `/crm/v3/objects/invoices/${id}`, { json: { properties: { hs_due_date: due } } });
				if (updated.status !== 200) {
					fact = false;
					steps.push(`update refused: ${describe(updated)}`);
				} else steps.push(`updated (hs_due_date ${due.slice(0, 10)})`);
				const voided = await call(context, 'PATCH', `/crm/v3/objects/invoices/${id}`, { json: { properties: { hs_invoice_status: 'voided' } } });
				if (voided.status !== 200) {
					fact = false;
					steps.push(`void refused: ${describe(voided)}`);
				} else {
					const read = await expectOk(context, 'GET', `/crm/v3/objects/invoices/${id}`, { qs: { properties: 'hs_invoice_status,hs_invoice_source' } });
					const status = read.properties?.hs_invoice_status;
					if (status !== 'voided') fact = false;
					steps.push(`voided (status ${JSON.stringify(status)}; its hs_invoice_source ${JSON.stringify(read.properties?.hs_invoice_source ?? null)})`);
				}
			} finally {
				const archived = await call(context, 'DELETE', `/crm/v3/objects/invoices/${id}`).catch((error: Error) => error);
				if (archived instanceof Error || archived.status !== 204) {
					context.notes.push(`HubSpot test invoice ${id} could not be archived: ${archived instanceof Error ? archived.message : describe(archived)}`);
				} else steps.push('archived');
			}
			return verdict(fact, steps.join(', '));
		},
	},
	{
		api: 'HubSpot',
		fact: 'HubSpot\'s 429 answers carry policyName',
		last: true,
		async run(context) {
			const throttled = context.hubspot!.client.throttled;
			if (throttled.length === 0) return skipped('no 429 seen in this run (the check never provokes one)');
			const names = throttled.map((answer) => (answer.body as Row | undefined)?.policyName);
			const named = names.filter((name) => typeof name === 'string' && name !== '');
			return verdict(named.length === throttled.length, `${named.length} of ${throttled.length} 429 answers named a policy${named.length ? `: ${[...new Set(named)].join(', ')}` : ''}`);
		},
	},
];
