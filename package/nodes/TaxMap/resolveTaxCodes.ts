/**
 * Tax Map's batch logic: the company's tax model once per execution (CompanyInfo + Preferences,
 * cached by the client), then one request that checks every QuickBooks code the execution's
 * invoices use (and, for US companies, reads the tax rates behind them for the 0 % check).
 */
import type { IDataObject } from 'n8n-workflow';

import { SyncError } from '../shared/errors';
import type { InvoiceOutcome, ValidInvoice } from '../shared/execution';
import type { FailureContext } from '../shared/faultTranslation';
import { describeInvoice, withQuickBooksPart, type SyncItem } from '../shared/invoiceContract';
import { QUICKBOOKS_IN_CHUNK, QUICKBOOKS_MAX_RESULTS, buildQuery, type QuickBooksClient } from '../shared/transport/quickbooks';
import {
	codesToVerify,
	finishInvoiceTax,
	planInvoiceTax,
	taxCodeInfo,
	taxModelOf,
	type InvoicePlan,
	type TaxCodeInfo,
	type TaxMapSettings,
	type TaxModel,
} from './taxResolution';
import { allSettledOrThrow, chunk } from '../shared/collections';

export type TaxClient = Pick<QuickBooksClient, 'companyInfo' | 'preferences' | 'batch' | 'findByValues'>;

/** TaxCode records for `ids` (inactive included) and, for US companies, every TaxRate's percentage. */
async function loadTaxCodes(client: TaxClient, ids: string[], model: TaxModel): Promise<Map<string, TaxCodeInfo>> {
	const records: IDataObject[] = [];
	const percents = new Map<string, number>();
	if (!model.us) {
		// Non-US lines carry the code id whatever its rate: the codes alone suffice (one /query).
		records.push(...(await client.findByValues<IDataObject>('TaxCode', 'Id', ids, { includeInactive: true })));
	} else {
		// One /batch: the codes, and the rates behind them (a code whose rates are all 0 % is NON).
		const operations = [
			...chunk(ids, QUICKBOOKS_IN_CHUNK).map((group, index) => ({
				bId: `t${index}`,
				query: buildQuery(
					'TaxCode',
					[
						{ field: 'Id', op: 'IN', value: group },
						{ field: 'Active', op: 'IN', value: [true, false] },
					],
					{ maxResults: QUICKBOOKS_MAX_RESULTS },
				),
			})),
			{ bId: 'rates', query: buildQuery('TaxRate', [], { maxResults: QUICKBOOKS_MAX_RESULTS }) },
		];
		const results = await client.batch(operations);
		for (const operation of operations) {
			const result = results.get(operation.bId);
			if (result?.fault) throw result.fault;
			const response = (result?.queryResponse ?? {}) as IDataObject;
			if (operation.bId === 'rates') {
				for (const rate of (response.TaxRate ?? []) as IDataObject[]) {
					const value = Number(rate.RateValue);
					if (Number.isFinite(value)) percents.set(String(rate.Id), value);
				}
			} else {
				records.push(...((response.TaxCode ?? []) as IDataObject[]));
			}
		}
	}
	const codes = new Map<string, TaxCodeInfo>();
	for (const record of records) {
		const info = taxCodeInfo(record, percents);
		// QuickBooks compares loosely; only the exact id counts.
		if (ids.includes(info.id)) codes.set(info.id, info);
	}
	return codes;
}

export async function resolveTaxCodes(
	client: TaxClient,
	invoices: Array<ValidInvoice<SyncItem>>,
	settings: TaxMapSettings,
): Promise<Map<number, InvoiceOutcome>> {
	const outcomes = new Map<number, InvoiceOutcome>();
	const [companyInfo, preferences] = await allSettledOrThrow([client.companyInfo(), client.preferences()]);
	const model = taxModelOf(companyInfo ?? {}, preferences ?? {});

	const planned: Array<{ invoice: ValidInvoice<SyncItem>; label: string; plan: InvoicePlan }> = [];
	const codeIds = new Set<string>();
	for (const invoice of invoices) {
		const label = describeInvoice(invoice.input);
		const plan = planInvoiceTax(label, invoice.item.invoice.lines, settings, model);
		if ('error' in plan) {
			outcomes.set(invoice.index, { error: plan.error, failure: { invoice: label, record: 'taxCode' } });
			continue;
		}
		for (const code of codesToVerify(plan, model)) codeIds.add(code);
		planned.push({ invoice, label, plan });
	}

	let codes = new Map<string, TaxCodeInfo>();
	if (codeIds.size) {
		try {
			codes = await loadTaxCodes(client, [...codeIds], model);
		} catch (error) {
			for (const { invoice, label, plan } of planned) {
				// Invoices that need no QuickBooks code (US lines all NON) do not depend on the lookup.
				if (codesToVerify(plan, model).length === 0) continue;
				const failure: FailureContext = { invoice: label, record: 'taxCode' };
				outcomes.set(invoice.index, { error, failure });
			}
		}
	}

	for (const { invoice, label, plan } of planned) {
		if (outcomes.has(invoice.index) || 'error' in plan) continue;
		const result = finishInvoiceTax(label, plan, model, codes);
		if (result instanceof SyncError) {
			outcomes.set(invoice.index, { error: result, failure: { invoice: label, record: 'taxCode' } });
			continue;
		}
		outcomes.set(invoice.index, {
			json: withQuickBooksPart(invoice.item, { lines: result.lines, txnTaxCodeId: result.txnTaxCodeId }),
		});
	}
	return outcomes;
}
