/**
 * Who is calling: private-app tokens (fixed, never expire, optional scope list) and OAuth
 * (authorize → code → access/refresh tokens; access tokens expire after 30 min by default,
 * refresh tokens are long-lived and not rotated, as in HubSpot's v1 token endpoint).
 */
import { randomBytes } from 'crypto';
import { correlationId, errors, HubSpotHttpError } from './errors';
import { ALL_SCOPES, SCOPE_ALIASES } from './schema';

export interface PrivateAppToken {
	token: string;
	/** Granted scopes; default: every scope the simulator knows. */
	scopes?: string[];
	/** Rate limits are per app; default: one app per token. */
	appId?: string;
}

export interface OAuthClient {
	clientId: string;
	clientSecret: string;
	/** When set, authorize and token exchange insist on one of these. */
	redirectUris?: string[];
}

export interface Principal {
	kind: 'private-app' | 'oauth';
	/** Rate-limit key: the app. */
	appKey: string;
	scopes: Set<string>;
}

export interface OAuthTokenResponse {
	token_type: 'bearer';
	access_token: string;
	refresh_token: string;
	expires_in: number;
}

interface AccessTokenRecord {
	clientId: string;
	scopes: string[];
	expiresAtMs: number;
}

interface RefreshTokenRecord {
	clientId: string;
	scopes: string[];
}

interface CodeRecord {
	clientId: string;
	redirectUri: string;
	scopes: string[];
	expiresAtMs: number;
}

const CODE_TTL_MS = 10 * 60 * 1000;

/** OAuth errors of HubSpot's token endpoint: `{status: "BAD_…", message}` with HTTP 400. */
function oauthError(status: string, message: string): HubSpotHttpError {
	return new HubSpotHttpError(400, { status, message, correlationId: correlationId() });
}

function token(prefix: string): string {
	return `${prefix}-${randomBytes(18).toString('hex')}`;
}

export class HubSpotAuth {
	readonly privateAppTokens: PrivateAppToken[];
	readonly oauthClients: OAuthClient[];
	private readonly accessTokens = new Map<string, AccessTokenRecord>();
	private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
	private readonly codes = new Map<string, CodeRecord>();

	constructor(
		o: { privateAppTokens: PrivateAppToken[]; oauthClients: OAuthClient[]; accessTokenTtlSeconds: number; requireOauthScope?: boolean },
		private readonly now: () => Date,
	) {
		this.privateAppTokens = o.privateAppTokens;
		this.oauthClients = o.oauthClients;
		this.ttlSeconds = o.accessTokenTtlSeconds;
		this.requireOauthScope = o.requireOauthScope ?? true;
	}

	private readonly ttlSeconds: number;
	/** Whether an authorize request's `scope` must include `oauth` (HubSpot apps always require it; observed, see docs/API_FACTS.md). */
	private readonly requireOauthScope: boolean;

	/** Resolves the Bearer token of a request, or throws HubSpot's 401. */
	authenticate(authorization: string | undefined): Principal {
		const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
		if (!match) throw errors.invalidAuth();
		const presented = match[1];
		const pat = this.privateAppTokens.find((t) => t.token === presented);
		if (pat) {
			return {
				kind: 'private-app',
				appKey: `private-app:${pat.appId ?? pat.token}`,
				scopes: new Set(pat.scopes ?? ALL_SCOPES),
			};
		}
		const access = this.accessTokens.get(presented);
		if (!access) throw errors.invalidAuth();
		const nowMs = this.now().getTime();
		if (access.expiresAtMs <= nowMs) throw errors.expiredAuth((nowMs - access.expiresAtMs) / 60000);
		return { kind: 'oauth', appKey: `oauth:${access.clientId}`, scopes: new Set(access.scopes) };
	}

	/** Throws HubSpot's 403 MISSING_SCOPES unless the caller holds every scope listed. */
	requireScopes(principal: Principal, required: string[]): void {
		const missing = required.filter(
			(s) => !principal.scopes.has(s) && !(SCOPE_ALIASES[s] ?? []).some((alias) => principal.scopes.has(alias)),
		);
		if (missing.length > 0) throw errors.missingScopes(missing);
	}

	private client(clientId: string | null | undefined): OAuthClient | undefined {
		return this.oauthClients.find((c) => c.clientId === clientId);
	}

