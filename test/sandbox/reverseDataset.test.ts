/**
 * The QuickBooks → HubSpot data set: its QuickBooks records are what QuickBooks itself computes,
 * each expected failure is really in the data, and after the QuickBooks user's actions (performed
 * through the API) the balances are the ones the expectations promise HubSpot.
 */
import { reverseDataset, type ReverseDataset } from '../../sandbox/dataset';
import { createHubSpotSimulator, DEFAULT_PRIVATE_APP_TOKEN, type HubSpotSimulator } from '../../sandbox/hubspot';
import { createQuickBooksSimulator, type QboSimulator } from '../../sandbox/quickbooks';
import { EXAMPLE_CLIENT } from '../../sandbox/quickbooks/exampleSeed';
import { qboClient } from '../../sandbox/quickbooks/simpleClient';
import { performQuickBooksActions } from '../../sandbox/quickbooks/userActions';

let data: ReverseDataset;
let qboSim: QboSimulator;
let hubspot: HubSpotSimulator;
let qbo: ReturnType<typeof qboClient>;
let token: string;

beforeAll(async () => {
	data = reverseDataset();
	const now = () => new Date(data.now);
	qboSim = createQuickBooksSimulator({ companies: data.quickbooks, clients: [EXAMPLE_CLIENT], limits: false, now });
	hubspot = createHubSpotSimulator({ dataset: data.hubspot, limits: false, now });
	await Promise.all([qboSim.listen(0), hubspot.listen(0)]);
	token = qboSim.issueTokens(EXAMPLE_CLIENT.clientId, data.realmId).access_token;
	qbo = qboClient(qboSim.baseUrl, data.realmId, token);
});
afterAll(() => Promise.all([qboSim.close(), hubspot.close()]));

const cents = (n: number) => Math.round(n * 100);
const invoiceOf = async (id: string) => (await qbo.get('invoice', id)).json.Invoice;

async function hubspotSkus(): Promise<string[]> {
	const res = await fetch(`${hubspot.baseUrl}/crm/v3/objects/products?limit=100&properties=hs_sku`, { headers: { Authorization: `Bearer ${DEFAULT_PRIVATE_APP_TOKEN}` } });
	return ((await res.json()) as any).results.map((p: any) => p.properties.hs_sku);
}

/** Why a QuickBooks invoice can't go to HubSpot, read from the data itself (in the order the sync checks). */
async function failureIn(invoice: any, skus: string[]): Promise<string | undefined> {
	const customer = (await qbo.get('customer', invoice.CustomerRef.value)).json.Customer;
	if (!customer.PrimaryEmailAddr?.Address) return 'CUSTOMER_EMAIL_MISSING';
	const items = await Promise.all(invoice.Line.filter((l: any) => l.SalesItemLineDetail).map(async (l: any) => (await qbo.get('item', l.SalesItemLineDetail.ItemRef.value)).json.Item));
	if (items.some((i) => !i.Sku)) return 'SKU_MISSING';
	if (items.some((i) => !skus.includes(i.Sku))) return 'SKU_NOT_FOUND';
	const code = invoice.TxnTaxDetail?.TxnTaxCodeRef?.value;
	if (code && !data.taxMapping.some((m) => m.qboTaxCodeId === code)) return 'TAX_CODE_NOT_FOUND';
	return undefined;
}

describe('reverse data set', () => {
	it('every seeded invoice has the totals QuickBooks computes for its lines and tax code', async () => {
		for (const id of Object.keys(data.expectations)) {
			const seeded = await invoiceOf(id);
			const { Id: _id, SyncToken: _s, MetaData: _m, Balance: _b, TotalAmt: _t, LinkedTxn: _l, ...body } = seeded;
			const recomputed = await qbo.post('invoice', body, { include: 'allowduplicatedocnum' });
			expect(recomputed.status).toBe(200);
			expect([id, recomputed.json.Invoice.TotalAmt]).toEqual([id, seeded.TotalAmt]);
		}
		qboSim.reset();
	});

	it('each expected error is in the data, and the invoices expected to sync have none', async () => {
		const skus = await hubspotSkus();
		for (const [id, expectation] of Object.entries(data.expectations)) {
			expect([id, await failureIn(await invoiceOf(id), skus)]).toEqual([id, expectation.outcome === 'error' ? expectation.code : undefined]);
		}
	});

	it('seeded payments and the credit memo already settle their invoices', async () => {
		expect((await invoiceOf('202')).Balance).toBe(0);
		const partly = await invoiceOf('203');
		expect(cents(partly.TotalAmt) - cents(partly.Balance)).toBe(20000);
		const credited = await invoiceOf('208');
		expect(cents(credited.TotalAmt) - cents(credited.Balance)).toBe(8000);
		expect((await qbo.get('creditmemo', '301')).json.CreditMemo.RemainingCredit).toBe(0);
	});

	it('change data capture 30 days back sees every invoice; the forward-made one links to its HubSpot invoice', async () => {
		const since = new Date(Date.parse(data.now) - 30 * 86_400_000).toISOString();
		const res = await qbo.request('GET', 'cdc', undefined, { params: { entities: 'Invoice,Payment,CreditMemo', changedSince: since } });
		const invoices = res.json.CDCResponse[0].QueryResponse[0].Invoice.map((i: any) => i.Id);
		expect(invoices.sort()).toEqual(Object.keys(data.expectations).sort());
		const linked = await invoiceOf('211');
		const hubspotId = /HubSpot invoice (\d+)/.exec(linked.PrivateNote)![1];
		expect(hubspot.state.get('invoices', hubspotId)?.properties.hs_number).toBe(linked.DocNumber);
	});

	it('after the user actions, each invoice holds the amounts its expectation promises HubSpot', async () => {
		await performQuickBooksActions(qboSim.baseUrl, data.realmId, token, data.actions);
		for (const [id, expectation] of Object.entries(data.expectations)) {
			if (!expectation.hubspot) continue;
			const res = await qbo.get('invoice', id);
			if (id === '210') {
				expect(res.status).toBe(400); // deleted: 610 Object Not Found
				continue;
			}
			const inv = res.json.Invoice;
			const paid = cents(inv.TotalAmt) - cents(inv.Balance);
			expect([id, (paid / 100).toFixed(2), (cents(inv.Balance) / 100).toFixed(2)]).toEqual([id, expectation.hubspot.amountPaid, expectation.hubspot.balanceDue]);
			expect([id, inv.Balance === 0 && inv.TotalAmt > 0]).toEqual([id, expectation.hubspot.status === 'paid']);
		}
	});
});
