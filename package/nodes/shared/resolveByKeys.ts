/**
 * The building block of the nodes that find a record for each key and write what is missing
 * (Customer Resolve: customers by email; SKU Match: products by SKU): look every key of the
 * execution up at once, decide per key, send every reactivation and creation in one write round,
 * and give a creation refused because its unique value is taken (QuickBooks' duplicate name, a
 * HubSpot email already in use) one second chance, as the node's policy says.
 *
 * It knows no API: the lookup, the decision, the writes and the policy for a taken value come from
 * the node. `quickBooksWrites.ts` supplies the QuickBooks writer (one /batch per round, its
 * duplicate-name fault reported as `taken`).
 */

/** What the node decides for one key, given what the lookup found. */
export type Decision<R, P, V> =
	/** The key's outcome is known now (a record found, or a failure). */
	| { settle: V }
	/** An inactive record to make active; one write per `id`, however many keys need it. */
	| { reactivate: R; id: string }
	/** A record to create; one creation per `group`, its payload built for the group's first key. */
	| { create: () => P; group: string };

/** One write of a round, in the order of the round; a retried creation names its place in the first round. */
export type RecordWrite<R, P> = { reactivate: R } | { create: P; retryOf?: number };

/** What the API answered for one write. */
export type WriteResult<R> =
	| { record: R }
	/** Refused because the unique value (a name, an email) is held by another record. */
	| { taken: true; error: unknown }
	/** `refused`: the API answered this write with an error; `noAnswer`: it said nothing about it; `callFailed`: the whole call failed. */
	| { error: unknown; cause: 'refused' | 'noAnswer' | 'callFailed' };

export type WriteFailure = Exclude<WriteResult<unknown>, { record: unknown }>;

/** Sends one round of writes and answers one result per write, in order. Never throws. */
export type RecordWriter<R, P> = (writes: Array<RecordWrite<R, P>>) => Promise<Array<WriteResult<R>>>;

/** A creation and the keys that wait for it. */
export interface Creation<K, P> {
	payload: P;
	keys: K[];
}

/** A creation refused because its value was taken, with the refusal. */
export interface TakenCreation<K, P> extends Creation<K, P> {
	error: unknown;
	/** The creation's place among the first round's creations. */
	position: number;
}

/** How a write round ended for the keys of one write; the node turns it into its outcome. */
export type Written<R, P> =
	| { reactivated: R; before: R }
	| { reactivateFailed: WriteFailure; before: R }
	/** `renamedFrom`: the payload first sent, when the record was created under a second value. */
	| { created: R; payload: P; renamedFrom?: P }
	/** `firstAttempt`: the first refusal, when the failure is the second attempt's. */
	| { createFailed: WriteFailure; payload: P; firstAttempt?: WriteFailure }
	/** A record that holds the taken value and that the policy took as the key's own. */
	| { adopted: R; payload: P };

/** What the policy says about one taken creation. */
export type TakenAnswer<K, R, P, V> = { use: R } | { retry: P } | { fail: (key: K) => V };

export interface TakenPolicy<K, F, R, P, V> {
	/** After the first refusal: a record to use instead, one retry with another payload, or a failure. */
	firstRefusal(taken: Array<TakenCreation<K, P>>, found: F): Promise<Array<TakenAnswer<K, R, P, V>>>;
	/** After the retry was refused too: a record to use, a failure, or undefined (`createFailed`). */
	secondRefusal?(taken: Array<TakenCreation<K, P>>, found: F): Promise<Array<{ use: R } | { fail: (key: K) => V } | undefined>>;
}

export interface KeyResolution<K, F, R, P, V> {
	/** One lookup for every key of the execution. */
	lookup(keys: K[]): Promise<F>;
	decide(key: K, found: F): Decision<R, P, V>;
	/** Adjusts the payloads of all creations together before they are sent (e.g. names kept apart). */
	prepareCreations?(creations: Array<Creation<K, P>>, found: F): void;
	write: RecordWriter<R, P>;
	/** Without a policy a taken value fails its creation. */
	taken?: TakenPolicy<K, F, R, P, V>;
	/** The key's outcome after the writes. */
	outcome(key: K, written: Written<R, P>, found: F): V;
}

type Settle<K, R, P, V> = (key: K, written: Written<R, P>) => V;

/** The policy with the lookup's findings bound. */
interface BoundPolicy<K, R, P, V> {
	firstRefusal(taken: Array<TakenCreation<K, P>>): Promise<Array<TakenAnswer<K, R, P, V>>>;
	secondRefusal?(taken: Array<TakenCreation<K, P>>): Promise<Array<{ use: R } | { fail: (key: K) => V } | undefined>>;
}

function bindPolicy<K, F, R, P, V>(policy: TakenPolicy<K, F, R, P, V>, found: F): BoundPolicy<K, R, P, V> {
	const second = policy.secondRefusal?.bind(policy);
	return {
		firstRefusal: async (taken) => await policy.firstRefusal(taken, found),
		secondRefusal: second ? async (taken) => await second(taken, found) : undefined,
	};
}

interface Reactivation<K, R> {
	record: R;
	keys: K[];
}

interface WritePlan<K, R, P> {
	reactivations: Array<Reactivation<K, R>>;
	creations: Array<Creation<K, P>>;
}

