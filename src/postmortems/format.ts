/** How post-mortem text writes times, durations and rates (Markdown, the reconciliation block, the chart). */

/** RFC 3339 to the second, UTC: `2026-11-22T09:05:12Z`. */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** `09:05` (UTC), for chart axes and timeline tables within one day. */
export const clockTime = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

const DURATION_UNITS: [string, number][] = [
  ['d', 86_400],
  ['h', 3_600],
  ['min', 60],
  ['s', 1],
];

/**
 * A duration for people, exact to the second: `45 s`, `1 min 5 s`, `19 min`, `2 h 05 min`,
 * `2 h 00 min 7 s`, `3 d 4 h`: from the largest unit that is not zero down to the last one that
 * is not (minutes after hours in two digits). Machine-readable fields stay in seconds.
 */
export function durationText(seconds: number | null): string {
  if (seconds === null) return '—';
  let rest = Math.max(0, Math.round(seconds));
  if (rest === 0) return '0 s';
  const parts: [number, string][] = DURATION_UNITS.map(([unit, size]) => {
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    return [amount, unit];
  });
  const first = parts.findIndex(([amount]) => amount > 0);
  const last = parts.findLastIndex(([amount]) => amount > 0);
  return parts
    .slice(first, last + 1)
    .map(
      ([amount, unit], i) => `${i > 0 && unit === 'min' ? String(amount).padStart(2, '0') : amount} ${unit}`,
    )
    .join(' ');
}

/**
 * Minutes to a tenth, for the playbook's `took <minutes>`: `15 min`, `1.5 min`, `125 min` (its
 * layout names the unit; a tenth is 6 s, so a short incident no longer reads "0 min" or "2 min").
 */
export function minutesText(ms: number): string {
  const tenths = Math.round(Math.max(0, ms) / 6_000);
  return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)} min`;
}

/** The same for a span in milliseconds (negative spans read as 0 s). */
export const durationMsText = (ms: number): string => durationText(Math.max(0, ms) / 1000);

/** Events per minute to two decimals: `1.20/min`; `—` when there was no time to measure. */
export const rateText = (perMinute: number | null): string =>
  perMinute === null ? '—' : `${perMinute.toFixed(2)}/min`;

export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

/** One line of at most `max` characters (untrusted text flattened: no line breaks or control characters). */
export function oneLine(text: string, max = 200): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Inline text from data: one line, HTML and Markdown specials neutralised (table-safe). */
export function mdText(text: string, max = 300): string {
  return oneLine(text, max)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~])/g, '\\$1');
}

/** `ADR-0007`. */
export const adrRef = (number: number): string => `ADR-${String(number).padStart(4, '0')}`;
