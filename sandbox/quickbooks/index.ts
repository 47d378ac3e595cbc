/**
 * QuickBooks Online Accounting API simulator (loopback HTTP server): OAuth with refresh-token
 * rotation, the query language subset, Item/Customer/Invoice/TaxCode/TaxRate/Account/CompanyInfo/
 * Preferences, /batch, QBO's validation rules and fault codes, rate limits and fault injection.
 * See sandbox/quickbooks/README.md for what it models and how to seed it.
 */
import { FaultInjector, type FaultConfig } from '../common/faults';
import { DEFAULT_ASSUMPTIONS, type QboAssumptions } from './assumptions';
import { simulatorServer, withServer, type SimulatorServer } from '../common/http';
import { ConcurrencyGauge, WindowLimiter } from '../common/rateLimit';
import { RequestLog } from '../common/requestLog';
import { TokenStore, type TokenResponse } from './oauth';
import { createRequestHandler } from './server';
import { realmFromSeed, snapshotState, type QboCompanySeed, type QboState } from './state';
import { SimulatorClock, type ClockChange } from '../common/clock';
import { settleSeedBalances } from './payments';

export type { QboCompanySeed, QboState, RealmState, EntityName, QboRecord } from './state';
export type { TokenResponse } from './oauth';
export type { QboAssumptions } from './assumptions';

export interface QboSimulatorOptions {
	companies: QboCompanySeed[];
	clients: { clientId: string; clientSecret: string }[];
	/** Default 3600. */
	accessTokenTtlSeconds?: number;
	/** How long a rotated-out refresh token keeps working; default 86400 (Intuit: 24 h). */
	refreshGraceSeconds?: number;
	/** Per realm: 500 requests/min, 10 in flight, 40 batch calls/min; `false` turns limits off. */
	limits?: { perMinute?: number; concurrent?: number; batchPerMinute?: number; timeScale?: number } | false;
	faults?: FaultConfig;
	log?: RequestLog;
	now?: () => Date;
	/** How to behave where Intuit's documentation is silent (assumptions.ts); defaults otherwise. */
	assumptions?: Partial<QboAssumptions>;
}

export interface QboSimulator extends SimulatorServer {
	/** Live state: state.realms[realmId].entities.Invoice is a Map by Id. */
	state: QboState;
	snapshot(): any;
	/** Back to the seed (data and remembered requestids); tokens, faults and the log are kept. */
	reset(): void;
	log: RequestLog;
	setFaults(f?: FaultConfig): void;
	issueTokens(clientId: string, realmId: string): TokenResponse;
	expireAccessTokens(): void;
	/** Live settings: change a field to run the same simulator the other way. */
	assumptions: QboAssumptions;
	/** Skews, advances or freezes the company clock; returns the new time. */
	setClock(change: ClockChange): Date;
}

const MINUTE_MS = 60_000;

function createLimits(options: QboSimulatorOptions['limits']) {
	if (options === false) return undefined;
	const o = options ?? {};
	return {
		perMinute: new WindowLimiter({ limit: o.perMinute ?? 500, windowMs: MINUTE_MS, timeScale: o.timeScale }),
		batchPerMinute: new WindowLimiter({ limit: o.batchPerMinute ?? 40, windowMs: MINUTE_MS, timeScale: o.timeScale }),
		concurrent: o.concurrent ?? 10,
	};
}

export function createQuickBooksSimulator(o: QboSimulatorOptions): QboSimulator {
	const clock = new SimulatorClock(o.now ?? (() => new Date()));
	const now = clock.now;
	const setClock = (change: ClockChange) => clock.change(change);
	const log = o.log ?? new RequestLog();
	const faults = new FaultInjector(o.faults);
	const assumptions: QboAssumptions = { ...DEFAULT_ASSUMPTIONS, ...o.assumptions };
	const state: QboState = { realms: {} };
	const loadSeed = () => {
		// Replace the contents, not the object, so references to `state` stay live.
		state.realms = Object.fromEntries(o.companies.map((seed) => [seed.realmId, realmFromSeed(seed, now())]));
		for (const realm of Object.values(state.realms)) settleSeedBalances(realm);
	};
	loadSeed();

	const tokens = new TokenStore({
		clients: o.clients,
		accessTokenTtlSeconds: o.accessTokenTtlSeconds ?? 3600,
		refreshGraceSeconds: o.refreshGraceSeconds ?? 86400,
		now,
	});

	const issueTokens = (clientId: string, realmId: string): TokenResponse => {
		if (!tokens.client(clientId)) throw new Error(`Unknown QuickBooks client ${clientId}`);
		if (!state.realms[realmId]) throw new Error(`Unknown QuickBooks realm ${realmId}`);
		return tokens.issue(clientId, realmId);
	};
	const snapshot = () => ({ ...snapshotState(state), tokens: tokens.counts() });
	const setFaults = (f?: FaultConfig) => faults.set(f);
	const expireAccessTokens = () => tokens.expireAccessTokens();

	const controls = { log, snapshot, reset: loadSeed, setFaults, issueTokens, expireAccessTokens, setClock };
	const handler = createRequestHandler({ ...controls, state, tokens, faults, gauge: new ConcurrencyGauge(), limits: createLimits(o.limits), now, assumptions });
	// A client that vanishes mid-request must not take the server down.
	const httpSide = simulatorServer(handler, (_err, socket) => socket.destroy());
	return withServer(httpSide, {
		state,
		snapshot,
		reset: loadSeed,
		log,
		setFaults,
		issueTokens,
		expireAccessTokens,
		assumptions,
		setClock,
	});
}
