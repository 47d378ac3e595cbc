/**
 * The QuickBooks → HubSpot scenario the reverse suites share: the reverse demo data set (every
 * failure it describes) plus invoices a QuickBooks user types in (through QuickBooks' API), the
 * user's later payments and voids, and each invoice's expected end in HubSpot, read from QuickBooks
 * itself at the end (balance, amount paid, voided or not).
 */
import { start, type Dataset, type Sandbox, type StartOptions } from '../../../sandbox';
import type { FaultConfig } from '../../../sandbox/common/faults';
import { DEMO_ITEMS } from '../../../sandbox/dataset/default';
import { reverseDataset, type ReverseDataset, type ReverseExpectation } from '../../../sandbox/dataset/reverse';
import { seededRandom } from '../../../sandbox/common/random';
import { qboClient } from '../../../sandbox/quickbooks/simpleClient';
import { performQuickBooksActions } from '../../../sandbox/quickbooks/userActions';
import type { QuickBooksUserAction } from '../../../sandbox/dataset';
import { formatCents } from '../../../sandbox/dataset/money';
import { isVoidedInvoice } from '../../../package/nodes/shared/quickbooksInvoiceLink';
import type { ReverseDriverConfig } from '../../../scripts/reliability/reverseDriver';

/** QuickBooks customers of the reverse data set that have an email (HubSpot knows some, not all). */
const CUSTOMERS_WITH_EMAIL = ['21', '22', '23', '24', '26'];
/** Items whose SKU HubSpot has as an active product. */
const SYNCABLE_ITEMS = DEMO_ITEMS.filter((item) => item.active !== false && item.priceCents > 0);

export interface ReverseScenario {
	sandbox: Sandbox;
	data: ReverseDataset;
	/** DocNumbers of the invoices the user typed in. */
	typedIn: string[];
	/** The QuickBooks faults the scenario runs with (off while the user acts). */
	quickbooksFaults?: FaultConfig;
}

export async function startReverseScenario(options: Omit<StartOptions, 'dataset'> = {}): Promise<ReverseScenario> {
	// Dated from today, so a backfill reaches back within change data capture's 30 days (which,
	// unlike the queries an older backfill needs, reports deletions).
	const data = reverseDataset({ now: new Date() });
	const sandbox = await start({ ...options, dataset: data as unknown as Dataset });
	return { sandbox, data, typedIn: [], quickbooksFaults: options.faults?.quickbooks };
}

/** A "Backfill Since" a day before the first QuickBooks invoice or payment of the data set was created. */
export function reverseBackfillSince(data: ReverseDataset): string {
	const entities = data.quickbooks[0].entities as Record<string, Array<{ MetaData?: { CreateTime?: string } }>>;
	const times = [...(entities.Invoice ?? []), ...(entities.Payment ?? [])].map((record) => Date.parse(record.MetaData?.CreateTime ?? '')).filter(Number.isFinite);
	const day = new Date(Math.min(Date.parse(data.now), ...times) - 24 * 60 * 60 * 1000);
	return `${day.toISOString().slice(0, 10)}T00:00:00.000Z`;
}

export function reverseDriverConfig(scenario: ReverseScenario, extra: Partial<ReverseDriverConfig> = {}): ReverseDriverConfig {
	return { urls: scenario.sandbox.urls, taxMapping: scenario.data.taxMapping, backfillSince: reverseBackfillSince(scenario.data), ...extra };
}

/** Runs `act` with QuickBooks' injected faults off (a user retries in the browser until it works). */
export async function asQuickBooksUser<T>(scenario: ReverseScenario, act: () => Promise<T>): Promise<T> {
	const faults = scenario.quickbooksFaults;
	if (faults) scenario.sandbox.setFaults({ quickbooks: undefined });
	try {
		return await act();
	} finally {
		if (faults) {
			// A new seed each time: the faults after the user's visit are not a replay of the first ones.
			scenario.quickbooksFaults = { ...faults, seed: (faults.seed ?? 1) + 1 };
			scenario.sandbox.setFaults({ quickbooks: scenario.quickbooksFaults });
		}
	}
}

