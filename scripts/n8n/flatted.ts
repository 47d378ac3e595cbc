// n8n stores and returns execution data serialised with `flatted` (circular-safe JSON). This is
// flatted's `parse` (ISC), so the dev scripts don't need the package: the text is a JSON array whose
// first entry is the root; every string inside an object is an index into that array.
const IGNORE = {};

function revive(input: unknown[], parsed: Set<unknown>, output: Record<string, unknown>): Record<string, unknown> {
	const lazy: Array<{ key: string; target: Record<string, unknown> }> = [];
	for (const key of Object.keys(output)) {
		const value = output[key];
		if (value instanceof String) {
			const target = input[Number(value)];
			if (typeof target === 'object' && target !== null && !parsed.has(target)) {
				parsed.add(target);
				output[key] = IGNORE;
				lazy.push({ key, target: target as Record<string, unknown> });
			} else {
				output[key] = target;
			}
		}
	}
	for (const { key, target } of lazy) output[key] = revive(input, parsed, target);
	return output;
}

export function parseFlatted<T = unknown>(text: string): T {
	const input = (JSON.parse(text, (_key, value) => (typeof value === 'string' ? new String(value) : value)) as unknown[]).map(
		(value) => (value instanceof String ? String(value) : value),
	);
	const root = input[0];
	return (typeof root === 'object' && root !== null ? revive(input, new Set(), root as Record<string, unknown>) : root) as T;
}
