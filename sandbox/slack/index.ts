/**
 * Slack incoming-webhook sink: `POST /services/T…/B…/…` records the message and answers `ok`
 * (text/plain, as Slack does). Invalid JSON → 400 `invalid_payload`; a payload with neither
 * text nor blocks → 400 `no_text` (Slack's answers).
 */
import type { ServerResponse } from 'http';
import { act, createControlRouter, type ControlRouter } from '../common/control';
import { simulatorServer, withServer, type SimulatorServer } from '../common/http';
import { createPipeline, type Exchange } from '../common/pipeline';
import { writeReply, type Reply } from '../common/reply';
import { RequestLog } from '../common/requestLog';

export interface SlackMessage {
	text?: string;
	blocks?: unknown[];
	/** The whole posted payload (attachments, username, …). */
	payload: Record<string, unknown>;
	receivedAt: string;
	path: string;
}

export interface SlackSinkOptions {
	log?: RequestLog;
	/** The webhook path handed out by `webhookUrl` (any path under /services/ is accepted). */
	webhookPath?: string;
}

export interface SlackSink extends SimulatorServer {
	/** Full incoming-webhook URL (after listen). */
	readonly webhookUrl: string;
	messages: SlackMessage[];
	log: RequestLog;
	snapshot(): { messages: SlackMessage[] };
	reset(): void;
	/** Resolves once `count` messages have arrived (or rejects after timeoutMs). */
	waitForMessages(count: number, timeoutMs?: number): Promise<SlackMessage[]>;
}

export const DEFAULT_WEBHOOK_PATH = '/services/T000SANDBOX/B000SANDBOX/sandboxWebhookSecret000000';

function sendText(res: ServerResponse, status: number, text: string): void {
	if (res.headersSent || res.writableEnded || res.destroyed) return;
	res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
	res.end(text);
}

const BODY_LIMIT_BYTES = 1024 * 1024;

/** A Slack answer: plain text, as Slack's webhooks give. */
function text(status: number, body: string): Reply {
	return { status, text: body };
}

/** The sink's `/__sandbox/*` control paths. */
function slackControlRouter(c: { messages: () => SlackMessage[]; reset: () => void; log: RequestLog }): ControlRouter {
	return createControlRouter<undefined>({
		readBody: () => undefined,
		routes: [
			{ method: 'GET', path: 'state', handle: () => ({ status: 200, json: { messages: c.messages() } }) },
			{ method: 'POST', path: 'reset', handle: act(c.reset) },
			{ method: 'GET', path: 'log', handle: () => ({ status: 200, json: { entries: c.log.entries.filter((e) => e.api === 'slack') } }) },
			// The sink has no faults to inject; accept the call so tooling can treat all servers alike.
			{ method: 'POST', path: 'faults', handle: () => ({ status: 200, json: { ok: true } }) },
		],
		notFound: () => ({ status: 404, json: { ok: false, error: 'unknown_control_path' } }),
		failed: () => ({ status: 500, json: { ok: false, error: 'internal_error' } }),
	});
}

/** Slack accepts JSON bodies and form bodies carrying a `payload=<json>` field. */
function parsePayload(raw: string, contentType: string): Record<string, unknown> | undefined {
	let text = raw;
	if (contentType.includes('application/x-www-form-urlencoded')) {
		text = new URLSearchParams(raw).get('payload') ?? '';
	}
	try {
		const parsed = JSON.parse(text);
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/** The message a webhook call carries, or Slack's error answer for it. */
async function readMessage(x: Exchange<undefined>): Promise<SlackMessage | Reply> {
	const payload = parsePayload((await x.body()).toString('utf8'), String(x.req.headers['content-type'] ?? ''));
	if (!payload) return text(400, 'invalid_payload');
	const hasText = typeof payload.text === 'string' && payload.text.trim() !== '';
	const blocks = Array.isArray(payload.blocks) ? payload.blocks : undefined;
	if (!hasText && !blocks?.length && !Array.isArray(payload.attachments)) return text(400, 'no_text');
	return {
		text: typeof payload.text === 'string' ? payload.text : undefined,
		blocks,
		payload,
		receivedAt: new Date().toISOString(),
		path: x.path,
	};
}

/** The messages received, and the callers waiting for a number of them. */
class Inbox {
	messages: SlackMessage[] = [];
	private readonly waiters: { count: number; resolve: (m: SlackMessage[]) => void }[] = [];

	add(message: SlackMessage): void {
		this.messages.push(message);
	}

	/** Resolves the waiters whose count has arrived. */
	notify(): void {
		for (const w of [...this.waiters]) {
			if (this.messages.length >= w.count) {
				this.waiters.splice(this.waiters.indexOf(w), 1);
				w.resolve(this.messages.slice());
			}
		}
	}

	waitFor(count: number, timeoutMs: number): Promise<SlackMessage[]> {
		if (this.messages.length >= count) return Promise.resolve(this.messages.slice());
		return new Promise((resolve, reject) => {
			const waiter = { count, resolve };
			this.waiters.push(waiter);
			const timer = setTimeout(() => {
				this.waiters.splice(this.waiters.indexOf(waiter), 1);
				reject(new Error(`Slack sink: expected ${count} messages, got ${this.messages.length} within ${timeoutMs} ms`));
			}, timeoutMs);
			waiter.resolve = (m) => {
				clearTimeout(timer);
				resolve(m);
			};
		});
	}
}

/** The webhook: any POST under /services/ (logged as one endpoint). */
async function receive(inbox: Inbox, x: Exchange<undefined>): Promise<Reply> {
	if (!x.path.startsWith('/services/')) return text(404, 'no_service');
	x.endpoint = 'POST /services/:webhook';
	if (x.method !== 'POST') return text(405, 'invalid_method');
	const message = await readMessage(x);
	if ('status' in message) return message;
	inbox.add(message);
	x.afterReply = () => inbox.notify();
	return text(200, 'ok');
}

export function createSlackSink(opts: SlackSinkOptions = {}): SlackSink {
	const log = opts.log ?? new RequestLog();
	const webhookPath = opts.webhookPath ?? DEFAULT_WEBHOOK_PATH;
	const inbox = new Inbox();
	const reset = () => {
		inbox.messages = [];
		log.entries = log.entries.filter((e) => e.api !== 'slack');
	};
	const handler = createPipeline<undefined>({
		api: 'slack',
		log,
		control: slackControlRouter({ messages: () => inbox.messages, reset, log }),
		bodyLimitBytes: BODY_LIMIT_BYTES,
		// The sink reads every body first: one too large fails as a logged 500, control paths included.
		readBodyFirst: true,
		classify: (method, path) => ({ call: undefined, endpoint: `${method} ${path}`, gaugeKey: 'slack' }),
		logOnClose: false,
		stages: { route: (x) => receive(inbox, x) },
		errorReply: () => text(500, 'internal_error'),
		write: (res, reply) => (reply.text !== undefined ? sendText(res, reply.status, reply.text) : writeReply(res, reply)),
	});
	const httpSide = simulatorServer(handler);
	return withServer<SlackSink>(httpSide, {
		get webhookUrl() {
			return httpSide.baseUrl + webhookPath;
		},
		get messages() {
			return inbox.messages;
		},
		set messages(m: SlackMessage[]) {
			inbox.messages = m;
		},
		log,
		snapshot: () => ({ messages: inbox.messages.slice() }),
		reset,
		waitForMessages: (count: number, timeoutMs = 10_000) => inbox.waitFor(count, timeoutMs),
	});
}
