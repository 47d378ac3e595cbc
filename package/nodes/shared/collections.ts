/**
 * General helpers over lists and promises, for any module (transport, batch logic, nodes): no n8n,
 * no I/O.
 */

/**
 * Runs tasks over a list with at most `concurrency` at once, keeping result order. After the first
 * failure no new task starts, and the call returns only when the running ones have settled, so no
 * request outlives the node execution that made it.
 */
export async function mapWithConcurrency<T, R>(
	values: readonly T[],
	concurrency: number,
	task: (value: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(values.length);
	let next = 0;
	let failure: { error: unknown } | undefined;
	const workers = Array.from({ length: Math.min(concurrency, values.length) }, async () => {
		while (next < values.length && !failure) {
			const index = next++;
			try {
				results[index] = await task(values[index], index);
			} catch (error) {
				failure ??= { error };
			}
		}
	});
	await Promise.all(workers);
	if (failure) throw failure.error;
	return results;
}

export function chunk<T>(values: readonly T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let index = 0; index < values.length; index += size) chunks.push(values.slice(index, index + size));
	return chunks;
}

/**
 * Like Promise.all, but waits for every promise to settle before throwing the first error, so no
 * request of a failed step keeps running in the background after the node has answered.
 */
export async function allSettledOrThrow<T extends readonly unknown[]>(promises: readonly [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> {
	const settled = await Promise.allSettled(promises);
	const rejected = settled.find((result) => result.status === 'rejected') as PromiseRejectedResult | undefined;
	if (rejected) throw rejected.reason;
	return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
