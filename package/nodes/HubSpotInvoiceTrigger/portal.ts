/**
 * The HubSpot account (portal): its id, for links to invoices, and its time zone, the day an
 * invoice date falls on for the people who use HubSpot. Read once with GET /account-info/v3/details
 * and kept in the node's static data; when HubSpot does not answer it, the lookup is tried again an
 * hour later (not on every poll).
 */
import type { IDataObject } from 'n8n-workflow';

import { firstTimeZone } from '../shared/dates';

const RETRY_AFTER_MS = 60 * 60 * 1000;

export interface PortalCache extends IDataObject {
	portalId: string | null;
	uiDomain: string | null;
	/** Absent in caches written before the time zone was kept: they are read again. */
	timeZone?: string | null;
	retryAt: number | null;
}

export interface Portal {
	portalId: string;
	uiDomain: string | null;
	/** The account's time zone (IANA name), or null when HubSpot gives none luxon knows. */
	timeZone: string | null;
}

export interface PortalRequester {
	request<T>(method: 'GET', path: string): Promise<T>;
}

export async function portalOf(client: PortalRequester, staticData: { portal?: PortalCache }, now: number): Promise<Portal | null> {
	const cached = staticData.portal;
	if (cached?.portalId && cached.timeZone !== undefined) {
		return { portalId: cached.portalId, uiDomain: cached.uiDomain ?? null, timeZone: cached.timeZone };
	}
	if (!cached?.portalId && cached?.retryAt && now < cached.retryAt) return null;
	try {
		const details = await client.request<{ portalId?: number | string; uiDomain?: string; timeZone?: string }>('GET', '/account-info/v3/details');
		if (details.portalId === undefined || details.portalId === null || details.portalId === '') throw new Error('no portalId');
		const portal: Portal = {
			portalId: String(details.portalId),
			uiDomain: details.uiDomain ? String(details.uiDomain) : null,
			timeZone: firstTimeZone(details.timeZone) ?? null,
		};
		staticData.portal = { ...portal, retryAt: null };
		return portal;
	} catch {
		// Never fail a poll for it: links stay null, and dates that need the zone say so on their invoice.
		staticData.portal = { portalId: null, uiDomain: null, timeZone: null, retryAt: now + RETRY_AFTER_MS };
		return null;
	}
}
