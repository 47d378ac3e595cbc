import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PACKAGE_NAME, runPoll } from '../harness';
import { hubSpotTestCredentials } from '../kit';

export const TRIGGER_TYPE = `${PACKAGE_NAME}.hubSpotInvoiceTrigger`;
export const NODE_STATIC_KEY = 'node:HubSpot Invoice Trigger';

export const APP_TOKEN_CREDENTIALS = hubSpotTestCredentials() as Record<string, IDataObject>;

export interface PollRun {
	items: IDataObject[];
	/** null when poll() returned null (nothing new). */
	raw: unknown;
}

/** One poll through n8n-core's PollContext; returns the emitted JSON items. */
export async function poll(
	parameters: INodeParameters,
	staticData: IDataObject,
	mode: 'trigger' | 'manual' = 'trigger',
	credentials: Record<string, IDataObject> = APP_TOKEN_CREDENTIALS,
): Promise<PollRun> {
	const result = await runPoll({
		nodeType: TRIGGER_TYPE,
		parameters: { hubspotAuthentication: 'appToken', ...parameters },
		credentials: credentials as never,
		staticData,
		mode,
	});
	return { items: (result.items?.[0] ?? []).map((item) => item.json), raw: result.items };
}

export function cursorOf(staticData: IDataObject): IDataObject {
	return (staticData[NODE_STATIC_KEY] as IDataObject)?.cursor as IDataObject;
}

export function idsOf(items: IDataObject[]): string[] {
	return items.map((item) => ((item.invoice as IDataObject).source as IDataObject).id as string);
}
