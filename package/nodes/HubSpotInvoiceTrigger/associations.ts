/**
 * v4 association batch reads that keep the association labels (HubSpot's `associationTypes`),
 * which the billing contact is chosen by. The transport's batchReadAssociations keeps ids only.
 */
import type { IDataObject } from 'n8n-workflow';

import { HUBSPOT_ASSOCIATION_BATCH_SIZE } from '../shared/transport/hubspot';
import { chunk } from '../shared/collections';

export interface AssociationRequester {
	request<T>(method: 'POST', path: string, options: { body?: unknown }): Promise<T>;
}

/** One associated record and the labels of its association (empty when unlabeled). */
export interface LabeledAssociation {
	id: string;
	labels: string[];
}

/**
 * from-id → associated records with their labels, in HubSpot's order, following each input's own
 * paging. Ids with nothing associated map to an empty list.
 */
export async function batchReadLabeledAssociations(
	api: AssociationRequester,
	fromType: string,
	toType: string,
	ids: Iterable<string>,
): Promise<Map<string, LabeledAssociation[]>> {
	const associations = new Map<string, LabeledAssociation[]>();
	let pending = [...new Set(ids)].map((id) => ({ id, after: undefined as string | undefined }));
	for (const input of pending) associations.set(input.id, []);
	while (pending.length) {
		const nextRound: typeof pending = [];
		for (const group of chunk(pending, HUBSPOT_ASSOCIATION_BATCH_SIZE)) {
			const response = await api.request<IDataObject>('POST', `/crm/v4/associations/${fromType}/${toType}/batch/read`, {
				body: { inputs: group.map((input) => (input.after ? { id: input.id, after: input.after } : { id: input.id })) },
			});
			for (const result of (response.results ?? []) as IDataObject[]) {
				const fromId = String((result.from as IDataObject)?.id);
				const list = associations.get(fromId) ?? [];
				for (const target of (result.to ?? []) as IDataObject[]) {
					const labels = ((target.associationTypes ?? []) as IDataObject[])
						.map((type) => (typeof type.label === 'string' ? type.label.trim() : ''))
						.filter(Boolean);
					list.push({ id: String(target.toObjectId), labels });
				}
				associations.set(fromId, list);
				const after = ((result.paging as IDataObject)?.next as IDataObject)?.after;
				if (after) nextRound.push({ id: fromId, after: String(after) });
			}
		}
		pending = nextRound;
	}
	return associations;
}
