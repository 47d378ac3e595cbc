import type { INodeTypeDescription } from 'n8n-workflow';

import { HUBSPOT_CREDENTIAL_TYPES } from '../../package/nodes/shared/transport/hubspot';
import { PACKAGE_NAME, loadPackageNodeTypes } from '../harness';

const nodeTypes = loadPackageNodeTypes({ includeTestNodes: false });
const HUBSPOT_TYPES: string[] = Object.values(HUBSPOT_CREDENTIAL_TYPES);
const NODES_WITH_HUBSPOT = ['hubSpotInvoiceTrigger', 'customerResolve', 'taxMap', 'skuMatch', 'quickBooksInvoiceUpsert', 'hubSpotInvoiceUpsert'];

describe('the HubSpot credential selector', () => {
	it.each(NODES_WITH_HUBSPOT)('%s chooses its HubSpot credential with the parameter hubspotAuthentication, and each HubSpot credential shows for its choice', (name) => {
		const description = nodeTypes.getByNameAndVersion(`${PACKAGE_NAME}.${name}`, 1).description as INodeTypeDescription;
		const selectors = description.properties.filter((property) => /authentication/i.test(property.name));
		// A node may declare the selector once per operation or destination (n8n shows the one whose
		// displayOptions match); every declaration has the one name.
		expect(selectors.length).toBeGreaterThan(0);
		expect([...new Set(selectors.map((property) => property.name))]).toEqual(['hubspotAuthentication']);
		const hubspotCredentials = (description.credentials ?? []).filter((credential) => HUBSPOT_TYPES.includes(credential.name));
		expect(hubspotCredentials.map((credential) => [credential.name, credential.displayOptions?.show?.hubspotAuthentication])).toEqual([
			[HUBSPOT_CREDENTIAL_TYPES.oAuth2, ['oAuth2']],
			[HUBSPOT_CREDENTIAL_TYPES.appToken, ['appToken']],
		]);
	});
});
