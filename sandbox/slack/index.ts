/**
 * Slack incoming-webhook sink: `POST /services/T…/B…/…` records the message and answers `ok`
 * (text/plain, as Slack does). Invalid JSON → 400 `invalid_payload`; a payload with neither
 * text nor blocks → 400 `no_text` (Slack's answers).
 */
import { createServer, type Server, type ServerResponse } from 'http';
import { closeServer, listen, readBody, sendJson, type SimulatorServer } from '../common/http';
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

export function createSlackSink(opts: SlackSinkOptions = {}): SlackSink {
	const log = opts.log ?? new RequestLog();
	const webhookPath = opts.webhookPath ?? DEFAULT_WEBHOOK_PATH;
	let messages: SlackMessage[] = [];
	let baseUrl = '';
	const waiters: { count: number; resolve: (m: SlackMessage[]) => void }[] = [];

	function notify(): void {
		for (const w of [...waiters]) {
			if (messages.length >= w.count) {
				waiters.splice(waiters.indexOf(w), 1);
				w.resolve(messages.slice());
			}
		}
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

	const server = createServer(async (req, res) => {
		const started = Date.now();
		const method = (req.method ?? 'GET').toUpperCase();
		let path = '/';
		try {
			path = new URL(req.url ?? '/', 'http://sandbox.local').pathname;
		} catch {
			/* keep '/' */
		}
		const record = (status: number, endpoint: string) =>
			log.add({ t: started, api: 'slack', method, path, endpoint, status, ms: Date.now() - started, concurrent: 1 });
		try {
			const raw = (await readBody(req, 1024 * 1024)).toString('utf8');
			if (path.startsWith('/__sandbox/')) {
				if (method === 'GET' && path === '/__sandbox/state') return sendJson(res, 200, { messages });
				if (method === 'POST' && path === '/__sandbox/reset') {
					sink.reset();
					return sendJson(res, 200, { ok: true });
				}
				if (method === 'GET' && path === '/__sandbox/log') {
					return sendJson(res, 200, { entries: log.entries.filter((e) => e.api === 'slack') });
				}
				// The sink has no faults to inject; accept the call so tooling can treat all servers alike.
				if (method === 'POST' && path === '/__sandbox/faults') return sendJson(res, 200, { ok: true });
				return sendJson(res, 404, { ok: false, error: 'unknown_control_path' });
			}
			if (!path.startsWith('/services/')) {
				sendText(res, 404, 'no_service');
				return record(404, `${method} ${path}`);
			}
			const endpoint = 'POST /services/:webhook';
			if (method !== 'POST') {
				sendText(res, 405, 'invalid_method');
				return record(405, endpoint);
			}
			const payload = parsePayload(raw, String(req.headers['content-type'] ?? ''));
			if (!payload) {
				sendText(res, 400, 'invalid_payload');
				return record(400, endpoint);
			}
			const hasText = typeof payload.text === 'string' && payload.text.trim() !== '';
			const blocks = Array.isArray(payload.blocks) ? payload.blocks : undefined;
			if (!hasText && !blocks?.length && !Array.isArray(payload.attachments)) {
				sendText(res, 400, 'no_text');
				return record(400, endpoint);
			}
			messages.push({
				text: typeof payload.text === 'string' ? payload.text : undefined,
				blocks,
				payload,
				receivedAt: new Date().toISOString(),
				path,
			});
			sendText(res, 200, 'ok');
			record(200, endpoint);
			notify();
		} catch {
			sendText(res, 500, 'internal_error');
			record(500, `${method} ${path}`);
		}
	});

	const sink: SlackSink = {
		server,
		async listen(port?: number) {
			baseUrl = await listen(server, port ?? 0);
			return baseUrl;
		},
		close: () => closeServer(server),
		get baseUrl() {
			return baseUrl;
		},
		get webhookUrl() {
			return baseUrl + webhookPath;
		},
		get messages() {
			return messages;
		},
		set messages(m: SlackMessage[]) {
			messages = m;
		},
		log,
		snapshot: () => ({ messages: messages.slice() }),
		reset() {
			messages = [];
			log.entries = log.entries.filter((e) => e.api !== 'slack');
		},
		waitForMessages(count: number, timeoutMs = 10_000) {
			if (messages.length >= count) return Promise.resolve(messages.slice());
			return new Promise((resolve, reject) => {
				const waiter = { count, resolve };
				waiters.push(waiter);
				const timer = setTimeout(() => {
					waiters.splice(waiters.indexOf(waiter), 1);
					reject(new Error(`Slack sink: expected ${count} messages, got ${messages.length} within ${timeoutMs} ms`));
				}, timeoutMs);
				waiter.resolve = (m) => {
					clearTimeout(timer);
					resolve(m);
				};
			});
		},
	};
	return sink;
}
