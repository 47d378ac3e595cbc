/** The QuickBooks simulator's `/__sandbox/*` control paths. */
import { act, createControlRouter, type ControlRouter } from '../common/control';
import type { FaultConfig } from '../common/faults';
import type { RequestLog } from '../common/requestLog';
import type { ClockChange } from '../common/clock';

export interface QboControls {
	log: RequestLog;
	snapshot: () => unknown;
	reset: () => void;
	setFaults: (f?: FaultConfig) => void;
	issueTokens: (clientId: string, realmId: string) => unknown;
	expireAccessTokens: () => void;
	/** Skews, advances or freezes the company clock (MetaData times, CDC's window, `time`). */
	setClock: (change: ClockChange) => Date;
}

/** Bodies are read only by the paths that take one. */
export function quickBooksControlRouter(c: QboControls): ControlRouter {
	type Read = () => Promise<Buffer>;
	return createControlRouter<Read>({
		readBody: (read) => read,
		routes: [
			{ method: 'GET', path: 'state', handle: () => ({ status: 200, json: c.snapshot() }) },
			{ method: 'POST', path: 'reset', handle: act(c.reset) },
			{
				method: 'GET',
				path: 'log',
				handle: () => ({ status: 200, json: { entries: c.log.entries, countsByEndpoint: c.log.countsByEndpoint(), maxConcurrent: c.log.maxConcurrent() } }),
			},
			{ method: 'DELETE', path: 'log', handle: act(() => c.log.clear()) },
			{ method: 'POST', path: 'faults', handle: async ({ body }) => setFaults(c, (await body()).toString('utf8')) },
			{ method: 'POST', path: 'tokens', handle: ({ body }) => issueTokens(c, body) },
			{ method: 'POST', path: 'expire-tokens', handle: act(c.expireAccessTokens) },
			{ method: 'POST', path: 'clock', handle: ({ body }) => setClock(c, body) },
		],
		notFound: (method, path) => ({ status: 404, json: { error: `Unknown sandbox control path ${method} ${path}` } }),
		failed: (err) => ({ status: 500, json: { error: (err as Error)?.message ?? String(err) } }),
	});
}

function setFaults(c: QboControls, text: string) {
	let cfg: FaultConfig | undefined;
	try {
		cfg = text.trim() ? JSON.parse(text) : undefined;
		c.setFaults(cfg ?? undefined);
	} catch (err) {
		return { status: 400, json: { error: `Invalid fault configuration: ${(err as Error).message}` } };
	}
	return { status: 200, json: { ok: true, faults: cfg ?? {} } };
}

/** Issues tokens without the browser flow: body {clientId, realmId}. */
async function issueTokens(c: QboControls, read: () => Promise<Buffer>) {
	try {
		const { clientId, realmId } = JSON.parse((await read()).toString('utf8') || '{}');
		return { status: 200, json: c.issueTokens(clientId, realmId) };
	} catch (err) {
		return { status: 400, json: { error: (err as Error).message } };
	}
}

/** Body {advanceMs?, offsetMs?, freezeAt?}; answers the clock's new time. */
async function setClock(c: QboControls, read: () => Promise<Buffer>) {
	try {
		const change = JSON.parse((await read()).toString('utf8') || '{}');
		return { status: 200, json: { now: c.setClock(change).toISOString() } };
	} catch (err) {
		return { status: 400, json: { error: (err as Error).message } };
	}
}
