/** The rows of the QuickBooks → HubSpot data set: customers, items, invoices with their expected end, and the user's later actions. */
import { DEMO_ITEMS } from './default';
import type { CustomerSpec, ItemSpec } from './qboBuilders';
import type { QuickBooksUserAction, ReverseExpectation } from './reverseTypes';

/** A transaction tax code the reverse tax table leaves unmapped. */
export const NV_SALES_TAX = { id: '4', name: 'NV Sales Tax', percent: 8.25 };

/** The forward catalog plus an item whose SKU HubSpot lacks and an item without a SKU. */
export const REVERSE_ITEMS: ItemSpec[] = [
	...DEMO_ITEMS,
	{ id: '17', sku: 'PROD-777', name: 'Site Survey', priceCents: 30000 },
	{ id: '18', sku: '', name: 'Misc Labour', priceCents: 6500 },
];

/** QuickBooks customers; `hubspotEmail` marks those HubSpot already has as contacts. */
export const REVERSE_CUSTOMERS: (CustomerSpec & { key: string; hubspotEmail?: string })[] = [
	{ key: 'northwind', id: '21', displayName: 'Northwind Traders', companyName: 'Northwind Traders', givenName: 'Nancy', familyName: 'Davolio', email: 'AP@Northwind.example', hubspotEmail: 'ap@northwind.example' },
	{ key: 'contoso', id: '22', displayName: 'Contoso Ltd', companyName: 'Contoso Ltd', givenName: 'Kim', familyName: 'Abercrombie', email: 'billing@contoso.example', hubspotEmail: 'billing@contoso.example' },
	{ key: 'fabrikam', id: '23', displayName: 'Fabrikam Inc', companyName: 'Fabrikam Inc', givenName: 'Ravi', familyName: 'Nair', email: 'accounts@fabrikam.example', hubspotEmail: 'accounts@fabrikam.example' },
	{ key: 'litware', id: '24', displayName: 'Litware Studio', companyName: 'Litware Studio', givenName: 'Lena', familyName: 'Ortiz', email: 'hello@litware.example' },
	{ key: 'adventure', id: '25', displayName: 'Adventure Works', companyName: 'Adventure Works', givenName: 'Alan', familyName: 'Brewer' },
	{ key: 'tailspin', id: '26', displayName: 'Tailspin Toys', companyName: 'Tailspin Toys', givenName: 'Tom', familyName: 'Lee', email: 'payables@tailspin.example', hubspotEmail: 'payables@tailspin.example' },
];

/** Lines as [QuickBooks item Id, quantity, taxable]. */
type Line = [itemId: string, qty: string, taxable: boolean];

export interface ReverseInvoiceSpec {
	id: string;
	docNumber: string;
	customer: string;
	daysAgo: number;
	lines: Line[];
	taxCode?: { id: string; name: string; percent: number };
	privateNote?: string;
	/** The HubSpot end state; `paidCents` is what payments and credits cover at the end ('all' = the total). */
	expect: Omit<ReverseExpectation, 'docNumber' | 'hubspot'> & { status?: 'open' | 'paid' | 'voided'; paidCents?: number | 'all' };
}

