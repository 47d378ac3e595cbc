/**
 * The baseline: the same sync wired the way an n8n user would without this package. HubSpot has
 * no invoice node, so HubSpot is read with HTTP Request nodes; QuickBooks is n8n's built-in
 * QuickBooks node (n8n-nodes-base.quickbooks v1); glue is a Code node. One invoice per loop pass:
 *
 *   Start → Search Invoices (HTTP, one page) → Split Out → Loop Over Invoices (batch 1) ─┐
 *     ┌───────────────────────────────────────────────────────────────────────────────────┘
 *     └→ Get Invoice (HTTP GET, associations) → Get Line Items (HTTP batch read of the
 *        invoice's lines) → Get Contact (HTTP GET) → Find Customer (QuickBooks: Customer →
 *        Get Many, WHERE PrimaryEmailAddr = …, limit 1) → Customer Found? ─yes→ Customer
 *                                                         └no→ Create Customer ─→ Customer
 *        → Split Lines → Find Item (QuickBooks: Item → Get Many, WHERE Sku = …, limit 1; one
 *        per line) → Build Invoice (Code) → Create Invoice (QuickBooks: Invoice → Create) → loop
 *
 * Per invoice that is 3 HubSpot calls (+ one search page per up to 200 invoices) and, in
 * QuickBooks, 1 customer query + 1 item query per line + 1 invoice create (+ 1 customer create
 * when the customer is new). Lookups that find nothing and calls that fail continue the loop, so
 * every invoice costs its calls whatever happens to it.
 */
import type { WorkflowJson } from '../../n8n/rest';

export interface BaselineWorkflowOptions {
	hubspotUrl: string;
	hubspotToken: string;
	/** Invoices to sync: one search page (HubSpot allows up to 200 per page). */
	sample: number;
	/** n8n credential id of type quickBooksOAuth2Api. */
	quickbooksCredentialId: string;
	/** HubSpot tax rate id → QuickBooks line tax code (TAX / NON for a US company). */
	taxCodeByRate: Record<string, string>;
}

export const BASELINE_NODE_NAMES = {
	start: 'Start',
	search: 'Search Invoices',
	split: 'Split Out Invoices',
	loop: 'Loop Over Invoices',
	invoice: 'Get Invoice',
	lineItems: 'Get Line Items',
	contact: 'Get Contact',
	findCustomer: 'Find Customer',
	customerFound: 'Customer Found?',
	createCustomer: 'Create Customer',
	customer: 'Customer',
	splitLines: 'Split Lines',
	findItem: 'Find Item',
	build: 'Build Invoice',
	createInvoice: 'Create Invoice',
} as const;

type Node = WorkflowJson['nodes'][number];

