/**
 * SKU Match's parameters: the operation, then each operation's own (declared in its file under
 * actions/, shown only for that operation).
 */
import type { INodeProperties } from 'n8n-workflow';

import * as audit from './actions/audit.operation';
import * as match from './actions/match.operation';

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Match Invoice Lines',
			value: 'matchInvoiceLines',
			description: "Find each line's QuickBooks product by SKU; an invoice with any unmatched line fails as a whole",
			action: 'Match invoice lines to products by SKU',
		},
		{
			name: 'Audit Catalogs',
			value: 'auditCatalogs',
			description: 'Compare HubSpot products with QuickBooks products by SKU and list every mismatch',
			action: 'Audit product catalogs for SKU mismatches',
		},
	],
	default: 'matchInvoiceLines',
};

export const skuMatchProperties: INodeProperties[] = [operationProperty, ...match.description, ...audit.description];
