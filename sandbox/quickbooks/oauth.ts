/**
 * Intuit OAuth 2.0 as the simulator serves it:
 * - GET  /connect/oauth2                authorize: redirects straight back with code, state, realmId
 *                                        (no consent screen, so n8n's real OAuth flow completes unattended)
 * - POST /oauth2/v1/tokens/bearer       token: authorization_code (single use) and refresh_token grants,
 *                                        client auth by Basic header or client_id/client_secret in the body
 * - POST /oauth2/v1/tokens/revoke and /v2/oauth2/tokens/revoke   revoke: JSON or form {token}
 * Refresh tokens rotate on every refresh; the previous one keeps working for `refreshGraceSeconds`.
 */
import { randomBytes } from 'crypto';
import type { IncomingHttpHeaders } from 'http';
import type { Reply } from '../common/reply';

export interface TokenResponse {
	access_token: string;
	refresh_token: string;
	expires_in: number;
	x_refresh_token_expires_in: number;
	token_type: 'bearer';
}

export interface OAuthClientCredentials {
	clientId: string;
	clientSecret: string;
}

export interface TokenStoreOptions {
	clients: OAuthClientCredentials[];
	accessTokenTtlSeconds: number;
	refreshGraceSeconds: number;
	/** Rolling refresh-token lifetime; Intuit's is 100 days (8726400 s reported as x_refresh_token_expires_in). */
	refreshTokenTtlSeconds?: number;
	now: () => Date;
}

interface AccessTokenRecord {
	clientId: string;
	realmId: string;
	expiresAt: number;
}

interface RefreshTokenRecord {
	clientId: string;
	realmId: string;
	expiresAt: number;
	/** When a newer refresh token replaced this one; it dies `refreshGraceSeconds` later. */
	supersededAt?: number;
}

interface AuthorizationCodeRecord {
	clientId: string;
	redirectUri: string;
	realmId: string;
	expiresAt: number;
	used: boolean;
}

const AUTHORIZATION_CODE_TTL_MS = 10 * 60 * 1000;
const DEFAULT_REFRESH_TTL_SECONDS = 8726400;

function opaqueToken(prefix: string): string {
	return `${prefix}${randomBytes(24).toString('base64url')}`;
}

export class TokenStore {
	private readonly accessTokens = new Map<string, AccessTokenRecord>();
	private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
	private readonly codes = new Map<string, AuthorizationCodeRecord>();

	constructor(private readonly o: TokenStoreOptions) {}

	private nowMs(): number {
		return this.o.now().getTime();
	}

	/** The client whose credentials match, else undefined. */
	client(clientId: string | undefined, clientSecret?: string): OAuthClientCredentials | undefined {
		return this.o.clients.find((c) => c.clientId === clientId && (clientSecret === undefined || c.clientSecret === clientSecret));
	}

	createAuthorizationCode(clientId: string, redirectUri: string, realmId: string): string {
		const code = opaqueToken('AB11-sim-code-');
		this.codes.set(code, { clientId, redirectUri, realmId, expiresAt: this.nowMs() + AUTHORIZATION_CODE_TTL_MS, used: false });
		return code;
	}

	/** Issues a fresh access + refresh token pair for a realm (also used to seed credentials directly). */
	issue(clientId: string, realmId: string): TokenResponse {
		const now = this.nowMs();
		const refreshTtl = this.o.refreshTokenTtlSeconds ?? DEFAULT_REFRESH_TTL_SECONDS;
		const access = opaqueToken('qbo-sim-at-');
		const refresh = opaqueToken('AB11-sim-rt-');
		this.accessTokens.set(access, { clientId, realmId, expiresAt: now + this.o.accessTokenTtlSeconds * 1000 });
		this.refreshTokens.set(refresh, { clientId, realmId, expiresAt: now + refreshTtl * 1000 });
		return {
			access_token: access,
			refresh_token: refresh,
			expires_in: this.o.accessTokenTtlSeconds,
			x_refresh_token_expires_in: refreshTtl,
			token_type: 'bearer',
		};
	}

	exchangeCode(clientId: string, code: string | undefined, redirectUri: string | undefined): TokenResponse | null {
		const record = code ? this.codes.get(code) : undefined;
		if (!record || record.used || record.clientId !== clientId || record.expiresAt <= this.nowMs()) return null;
		if (redirectUri !== undefined && redirectUri !== record.redirectUri) return null;
		record.used = true; // authorization codes are single use
		return this.issue(clientId, record.realmId);
	}

	refresh(clientId: string, refreshToken: string | undefined): TokenResponse | null {
		const record = refreshToken ? this.refreshTokens.get(refreshToken) : undefined;
		if (!record || record.clientId !== clientId) return null;
		const now = this.nowMs();
		if (record.expiresAt <= now) return null;
		if (record.supersededAt !== undefined && now >= record.supersededAt + this.o.refreshGraceSeconds * 1000) return null;
		if (record.supersededAt === undefined) record.supersededAt = now;
		return this.issue(clientId, record.realmId);
	}

	/** The client and realm an access token grants, or null when unknown or expired. */
	authenticate(accessToken: string | undefined): { clientId: string; realmId: string } | null {
		const record = accessToken ? this.accessTokens.get(accessToken) : undefined;
		if (!record || record.expiresAt <= this.nowMs()) return null;
		return { clientId: record.clientId, realmId: record.realmId };
	}

	/** Expires every access token issued so far (refresh tokens stay valid). */
	expireAccessTokens(): void {
		const now = this.nowMs();
		for (const record of this.accessTokens.values()) record.expiresAt = Math.min(record.expiresAt, now);
	}

