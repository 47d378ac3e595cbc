/**
 * A recording HTTP proxy put between the nodes and a simulator. It sees each exchange whole
 * (method, URL with query, request body, status, timing), and hooks can act at the two moments
 * that matter for exactly-once writes: before the request reaches the server (hold it, or never
 * deliver it) and after the server answered but before the client hears back (lose the answer).
 */
import http from 'http';
import type { AddressInfo, Socket } from 'net';

export interface Exchange {
	seq: number;
	method: string;
	/** Path and query as the client sent them. */
	url: string;
	body: string;
	startedAt: number;
	/** When the server's answer was complete (before hooks). */
	answeredAt?: number;
	status?: number;
	/** The server's answer body (text). */
	response?: string;
	/** 'answered' | 'dropped-before-server' | 'dropped-after-server' | 'upstream-error' */
	fate?: string;
	/** Exchanges in flight (arrived, not yet answered or dropped) when this one arrived, itself included. */
	inFlight: number;
}

/** 'drop' cuts the client's connection; an answer object is sent to the client instead of the server's. */
export type HookResult = void | 'drop' | { status: number; body: unknown };

export interface ProxyHooks {
	/** Before forwarding. 'drop' cuts the client's connection and never forwards the request. */
	beforeServer?(exchange: Exchange): HookResult | Promise<HookResult>;
	/** The server answered; 'drop' cuts the client's connection instead of relaying the answer. */
	afterServer?(exchange: Exchange): HookResult | Promise<HookResult>;
}

export interface RecordingProxy {
	url: string;
	exchanges: Exchange[];
	hooks: ProxyHooks;
	close(): Promise<void>;
}

export async function startProxy(target: string, hooks: ProxyHooks = {}): Promise<RecordingProxy> {
	const upstream = new URL(target);
	const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	const exchanges: Exchange[] = [];
	const sockets = new Set<Socket>();
	let inFlight = 0;
	const proxy: RecordingProxy = {
		url: '',
		exchanges,
		hooks,
		async close() {
			for (const socket of sockets) socket.destroy();
			agent.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};

	const server = http.createServer((req, res) => {
		// Writing to a client the test killed must not throw.
		res.on('error', () => undefined);
		req.on('error', () => undefined);
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			void (async () => {
				inFlight++;
				const exchange: Exchange = {
					seq: exchanges.length + 1,
					method: (req.method ?? 'GET').toUpperCase(),
					url: req.url ?? '/',
					body: Buffer.concat(chunks).toString('utf8'),
					startedAt: Date.now(),
					inFlight,
				};
				exchanges.push(exchange);
				let settled = false;
				const settle = (fate: string) => {
					if (settled) return;
					settled = true;
					inFlight--;
					exchange.fate = fate;
				};
				try {
					const before = await proxy.hooks.beforeServer?.(exchange);
					if (before === 'drop') {
						settle('dropped-before-server');
						req.socket.destroy();
						return;
					}
					if (before) {
						settle('answered-by-proxy');
						exchange.status = before.status;
						exchange.answeredAt = Date.now();
						const text = JSON.stringify(before.body);
						res.writeHead(before.status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
						res.end(text);
						return;
					}
					const answer = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
						const forward = http.request(
							{
								host: upstream.hostname,
								port: upstream.port,
								method: exchange.method,
								path: exchange.url,
								headers: { ...req.headers, host: upstream.host },
								agent,
							},
							(response) => {
								const parts: Buffer[] = [];
								response.on('data', (chunk: Buffer) => parts.push(chunk));
								response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(parts) }));
								response.on('error', reject);
							},
						);
						forward.on('error', reject);
						forward.end(Buffer.concat(chunks));
					});
					exchange.answeredAt = Date.now();
					exchange.status = answer.status;
					exchange.response = answer.body.toString('utf8');
					if ((await proxy.hooks.afterServer?.(exchange)) === 'drop') {
						settle('dropped-after-server');
						req.socket.destroy();
						return;
					}
					settle('answered');
					const headers = { ...answer.headers };
					delete headers['transfer-encoding'];
					headers['content-length'] = String(answer.body.length);
					if (!res.destroyed) {
						res.writeHead(answer.status, headers);
						res.end(answer.body);
					}
				} catch {
					// The server cut the connection (an injected drop or hang): the client sees the same.
					settle('upstream-error');
					req.socket.destroy();
				}
			})();
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.on('clientError', (_error, socket) => socket.destroy());
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return proxy;
}

/** The QuickBooks operations a /batch request carries: entity and operation per item ("Invoice:create", "query"). */
export function batchOperations(exchange: Pick<Exchange, 'body'>): string[] {
	try {
		const body = JSON.parse(exchange.body) as { BatchItemRequest?: Array<Record<string, unknown>> };
		return (body.BatchItemRequest ?? []).map((item) => {
			if (item.Query !== undefined) return 'query';
			const entity = Object.keys(item).find((key) => /^[A-Z]/.test(key)) ?? '?';
			return `${entity}:${String(item.operation ?? '')}${item.optionsData ? `:${String(item.optionsData)}` : ''}`;
		});
	} catch {
		return [];
	}
}

export function isInvoiceWrite(exchange: Pick<Exchange, 'method' | 'url' | 'body'>): boolean {
	return exchange.method === 'POST' && /\/batch(\?|$)/.test(exchange.url) && batchOperations(exchange).some((op) => op.startsWith('Invoice:'));
}

export function isCustomerWrite(exchange: Pick<Exchange, 'method' | 'url' | 'body'>): boolean {
	return exchange.method === 'POST' && /\/batch(\?|$)/.test(exchange.url) && batchOperations(exchange).some((op) => op.startsWith('Customer:'));
}
