/** `GET /account-info/v3/details`: the portal id the trigger needs to link invoices in HubSpot's UI. */
import { route, type Route } from '../router';

export function accountInfoRoutes(portalId: number): Route[] {
	return [
		route('GET', '/account-info/v3/details', {}, () => ({
			status: 200,
			body: {
				portalId,
				accountType: 'SANDBOX',
				timeZone: 'US/Eastern',
				companyCurrency: 'USD',
				additionalCurrencies: [],
				utcOffset: '-05:00',
				utcOffsetMilliseconds: -18000000,
				uiDomain: 'app.hubspot.com',
				dataHostingLocation: 'na1',
			},
		})),
	];
}
