/**
 * The HubSpot account (portal) id, for links to invoices. Read once with
 * GET /account-info/v3/details and kept in the node's static data; when HubSpot does not answer
 * it, links are null and the lookup is tried again an hour later (not on every poll).
 */
import type { IDataObject } from 'n8n-workflow';

const RETRY_AFTER_MS = 60 * 60 * 1000;

export interface PortalCache extends IDataObject {
	portalId: string | null;
	uiDomain: string | null;
	retryAt: number | null;
}

export interface PortalRequester {
	request<T>(method: 'GET', path: string): Promise<T>;
}

export async function portalOf(
	client: PortalRequester,
	staticData: { portal?: PortalCache },
	now: number,
): Promise<{ portalId: string; uiDomain: string | null } | null> {
	const cached = staticData.portal;
	if (cached?.portalId) return { portalId: cached.portalId, uiDomain: cached.uiDomain ?? null };
	if (cached?.retryAt && now < cached.retryAt) return null;
	try {
		const details = await client.request<{ portalId?: number | string; uiDomain?: string }>('GET', '/account-info/v3/details');
		if (details.portalId === undefined || details.portalId === null || details.portalId === '') throw new Error('no portalId');
		const portal = { portalId: String(details.portalId), uiDomain: details.uiDomain ? String(details.uiDomain) : null };
		staticData.portal = { ...portal, retryAt: null };
		return portal;
	} catch {
		// A link is a convenience: never fail a poll for it.
		staticData.portal = { portalId: null, uiDomain: null, retryAt: now + RETRY_AFTER_MS };
		return null;
	}
}
