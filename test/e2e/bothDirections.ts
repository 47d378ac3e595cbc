// Both directions in a real n8n, as a user runs them: the HubSpot → QuickBooks sync and the two
// QuickBooks → HubSpot templates ("QuickBooks → HubSpot invoice sync", "QuickBooks payments →
// HubSpot") active together on one HubSpot portal and one QuickBooks company (the sandbox's two-way
// data set). Every poll is a real 'trigger' execution with its cursor kept by n8n: activation polls
// once right away, so "poll now" is deactivate + activate (the minute schedule may poll in between,
// which the assertions allow). Registered by templates.test.ts on its server (one n8n start per run).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { start as startSandbox, type Sandbox } from '../../sandbox';
import { DEMO_FEE_ITEM_ID } from '../../sandbox/dataset/default';
import { twoWayDataset, type TwoWayDataset } from '../../sandbox/dataset/twoWay';
import { qboClient } from '../../sandbox/quickbooks/simpleClient';
import { performQuickBooksActions } from '../../sandbox/quickbooks/userActions';
import { linkedHubSpotIds } from '../../package/nodes/shared/quickbooksInvoiceLink';
import { toMicros } from '../../package/nodes/shared/money';
import { nodeOutput, type ExecutionDetail, type N8nRestClient, type StoredWorkflow } from '../../scripts/n8n';
import { compareWithExpectations, sandboxQuickBooksInvoices, summarizeSyncExecution } from '../../scripts/demo/report';
import { compareToHubSpot, sandboxHubSpotInvoicesFor, summarizeToHubSpot } from '../../scripts/demo/reverseReport';
import { backfillDateFor, createSandboxCredentials, readTemplate, wireTemplate, REVERSE_TEMPLATE_FILES, TEMPLATE_FILES } from '../../scripts/demo/templates';
import { changedRecords, crossDirectionEchoes, recordVersions, type DirectionWrite } from '../../scripts/demo/twoWay';
import { ensureTestOutputDir } from './helpers';

type Json = Record<string, any>;
type Direction = 'forward' | 'reverseSync' | 'reversePayments';

const FILES: Record<Direction, string> = { forward: TEMPLATE_FILES.sync, ...REVERSE_TEMPLATE_FILES };
const UNFINISHED = ['new', 'running', 'waiting'];
const SETTLE_TIMEOUT_MS = 5 * 60 * 1000;
/** Quiet time after a poll that may find nothing: n8n starts a found poll's execution after activation returns. */
const QUIET_MS = 8000;

