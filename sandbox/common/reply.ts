/** What a simulator answers to one request; the pipeline writes it and logs it. */
import type { ServerResponse } from 'http';
import { sendJson } from './http';

export interface Reply {
	status: number;
	/** JSON body (sent with application/json). */
	json?: unknown;
	/** Plain body with its own content type (HTML pages, Slack's "ok"). */
	text?: string;
	headers?: Record<string, string>;
	/** Shown in the request log's `detail` (query entity, batch op count, error category). */
	detail?: string;
}

/** Writes a reply; does nothing if the response was already sent or the socket is gone. */
export function writeReply(res: ServerResponse, reply: Reply): void {
	if (res.headersSent || res.writableEnded || res.destroyed) return;
	const headers = reply.headers ?? {};
	if (reply.text !== undefined) {
		res.writeHead(reply.status, { 'Content-Length': String(Buffer.byteLength(reply.text)), ...headers });
		res.end(reply.text);
	} else if (reply.json !== undefined) {
		sendJson(res, reply.status, reply.json, headers);
	} else {
		res.writeHead(reply.status, headers);
		res.end();
	}
}
