import { DateTime, IANAZone } from 'luxon';

/** A calendar day, alone or as midnight UTC (how HubSpot stores date-only properties). */
const DAY_OR_MIDNIGHT_UTC = /^(\d{4})-(\d{2})-(\d{2})(?:T00:00(?::00(?:\.0{1,3})?)?(?:Z|[+-]00:?00))?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isCalendarDay(year: number, month: number, day: number): boolean {
	if (month < 1 || month > 12 || day < 1) return false;
	const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	return day <= DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0);
}

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
	// The common case, without luxon (it allocates a few KB per parse, thousands of times per sync).
	const day = DAY_OR_MIDNIGHT_UTC.exec(text);
	if (day) return isCalendarDay(Number(day[1]), Number(day[2]), Number(day[3])) ? `${day[1]}-${day[2]}-${day[3]}` : null;
	const utc = instantOf(text);
	if (!utc) return null;
	if (isMidnightUtc(utc)) return utc.toISODate();
	const zone = DateTime.local().setZone(timeZone).isValid ? timeZone : 'UTC';
	return utc.setZone(zone).toISODate();
}

/** Epoch milliseconds or ISO text as a UTC DateTime; undefined when unreadable. */
function instantOf(text: string): DateTime | undefined {
	const instant = /^\d{10,14}$/.test(text)
		? DateTime.fromMillis(Number(text), { zone: 'UTC' })
		: DateTime.fromISO(text, { zone: 'UTC', setZone: true });
	return instant.isValid ? instant.toUTC() : undefined;
}

function isMidnightUtc(utc: DateTime): boolean {
	return utc.hour === 0 && utc.minute === 0 && utc.second === 0 && utc.millisecond === 0;
}

const knownZones = new Map<string, string | null>();

/**
 * The first of `zones` that names a time zone, as luxon spells it, or undefined. Accepts IANA names
 * and their aliases (US/Eastern) in any case, and HubSpot's enumeration form of them
 * (america_slash_los_angeles).
 */
export function firstTimeZone(...zones: Array<string | null | undefined>): string | undefined {
	for (const zone of zones) {
		const name = typeof zone === 'string' ? zone.trim() : '';
		if (!name) continue;
		let known = knownZones.get(name);
		if (known === undefined) {
			const candidate = name.replace(/_slash_/gi, '/');
			known = IANAZone.isValidZone(candidate) ? candidate : null;
			knownZones.set(name, known);
		}
		if (known) return known;
	}
	return undefined;
}

/**
 * True when the value is an instant whose calendar day depends on the time zone: not a plain day,
 * not midnight UTC (how HubSpot stores date-only properties) and not unreadable.
 */
export function dependsOnTimeZone(value: string | number | null | undefined): boolean {
	if (value === null || value === undefined || value === '') return false;
	const text = String(value).trim();
	if (DAY_OR_MIDNIGHT_UTC.test(text)) return false;
	const utc = instantOf(text);
	return !!utc && !isMidnightUtc(utc);
}
