/**
 * The request pipeline every simulator runs. `/__sandbox/*` control paths go to the control
 * router (never faulted, limited or logged); every other request goes
 *   concurrency gauge → injected fault → resolve → authenticate → limit → route → reply,
 * logged once in the RequestLog; the four middle stages are the simulator's own (`stages`).
 * Nothing a client sends can throw out of it: every error becomes the simulator's error reply.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { CONTROL_PREFIX, type ControlRouter } from './control';
import { applyTransportFault, type FaultDecision, type FaultInjector } from './faults';
import { readBody } from './http';
import type { ConcurrencyGauge } from './rateLimit';
import type { LoggedRequest, RequestLog } from './requestLog';
import { writeReply, type Reply } from './reply';

/** One API request on its way through the pipeline. */
export interface Exchange<R> {
	req: IncomingMessage;
	res: ServerResponse;
	url: URL;
	/** Upper case. */
	method: string;
	path: string;
	/** What `classify` made of the request; the stages add what they learn (principal, realm, …). */
	call: R;
	/** The log's normalized endpoint; a stage may refine it once it knows the route. */
	endpoint: string;
	/** Requests in flight under the same gauge key when this one arrived, including itself. */
	concurrent: number;
	/** The request body, read once. */
	body(): Promise<Buffer>;
	/** Runs right after the reply is written. */
	afterReply?: () => void;
}

/** The simulator's own stages, run in this order after the fault stage; any may throw its API's error. */
export interface ApiStages<R> {
	/** Finds the route (HubSpot reads the body and matches its table here). */
	resolve?(x: Exchange<R>): Promise<void>;
	/** Checks the credentials the route needs. */
	authenticate?(x: Exchange<R>): void;
	/** Counts the call against the rate limits. */
	limit?(x: Exchange<R>): void;
	/** Answers the call. */
	route(x: Exchange<R>): Promise<Reply>;
}

export interface PipelineSpec<R> {
	api: LoggedRequest['api'];
	log: RequestLog;
	control: ControlRouter;
	/** Default 10 MB. */
	bodyLimitBytes?: number;
	/** Read the body before anything else, control paths included; a failure is logged as an error reply. */
	readBodyFirst?: boolean;
	/** The answer to a URL that cannot be parsed; absent = serve it as "/". */
	badUrlReply?: Reply;
	/** What the stages need to know of the call, the log's endpoint and the gauge key, before any fault. */
	classify(method: string, path: string): { call: R; endpoint: string; gaugeKey: string };
	/** Absent: `concurrent` is always 1. */
	gauge?: ConcurrencyGauge;
	/** Fault injection, and the body of an injected 429 / 500 / 503. */
	faults?: { injector: FaultInjector; reply(decision: FaultDecision, x: Exchange<R>): Reply };
	/**
	 * true: a request whose socket closes unanswered (dropped, hung, client gone) is logged then,
	 * with status 0. false: a dropped or hung request is logged with status 0 as soon as its fault is decided.
	 */
	logOnClose: boolean;
	stages: ApiStages<R>;
	errorReply(err: unknown): Reply;
	/** Writes an API reply with the simulator's own headers; default writeReply. */
	write?(res: ServerResponse, reply: Reply): void;
}

const DEFAULT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;
const NO_FAULT: FaultDecision = { kind: 'none' };

function parseUrl(raw: string | undefined): URL | undefined {
	try {
		return new URL(raw ?? '/', 'http://sandbox.local');
	} catch {
		return undefined;
	}
}

function memo<T>(load: () => Promise<T>): () => Promise<T> {
	let promise: Promise<T> | undefined;
	return () => (promise ??= load());
}

export function createPipeline<R>(spec: PipelineSpec<R>): (req: IncomingMessage, res: ServerResponse) => void {
	return (req, res) => {
		void serve(spec, req, res).catch(() => {
			// Last resort: never let an error escape into the server.
			if (!res.headersSent) writeReply(res, spec.errorReply(new Error('unexpected')));
			else res.destroy();
		});
	};
}

async function serve<R>(spec: PipelineSpec<R>, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const started = Date.now();
	const method = (req.method ?? 'GET').toUpperCase();
	const parsed = parseUrl(req.url);
	if (!parsed && spec.badUrlReply) return writeReply(res, spec.badUrlReply);
	const url = parsed ?? new URL('http://sandbox.local/');
	const body = memo(() => readBody(req, spec.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES));
	let unreadable: { err: unknown } | undefined;
	if (spec.readBodyFirst) await body().catch((err: unknown) => (unreadable = { err }));
	if (url.pathname.startsWith(CONTROL_PREFIX) && !unreadable) {
		return writeReply(res, await spec.control(method, url.pathname, body));
	}
	const { call, endpoint, gaugeKey } = spec.classify(method, url.pathname);
	const x: Exchange<R> = { req, res, url, method, path: url.pathname, call, endpoint, concurrent: 1, body };
	await serveApi(spec, x, started, gaugeKey, unreadable);
}

async function runStages<R>(stages: ApiStages<R>, x: Exchange<R>): Promise<Reply> {
	await stages.resolve?.(x);
	stages.authenticate?.(x);
	stages.limit?.(x);
	return stages.route(x);
}

async function serveApi<R>(
	spec: PipelineSpec<R>,
	x: Exchange<R>,
	started: number,
	gaugeKey: string,
	unreadable: { err: unknown } | undefined,
): Promise<void> {
	if (spec.gauge) x.concurrent = spec.gauge.enter(gaugeKey);
	let fault: string | undefined;
	let detail: string | undefined;
	let finished = false;
	// Leave the gauge and log exactly once.
	const finish = (status: number) => {
		if (finished) return;
		finished = true;
		spec.gauge?.leave(gaugeKey);
		const { method, path, endpoint, concurrent } = x;
		spec.log.add({ t: started, api: spec.api, method, path, endpoint, status, ms: Date.now() - started, fault, concurrent, detail });
	};
	if (spec.logOnClose) x.res.on('close', () => finish(x.res.headersSent ? x.res.statusCode : 0));

	let reply: Reply;
	try {
		if (unreadable) throw unreadable.err;
		const decision = spec.faults?.injector.decide(x.method, x.path) ?? NO_FAULT;
		if (decision.kind !== 'none') fault = decision.kind;
		const action = await applyTransportFault(x.res, decision);
		if (action === 'handled') {
			if (!spec.logOnClose) finish(0);
			return;
		}
		reply = action === 'respond' && spec.faults ? spec.faults.reply(decision, x) : await runStages(spec.stages, x);
	} catch (err) {
		reply = spec.errorReply(err);
	}
	if (reply.detail !== undefined) detail = reply.detail;
	finish(reply.status);
	(spec.write ?? writeReply)(x.res, reply);
	x.afterReply?.();
}
