import * as path from 'path';

import type { IConnections } from 'n8n-workflow';
import nock from 'nock';

import {
	PACKAGE_NAME,
	blockExternalNetwork,
	loadPackageNodeTypes,
	runLoadOptions,
	resolveCredentialData,
	runPoll,
	runWorkflow,
	workflowFromJson,
} from './harness';

const API = 'https://api.harness.test';
const AUTH = 'https://auth.harness.test';

const main = (...targets: Array<string[]>) =>
	targets.map((names) => names.map((node) => ({ node, type: 'main' as const, index: 0 })));

beforeAll(() => blockExternalNetwork());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('node types', () => {
	it('reads the package name and keeps test-only nodes out unless asked', () => {
		expect(PACKAGE_NAME).toBe('n8n-nodes-hubspot-quickbooks-sync');
		const withTest = loadPackageNodeTypes({ includeTestNodes: true });
		expect(withTest.getByNameAndVersion('test.checkNumber').description.name).toBe('checkNumber');
		// n8n-core's loader adds pollTimes to polling nodes, as an install does
		const poll = withTest.getByNameAndVersion('test.testPoll').description;
		expect(poll.properties.map((p) => p.name)).toContain('pollTimes');

		const packageOnly = loadPackageNodeTypes();
		expect(() => packageOnly.getByNameAndVersion('test.checkNumber')).toThrow(/Unknown node type/);
		for (const name of Object.keys(packageOnly.getKnownTypes())) {
			expect(name.startsWith(`${PACKAGE_NAME}.`)).toBe(true);
		}
	});
});

describe('error output', () => {
	const connections: IConnections = {
		'Check Number': { main: main(['Downstream'], ['Errors']) },
	};
	const nodes = (onError?: 'continueErrorOutput') => [
		{ name: 'Check Number', type: 'test.checkNumber', parameters: { field: 'value' }, onError },
		{ name: 'Downstream', type: 'test.checkNumber', parameters: { field: 'value' } },
		{ name: 'Errors', type: 'test.checkNumber', parameters: { field: 'missing' }, onError: 'continueRegularOutput' as const },
	];
	const input = [{ value: 1 }, { value: 'not a number' }, { value: 3 }];

	it('routes a failing item to the error output while the others continue downstream', async () => {
		const result = await runWorkflow({ nodes: nodes('continueErrorOutput'), connections, input });

		expect(result.run.status).toBe('success');
		expect(result.output('Input')).toHaveLength(3);
		expect(result.output('Check Number', 0).map((i) => i.json.value)).toEqual([1, 3]);
		const errors = result.output('Check Number', 1);
		expect(errors).toHaveLength(1);
		expect(errors[0].json).toMatchObject({
			value: 'not a number', // n8n merges the paired input item into the error item
			error: { code: 'INVALID_INPUT', message: expect.stringContaining('must be a number') },
		});
		expect(result.output('Downstream').map((i) => i.json)).toEqual([
			{ value: 1, ok: true },
			{ value: 3, ok: true },
		]);
		expect(result.ran('Errors')).toBe(true);
		expect(result.nodeError('Check Number')).toBeUndefined();
	});

	it('records the node error and stops when the node does not continue on fail', async () => {
		const result = await runWorkflow({ nodes: nodes(), connections, input });

		expect(result.run.status).toBe('error');
		const error = result.nodeError('Check Number');
		expect(error?.message).toMatch(/Field "value" must be a number/);
		expect(error?.name).toBe('NodeOperationError');
		expect(result.run.data.resultData.error?.message).toBe(error?.message);
		expect(result.ran('Downstream')).toBe(false);
		expect(() => result.output('Downstream')).toThrow(/did not run/);
	});

	it('runs a workflow JSON file', async () => {
		const workflow = workflowFromJson(path.join(__dirname, 'harness/fixtures/error-output.workflow.json'));
		const result = await runWorkflow({ ...workflow, input: [{ amount: 5 }, { amount: null }] });
		expect(result.output('Good').map((i) => i.json.amount)).toEqual([5]);
		expect(result.output('Check Number', 1)[0].json.error).toMatchObject({ code: 'INVALID_INPUT' });
	});

	it('uses an "Input" node given in nodes, and starts at a poll root when there is no input', async () => {
		const explicit = await runWorkflow({
			nodes: [{ name: 'Input', type: 'test.input' }, ...nodes('continueErrorOutput')],
			connections: { ...connections, Input: { main: main(['Check Number']) } },
			input: [{ value: 7 }],
		});
		expect(explicit.output('Downstream').map((i) => i.json.value)).toEqual([7]);

		const polled = await runWorkflow({
			nodes: [
				{ name: 'Poll', type: 'test.testPoll', parameters: { events: '[{"id":1},{"id":2}]' } },
				{ name: 'Check Number', type: 'test.checkNumber', parameters: { field: 'id' } },
			],
			connections: { Poll: { main: main(['Check Number']) } },
		});
		expect(polled.ran('Input')).toBe(false);
		// manual mode: n8n runs poll() itself and a poller returns a single item
		expect(polled.output('Check Number').map((i) => i.json)).toEqual([{ id: 1, ok: true }]);
	});

	it('keeps separate runs in one file independent (parallel)', async () => {
		const [a, b] = await Promise.all([
			runWorkflow({ nodes: nodes('continueErrorOutput'), connections, input: [{ value: 'a' }] }),
			runWorkflow({ nodes: nodes('continueErrorOutput'), connections, input: [{ value: 2 }] }),
		]);
		expect(a.output('Check Number', 1)).toHaveLength(1);
		expect(a.output('Check Number', 0)).toHaveLength(0);
		expect(b.output('Check Number', 0)).toHaveLength(1);
		expect(b.output('Check Number', 1)).toHaveLength(0);
	});
});

