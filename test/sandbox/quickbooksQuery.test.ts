/** Query language of the QuickBooks simulator: parser and the /query endpoint. */
import { createQuickBooksSimulator, type QboSimulator } from '../../sandbox/quickbooks';
import { EXAMPLE_CLIENT, EXAMPLE_US_REALM, exampleUsCompany } from '../../sandbox/quickbooks/exampleSeed';
import { parseQuery } from '../../sandbox/quickbooks/queryParser';
import { qboClient } from '../../sandbox/quickbooks/simpleClient';

function parserError(query: string, assumptions?: Parameters<typeof parseQuery>[1]): string {
	try {
		parseQuery(query, assumptions);
	} catch (err: any) {
		expect(err.status).toBe(400);
		expect(err.fault.Error[0].code).toBe('4000');
		return err.fault.Error[0].Detail;
	}
	throw new Error(`expected a parser error for: ${query}`);
}

describe('parseQuery', () => {
	it('parses SELECT *, conditions, ordering and paging', () => {
		expect(
			parseQuery("select * from Customer where DisplayName = 'O\\'Brien' and Balance >= 10 and Active IN (true, false) orderby DisplayName desc startposition 11 maxresults 10"),
		).toEqual({
			entity: 'Customer',
			projection: '*',
			where: [
				{ field: 'DisplayName', op: '=', value: "O'Brien" },
				{ field: 'Balance', op: '>=', value: 10 },
				{ field: 'Active', op: 'IN', values: [true, false] },
			],
			orderBy: [{ field: 'DisplayName', descending: true }],
			startPosition: 11,
			maxResults: 10,
		});
		expect(parseQuery('SELECT count(*) FROM Invoice').projection).toBe('count');
		expect(parseQuery("SELECT * FROM Invoice WHERE MetaData.LastUpdatedTime > '2026-01-01T00:00:00Z'").where[0].field).toBe('MetaData.LastUpdatedTime');
	});

	it("unescapes \\' (Intuit's documented escape) under either backslash setting", () => {
		for (const queryBackslash of ['escapesAny', 'escapesQuoteOnly'] as const) {
			expect(parseQuery("SELECT * FROM Customer WHERE DisplayName = 'Pat O\\'Brien'", { queryBackslash }).where[0]).toMatchObject({ value: "Pat O'Brien" });
		}
	});

	it('a backslash before any other character: one reading per setting (Intuit gives no example)', () => {
		const query = "SELECT * FROM Customer WHERE DisplayName = 'Back\\\\slash C:\\temp'";
		expect(parseQuery(query, { queryBackslash: 'escapesAny' }).where[0]).toMatchObject({ value: 'Back\\slash C:temp' });
		expect(parseQuery(query, { queryBackslash: 'escapesQuoteOnly' }).where[0]).toMatchObject({ value: 'Back\\\\slash C:\\temp' });
		// A value ending in a backslash can only be written under escapesAny: under the other reading \' closes nothing.
		expect(parseQuery("SELECT * FROM Item WHERE Sku = 'A\\\\'", { queryBackslash: 'escapesAny' }).where[0]).toMatchObject({ value: 'A\\' });
		expect(parserError("SELECT * FROM Item WHERE Sku = 'A\\\\'", { queryBackslash: 'escapesQuoteOnly' })).toMatch(/Unterminated/);
	});

	it('accepts only the documented SELECT * and count(*): projections, "SELECT *, Sku" and "ORDER BY" are refused', () => {
		expect(parserError('SELECT Id, Name FROM Item')).toMatch(/projections are not supported/);
		expect(parserError('SELECT *, Sku FROM Item')).toMatch(/projections are not supported/);
		expect(parserError('SELECT Sku FROM Item')).toMatch(/projections are not supported/);
		expect(parserError('SELECT * FROM Customer ORDER BY DisplayName')).toMatch(/ORDERBY/);
		expect(parseQuery('SELECT * FROM Customer ORDERBY DisplayName ASC, Id DESC').orderBy).toEqual([
			{ field: 'DisplayName', descending: false },
			{ field: 'Id', descending: true },
		]);
	});

	it('rejects unsupported syntax with a 4000 QueryParserError', () => {
		expect(parserError("SELECT * FROM Customer WHERE DisplayName = 'a' OR DisplayName = 'b'")).toMatch(/^QueryParserError: Encountered "OR"/);
		expect(parserError('SELECT * FROM Customer JOIN Invoice')).toMatch(/JOIN/);
		expect(parserError('SELECT * FROM customer')).toMatch(/not supported/);
		expect(parserError('SELECT * FROM Item MAXRESULTS 1001')).toMatch(/MAXRESULTS/);
		expect(parserError("SELECT * FROM Item WHERE Name = 'unterminated")).toMatch(/Unterminated/);
		expect(parserError('SELECT * FROM Item WHERE Name != 1')).toMatch(/Encountered/);
		expect(parserError('')).toMatch(/SELECT/);
		expect(parserError('DELETE FROM Item')).toMatch(/SELECT/);
	});
});