/** Every key's outcome: decided from the lookup, or after the writes. */
export async function resolveByKeys<K, F, R, P, V>(keys: K[], steps: KeyResolution<K, F, R, P, V>): Promise<Map<K, V>> {
	const outcomes = new Map<K, V>();
	if (keys.length === 0) return outcomes;
	const found = await steps.lookup(keys);
	const { reactivations, creations } = planWrites(keys, found, steps, outcomes);
	steps.prepareCreations?.(creations, found);
	if (reactivations.length === 0 && creations.length === 0) return outcomes;

	const outcome: Settle<K, R, P, V> = (key, written) => steps.outcome(key, written, found);
	const results = await steps.write([...reactivations.map(({ record }) => ({ reactivate: record })), ...creations.map(({ payload }) => ({ create: payload }))]);
	reactivations.forEach(({ record, keys: waiting }, index) => {
		const result = results[index];
		const written: Written<R, P> = 'record' in result ? { reactivated: result.record, before: record } : { reactivateFailed: result, before: record };
		for (const key of waiting) outcomes.set(key, outcome(key, written));
	});
	const taken: Array<TakenCreation<K, P>> = [];
	creations.forEach((creation, index) => {
		const result = results[reactivations.length + index];
		if ('taken' in result && steps.taken) taken.push({ ...creation, error: result.error, position: index });
		else settleCreation(creation, result, outcome, outcomes);
	});
	if (taken.length && steps.taken) await retryTaken(taken, steps.write, bindPolicy(steps.taken, found), outcome, outcomes);
	return outcomes;
}

/** Decides every key; collects one reactivation per record and one creation per group. */
function planWrites<K, F, R, P, V>(keys: K[], found: F, steps: KeyResolution<K, F, R, P, V>, outcomes: Map<K, V>): WritePlan<K, R, P> {
	const reactivations = new Map<string, Reactivation<K, R>>();
	const creations = new Map<string, Creation<K, P>>();
	for (const key of keys) {
		const decision = steps.decide(key, found);
		if ('settle' in decision) {
			outcomes.set(key, decision.settle);
		} else if ('reactivate' in decision) {
			const entry = reactivations.get(decision.id) ?? { record: decision.reactivate, keys: [] };
			entry.keys.push(key);
			reactivations.set(decision.id, entry);
		} else {
			const entry = creations.get(decision.group) ?? { payload: decision.create(), keys: [] };
			entry.keys.push(key);
			creations.set(decision.group, entry);
		}
	}
	return { reactivations: [...reactivations.values()], creations: [...creations.values()] };
}

function settleCreation<K, R, P, V>(
	creation: Creation<K, P>,
	result: WriteResult<R>,
	outcome: Settle<K, R, P, V>,
	outcomes: Map<K, V>,
	first?: { payload: P; failure: WriteFailure },
): void {
	let written: Written<R, P>;
	if ('record' in result) written = { created: result.record, payload: creation.payload, renamedFrom: first?.payload };
	else written = { createFailed: result, payload: creation.payload, firstAttempt: first?.failure };
	for (const key of creation.keys) outcomes.set(key, outcome(key, written));
}

function settleAnswer<K, R, P, V>(
	creation: TakenCreation<K, P>,
	answer: { use: R } | { fail: (key: K) => V },
	outcome: Settle<K, R, P, V>,
	outcomes: Map<K, V>,
): void {
	for (const key of creation.keys) {
		outcomes.set(key, 'use' in answer ? outcome(key, { adopted: answer.use, payload: creation.payload }) : answer.fail(key));
	}
}

/** The policy's answers to taken values: records adopted, failures, and one retry round for the rest. */
async function retryTaken<K, R, P, V>(
	taken: Array<TakenCreation<K, P>>,
	write: RecordWriter<R, P>,
	policy: BoundPolicy<K, R, P, V>,
	outcome: Settle<K, R, P, V>,
	outcomes: Map<K, V>,
): Promise<void> {
	const answers = await policy.firstRefusal(taken);
	const retries: Array<{ creation: TakenCreation<K, P>; payload: P }> = [];
	taken.forEach((creation, index) => {
		const answer = answers[index];
		if ('retry' in answer) retries.push({ creation, payload: answer.retry });
		else settleAnswer(creation, answer, outcome, outcomes);
	});
	if (retries.length === 0) return;
	const results = await write(retries.map(({ creation, payload }) => ({ create: payload, retryOf: creation.position })));
	const takenAgain: Array<{ retry: TakenCreation<K, P>; first: { payload: P; failure: WriteFailure } }> = [];
	retries.forEach(({ creation, payload }, index) => {
		const result = results[index];
		const first = { payload: creation.payload, failure: { taken: true as const, error: creation.error } };
		const retry = { payload, keys: creation.keys, position: creation.position };
		if ('taken' in result && policy.secondRefusal) takenAgain.push({ retry: { ...retry, error: result.error }, first });
		else settleCreation(retry, result, outcome, outcomes, first);
	});
	if (takenAgain.length === 0 || !policy.secondRefusal) return;
	const lastAnswers = await policy.secondRefusal(takenAgain.map(({ retry }) => retry));
	takenAgain.forEach(({ retry, first }, index) => {
		const answer = lastAnswers[index];
		if (answer) settleAnswer(retry, answer, outcome, outcomes);
		else settleCreation(retry, { taken: true, error: retry.error }, outcome, outcomes, first);
	});
}
