/**
 * ISO 8601 dates as people and the API write them: `2026-11-22`, `2026-11-22T09:05`,
 * `2026-11-22T09:05:30.250Z`, `2026-11-22 09:05:30+01:00`, `09:05:30,250+01` (ISO 8601 allows a
 * comma before the fraction and an offset of hours alone). Without a zone, UTC. `Date.parse`
 * alone reads `1` as 2001-01-01 and rolls `2026-02-30` over to March 2: a typo became a wrong
 * date without complaint, so the calendar is checked too.
 */
const ISO_DATE =
  /^(\d{4})-(\d\d)-(\d\d)(?:[Tt ](\d\d):(\d\d)(?::(\d\d)([.,]\d{1,9})?)?([Zz]|[+-]\d\d(?::?\d\d)?)?)?$/;

/** Epoch milliseconds, or null when the text is not such a date or names one no calendar has. */
export function parseIsoDate(text: string): number | null {
  const match = ISO_DATE.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone] = match;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  // An offset is hours 00–23 and minutes 00–59 (RFC 3339): `+25:00` is a typo, not a zone.
  if (zone && zone.length > 1 && (Number(zone.slice(1, 3)) > 23 || offsetMinutes(zone) > 59)) return null;
  const ms = fraction ? Math.floor(Number(`0.${fraction.slice(1)}`) * 1000) : 0;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const at = new Date(0);
  at.setUTCFullYear(y, m - 1, d);
  at.setUTCHours(Number(hour), Number(minute), Number(second), ms);
  const epochMs = at.getTime() - offsetMs(zone);
  // Year 0 and before exist in no calendar people write dates in (Python, and so Sentry, refuses them).
  return epochMs < YEAR_ONE_MS ? null : epochMs;
}

/** 0001-01-01T00:00:00Z. */
export const YEAR_ONE_MS = -62_135_596_800_000;

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `+01:00` → one hour; `Z` or none → 0. */
function offsetMs(zone: string | undefined): number {
  if (!zone || zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + offsetMinutes(zone)) * 60_000;
}

/** The minutes of `+01:30`, `+0130` or `+01` (none). */
function offsetMinutes(zone: string): number {
  return Number(zone.replace(':', '').slice(3, 5) || '0');
}
