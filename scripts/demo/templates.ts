// The workflow templates pointed at a sandbox, the way a user sets them up after importing them:
// pick the credentials, paste the Slack webhook URL, fill the Tax Map table, set a backfill date.
// Used by `npm start` (scripts/start.ts) and the end-to-end tests (test/e2e/templates.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Dataset, Sandbox } from '../../sandbox';
import { PACKAGE_NAME, REPO_ROOT, type N8nRestClient, type WorkflowJson } from '../n8n';

export const TEMPLATE_DIR = join(REPO_ROOT, 'workflows-templates');

export const TEMPLATE_FILES = {
	sync: 'hubspot-to-quickbooks-invoice-sync.json',
	backfill: 'backfill-historical-invoices.json',
	audit: 'nightly-sku-audit.json',
} as const;

export type TemplateKey = keyof typeof TEMPLATE_FILES;

/** The QuickBooks → HubSpot templates (`npm start` runs them beside the HubSpot → QuickBooks sync). */
export const REVERSE_TEMPLATE_FILES = {
	reverseSync: 'quickbooks-to-hubspot-invoice-sync.json',
	reversePayments: 'quickbooks-payments-to-hubspot.json',
} as const;

export type ReverseTemplateKey = keyof typeof REVERSE_TEMPLATE_FILES;

export const REVERSE_TEMPLATE_TRIGGERS: Record<ReverseTemplateKey, string> = {
	reverseSync: 'QuickBooks Trigger',
	reversePayments: 'QuickBooks Payments and Voids',
};

/** The node each template is run from (its trigger). */
export const TEMPLATE_TRIGGERS: Record<TemplateKey, string> = {
	sync: 'HubSpot Invoice Trigger',
	backfill: 'HubSpot Invoices Since',
	audit: 'Every Night at 2:00',
};

export const CREDENTIAL_TYPES = {
	hubspotOAuth2: 'hubSpotInvoiceSyncOAuth2Api',
	hubspotAppToken: 'hubSpotInvoiceSyncAppTokenApi',
	quickbooks: 'quickBooksInvoiceSyncOAuth2Api',
} as const;

export interface CredentialRef {
	id: string;
	name: string;
}

export interface SandboxCredentialRefs {
	hubspot: CredentialRef;
	quickbooks: CredentialRef;
}

export function templateFiles(): string[] {
	return readdirSync(TEMPLATE_DIR).filter((file) => file.endsWith('.json')).sort();
}

export function readTemplate(fileOrKey: string): WorkflowJson {
	const files: Record<string, string> = { ...TEMPLATE_FILES, ...REVERSE_TEMPLATE_FILES };
	const file = files[fileOrKey] ?? fileOrKey;
	return JSON.parse(readFileSync(join(TEMPLATE_DIR, file), 'utf8')) as WorkflowJson;
}

/**
 * Creates the two credentials a user would create for the sandbox: a HubSpot private-app token
 * credential and a connected QuickBooks OAuth2 credential (Custom environment, token data from
 * the sandbox so no consent screen is needed).
 */
export async function createSandboxCredentials(
	api: N8nRestClient,
	sandbox: Sandbox,
	/** More QuickBooks credential fields, e.g. `maxRequestsInFlight` for queue-mode workers. */
	quickbooksSettings: Record<string, unknown> = {},
): Promise<SandboxCredentialRefs> {
	const hubspot = await api.createCredential({
		name: 'HubSpot (sandbox private app)',
		type: CREDENTIAL_TYPES.hubspotAppToken,
		data: { accessToken: sandbox.credentials.hubspot.accessToken, useCustomBaseUrl: true, baseUrl: sandbox.urls.hubspot },
	});
	const { quickbooks: qbo } = sandbox.credentials;
	const quickbooks = await api.createCredential({
		name: 'QuickBooks Online (sandbox)',
		type: CREDENTIAL_TYPES.quickbooks,
		data: {
			useCustomBaseUrl: true,
			baseUrl: sandbox.urls.quickbooks,
			clientId: qbo.clientId,
			clientSecret: qbo.clientSecret,
			oauthTokenData: qbo.oauthTokenData,
			...quickbooksSettings,
		},
	});
	return { hubspot: { id: hubspot.id, name: hubspot.name }, quickbooks: { id: quickbooks.id, name: quickbooks.name } };
}

