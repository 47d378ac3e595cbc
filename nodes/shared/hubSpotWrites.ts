/**
 * The HubSpot side of `resolveByKeys`: one write round as batch creates of 100 per call. HubSpot
 * validates a batch as a whole: one contact whose email is already in use fails the call with 409
 * CONFLICT "Contact already exists. Existing ID: <id>", naming only the first such contact. The
 * writer reads that contact, reports the input holding its email as `taken` (with the contact, so
 * the node can adopt it) and sends the rest again, until the call goes through.
 */
import { chunk } from './collections';
import type { RecordWrite, RecordWriter, WriteResult } from './resolveByKeys';
import { HUBSPOT_BATCH_WRITE_SIZE, HubSpotApiError, type HubSpotClient, type HubSpotObject, type HubSpotWriteInput } from './transport/hubspot';

const EXISTING_ID = /Existing ID:\s*(\d+)/i;

/** A creation refused because another record holds its unique value: that record, as HubSpot has it. */
export class HeldByExisting extends Error {
	constructor(
		readonly existing: HubSpotObject,
		readonly refusal: HubSpotApiError,
	) {
		super(refusal.message);
		this.name = 'HeldByExisting';
	}
}

export interface HubSpotWriterOptions {
	/**
	 * The unique property HubSpot enforces on create (contacts: `email`) and how two values are
	 * compared (HubSpot compares emails ignoring case); without it a conflict fails the call.
	 */
	unique?: { property: string; key: (value: string) => string };
}

type Client = Pick<HubSpotClient, 'batchCreate' | 'batchRead'>;

/** The id HubSpot names in a 409 CONFLICT answer, when it names one. */
export function conflictExistingId(error: unknown): string | undefined {
	if (!(error instanceof HubSpotApiError) || error.status !== 409) return undefined;
	const body = (error.body ?? {}) as { message?: unknown };
	return EXISTING_ID.exec(`${typeof body.message === 'string' ? body.message : ''} ${error.message}`)?.[1];
}

/** A writer of `objectType` records; HubSpot objects have nothing to reactivate, so only creations are sent. */
export function hubSpotWriter(client: Client, objectType: string, options: HubSpotWriterOptions = {}): RecordWriter<HubSpotObject, HubSpotWriteInput> {
	return async (writes) => {
		const results: Array<WriteResult<HubSpotObject>> = writes.map((write) => notCreatable(write));
		const creations = writes.flatMap((write, index) => ('create' in write ? [index] : []));
		for (const group of chunk(creations, HUBSPOT_BATCH_WRITE_SIZE)) {
			await createGroup(client, objectType, options, writes, group, results);
		}
		return results;
	};
}

function notCreatable(write: RecordWrite<HubSpotObject, HubSpotWriteInput>): WriteResult<HubSpotObject> {
	return { error: new Error('reactivate' in write ? 'HubSpot records have nothing to reactivate' : 'not sent'), cause: 'refused' };
}

/** One call of up to 100 creations; each conflict takes out the input it names and the rest is sent again. */
async function createGroup(
	client: Client,
	objectType: string,
	options: HubSpotWriterOptions,
	writes: Array<RecordWrite<HubSpotObject, HubSpotWriteInput>>,
	group: number[],
	results: Array<WriteResult<HubSpotObject>>,
): Promise<void> {
	let pending = group;
	// Each round either succeeds or removes one input, so this ends.
	while (pending.length) {
		const inputs = pending.map((index) => (writes[index] as { create: HubSpotWriteInput }).create);
		try {
			const created = await client.batchCreate(objectType, inputs);
			pending.forEach((index, position) => (results[index] = created[position] ? { record: created[position] } : { error: new Error('HubSpot did not return the created record'), cause: 'noAnswer' }));
			return;
		} catch (error) {
			const holder = await conflictHolder(client, objectType, options, error, inputs);
			if (holder === undefined) {
				for (const index of pending) results[index] = { error, cause: 'callFailed' };
				return;
			}
			results[pending[holder.position]] = { taken: true, error: new HeldByExisting(holder.existing, error as HubSpotApiError) };
			pending = pending.filter((_index, position) => position !== holder.position);
		}
	}
}

/** The input whose unique value the record named by a 409 holds, read in one batch read. */
async function conflictHolder(
	client: Client,
	objectType: string,
	options: HubSpotWriterOptions,
	error: unknown,
	inputs: HubSpotWriteInput[],
): Promise<{ position: number; existing: HubSpotObject } | undefined> {
	const id = conflictExistingId(error);
	const unique = options.unique;
	if (!id || !unique) return undefined;
	let existing: HubSpotObject | undefined;
	try {
		existing = (await client.batchRead(objectType, [id], [unique.property])).results.get(id);
	} catch {
		return undefined;
	}
	const held = existing?.properties[unique.property];
	if (!existing || !held) return undefined;
	const position = inputs.findIndex((input) => {
		const value = input.properties[unique.property];
		return typeof value === 'string' && unique.key(value) === unique.key(held);
	});
	return position === -1 ? undefined : { position, existing };
}
