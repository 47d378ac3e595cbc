/**
 * The trigger's cursor (kept in workflow static data) and the search window it implies. Plain
 * functions without n8n, unit-tested on their own.
 *
 * The cursor is the timestamp of the last invoice processed plus the ids already processed at that
 * exact millisecond (and, with a lookback, within the lookback before it), so equal timestamps
 * neither duplicate nor drop an invoice, and a poll that stopped early continues exactly.
 */
export type CursorProperty = 'hs_lastmodifieddate' | 'hs_createdate';

export interface CursorState {
	version: 1;
	/** The invoice property the cursor follows (creation time for "Invoice Created", else last modification). */
	property: CursorProperty;
	/** Timestamp (epoch ms) of the last invoice processed (emitted or skipped). */
	cursorMs: number;
	/** Invoices already processed at or after the window start of the next poll: id → its timestamp then. */
	seen: Record<string, number>;
	/** Nothing older than this is ever emitted (the activation time, or "Backfill Since"). */
	floorMs: number;
	/** The "Backfill Since" value the cursor was started from (a new value restarts the backfill). */
	backfillSince: string | null;
	/** When the last successful poll started (local clock, epoch ms). */
	lastPollAt: number;
}

export function isCursorState(value: unknown): value is CursorState {
	const state = value as CursorState | undefined;
	return (
		!!state &&
		state.version === 1 &&
		typeof state.cursorMs === 'number' &&
		Number.isFinite(state.cursorMs) &&
		typeof state.seen === 'object' &&
		state.seen !== null
	);
}

export function newCursor(property: CursorProperty, startMs: number, options: { backfillSince?: string | null; now: number; seen?: Record<string, number> }): CursorState {
	return {
		version: 1,
		property,
		cursorMs: startMs,
		seen: { ...(options.seen ?? {}) },
		floorMs: startMs,
		backfillSince: options.backfillSince ?? null,
		lastPollAt: options.now,
	};
}

/**
 * Where a poll starts searching: the cursor, or up to `lookbackMs` earlier when the last poll ran
 * close to the cursor (HubSpot's search index can lag a few seconds behind a change, so an
 * invoice changed just before the last poll may only now be searchable). Never before the floor.
 */
export function windowStart(state: CursorState, lookbackMs: number): number {
	const lookbackFrom = Math.max(state.cursorMs, state.lastPollAt) - Math.max(0, lookbackMs);
	return Math.max(state.floorMs, Math.min(state.cursorMs, lookbackFrom));
}

/** True when the invoice was already processed at this timestamp (or a later one). */
export function alreadySeen(seen: Record<string, number>, id: string, timestampMs: number): boolean {
	const previous = seen[id];
	return previous !== undefined && previous >= timestampMs;
}

/**
 * The cursor after a poll that processed invoices up to `lastProcessedMs`: it never moves back,
 * and `seen` keeps only what the next poll's window can return again.
 */
export function advanceCursor(state: CursorState, seen: Record<string, number>, lastProcessedMs: number, pollStartedAt: number, lookbackMs: number): CursorState {
	const cursorMs = Math.max(state.cursorMs, lastProcessedMs);
	const next: CursorState = { ...state, cursorMs, lastPollAt: pollStartedAt, seen: {} };
	const keepFrom = windowStart(next, lookbackMs);
	for (const [id, timestamp] of Object.entries(seen)) {
		if (timestamp >= keepFrom) next.seen[id] = timestamp;
	}
	return next;
}
