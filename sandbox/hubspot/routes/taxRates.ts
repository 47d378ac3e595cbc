/** `GET /tax-rates/v1/tax-rates`: the portal's tax rates (what the Tax Map node maps from). */
import { errors } from '../errors';
import { TAX_RATES_SCOPE } from '../schema';
import { route, type Route } from '../router';

export const taxRateRoutes: Route[] = [
	route('GET', '/tax-rates/v1/tax-rates', { scopes: () => [TAX_RATES_SCOPE] }, (ctx) => ({
		status: 200,
		body: { results: ctx.store.taxRates },
	})),
	route('GET', '/tax-rates/v1/tax-rates/:id', { scopes: () => [TAX_RATES_SCOPE] }, (ctx) => {
		const rate = ctx.store.taxRates.find((r) => r.id === ctx.params.id);
		if (!rate) throw errors.notFound(`Tax rate ${ctx.params.id} not found`);
		return { status: 200, body: rate };
	}),
];
