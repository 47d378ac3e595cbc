/**
 * Fallback when no real n8n can be started: the baseline workflow's HTTP calls (workflow.ts), made
 * one after another from this process, in the same order and with the same queries the built-in
 * QuickBooks node sends (GET /query?query=SELECT * FROM Customer WHERE PrimaryEmailAddr = '…'
 * MAXRESULTS 1, one Item query per line, POST /customer when missing, POST /invoice).
 */
import type { SandboxConnection } from '../protocol';

export interface ScriptBaselineResult {
	invoicesProcessed: number;
	invoicesCreated: number;
	wallMs: number;
}

type Json = Record<string, any>;

export async function runScriptBaseline(connection: SandboxConnection, sample: number, taxCodeByRate: Record<string, string>): Promise<ScriptBaselineResult> {
	const hubspot = async (method: string, path: string, body?: unknown): Promise<Json> => {
		const response = await fetch(`${connection.urls.hubspot}${path}`, {
			method,
			headers: { authorization: `Bearer ${connection.credentials.hubspot.accessToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
			body: body ? JSON.stringify(body) : undefined,
		});
		return (await response.json().catch(() => ({}))) as Json;
	};
	const qbo = connection.credentials.quickbooks;
	const company = `${connection.urls.quickbooks}/v3/company/${qbo.realmId}`;
	const quickbooks = async (method: string, path: string, body?: unknown): Promise<Json> => {
		const response = await fetch(`${company}${path}`, {
			method,
			headers: { authorization: `Bearer ${qbo.oauthTokenData.access_token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
			body: body ? JSON.stringify(body) : undefined,
		});
		return (await response.json().catch(() => ({}))) as Json;
	};
	const query = async (entity: string, where: string) => {
		const result = await quickbooks('GET', `/query?query=${encodeURIComponent(`SELECT * FROM ${entity} ${where} MAXRESULTS 1`)}`);
		return (result.QueryResponse?.[entity] ?? []) as Json[];
	};
	const quote = (value: unknown) => `'${String(value ?? '').replace(/'/g, "\\'")}'`;

	const started = Date.now();
	const search = await hubspot('POST', '/crm/v3/objects/invoices/search', {
		filterGroups: [
			{
				filters: [
					{ propertyName: 'hs_invoice_status', operator: 'IN', values: ['open', 'paid', 'voided'] },
					{ propertyName: 'hs_invoice_source', operator: 'EQ', value: 'hubspot' },
				],
			},
		],
		sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
		properties: ['hs_number', 'hs_invoice_date', 'hs_due_date'],
		limit: sample,
	});
	let processed = 0;
	let created = 0;
	for (const invoice of (search.results ?? []) as Json[]) {
		processed++;
		const full = await hubspot('GET', `/crm/v3/objects/invoices/${invoice.id}?associations=contacts,line_items`);
		const lineIds = ((full.associations?.['line items'] ?? full.associations?.line_items)?.results ?? []) as Json[];
		const lines = ((await hubspot('POST', '/crm/v3/objects/line_items/batch/read', { properties: ['name', 'hs_sku', 'quantity', 'amount', 'hs_tax_rate_group_id'], inputs: lineIds.map((r) => ({ id: r.id })) })).results ?? []) as Json[];
		const contactId = (full.associations?.contacts?.results ?? [{ id: '0' }])[0].id;
		const contact = (await hubspot('GET', `/crm/v3/objects/contacts/${contactId}?properties=email,firstname,lastname,company`)).properties ?? {};
		let customer = (await query('Customer', `WHERE PrimaryEmailAddr = ${quote(contact.email)}`))[0];
		if (!customer) {
			customer = (
				await quickbooks('POST', '/customer', {
					DisplayName: contact.company || `${contact.firstname} ${contact.lastname}`,
					CompanyName: contact.company ?? '',
					GivenName: contact.firstname ?? '',
					FamilyName: contact.lastname ?? '',
					PrimaryEmailAddr: { Address: contact.email ?? '' },
				})
			).Customer;
		}
		const itemIds: string[] = [];
		for (const line of lines) itemIds.push((await query('Item', `WHERE Sku = ${quote(line.properties?.hs_sku)}`))[0]?.Id ?? '');
		const result = await quickbooks('POST', '/invoice', {
			CustomerRef: { value: customer?.Id },
			DocNumber: invoice.properties?.hs_number,
			TxnDate: String(invoice.properties?.hs_invoice_date ?? '').slice(0, 10),
			DueDate: String(invoice.properties?.hs_due_date ?? '').slice(0, 10),
			Line: lines.map((line, index) => ({
				DetailType: 'SalesItemLineDetail',
				Description: line.properties?.name ?? '',
				Amount: Number(line.properties?.amount ?? 0),
				LineNum: index + 1,
				SalesItemLineDetail: { ItemRef: { value: itemIds[index] }, TaxCodeRef: { value: taxCodeByRate[line.properties?.hs_tax_rate_group_id] ?? 'NON' }, Qty: Number(line.properties?.quantity ?? 1) },
			})),
		});
		if (result.Invoice?.Id) created++;
	}
	return { invoicesProcessed: processed, invoicesCreated: created, wallMs: Date.now() - started };
}
