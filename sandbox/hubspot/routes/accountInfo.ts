/** `GET /account-info/v3/details`: the portal id (links to invoices) and the account's time zone (invoice days). */
import { DateTime } from 'luxon';

import { route, type Route } from '../router';

export function accountInfoRoutes(portalId: number, timeZone: string, now: () => Date): Route[] {
	return [
		route('GET', '/account-info/v3/details', {}, () => {
			const offsetMinutes = DateTime.fromJSDate(now()).setZone(timeZone).offset;
			return {
				status: 200,
				body: {
					portalId,
					accountType: 'SANDBOX',
					timeZone,
					companyCurrency: 'USD',
					additionalCurrencies: [],
					utcOffset: DateTime.fromJSDate(now()).setZone(timeZone).toFormat('ZZ'),
					utcOffsetMilliseconds: offsetMinutes * 60_000,
					uiDomain: 'app.hubspot.com',
					dataHostingLocation: 'na1',
				},
			};
		}),
	];
}
