/**
 * The rule that keeps one HubSpot payment per piece of QuickBooks money when executions ran at the
 * same time (package/nodes/HubSpotInvoiceUpsert/paymentDuplicates.ts): which payments are archived.
 */
import { coveredMoney, redundantPayments, type CoveredMoney } from '../../package/nodes/HubSpotInvoiceUpsert/paymentDuplicates';
import { stepReference, withInvoiceReference } from '../../package/nodes/HubSpotInvoiceUpsert/payments';

const payment = (id: string, reference: string, amount: string) => coveredMoney(id, { hs_reference_number: reference, hs_initial_amount: amount })!;
const ids = (payments: CoveredMoney[]) => payments.map((found) => found.id).sort();

it('reads the money a payment covers from both reference forms: (paid to − amount, paid to]', () => {
	expect(payment('7', stepReference('42', '21'), '11')).toEqual({ id: '7', quickbooksInvoiceId: '42', from: 10_000_000n, to: 21_000_000n });
	expect(payment('8', withInvoiceReference('42', '10.5'), '10.50')).toEqual({ id: '8', quickbooksInvoiceId: '42', from: 0n, to: 10_500_000n });
});

it('ignores payments this package did not record (another reference, or no amount)', () => {
	expect(coveredMoney('9', { hs_reference_number: 'Cheque 1234', hs_initial_amount: '10' })).toBeUndefined();
	expect(coveredMoney('9', { hs_reference_number: stepReference('42', '10'), hs_initial_amount: null })).toBeUndefined();
});

it('the same money recorded twice (the invoice path and the payment path): the lowest id stays, compared as numbers', () => {
	const payments = [payment('1000', withInvoiceReference('42', '10'), '10'), payment('999', stepReference('42', '10'), '10')];
	expect(ids(redundantPayments(payments))).toEqual(['1000']);
});

it('money within another payment\'s (a run that saw less paid): the smaller one goes, the larger stays', () => {
	const payments = [payment('1', withInvoiceReference('42', '10'), '10'), payment('2', stepReference('42', '21'), '21')];
	expect(ids(redundantPayments(payments))).toEqual(['1']);
});

it('payments one after another (0–10, 10–21) are both kept; so are those of another QuickBooks invoice', () => {
	const payments = [payment('1', stepReference('42', '10'), '10'), payment('2', stepReference('42', '21'), '11'), payment('3', stepReference('43', '10'), '10')];
	expect(redundantPayments(payments)).toEqual([]);
});

it('a run seeing only some of the payments archives nothing a run seeing all of them would keep', () => {
	const all = [
		payment('5', stepReference('42', '10'), '10'),
		payment('3', withInvoiceReference('42', '10'), '10'),
		payment('4', stepReference('42', '21'), '21'),
		payment('2', stepReference('42', '21'), '11'),
		payment('6', stepReference('42', '21'), '11'),
	];
	const archivedByAll = new Set(ids(redundantPayments(all)));
	expect([...archivedByAll].sort()).toEqual(['2', '3', '5', '6']);
	for (let mask = 1; mask < 1 << all.length; mask++) {
		const some = all.filter((_, index) => mask & (1 << index));
		for (const id of ids(redundantPayments(some))) expect(archivedByAll.has(id)).toBe(true);
	}
});
