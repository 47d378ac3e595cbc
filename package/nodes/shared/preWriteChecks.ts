/**
 * The write-free invoice checks (invoiceChecks.ts) in the nodes that write before the upsert
 * (Customer Resolve, SKU Match): an invoice that fails one is settled with its code before the
 * node's lookups and writes, so it never gets a customer or an item it could not use.
 *
 * Policies. The upsert's options decide whether some problems fail an invoice (long numbers,
 * invalid characters, amount mismatches, a fee without a Fee Item). The user sets them once, on the
 * upsert: an earlier node reads the options of the QuickBooks Invoice Upsert nodes after it in the
 * workflow (`getChildNodes` with their parameters). Where it cannot know them (no upsert after it,
 * an option set by an expression, upserts that disagree) it takes the setting that fixes the
 * problem (for the Fee Item: none checked): it then fails only what every setting fails, and the
 * upsert fails the rest before writing the invoice.
 *
 * Closed books. QuickBooks refuses to create or change a transaction dated on or before the
 * books-closed date, but an invoice it already holds unchanged (paid after the books closed, say)
 * needs no write and is no failure. So an invoice in a closed period goes through the node with
 * every write refused: if its customer and items exist it passes on (the upsert finds it unchanged,
 * or QuickBooks answers PERIOD_CLOSED to the change); if it needs a write it fails with PERIOD_CLOSED.
 */
import type { IExecuteFunctions, NodeTypeAndVersion } from 'n8n-workflow';

import { DEFAULT_UPSERT_OPTIONS, toUpsertOptions } from '../QuickBooksInvoiceUpsert/settings';
import { SyncError } from './errors';
import type { InvoiceOutcome, ValidInvoice } from './execution';
import {
	POLICY_INDEPENDENT,
	checkInvoice,
	closedPeriodError,
	companySettingsFrom,
	invoiceLabel,
	type CompanySettings,
	type InvoiceCheckPolicies,
} from './invoiceChecks';
import type { SyncItem } from './invoiceContract';
import type { BatchOperation, QuickBooksClient } from './transport/quickbooks';
import { allSettledOrThrow } from './collections';

/** The upsert's node type without the package prefix (its description.name). */
const UPSERT_NODE_TYPE = 'quickBooksInvoiceUpsert';

export interface CheckSettings {
	policies: InvoiceCheckPolicies;
	/** The upsert's time-zone option (the day of an invoice date that is an instant). */
	timeZone: string;
	/** Names of the upsert nodes the settings were read from (none: policy-independent). */
	upsertNodes: string[];
}

type UpsertSetting = keyof InvoiceCheckPolicies | 'timeZone';

/** An expression, also as a resource locator's value (the Fee Item): known only when the upsert runs. */
const isExpression = (value: unknown) => {
	const held = typeof value === 'object' && value !== null && 'value' in value ? (value as { value: unknown }).value : value;
	return typeof held === 'string' && held.startsWith('=');
};

/**
 * The check policies of the QuickBooks Invoice Upsert nodes after `context`'s node; each policy
 * they do not all set to the same known value takes its fixing setting (POLICY_INDEPENDENT).
 */
export function downstreamUpsertSettings(context: Pick<IExecuteFunctions, 'getNode' | 'getChildNodes'>): CheckSettings {
	let children: NodeTypeAndVersion[] = [];
	try {
		children = context.getChildNodes(context.getNode().name, { includeNodeParameters: true }) ?? [];
	} catch {
		// A context without the workflow's connections: nothing is known about the upsert.
	}
	const upserts = children.filter((node) => !node.disabled && (node.type === UPSERT_NODE_TYPE || node.type.endsWith(`.${UPSERT_NODE_TYPE}`)));
	// n8n stores only the options the user added (the rest are the defaults); an expression is unknown until the upsert runs.
	const optionSets = upserts.map((node) => {
		const raw = node.parameters?.options ?? {};
		return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
	});
	/** The value every upsert sets, undefined when unknown (no upsert, an expression, upserts that differ). */
	const agreed = (field: UpsertSetting): string | undefined => {
		const values = optionSets.map((raw) => (raw === undefined || isExpression(raw[field]) ? undefined : toUpsertOptions(raw)[field]));
		const first = values[0];
		return first !== undefined && values.every((value) => value === first) ? first : undefined;
	};
	return {
		policies: {
			longInvoiceNumbers: (agreed('longInvoiceNumbers') as InvoiceCheckPolicies['longInvoiceNumbers'] | undefined) ?? POLICY_INDEPENDENT.longInvoiceNumbers,
			invalidCharacters: (agreed('invalidCharacters') as InvoiceCheckPolicies['invalidCharacters'] | undefined) ?? POLICY_INDEPENDENT.invalidCharacters,
			amountMismatch: (agreed('amountMismatch') as InvoiceCheckPolicies['amountMismatch'] | undefined) ?? POLICY_INDEPENDENT.amountMismatch,
			extraInvalidCharacters: agreed('extraInvalidCharacters') ?? POLICY_INDEPENDENT.extraInvalidCharacters,
			// Unknown stays unknown: a fee then fails in the upsert, not here.
			feeItemId: agreed('feeItemId'),
		},
		timeZone: agreed('timeZone') ?? DEFAULT_UPSERT_OPTIONS.timeZone,
		upsertNodes: upserts.map((node) => node.name),
	};
}

