/**
 * The local sandbox in one call: HubSpot and QuickBooks simulators and a Slack sink on loopback,
 * seeded from one data set, sharing one request log, with ready-to-use credentials.
 *
 *   const sb = await start({ dataset: 'default' });
 *   // sb.urls.hubspot, sb.credentials.quickbooks.oauthTokenData, sb.log.countsByEndpoint() …
 *   await sb.close();
 */
import type { FaultConfig } from './common/faults';
import type { SimulatorServer } from './common/http';
import { RequestLog } from './common/requestLog';
import {
	DEFAULT_OAUTH_CLIENT,
	DEFAULT_PRIVATE_APP_TOKEN,
	createHubSpotSimulator,
	type HubSpotLimits,
	type HubSpotSimulator,
	type OAuthTokenResponse,
} from './hubspot';
import { createQuickBooksSimulator, type QboSimulator } from './quickbooks';
import { createSlackSink, type SlackSink } from './slack';
import { resolveDataset, type Dataset, type DatasetOption } from './dataset';

export type { Dataset, DatasetOption, GenerateOptions, Expectation, TaxMapping } from './dataset';
export { defaultDataset, generateDataset } from './dataset';

/** Obviously fake QuickBooks app credentials handed out by the sandbox. */
export const SANDBOX_QBO_CLIENT = {
	clientId: 'sandbox-qbo-client-id-ABc0000000000000000000000000000000000001',
	clientSecret: 'sandbox-qbo-client-secret-000000000000000000000001',
};

export interface QuickBooksLimits {
	perMinute?: number;
	concurrent?: number;
	batchPerMinute?: number;
}

export interface StartOptions {
	/** Seed for a generated data set (and nothing else: faults have their own seed). */
	seed?: number;
	/** 'default' (the demo), 'generated', generator options, or a ready Dataset. */
	dataset?: DatasetOption;
	faults?: { hubspot?: FaultConfig; quickbooks?: FaultConfig };
	/** Real limits by default; false turns them off; timeScale speeds up every window. */
	limits?: false | { timeScale?: number; hubspot?: HubSpotLimits; quickbooks?: QuickBooksLimits };
	/** 0 or absent = a free port. */
	ports?: { hubspot?: number; quickbooks?: number; slack?: number };
	/** Access-token lifetime for both APIs (HubSpot default 1800 s, QuickBooks 3600 s). */
	accessTokenTtlSeconds?: number;
	now?: () => Date;
}

export interface SandboxCredentials {
	hubspot: {
		/** Private-app token (Bearer). */
		accessToken: string;
		clientId: string;
		clientSecret: string;
		/** An already-issued OAuth token pair (no browser round trip needed). */
		oauth: OAuthTokenResponse;
	};
	quickbooks: {
		clientId: string;
		clientSecret: string;
		realmId: string;
		/** The shape n8n keeps for an OAuth2 credential after the callback. */
		oauthTokenData: {
			access_token: string;
			refresh_token: string;
			token_type: string;
			expires_in: number;
			x_refresh_token_expires_in: number;
			callbackQueryString: { realmId: string };
		};
	};
}

export interface Sandbox {
	urls: { hubspot: string; quickbooks: string; slack: string; slackBase: string };
	credentials: SandboxCredentials;
	hubspot: HubSpotSimulator;
	quickbooks: QboSimulator;
	slack: SlackSink;
	/** One log for all three servers. */
	log: RequestLog;
	dataset: Dataset;
	setFaults(f: { hubspot?: FaultConfig; quickbooks?: FaultConfig }): void;
	/** Data back to the seed, Slack messages and the log cleared; credentials stay valid. */
	reset(): void;
	close(): Promise<void>;
}

/** Starts the servers in order; a port in use must not leave the others running. */
async function listenAll(servers: [SimulatorServer, number | undefined][]): Promise<void> {
	const started: SimulatorServer[] = [];
	try {
		for (const [server, port] of servers) {
			await server.listen(port ?? 0);
			started.push(server);
		}
	} catch (e) {
		await Promise.all(started.map((s) => s.close()));
		throw e;
	}
}

/** Ready-to-use credentials: the private-app token, an issued OAuth pair, and QuickBooks tokens as n8n keeps them. */
function sandboxCredentials(hubspot: HubSpotSimulator, quickbooks: QboSimulator, realmId: string): SandboxCredentials {
	const qboTokens = quickbooks.issueTokens(SANDBOX_QBO_CLIENT.clientId, realmId);
	return {
		hubspot: {
			accessToken: DEFAULT_PRIVATE_APP_TOKEN,
			clientId: DEFAULT_OAUTH_CLIENT.clientId,
			clientSecret: DEFAULT_OAUTH_CLIENT.clientSecret,
			oauth: hubspot.issueTokens(DEFAULT_OAUTH_CLIENT.clientId),
		},
		quickbooks: {
			clientId: SANDBOX_QBO_CLIENT.clientId,
			clientSecret: SANDBOX_QBO_CLIENT.clientSecret,
			realmId,
			oauthTokenData: {
				access_token: qboTokens.access_token,
				refresh_token: qboTokens.refresh_token,
				token_type: qboTokens.token_type,
				expires_in: qboTokens.expires_in,
				x_refresh_token_expires_in: qboTokens.x_refresh_token_expires_in,
				callbackQueryString: { realmId },
			},
		},
	};
}

export async function start(opts: StartOptions = {}): Promise<Sandbox> {
	const dataset = resolveDataset(opts.dataset, opts.seed);
	const log = new RequestLog();
	const limits = opts.limits;
	const timeScale = limits === false ? undefined : limits?.timeScale;

	const hubspot = createHubSpotSimulator({
		dataset: dataset.hubspot,
		privateAppTokens: [DEFAULT_PRIVATE_APP_TOKEN],
		oauthClients: [DEFAULT_OAUTH_CLIENT],
		accessTokenTtlSeconds: opts.accessTokenTtlSeconds,
		limits: limits === false ? false : { ...limits?.hubspot, timeScale },
		faults: opts.faults?.hubspot,
		log,
		now: opts.now,
	});
	const quickbooks = createQuickBooksSimulator({
		companies: dataset.quickbooks,
		clients: [SANDBOX_QBO_CLIENT],
		accessTokenTtlSeconds: opts.accessTokenTtlSeconds,
		limits: limits === false ? false : { ...limits?.quickbooks, timeScale },
		faults: opts.faults?.quickbooks,
		log,
		now: opts.now,
	});
	const slack = createSlackSink({ log });

	await listenAll([
		[hubspot, opts.ports?.hubspot],
		[quickbooks, opts.ports?.quickbooks],
		[slack, opts.ports?.slack],
	]);
	const credentials = sandboxCredentials(hubspot, quickbooks, dataset.realmId);

	let closed = false;
	return {
		urls: { hubspot: hubspot.baseUrl, quickbooks: quickbooks.baseUrl, slack: slack.webhookUrl, slackBase: slack.baseUrl },
		credentials,
		hubspot,
		quickbooks,
		slack,
		log,
		dataset,
		setFaults(f) {
			if ('hubspot' in f) hubspot.setFaults(f.hubspot);
			if ('quickbooks' in f) quickbooks.setFaults(f.quickbooks);
		},
		reset() {
			hubspot.reset();
			quickbooks.reset();
			slack.reset();
			log.clear();
		},
		async close() {
			if (closed) return;
			closed = true;
			await Promise.all([hubspot.close(), quickbooks.close(), slack.close()]);
		},
	};
}
