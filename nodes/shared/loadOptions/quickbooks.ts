/**
 * Dropdown loaders for QuickBooks records, shared by every node that offers them. Each loads the
 * live list from the connected company (active records only: inactive ones cannot be referenced).
 * Use them in a node's `methods.loadOptions`: `{ getQuickBooksTaxCodes, getQuickBooksItems, … }`.
 */
import { NodeOperationError, type IDataObject, type ILoadOptionsFunctions, type INodePropertyOptions } from 'n8n-workflow';

import { toSyncError } from '../faultTranslation';
import { textOf } from '../text';
import { QuickBooksClient, type QueryCondition } from '../transport/quickbooks';

/** Names sort the way people read them; ties keep QuickBooks' order. */
function byName(left: INodePropertyOptions, right: INodePropertyOptions): number {
	return left.name.localeCompare(right.name, undefined, { sensitivity: 'base', numeric: true });
}

/** Loads every row of an entity (all pages) and turns a failure into a readable dropdown error. */
async function loadRows(context: ILoadOptionsFunctions, entity: string, conditions: QueryCondition[] = []): Promise<IDataObject[]> {
	try {
		const client = await QuickBooksClient.create(context);
		return await client.queryAll<IDataObject>(entity, conditions);
	} catch (error) {
		const syncError = toSyncError(error);
		throw new NodeOperationError(context.getNode(), `Could not load QuickBooks ${entity} records: ${syncError.message}`, {
			description: syncError.hint,
		});
	}
}

/** Tax codes (TaxCode): value = Id, as lines and TxnTaxCodeRef reference them. */
export async function getQuickBooksTaxCodes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const rows = await loadRows(this, 'TaxCode');
	return rows
		.filter((row) => row.Active !== false && row.Hidden !== true)
		.map((row) => ({
			name: textOf(row.Name) || textOf(row.Id),
			value: textOf(row.Id),
			description: [textOf(row.Description), row.Taxable === false ? 'non-taxable' : row.Taxable === true ? 'taxable' : '', `ID ${textOf(row.Id)}`]
				.filter(Boolean)
				.join(' · '),
		}))
		.sort(byName);
}

/** Products and services (Item) that can go on an invoice line (categories cannot). */
export async function getQuickBooksItems(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const rows = await loadRows(this, 'Item');
	return rows
		.filter((row) => row.Type !== 'Category')
		.map((row) => {
			const sku = textOf(row.Sku);
			return {
				name: sku ? `${textOf(row.Name)} (${sku})` : textOf(row.Name),
				value: textOf(row.Id),
				description: [textOf(row.Type), sku ? `SKU ${sku}` : 'no SKU', `ID ${textOf(row.Id)}`].join(' · '),
			};
		})
		.sort(byName);
}

/** Income accounts (Account where AccountType = 'Income'): where a new product's sales are booked. */
export async function getQuickBooksIncomeAccounts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return accountOptions(await loadRows(this, 'Account', [{ field: 'AccountType', op: '=', value: 'Income' }]));
}

/** Cost of sales accounts (AccountType 'Cost of Goods Sold', as Intuit's Item reference asks for ExpenseAccountRef). */
export async function getQuickBooksExpenseAccounts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return accountOptions(await loadRows(this, 'Account', [{ field: 'AccountType', op: '=', value: 'Cost of Goods Sold' }]));
}

function accountOptions(rows: IDataObject[]): INodePropertyOptions[] {
	return rows
		.map((row) => ({
			name: textOf(row.FullyQualifiedName) || textOf(row.Name),
			value: textOf(row.Id),
			description: [textOf(row.AccountSubType), `ID ${textOf(row.Id)}`].filter(Boolean).join(' · '),
		}))
		.sort(byName);
}

/** Customers: value = Id, shown by display name with the primary email. */
export async function getQuickBooksCustomers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const rows = await loadRows(this, 'Customer');
	return rows
		.map((row) => {
			const email = textOf((row.PrimaryEmailAddr as IDataObject | undefined)?.Address);
			return {
				name: textOf(row.DisplayName) || textOf(row.Id),
				value: textOf(row.Id),
				description: [email || 'no email', `ID ${textOf(row.Id)}`].join(' · '),
			};
		})
		.sort(byName);
}
