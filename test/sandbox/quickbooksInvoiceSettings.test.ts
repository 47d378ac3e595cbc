/**
 * The QuickBooks simulator's rules around the company settings the upsert depends on: CurrencyRef
 * with multicurrency, discount lines and the Discount preference, the duplicate-number check and
 * the 1,000-object cap on a /batch answer (documented rules enforced; the open ones as named
 * settings in assumptions.ts, tested both ways).
 */
import { createQuickBooksSimulator, type QboSimulator } from '../../sandbox/quickbooks';
import { DEFAULT_ASSUMPTIONS } from '../../sandbox/quickbooks/assumptions';
import { EXAMPLE_CLIENT, EXAMPLE_US_REALM, exampleUsCompany } from '../../sandbox/quickbooks/exampleSeed';
import { qboClient } from '../../sandbox/quickbooks/simpleClient';

let sim: QboSimulator;
let us: ReturnType<typeof qboClient>;

beforeAll(async () => {
	sim = createQuickBooksSimulator({ companies: [exampleUsCompany()], clients: [EXAMPLE_CLIENT], limits: false });
	const base = await sim.listen(0);
	us = qboClient(base, EXAMPLE_US_REALM, sim.issueTokens(EXAMPLE_CLIENT.clientId, EXAMPLE_US_REALM).access_token);
});
afterAll(() => sim.close());
beforeEach(() => {
	sim.reset();
	Object.assign(sim.assumptions, DEFAULT_ASSUMPTIONS);
});

const realm = () => sim.state.realms[EXAMPLE_US_REALM];

function invoice(overrides: Record<string, unknown> = {}) {
	return {
		DocNumber: 'HS-3001',
		TxnDate: '2026-03-01',
		CustomerRef: { value: '1' },
		Line: [{ DetailType: 'SalesItemLineDetail', Amount: 20, SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 2, UnitPrice: 10 } }],
		...overrides,
	};
}

describe('multicurrency', () => {
	it('CurrencyRef is required on an invoice when multicurrency is on, the home currency too (Intuit, Invoice.CurrencyRef)', async () => {
		realm().preferences.CurrencyPrefs = { MultiCurrencyEnabled: true, HomeCurrency: { value: 'USD' } };
		const missing = await us.post('invoice', invoice());
		expect(missing.status).toBe(400);
		expect(missing.json.Fault.Error[0]).toMatchObject({ code: '2020', element: 'CurrencyRef' });
		const given = await us.post('invoice', invoice({ CurrencyRef: { value: 'USD' } }));
		expect(given.status).toBe(200);
	});

	it('without multicurrency CurrencyRef may be left out', async () => {
		expect((await us.post('invoice', invoice())).status).toBe(200);
	});
});

describe('invoice-level discount line', () => {
	const discounted = (detail: Record<string, unknown>, amount = 0) =>
		invoice({ Line: [...invoice().Line, { DetailType: 'DiscountLineDetail', Amount: amount, DiscountLineDetail: detail }] });

	it('a percentage discount is computed on the subtotal; a fixed one taken as sent', async () => {
		const percent = await us.post('invoice', discounted({ PercentBased: true, DiscountPercent: 12.5 }));
		expect(percent.status).toBe(200);
		expect(percent.json.Invoice.TotalAmt).toBe(17.5);
		const fixed = await us.post('invoice', { ...discounted({ PercentBased: false }, 3), DocNumber: 'HS-3002' });
		expect(fixed.json.Invoice.TotalAmt).toBe(17);
	});

	it('is refused when the company has discounts turned off (Intuit: Sales Form Entry | Discounts must be enabled)', async () => {
		realm().preferences.SalesFormsPrefs = { CustomTxnNumbers: true, AllowDiscount: false };
		const res = await us.post('invoice', discounted({ PercentBased: false }, 3));
		expect(res.status).toBe(400);
		expect(res.json.Fault.Error[0]).toMatchObject({ code: '6000', element: 'DiscountLineDetail' });
	});
});

describe('duplicate invoice numbers (setting duplicateDocNumberCheck)', () => {
	it('on (default): 6140', async () => {
		await us.post('invoice', invoice());
		const second = await us.post('invoice', invoice());
		expect(second.json.Fault.Error[0].code).toBe('6140');
	});

	it('off: the second invoice with the number is stored', async () => {
		sim.assumptions.duplicateDocNumberCheck = 'off';
		await us.post('invoice', invoice());
		const second = await us.post('invoice', invoice());
		expect(second.status).toBe(200);
		expect([...realm().entities.Invoice.values()].filter((entry) => entry.DocNumber === 'HS-3001')).toHaveLength(2);
	});
});

describe('a /batch answer holds at most 1,000 objects (Intuit, batch operation; setting batchResponseOverflow)', () => {
	beforeEach(() => {
		const invoices = realm().entities.Invoice;
		for (let index = 0; index < 1200; index++) {
			const id = String(5000 + index);
			invoices.set(id, { Id: id, SyncToken: '0', DocNumber: `B-${index}`, CustomerRef: { value: '1' }, Line: [], TotalAmt: 0 });
		}
	});
	const queries = [
		{ bId: 'q0', Query: "SELECT * FROM Invoice WHERE CustomerRef = '1' MAXRESULTS 700" },
		{ bId: 'q1', Query: "SELECT * FROM Invoice WHERE CustomerRef = '1' STARTPOSITION 701 MAXRESULTS 700" },
	];

	it('truncate (default): the answer stops at 1,000 objects without a fault, the later query comes back short', async () => {
		const res = await us.batch(queries);
		expect(res.status).toBe(200);
		const [first, second] = res.json.BatchItemResponse;
		expect(first.QueryResponse.Invoice).toHaveLength(700);
		expect(second.QueryResponse.Invoice).toHaveLength(300);
		expect(second.Fault).toBeUndefined();
	});

	it('within the cap nothing is cut', async () => {
		const res = await us.batch([{ bId: 'q0', Query: "SELECT * FROM Invoice WHERE CustomerRef = '1' MAXRESULTS 500" }, { bId: 'q1', Query: "SELECT * FROM Invoice WHERE CustomerRef = '1' STARTPOSITION 501 MAXRESULTS 500" }]);
		expect(res.json.BatchItemResponse.map((entry: any) => entry.QueryResponse.Invoice.length)).toEqual([500, 500]);
	});

	it('fault: the call fails', async () => {
		sim.assumptions.batchResponseOverflow = 'fault';
		const res = await us.batch(queries);
		expect(res.status).toBe(400);
		expect(res.json.Fault.Error[0].code).toBe('6000');
	});
});