	/** Revoking either token of a grant ends both kinds for that client and realm, as Intuit's revoke does. */
	revoke(token: string | undefined): boolean {
		const grant = (token && (this.refreshTokens.get(token) ?? this.accessTokens.get(token))) || undefined;
		if (!grant) return false;
		for (const [key, r] of this.refreshTokens) if (r.clientId === grant.clientId && r.realmId === grant.realmId) this.refreshTokens.delete(key);
		for (const [key, r] of this.accessTokens) if (r.clientId === grant.clientId && r.realmId === grant.realmId) this.accessTokens.delete(key);
		return true;
	}

	counts(): { accessTokens: number; refreshTokens: number; authorizationCodes: number } {
		return { accessTokens: this.accessTokens.size, refreshTokens: this.refreshTokens.size, authorizationCodes: this.codes.size };
	}
}

// --- HTTP handlers -----------------------------------------------------------------------------

function oauthError(status: number, error: string, description?: string): Reply {
	return {
		status,
		json: description ? { error, error_description: description } : { error },
		headers: { 'Cache-Control': 'no-store' },
	};
}

function htmlPage(status: number, title: string, message: string): Reply {
	const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
	return {
		status,
		text: `<!doctype html><html><head><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1><p>${esc(message)}</p></body></html>`,
		headers: { 'Content-Type': 'text/html; charset=utf-8' },
	};
}

/** GET /connect/oauth2: checks the client, then redirects back at once with code, state and realmId. */
export function handleAuthorize(store: TokenStore, query: URLSearchParams, realmIds: string[]): Reply {
	const clientId = query.get('client_id') ?? undefined;
	const redirectUri = query.get('redirect_uri');
	if (!store.client(clientId)) return htmlPage(400, 'invalid_client', 'Unknown client_id.');
	if (!redirectUri) return htmlPage(400, 'invalid_request', 'redirect_uri is required.');
	let target: URL;
	try {
		target = new URL(redirectUri);
	} catch {
		return htmlPage(400, 'invalid_request', 'redirect_uri is not a valid URL.');
	}
	const state = query.get('state');
	if (state !== null) target.searchParams.set('state', state);
	if (query.get('response_type') !== 'code') {
		target.searchParams.set('error', 'unsupported_response_type');
		return { status: 302, headers: { Location: target.toString() } };
	}
	if (!query.get('scope')) {
		target.searchParams.set('error', 'invalid_scope');
		return { status: 302, headers: { Location: target.toString() } };
	}
	// Sandbox extension: ?realmId= picks the company to connect; default is the first one.
	const realmId = query.get('realmId') ?? realmIds[0];
	if (!realmIds.includes(realmId)) return htmlPage(400, 'invalid_request', `Unknown realmId ${realmId}.`);
	target.searchParams.set('code', store.createAuthorizationCode(clientId as string, redirectUri, realmId));
	target.searchParams.set('realmId', realmId);
	return { status: 302, headers: { Location: target.toString() } };
}

function parseForm(body: Buffer, contentType: string | undefined): Record<string, string> {
	const text = body.toString('utf8');
	if (contentType?.includes('application/json')) {
		try {
			const parsed = JSON.parse(text);
			return parsed && typeof parsed === 'object' ? parsed : {};
		} catch {
			return {};
		}
	}
	return Object.fromEntries(new URLSearchParams(text));
}

/** Client credentials from the Basic header (preferred) or from the form body. */
function clientCredentials(headers: IncomingHttpHeaders, form: Record<string, string>): { id?: string; secret?: string } {
	const auth = headers.authorization;
	if (auth && /^basic\s+/i.test(auth)) {
		const decoded = Buffer.from(auth.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		if (colon >= 0) {
			const unescape = (s: string) => {
				try {
					return decodeURIComponent(s.replace(/\+/g, ' '));
				} catch {
					return s;
				}
			};
			return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
		}
	}
	return { id: form.client_id, secret: form.client_secret };
}

/** POST /oauth2/v1/tokens/bearer */
export function handleToken(store: TokenStore, headers: IncomingHttpHeaders, body: Buffer): Reply {
	const form = parseForm(body, headers['content-type']);
	const { id, secret } = clientCredentials(headers, form);
	if (!id || secret === undefined || !store.client(id, secret)) return oauthError(401, 'invalid_client');
	let tokens: TokenResponse | null;
	switch (form.grant_type) {
		case 'authorization_code':
			if (!form.code) return oauthError(400, 'invalid_request', 'code is required');
			tokens = store.exchangeCode(id, form.code, form.redirect_uri);
			break;
		case 'refresh_token':
			if (!form.refresh_token) return oauthError(400, 'invalid_request', 'refresh_token is required');
			tokens = store.refresh(id, form.refresh_token);
			break;
		case undefined:
		case '':
			return oauthError(400, 'invalid_request', 'grant_type is required');
		default:
			return oauthError(400, 'unsupported_grant_type');
	}
	if (!tokens) return oauthError(400, 'invalid_grant');
	return { status: 200, json: tokens, headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' }, detail: form.grant_type };
}

/** POST /oauth2/v1/tokens/revoke (also /v2/oauth2/tokens/revoke, Intuit's documented path). */
export function handleRevoke(store: TokenStore, headers: IncomingHttpHeaders, body: Buffer): Reply {
	const form = parseForm(body, headers['content-type']);
	const { id, secret } = clientCredentials(headers, form);
	if (!id || secret === undefined || !store.client(id, secret)) return oauthError(401, 'invalid_client');
	if (!form.token) return oauthError(400, 'invalid_request', 'token is required');
	store.revoke(form.token);
	return { status: 200, json: {} };
}
