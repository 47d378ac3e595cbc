/**
 * The `/__sandbox/*` control paths (state, reset, log, faults, …): each simulator lists its own
 * in a table, one dispatcher serves them. Control calls skip faults, auth, limits and the log.
 */
import type { Reply } from './reply';

export const CONTROL_PREFIX = '/__sandbox/';

export interface ControlCall<B> {
	method: string;
	/** The whole path, e.g. "/__sandbox/state". */
	path: string;
	/** Groups of a RegExp route. */
	params: string[];
	body: B;
}

export interface ControlRoute<B> {
	method: string;
	/** The path after /__sandbox/: a name, or a RegExp tested against it. */
	path: string | RegExp;
	handle(call: ControlCall<B>): Reply | Promise<Reply>;
}

export interface ControlTable<B> {
	routes: ControlRoute<B>[];
	/** Turns the request body into what the handlers get; runs before routing. */
	readBody(read: () => Promise<Buffer>): B | Promise<B>;
	notFound(method: string, path: string): Reply;
	/** The answer when reading the body or a handler throws. */
	failed(err: unknown): Reply;
}

export type ControlRouter = (method: string, path: string, read: () => Promise<Buffer>) => Promise<Reply>;

/** A control path that does one thing and answers {ok: true}. */
export function act(run: () => void): () => Reply {
	return () => {
		run();
		return { status: 200, json: { ok: true } };
	};
}

function paramsOf(route: ControlRoute<unknown>, name: string): string[] | undefined {
	if (typeof route.path === 'string') return route.path === name ? [] : undefined;
	return route.path.exec(name)?.slice(1);
}

export function createControlRouter<B>(table: ControlTable<B>): ControlRouter {
	return async (method, path, read) => {
		try {
			const body = await table.readBody(read);
			const name = path.slice(CONTROL_PREFIX.length);
			for (const route of table.routes) {
				const params = route.method === method ? paramsOf(route, name) : undefined;
				if (params) return await route.handle({ method, path, params, body });
			}
			return table.notFound(method, path);
		} catch (err) {
			return table.failed(err);
		}
	};
}

