/** Slack incoming-webhook sink: records messages, answers like Slack. */
import { createSlackSink, type SlackSink } from '../../sandbox/slack';

let sink: SlackSink;
beforeAll(async () => {
	sink = createSlackSink();
	await sink.listen();
});
afterAll(() => sink.close());
beforeEach(() => sink.reset());

async function post(url: string, body: string, contentType = 'application/json') {
	const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
	return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

describe('Slack sink', () => {
	it('records text and blocks and answers "ok" as text/plain', async () => {
		const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*INV-1008* failed: SKU_NOT_FOUND' } }];
		const r = await post(sink.webhookUrl, JSON.stringify({ text: 'Invoice INV-1008 failed', blocks }));
		expect(r).toMatchObject({ status: 200, text: 'ok' });
		expect(r.type).toMatch(/^text\/plain/);
		expect(sink.messages).toHaveLength(1);
		expect(sink.messages[0]).toMatchObject({ text: 'Invoice INV-1008 failed', blocks, path: new URL(sink.webhookUrl).pathname });
		expect(Date.parse(sink.messages[0].receivedAt)).not.toBeNaN();
	});

	it('accepts any /services/ path and form-encoded payload=', async () => {
		await post(`${sink.baseUrl}/services/T111/B222/abc`, `payload=${encodeURIComponent(JSON.stringify({ text: 'hello' }))}`, 'application/x-www-form-urlencoded');
		expect(sink.messages[0]).toMatchObject({ text: 'hello', path: '/services/T111/B222/abc' });
	});

	it('rejects invalid JSON (invalid_payload) and empty messages (no_text); other paths 404', async () => {
		expect(await post(sink.webhookUrl, '{not json')).toMatchObject({ status: 400, text: 'invalid_payload' });
		expect(await post(sink.webhookUrl, JSON.stringify({ username: 'bot' }))).toMatchObject({ status: 400, text: 'no_text' });
		expect((await post(`${sink.baseUrl}/api/chat.postMessage`, '{}')).status).toBe(404);
		expect((await fetch(sink.webhookUrl)).status).toBe(405);
		expect(sink.messages).toHaveLength(0);
		expect(sink.log.entries.map((e) => e.status)).toEqual([400, 400, 404, 405]);
	});

	it('waitForMessages resolves when messages arrive; /__sandbox/state and /reset work', async () => {
		const waiting = sink.waitForMessages(2, 2000);
		await post(sink.webhookUrl, JSON.stringify({ text: 'one' }));
		await post(sink.webhookUrl, JSON.stringify({ text: 'two' }));
		expect((await waiting).map((m) => m.text)).toEqual(['one', 'two']);
		const state = (await (await fetch(`${sink.baseUrl}/__sandbox/state`)).json()) as any;
		expect(state.messages).toHaveLength(2);
		await fetch(`${sink.baseUrl}/__sandbox/reset`, { method: 'POST' });
		expect(sink.messages).toHaveLength(0);
		await expect(sink.waitForMessages(1, 50)).rejects.toThrow(/expected 1/);
	});
});