describe('credentials', () => {
	const oauthCredentials = () => ({
		harnessOAuth2Api: {
			clientId: 'client-id',
			clientSecret: 'client-secret',
			oauthTokenData: {
				access_token: 'old-token',
				refresh_token: 'refresh-1',
				token_type: 'bearer',
				callbackQueryString: { realmId: '123' },
			},
		},
	});
	const probe = (authentication: 'oAuth2' | 'bearer', url = `${API}/v1/thing`) => ({
		nodes: [{ name: 'Auth Probe', type: 'test.authProbe', parameters: { authentication, url } }],
		connections: {},
	});

	it('applies credential defaults inherited from oAuth2Api, as getCredentials does in n8n', async () => {
		const data = await resolveCredentialData('harnessOAuth2Api', { clientId: 'c' });
		expect(data).toMatchObject({
			clientId: 'c',
			clientSecret: '',
			grantType: 'authorizationCode',
			accessTokenUrl: `${AUTH}/oauth2/token`,
			authentication: 'header',
		});
	});

	it('OAuth2: refreshes on 401 with client credentials, retries, persists and reuses the new token', async () => {
		const basic = `Basic ${Buffer.from('client-id:client-secret').toString('base64')}`;
		const api = nock(API)
			.get('/v1/thing')
			.matchHeader('authorization', 'Bearer old-token')
			.reply(401, { message: 'expired' })
			.get('/v1/thing')
			.times(2)
			.matchHeader('authorization', 'Bearer new-token')
			.reply(200, { ok: true });
		let tokenBody = '';
		const auth = nock(AUTH)
			.post('/oauth2/token', (body: Record<string, string>) => {
				tokenBody = new URLSearchParams(body).toString();
				return body.grant_type === 'refresh_token' && body.refresh_token === 'refresh-1';
			})
			.matchHeader('authorization', basic)
			.reply(200, {
				access_token: 'new-token',
				refresh_token: 'refresh-2',
				token_type: 'bearer',
				expires_in: 3600,
			});

		const result = await runWorkflow({
			...probe('oAuth2'),
			credentials: oauthCredentials(),
			input: [{ n: 1 }, { n: 2 }], // the second call must use the refreshed token directly
		});

		expect(result.nodeError('Auth Probe')).toBeUndefined();
		expect(result.output('Auth Probe').map((i) => i.json)).toEqual([{ ok: true }, { ok: true }]);
		expect(tokenBody).toContain('grant_type=refresh_token');
		expect(api.isDone()).toBe(true);
		expect(auth.isDone()).toBe(true);
		expect(result.credentialUpdates).toHaveLength(1);
		const update = result.credentialUpdates[0];
		expect(update.type).toBe('harnessOAuth2Api');
		expect(update.data.oauthTokenData).toMatchObject({
			access_token: 'new-token',
			refresh_token: 'refresh-2',
			callbackQueryString: { realmId: '123' },
			n8n_expires_at: expect.any(String),
		});
	});

	it('OAuth2: a failed refresh surfaces as the node error', async () => {
		nock(API).get('/v1/thing').reply(401, {});
		nock(AUTH).post('/oauth2/token').reply(400, { error: 'invalid_grant' });
		const result = await runWorkflow({ ...probe('oAuth2'), credentials: oauthCredentials() });
		expect(result.nodeError('Auth Probe')?.message).toMatch(/reconnected/);
		expect(result.credentialUpdates).toEqual([]);
	});

	it('OAuth2 with body authentication sends the client credentials in the refresh body', async () => {
		nock(API)
			.get('/v1/thing')
			.reply(401, {})
			.get('/v1/thing')
			.matchHeader('authorization', 'Bearer new-token')
			.reply(200, { ok: true });
		const auth = nock(AUTH)
			.post(
				'/oauth2/token',
				(body: Record<string, string>) =>
					body.client_id === 'client-id' && body.client_secret === 'client-secret',
			)
			.reply(200, { access_token: 'new-token', refresh_token: 'refresh-2' });
		const credentials = oauthCredentials();
		const result = await runWorkflow({
			...probe('oAuth2'),
			credentials: { harnessOAuth2Api: { ...credentials.harnessOAuth2Api, authentication: 'body' } },
		});
		expect(result.nodeError('Auth Probe')).toBeUndefined();
		expect(auth.isDone()).toBe(true);
		expect(credentials.harnessOAuth2Api.oauthTokenData.access_token).toBe('old-token'); // test data untouched
	});

	it('generic credentials: resolves the Bearer expression into the header', async () => {
		const api = nock(API)
			.get('/v1/thing')
			.matchHeader('authorization', 'Bearer pat-123')
			.reply(200, { who: 'me' });
		const result = await runWorkflow({
			...probe('bearer'),
			credentials: { harnessBearerApi: { accessToken: 'pat-123' } },
		});
		expect(result.nodeError('Auth Probe')).toBeUndefined();
		expect(result.output('Auth Probe')[0].json).toEqual({ who: 'me' });
		expect(api.isDone()).toBe(true);
	});

	it('fails clearly when the node needs credentials the test did not give', async () => {
		const result = await runWorkflow(probe('bearer'));
		expect(result.nodeError('Auth Probe')?.message).toMatch(/credentials/i);
	});

	it('loadOptions: runs a method with a real LoadOptionsContext', async () => {
		nock(API)
			.get('/v1/things')
			.matchHeader('authorization', 'Bearer pat-9')
			.reply(200, { results: [{ id: 'a', name: 'Alpha' }] });
		const options = await runLoadOptions({
			nodeType: 'test.authProbe',
			method: 'getThings',
			parameters: { authentication: 'bearer', url: `${API}/v1/things` },
			credentials: { harnessBearerApi: { accessToken: 'pat-9' } },
		});
		expect(options).toEqual([{ name: 'Alpha', value: 'a' }]);
	});
});

describe('runPoll', () => {
	const parameters = { events: JSON.stringify([{ id: 1 }, { id: 2 }]) };

	it('persists node static data between polls and returns null when nothing is new', async () => {
		const staticData = {};
		const first = await runPoll({ nodeType: 'test.testPoll', parameters, staticData });
		expect(first.items?.[0].map((i) => i.json.id)).toEqual([1, 2]);
		expect(first.staticData).toBe(staticData);
		expect(staticData).toEqual({ 'node:Test Poll': { seenIds: ['1', '2'], polls: 1 } });

		const second = await runPoll({ nodeType: 'test.testPoll', parameters, staticData });
		expect(second.items).toBeNull();
		expect(staticData).toEqual({ 'node:Test Poll': { seenIds: ['1', '2'], polls: 2 } });

		const third = await runPoll({
			nodeType: 'test.testPoll',
			parameters: { events: JSON.stringify([{ id: 1 }, { id: 3 }]) },
			staticData,
		});
		expect(third.items?.[0].map((i) => i.json.id)).toEqual([3]);
	});

	it('passes the mode to the node', async () => {
		const manual = await runPoll({ nodeType: 'test.testPoll', parameters, mode: 'manual' });
		expect(manual.items?.[0]).toHaveLength(1);
	});
});
