/**
 * Dropdown loaders for HubSpot records, shared by every node that offers them. The HubSpot
 * credential is chosen by the node parameter `hubspotAuthentication`:
 * 'oAuth2' | 'appToken'; 'none' means the node has no HubSpot connection.
 */
import { NodeOperationError, type IDataObject, type ILoadOptionsFunctions, type INodePropertyOptions } from 'n8n-workflow';

import { HUBSPOT_AUTHENTICATION_PARAMETER } from '../descriptions';
import { toSyncError } from '../faultTranslation';
import { textOf } from '../text';
import { HUBSPOT_CREDENTIAL_TYPES, HubSpotClient, type HubSpotAuthentication } from '../transport/hubspot';

function hubspotAuthenticationOf(context: ILoadOptionsFunctions): HubSpotAuthentication | 'none' {
	const value = context.getCurrentNodeParameter(HUBSPOT_AUTHENTICATION_PARAMETER);
	if (value === 'none') return 'none';
	if (typeof value === 'string' && value in HUBSPOT_CREDENTIAL_TYPES) return value as HubSpotAuthentication;
	return 'oAuth2';
}

/** HubSpot tax rates (`/tax-rates/v1/tax-rates`): value = the rate id line items carry in `hs_tax_rate_group_id`. */
export async function getHubSpotTaxRates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const authentication = hubspotAuthenticationOf(this);
	if (authentication === 'none') {
		throw new NodeOperationError(this.getNode(), 'No HubSpot connection selected, so HubSpot tax rates cannot be listed', {
			description: 'Choose a HubSpot credential in "HubSpot Authentication", or type the HubSpot tax rate ID or label as an expression.',
		});
	}
	let rates: IDataObject[];
	try {
		const client = await HubSpotClient.create(this, authentication);
		rates = await client.listTaxRates();
	} catch (error) {
		const syncError = toSyncError(error);
		throw new NodeOperationError(this.getNode(), `Could not load HubSpot tax rates: ${syncError.message}`, {
			description: syncError.hint,
		});
	}
	return rates
		.map((rate) => {
			const label = textOf(rate.label) || textOf(rate.name) || textOf(rate.id);
			const hasPercent = rate.percentageRate !== undefined && rate.percentageRate !== null && !label.includes(`${textOf(rate.percentageRate)}%`);
			const percent = hasPercent ? ` (${textOf(rate.percentageRate)}%)` : '';
			return {
				name: `${label}${percent}${rate.active === false ? ' [inactive]' : ''}`,
				value: textOf(rate.id),
				description: [textOf(rate.name) !== label ? textOf(rate.name) : '', `ID ${textOf(rate.id)}`].filter(Boolean).join(' · '),
			};
		})
		.sort((left, right) => left.name.localeCompare(right.name, undefined, { sensitivity: 'base', numeric: true }));
}
