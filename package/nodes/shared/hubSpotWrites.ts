/**
 * The HubSpot side of `resolveByKeys`: one write round as batch creates of 100 per call. HubSpot
 * validates a batch as a whole and names no input in its refusal:
 * - one contact whose email is already in use fails the call with 409 CONFLICT "Contact already
 *   exists. Existing ID: <id>", naming only the first such contact. The writer reads that contact,
 *   reports the input holding its email as `taken` (with the contact, so the node can adopt it)
 *   and sends the rest again, until the call goes through;
 * - any other refusal of the inputs (400: an invalid email, a property value HubSpot rejects) is
 *   narrowed down by sending each half again, until the refused input stands alone (`CreateRefused`)
 *   and every other input is created.
 * HubSpot answers a batch create in any order, so created records are paired with their inputs by
 * an identifying property where the node names one.
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

/** A creation HubSpot refused for the input itself (not the call): its answer, for the item's error. */
export class CreateRefused extends Error {
	constructor(readonly refusal: HubSpotApiError) {
		super(refusal.message);
		this.name = 'CreateRefused';
	}
}

/** A property and how two of its values are compared. */
export interface PropertyKey {
	property: string;
	key: (value: string) => string;
}

export interface HubSpotWriterOptions {
	/**
	 * The unique property HubSpot enforces on create (contacts: `email`) and how two values are
	 * compared (HubSpot compares emails ignoring case); without it a conflict fails the call.
	 */
	unique?: PropertyKey;
	/** The property that tells which input a created record is for (default: `unique`); without either, the answer's order. */
	identity?: PropertyKey;
}

/** One entry of HubSpot's "Property values were not valid: [...]" refusal. */
export interface PropertyRefusal {
	property: string;
	error: string;
	message: string;
}

/** What HubSpot says is wrong with the values of a refused write, property by property (none when it does not say). */
export function propertyRefusals(error: HubSpotApiError): PropertyRefusal[] {
	const body = (error.body ?? {}) as { message?: unknown };
	const text = typeof body.message === 'string' ? body.message : error.message;
	const list = /Property values were not valid:\s*(\[.*\])\s*$/s.exec(text)?.[1];
	if (!list) return [];
	try {
		const entries = JSON.parse(list) as Array<Record<string, unknown>>;
		return entries.map((entry) => ({ property: String(entry.name ?? ''), error: String(entry.error ?? ''), message: String(entry.message ?? entry.localizedErrorMessage ?? '') }));
	} catch {
		return [];
	}
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

/**
 * One call of up to 100 creations; each conflict takes out the input it names and the rest is sent
 * again; any other refusal of the inputs halves the group until the refused input stands alone.
 */
async function createGroup(
	client: Client,
	objectType: string,
	options: HubSpotWriterOptions,
	writes: Array<RecordWrite<HubSpotObject, HubSpotWriteInput>>,
	group: number[],
	results: Array<WriteResult<HubSpotObject>>,
): Promise<void> {
	let pending = group;
	// Each round either succeeds, removes one input or halves the group, so this ends.
	while (pending.length) {
		const inputs = pending.map((index) => (writes[index] as { create: HubSpotWriteInput }).create);
		try {
			const created = pairCreated(inputs, await client.batchCreate(objectType, inputs), options.identity ?? options.unique);
			pending.forEach((index, position) => (results[index] = created[position] ? { record: created[position] } : { error: new Error('HubSpot did not return the created record'), cause: 'noAnswer' }));
			return;
		} catch (error) {
			const holder = await conflictHolder(client, objectType, options, error, inputs);
			if (holder !== undefined) {
				results[pending[holder.position]] = { taken: true, error: new HeldByExisting(holder.existing, error as HubSpotApiError) };
				pending = pending.filter((_index, position) => position !== holder.position);
				continue;
			}
			if (!(error instanceof HubSpotApiError && error.kind === 'rejected')) {
				for (const index of pending) results[index] = { error, cause: 'callFailed' };
				return;
			}
			if (pending.length === 1) {
				results[pending[0]] = { error: new CreateRefused(error), cause: 'refused' };
				return;
			}
			const half = Math.ceil(pending.length / 2);
			await createGroup(client, objectType, options, writes, pending.slice(0, half), results);
			pending = pending.slice(half);
		}
	}
}

/** The created record of each input, paired by the identifying property when there is one (HubSpot's answer has no set order). */
function pairCreated(inputs: HubSpotWriteInput[], created: HubSpotObject[], identity: PropertyKey | undefined): Array<HubSpotObject | undefined> {
	if (!identity) return inputs.map((_input, position) => created[position]);
	const byKey = new Map<string, HubSpotObject>();
	for (const record of created) {
		const value = record.properties?.[identity.property];
		if (typeof value === 'string') byKey.set(identity.key(value), record);
	}
	return inputs.map((input) => {
		const value = input.properties[identity.property];
		return typeof value === 'string' ? byKey.get(identity.key(value)) : undefined;
	});
}

/**
 * The input whose unique value the record named by a 409 holds, read in one batch read. Several
 * inputs and none of them the record's value: unknown, so the group is halved like other refusals.
 */
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
	if (!existing) return undefined;
	const held = existing.properties[unique.property];
	const position = held
		? inputs.findIndex((input) => {
				const value = input.properties[unique.property];
				return typeof value === 'string' && unique.key(value) === unique.key(held);
			})
		: -1;
	if (position !== -1) return { position, existing };
	// A lone input: the record HubSpot names holds its value although not as its own (a contact's secondary email).
	return inputs.length === 1 ? { position: 0, existing } : undefined;
}
