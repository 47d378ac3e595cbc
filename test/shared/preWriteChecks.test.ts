/**
 * The glue that runs the invoice checks in the nodes that write before the upsert: where the
 * policies come from, how invoices are sorted, and the client that refuses writes for invoices
 * dated in a closed period.
 */
import type { INodeParameters, NodeTypeAndVersion } from 'n8n-workflow';

import { SyncError } from '../../package/nodes/shared/errors';
import type { InvoiceOutcome, ValidInvoice } from '../../package/nodes/shared/execution';
import { POLICY_INDEPENDENT } from '../../package/nodes/shared/invoiceChecks';
import type { SyncItem } from '../../package/nodes/shared/invoiceContract';
import { downstreamUpsertSettings, refuseWrites, resolveAfterChecks, sortByChecks } from '../../package/nodes/shared/preWriteChecks';
import { parsedItem, type ItemInput } from '../kit';

const UPSERT_TYPE = 'n8n-nodes-hubspot-quickbooks-sync.quickBooksInvoiceUpsert';

function contextWith(children: Array<Partial<NodeTypeAndVersion> & { parameters?: INodeParameters }> | (() => never)) {
	return {
		getNode: () => ({ name: 'Customer Resolve' }) as never,
		getChildNodes: (name: string, options?: { includeNodeParameters?: boolean }) => {
			expect(name).toBe('Customer Resolve');
			expect(options).toEqual({ includeNodeParameters: true });
			if (typeof children === 'function') return children();
			return children.map((child) => ({ name: 'Node', type: 'n8n-nodes-base.noOp', typeVersion: 1, disabled: false, ...child })) as NodeTypeAndVersion[];
		},
	};
}

describe('policies come from the QuickBooks Invoice Upsert after the node', () => {
	it('takes the upsert\'s options; what n8n did not store is the upsert\'s default', () => {
		const settings = downstreamUpsertSettings(contextWith([{ name: 'Slack' }, { name: 'Upsert', type: UPSERT_TYPE, parameters: { options: { amountMismatch: 'error', timeZone: 'Europe/Berlin' } } }]));
		expect(settings).toEqual({
			policies: { longInvoiceNumbers: 'error', invalidCharacters: 'error', amountMismatch: 'error', extraInvalidCharacters: '', feeItemId: '' },
			timeZone: 'Europe/Berlin',
			upsertNodes: ['Upsert'],
		});
	});

	it('the Fee Item is known when every upsert sets it alike (none chosen counts); unknown for an expression or upserts that differ', () => {
		const feeItemOf = (...options: unknown[]) =>
			downstreamUpsertSettings(contextWith(options.map((raw, index) => ({ name: `Upsert ${index}`, type: UPSERT_TYPE, parameters: { options: raw as INodeParameters } })))).policies.feeItemId;
		expect(feeItemOf({ feeItemId: '42' })).toBe('42');
		expect(feeItemOf({ feeItemId: 42 })).toBe('42');
		expect(feeItemOf({}, {})).toBe('');
		expect(feeItemOf({ feeItemId: '={{ $json.feeItem }}' })).toBeUndefined();
		// The Fee Item is a resource locator: n8n saves { __rl, mode, value }, an expression in its value.
		expect(feeItemOf({ feeItemId: { __rl: true, mode: 'list', value: '42', cachedResultName: 'Fees' } })).toBe('42');
		expect(feeItemOf({ feeItemId: { __rl: true, mode: 'id', value: '42' } }, { feeItemId: '42' })).toBe('42');
		expect(feeItemOf({ feeItemId: { __rl: true, mode: 'id', value: '={{ $json.feeItem }}' } })).toBeUndefined();
		expect(feeItemOf({ feeItemId: '42' }, {})).toBeUndefined();
		expect(downstreamUpsertSettings(contextWith([])).policies.feeItemId).toBeUndefined();
	});

	it('an upsert without options (all defaults) fails long numbers and invalid characters', () => {
		const settings = downstreamUpsertSettings(contextWith([{ name: 'Upsert', type: UPSERT_TYPE, parameters: {} }]));
		expect(settings.policies).toEqual({ longInvoiceNumbers: 'error', invalidCharacters: 'error', amountMismatch: 'useHubSpotAmount', extraInvalidCharacters: '', feeItemId: '' });
	});

	it('without an upsert, with a disabled one, or when asking fails: every policy at its fixing setting', () => {
		for (const context of [
			contextWith([]),
			contextWith([{ name: 'Upsert', type: UPSERT_TYPE, disabled: true, parameters: { options: { longInvoiceNumbers: 'error' } } }]),
			contextWith(() => {
				throw new Error('no workflow');
			}),
		]) {
			expect(downstreamUpsertSettings(context)).toEqual({ policies: POLICY_INDEPENDENT, timeZone: 'UTC', upsertNodes: [] });
		}
	});

	it('two upserts that disagree, or an option set by an expression: that policy at its fixing setting, the others as set', () => {
		const disagreeing = downstreamUpsertSettings(
			contextWith([
				{ name: 'A', type: UPSERT_TYPE, parameters: { options: { longInvoiceNumbers: 'shorten', invalidCharacters: 'error' } } },
				{ name: 'B', type: UPSERT_TYPE, parameters: { options: { longInvoiceNumbers: 'error', invalidCharacters: 'error' } } },
			]),
		);
		expect(disagreeing.policies).toMatchObject({ longInvoiceNumbers: 'shorten', invalidCharacters: 'error' });
		expect(disagreeing.upsertNodes).toEqual(['A', 'B']);

		const expression = downstreamUpsertSettings(contextWith([{ name: 'A', type: UPSERT_TYPE, parameters: { options: { amountMismatch: '={{ $json.policy }}', extraInvalidCharacters: '#' } } }]));
		expect(expression.policies).toEqual({ longInvoiceNumbers: 'error', invalidCharacters: 'error', amountMismatch: 'useHubSpotAmount', extraInvalidCharacters: '#', feeItemId: '' });

		const wholeCollection = downstreamUpsertSettings(contextWith([{ name: 'A', type: UPSERT_TYPE, parameters: { options: '={{ {} }}' } }]));
		expect(wholeCollection.policies).toEqual(POLICY_INDEPENDENT);
	});
});

