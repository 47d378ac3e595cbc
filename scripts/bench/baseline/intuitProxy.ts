/**
 * Points n8n's built-in QuickBooks node at the sandbox without changing the node: n8n runs with
 * HTTPS_PROXY set to this proxy and NODE_EXTRA_CA_CERTS trusting a throw-away certificate
 * authority; the proxy accepts CONNECT only for Intuit's API and OAuth hosts, terminates TLS with
 * a certificate for those names (signed by that authority, made here with openssl), and forwards
 * each request to the local QuickBooks simulator. Any other host is refused, so nothing leaves
 * the machine. n8n honours HTTPS_PROXY / NO_PROXY for node requests (n8n-core's http-proxy agent),
 * exactly as it would behind a corporate proxy.
 *
 * One translation, documented: QuickBooks matches entity names in queries without regard to case
 * (the built-in node sends `SELECT * FROM customer`, which Intuit answers), while the sandbox's
 * parser insists on `Customer`; the proxy capitalizes the entity after FROM, nothing else.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const INTUIT_API_HOSTS = ['quickbooks.api.intuit.com', 'sandbox-quickbooks.api.intuit.com'];
export const INTUIT_OAUTH_HOSTS = ['oauth.platform.intuit.com'];

export interface ProxyCertificates {
	dir: string;
	caFile: string;
	key: string;
	cert: string;
}

/** A throw-away CA and a server certificate for Intuit's hosts, in a fresh temp directory. */
export function makeCertificates(): ProxyCertificates {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-intuit-proxy-'));
	const file = (name: string) => path.join(dir, name);
	const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
	openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=bench throw-away CA', '-keyout', file('ca.key'), '-out', file('ca.pem')]);
	openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=quickbooks.api.intuit.com', '-keyout', file('server.key'), '-out', file('server.csr')]);
	const names = [...INTUIT_API_HOSTS, ...INTUIT_OAUTH_HOSTS].map((host) => `DNS:${host}`).join(',');
	fs.writeFileSync(file('server.ext'), `subjectAltName=${names}\nextendedKeyUsage=serverAuth\n`);
	openssl(['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', file('server.ext'), '-out', file('server.pem')]);
	return { dir, caFile: file('ca.pem'), key: fs.readFileSync(file('server.key'), 'utf8'), cert: fs.readFileSync(file('server.pem'), 'utf8') };
}

/** `SELECT * FROM customer …` → `SELECT * FROM Customer …` (QuickBooks ignores the case; the sandbox does not). */
export function capitalizeQueryEntity(query: string): string {
	return query.replace(/(\bfrom\s+)([a-z])([A-Za-z]*)/i, (_match, from: string, first: string, rest: string) => `${from}${first.toUpperCase()}${rest}`);
}

export interface ProxiedRequest {
	host: string;
	method: string;
	path: string;
	status: number;
}

export interface IntuitProxy {
	url: string;
	caFile: string;
	/** Every request forwarded, in order. */
	requests: ProxiedRequest[];
	/** CONNECTs refused (hosts other than Intuit's). */
	refused: string[];
	close(): Promise<void>;
}

/** Starts the proxy on loopback; `quickbooksBaseUrl` is the simulator (it also serves the token endpoint). */
export async function startIntuitProxy(quickbooksBaseUrl: string): Promise<IntuitProxy> {
	const certificates = makeCertificates();
	const target = new URL(quickbooksBaseUrl);
	const requests: ProxiedRequest[] = [];
	const refused: string[] = [];

	// TLS terminates here; each decrypted request is replayed against the simulator over plain HTTP.
	const tlsServer = https.createServer({ key: certificates.key, cert: certificates.cert }, (req, res) => {
		const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
		const url = new URL(req.url ?? '/', `https://${host}`);
		if (url.pathname.endsWith('/query') && url.searchParams.has('query')) {
			url.searchParams.set('query', capitalizeQueryEntity(url.searchParams.get('query') ?? ''));
		}
		const headers = { ...req.headers, host: target.host };
		const upstream = http.request(
			{ hostname: target.hostname, port: target.port, method: req.method, path: `${url.pathname}${url.search}`, headers },
			(response) => {
				requests.push({ host, method: req.method ?? 'GET', path: url.pathname, status: response.statusCode ?? 0 });
				res.writeHead(response.statusCode ?? 502, response.headers);
				response.pipe(res);
			},
		);
		upstream.on('error', (error) => {
			requests.push({ host, method: req.method ?? 'GET', path: url.pathname, status: 502 });
			res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`bench proxy: ${error.message}`);
		});
		req.pipe(upstream);
	});

	const proxy = http.createServer((_req, res) => {
		res.writeHead(405, { 'content-type': 'text/plain' });
		res.end('bench proxy: only CONNECT to Intuit hosts');
	});
	proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
		const [host, port] = String(req.url ?? '').split(':');
		if (port !== '443' || ![...INTUIT_API_HOSTS, ...INTUIT_OAUTH_HOSTS].includes(host)) {
			refused.push(String(req.url));
			socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		if (head.length) socket.unshift(head);
		tlsServer.emit('connection', socket);
	});
	proxy.on('clientError', (_error, socket) => socket.destroy());
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
	const address = proxy.address() as net.AddressInfo;
	return {
		url: `http://127.0.0.1:${address.port}`,
		caFile: certificates.caFile,
		requests,
		refused,
		async close() {
			proxy.closeAllConnections?.();
			tlsServer.closeAllConnections?.();
			await new Promise<void>((resolve) => proxy.close(() => resolve()));
			await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
			fs.rmSync(certificates.dir, { recursive: true, force: true });
		},
	};
}
