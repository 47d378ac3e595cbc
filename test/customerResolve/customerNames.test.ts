import {
	DISPLAY_NAME_MAX,
	buildDisplayName,
	cleanName,
	duplicateNameVariant,
	perCurrencyName,
	truncate,
} from '../../package/nodes/CustomerResolve/customerNames';
import { buildCustomerPayload } from '../../package/nodes/CustomerResolve/customerPayload';

const plain = { sanitize: false };
const sanitized = { sanitize: true };

describe('cleanName', () => {
	it('always removes colons (QuickBooks\' sub-customer separator) and collapses the spaces left', () => {
		expect(cleanName('Smith & Sons #2 / R&D: West', plain)).toBe('Smith & Sons #2 / R&D West');
		expect(cleanName('Parent:Child', plain)).toBe('ParentChild');
	});

	it('removes &, # and / only when sanitizing', () => {
		expect(cleanName('Smith & Sons #2 / R&D: West', sanitized)).toBe('Smith Sons 2 RD West');
		expect(cleanName('A/B', plain)).toBe('A/B');
	});

	it('trims, collapses whitespace and control characters', () => {
		expect(cleanName('  Acme \t\n Corp  ', plain)).toBe('Acme Corp');
		expect(cleanName('Acme\u0000Corp', plain)).toBe('Acme Corp');
	});

	it('removes every character QuickBooks rejects, as the upsert does: C1 controls, U+FFFD..U+FFFF, unpaired surrogates', () => {
		expect(cleanName('Acme\u0085Corp\u009f', plain)).toBe('Acme Corp');
		expect(cleanName('Acme \ufffd\ufffe\uffff Corp', plain)).toBe('Acme Corp');
		expect(cleanName('Acme \ud83d Corp \ude80', plain)).toBe('Acme Corp');
		expect(cleanName('Rocket 🚀 Co', plain)).toBe('Rocket 🚀 Co');
	});

	it('returns empty for nothing usable', () => {
		expect(cleanName(null, plain)).toBe('');
		expect(cleanName(' : : ', plain)).toBe('');
		expect(cleanName('&#/', sanitized)).toBe('');
	});

	it('keeps quotes, backslashes and unicode untouched', () => {
		expect(cleanName('O\'Brien "Bros" \\ Ltd', plain)).toBe('O\'Brien "Bros" \\ Ltd');
		expect(cleanName('Zoë Ørsted 株式会社 🚀', plain)).toBe('Zoë Ørsted 株式会社 🚀');
	});

	it('shortens to the limit without splitting an emoji', () => {
		const name = `${'a'.repeat(499)}🚀tail`;
		const cleaned = cleanName(name, plain);
		expect(cleaned).toBe('a'.repeat(499));
		expect(truncate('ab🚀', 3)).toBe('ab');
		expect(truncate('ab🚀', 4)).toBe('ab🚀');
		expect(cleanName('x'.repeat(600), plain)).toHaveLength(DISPLAY_NAME_MAX);
		expect(cleanName('y'.repeat(150), plain, 100)).toHaveLength(100);
	});
});

describe('buildDisplayName', () => {
	it('uses the company name first', () => {
		expect(buildDisplayName({ email: 'a@b.c', firstName: 'Ada', lastName: 'L', companyName: 'Acme' }, plain)).toBe('Acme');
	});

	it('falls back to "First Last", then to the email', () => {
		expect(buildDisplayName({ email: 'a@b.c', firstName: 'Ada', lastName: 'Lovelace', companyName: null }, plain)).toBe('Ada Lovelace');
		expect(buildDisplayName({ email: 'a@b.c', firstName: null, lastName: 'Lovelace' }, plain)).toBe('Lovelace');
		expect(buildDisplayName({ email: 'a@b.c', firstName: ' ', lastName: null, companyName: '' }, plain)).toBe('a@b.c');
	});

	it('skips a company name that is empty after cleaning', () => {
		expect(buildDisplayName({ email: 'a@b.c', firstName: 'Ada', lastName: 'L', companyName: ':::' }, plain)).toBe('Ada L');
	});
});

describe('duplicateNameVariant', () => {
	it('appends the email in parentheses', () => {
		expect(duplicateNameVariant('Acme', 'ap@acme.example', plain)).toBe('Acme (ap@acme.example)');
	});

	it('stays within 500 characters by shortening the name, keeping the email whole', () => {
		const variant = duplicateNameVariant('n'.repeat(500), 'ap@acme.example', plain);
		expect(variant).toHaveLength(DISPLAY_NAME_MAX);
		expect(variant.endsWith(' (ap@acme.example)')).toBe(true);
	});

	it('cleans the email part the same way as names', () => {
		expect(duplicateNameVariant('R D', 'r&d#1/x@b.c', sanitized)).toBe('R D (rd1x@b.c)');
	});
});

describe('buildCustomerPayload', () => {
	it('carries email, names, company and billing address, cleaned and trimmed to limits', () => {
		const payload = buildCustomerPayload(
			{
				email: 'ignored@x',
				firstName: 'A'.repeat(120),
				lastName: 'Lovelace: Countess',
				companyName: 'Analytical: Engines',
				hubspotContactId: '1',
				hubspotCompanyId: null,
				address: { line1: ' 12  St James\'s Sq ', city: 'London', state: null, postalCode: 'SW1Y 4JH', country: 'United Kingdom' },
			},
			'ada@example.com',
			plain,
		);
		expect(payload).toEqual({
			DisplayName: 'Analytical Engines',
			PrimaryEmailAddr: { Address: 'ada@example.com' },
			GivenName: 'A'.repeat(100),
			FamilyName: 'Lovelace Countess',
			CompanyName: 'Analytical Engines',
			BillAddr: { Line1: '12 St James\'s Sq', City: 'London', PostalCode: 'SW1Y 4JH', Country: 'United Kingdom' },
		});
	});

	it('omits empty names and a missing address', () => {
		expect(
			buildCustomerPayload({ email: null, firstName: null, lastName: null, companyName: null, hubspotContactId: null, hubspotCompanyId: null }, 'x@y.z', plain),
		).toEqual({ DisplayName: 'x@y.z', PrimaryEmailAddr: { Address: 'x@y.z' } });
	});
});

describe('buildCustomerPayload', () => {
	it('keeps rejected characters out of every name and address field', () => {
		const payload = buildCustomerPayload(
			{ email: 'a@b.c', firstName: 'Ada\u0080', lastName: '\ud800Lovelace', companyName: 'Acme\u009b Inc', address: { line1: '1 Main\u0007 St\ufffd', city: 'Spring\u0085field' } } as never,
			'a@b.c',
			plain,
		);
		expect(payload).toMatchObject({ DisplayName: 'Acme Inc', GivenName: 'Ada', FamilyName: 'Lovelace', CompanyName: 'Acme Inc', BillAddr: { Line1: '1 Main St', City: 'Spring field' } });
	});
});

describe('perCurrencyName', () => {
	it('adds the currency code, shortening the name (never the code) to stay within 500 characters', () => {
		expect(perCurrencyName('Jane Doe', 'EUR')).toBe('Jane Doe (EUR)');
		const long = perCurrencyName('n'.repeat(600), 'EUR');
		expect(long).toHaveLength(DISPLAY_NAME_MAX);
		expect(long.endsWith(' (EUR)')).toBe(true);
	});
});
