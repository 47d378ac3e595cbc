import { CONNECTION_ERROR_CODES, ERROR_CATALOGUE, SyncError, redactDeep, redactSecrets } from '../../package/nodes/shared/errors';
import { failedValues } from '../../package/nodes/QuickBooksInvoiceUpsert/writeBack';
import { duplicateTxnId, quickBooksFaultToSyncError, toSyncError } from '../../package/nodes/shared/faultTranslation';
import { HubSpotApiError } from '../../package/nodes/shared/transport/hubspot';
import { QuickBooksFault, QuickBooksTransportError, parseFault } from '../../package/nodes/shared/transport/quickbooks';

function fault(code: string, message = 'msg', detail = 'detail', element?: string) {
	return new QuickBooksFault('ValidationFault', [{ code, message, detail, element }], 400);
}

describe('error catalogue', () => {
	it('every code has a message, a hint and a retryable flag', () => {
		for (const [code, definition] of Object.entries(ERROR_CATALOGUE)) {
			expect(definition.message.length).toBeGreaterThan(10);
			expect(definition.hint.length).toBeGreaterThan(10);
			expect(typeof definition.retryable).toBe('boolean');
			expect(code).toMatch(/^[A-Z_]+$/);
		}
	});

	it('connection failures (authorization, permission, a suspended company, limits, outages, network) are marked in the catalogue, and only they', () => {
		expect([...CONNECTION_ERROR_CODES].sort()).toEqual(
			['AUTH_EXPIRED', 'COMPANY_SUSPENDED', 'DAILY_LIMIT_REACHED', 'HUBSPOT_UNAVAILABLE', 'NETWORK_ERROR', 'PERMISSION_DENIED', 'QUICKBOOKS_UNAVAILABLE', 'RATE_LIMITED'].sort(),
		);
		expect(CONNECTION_ERROR_CODES.has('QUICKBOOKS_VALIDATION')).toBe(false);
		expect(CONNECTION_ERROR_CODES.has('PERIOD_CLOSED')).toBe(false);
	});

	it('write-back records the sync hash for an invoice\'s own lasting failure, not for a connection failure, so a reconnect re-syncs the invoice', () => {
		const facts = (error: SyncError) => failedValues({ hubspotId: '1', contentHash: 'h1', error });
		expect(facts(new SyncError('AUTH_EXPIRED', { system: 'QuickBooks' })).qbo_sync_hash).toBeUndefined();
		expect(facts(new SyncError('COMPANY_SUSPENDED', { detail: 'x' })).qbo_sync_hash).toBeUndefined();
		expect(facts(new SyncError('RATE_LIMITED', { system: 'QuickBooks' })).qbo_sync_hash).toBeUndefined();
		expect(facts(new SyncError('QUICKBOOKS_VALIDATION', { invoice: 'INV-1', detail: 'x' })).qbo_sync_hash).toBe('h1');
		expect(facts(new SyncError('PERIOD_CLOSED', { invoice: 'INV-1' })).qbo_sync_hash).toBe('h1');
	});

	it('fills message templates and says SKU matching is case-sensitive', () => {
		const error = new SyncError('SKU_NOT_FOUND', { invoice: 'INV-7', skus: 'prod-001', suggestions: ' (did you mean PROD-001?)' });
		expect(error.message).toBe('Invoice INV-7: no QuickBooks product with SKU prod-001 (did you mean PROD-001?)');
		expect(error.hint).toMatch(/case-sensitive/);
		expect(error.toJSON()).toMatchObject({ code: 'SKU_NOT_FOUND', retryable: false });
	});

	it('redacts anything shaped like a secret from messages and details', () => {
		expect(redactSecrets('Authorization: Bearer abcdefghijklmnop')).not.toContain('abcdefghijklmnop');
		expect(redactSecrets('refresh_token=RT1234567890abc&x=1')).not.toContain('RT1234567890abc');
		expect(redactSecrets('client_secret: "s3cr3t-value"')).not.toContain('s3cr3t-value');
		expect(redactSecrets('token pat-na1-11111111-2222-3333')).not.toContain('11111111-2222-3333');
		const details = redactDeep({ headers: { Authorization: 'Bearer x' }, nested: { access_token: 'abc', note: 'Bearer zzzzzzzzzzzz' } });
		expect(JSON.stringify(details)).not.toMatch(/zzzzzzzzzzzz|"abc"|Authorization/);
		const error = new SyncError('QUICKBOOKS_VALIDATION', { invoice: 'X', detail: 'bad Bearer qwertyuiopasdfgh' }, { access_token: 'leak' });
		expect(JSON.stringify(error.toJSON())).not.toMatch(/qwertyuiopasdfgh|leak/);
	});
});

