/**
 * `GET /tax-rates/v1/tax-rates`: the portal's tax rates (what the Tax Map node maps from), paged
 * like HubSpot's spec says: `limit` and `after` in, `paging.next.after` out while more remain.
 */
import { errors } from '../errors';
import { TAX_RATES_SCOPE } from '../schema';
import { route, type Route } from '../router';

/** The largest `limit` accepted (HubSpot documents none; its other v3 lists stop at 100). */
const TAX_RATES_LIMIT_MAX = 100;

export function taxRateRoutes(defaultPageSize: number): Route[] {
	return [
		route('GET', '/tax-rates/v1/tax-rates', { scopes: () => [TAX_RATES_SCOPE] }, (ctx) => {
			const limitRaw = ctx.query.get('limit');
			const limit = limitRaw === null ? defaultPageSize : Number(limitRaw);
			if (!Number.isInteger(limit) || limit < 1 || limit > TAX_RATES_LIMIT_MAX) {
				throw errors.validation(`limit: must be an integer between 1 and ${TAX_RATES_LIMIT_MAX} (got ${limitRaw})`);
			}
			const afterRaw = ctx.query.get('after');
			const start = afterRaw === null || afterRaw === '' ? 0 : Number(afterRaw);
			if (!Number.isInteger(start) || start < 0) throw errors.validation(`after: '${afterRaw}' is not a valid paging cursor`);
			const active = ctx.query.get('active');
			const rates = ctx.store.taxRates.filter((rate) => active === null || String(rate.active) === active);
			const body: Record<string, unknown> = { results: rates.slice(start, start + limit) };
			if (start + limit < rates.length) {
				const after = String(start + limit);
				body.paging = { next: { after, link: `?after=${after}` } };
			}
			return { status: 200, body };
		}),
		route('GET', '/tax-rates/v1/tax-rates/:id', { scopes: () => [TAX_RATES_SCOPE] }, (ctx) => {
			const rate = ctx.store.taxRates.find((r) => r.id === ctx.params.id);
			if (!rate) throw errors.notFound(`Tax rate ${ctx.params.id} not found`);
			return { status: 200, body: rate };
		}),
	];
}