	/**
	 * The consent screen, auto-approved: returns where to redirect (redirect_uri with code and state).
	 * An unknown client or a missing/unregistered redirect_uri is refused, as HubSpot does.
	 */
	authorize(params: URLSearchParams): string {
		const client = this.client(params.get('client_id'));
		if (!client) throw errors.validation('Authorization failed because the client_id is invalid.');
		const redirectUri = params.get('redirect_uri');
		if (!redirectUri) throw errors.validation('Authorization failed because the redirect_uri is missing.');
		if (client.redirectUris && !client.redirectUris.includes(redirectUri)) {
			throw errors.validation('Authorization failed because the redirect URL does not match the app settings.');
		}
		// HubSpot separates scopes with spaces; be lenient and accept commas too.
		const requested = [params.get('scope'), params.get('optional_scope')]
			.flatMap((s) => (s ?? '').split(/[\s,]+/))
			.filter(Boolean);
		const required = (params.get('scope') ?? '').split(/[\s,]+/).filter(Boolean);
		if (this.requireOauthScope && required.length > 0 && !required.includes('oauth')) {
			throw errors.validation("Authorization failed because the scope parameter does not include the app's required scope oauth.");
		}
		const code = token('sandbox-hubspot-code');
		this.codes.set(code, {
			clientId: client.clientId,
			redirectUri,
			// No scope parameter at all: grant everything (a convenience for hand-made URLs).
			scopes: requested.length > 0 ? [...new Set(requested)] : [...ALL_SCOPES],
			expiresAtMs: this.now().getTime() + CODE_TTL_MS,
		});
		const target = new URL(redirectUri);
		target.searchParams.set('code', code);
		const state = params.get('state');
		if (state !== null) target.searchParams.set('state', state);
		return target.toString();
	}

	/** `POST /oauth/v1/token` (form body, client credentials in the body). */
	exchange(form: URLSearchParams): OAuthTokenResponse {
		const grantType = form.get('grant_type');
		if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
			throw oauthError('BAD_GRANT_TYPE', `grant_type must be authorization_code or refresh_token, got '${grantType ?? ''}'`);
		}
		const client = this.client(form.get('client_id'));
		if (!client) throw oauthError('BAD_CLIENT_ID', 'missing or unknown client id');
		if (form.get('client_secret') !== client.clientSecret) {
			throw oauthError('BAD_CLIENT_SECRET', 'missing or invalid client secret');
		}
		if (grantType === 'authorization_code') {
			const code = form.get('code') ?? '';
			const record = this.codes.get(code);
			if (!record || record.clientId !== client.clientId || record.expiresAtMs <= this.now().getTime()) {
				throw oauthError('BAD_AUTH_CODE', 'missing or unknown auth code');
			}
			if (form.get('redirect_uri') !== record.redirectUri) {
				throw oauthError('BAD_REDIRECT_URI', 'redirect_uri does not match initial auth code URL');
			}
			this.codes.delete(code); // single use
			return this.issueTokens(client.clientId, record.scopes);
		}
		const refresh = form.get('refresh_token') ?? '';
		const record = this.refreshTokens.get(refresh);
		if (!record || record.clientId !== client.clientId) {
			throw oauthError('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
		}
		// HubSpot keeps the same refresh token; only the access token is new.
		return this.issueAccessToken(client.clientId, record.scopes, refresh);
	}

	/** Issues a fresh token pair without the browser dance (for start() and tests). */
	issueTokens(clientId: string, scopes: string[] = ALL_SCOPES): OAuthTokenResponse {
		if (!this.client(clientId)) throw new Error(`Unknown HubSpot OAuth client ${clientId}`);
		const refresh = token('sandbox-hubspot-refresh');
		this.refreshTokens.set(refresh, { clientId, scopes: [...scopes] });
		return this.issueAccessToken(clientId, scopes, refresh);
	}

	private issueAccessToken(clientId: string, scopes: string[], refresh: string): OAuthTokenResponse {
		const access = token('sandbox-hubspot-oauth');
		this.accessTokens.set(access, {
			clientId,
			scopes: [...scopes],
			expiresAtMs: this.now().getTime() + this.ttlSeconds * 1000,
		});
		return { token_type: 'bearer', access_token: access, refresh_token: refresh, expires_in: this.ttlSeconds };
	}

	/** Every OAuth access token issued so far stops working (refresh tokens keep working). */
	expireAccessTokens(): void {
		const past = this.now().getTime() - 1;
		for (const record of this.accessTokens.values()) record.expiresAtMs = Math.min(record.expiresAtMs, past);
	}

	/** `GET /oauth/v1/access-tokens/{token}` metadata, or undefined when unknown. */
	describeAccessToken(accessToken: string, portalId: number): Record<string, unknown> | undefined {
		const record = this.accessTokens.get(accessToken);
		if (!record) return undefined;
		return {
			token: accessToken,
			user: 'sandbox-user@example.com',
			hub_domain: 'sandbox.hubspot.local',
			scopes: record.scopes,
			hub_id: portalId,
			app_id: 1000001,
			expires_in: Math.max(0, Math.floor((record.expiresAtMs - this.now().getTime()) / 1000)),
			user_id: 5000001,
			token_type: 'access',
		};
	}

	describeRefreshToken(refreshToken: string, portalId: number): Record<string, unknown> | undefined {
		const record = this.refreshTokens.get(refreshToken);
		if (!record) return undefined;
		return {
			token: refreshToken,
			user: 'sandbox-user@example.com',
			hub_domain: 'sandbox.hubspot.local',
			scopes: record.scopes,
			hub_id: portalId,
			client_id: record.clientId,
			user_id: 5000001,
			token_type: 'refresh',
		};
	}

	deleteRefreshToken(refreshToken: string): boolean {
		return this.refreshTokens.delete(refreshToken);
	}
}