describe('QuickBooks fault translation', () => {
	it.each([
		['6210', undefined, 'PERIOD_CLOSED'],
		['5010', undefined, 'STALE_OBJECT'],
		['6070', undefined, 'AMOUNT_MISMATCH'],
		['6190', undefined, 'COMPANY_SUSPENDED'],
		['3200', undefined, 'AUTH_EXPIRED'],
		['100', undefined, 'AUTH_EXPIRED'],
		['3100', undefined, 'PERMISSION_DENIED'],
		['3001', undefined, 'RATE_LIMITED'],
		['2020', undefined, 'QUICKBOOKS_VALIDATION'],
		['610', 'customer', 'CUSTOMER_INACTIVE'],
		['610', 'item', 'ITEM_INACTIVE'],
		['2500', 'customer', 'CUSTOMER_NOT_FOUND'],
		['2500', 'item', 'SKU_NOT_FOUND'],
		['2500', 'taxCode', 'TAX_CODE_NOT_FOUND'],
		['6240', 'customer', 'CUSTOMER_CREATE_FAILED'],
		['6240', 'item', 'ITEM_CREATE_FAILED'],
		['6000', undefined, 'QUICKBOOKS_VALIDATION'],
	] as const)('fault %s about %s → %s', (code, record, expected) => {
		expect(quickBooksFaultToSyncError(fault(code), { invoice: 'INV-1', record }).code).toBe(expected);
	});

	it('uses the element to tell which record an inactive reference is about', () => {
		expect(quickBooksFaultToSyncError(fault('610', 'Object Not Found', '', 'CustomerRef'), { record: 'invoice' }).code).toBe('CUSTOMER_INACTIVE');
		expect(quickBooksFaultToSyncError(fault('610', 'Object Not Found', '', 'Line.SalesItemLineDetail.ItemRef'), { record: 'invoice' }).code).toBe('ITEM_INACTIVE');
	});

	it('2050 on DocNumber is DOC_NUMBER_TOO_LONG; 6000 about GST is a tax code problem', () => {
		expect(quickBooksFaultToSyncError(fault('2050', 'String length', 'Min:0 Max:21', 'DocNumber')).code).toBe('DOC_NUMBER_TOO_LONG');
		expect(quickBooksFaultToSyncError(fault('6000', 'Business Validation Error', 'Make sure all your transactions have a GST/HST rate')).code).toBe('TAX_CODE_NOT_FOUND');
	});

	it('6140 names the existing TxnId', () => {
		const duplicate = fault('6140', 'Duplicate Document Number Error', 'Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=1001 is assigned to TxnType=Invoice with TxnId=155');
		expect(duplicateTxnId(duplicate)).toBe('155');
		const error = quickBooksFaultToSyncError(duplicate, { invoice: '1001' });
		expect(error.code).toBe('DUPLICATE_INVOICE');
		expect(error.message).toContain('155');
		expect(error.hint).toMatch(/delete the QuickBooks invoice first/);
	});

	it('keeps QuickBooks message, detail and element in details', () => {
		const error = quickBooksFaultToSyncError(fault('2020', 'Required param missing', 'Line is missing', 'Line'), { invoice: 'I' });
		expect(error.details).toMatchObject({ quickbooksCode: '2020', element: 'Line', quickbooksDetail: 'Line is missing' });
		expect(error.message).toContain('Required param missing');
	});

	it('parses every Fault envelope QuickBooks uses', () => {
		expect(parseFault({ Fault: { Error: [{ Message: 'm', Detail: 'd', code: '6240' }], type: 'ValidationFault' } })?.code).toBe('6240');
		expect(parseFault({ fault: { error: [{ message: 'm', detail: 'd', code: '3200' }], type: 'AUTHENTICATION' } })?.code).toBe('3200');
		expect(parseFault({ QueryResponse: {} })).toBeUndefined();
		expect(parseFault('text')).toBeUndefined();
	});
});

describe('transport failures → codes', () => {
	it.each([
		[new QuickBooksTransportError('throttled', 'x', 429), 'RATE_LIMITED', true],
		[new QuickBooksTransportError('unavailable', 'x', 503), 'QUICKBOOKS_UNAVAILABLE', true],
		[new QuickBooksTransportError('network', 'x'), 'NETWORK_ERROR', true],
		[new QuickBooksTransportError('auth', 'x', 401), 'AUTH_EXPIRED', false],
		[new HubSpotApiError('daily-limit', 'x'), 'DAILY_LIMIT_REACHED', true],
		[new HubSpotApiError('rate-limited', 'x'), 'RATE_LIMITED', true],
		[new HubSpotApiError('scope', 'x'), 'PERMISSION_DENIED', false],
		[new HubSpotApiError('auth', 'x'), 'AUTH_EXPIRED', false],
		[new Error('boom'), 'UNEXPECTED_ERROR', true],
	])('%s → %s', (error, code, retryable) => {
		const result = toSyncError(error, { invoice: 'INV-1' });
		expect(result.code).toBe(code);
		expect(result.retryable).toBe(retryable);
	});

	it('says which system to reconnect', () => {
		expect(toSyncError(new HubSpotApiError('auth', 'x')).hint).toMatch(/HubSpot credential.*Reconnect/);
		expect(toSyncError(new QuickBooksTransportError('auth', 'x')).hint).toMatch(/QuickBooks credential.*Reconnect/);
	});
});
