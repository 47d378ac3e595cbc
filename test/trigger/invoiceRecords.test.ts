/**
 * Reading the records behind a chunk of invoices: contacts and companies already read for an
 * earlier chunk of the same poll are reused, not read again.
 */
import { emptyCustomerRecordCache, readInvoiceRecords, type InvoiceApi } from '../../package/nodes/HubSpotInvoiceTrigger/invoiceFeed';
import type { HubSpotObject } from '../../package/nodes/shared/transport/hubspot';

/** Invoice i bills contact c(i % 3) and company k(i % 2) and has one line item. */
class RecordingApi implements Pick<InvoiceApi, 'batchRead' | 'batchReadAssociations' | 'request'> {
	reads: Array<{ type: string; ids: string[] }> = [];
	associationReads: string[] = [];

	/** The v4 association batch read the contacts are read with (their labels are kept). */
	async request<T>(_method: 'POST', path: string, options: { body?: unknown }): Promise<T> {
		const to = /\/crm\/v4\/associations\/invoices\/(\w+)\/batch\/read$/.exec(path)![1];
		const inputs = (options.body as { inputs: Array<{ id: string }> }).inputs;
		const ids = await this.batchReadAssociations('invoices', to, inputs.map((input) => input.id));
		return { results: [...ids].map(([id, targets]) => ({ from: { id }, to: targets.map((target) => ({ toObjectId: target, associationTypes: [] })) })) } as T;
	}

	async batchRead(type: string, ids: Iterable<string>) {
		const list = [...ids];
		this.reads.push({ type, ids: list });
		return { results: new Map(list.map((id) => [id, { id, properties: { name: `${type} ${id}` } } as HubSpotObject])), missingIds: [] };
	}

	async batchReadAssociations(_from: string, to: string, ids: Iterable<string>) {
		this.associationReads.push(to);
		if (to === 'discounts' || to === 'fees') return new Map([...ids].map((id) => [id, [] as string[]]));
		const target = (id: string) => ({ contacts: `c${Number(id) % 3}`, companies: `k${Number(id) % 2}`, line_items: `l${id}` })[to as 'contacts'];
		return new Map([...ids].map((id) => [id, [target(id)]]));
	}
}

const invoices = (ids: number[]): HubSpotObject[] => ids.map((id) => ({ id: String(id), properties: {} }));

it('reads each contact and company once per poll across chunks; line items per chunk', async () => {
	const api = new RecordingApi();
	const customers = emptyCustomerRecordCache();
	const first = await readInvoiceRecords(api as unknown as InvoiceApi, invoices([1, 2]), customers);
	const second = await readInvoiceRecords(api as unknown as InvoiceApi, invoices([3, 4, 5]), customers);

	const readsOf = (type: string) => api.reads.filter((read) => read.type === type).map((read) => [...read.ids].sort());
	expect(readsOf('contacts')).toEqual([['c1', 'c2'], ['c0']]);
	expect(readsOf('companies')).toEqual([['k0', 'k1']]);
	expect(readsOf('line_items')).toEqual([['l1', 'l2'], ['l3', 'l4', 'l5']]);
	// Every invoice still finds its own contact and company.
	for (const record of [...first, ...second]) {
		expect(record.contacts.get(record.contactIds[0])?.id).toBe(record.contactIds[0]);
		expect(record.companies.get(record.companyIds[0])?.id).toBe(record.companyIds[0]);
	}
});

it('reads discount and fee associations only for invoices whose totals say they may have some', async () => {
	const api = new RecordingApi();
	const withTotals = (id: number, discounts: string | null, fees: string | null): HubSpotObject => ({ id: String(id), properties: { hs_discounts_total: discounts, hs_fees_total: fees } });
	await readInvoiceRecords(api as unknown as InvoiceApi, [withTotals(1, '0', '0.00'), withTotals(2, '0', '0')]);
	expect(api.associationReads.filter((to) => to === 'discounts' || to === 'fees')).toEqual([]);
	await readInvoiceRecords(api as unknown as InvoiceApi, [withTotals(3, '5.00', '0'), withTotals(4, null, '0')]);
	expect(api.associationReads.filter((to) => to === 'discounts' || to === 'fees')).toEqual(['discounts']);
});
