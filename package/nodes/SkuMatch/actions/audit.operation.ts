/**
 * Operation "Audit catalogs": one item per SKU problem between the HubSpot and QuickBooks
 * catalogs plus a summary item. It runs once per execution, whatever the number of input items
 * (an audit does not depend on them).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { hubSpotAuthenticationProperty } from '../../shared/descriptions';
import { failedItem } from '../../shared/nodeErrors';
import { HubSpotClient } from '../../shared/transport/hubspot';
import { QuickBooksClient } from '../../shared/transport/quickbooks';
import { auditCatalogs } from '../auditCatalogs';
import { PROBLEM_KINDS } from '../catalogAudit';
import type { AuditSettings } from '../settings';

const forAudit = { show: { operation: ['auditCatalogs'] } };

const PROBLEM_NAMES: Record<(typeof PROBLEM_KINDS)[number], string> = {
	missing_in_quickbooks: 'Missing in QuickBooks',
	missing_in_hubspot: 'Missing in HubSpot',
	case_or_space_mismatch: 'Differs Only by Case or Spaces',
	duplicate_sku_quickbooks: 'Duplicate SKU in QuickBooks',
	duplicate_sku_hubspot: 'Duplicate SKU in HubSpot',
	inactive_in_quickbooks: 'Inactive in QuickBooks',
	product_without_sku: 'HubSpot Product Without SKU',
};

export const description: INodeProperties[] = [
	hubSpotAuthenticationProperty({
		show: forAudit.show as Record<string, string[]>,
		description: 'How to connect to HubSpot to read its products',
	}),
	{
		displayName: 'Options',
		name: 'auditOptions',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: forAudit,
		default: {},
		options: [
			{
				displayName: 'Ignore Problems',
				name: 'ignoreProblems',
				type: 'multiOptions',
				options: PROBLEM_KINDS.map((kind) => ({ name: PROBLEM_NAMES[kind], value: kind })),
				default: [],
				description: 'Kinds of problems to leave out of the output and the summary',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, settings: AuditSettings): Promise<INodeExecutionData[][]> {
	const input = this.getInputData();
	try {
		const clients = { hubspot: await HubSpotClient.create(this, settings.hubspotAuthentication), quickbooks: await QuickBooksClient.create(this) };
		const pairedItem = { item: 0 };
		return [(await auditCatalogs(clients, settings)).map((json) => ({ json: json as unknown as IDataObject, pairedItem }))];
	} catch (error) {
		return [[failedItem(this, input[0]?.json ?? {}, 0, error, {})]];
	}
}
