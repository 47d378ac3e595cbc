/**
 * The trigger's cursor (kept in the workflow's static data) and the window it implies. Plain
 * functions, unit-tested on their own.
 *
 * QuickBooks stamps a change with MetaData.LastUpdatedTime in whole seconds, so many changes share
 * one timestamp, and a change can become visible a little after its timestamp (clock skew between
 * Intuit's servers, a slow commit). Each poll therefore reads again from `overlapMs` before the
 * cursor, and `seen` remembers the changes already processed there (record → its LastUpdatedTime):
 * a change is processed once, however often a window returns it.
 */
export interface CursorState {
	version: 1;
	/** Every change visible in QuickBooks by `cursorMs` has been processed (epoch ms); later ones are read from `cursorMs - overlap`. */
	cursorMs: number;
	/** Changes processed at or after the next window's start: `<Entity>:<Id>@<version>` → LastUpdatedTime (ms). */
	seen: Record<string, number>;
	/** Nothing stamped before this is ever read (the activation, or Backfill Since). */
	floorMs: number;
	/** The Backfill Since value the cursor started from (a new value restarts the backfill). */
	backfillSince: string | null;
}

export function isCursorState(value: unknown): value is CursorState {
	const state = value as CursorState | undefined;
	return !!state && state.version === 1 && Number.isFinite(state.cursorMs) && Number.isFinite(state.floorMs) && typeof state.seen === 'object' && state.seen !== null;
}

export function newCursor(startMs: number, options: { floorMs?: number; backfillSince?: string | null; seen?: Record<string, number> } = {}): CursorState {
	return { version: 1, cursorMs: startMs, seen: { ...(options.seen ?? {}) }, floorMs: options.floorMs ?? startMs, backfillSince: options.backfillSince ?? null };
}

/** Where a poll starts reading: `overlapMs` before the cursor, never before the floor. */
export function windowStart(state: CursorState, overlapMs: number): number {
	return Math.max(state.floorMs, state.cursorMs - Math.max(0, overlapMs));
}

/**
 * A change's key: the record and its version (SyncToken, or "deleted"). QuickBooks stamps changes
 * to the second, so two changes of one record within a second share a timestamp; the version tells
 * them apart.
 */
export function changeKey(entity: string, record: { Id?: unknown; SyncToken?: unknown; status?: unknown }): string {
	const version = record.status === 'Deleted' ? 'deleted' : String(record.SyncToken ?? '');
	return `${recordPrefix(entity, String(record.Id))}${version}`;
}

function recordPrefix(entity: string, id: string): string {
	return `${entity}:${id}@`;
}

/** True when some change of this record is still remembered in `seen` (an earlier poll processed it). */
export function recordSeen(seen: Record<string, number>, entity: string, id: string): boolean {
	const prefix = recordPrefix(entity, id);
	return Object.keys(seen).some((key) => key.startsWith(prefix));
}

/** True when this change (this record at this timestamp, or a later one) was already processed. */
export function alreadySeen(seen: Record<string, number>, key: string, changedAtMs: number): boolean {
	const previous = seen[key];
	return previous !== undefined && previous >= changedAtMs;
}

/**
 * The cursor after a poll. `processedUpToMs` is the point every change before which has now been
 * processed: the last change read when the read stopped early, else QuickBooks' clock when it
 * answered. The cursor never moves back, and `seen` keeps only what the next
 * window can return again.
 */
export function advanceCursor(state: CursorState, seen: Record<string, number>, processedUpToMs: number, overlapMs: number): CursorState {
	const next: CursorState = { ...state, cursorMs: Math.max(state.cursorMs, processedUpToMs), seen: {} };
	const keepFrom = windowStart(next, overlapMs);
	for (const [key, changedAt] of Object.entries(seen)) {
		if (changedAt >= keepFrom) next.seen[key] = changedAt;
	}
	return next;
}
