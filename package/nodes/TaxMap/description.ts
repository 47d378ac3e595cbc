import type { INodeProperties } from 'n8n-workflow';

import { hubSpotAuthenticationProperty } from '../shared/descriptions';
import { destinationProperty } from '../shared/destination';
import { quickBooksLocator } from '../shared/loadOptions/quickbooks';

const toQuickBooks = { show: { destination: ['quickbooks'] } };

export const taxMapProperties: INodeProperties[] = [
	destinationProperty(),
	{
		displayName:
			"Gives each QuickBooks line the HubSpot tax rate its QuickBooks tax code is mapped to (the table below, read from the QuickBooks side; US lines: TAX is the invoice's sales tax code, NON no tax). Lines without tax get no tax rate. Runs after SKU Match.",
		name: 'hubspotNotice',
		type: 'notice',
		displayOptions: { show: { destination: ['hubspot'] } },
		default: '',
	},
	{
		displayName:
			'Maps each line\'s HubSpot tax rate to a QuickBooks tax code. US companies get TAX/NON on lines and one sales tax code per invoice (none with Automated Sales Tax); other countries get a tax code on every line. A HubSpot tax rate can be chosen from the list or typed (ID or label) as an expression.',
		name: 'notice',
		type: 'notice',
		displayOptions: toQuickBooks,
		default: '',
	},
	hubSpotAuthenticationProperty({
		noneLabel: 'None (Type Tax Rates by Hand)',
		description: 'HubSpot is only used to list tax rates in the mapping dropdown. Without it, type the HubSpot tax rate ID or label.',
	}),
	{
		displayName: 'Tax Mappings',
		name: 'mappings',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Mapping',
		default: {},
		description: 'Which QuickBooks tax code each HubSpot tax rate becomes',
		options: [
			{
				displayName: 'Mapping',
				name: 'mapping',
				values: [
					{
						displayName: 'HubSpot Tax Rate Name or ID',
						name: 'hubspotTaxRate',
						type: 'options',
						typeOptions: {
							loadOptionsMethod: 'getHubSpotTaxRates',
							loadOptionsDependsOn: ['hubspotAuthentication'],
						},
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					quickBooksLocator('taxCode', {
						displayName: 'QuickBooks Tax Code',
						name: 'quickbooksTaxCode',
						description: 'Search the list by name, or give the tax code ID',
					}),
				],
			},
		],
	},
	{
		displayName: 'Unmapped Tax Rates',
		name: 'unmappedTaxRates',
		type: 'options',
		options: [
			{
				name: 'Fail the Invoice',
				value: 'error',
				description: 'Send the invoice to the error output with TAX_CODE_NOT_FOUND',
			},
			{
				name: 'Mark Non-Taxable',
				value: 'nonTaxable',
				description: 'US: the line becomes NON. Elsewhere: the line gets the "Code for Lines Without Tax". Destination HubSpot: the line gets no tax rate.',
			},
			{
				name: 'Use Default Code',
				value: 'useDefault',
				description: 'Use the default QuickBooks tax code chosen below',
			},
		],
		default: 'error',
		description: 'What to do with a line whose HubSpot tax rate has no mapping',
	},
	quickBooksLocator('taxCode', {
		displayName: 'Default Tax Code',
		name: 'defaultTaxCode',
		required: true,
		description: 'QuickBooks tax code for unmapped HubSpot tax rates. Search the list by name, or give its ID.',
		displayOptions: { show: { destination: ['quickbooks'], unmappedTaxRates: ['useDefault'] } },
	}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: toQuickBooks,
		default: {},
		options: [
			quickBooksLocator('taxCode', {
				displayName: 'Code for Lines Without Tax',
				name: 'noTaxCode',
				description:
					'Non-US companies only (US lines without tax are NON): the QuickBooks tax code for lines with no HubSpot tax rate, e.g. Exempt or Zero-rated. Search the list by name, or give its ID.',
			}),
		],
	},
];
