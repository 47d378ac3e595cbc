import type { INodeTypeDescription } from 'n8n-workflow';

import { HUBSPOT_CREDENTIAL_TYPES } from '../../nodes/shared/transport/hubspot';
import { PACKAGE_NAME, loadPackageNodeTypes } from '../harness';

const nodeTypes = loadPackageNodeTypes({ includeTestNodes: false });
const HUBSPOT_TYPES: string[] = Object.values(HUBSPOT_CREDENTIAL_TYPES);
const NODES_WITH_HUBSPOT = ['hubSpotInvoiceTrigger', 'taxMap', 'skuMatch', 'quickBooksInvoiceUpsert'];

describe('the HubSpot credential selector', () => {
	it.each(NODES_WITH_HUBSPOT)('%s chooses its HubSpot credential with the parameter hubspotAuthentication, and each HubSpot credential shows for its choice', (name) => {
		const description = nodeTypes.getByNameAndVersion(`${PACKAGE_NAME}.${name}`, 1).description as INodeTypeDescription;
		const selectors = description.properties.filter((property) => /authentication/i.test(property.name));
		expect(selectors.map((property) => property.name)).toEqual(['hubspotAuthentication']);
		const hubspotCredentials = (description.credentials ?? []).filter((credential) => HUBSPOT_TYPES.includes(credential.name));
		expect(hubspotCredentials.map((credential) => [credential.name, credential.displayOptions?.show?.hubspotAuthentication])).toEqual([
			[HUBSPOT_CREDENTIAL_TYPES.oAuth2, ['oAuth2']],
			[HUBSPOT_CREDENTIAL_TYPES.appToken, ['appToken']],
		]);
	});
});
