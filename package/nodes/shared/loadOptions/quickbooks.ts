/**
 * QuickBooks records offered in node parameters, shared by every node that offers them.
 *
 * Products, income and expense accounts and tax codes are resource locators: "From List" searches
 * QuickBooks page by page (`WHERE Name LIKE '%text%'`, STARTPOSITION/MAXRESULTS), so a company with
 * thousands of products is never loaded whole; "By ID" takes the record's Id. Use the search
 * methods in a node's `methods.listSearch` and the properties from `quickBooksLocator`.
 * Customers are still a dropdown (`methods.loadOptions`).
 */
import {
	NodeOperationError,
	type IDataObject,
	type ILoadOptionsFunctions,
	type INodeListSearchItems,
	type INodeListSearchResult,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { toSyncError } from '../faultTranslation';
import { textOf } from '../text';
import { QuickBooksClient, buildQuery, type QueryCondition } from '../transport/quickbooks';

/** Rows asked for per page of a list search; the editor asks for the next page as the user scrolls. */
export const LIST_SEARCH_PAGE_SIZE = 100;

/** Names sort the way people read them; ties keep QuickBooks' order. */
function byName(left: INodePropertyOptions, right: INodePropertyOptions): number {
	return left.name.localeCompare(right.name, undefined, { sensitivity: 'base', numeric: true });
}

/** Runs a QuickBooks read for a parameter and turns a failure into a readable error in the editor. */
async function readForParameter<T>(context: ILoadOptionsFunctions, entity: string, read: (client: QuickBooksClient) => Promise<T>): Promise<T> {
	try {
		return await read(await QuickBooksClient.create(context));
	} catch (error) {
		const syncError = toSyncError(error);
		throw new NodeOperationError(context.getNode(), `Could not load QuickBooks ${entity} records: ${syncError.message}`, {
			description: syncError.hint,
		});
	}
}

/** What a list search asks QuickBooks for and how it shows a row. */
interface ListSearch {
	entity: 'Item' | 'Account' | 'TaxCode';
	/** Conditions every row meets, besides the search text. */
	conditions: QueryCondition[];
	/**
	 * ORDERBY Name where Intuit documents Name as sortable (Item); elsewhere each page is sorted by
	 * name on its own (account and tax code lists rarely fill one page).
	 */
	orderByName: boolean;
	/** Rows QuickBooks returns that cannot be chosen (they still count for the paging). */
	usable?: (row: IDataObject) => boolean;
	toResult: (row: IDataObject) => INodeListSearchItems;
}

/** The page a pagination token points at: the STARTPOSITION of the next page (1-based). */
function startPositionOf(paginationToken: string | undefined): number {
	const start = Number(paginationToken);
	return Number.isInteger(start) && start > 1 ? start : 1;
}

/**
 * One page of a list search. The search text is matched by QuickBooks (`Name LIKE '%text%'`,
 * case-insensitive; the text is escaped by buildQuery, and a `%` in it is QuickBooks' wildcard).
 * A full page means there may be more: its token is the next STARTPOSITION.
 */
async function searchPage(context: ILoadOptionsFunctions, search: ListSearch, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const text = (filter ?? '').trim();
	const conditions: QueryCondition[] = text ? [...search.conditions, { field: 'Name', op: 'LIKE', value: `%${text}%` }] : search.conditions;
	const startPosition = startPositionOf(paginationToken);
	const query = buildQuery(search.entity, conditions, {
		...(search.orderByName ? { orderBy: 'Name' } : {}),
		startPosition,
		maxResults: LIST_SEARCH_PAGE_SIZE,
	});
	const page = await readForParameter(context, search.entity, async (client) => await client.queryPage<IDataObject>(query));
	const results = page.entities.filter(search.usable ?? (() => true)).map(search.toResult);
	return {
		results: search.orderByName ? results : results.sort(byName),
		...(page.entities.length >= LIST_SEARCH_PAGE_SIZE ? { paginationToken: String(startPosition + LIST_SEARCH_PAGE_SIZE) } : {}),
	};
}

const ITEM_SEARCH: ListSearch = {
	entity: 'Item',
	conditions: [],
	orderByName: true,
	// Categories are items too, but cannot go on an invoice line.
	usable: (row) => row.Type !== 'Category',
	toResult: (row) => {
		const sku = textOf(row.Sku);
		return {
			name: sku ? `${textOf(row.Name)} (${sku})` : textOf(row.Name),
			value: textOf(row.Id),
			description: [textOf(row.Type), sku ? `SKU ${sku}` : 'no SKU', `ID ${textOf(row.Id)}`].join(' · '),
		};
	},
};

function accountSearch(accountType: string): ListSearch {
	return {
		entity: 'Account',
		conditions: [{ field: 'AccountType', op: '=', value: accountType }],
		orderByName: false,
		toResult: (row) => ({
			name: textOf(row.FullyQualifiedName) || textOf(row.Name),
			value: textOf(row.Id),
			description: [textOf(row.AccountSubType), `ID ${textOf(row.Id)}`].filter(Boolean).join(' · '),
		}),
	};
}

const TAX_CODE_SEARCH: ListSearch = {
	entity: 'TaxCode',
	conditions: [],
	orderByName: false,
	usable: (row) => row.Active !== false && row.Hidden !== true,
	toResult: (row) => ({
		name: textOf(row.Name) || textOf(row.Id),
		value: textOf(row.Id),
		description: [textOf(row.Description), row.Taxable === false ? 'non-taxable' : row.Taxable === true ? 'taxable' : '', `ID ${textOf(row.Id)}`]
			.filter(Boolean)
			.join(' · '),
	}),
};

/** Products and services (Item) that can go on an invoice line, by name; value = Id. */
export async function searchQuickBooksItems(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchPage(this, ITEM_SEARCH, filter, paginationToken);
}

/** Income accounts (AccountType 'Income'): where a new product's sales are booked. */
export async function searchQuickBooksIncomeAccounts(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchPage(this, accountSearch('Income'), filter, paginationToken);
}

/** Cost of sales accounts (AccountType 'Cost of Goods Sold', as Intuit's Item reference asks for ExpenseAccountRef). */
export async function searchQuickBooksExpenseAccounts(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchPage(this, accountSearch('Cost of Goods Sold'), filter, paginationToken);
}

/** Tax codes (TaxCode), inactive and hidden ones left out; value = Id, as lines and TxnTaxCodeRef reference them. */
export async function searchQuickBooksTaxCodes(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchPage(this, TAX_CODE_SEARCH, filter, paginationToken);
}

/** The records a QuickBooks locator can point at, with their search method and how their Id looks. */
const LOCATOR_KINDS = {
	item: { searchListMethod: 'searchQuickBooksItems', noun: 'product', idPattern: '[0-9]+' },
	incomeAccount: { searchListMethod: 'searchQuickBooksIncomeAccounts', noun: 'income account', idPattern: '[0-9]+' },
	expenseAccount: { searchListMethod: 'searchQuickBooksExpenseAccounts', noun: 'expense account', idPattern: '[0-9]+' },
	// US companies' line codes TAX and NON are tax code Ids too.
	taxCode: { searchListMethod: 'searchQuickBooksTaxCodes', noun: 'tax code', idPattern: '[A-Za-z0-9]+' },
} as const;

export type QuickBooksLocatorKind = keyof typeof LOCATOR_KINDS;

/**
 * A resource locator parameter for a QuickBooks record: "From List" (searchable, paged) or
 * "By ID". Its value is `{ __rl: true, mode, value }`; settings read it with `locatorValue`.
 */
export function quickBooksLocator(
	kind: QuickBooksLocatorKind,
	property: Pick<INodeProperties, 'displayName' | 'name' | 'description'> & Partial<Pick<INodeProperties, 'displayOptions' | 'required'>>,
): INodeProperties {
	const { searchListMethod, noun, idPattern } = LOCATOR_KINDS[kind];
	return {
		...property,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select a ${noun}...`,
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: kind === 'taxCode' ? 'e.g. 3 or NON' : 'e.g. 42',
				validation: [{ type: 'regex', properties: { regex: idPattern, errorMessage: `Not a QuickBooks ${noun} ID` } }],
			},
		],
	};
}

/** Customers: value = Id, shown by display name with the primary email. */
export async function getQuickBooksCustomers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const rows = await readForParameter(this, 'Customer', async (client) => await client.queryAll<IDataObject>('Customer'));
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
