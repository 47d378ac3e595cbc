/**
 * QuickBooks' currency faults → catalogue codes. QuickBooks answers currency problems with a
 * business validation fault (6000) naming the currency; its exact wording is not documented, so
 * these use the simulator's wording and a differently worded variant.
 */
import { toSyncError } from '../../package/nodes/shared/faultTranslation';
import { QuickBooksFault } from '../../package/nodes/shared/transport/quickbooks';

const businessValidation = (detail: string, element = '') =>
	new QuickBooksFault('ValidationFault', [{ code: '6000', message: 'A business validation error has occurred while processing your request', detail: `Business Validation Error: ${detail}`, element }]);

describe('currency faults', () => {
	it('"multicurrency is not enabled" is CURRENCY_MISMATCH, naming the invoice\'s currency when the caller knows it', () => {
		const error = toSyncError(businessValidation('Multicurrency is not enabled for this company; the currency must be USD, not EUR.', 'CurrencyRef'), {
			invoice: 'INV-7',
			record: 'customer',
			currency: 'EUR',
		});
		expect(error.code).toBe('CURRENCY_MISMATCH');
		expect(error.message).toBe('Invoice INV-7 is in EUR but the QuickBooks company uses its home currency without multicurrency');
		expect(error.details).toMatchObject({ quickbooksCode: '6000', element: 'CurrencyRef' });
	});

	it('a transaction in another currency than its customer is CUSTOMER_CURRENCY_MISMATCH, whatever the exact wording', () => {
		for (const detail of [
			'The currency of the transaction (EUR) must match the currency of customer Jane Doe (USD).',
			'Transaction currency must be the same as the customer currency',
		]) {
			const error = toSyncError(businessValidation(detail), { invoice: 'INV-8', record: 'invoice' });
			expect(error.code).toBe('CUSTOMER_CURRENCY_MISMATCH');
			expect(error.message).toBe('Invoice INV-8 is in a foreign currency but its QuickBooks customer record is in another currency');
			expect(error.hint).toMatch(/fixes a customer's currency when the customer is created/);
			expect(error.details).toMatchObject({ quickbooksDetail: `Business Validation Error: ${detail}` });
		}
	});

	it('names the customer and email when the failing call was about a customer', () => {
		const error = toSyncError(businessValidation("You can't change the currency of a customer after it has been created.", 'CurrencyRef'), {
			invoice: 'INV-9',
			record: 'customer',
			name: 'Jane Doe',
			email: 'jane@example.com',
			currency: 'EUR',
		});
		expect(error.message).toBe('Invoice INV-9 is in EUR but its QuickBooks customer Jane Doe (jane@example.com) is in another currency');
	});

	it('leaves other business validation faults alone (tax stays TAX_CODE_NOT_FOUND, the rest QUICKBOOKS_VALIDATION)', () => {
		expect(toSyncError(businessValidation('Make sure all your transactions have a GST/HST rate before you save.')).code).toBe('TAX_CODE_NOT_FOUND');
		expect(toSyncError(businessValidation('Something else entirely.')).code).toBe('QUICKBOOKS_VALIDATION');
	});
});