const US = { timeZone: 'UTC', homeCurrency: 'USD', multiCurrency: false, bookCloseDate: '2026-06-30', customTxnNumbers: true, allowDiscount: true };
const valid = (index: number, input: ItemInput): ValidInvoice<SyncItem> => ({ index, input: {}, item: parsedItem(input) });

describe('invoices sorted by the checks', () => {
	it('failures settled with their code, closed-period invoices apart with their PERIOD_CLOSED, the rest open', () => {
		const sorted = sortByChecks(
			[
				valid(0, { number: 'OPEN-1', issueDate: '2026-07-01T00:00:00.000Z' }),
				valid(1, { number: 'EMPTY', lines: [] }),
				valid(2, { number: 'OLD-1', issueDate: '2026-06-30T00:00:00.000Z' }),
				valid(3, { number: 'NO-DATE', issueDate: null }),
			],
			US,
			POLICY_INDEPENDENT,
		);
		expect(sorted.open.map((invoice) => invoice.index)).toEqual([0, 3]);
		expect([...sorted.failed].map(([index, outcome]) => [index, ((outcome as { error: SyncError }).error).code])).toEqual([[1, 'INVOICE_HAS_NO_LINES']]);
		expect(sorted.closed.map(({ invoice, error }) => [invoice.index, error.code, error.message])).toEqual([
			[2, 'PERIOD_CLOSED', 'Invoice OLD-1: its date falls in a closed accounting period in QuickBooks'],
		]);
	});
});

