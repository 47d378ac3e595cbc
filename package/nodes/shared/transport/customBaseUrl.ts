import type { IDataObject } from 'n8n-workflow';

/**
 * The base URL a credential sends its API calls (and, for OAuth2, the consent and the token
 * exchange) to instead of the real API, or undefined for the real API. Only a URL the user chose
 * counts: the credential's advanced switch "Custom Base URL" on, and a URL typed. (n8n's editor
 * saves a field only while it is shown, so a URL is stored only with the switch on; n8n also drops
 * fields that are not shown when it decrypts a credential.)
 */
export function customBaseUrl(credentials: IDataObject): string | undefined {
	const url = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	return credentials.useCustomBaseUrl === true && url ? url : undefined;
}