export interface CheckedInvoices {
	/** Invoices that failed a check, settled. */
	failed: Map<number, InvoiceOutcome>;
	/** Invoices the node may write for. */
	open: Array<ValidInvoice<SyncItem>>;
	/** Invoices dated in a closed period, with the error a needed write gives them. */
	closed: Array<{ invoice: ValidInvoice<SyncItem>; error: SyncError }>;
}

/** Runs every check on every invoice and sorts them. */
export function sortByChecks(invoices: Array<ValidInvoice<SyncItem>>, company: CompanySettings, policies: InvoiceCheckPolicies): CheckedInvoices {
	const checked: CheckedInvoices = { failed: new Map(), open: [], closed: [] };
	for (const invoice of invoices) {
		const label = invoiceLabel(invoice.item.invoice);
		try {
			const { txnDate } = checkInvoice(invoice.item.invoice, company, policies);
			const closed = closedPeriodError(txnDate, company, label);
			if (closed) checked.closed.push({ invoice, error: closed });
			else checked.open.push(invoice);
		} catch (error) {
			checked.failed.set(invoice.index, { error, failure: { invoice: label } });
		}
	}
	return checked;
}

/**
 * `client` as the node sees it, except that every write throws `refusal`: batch operations that
 * create, update or delete, `write`, and requests other than reads and queries.
 */
export function refuseWrites<C extends object>(client: C, refusal: Error): C {
	return new Proxy(client, {
		get(target, property) {
			const value: unknown = Reflect.get(target, property, target);
			if (typeof value !== 'function') return value;
			const method = value as (...args: unknown[]) => Promise<unknown>;
			if (property === 'batch') {
				return async (operations: BatchOperation[], ...rest: unknown[]) => {
					if (operations.some((operation) => operation.operation !== undefined)) throw refusal;
					return await method.call(target, operations, ...rest);
				};
			}
			if (property === 'write') {
				return async () => {
					throw refusal;
				};
			}
			if (property === 'request') {
				return async (verb: string, path: string, ...rest: unknown[]) => {
					if (verb !== 'GET' && !/^\/query\b/.test(path)) throw refusal;
					return await method.call(target, verb, path, ...rest);
				};
			}
			return method.bind(target);
		},
	});
}

type CompanyReads = Pick<QuickBooksClient, 'companyInfo' | 'preferences'>;

/**
 * Checks every invoice, then runs the node's lookups and writes (`resolve`) for the invoices that
 * passed: with `client` for those in an open period, with writes refused for those in a closed one.
 * CompanyInfo and Preferences are read once per execution and company (the transport shares them
 * with the nodes after this one).
 */
export async function resolveAfterChecks<C extends CompanyReads>(
	context: Pick<IExecuteFunctions, 'getNode' | 'getChildNodes'>,
	client: C,
	invoices: Array<ValidInvoice<SyncItem>>,
	resolve: (client: C, invoices: Array<ValidInvoice<SyncItem>>) => Promise<Map<number, InvoiceOutcome>>,
): Promise<Map<number, InvoiceOutcome>> {
	const settings = downstreamUpsertSettings(context);
	const [companyInfo, preferences] = await allSettledOrThrow([client.companyInfo(), client.preferences()]);
	const company = companySettingsFrom(companyInfo, preferences, settings.timeZone);
	const { failed, open, closed } = sortByChecks(invoices, company, settings.policies);
	const outcomes = new Map(failed);

	const settle = async (group: Array<ValidInvoice<SyncItem>>, groupClient: C, errorFor: (invoice: ValidInvoice<SyncItem>, error: unknown) => unknown) => {
		if (group.length === 0) return;
		let results: Map<number, InvoiceOutcome>;
		try {
			results = await resolve(groupClient, group);
		} catch (error) {
			// One group's failure (an outage, say) fails that group only: the other's writes happened.
			for (const invoice of group) outcomes.set(invoice.index, { error: errorFor(invoice, error), failure: { invoice: invoiceLabel(invoice.item.invoice) } });
			return;
		}
		for (const invoice of group) {
			const outcome = results.get(invoice.index);
			if (outcome && 'error' in outcome) outcomes.set(invoice.index, { ...outcome, error: errorFor(invoice, outcome.error) });
			else if (outcome) outcomes.set(invoice.index, outcome);
		}
	};

	await settle(open, client, (_invoice, error) => error);
	// The refusal names no invoice: each invoice that met it gets its own PERIOD_CLOSED.
	const refusal = new SyncError('PERIOD_CLOSED', {}, { refusedWrite: true });
	const periodErrors = new Map(closed.map(({ invoice, error }) => [invoice.index, error]));
	await settle(
		closed.map(({ invoice }) => invoice),
		refuseWrites(client, refusal),
		(invoice, error) => (error === refusal ? periodErrors.get(invoice.index) : error),
	);
	return outcomes;
}
