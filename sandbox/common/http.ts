/** Small HTTP helpers shared by the sandbox simulators (Node built-ins only). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo, Socket } from 'net';
import type { Duplex } from 'stream';

/** Error raised by readBody when the body exceeds the limit; carries the HTTP status to answer. */
export class BodyTooLargeError extends Error {
	readonly statusCode = 413;
	constructor(limitBytes: number) {
		super(`Request body larger than ${limitBytes} bytes`);
	}
}

/** Reads the whole request body. Rejects with BodyTooLargeError past `limitBytes` (default 10 MB). */
export function readBody(req: IncomingMessage, limitBytes = 10 * 1024 * 1024): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let failed = false;
		req.on('data', (chunk: Buffer) => {
			if (failed) return;
			size += chunk.length;
			if (size > limitBytes) {
				failed = true;
				// Keep draining (no destroy) so the caller can still answer 413.
				reject(new BodyTooLargeError(limitBytes));
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => {
			if (!failed) resolve(Buffer.concat(chunks));
		});
		req.on('error', (err) => {
			if (!failed) {
				failed = true;
				reject(err);
			}
		});
	});
}

/** Sends a JSON response. Silently does nothing if the response was already sent or the socket is gone. */
export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	if (res.headersSent || res.writableEnded || res.destroyed) return;
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json;charset=UTF-8',
		'Content-Length': String(Buffer.byteLength(text)),
		...headers,
	});
	res.end(text);
}

// Open sockets per server, so closeServer can end keep-alive and deliberately hung connections.
const socketsByServer = new WeakMap<Server, Set<Socket>>();

function trackSockets(server: Server): void {
	if (socketsByServer.has(server)) return;
	const sockets = new Set<Socket>();
	socketsByServer.set(server, sockets);
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
}

/** What every simulator exposes of its HTTP server. */
export interface SimulatorServer {
	server: Server;
	/** Starts on 127.0.0.1 (port 0 = any free port); resolves the base URL. */
	listen(port?: number): Promise<string>;
	close(): Promise<void>;
	/** http://127.0.0.1:PORT once listening, '' before. */
	readonly baseUrl: string;
}

/** Starts listening (port 0 = any free port, loopback by default) and resolves the base URL. */
export function listen(server: Server, port = 0, host = '127.0.0.1'): Promise<string> {
	trackSockets(server);
	return new Promise((resolve, reject) => {
		const onError = (err: Error) => reject(err);
		server.once('error', onError);
		server.listen(port, host, () => {
			server.removeListener('error', onError);
			const address = server.address() as AddressInfo;
			const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
			resolve(`http://${shownHost}:${address.port}`);
		});
	});
}

/** Stops the server and destroys every open socket (keep-alive, hung "timeout" faults), then resolves. */
export function closeServer(server: Server): Promise<void> {
	return new Promise((resolve) => {
		if (!server.listening) {
			resolve();
			return;
		}
		server.close(() => resolve());
		for (const socket of socketsByServer.get(server) ?? []) socket.destroy();
		const maybeCloseAll = (server as unknown as { closeAllConnections?: () => void }).closeAllConnections;
		if (typeof maybeCloseAll === 'function') maybeCloseAll.call(server);
	});
}

/**
 * A simulator's HTTP side: a server running `handler`, listening on loopback, closing with all
 * its sockets. `onClientError` answers a request Node cannot parse (default: Node's own answer).
 */
export function simulatorServer(
	handler: (req: IncomingMessage, res: ServerResponse) => void,
	onClientError?: (err: Error, socket: Duplex) => void,
): SimulatorServer {
	const server = createServer(handler);
	if (onClientError) server.on('clientError', onClientError);
	let baseUrl = '';
	return {
		server,
		async listen(port = 0) {
			baseUrl = await listen(server, port);
			return baseUrl;
		},
		close: () => closeServer(server),
		get baseUrl() {
			return baseUrl;
		},
	};
}

/** The simulator: `api` with the HTTP side's members added (getters stay live). */
export function withServer<T extends SimulatorServer>(http: SimulatorServer, api: Omit<T, keyof SimulatorServer>): T {
	return Object.defineProperties(api, Object.getOwnPropertyDescriptors(http)) as T;
}