export const REVERSE_INVOICES: ReverseInvoiceSpec[] = [
	{ id: '201', docNumber: 'QB-5001', customer: 'northwind', daysAgo: 12, lines: [['1', '3', true], ['3', '2', true]],
		expect: { outcome: 'created', status: 'open', paidCents: 2500, note: 'Clean; the QuickBooks email "AP@Northwind.example" matches contact ap@northwind.example ignoring case; a 25.00 credit memo applied later shows as paid.' } },
	{ id: '202', docNumber: 'QB-5002', customer: 'contoso', daysAgo: 10, lines: [['5', '1', true]],
		expect: { outcome: 'created', status: 'paid', paidCents: 'all', note: 'Paid in full in QuickBooks before the first sync: created, then paid.' } },
	{ id: '203', docNumber: 'QB-5003', customer: 'fabrikam', daysAgo: 9, lines: [['6', '1', true], ['8', '2', false]],
		expect: { outcome: 'created', status: 'open', paidCents: 20000, note: 'Partly paid (200.00) before the first sync: open, partially paid.' } },
	{ id: '204', docNumber: 'QB-5004', customer: 'litware', daysAgo: 8, lines: [['8', '2.5', false]],
		expect: { outcome: 'created', status: 'open', paidCents: 5000, note: 'New contact hello@litware.example is created; a 50.00 card payment comes later: partially paid.' } },
	{ id: '205', docNumber: 'QB-5005', customer: 'adventure', daysAgo: 7, lines: [['2', '1', true]],
		expect: { outcome: 'error', code: 'CUSTOMER_EMAIL_MISSING', note: 'The QuickBooks customer (Adventure Works) has no email: no HubSpot contact can be matched or created.' } },
	{ id: '206', docNumber: 'QB-5006', customer: 'northwind', daysAgo: 7, lines: [['17', '1', false], ['2', '2', true]],
		expect: { outcome: 'error', code: 'SKU_NOT_FOUND', note: 'Line SKU "PROD-777" (Site Survey) has no HubSpot product: the whole invoice fails, nothing is written.' } },
	{ id: '207', docNumber: 'QB-5007', customer: 'contoso', daysAgo: 6, lines: [['4', '3', true]], taxCode: NV_SALES_TAX,
		expect: { outcome: 'error', code: 'TAX_CODE_NOT_FOUND', note: 'Tax code 4 "NV Sales Tax" is not in the tax table.' } },
	{ id: '208', docNumber: 'QB-5008', customer: 'fabrikam', daysAgo: 6, lines: [['9', '1', false]],
		expect: { outcome: 'created', status: 'open', paidCents: 8000, note: 'An 80.00 credit memo (CM-301) applied through a zero-amount payment before the first sync.' } },
	{ id: '209', docNumber: 'QB-5009', customer: 'northwind', daysAgo: 5, lines: [['7', '4', true]],
		expect: { outcome: 'voided', status: 'voided', note: 'Voided in QuickBooks after the first sync: the HubSpot invoice is voided.' } },
	{ id: '210', docNumber: 'QB-5010', customer: 'contoso', daysAgo: 5, lines: [['11', '6', true]],
		expect: { outcome: 'voided', status: 'voided', note: 'Deleted in QuickBooks after the first sync: the HubSpot invoice is voided.' } },
	{ id: '211', docNumber: 'INV-2001', customer: 'tailspin', daysAgo: 4, lines: [['10', '2', true]], privateNote: 'HubSpot invoice 7010000001',
		expect: { outcome: 'paymentApplied', status: 'paid', paidCents: 'all', note: 'Created by the forward sync (PrivateNote link to HubSpot invoice 7010000001): skipped as content, its later full payment is applied: paid.' } },
	{ id: '212', docNumber: 'QB-5012', customer: 'litware', daysAgo: 3, lines: [['18', '1', false]],
		expect: { outcome: 'error', code: 'SKU_MISSING', note: 'Item "Misc Labour" has no SKU in QuickBooks.' } },
];

/** The QuickBooks user's actions after the first sync, in order. */
export const REVERSE_ACTIONS: QuickBooksUserAction[] = [
	{ kind: 'receivePayment', docNumber: 'QB-5004', amount: '50.00', paymentMethodId: '2' },
	{ kind: 'applyCredit', docNumber: 'QB-5001', amount: '25.00', itemId: '8' },
	{ kind: 'void', docNumber: 'QB-5009' },
	{ kind: 'delete', docNumber: 'QB-5010' },
	{ kind: 'receivePayment', docNumber: 'INV-2001', amount: 'balance', paymentMethodId: '1' },
];
