/**
 * The HubSpot simulator's webhook delivery, received by a plain 127.0.0.1 server that checks each
 * request with the node's signature check: subscriptions turn saved changes into events, sent in
 * signed batches of at most 100, retried after an error (not after 401), in order or shuffled.
 */
import { createServer, type IncomingMessage, type Server } from 'http';
import type { AddressInfo } from 'net';

import { verifySignatureV3 } from '../../package/nodes/HubSpotInvoiceWebhookTrigger/signature';
import { start, type Sandbox } from '../../sandbox';
import { blockExternalNetwork } from '../harness';

const SECRET = 'sandbox-hubspot-app-client-secret-delivery-0017';

interface Received {
	events: Array<{ objectId: number; attemptNumber: number; subscriptionType: string; propertyName?: string; occurredAt: number; eventId: number }>;
	verdict: string;
}

let sandbox: Sandbox;
let server: Server;
let url: string;
let received: Received[];
let answer: (request: number) => number;

const read = async (request: IncomingMessage) => {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
};

beforeAll(async () => {
	blockExternalNetwork();
	sandbox = await start({ dataset: 'default', limits: false });
	server = createServer(async (request, response) => {
		const body = await read(request);
		const verdict = verifySignatureV3(
			SECRET,
			{ method: request.method!, uri: url, body, timestamp: String(request.headers['x-hubspot-request-timestamp']), signature: String(request.headers['x-hubspot-signature-v3']) },
			Date.now(),
		);
		received.push({ events: JSON.parse(body), verdict });
		response.statusCode = answer(received.length);
		response.end();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/abc/hubspot-invoices`;
});
afterAll(async () => {
	sandbox?.hubspot.webhooks.close();
	await new Promise((resolve) => server?.close(resolve));
	await sandbox?.close();
});
beforeEach(() => {
	sandbox.reset();
	received = [];
	answer = () => 200;
	const webhooks = sandbox.hubspot.webhooks;
	webhooks.subscriptions.length = 0;
	webhooks.configure({ targetUrl: url, clientSecret: SECRET, timeScale: 1 / 60_000, outOfOrder: false });
	webhooks.subscribe({ subscriptionType: 'object.creation', objectTypeId: '0-53' });
	webhooks.subscribe({ subscriptionType: 'object.propertyChange', objectTypeId: '0-53', propertyName: 'hs_due_date' });
});

const openInvoices = () => sandbox.hubspot.state.list('invoices').filter((invoice) => invoice.properties.hs_invoice_status === 'open');

it('sends a signed event per subscribed change, none for properties nobody subscribed to', async () => {
	const [invoice] = openInvoices();
	const changedAt = Date.parse(sandbox.hubspot.updateInvoice(invoice.id, { hs_due_date: '2031-01-31' }).properties.hs_lastmodifieddate!);
	sandbox.hubspot.updateInvoice(invoice.id, { hs_comments: 'not subscribed' });
	await sandbox.hubspot.webhooks.idle();
	expect(received.map((request) => request.verdict)).toEqual(['valid']);
	expect(received[0].events).toEqual([expect.objectContaining({ objectId: Number(invoice.id), subscriptionType: 'object.propertyChange', propertyName: 'hs_due_date', attemptNumber: 0, objectTypeId: '0-53' })]);
	expect(received[0].events[0].occurredAt).toBe(changedAt);
});

it('batches at most 100 events a request', async () => {
	const invoices = openInvoices();
	for (let round = 0; round < Math.ceil(250 / invoices.length); round++) {
		for (const invoice of invoices) sandbox.hubspot.updateInvoice(invoice.id, { hs_due_date: `2031-01-${String((round % 28) + 1).padStart(2, '0')}` });
	}
	await sandbox.hubspot.webhooks.idle();
	const sizes = received.map((request) => request.events.length);
	expect(Math.max(...sizes)).toBe(100);
	expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(Math.ceil(250 / invoices.length) * invoices.length);
});

it('sends a request again after an error, with the next attemptNumber; not after 401', async () => {
	const [invoice] = openInvoices();
	answer = (request) => (request === 1 ? 503 : 200);
	sandbox.hubspot.updateInvoice(invoice.id, { hs_due_date: '2031-02-28' });
	await sandbox.hubspot.webhooks.idle();
	expect(received.map((request) => request.events.map((event) => event.attemptNumber))).toEqual([[0], [1]]);
	expect(received[1].events[0].eventId).toBe(received[0].events[0].eventId);

	received = [];
	answer = () => 401;
	sandbox.hubspot.updateInvoice(invoice.id, { hs_due_date: '2031-03-31' });
	await sandbox.hubspot.webhooks.idle();
	expect(received).toHaveLength(1);
});

it('gives up after the last retry', async () => {
	const [invoice] = openInvoices();
	answer = () => 500;
	sandbox.hubspot.updateInvoice(invoice.id, { hs_due_date: '2031-04-30' });
	await sandbox.hubspot.webhooks.idle();
	expect(received).toHaveLength(1 + sandbox.hubspot.webhooks.settings!.retryDelaysMs.length);
	expect(sandbox.hubspot.webhooks.settings!.retryDelaysMs).toHaveLength(10);
});

it('out of order: the events of a request are shuffled', async () => {
	sandbox.hubspot.webhooks.configure({ targetUrl: url, clientSecret: SECRET, outOfOrder: true, batchWindowMs: 200 });
	for (const invoice of openInvoices()) sandbox.hubspot.updateInvoice(invoice.id, { hs_due_date: '2031-05-31' });
	await sandbox.hubspot.webhooks.idle();
	const times = received.flatMap((request) => request.events.map((event) => event.eventId));
	expect(times).toHaveLength(openInvoices().length);
	expect(times).not.toEqual([...times].sort((left, right) => left - right));
});
