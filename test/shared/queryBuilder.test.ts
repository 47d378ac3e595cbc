import { assertQueryName, buildQuery, escapeQueryValue, quoteQueryValue } from '../../package/nodes/shared/transport/quickbooks';

describe('QuickBooks query builder', () => {
	it('escapes backslash before quote so no value can close the literal', () => {
		expect(escapeQueryValue("O'Brien")).toBe("O\\'Brien");
		expect(escapeQueryValue('a\\')).toBe('a\\\\');
		expect(quoteQueryValue("x\\' OR Name = 'y")).toBe("'x\\\\\\' OR Name = \\'y'");
	});

	it('keeps hostile values inside one literal', () => {
		const hostile = ["' OR 1=1 --", "\\' AND Active = false", "PROD-001'); DROP", '%', 'ünï😀', "a'b\\'c"];
		const query = buildQuery('Item', [{ field: 'Sku', op: 'IN', value: hostile }]);
		// Parse the IN list back: each literal starts with ' and ends at an unescaped '.
		const list = query.slice(query.indexOf('(') + 1, query.lastIndexOf(')'));
		const literals: string[] = [];
		let index = 0;
		while (index < list.length) {
			if (list[index] !== "'") {
				index++;
				continue;
			}
			let value = '';
			index++;
			while (list[index] !== "'") {
				if (list[index] === '\\') index++;
				value += list[index];
				index++;
			}
			literals.push(value);
			index++;
		}
		expect(literals).toEqual(hostile);
		expect(query.startsWith('SELECT * FROM Item WHERE Sku IN (')).toBe(true);
	});

	it('builds paging, booleans and numbers', () => {
		expect(
			buildQuery('Customer', [
				{ field: 'PrimaryEmailAddr', op: '=', value: 'a@b.c' },
				{ field: 'Active', op: 'IN', value: [true, false] },
			], { startPosition: 1001, maxResults: 5000 }),
		).toBe("SELECT * FROM Customer WHERE PrimaryEmailAddr = 'a@b.c' AND Active IN (true, false) STARTPOSITION 1001 MAXRESULTS 1000");
	});

	it('refuses field and entity names that are not plain names', () => {
		expect(() => assertQueryName("Sku = 'x' OR Name")).toThrow();
		expect(() => buildQuery("Item; DROP", [])).toThrow();
		expect(() => buildQuery('Item', [{ field: 'Sku', op: 'IN', value: [] }])).toThrow();
		expect(assertQueryName('MetaData.LastUpdatedTime')).toBe('MetaData.LastUpdatedTime');
	});
});