export function buildBaselineWorkflow(o: BaselineWorkflowOptions): WorkflowJson {
	if (o.sample < 1 || o.sample > 200) throw new Error('the baseline syncs one search page: 1 to 200 invoices');
	const N = BASELINE_NODE_NAMES;
	const auth = { sendHeaders: true, headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${o.hubspotToken}` }] } };
	const quickbooks = { quickBooksOAuth2Api: { id: o.quickbooksCredentialId, name: 'QuickBooks (sandbox)' } };
	let x = 0;
	const at = (): [number, number] => [(x += 220), 300];
	const node = (name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}): Node => ({
		id: `baseline-${name.toLowerCase().replace(/[^a-z]+/g, '-')}`,
		name,
		type,
		typeVersion,
		position: at(),
		parameters,
		...extra,
	});
	// Lookups may find nothing and calls may fail: the loop must still come round for every invoice.
	const tolerant = { onError: 'continueRegularOutput', alwaysOutputData: true };
	const searchBody = {
		filterGroups: [
			{
				filters: [
					{ propertyName: 'hs_invoice_status', operator: 'IN', values: ['open', 'paid', 'voided'] },
					{ propertyName: 'hs_invoice_source', operator: 'EQ', value: 'hubspot' },
				],
			},
		],
		sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
		properties: ['hs_number', 'hs_invoice_status', 'hs_currency', 'hs_invoice_date', 'hs_due_date', 'hs_lastmodifieddate'],
		limit: o.sample,
	};
	const buildInvoiceCode = `// Lines of this invoice with the QuickBooks item found for each SKU.
const taxCodeByRate = ${JSON.stringify(o.taxCodeByRate)};
const invoice = $('${N.loop}').first().json;
const lineItems = $('${N.lineItems}').first().json.results ?? [];
const itemIdBySku = {};
for (const found of $('${N.findItem}').all()) if (found.json.Id) itemIdBySku[found.json.Sku] = found.json.Id;
return [{ json: {
  customerId: $('${N.customer}').first().json.customerId,
  docNumber: invoice.properties.hs_number,
  txnDate: String(invoice.properties.hs_invoice_date ?? '').slice(0, 10),
  dueDate: String(invoice.properties.hs_due_date ?? '').slice(0, 10),
  lines: lineItems.map((line, index) => ({
    DetailType: 'SalesItemLineDetail',
    Description: line.properties.name ?? '',
    Amount: Number(line.properties.amount ?? 0),
    Qty: Number(line.properties.quantity ?? 1),
    itemId: itemIdBySku[line.properties.hs_sku] ?? '',
    TaxCodeRef: taxCodeByRate[line.properties.hs_tax_rate_group_id] ?? 'NON',
    LineNum: index + 1,
  })),
} }];`;

	const nodes: Node[] = [
		node(N.start, 'n8n-nodes-base.manualTrigger', 1, {}),
		node(N.search, 'n8n-nodes-base.httpRequest', 4.2, {
			method: 'POST',
			url: `${o.hubspotUrl}/crm/v3/objects/invoices/search`,
			...auth,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: JSON.stringify(searchBody),
			options: {},
		}),
		node(N.split, 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'results', options: {} }),
		node(N.loop, 'n8n-nodes-base.splitInBatches', 3, { batchSize: 1, options: {} }),
		node(
			N.invoice,
			'n8n-nodes-base.httpRequest',
			4.2,
			{ method: 'GET', url: `=${o.hubspotUrl}/crm/v3/objects/invoices/{{ $json.id }}?associations=contacts,line_items`, ...auth, options: {} },
			{ onError: 'continueRegularOutput' },
		),
		node(
			N.lineItems,
			'n8n-nodes-base.httpRequest',
			4.2,
			{
				method: 'POST',
				url: `${o.hubspotUrl}/crm/v3/objects/line_items/batch/read`,
				...auth,
				sendBody: true,
				specifyBody: 'json',
				jsonBody:
					"={{ JSON.stringify({ properties: ['name', 'hs_sku', 'quantity', 'price', 'amount', 'hs_tax_rate_group_id'], inputs: (($json.associations ?? {})['line items'] ?? ($json.associations ?? {}).line_items ?? { results: [] }).results.map(r => ({ id: r.id })) }) }}",
				options: {},
			},
			{ onError: 'continueRegularOutput' },
		),
		node(
			N.contact,
			'n8n-nodes-base.httpRequest',
			4.2,
			{
				method: 'GET',
				url: `=${o.hubspotUrl}/crm/v3/objects/contacts/{{ ($('${N.invoice}').first().json.associations?.contacts?.results ?? [{ id: '0' }])[0].id }}?properties=email,firstname,lastname,company`,
				...auth,
				options: {},
			},
			{ onError: 'continueRegularOutput' },
		),
		node(
			N.findCustomer,
			'n8n-nodes-base.quickbooks',
			1,
			{
				resource: 'customer',
				operation: 'getAll',
				returnAll: false,
				limit: 1,
				filters: { query: "=WHERE PrimaryEmailAddr = '{{ $json.properties?.email ?? '' }}'" },
			},
			{ credentials: quickbooks, ...tolerant },
		),
		node(N.customerFound, 'n8n-nodes-base.if', 2, {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'loose' },
				conditions: [{ id: 'found', leftValue: '={{ $json.Id }}', rightValue: '', operator: { type: 'string', operation: 'exists', singleValue: true } }],
				combinator: 'and',
			},
			options: {},
		}),
		node(
			N.createCustomer,
			'n8n-nodes-base.quickbooks',
			1,
			{
				resource: 'customer',
				operation: 'create',
				displayName: `={{ $('${N.contact}').first().json.properties?.company || ($('${N.contact}').first().json.properties?.firstname + ' ' + $('${N.contact}').first().json.properties?.lastname) }}`,
				additionalFields: {
					CompanyName: `={{ $('${N.contact}').first().json.properties?.company ?? '' }}`,
					GivenName: `={{ $('${N.contact}').first().json.properties?.firstname ?? '' }}`,
					FamilyName: `={{ $('${N.contact}').first().json.properties?.lastname ?? '' }}`,
					PrimaryEmailAddr: `={{ $('${N.contact}').first().json.properties?.email ?? '' }}`,
				},
			},
			{ credentials: quickbooks, onError: 'continueRegularOutput' },
		),
		node(N.customer, 'n8n-nodes-base.set', 3.4, {
			assignments: {
				assignments: [
					{ id: 'customer-id', name: 'customerId', value: '={{ $json.Id }}', type: 'string' },
					{ id: 'lines', name: 'lines', value: `={{ $('${N.lineItems}').first().json.results ?? [] }}`, type: 'array' },
				],
			},
			options: {},
		}),
		node(N.splitLines, 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'lines', options: {} }, { alwaysOutputData: true }),
		node(
			N.findItem,
			'n8n-nodes-base.quickbooks',
			1,
			{ resource: 'item', operation: 'getAll', returnAll: false, limit: 1, filters: { query: "=WHERE Sku = '{{ $json.properties?.hs_sku ?? '' }}'" } },
			{ credentials: quickbooks, ...tolerant },
		),
		node(N.build, 'n8n-nodes-base.code', 2, { jsCode: buildInvoiceCode }),
		node(
			N.createInvoice,
			'n8n-nodes-base.quickbooks',
			1,
			{
				resource: 'invoice',
				operation: 'create',
				CustomerRef: '={{ $json.customerId }}',
				Line: '={{ $json.lines }}',
				additionalFields: { DocNumber: '={{ $json.docNumber }}', TxnDate: '={{ $json.txnDate }}', DueDate: '={{ $json.dueDate }}' },
			},
			{ credentials: quickbooks, onError: 'continueRegularOutput' },
		),
	];
	const main = (...targets: string[][]) => ({ main: targets.map((list) => list.map((target) => ({ node: target, type: 'main', index: 0 }))) });
	const connections: Record<string, unknown> = {
		[N.start]: main([N.search]),
		[N.search]: main([N.split]),
		[N.split]: main([N.loop]),
		// splitInBatches v3: output 0 = done, output 1 = loop.
		[N.loop]: main([], [N.invoice]),
		[N.invoice]: main([N.lineItems]),
		[N.lineItems]: main([N.contact]),
		[N.contact]: main([N.findCustomer]),
		[N.findCustomer]: main([N.customerFound]),
		[N.customerFound]: main([N.customer], [N.createCustomer]),
		[N.createCustomer]: main([N.customer]),
		[N.customer]: main([N.splitLines]),
		[N.splitLines]: main([N.findItem]),
		[N.findItem]: main([N.build]),
		[N.build]: main([N.createInvoice]),
		[N.createInvoice]: main([N.loop]),
	};
	return { name: 'Baseline: HubSpot invoices → QuickBooks with HTTP Request + built-in QuickBooks nodes', nodes, connections, settings: { executionOrder: 'v1' } };
}
