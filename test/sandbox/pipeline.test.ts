/** The request pipeline and control router the three simulators share (sandbox/common). */
import { act, createControlRouter } from '../../sandbox/common/control';
import { FaultInjector } from '../../sandbox/common/faults';
import { simulatorServer, type SimulatorServer } from '../../sandbox/common/http';
import { createPipeline, type PipelineSpec } from '../../sandbox/common/pipeline';
import { ConcurrencyGauge } from '../../sandbox/common/rateLimit';
import { RequestLog } from '../../sandbox/common/requestLog';

const servers: SimulatorServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

interface Call {
	stages: string[];
}

/** A pipeline whose stages record their order; the route answers {ok, stages} or throws on /boom. */
async function startPipeline(overrides: Partial<PipelineSpec<Call>> = {}) {
	const log = new RequestLog();
	const faults = new FaultInjector();
	let resets = 0;
	const control = createControlRouter<string>({
		readBody: async (read) => (await read()).toString('utf8'),
		routes: [
			{ method: 'POST', path: 'reset', handle: act(() => resets++) },
			{ method: 'POST', path: /^echo\/(\w+)$/, handle: ({ params, body }) => ({ status: 200, json: { name: params[0], body } }) },
		],
		notFound: (method, path) => ({ status: 404, json: { unknown: `${method} ${path}` } }),
		failed: (err) => ({ status: 400, json: { failed: (err as Error).message } }),
	});
	const spec: PipelineSpec<Call> = {
		api: 'hubspot',
		log,
		control,
		classify: (method, path) => ({ call: { stages: [] }, endpoint: `${method} ${path}`, gaugeKey: 'k' }),
		gauge: new ConcurrencyGauge(),
		faults: { injector: faults, reply: (decision) => ({ status: Number(decision.kind), json: { injected: decision.kind } }) },
		logOnClose: false,
		stages: {
			resolve: async (x) => {
				x.call.stages.push('resolve');
				x.endpoint = 'GET /things/:id';
			},
			authenticate: (x) => void x.call.stages.push('authenticate'),
			limit: (x) => void x.call.stages.push('limit'),
			route: async (x) => {
				if (x.path === '/boom') throw new Error('boom');
				return { status: 200, json: { stages: x.call.stages }, detail: 'served' };
			},
		},
		errorReply: (err) => ({ status: 500, json: { error: (err as Error).message } }),
		...overrides,
	};
	const server = simulatorServer(createPipeline(spec));
	servers.push(server);
	const base = await server.listen();
	return { base, log, faults, resets: () => resets };
}

describe('shared request pipeline', () => {
	it('runs resolve → authenticate → limit → route and logs the call once, with the endpoint a stage named', async () => {
		const { base, log } = await startPipeline();
		const res = await fetch(`${base}/things/7`);
		expect(res.status).toBe(200);
		// The route answered with what ran before it.
		expect(await res.json()).toEqual({ stages: ['resolve', 'authenticate', 'limit'] });
		expect(log.entries).toHaveLength(1);
		expect(log.entries[0]).toMatchObject({ api: 'hubspot', method: 'GET', path: '/things/7', endpoint: 'GET /things/:id', status: 200, concurrent: 1, detail: 'served' });
	});

	it('answers an injected fault with the API’s fault body, before any stage runs, and logs the fault', async () => {
		const { base, log, faults } = await startPipeline();
		faults.set({ rules: [{ rate503: 1 }] });
		const res = await fetch(`${base}/things/7`);
		expect(res.status).toBe(503);
		expect(await res.json()).toEqual({ injected: '503' });
		expect(log.entries[0]).toMatchObject({ endpoint: 'GET /things/7', status: 503, fault: '503' });
	});

	it('turns an error thrown by a stage into the API’s error reply', async () => {
		const { base, log } = await startPipeline();
		const res = await fetch(`${base}/boom`);
		expect(res.status).toBe(500);
		expect(await res.json()).toEqual({ error: 'boom' });
		expect(log.entries[0].status).toBe(500);
	});

	it('logs a dropped request at once (logOnClose false) or when its socket closes (logOnClose true), with status 0', async () => {
		for (const logOnClose of [false, true]) {
			const { base, log, faults } = await startPipeline({ logOnClose });
			faults.set({ rules: [{ dropRate: 1 }] });
			await expect(fetch(`${base}/things/7`)).rejects.toThrow();
			await new Promise((r) => setTimeout(r, 50));
			expect(log.entries.map((e) => [e.fault, e.status])).toEqual([['drop', 0]]);
		}
	});

	it('serves /__sandbox/* from the control router: never faulted, never logged', async () => {
		const { base, log, faults, resets } = await startPipeline();
		faults.set({ rules: [{ rate500: 1 }] });
		expect(await (await fetch(`${base}/__sandbox/reset`, { method: 'POST' })).json()).toEqual({ ok: true });
		expect(resets()).toBe(1);
		expect(await (await fetch(`${base}/__sandbox/echo/abc`, { method: 'POST', body: 'hi' })).json()).toEqual({ name: 'abc', body: 'hi' });
		const unknown = await fetch(`${base}/__sandbox/echo/abc`);
		expect(unknown.status).toBe(404);
		expect(await unknown.json()).toEqual({ unknown: 'GET /__sandbox/echo/abc' });
		expect(log.entries).toEqual([]);
	});

	it('with readBodyFirst, a body over the limit is a logged error reply, on control paths too', async () => {
		const { base, log } = await startPipeline({ readBodyFirst: true, bodyLimitBytes: 10 });
		const res = await fetch(`${base}/__sandbox/reset`, { method: 'POST', body: 'x'.repeat(11) });
		expect(res.status).toBe(500);
		expect(await res.json()).toEqual({ error: 'Request body larger than 10 bytes' });
		expect(log.entries.map((e) => [e.endpoint, e.status])).toEqual([['POST /__sandbox/reset', 500]]);
	});
});
