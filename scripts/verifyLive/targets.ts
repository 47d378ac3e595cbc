/**
 * Where the probes go: the accounts named by environment variables, or the local sandbox. Tokens
 * are read from the environment only, registered with redactSecrets at once, and never printed.
 */
import { registerSecrets } from '../../package/nodes/shared/errors';
import { HUBSPOT_API_BASE } from '../../package/nodes/shared/transport/hubspot';
import { generateDataset, start, type Sandbox } from '../../sandbox';
import type { Api, HubSpotTarget, QuickBooksTarget } from './probe';

/** Intuit's sandbox companies: the probes write, so the default is never a production company. */
export const INTUIT_SANDBOX_API_BASE = 'https://sandbox-quickbooks.api.intuit.com';

export const ENV = {
	quickbooksToken: 'QUICKBOOKS_ACCESS_TOKEN',
	quickbooksRealm: 'QUICKBOOKS_REALM_ID',
	quickbooksBase: 'QUICKBOOKS_BASE_URL',
	hubspotToken: 'HUBSPOT_ACCESS_TOKEN',
	hubspotBase: 'HUBSPOT_BASE_URL',
} as const;

export interface Targets {
	quickbooks?: QuickBooksTarget;
	hubspot?: HubSpotTarget;
	/** Why an API has no target: the variables to set. */
	missing: Partial<Record<Api, string>>;
}

function value(env: NodeJS.ProcessEnv, name: string): string | undefined {
	const raw = env[name]?.trim();
	return raw ? raw : undefined;
}

/** A base URL as given, checked without ever repeating it (it may hold userinfo). */
function baseUrl(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
	const raw = value(env, name) ?? fallback;
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new Error(`${name} is not a URL`);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${name} must be an http(s) URL`);
	return raw.replace(/\/+$/, '');
}

export function targetsFromEnv(env: NodeJS.ProcessEnv = process.env): Targets {
	const targets: Targets = { missing: {} };
	const qboToken = value(env, ENV.quickbooksToken);
	const realmId = value(env, ENV.quickbooksRealm);
	if (qboToken && realmId) {
		registerSecrets([qboToken]);
		targets.quickbooks = { accessToken: qboToken, realmId, baseUrl: baseUrl(env, ENV.quickbooksBase, INTUIT_SANDBOX_API_BASE) };
	} else {
		const unset = [!qboToken && ENV.quickbooksToken, !realmId && ENV.quickbooksRealm].filter(Boolean);
		targets.missing.QuickBooks = `(set ${unset.join(' and ')})`;
	}
	const hubspotToken = value(env, ENV.hubspotToken);
	if (hubspotToken) {
		registerSecrets([hubspotToken]);
		targets.hubspot = { accessToken: hubspotToken, baseUrl: baseUrl(env, ENV.hubspotBase, HUBSPOT_API_BASE) };
	} else {
		targets.missing.HubSpot = `(set ${ENV.hubspotToken})`;
	}
	return targets;
}

/**
 * The local sandbox as both APIs. A generated data set rather than the demo: thirty queries of its
 * catalogue ask for more than the 1,000 objects a /batch answer may hold, so that probe can judge.
 * Its portal labels one invoice's contact "Billing contact", as a portal does once a user defines
 * that label (labels are the portal's, not HubSpot's), and two invoices carry an hs_timezone, one
 * in each form HubSpot writes (IANA, and its enumeration form), so those probes have data to judge.
 */
export async function startSandboxTargets(): Promise<{ sandbox: Sandbox; targets: Targets }> {
	const dataset = generateDataset({ invoices: 40, skus: 120, customers: 60 });
	const billing = dataset.hubspot.associations.find((link) => link.fromType === 'invoices' && link.toType === 'contacts');
	if (billing) billing.labels = ['Billing contact'];
	const [first, second] = dataset.hubspot.invoices;
	if (first) first.properties.hs_timezone = 'Pacific/Auckland';
	if (second) second.properties.hs_timezone = 'america_slash_los_angeles';
	const sandbox = await start({ dataset });
	const { quickbooks, hubspot } = sandbox.credentials;
	registerSecrets([quickbooks.oauthTokenData.access_token, quickbooks.oauthTokenData.refresh_token, quickbooks.clientSecret, hubspot.accessToken, hubspot.clientSecret]);
	return {
		sandbox,
		targets: {
			quickbooks: { baseUrl: sandbox.urls.quickbooks, realmId: quickbooks.realmId, accessToken: quickbooks.oauthTokenData.access_token },
			hubspot: { baseUrl: sandbox.urls.hubspot, accessToken: hubspot.accessToken },
			missing: {},
		},
	};
}

/** What the report's first line says about a target: the host only. */
export function describeTarget(target: { baseUrl: string } | undefined): string {
	if (!target) return 'not set';
	return new URL(target.baseUrl).host;
}
