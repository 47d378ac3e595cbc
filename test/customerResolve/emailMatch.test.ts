import {
	customersByEmail,
	emailKey,
	lookupEmail,
	preferredCustomer,
	queryValues,
	type QuickBooksCustomer,
} from '../../package/nodes/CustomerResolve/emailMatch';

const exact = { exact: true };
const relaxed = { exact: false };

const customer = (Id: string, Address: string | undefined, extra: Partial<QuickBooksCustomer> = {}): QuickBooksCustomer => ({
	Id,
	DisplayName: `C${Id}`,
	Active: true,
	...(Address !== undefined ? { PrimaryEmailAddr: { Address } } : {}),
	...extra,
});

describe('email lookup values', () => {
	it('treats missing and blank emails as missing', () => {
		expect(lookupEmail(null, exact)).toBe('');
		expect(lookupEmail('   ', exact)).toBe('');
		expect(lookupEmail(undefined, relaxed)).toBe('');
	});

	it('trims by default; keeps the email as HubSpot holds it when matching exactly', () => {
		expect(lookupEmail(' Ada@Example.com ', exact)).toBe(' Ada@Example.com ');
		expect(lookupEmail(' Ada@Example.com ', relaxed)).toBe('Ada@Example.com');
	});

	it('asks QuickBooks for each distinct email, plus its lower-case form unless matching exactly', () => {
		expect(queryValues(['A@x.com', 'b@x.com', 'A@x.com'], exact)).toEqual(['A@x.com', 'b@x.com']);
		expect(queryValues(['A@x.com', 'b@x.com'], relaxed)).toEqual(['A@x.com', 'a@x.com', 'b@x.com']);
	});
});

describe('client-side matching', () => {
	it('with exact matching a different case is not a match', () => {
		const byEmail = customersByEmail([customer('4', 'orders@harborsupply.example')], exact);
		expect(byEmail.get(emailKey('Orders@HarborSupply.example', exact))).toBeUndefined();
		expect(byEmail.get(emailKey('orders@harborsupply.example', exact))?.map((c) => c.Id)).toEqual(['4']);
	});

	it('ignores case and surrounding spaces by default, as QuickBooks compares', () => {
		const byEmail = customersByEmail([customer('4', ' orders@harborsupply.example')], relaxed);
		expect(byEmail.get(emailKey('Orders@HarborSupply.example ', relaxed))?.map((c) => c.Id)).toEqual(['4']);
	});

	it('compares quotes, backslashes and unicode literally', () => {
		const hostile = 'o\'brien\\"x"@exämple.com';
		const byEmail = customersByEmail([customer('1', hostile), customer('2', 'o\'brien\\x@exämple.com')], exact);
		expect(byEmail.get(hostile)?.map((c) => c.Id)).toEqual(['1']);
	});

	it('ignores customers without an email and de-duplicates repeated rows', () => {
		const byEmail = customersByEmail([customer('1', undefined), customer('2', 'a@b.c'), customer('2', 'a@b.c')], exact);
		expect([...byEmail.keys()]).toEqual(['a@b.c']);
		expect(byEmail.get('a@b.c')).toHaveLength(1);
	});
});

describe('preferredCustomer', () => {
	it('prefers active, then top-level, then the oldest (lowest id)', () => {
		expect(preferredCustomer([customer('2', 'a'), customer('10', 'a'), customer('1', 'a', { Active: false })])?.Id).toBe('2');
		expect(preferredCustomer([customer('2', 'a', { Job: true, ParentRef: { value: '9' } }), customer('5', 'a')])?.Id).toBe('5');
		expect(preferredCustomer([customer('7', 'a', { Active: false }), customer('3', 'a', { Active: false })])?.Id).toBe('3');
		expect(preferredCustomer([])).toBeUndefined();
	});
});
