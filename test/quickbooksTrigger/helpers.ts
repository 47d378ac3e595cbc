/** QuickBooks Trigger tests: one poll through n8n-core's PollContext, and QuickBooks records at given times. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PACKAGE_NAME, runPoll } from '../harness';
import { quickBooksTestCredentials, type FakeQuickBooks, type Row } from '../kit';

export const TRIGGER_TYPE = `${PACKAGE_NAME}.quickBooksTrigger`;
export const NODE_STATIC_KEY = 'node:QuickBooks Trigger';
export const SECOND = 1000;
export const DAY = 24 * 60 * 60 * 1000;

/** A time as QuickBooks writes it: whole seconds with the company's UTC offset (here −07:00). */
export function qboTime(ms: number): string {
	const local = new Date(Math.floor(ms / 1000) * 1000 - 7 * 60 * 60 * 1000).toISOString().slice(0, 19);
	return `${local}-07:00`;
}

// The credential's advanced switch shows (and so keeps) its custom base URL.
const base = quickBooksTestCredentials() as Record<string, IDataObject>;
const testCredentials = { quickBooksInvoiceSyncOAuth2Api: { ...base.quickBooksInvoiceSyncOAuth2Api, useCustomBaseUrl: true } };

export interface PollRun {
	items: IDataObject[];
	raw: unknown;
}

export async function poll(parameters: INodeParameters, staticData: IDataObject, mode: 'trigger' | 'manual' = 'trigger'): Promise<PollRun> {
	const result = await runPoll({
		nodeType: TRIGGER_TYPE,
		parameters: { events: ['invoiceCreated', 'invoiceUpdated', 'invoiceVoided', 'paymentReceived', 'creditMemoCreated'], statuses: [], ...parameters },
		credentials: testCredentials as never,
		staticData,
		mode,
	});
	return { items: (result.items?.[0] ?? []).map((item) => item.json), raw: result.items };
}

export function cursorOf(staticData: IDataObject): IDataObject {
	return (staticData[NODE_STATIC_KEY] as IDataObject)?.cursor as IDataObject;
}

/** The change ids of emitted items, as `<event>:<id>`. */
export function changesOf(items: IDataObject[]): string[] {
	return items.map((item) => `${(item.change as IDataObject).event}:${(item.change as IDataObject).id}`);
}

export function customer(id: string, email: string, extra: Row = {}): Row {
	return { Id: id, SyncToken: '0', DisplayName: `Customer ${id}`, GivenName: 'Ada', FamilyName: `Buyer${id}`, CompanyName: `Company ${id}`, Active: true, PrimaryEmailAddr: { Address: email }, ...extra };
}

export function item(id: string, sku: string | undefined, name = `Widget ${id}`): Row {
	return { Id: id, SyncToken: '0', Name: name, ...(sku ? { Sku: sku } : {}), Active: true, Type: 'Service' };
}

/** An invoice created at `createdMs`, last changed at `updatedMs`, for `customerId`, one line per item id. */
export function invoice(id: string, createdMs: number, updatedMs: number, options: { customerId?: string; itemIds?: string[]; note?: string; balance?: number; total?: number; extra?: Row } = {}): Row {
	const itemIds = options.itemIds ?? ['21'];
	const lines = itemIds.map((itemId, index) => ({
		Id: String(index + 1),
		LineNum: index + 1,
		Description: `Line ${index + 1}`,
		Amount: 21,
		DetailType: 'SalesItemLineDetail',
		SalesItemLineDetail: { ItemRef: { value: itemId, name: `Widget ${itemId}` }, Qty: 2, UnitPrice: 10.5, TaxCodeRef: { value: 'NON' } },
	}));
	const total = options.total ?? 21 * itemIds.length;
	return {
		Id: id,
		SyncToken: '0',
		DocNumber: `QB-${id}`,
		TxnDate: '2026-03-01',
		DueDate: '2026-03-31',
		CurrencyRef: { value: 'USD', name: 'United States Dollar' },
		CustomerRef: { value: options.customerId ?? '11', name: `Customer ${options.customerId ?? '11'}` },
		Line: [...lines, { Amount: total, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} }],
		TxnTaxDetail: { TotalTax: 0 },
		TotalAmt: total,
		Balance: options.balance ?? total,
		...(options.note !== undefined ? { PrivateNote: options.note } : {}),
		MetaData: { CreateTime: qboTime(createdMs), LastUpdatedTime: qboTime(updatedMs) },
		...options.extra,
	};
}

/** A payment at `updatedMs` applying `amounts` to invoices (and credit memos, as `CreditMemo:<id>`). */
export function payment(id: string, updatedMs: number, amounts: Record<string, number>, extra: Row = {}): Row {
	const Line = Object.entries(amounts).map(([target, amount]) => {
		const [type, txnId] = target.includes(':') ? target.split(':') : ['Invoice', target];
		return { Amount: amount, LinkedTxn: [{ TxnId: txnId, TxnType: type }] };
	});
	const total = Line.filter((line) => line.LinkedTxn[0].TxnType === 'Invoice').reduce((sum, line) => sum + line.Amount, 0) -
		Line.filter((line) => line.LinkedTxn[0].TxnType === 'CreditMemo').reduce((sum, line) => sum + line.Amount, 0);
	return {
		Id: id,
		SyncToken: '0',
		TxnDate: '2026-03-15',
		TotalAmt: total,
		CustomerRef: { value: '11' },
		CurrencyRef: { value: 'USD' },
		PaymentMethodRef: { value: '1', name: 'Check' },
		Line,
		MetaData: { CreateTime: qboTime(updatedMs), LastUpdatedTime: qboTime(updatedMs) },
		...extra,
	};
}

/** Sets QuickBooks' clock (the `time` of its answers). */
export function setClock(quickbooks: FakeQuickBooks, ms: number): void {
	quickbooks.serverTime = new Date(ms).toISOString();
}
