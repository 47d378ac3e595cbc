/**
 * Behaviours of QuickBooks Online that Intuit's documentation leaves open, as named simulator
 * settings. The defaults are the readings the evidence favours (docs/API_FACTS.md says which and
 * why); tests whose outcome depends on one run the simulator both ways.
 */
export interface QboAssumptions {
	/**
	 * Intuit documents only a full update for Item. `treatedAsFull` (default): `sparse: true` is
	 * ignored, so the update replaces the item and every field it omits is lost (a missing Name is
	 * refused with 2020). `applied`: the sparse update merges, as on Invoice and Customer.
	 */
	itemSparseUpdate: 'treatedAsFull' | 'applied';
	/**
	 * Which companies refuse an item create without ExpenseAccountRef. `ukAndCanada` (default): GB/UK
	 * and CA companies. `allButFrance`: every company but a French one, as the Item attribute table reads.
	 */
	itemExpenseAccount: 'ukAndCanada' | 'allButFrance';
	/**
	 * A backslash in a quoted query value. `escapesAny` (default): `\x` stands for `x`, so `\\` is one
	 * backslash and `\'` a quote. `escapesQuoteOnly`: only `\'` is an escape; any other backslash is a
	 * literal character.
	 */
	queryBackslash: 'escapesAny' | 'escapesQuoteOnly';
	/**
	 * QuickBooks refuses an invoice whose DocNumber another invoice has (6140) unless
	 * `include=allowduplicatedocnum` is sent. Intuit points at company preferences for whether this is
	 * checked and documents no preference for invoices. `on` (default): refused. `off`: accepted,
	 * as in a company whose duplicate-number warning is off.
	 */
	duplicateDocNumberCheck: 'on' | 'off';
	/**
	 * What a /batch answer does when its queries match more than the 1,000 objects Intuit says one
	 * response can hold. `truncate` (default): the answer stops at 1,000 objects and later queries
	 * come back short or empty, without a fault. `fault`: the call fails with 6000.
	 */
	batchResponseOverflow: 'truncate' | 'fault';
	/**
	 * Whether applying (or removing) a payment makes a new version of the invoice or credit memo
	 * whose Balance it changes. `updated` (default): SyncToken and MetaData.LastUpdatedTime move, so
	 * the invoice shows in change data capture. `unchanged`: only Balance changes.
	 */
	paymentTouchesInvoice: 'updated' | 'unchanged';
	/**
	 * What the 1,000-object cap of one change data capture answer counts. Intuit: "A given CDC
	 * request returns a maximum of 1000 objects". `perResponse` (default): all entities together.
	 * `perEntity`: each entity's list separately.
	 */
	cdcObjectCap: 'perResponse' | 'perEntity';
	/**
	 * Whether a record changed exactly at `changedSince` is in the answer. `inclusive` (default) or
	 * `exclusive`; Intuit's wording ("changed since") settles neither.
	 */
	cdcChangedSinceBoundary: 'inclusive' | 'exclusive';
}

export const DEFAULT_ASSUMPTIONS: QboAssumptions = {
	itemSparseUpdate: 'treatedAsFull',
	itemExpenseAccount: 'ukAndCanada',
	queryBackslash: 'escapesAny',
	duplicateDocNumberCheck: 'on',
	batchResponseOverflow: 'truncate',
	paymentTouchesInvoice: 'updated',
	cdcObjectCap: 'perResponse',
	cdcChangedSinceBoundary: 'inclusive',
};

/** Company countries (CompanyInfo.Country) whose item creates need ExpenseAccountRef under `setting`. */
export function itemNeedsExpenseAccount(country: unknown, setting: QboAssumptions['itemExpenseAccount']): boolean {
	const code = String(country ?? '').trim().toUpperCase();
	if (setting === 'allButFrance') return code !== 'FR' && code !== 'FRANCE';
	return ['GB', 'UK', 'CA', 'UNITED KINGDOM', 'CANADA'].includes(code);
}