/** A "Backfill Since" date before every invoice of the data set was created or last changed. */
export function backfillDateFor(dataset: Dataset): string {
	let earliest = Date.parse(dataset.now);
	for (const invoice of dataset.hubspot.invoices) {
		for (const value of [Date.parse(invoice.createdAt), Date.parse(invoice.updatedAt)]) {
			if (Number.isFinite(value)) earliest = Math.min(earliest, value);
		}
	}
	const day = new Date(earliest - 24 * 60 * 60 * 1000);
	return `${day.toISOString().slice(0, 10)}T00:00:00.000Z`;
}

export interface WireOptions {
	credentials: SandboxCredentialRefs;
	slackUrl: string;
	taxMapping: Dataset['taxMapping'];
	/** Sets "Backfill Since" on the template's trigger, HubSpot's or QuickBooks' (kept from the template when absent). */
	backfillSince?: string;
	/** The QuickBooks item for HubSpot's invoice-level fees (the upsert's Fee Item). */
	feeItemId?: string;
}

/** A resource locator parameter set "By ID", as n8n saves it (Tax Map's tax codes, the upsert's Fee Item). */
function locatorById(id: string): { __rl: true; mode: 'id'; value: string } {
	return { __rl: true, mode: 'id', value: id };
}

/**
 * The template with every setup step done for the sandbox (what the sticky notes ask a user to
 * do): HubSpot through the private-app token credential (the trigger, the upsert's write-back,
 * the SKU audit and Tax Map's tax-rate dropdown), QuickBooks through the sandbox OAuth2
 * credential, the Slack webhook URL, one Tax Map row per tax rate, and optionally a backfill date.
 * Nodes of other packages and the rest of each node's parameters are left as the template has them.
 */
export function wireTemplate(template: WorkflowJson, options: WireOptions): WorkflowJson {
	const nodes = template.nodes.map((original) => {
		const node = structuredClone(original) as WorkflowJson['nodes'][number] & {
			parameters: Record<string, unknown>;
			credentials?: Record<string, CredentialRef>;
		};
		if (node.type === 'n8n-nodes-base.httpRequest' && /hooks\.slack\.com/.test(String(node.parameters.url))) {
			node.parameters.url = options.slackUrl;
		}
		if (!node.type.startsWith(`${PACKAGE_NAME}.`)) return node;

		if (node.parameters.hubspotAuthentication === 'oAuth2') node.parameters.hubspotAuthentication = 'appToken';
		if (node.credentials) {
			const credentials: Record<string, CredentialRef> = {};
			for (const type of Object.keys(node.credentials)) {
				if (type === CREDENTIAL_TYPES.hubspotOAuth2 || type === CREDENTIAL_TYPES.hubspotAppToken) {
					credentials[CREDENTIAL_TYPES.hubspotAppToken] = options.credentials.hubspot;
				} else if (type === CREDENTIAL_TYPES.quickbooks) {
					credentials[type] = options.credentials.quickbooks;
				}
			}
			node.credentials = credentials;
		}
		if (node.type === `${PACKAGE_NAME}.taxMap`) {
			node.parameters.mappings = {
				mapping: options.taxMapping.map((entry) => ({ hubspotTaxRate: entry.hubspotTaxRateId, quickbooksTaxCode: locatorById(entry.qboTaxCodeId) })),
			};
		}
		if (node.type === `${PACKAGE_NAME}.quickBooksInvoiceUpsert` && options.feeItemId !== undefined) {
			node.parameters.options = { ...(node.parameters.options as object), feeItemId: locatorById(options.feeItemId) };
		}
		const isTrigger = node.type === `${PACKAGE_NAME}.hubSpotInvoiceTrigger` || node.type === `${PACKAGE_NAME}.quickBooksTrigger`;
		if (isTrigger && options.backfillSince !== undefined) {
			node.parameters.backfillSince = options.backfillSince;
		}
		return node;
	});
	return { ...template, nodes, meta: { ...(template.meta as object), templateCredsSetupCompleted: true } };
}
