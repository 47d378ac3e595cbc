import { DateTime } from 'luxon';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A HubSpot date or datetime as the QuickBooks `YYYY-MM-DD` of the company's time zone.
 * HubSpot stores date-only properties as midnight UTC: those keep their calendar day (converting
 * them to a US time zone would move every invoice to the previous day). Real instants are
 * converted into the company's zone. Epoch milliseconds are accepted too. Returns null when the
 * value is not a date.
 */
export function toQuickBooksDate(value: string | number | null | undefined, timeZone = 'UTC'): string | null {
	if (value === null || value === undefined || value === '') return null;
	const text = String(value).trim();
	if (DATE_ONLY.test(text)) {
		return DateTime.fromISO(text, { zone: 'UTC' }).isValid ? text : null;
	}
	const instant = /^\d{10,14}$/.test(text)
		? DateTime.fromMillis(Number(text), { zone: 'UTC' })
		: DateTime.fromISO(text, { zone: 'UTC', setZone: true });
	if (!instant.isValid) return null;
	const utc = instant.toUTC();
	if (utc.hour === 0 && utc.minute === 0 && utc.second === 0 && utc.millisecond === 0) return utc.toISODate();
	const zone = DateTime.local().setZone(timeZone).isValid ? timeZone : 'UTC';
	return utc.setZone(zone).toISODate();
}