describe('the client that refuses writes', () => {
	class Client {
		calls: string[] = [];
		private readonly secret = 'state';
		async batch(operations: Array<{ bId: string; operation?: string; query?: string }>) {
			this.calls.push(`batch ${operations.map((operation) => operation.bId).join(',')} ${this.secret}`);
			return new Map();
		}
		async write() {
			this.calls.push('write');
		}
		async request(method: string, path: string) {
			this.calls.push(`${method} ${path}`);
		}
		async findByValues() {
			this.calls.push('findByValues');
			return [];
		}
	}

	it('lets reads and queries through (bound to the real client) and throws the refusal for any write', async () => {
		const client = new Client();
		const refusal = new SyncError('PERIOD_CLOSED');
		const guarded = refuseWrites(client, refusal);

		await guarded.findByValues();
		await guarded.batch([{ bId: 'q0', query: 'SELECT * FROM Item' }]);
		await guarded.request('GET', '/preferences');
		await guarded.request('POST', '/query');
		await expect(guarded.batch([{ bId: 'q1', query: 'SELECT 1' }, { bId: 'c0', operation: 'create' }])).rejects.toBe(refusal);
		await expect(guarded.write()).rejects.toBe(refusal);
		await expect(guarded.request('POST', '/item')).rejects.toBe(refusal);

		expect(client.calls).toEqual(['findByValues', 'batch q0 state', 'GET /preferences', 'POST /query']);
	});
});

describe('resolveAfterChecks', () => {
	const company = {
		companyInfo: async () => ({ Country: 'US' }),
		preferences: async () => ({ CurrencyPrefs: { HomeCurrency: { value: 'USD' } }, AccountingInfoPrefs: { BookCloseDate: '2026-06-30' } }),
		batch: async () => new Map(),
	};
	const context = contextWith([]);

	it('open invoices with the real client; closed ones with writes refused, a refused write becoming their own PERIOD_CLOSED', async () => {
		const seen: Array<[string, number[]]> = [];
		const outcomes = await resolveAfterChecks(
			context,
			company,
			[
				valid(0, { number: 'OPEN', issueDate: '2026-07-02T00:00:00.000Z' }),
				valid(1, { number: 'OLD-WRITE', issueDate: '2026-06-01T00:00:00.000Z' }),
				valid(2, { number: 'OLD-READ', issueDate: '2026-06-02T00:00:00.000Z' }),
				valid(3, { number: 'BAD', currency: 'EUR' }),
			],
			async (client, invoices) => {
				const result = new Map<number, InvoiceOutcome>();
				seen.push([client === company ? 'real' : 'guarded', invoices.map((invoice) => invoice.index)]);
				for (const invoice of invoices) {
					if (invoice.item.invoice.number === 'OLD-WRITE') {
						try {
							await (client.batch as (operations: unknown[]) => Promise<unknown>)([{ bId: 'c0', operation: 'create' }]);
						} catch (error) {
							result.set(invoice.index, { error });
							continue;
						}
					}
					result.set(invoice.index, { json: { number: invoice.item.invoice.number } });
				}
				return result;
			},
		);
		expect(seen).toEqual([
			['real', [0]],
			['guarded', [1, 2]],
		]);
		const summary = Object.fromEntries([...outcomes].map(([index, outcome]) => [index, 'json' in outcome ? 'ok' : (outcome.error as SyncError).message]));
		expect(summary).toEqual({
			0: 'ok',
			1: 'Invoice OLD-WRITE: its date falls in a closed accounting period in QuickBooks',
			2: 'ok',
			3: 'Invoice BAD is in EUR but the QuickBooks company uses USD without multicurrency',
		});
	});

	it('a group whose lookups fail fails that group only', async () => {
		const outage = new Error('QuickBooks is down');
		const outcomes = await resolveAfterChecks(context, company, [valid(0, { issueDate: '2026-07-02T00:00:00.000Z' }), valid(1, { issueDate: '2026-06-01T00:00:00.000Z' })], async (client, invoices) => {
			if (client !== company) throw outage;
			return new Map(invoices.map((invoice) => [invoice.index, { json: {} }]));
		});
		expect(outcomes.get(0)).toEqual({ json: {} });
		expect(outcomes.get(1)).toMatchObject({ error: outage });
	});
});
