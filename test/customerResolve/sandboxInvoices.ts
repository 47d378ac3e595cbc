/**
 * Canonical invoices (what the HubSpot Invoice Trigger emits) built straight from the sandbox's
 * HubSpot data, so node tests can run on the demo data set without depending on the trigger.
 */
import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { start, type Sandbox } from '../../sandbox';
import { blockExternalNetwork, type HarnessCredentials } from '../harness';

type Props = Record<string, string | null>;

/**
 * The demo sandbox for a test file: started once (no rate limits, no outside network), reset
 * before each test, closed after the file. `use` receives it once it runs.
 */
export function useDefaultSandbox(use: (sandbox: Sandbox) => void): void {
	let sandbox: Sandbox | undefined;
	beforeAll(async () => {
		blockExternalNetwork();
		sandbox = await start({ dataset: 'default', limits: false });
		use(sandbox);
	});
	afterAll(async () => {
		await sandbox?.close();
		nock.enableNetConnect();
	});
	beforeEach(() => sandbox?.reset());
}

export function sandboxCredentials(sb: Sandbox, realmId = sb.dataset.realmId): HarnessCredentials {
	const tokens =
		realmId === sb.credentials.quickbooks.realmId
			? sb.credentials.quickbooks.oauthTokenData
			: { ...sb.quickbooks.issueTokens(sb.credentials.quickbooks.clientId, realmId), callbackQueryString: { realmId } };
	return {
		quickBooksInvoiceSyncOAuth2Api: {
			environment: 'custom',
			baseUrl: sb.urls.quickbooks,
			clientId: sb.credentials.quickbooks.clientId,
			clientSecret: sb.credentials.quickbooks.clientSecret,
			accessTokenUrl: `${sb.urls.quickbooks}/oauth2/v1/tokens/bearer`,
			authUrl: `${sb.urls.quickbooks}/connect/oauth2`,
			authentication: 'header',
			grantType: 'authorizationCode',
			oauthTokenData: { ...tokens, callbackQueryString: { realmId } },
		},
		hubSpotInvoiceSyncAppTokenApi: { accessToken: sb.credentials.hubspot.accessToken, baseUrl: sb.urls.hubspot },
	} as HarnessCredentials;
}

/** Every invoice the trigger would emit (outcome not 'not-emitted'), in id order, as canonical items. */
export function canonicalInvoicesFromSandbox(sb: Sandbox): IDataObject[] {
	const seed = sb.dataset.hubspot;
	const byId = (list: Array<{ id: string; properties: Props }>) => new Map(list.map((object) => [object.id, object.properties]));
	const contacts = byId(seed.contacts);
	const companies = byId(seed.companies);
	const lineItems = byId(seed.lineItems);
	const associated = (fromId: string, toType: string) =>
		seed.associations.filter((link) => link.fromType === 'invoices' && link.fromId === fromId && link.toType === toType).map((link) => link.toId);

	return seed.invoices
		.filter((invoice) => sb.dataset.expectations[invoice.id]?.outcome !== 'not-emitted')
		.sort((a, b) => Number(a.id) - Number(b.id))
		.map((invoice) => {
			const p = invoice.properties;
			const contactId = associated(invoice.id, 'contacts')[0];
			const companyId = associated(invoice.id, 'companies')[0];
			const contact = (contactId ? contacts.get(contactId) : undefined) ?? {};
			const company = (companyId ? companies.get(companyId) : undefined) ?? {};
			return {
				invoice: {
					source: { system: 'hubspot', id: invoice.id, createdBy: p.hs_invoice_source ?? null },
					number: p.hs_number,
					status: p.hs_invoice_status,
					currency: p.hs_currency,
					issueDate: p.hs_invoice_date,
					dueDate: p.hs_due_date,
					customer: {
						email: contact.email ?? null,
						firstName: contact.firstname ?? null,
						lastName: contact.lastname ?? null,
						companyName: company.name ?? contact.company ?? null,
						hubspotContactId: contactId ?? null,
						hubspotCompanyId: companyId ?? null,
						address: { line1: contact.address ?? null, city: contact.city ?? null, state: contact.state ?? null, postalCode: contact.zip ?? null, country: contact.country ?? null },
					},
					lines: associated(invoice.id, 'line_items')
						.sort((a, b) => Number(a) - Number(b))
						.map((id) => {
							const line = lineItems.get(id) ?? {};
							return {
								hubspotLineItemId: id,
								sku: line.hs_sku ?? null,
								name: line.name ?? '',
								description: line.description ?? null,
								quantity: line.quantity ?? '0',
								unitPrice: line.price ?? '0',
								amount: line.amount ?? null,
								taxRateId: line.hs_tax_rate_group_id ?? null,
								taxLabel: line.hs_tax_label ?? null,
							};
						}),
					contentHash: null,
				},
			};
		});
}

/** HubSpot invoice ids expected to fail with one of `codes`. */
export function expectedFailures(sb: Sandbox, codes: string[]): Record<string, string> {
	return Object.fromEntries(
		Object.entries(sb.dataset.expectations)
			.filter(([, expectation]) => expectation.outcome === 'error' && codes.includes(expectation.code ?? ''))
			.map(([id, expectation]) => [id, expectation.code as string]),
	);
}
