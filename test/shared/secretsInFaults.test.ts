/**
 * An API that echoes a credential back must not make us show it: a QuickBooks Fault whose Message
 * or Detail holds the bare access token or any JWT is redacted in the error's message, its
 * details and the transport error itself.
 */
import { redactSecrets } from '../../package/nodes/shared/errors';
import { toSyncError } from '../../package/nodes/shared/faultTranslation';
import { HubSpotClient } from '../../package/nodes/shared/transport/hubspot';
import { QuickBooksClient } from '../../package/nodes/shared/transport/quickbooks';
import { fakeContext, noWait } from './fakeContext';

// Opaque (no keyword, no known prefix) and JWT/JWE shaped values, as Intuit and HubSpot issue them.
const bareAccessToken = 'Qm9ndXNBY2Nlc3NUb2tlblZhbHVlMTIzNDU2Nzg5';
const refreshToken = 'AB11790000000bogusRefreshTokenValue0001';
const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const jwe = 'eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..p1ZrLDhmQrzKrW2pXg.bogusCipherText_abc-def.TagValue123';

function qboCredentials() {
	return {
		useCustomBaseUrl: true,
		baseUrl: 'http://qbo.test',
		oauthTokenData: { access_token: bareAccessToken, refresh_token: refreshToken, callbackQueryString: { realmId: '123' } },
	};
}

describe('secrets echoed by an API never reach an error', () => {
	it('a QuickBooks 400 Fault holding the bare access token and a JWT: message, details and errors[] are redacted', async () => {
		const fault = {
			Fault: {
				type: 'ValidationFault',
				Error: [
					{ code: '2020', Message: `Required param missing for token ${bareAccessToken}`, Detail: `request with ${jwt} and ${jwe} and ${refreshToken}` },
					{ code: '2010', Message: `second ${bareAccessToken}`, Detail: jwt },
				],
			},
		};
		const fake = fakeContext(() => ({ status: 400, body: fault }), qboCredentials(), { errorShape: 'n8n1' });
		const qbo = await QuickBooksClient.create(fake.context, { retry: noWait });
		const thrown = (await qbo.read('Invoice', '1').catch((caught: unknown) => caught)) as Error;
		const syncError = toSyncError(thrown, { invoice: 'INV-1' });
		for (const text of [thrown.message, JSON.stringify(thrown), JSON.stringify(syncError.toJSON()), syncError.message]) {
			for (const secret of [bareAccessToken, refreshToken, jwt, jwe, 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c']) {
				expect(text).not.toContain(secret);
			}
		}
		expect(syncError.message).toContain('[redacted]');
		expect(JSON.stringify(syncError.details)).toContain('Required param missing');
	});

	it('a HubSpot error echoing the private-app token is redacted in message and body', async () => {
		const token = 'Zm9vYmFyYmF6cXV1eDEyMzQ1Njc4OTA';
		const fake = fakeContext(() => ({ status: 400, body: { status: 'error', message: `bad token ${token}`, category: 'VALIDATION_ERROR' } }), { accessToken: token, useCustomBaseUrl: true, baseUrl: 'http://hs.test' });
		const hubspot = await HubSpotClient.create(fake.context, 'appToken', { retry: noWait, now: () => 0 });
		const thrown = (await hubspot.listTaxRates().catch((caught: unknown) => caught)) as Error;
		expect(thrown.message).not.toContain(token);
		expect(JSON.stringify(thrown)).not.toContain(token);
		expect(JSON.stringify(toSyncError(thrown, { invoice: 'INV-1' }).toJSON())).not.toContain(token);
	});

	it('generic token shapes are redacted without knowing the credential', () => {
		expect(redactSecrets(`token ${jwt} end`)).toBe('token [redacted] end');
		expect(redactSecrets(`jwe ${jwe}`)).toBe('jwe [redacted]');
		// Ordinary text with dots is not a token.
		expect(redactSecrets('eyJ is not enough; version 1.2.3')).toBe('eyJ is not enough; version 1.2.3');
	});
});