/** Types `count` invoices into QuickBooks (1–6 lines of items HubSpot has, taxable or not, some with fractional quantities). */
export async function typeInInvoices(scenario: ReverseScenario, count: number, seed: number): Promise<string[]> {
	const random = seededRandom(seed);
	const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
	const { sandbox, data } = scenario;
	const qbo = qboClient(sandbox.urls.quickbooks, data.realmId, sandbox.credentials.quickbooks.oauthTokenData.access_token);
	const made: string[] = [];
	await asQuickBooksUser(scenario, async () => {
		for (let n = 0; n < count; n++) {
			const docNumber = `QB-R${seed}-${n + 1}`;
			const Line = Array.from({ length: 1 + Math.floor(random() * 6) }, () => {
				const item = pick(SYNCABLE_ITEMS);
				const qty = random() < 0.2 ? 1.5 : 1 + Math.floor(random() * 5);
				const cents = Math.round(qty * item.priceCents);
				return { DetailType: 'SalesItemLineDetail', Amount: Number(formatCents(cents)), SalesItemLineDetail: { ItemRef: { value: item.id }, Qty: qty, UnitPrice: item.priceCents / 100, TaxCodeRef: { value: random() < 0.6 ? 'TAX' : 'NON' } } };
			});
			const res = await qbo.post('invoice', { DocNumber: docNumber, CustomerRef: { value: pick(CUSTOMERS_WITH_EMAIL) }, Line, TxnTaxDetail: { TxnTaxCodeRef: { value: '3' } } });
			if (res.status !== 200) throw new Error(`typing in ${docNumber}: ${res.status} ${JSON.stringify(res.json)}`);
			made.push(docNumber);
		}
	});
	scenario.typedIn.push(...made);
	return made;
}

/** Payments (part and whole) and voids on some typed-in invoices, as a user would, between polls. */
export function laterActions(docNumbers: string[], seed: number): QuickBooksUserAction[] {
	const random = seededRandom(seed);
	const actions: QuickBooksUserAction[] = [];
	for (const docNumber of docNumbers) {
		const draw = random();
		if (draw < 0.25) actions.push({ kind: 'receivePayment', docNumber, amount: 'balance', paymentMethodId: '1' });
		else if (draw < 0.4) actions.push({ kind: 'receivePayment', docNumber, amount: '10.00', paymentMethodId: '2' });
		else if (draw < 0.48) actions.push({ kind: 'void', docNumber });
	}
	return actions;
}

export async function actAsUser(scenario: ReverseScenario, actions: QuickBooksUserAction[]): Promise<void> {
	const { sandbox, data } = scenario;
	// The user signs in afresh (the sync's tokens may have been expired by the test).
	const { access_token: token } = sandbox.quickbooks.issueTokens(sandbox.credentials.quickbooks.clientId, data.realmId);
	await asQuickBooksUser(scenario, () => performQuickBooksActions(sandbox.urls.quickbooks, data.realmId, token, actions));
}

/**
 * The expectations: the data set's (after its own actions), and for each typed-in invoice (and those
 * of `alsoFromQuickBooks`, DocNumbers) its end as QuickBooks holds it: voided (QuickBooks' void zeroes the amounts), else open or paid, with
 * amount paid = total − balance.
 */
export function scenarioExpectations(scenario: ReverseScenario, alsoFromQuickBooks: string[] = []): Record<string, ReverseExpectation> {
	const { sandbox, data } = scenario;
	const invoices = (sandbox.quickbooks.state.realms[data.realmId].entities as Record<string, Map<string, any>>).Invoice;
	const expectations: Record<string, ReverseExpectation> = { ...data.expectations };
	const typed = new Set([...scenario.typedIn, ...alsoFromQuickBooks]);
	for (const invoice of invoices.values()) {
		if (!typed.has(invoice.DocNumber)) continue;
		const cents = (value: unknown) => Math.round(Number(value) * 100);
		const voided = isVoidedInvoice(invoice);
		const paid = cents(invoice.TotalAmt) - cents(invoice.Balance);
		expectations[invoice.Id] = {
			outcome: voided ? 'voided' : 'created',
			docNumber: invoice.DocNumber,
			note: 'typed in QuickBooks by the reliability suite',
			hubspot: voided
				? { status: 'voided', amountBilled: '0.00', amountPaid: '0.00', balanceDue: '0.00' }
				: { status: cents(invoice.Balance) === 0 ? 'paid' : 'open', amountBilled: formatCents(cents(invoice.TotalAmt)), amountPaid: formatCents(paid), balanceDue: formatCents(cents(invoice.Balance)) },
		};
	}
	return expectations;
}
