/**
 * QuickBooks calls for the probes: the company path and minorversion our transport sends, queries
 * as our transport sends them (POST /query, application/text), Faults read by the transport's own
 * parser, and the company settings read once per run.
 */
import { QUICKBOOKS_MAX_RESULTS, QUICKBOOKS_MINOR_VERSION, parseFault, type QuickBooksFault } from '../../package/nodes/shared/transport/quickbooks';
import { excerpt, type ApiAnswer, type SendOptions } from './client';
import { ProbeError, type ProbeContext } from './probe';

export type Row = Record<string, any>;

export async function call(context: ProbeContext, method: string, path: string, options: SendOptions = {}): Promise<ApiAnswer> {
	const company = context.quickbooks;
	if (!company) throw new ProbeError('no QuickBooks company');
	return await company.client.send(method, `/v3/company/${encodeURIComponent(company.realmId)}${path}`, {
		...options,
		qs: { minorversion: QUICKBOOKS_MINOR_VERSION, ...options.qs },
	});
}

export function faultIn(answer: ApiAnswer): QuickBooksFault | undefined {
	return parseFault(answer.body, answer.status, answer.headers.intuit_tid);
}

export function describeFault(fault: QuickBooksFault): string {
	return `${fault.status ? `HTTP ${fault.status} ` : ''}${fault.type}: ${fault.message}`;
}

export function expectBody(answer: ApiAnswer, what: string): Row {
	const fault = faultIn(answer);
	if (fault) throw new ProbeError(`${what}: ${describeFault(fault)}`);
	if (answer.status !== 200 || !answer.body || typeof answer.body !== 'object') {
		throw new ProbeError(`${what}: HTTP ${answer.status} ${excerpt(answer.body)}`);
	}
	return answer.body as Row;
}

export function rowsOf(response: Row | undefined): Row[] {
	if (!response) return [];
	const key = Object.keys(response).find((name) => Array.isArray(response[name]));
	return key ? (response[key] as Row[]) : [];
}

export interface QueryAnswer {
	rows: Row[];
	response?: Row;
	fault?: QuickBooksFault;
}

export async function query(context: ProbeContext, text: string): Promise<QueryAnswer> {
	const answer = await call(context, 'POST', '/query', { text: { body: text, contentType: 'application/text' } });
	const fault = faultIn(answer);
	if (fault) return { rows: [], fault };
	const body = expectBody(answer, text);
	if (!body.QueryResponse || typeof body.QueryResponse !== 'object') throw new ProbeError(`${text}: no QueryResponse in ${excerpt(body)}`);
	return { rows: rowsOf(body.QueryResponse), response: body.QueryResponse };
}

export async function queryRows(context: ProbeContext, text: string): Promise<Row[]> {
	const answer = await query(context, text);
	if (answer.fault) throw new ProbeError(`${text}: ${describeFault(answer.fault)}`);
	return answer.rows;
}

export async function preferences(context: ProbeContext): Promise<Row> {
	return await context.memo('qbo.preferences', async () => {
		const body = expectBody(await call(context, 'GET', '/preferences'), 'GET preferences');
		if (!body.Preferences) throw new ProbeError(`GET preferences: no Preferences in ${excerpt(body)}`);
		return body.Preferences as Row;
	});
}

export async function companyInfo(context: ProbeContext): Promise<Row> {
	return await context.memo('qbo.companyInfo', async () => {
		const path = `/companyinfo/${encodeURIComponent(context.quickbooks!.realmId)}`;
		const body = expectBody(await call(context, 'GET', path), 'GET companyinfo');
		if (!body.CompanyInfo) throw new ProbeError(`GET companyinfo: no CompanyInfo in ${excerpt(body)}`);
		return body.CompanyInfo as Row;
	});
}

/** Every active item, asked the way Intuit documents (`SELECT *`). */
export async function items(context: ProbeContext): Promise<Row[]> {
	return await context.memo('qbo.items', async () => await queryRows(context, `SELECT * FROM Item MAXRESULTS ${QUICKBOOKS_MAX_RESULTS}`));
}

export const hasSku = (item: Row) => typeof item.Sku === 'string' && item.Sku !== '';

export interface Saved {
	row?: Row;
	fault?: QuickBooksFault;
}

/** A create or update (`POST /{entity}`): the record, or the Fault QuickBooks answered. */
export async function save(context: ProbeContext, entity: string, payload: Row, qs?: SendOptions['qs']): Promise<Saved> {
	const answer = await call(context, 'POST', `/${entity.toLowerCase()}`, { json: payload, qs });
	const fault = faultIn(answer);
	if (fault) return { fault };
	const body = expectBody(answer, `POST ${entity.toLowerCase()}`);
	const row = body[entity] as Row | undefined;
	if (!row?.Id) throw new ProbeError(`POST ${entity.toLowerCase()}: no ${entity} in ${excerpt(body)}`);
	return { row };
}

export async function read(context: ProbeContext, entity: string, id: string): Promise<Row> {
	const body = expectBody(await call(context, 'GET', `/${entity.toLowerCase()}/${encodeURIComponent(id)}`), `GET ${entity.toLowerCase()} ${id}`);
	const row = body[entity] as Row | undefined;
	if (!row) throw new ProbeError(`GET ${entity.toLowerCase()} ${id}: no ${entity} in ${excerpt(body)}`);
	return row;
}
