/**
 * A loopback HTTP proxy in front of a sandbox simulator that can lose answers the way a network
 * or a crash does: forward a request, let the server process it, then destroy the connection
 * before the client sees the answer ("dropAfter"); or cut a request before it reaches the
 * server ("refuse").
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

export type ProxyDecision = 'pass' | 'dropAfter' | 'refuse';

export interface ProxiedRequest {
	method: string;
	path: string;
	body: string;
}

export interface DroppingProxy {
	url: string;
	/** What happened to each request, in arrival order. */
	seen: Array<ProxiedRequest & { decision: ProxyDecision }>;
	decide: (request: ProxiedRequest) => ProxyDecision;
	close(): Promise<void>;
}

export async function startDroppingProxy(target: string, decide: (request: ProxiedRequest) => ProxyDecision = () => 'pass'): Promise<DroppingProxy> {
	const targetUrl = new URL(target);
	const proxy: DroppingProxy = { url: '', seen: [], decide, close: async () => undefined };
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const request: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', body: body.toString('utf8') };
			const decision = proxy.decide(request);
			proxy.seen.push({ ...request, decision });
			if (decision === 'refuse') {
				req.socket.destroy();
				return;
			}
			const upstream = http.request(
				{ host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers: { ...req.headers, host: targetUrl.host } },
				(answer) => {
					const parts: Buffer[] = [];
					answer.on('data', (chunk: Buffer) => parts.push(chunk));
					answer.on('end', () => {
						if (decision === 'dropAfter') {
							// The server has done the work; the client never hears about it.
							req.socket.destroy();
							return;
						}
						res.writeHead(answer.statusCode ?? 502, answer.headers);
						res.end(Buffer.concat(parts));
					});
				},
			);
			upstream.on('error', () => req.socket.destroy());
			upstream.end(body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	proxy.close = async () => {
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	};
	return proxy;
}

/** A /batch call that writes invoices (creates, updates or voids), as opposed to queries or other records. */
export function isInvoiceWriteBatch(request: ProxiedRequest): boolean {
	return request.method === 'POST' && /\/batch(\?|$)/.test(request.path) && /"operation"\s*:/.test(request.body) && /"Invoice"\s*:/.test(request.body);
}