/** `YYYY-MM-DD` plus whole days. */
const addDaysTo = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00.000Z`) + days * 86_400_000).toISOString().slice(0, 10);

const sameMoney = (a: unknown, b: unknown) => a !== null && a !== undefined && b !== null && b !== undefined && toMicros(String(a)) === toMicros(String(b));

/** Registers the tests; `api` is the logged-in client of the running server. */
export function describeBothDirections(getApi: () => N8nRestClient): void {
	describe('both directions active together: HubSpot → QuickBooks sync, QuickBooks → HubSpot invoice sync and payments', () => {
		let api: N8nRestClient;
		let sandbox: Sandbox;
		let data: TwoWayDataset;
		const workflows = {} as Record<Direction, StoredWorkflow>;
		const timings: Record<string, number> = {};
		/** Executions already read, by id (they never change once finished). */
		const read = new Map<string, ExecutionDetail>();

		const realmEntities = () => sandbox.quickbooks.state.realms[data.realmId].entities as unknown as Record<string, Map<string, Json>>;
		const hubspotState = () => sandbox.hubspot.snapshot() as unknown as { objects: Record<string, Json[]>; associations: Json[] };
		const associated = (state: ReturnType<typeof hubspotState>, fromType: string, fromId: string, toType: string) =>
			state.associations
				.flatMap((edge) => {
					if (edge.fromType === fromType && edge.fromId === fromId && edge.toType === toType) return [edge.toId as string];
					if (edge.toType === fromType && edge.toId === fromId && edge.fromType === toType) return [edge.fromId as string];
					return [];
				})
				.map((id) => state.objects[toType].find((object) => object.id === id)!)
				.filter(Boolean);

		/** Every finished execution of a direction's workflow, oldest first. */
		const executionsOf = async (direction: Direction): Promise<ExecutionDetail[]> => {
			const listed = (await api.listExecutions({ workflowId: workflows[direction].id }, 100)).filter((execution) => !UNFINISHED.includes(execution.status));
			for (const { id } of listed) if (!read.has(String(id))) read.set(String(id), await api.getExecution(String(id)));
			return listed.map(({ id }) => read.get(String(id))!).sort((a, b) => Number(a.id) - Number(b.id));
		};

		const executionCount = async () =>
			(await Promise.all(Object.values(workflows).map((workflow) => api.listExecutions({ workflowId: workflow.id }, 100)))).flat();

		/**
		 * Waits until at least `atLeast` executions of the three workflows exist, none is unfinished,
		 * and none has started for `quietMs` (n8n starts a poll's execution after activation returns).
		 */
		const settle = async (atLeast: number, quietMs: number) => {
			const deadline = Date.now() + SETTLE_TIMEOUT_MS;
			let last = '';
			let stableSince = Date.now();
			while (Date.now() < deadline) {
				const all = await executionCount();
				const key = all.map((execution) => `${execution.id}:${execution.status}`).sort().join(',');
				if (key !== last || all.length < atLeast || all.some((execution) => UNFINISHED.includes(execution.status))) {
					last = key;
					stableSince = Date.now();
				} else if (Date.now() - stableSince >= quietMs) return;
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
			throw new Error(`the workflows did not settle (${last})`);
		};

		/**
		 * A poll now of each direction, as the schedule would run it: activation polls once (a 'trigger'
		 * execution if it found anything). `emits`: one of them must start an execution; otherwise they
		 * may, and a quiet spell long enough for a busy n8n to start one is waited for.
		 */
		const poll = async (directions: Direction[], label: string, emits: boolean) => {
			const started = Date.now();
			const before = (await executionCount()).length;
			for (const direction of directions) if ((await api.getWorkflow(workflows[direction].id)).active) await api.deactivateWorkflow(workflows[direction].id);
			for (const direction of directions) await api.activateWorkflow(workflows[direction].id);
			await settle(emits ? before + 1 : before, emits && directions.length === 1 ? 2000 : QUIET_MS);
			timings[label] = (timings[label] ?? 0) + Date.now() - started;
		};

		const reverseSummary = async () => summarizeToHubSpot([...(await executionsOf('reverseSync')), ...(await executionsOf('reversePayments'))]);
		const forwardWrites = async (): Promise<DirectionWrite[]> =>
			(await executionsOf('forward')).flatMap((execution) =>
				summarizeSyncExecution(execution)
					.results.filter((result) => result.outcome !== 'error')
					.map((result) => ({ sourceId: result.hubspotId, targetId: result.quickbooksId, action: result.outcome })),
			);

		beforeAll(async () => {
			api = getApi();
			data = twoWayDataset();
			sandbox = await startSandbox({ dataset: data, limits: false });
			const credentials = await createSandboxCredentials(api, sandbox);
			const backfillSince = backfillDateFor(data);
			for (const direction of Object.keys(FILES) as Direction[]) {
				const wired = wireTemplate(readTemplate(FILES[direction]), {
					credentials,
					slackUrl: sandbox.urls.slack,
					taxMapping: direction === 'forward' ? data.taxMapping : data.reverse.taxMapping,
					backfillSince,
					feeItemId: DEMO_FEE_ITEM_ID,
				});
				workflows[direction] = await api.createWorkflow({ ...wired, name: `${wired.name} (both directions)` });
			}
		});

		afterAll(async () => {
			for (const workflow of Object.values(workflows)) await api?.deactivateWorkflow(workflow.id).catch(() => undefined);
			writeFileSync(join(ensureTestOutputDir(), 'both-directions-timings.json'), JSON.stringify(timings, null, 2));
			await sandbox?.close();
		});

		it('activated in order (HubSpot → QuickBooks, then the invoice sync, then payments), each first poll syncs its side', async () => {
			await poll(['forward'], 'first polls', true);
			await poll(['reverseSync'], 'first polls', true);
			// The payments and credit applied in QuickBooks before (since Backfill Since).
			await poll(['reversePayments'], 'first polls', true);
			const forward = await executionsOf('forward');
			expect(forward.length).toBeGreaterThan(0);
			expect(forward.map((execution) => [execution.mode, execution.status])).toEqual(forward.map(() => ['trigger', 'success']));
			// HubSpot → QuickBooks as the forward data set expects (QuickBooks invoice 211's HubSpot invoice found by its link, unchanged).
			expect(compareWithExpectations(summarizeSyncExecution(forward[0]), data, sandboxQuickBooksInvoices(sandbox))).toEqual([]);
			for (const direction of ['reverseSync', 'reversePayments'] as const) {
				const executions = await executionsOf(direction);
				expect({ direction, executions: executions.length > 0, modes: [...new Set(executions.map((e) => `${e.mode} ${e.status}`))] }).toEqual({ direction, executions: true, modes: ['trigger success'] });
			}
		});

		it('invoices typed in QuickBooks end in HubSpot with their number, dates, lines (SKU, quantity, price, product), contact and company', async () => {
			const state = hubspotState();
			const customers = realmEntities().Customer;
			const created = Object.entries(data.reverse.expectations).filter(([, expected]) => expected.outcome === 'created');
			expect(created.length).toBeGreaterThan(3);
			for (const [quickbooksId, expected] of created) {
				const qbo = realmEntities().Invoice.get(quickbooksId)!;
				const matches = state.objects.invoices.filter((invoice) => invoice.properties.qbo_invoice_id === quickbooksId);
				expect({ number: expected.docNumber, inHubSpot: matches.length }).toEqual({ number: expected.docNumber, inHubSpot: 1 });
				const [invoice] = matches;
				expect({ number: invoice.properties.hs_number, currency: invoice.properties.hs_currency }).toEqual({ number: expected.docNumber, currency: 'USD' });
				expect(String(invoice.properties.hs_invoice_date ?? '').slice(0, 10)).toBe(qbo.TxnDate);

				const qboLines = (qbo.Line as Json[]).filter((line) => line.DetailType === 'SalesItemLineDetail');
				const items = realmEntities().Item;
				const want = qboLines.map((line) => {
					const sku = items.get(String(line.SalesItemLineDetail.ItemRef.value))!.Sku;
					const product = state.objects.products.find((p) => p.properties.hs_sku === sku);
					return { sku, quantity: toMicros(String(line.SalesItemLineDetail.Qty)), price: toMicros(String(line.SalesItemLineDetail.UnitPrice)), product: product?.id };
				});
				const lines = associated(state, 'invoices', invoice.id, 'line_items').sort((a, b) => Number(a.id) - Number(b.id));
				const got = lines.map((line) => ({ sku: line.properties.hs_sku, quantity: toMicros(String(line.properties.quantity)), price: toMicros(String(line.properties.price)), product: line.properties.hs_product_id }));
				expect({ number: expected.docNumber, lines: got }).toEqual({ number: expected.docNumber, lines: want });
				expect(want.every((line) => line.product)).toBe(true);

				// The contact is the QuickBooks customer's email (HubSpot keeps emails lower-case), the company the customer's company.
				const customer = customers.get(String(qbo.CustomerRef.value))!;
				const contacts = associated(state, 'invoices', invoice.id, 'contacts');
				expect({ number: expected.docNumber, contacts: contacts.map((contact) => contact.properties.email) }).toEqual({
					number: expected.docNumber,
					contacts: [String(customer.PrimaryEmailAddr.Address).trim().toLowerCase()],
				});
				const companies = associated(state, 'invoices', invoice.id, 'companies');
				expect({ number: expected.docNumber, companies: companies.map((company) => company.properties.name) }).toEqual({ number: expected.docNumber, companies: [customer.CompanyName] });
				expect(associated(state, 'contacts', contacts[0].id, 'companies').map((company) => company.id)).toContain(companies[0].id);
			}
		});

		it("each failing QuickBooks invoice leaves on an error output with its code, writes nothing to HubSpot, and posts the template's Slack alert once", async () => {
			const summary = await reverseSummary();
			const failing = Object.entries(data.reverse.expectations).filter(([, expected]) => expected.outcome === 'error');
			expect(failing.length).toBeGreaterThan(2);
			const alerts = sandbox.slack.messages.map((message) => String(message.text)).filter((text) => / did not sync to HubSpot\n/.test(text));
			for (const [quickbooksId, expected] of failing) {
				expect({ number: expected.docNumber, codes: [...(summary.byInvoice.get(quickbooksId)?.codes ?? [])] }).toEqual({ number: expected.docNumber, codes: [expected.code] });
				expect(hubspotState().objects.invoices.filter((invoice) => invoice.properties.qbo_invoice_id === quickbooksId)).toEqual([]);
				const mine = alerts.filter((text) => text.startsWith(`:warning: QuickBooks invoice ${expected.docNumber} did not sync to HubSpot\n`));
				expect({ number: expected.docNumber, alerts: mine.length }).toEqual({ number: expected.docNumber, alerts: 1 });
				expect(mine[0]).toMatch(new RegExp(`\\n\\*${expected.code}\\*: .+\\n\\*How to fix:\\* .+`));
			}
			expect(alerts).toHaveLength(failing.length);
			expect(summary.nodeErrors).toEqual({});
		});

		it("the QuickBooks user's payments, credit, void and delete reach HubSpot: amount paid, balance, status; every invoice ends as the data set says", async () => {
			const { oauthTokenData } = sandbox.credentials.quickbooks;
			await performQuickBooksActions(sandbox.urls.quickbooks, data.realmId, oauthTokenData.access_token, data.reverse.actions);
			await poll(['reversePayments'], 'polls after the QuickBooks user', true);
			await poll(['reverseSync', 'forward'], 'polls after the QuickBooks user', false);

			const summary = await reverseSummary();
			expect(compareToHubSpot(summary, data.reverse, sandboxHubSpotInvoicesFor(sandbox, data.realmId))).toEqual([]);
			expect(summary.voided).toBeGreaterThanOrEqual(2);
			expect(summary.paymentsApplied).toBeGreaterThan(0);
			for (const [quickbooksId, expected] of Object.entries(data.reverse.expectations)) {
				if (!expected.hubspot || expected.hubspot.status === 'voided') continue;
				const [invoice] = sandboxHubSpotInvoicesFor(sandbox, data.realmId)(quickbooksId);
				const qbo = realmEntities().Invoice.get(quickbooksId)!;
				// The balance is QuickBooks' own; paid and balance make up QuickBooks' total.
				expect({ number: expected.docNumber, balance: sameMoney(invoice.properties.qbo_balance, qbo.Balance), adds_up: toMicros(String(invoice.properties.qbo_amount_paid)) + toMicros(String(invoice.properties.qbo_balance)) === toMicros(String(qbo.TotalAmt)) }).toEqual({
					number: expected.docNumber,
					balance: true,
					adds_up: true,
				});
				expect(invoice.properties.qbo_payment_status).toBe(expected.hubspot.status === 'paid' ? 'paid' : toMicros(expected.hubspot.amountPaid) > 0n ? 'partially_paid' : 'unpaid');
			}
			// No payment or void failed on its way to HubSpot.
			expect(sandbox.slack.messages.map((message) => String(message.text)).filter((text) => / did not reach HubSpot\n/.test(text))).toEqual([]);
		});

		it("HubSpot's own invoice total (hs_amount_billed) is QuickBooks' total, tax included", () => {
			const mismatches: string[] = [];
			for (const [quickbooksId, expected] of Object.entries(data.reverse.expectations)) {
				if (expected.outcome !== 'created') continue;
				const [invoice] = sandboxHubSpotInvoicesFor(sandbox, data.realmId)(quickbooksId);
				const qbo = realmEntities().Invoice.get(quickbooksId)!;
				if (!sameMoney(invoice?.properties.hs_amount_billed, qbo.TotalAmt)) {
					mismatches.push(`${expected.docNumber}: HubSpot amount billed ${invoice?.properties.hs_amount_billed}, QuickBooks total ${qbo.TotalAmt} (tax ${qbo.TxnTaxDetail?.TotalTax ?? 0})`);
				}
			}
			expect(mismatches).toEqual([]);
		});

		it('no echo: neither direction writes content for a record the other wrote, and a round of polls with no user change writes nothing', async () => {
			const settled = recordVersions(sandbox);
			// All three at once, as their schedules poll on the same minute.
			await poll(['forward', 'reverseSync', 'reversePayments'], 'settling round', false);
			expect(changedRecords(settled, recordVersions(sandbox))).toEqual([]);
			expect(crossDirectionEchoes(await forwardWrites(), (await reverseSummary()).writes)).toEqual([]);

			// One HubSpot invoice per QuickBooks invoice and one QuickBooks invoice per HubSpot invoice.
			const qboLinks = [...realmEntities().Invoice.values()].flatMap((invoice) => linkedHubSpotIds(invoice.PrivateNote));
			expect(qboLinks.filter((id, index) => qboLinks.indexOf(id) !== index)).toEqual([]);
			const hubspotLinks = hubspotState().objects.invoices.map((invoice) => invoice.properties.qbo_invoice_id).filter(Boolean);
			expect(hubspotLinks.filter((id, index) => hubspotLinks.indexOf(id) !== index)).toEqual([]);
			// The HubSpot invoices the reverse sync created never became QuickBooks invoices (the forward trigger skipped them).
			const madeInHubSpotByReverse = new Set((await reverseSummary()).writes.filter((write) => write.action === 'created').map((write) => write.targetId));
			expect(qboLinks.filter((id) => madeInHubSpotByReverse.has(id))).toEqual([]);
		});

		it('an invoice typed in QuickBooks, changed on both sides between polls, keeps QuickBooks\' content on both sides (the side it started on), reported on the item', async () => {
			// A new one, without payments: HubSpot lets nobody edit an invoice with a payment on it (its
			// knowledge base), and by now every open invoice of the data set has one.
			// Typed in as a copy of a data-set invoice that synced cleanly (its customer, currency, lines and tax).
			const [modelId] = Object.entries(data.reverse.expectations).find(([, e]) => e.outcome === 'created' && e.hubspot?.status === 'open')!;
			const model = realmEntities().Invoice.get(modelId)!;
			const docNumber = 'QB-5099';
			const lines = (model.Line as Array<Record<string, unknown>>).filter((line) => line.DetailType === 'SalesItemLineDetail').map(({ Id: _id, LineNum: _lineNum, ...line }) => line);
			const typedIn = await qboClient(sandbox.urls.quickbooks, data.realmId, sandbox.credentials.quickbooks.oauthTokenData.access_token).post('invoice', {
				DocNumber: docNumber,
				CustomerRef: model.CustomerRef,
				CurrencyRef: model.CurrencyRef,
				Line: lines,
				...(model.TxnTaxDetail?.TxnTaxCodeRef ? { TxnTaxDetail: { TxnTaxCodeRef: model.TxnTaxDetail.TxnTaxCodeRef } } : {}),
				TxnDate: model.TxnDate,
				DueDate: model.DueDate,
			});
			expect(typedIn.status).toBe(200);
			await poll(['reverseSync'], 'typed in for the both-sides change', true);
			// Read now, so that only the executions after the change on both sides are looked at below.
			await executionsOf('reverseSync');
			const quickbooksId = String([...realmEntities().Invoice.values()].find((invoice) => invoice.DocNumber === docNumber)!.Id);
			const expected = { docNumber };
			const [hubspotInvoice] = sandboxHubSpotInvoicesFor(sandbox, data.realmId)(quickbooksId);
			expect({ status: hubspotInvoice?.properties.hs_invoice_status, origin: hubspotInvoice?.properties.qbo_origin }).toEqual({ status: 'open', origin: 'quickbooks' });
			const before = realmEntities().Invoice.get(quickbooksId)!;
			const quickbooksDue = addDaysTo(String(before.DueDate), 7);
			const hubspotDue = addDaysTo(String(before.DueDate), 14);
			// The QuickBooks user moves the due date a week; the HubSpot user moves it two weeks.
			const qbo = qboClient(sandbox.urls.quickbooks, data.realmId, sandbox.credentials.quickbooks.oauthTokenData.access_token);
			expect((await qbo.post('invoice', { Id: quickbooksId, SyncToken: before.SyncToken, sparse: true, DueDate: quickbooksDue })).status).toBe(200);
			sandbox.hubspot.updateInvoice(hubspotInvoice.id, { hs_due_date: `${hubspotDue}T00:00:00.000Z` });
			const seen = new Set([...read.keys()]);

			// Their schedules poll on the same minute.
			await poll(['forward', 'reverseSync', 'reversePayments'], 'changed on both sides', true);

			const reverseItems = (await executionsOf('reverseSync'))
				.filter((execution) => !seen.has(String(execution.id)))
				.flatMap((execution) => nodeOutput(execution, 'HubSpot Invoice Upsert', 0))
				.filter((json) => (json as Json).invoice?.source?.id === quickbooksId);
			const after = sandboxHubSpotInvoicesFor(sandbox, data.realmId)(quickbooksId);
			expect({
				number: expected.docNumber,
				quickbooksDue: realmEntities().Invoice.get(quickbooksId)!.DueDate,
				hubspotDue: after.map((invoice) => String(invoice.properties.hs_due_date).slice(0, 10)),
				rules: reverseItems.map((json) => (json as Json).hubspot?.invoice?.rule),
			}).toEqual({ number: expected.docNumber, quickbooksDue, hubspotDue: [quickbooksDue], rules: ['content from QuickBooks, where the invoice started'] });
		});
	});
}
