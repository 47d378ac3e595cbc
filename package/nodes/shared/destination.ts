/**
 * The Destination parameter of the matching nodes (Customer Resolve, SKU Match, Tax Map): which
 * system the invoices are synced to, so where records are matched. QuickBooks, the default, keeps
 * workflows made before the choice existed as they were.
 */
import type { INodeProperties } from 'n8n-workflow';

export type Destination = 'quickbooks' | 'hubspot';

export const DESTINATIONS: readonly Destination[] = ['quickbooks', 'hubspot'];

export function destinationProperty(show: Record<string, string[]> = {}): INodeProperties {
	return {
		displayName: 'Destination',
		name: 'destination',
		type: 'options',
		noDataExpression: true,
		...(Object.keys(show).length ? { displayOptions: { show } } : {}),
		options: [
			{ name: 'QuickBooks', value: 'quickbooks', description: 'HubSpot invoices going to QuickBooks: match in QuickBooks' },
			{ name: 'HubSpot', value: 'hubspot', description: 'QuickBooks invoices going to HubSpot: match in HubSpot' },
		],
		default: 'quickbooks',
		description: 'The system the invoices are synced to, where the records are matched',
	};
}