describe('GET/POST /query', () => {
	let sim: QboSimulator;
	let qbo: ReturnType<typeof qboClient>;

	beforeAll(async () => {
		sim = createQuickBooksSimulator({ companies: [exampleUsCompany()], clients: [EXAMPLE_CLIENT], limits: false });
		const base = await sim.listen(0);
		qbo = qboClient(base, EXAMPLE_US_REALM, sim.issueTokens(EXAMPLE_CLIENT.clientId, EXAMPLE_US_REALM).access_token);
	});
	afterAll(() => sim.close());

	const names = (res: { json: any }, entity = 'Customer') =>
		(res.json.QueryResponse[entity] ?? []).map((r: any) => r.DisplayName ?? r.Name);

	it("finds a name with an escaped quote (O\\'Brien) and, under the default setting, one with an escaped backslash", async () => {
		expect(names(await qbo.query("SELECT * FROM Customer WHERE DisplayName = 'Pat O\\'Brien'"))).toEqual(["Pat O'Brien"]);
		expect(names(await qbo.query("SELECT * FROM Customer WHERE DisplayName = 'Back\\\\slash Studio'"))).toEqual(['Back\\slash Studio']);
	});

	it('matches PrimaryEmailAddr against its Address, case-insensitively', async () => {
		const res = await qbo.query("SELECT * FROM Customer WHERE PrimaryEmailAddr = 'BILLING@acme.example'");
		expect(names(res)).toEqual(['Acme Corp']);
	});

	it('supports IN, and SELECT * returns Sku (Sku exists since minorversion 4; we send 75)', async () => {
		const res = await qbo.query("SELECT * FROM Item WHERE Sku IN ('CONS-HR', 'nope')");
		expect(res.json.QueryResponse.Item).toHaveLength(1);
		expect(res.json.QueryResponse.Item[0]).toMatchObject({ Name: 'Consulting Hour', Sku: 'CONS-HR', Id: '2', SyncToken: '0' });
	});

	it('a backslash in a value, both settings: the default finds "Back\\slash Studio" by \\\\; escapesQuoteOnly by a lone \\', async () => {
		try {
			sim.assumptions.queryBackslash = 'escapesQuoteOnly';
			expect(names(await qbo.query("SELECT * FROM Customer WHERE DisplayName = 'Back\\slash Studio'"))).toEqual(['Back\\slash Studio']);
			expect(names(await qbo.query("SELECT * FROM Customer WHERE DisplayName = 'Back\\\\slash Studio'"))).toEqual([]);
			// A prefix LIKE without the backslash finds it under either reading.
			expect(names(await qbo.query("SELECT * FROM Customer WHERE DisplayName LIKE 'Back%'"))).toEqual(['Back\\slash Studio']);
		} finally {
			sim.assumptions.queryBackslash = 'escapesAny';
		}
		expect(names(await qbo.query("SELECT * FROM Customer WHERE DisplayName = 'Back\\slash Studio'"))).toEqual([]);
	});

	it('supports LIKE with % only', async () => {
		expect(names(await qbo.query("SELECT * FROM Item WHERE Name LIKE 'wid%'"), 'Item')).toEqual(['Widget', 'widget (lowercase sku)']);
		expect(names(await qbo.query("SELECT * FROM Item WHERE Name LIKE '%Hour'"), 'Item')).toEqual(['Consulting Hour']);
		// _ is not a wildcard
		expect((await qbo.query("SELECT * FROM Item WHERE Name LIKE 'Widge_'")).json.QueryResponse).toEqual({});
	});

	it('hides inactive records unless the query filters on Active', async () => {
		expect(names(await qbo.query("SELECT * FROM Customer WHERE DisplayName = 'Gone Away Ltd'"))).toEqual([]);
		expect(names(await qbo.query("SELECT * FROM Customer WHERE DisplayName = 'Gone Away Ltd' AND Active IN (true, false)"))).toEqual(['Gone Away Ltd']);
		expect(names(await qbo.query('SELECT * FROM Customer WHERE Active = false'))).toEqual(['Gone Away Ltd']);
		expect(names(await qbo.query('SELECT * FROM Customer'))).toHaveLength(3);
	});

	it('pages with STARTPOSITION and MAXRESULTS, and counts', async () => {
		const page1 = await qbo.query('SELECT * FROM Customer ORDERBY DisplayName STARTPOSITION 1 MAXRESULTS 2');
		expect(page1.json.QueryResponse).toMatchObject({ startPosition: 1, maxResults: 2 });
		expect(names(page1)).toEqual(['Acme Corp', 'Back\\slash Studio']);
		const page2 = await qbo.query('SELECT * FROM Customer ORDERBY DisplayName STARTPOSITION 3 MAXRESULTS 2');
		expect(names(page2)).toEqual(["Pat O'Brien"]);
		expect(page2.json.QueryResponse.maxResults).toBe(1);
		const past = await qbo.query('SELECT * FROM Customer STARTPOSITION 10 MAXRESULTS 2');
		expect(past.json).toEqual({ QueryResponse: {}, time: expect.any(String) });
		const count = await qbo.query('SELECT count(*) FROM Customer');
		expect(count.json.QueryResponse).toEqual({ totalCount: 3 });
	});

	it('answers MAXRESULTS > 1000 and OR with HTTP 400 fault 4000', async () => {
		const tooMany = await qbo.query('SELECT * FROM Item MAXRESULTS 1001');
		expect(tooMany.status).toBe(400);
		expect(tooMany.json.Fault).toMatchObject({ type: 'ValidationFault', Error: [{ code: '4000', Message: 'Error parsing query' }] });
		const or = await qbo.query("SELECT * FROM Item WHERE Name = 'Widget' OR Name = 'x'");
		expect(or.status).toBe(400);
		expect(or.json.Fault.Error[0].Detail).toMatch(/^QueryParserError:/);
	});

	it('accepts POST /query with Content-Type application/text; refuses a projection with fault 4000', async () => {
		const res = await qbo.queryPost("SELECT * FROM Item WHERE Name = 'Widget'");
		expect(res.status).toBe(200);
		expect(res.json.QueryResponse.Item).toEqual([expect.objectContaining({ Id: '1', Sku: 'WID-001', domain: 'QBO', sparse: false })]);
		const projection = await qbo.queryPost("SELECT *, Sku FROM Item WHERE Name = 'Widget'");
		expect(projection.status).toBe(400);
		expect(projection.json.Fault.Error[0]).toMatchObject({ code: '4000', Detail: expect.stringMatching(/projections are not supported/) });
	});

	it('compares references by value, and dates / numbers by order', async () => {
		const byCustomer = await qbo.query("SELECT * FROM Invoice WHERE CustomerRef = '1'");
		expect(byCustomer.json.QueryResponse.Invoice.map((i: any) => i.DocNumber)).toEqual(['INV-1001']);
		expect((await qbo.query("SELECT * FROM Invoice WHERE TxnDate > '2026-01-15'")).json.QueryResponse).toEqual({});
		expect((await qbo.query("SELECT * FROM Invoice WHERE TxnDate >= '2026-01-15'")).json.QueryResponse.Invoice).toHaveLength(1);
		expect((await qbo.query("SELECT * FROM Item WHERE Id > '3'")).json.QueryResponse.Item.map((i: any) => i.Id)).toEqual(['4']);
		// equality against a string literal stays textual: '01' is not Id '1'
		expect((await qbo.query("SELECT * FROM Item WHERE Id = '01'")).json.QueryResponse).toEqual({});
	});

	it('logs the queried entity as detail', async () => {
		sim.log.clear();
		await qbo.query('SELECT * FROM TaxCode');
		expect(sim.log.entries[0]).toMatchObject({ endpoint: 'GET /v3/company/:realmId/query', detail: 'TaxCode', status: 200, api: 'quickbooks' });
	});
});
