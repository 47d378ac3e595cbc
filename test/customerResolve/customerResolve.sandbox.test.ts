import type { Sandbox } from '../../sandbox';
import { runNode } from '../kit';
import { canonicalInvoicesFromSandbox, expectedFailures, sandboxCredentials, useDefaultSandbox } from '../fixtures/demoSandbox';

let sb: Sandbox;
useDefaultSandbox((sandbox) => (sb = sandbox));

const idOf = (json: any) => String(json.invoice.source.id);
const qboCustomers = () => [...sb.quickbooks.state.realms[sb.dataset.realmId].entities.Customer.values()] as Array<Record<string, any>>;

describe('Customer Resolve on the sandbox demo data set', () => {
	it('routes exactly the invoices expected to fail with CUSTOMER_EMAIL_MISSING / CUSTOMER_INACTIVE to the error output', async () => {
		const input = canonicalInvoicesFromSandbox(sb);
		const expected = expectedFailures(sb, ['CUSTOMER_EMAIL_MISSING', 'CUSTOMER_INACTIVE']);
		expect(Object.values(expected).sort()).toEqual(['CUSTOMER_EMAIL_MISSING', 'CUSTOMER_INACTIVE']);

		const result = await runNode('customerResolve', {}, input, sandboxCredentials(sb));

		expect(Object.fromEntries(result.errors.map((json: any) => [idOf(json), json.error.code]))).toEqual(expected);
		expect(result.main.map(idOf).sort()).toEqual(input.map(idOf).filter((id) => !(id in expected)).sort());

		const byNumber = Object.fromEntries(result.main.map((json: any) => [json.invoice.number, json.quickbooks.customer]));
		// The demo company has multicurrency on: each customer part names its currency.
		expect(byNumber['INV-1001']).toEqual({ id: '1', displayName: 'Acme Corporation', created: false, currency: 'USD' });
		// Orders@HarborSupply.example differs only in case from QuickBooks customer 4's email: the same
		// customer, as QuickBooks compares emails.
		expect(byNumber['INV-1013']).toEqual({ id: '4', displayName: 'Harbor Supply Co.', created: false, currency: 'USD' });
		expect(byNumber['INV-1014']).toMatchObject({ displayName: 'Smith & Sons #2 / R&D West', created: true });
		expect(byNumber['INV-1003']).toMatchObject({ displayName: 'Pied Piper', created: true });
		expect(byNumber['INV-1005']).toMatchObject({ displayName: 'Jordan Blake', created: true });

		// The simulator holds the new customers, with email and billing address.
		const smith = qboCustomers().find((customer) => customer.Id === byNumber['INV-1014'].id)!;
		expect(smith).toMatchObject({ DisplayName: 'Smith & Sons #2 / R&D West', PrimaryEmailAddr: { Address: expect.any(String) }, BillAddr: expect.any(Object) });

		// The company (CompanyInfo and Preferences, for the checks before any write), one email lookup
		// and one create batch for the invoices in open periods, one lookup without writes for the
		// invoice dated in the closed period (INV-1020).
		expect(sb.log.entries.filter((entry) => entry.api === 'quickbooks').map((entry) => entry.endpoint).sort()).toEqual([
			'GET /v3/company/:realmId/companyinfo/:id',
			'GET /v3/company/:realmId/preferences',
			'POST /v3/company/:realmId/batch',
			'POST /v3/company/:realmId/query',
			'POST /v3/company/:realmId/query',
		]);
	});

	it('a second run finds the customers the first one created (no duplicates)', async () => {
		const input = canonicalInvoicesFromSandbox(sb);
		const first = await runNode('customerResolve', {}, input, sandboxCredentials(sb));
		const count = qboCustomers().length;
		const second = await runNode('customerResolve', {}, input, sandboxCredentials(sb));
		expect(qboCustomers()).toHaveLength(count);
		expect(second.main.map((json: any) => json.quickbooks.customer.id)).toEqual(first.main.map((json: any) => json.quickbooks.customer.id));
		expect(second.main.every((json: any) => json.quickbooks.customer.created === false)).toBe(true);
	});

	it('reactivates the inactive customer when the policy says so', async () => {
		const input = canonicalInvoicesFromSandbox(sb).filter((json: any) => json.invoice.number === 'INV-1015');
		const result = await runNode('customerResolve', { ifInactive: 'reactivate' }, input, sandboxCredentials(sb));
		expect(result.main[0].quickbooks).toEqual({ customer: { id: '5', displayName: 'Umbrella Health', created: false, reactivated: true, currency: 'USD' } });
		expect(qboCustomers().find((customer) => customer.Id === '5')!.Active).toBe(true);
	});

	it('with "Match Emails Exactly" the Harbor Supply invoice gets a new customer of its own', async () => {
		const input = canonicalInvoicesFromSandbox(sb).filter((json: any) => json.invoice.number === 'INV-1013');
		const result = await runNode('customerResolve', { options: { exactEmailMatch: true } }, input, sandboxCredentials(sb));
		const part = (result.main[0] as any).quickbooks.customer;
		expect(part).toMatchObject({ displayName: 'Harbor Supply West', created: true });
		const harbor = qboCustomers().find((customer) => customer.Id === part.id)!;
		expect(harbor).toMatchObject({ DisplayName: 'Harbor Supply West', PrimaryEmailAddr: { Address: 'Orders@HarborSupply.example' }, BillAddr: { City: 'Oakland', CountrySubDivisionCode: 'CA' } });
	});
});
