/** OAuth endpoints (no bearer token): authorize (auto-approved), token exchange, token metadata. */
import type { HubSpotAuth } from '../auth';
import { errors } from '../errors';
import { route, type Route } from '../router';

export function oauthRoutes(auth: HubSpotAuth, portalId: number): Route[] {
	const authorize = route('GET', '/oauth/authorize', { auth: 'none' }, (ctx) => ({
		status: 302,
		headers: { Location: auth.authorize(ctx.query) },
	}));
	const tokenHandler: Route['handler'] = (ctx) => {
		const type = String(ctx.headers['content-type'] ?? '');
		// HubSpot's token endpoint takes a form body; accept JSON too so a mistake shows as a clear error.
		let form: URLSearchParams;
		if (type.includes('application/json')) {
			try {
				form = new URLSearchParams(JSON.parse(ctx.rawBody.toString('utf8') || '{}'));
			} catch {
				throw errors.invalidJson('token request body is not valid JSON');
			}
		} else {
			form = new URLSearchParams(ctx.rawBody.toString('utf8'));
		}
		return { status: 200, body: auth.exchange(form) };
	};
	return [
		authorize,
		route('GET', '/oauth/v1/authorize', { auth: 'none' }, authorize.handler),
		route('POST', '/oauth/v1/token', { auth: 'none' }, tokenHandler),
		route('POST', '/oauth/v3/token', { auth: 'none' }, tokenHandler),
		route('GET', '/oauth/v1/access-tokens/:token', { auth: 'none' }, (ctx) => {
			const info = auth.describeAccessToken(ctx.params.token, portalId);
			if (!info) throw errors.notFound('Access token not found');
			return { status: 200, body: info };
		}),
		route('GET', '/oauth/v1/refresh-tokens/:token', { auth: 'none' }, (ctx) => {
			const info = auth.describeRefreshToken(ctx.params.token, portalId);
			if (!info) throw errors.notFound('Refresh token not found');
			return { status: 200, body: info };
		}),
		route('DELETE', '/oauth/v1/refresh-tokens/:token', { auth: 'none' }, (ctx) => {
			if (!auth.deleteRefreshToken(ctx.params.token)) throw errors.notFound('Refresh token not found');
			return { status: 204 };
		}),
	];
}
