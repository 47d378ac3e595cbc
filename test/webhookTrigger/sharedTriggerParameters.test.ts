/**
 * The filter parameters both HubSpot invoice triggers offer (Invoice Statuses, Skip Integration
 * Source, and the Billing Contact Labels and Integration Sources to Skip options) are declared
 * once. Saved workflows and the templates in workflows-templates/ store their values by name, so
 * each trigger must keep exactly these names, types, defaults and options; only the wording of
 * the description may differ per trigger.
 */
import type { INodeProperties } from 'n8n-workflow';

import { HubSpotInvoiceTrigger } from '../../package/nodes/HubSpotInvoiceTrigger/HubSpotInvoiceTrigger.node';
import { HubSpotInvoiceWebhookTrigger } from '../../package/nodes/HubSpotInvoiceWebhookTrigger/HubSpotInvoiceWebhookTrigger.node';

const triggers = {
	polling: new HubSpotInvoiceTrigger().description.properties,
	webhook: new HubSpotInvoiceWebhookTrigger().description.properties,
};

function topLevel(properties: INodeProperties[], name: string): INodeProperties {
	const found = properties.filter((property) => property.name === name);
	expect(found).toHaveLength(1);
	return found[0];
}

function option(properties: INodeProperties[], name: string): INodeProperties {
	const options = topLevel(properties, 'options').options as INodeProperties[];
	const found = options.filter((entry) => entry.name === name);
	expect(found).toHaveLength(1);
	return found[0];
}

/** The declaration as a plain object without its description: what a saved workflow depends on. */
function contract(property: INodeProperties): Omit<INodeProperties, 'description'> {
	const { description: _description, ...rest } = JSON.parse(JSON.stringify(property)) as INodeProperties;
	return rest;
}

const EXPECTED = {
	statuses: {
		displayName: 'Invoice Statuses',
		name: 'statuses',
		type: 'multiOptions',
		options: [
			{ name: 'Draft', value: 'draft' },
			{ name: 'Open', value: 'open' },
			{ name: 'Paid', value: 'paid' },
			{ name: 'Voided', value: 'voided' },
		],
		default: ['open', 'paid'],
	},
	skipIntegrationSource: {
		displayName: 'Skip Integration Source',
		name: 'skipIntegrationSource',
		type: 'boolean',
		default: true,
	},
	billingContactLabels: {
		displayName: 'Billing Contact Labels',
		name: 'billingContactLabels',
		type: 'string',
		default: 'Billing Contact, Bill To',
	},
	integrationSources: {
		displayName: 'Integration Sources to Skip',
		name: 'integrationSources',
		type: 'string',
		default: 'Data Sync, Legacy QuickBooks Integration',
	},
};

const declarations = {
	statuses: (properties: INodeProperties[]) => topLevel(properties, 'statuses'),
	skipIntegrationSource: (properties: INodeProperties[]) => topLevel(properties, 'skipIntegrationSource'),
	billingContactLabels: (properties: INodeProperties[]) => option(properties, 'billingContactLabels'),
	integrationSources: (properties: INodeProperties[]) => option(properties, 'integrationSources'),
};

describe('filter parameters shared by the polling and webhook HubSpot invoice triggers', () => {
	describe.each(Object.keys(EXPECTED) as Array<keyof typeof EXPECTED>)('%s', (parameter) => {
		const polling = declarations[parameter](triggers.polling);
		const webhook = declarations[parameter](triggers.webhook);

		it('keeps the name, type, default and options saved workflows depend on, in both triggers', () => {
			expect(contract(polling)).toEqual(EXPECTED[parameter]);
			expect(contract(webhook)).toEqual(EXPECTED[parameter]);
		});

		it('is one declaration in both triggers: equal but for the description', () => {
			expect(contract(webhook)).toEqual(contract(polling));
		});

		it("describes the parameter in each trigger's own words", () => {
			expect(typeof polling.description).toBe('string');
			expect(typeof webhook.description).toBe('string');
			expect((polling.description as string).length).toBeGreaterThan(20);
			expect((webhook.description as string).length).toBeGreaterThan(20);
		});
	});

	it('keeps the wording that differs: only the polling trigger speaks of status changes and manual runs', () => {
		expect(topLevel(triggers.polling, 'statuses').description).toContain('Invoice Status Changed');
		expect(topLevel(triggers.webhook, 'statuses').description).not.toContain('Invoice Status Changed');
		expect(topLevel(triggers.polling, 'skipIntegrationSource').description).toContain('Manual runs show what was skipped');
		expect(topLevel(triggers.webhook, 'skipIntegrationSource').description).not.toContain('Manual runs');
	});

	it('keeps the options collection of each trigger in the same order (n8n lists them as declared)', () => {
		const names = (properties: INodeProperties[]) => (topLevel(properties, 'options').options as INodeProperties[]).map((entry) => entry.name);
		expect(names(triggers.polling)).toEqual([
			'billingContactLabels',
			'extraProperties',
			'integrationSources',
			'redeliverAfterMinutes',
			'lookbackSeconds',
			'testEventCount',
		]);
		expect(names(triggers.webhook)).toEqual(['billingContactLabels', 'integrationSources']);
		expect(triggers.polling.map((property) => property.name)).toEqual([
			'hubspotAuthentication',
			'event',
			'statuses',
			'skipIntegrationSource',
			'backfillSince',
			'maxInvoices',
			'options',
		]);
		expect(triggers.webhook.map((property) => property.name)).toEqual([
			'setupNotice',
			'hubspotAuthentication',
			'event',
			'statuses',
			'skipIntegrationSource',
			'options',
		]);
	});
});
