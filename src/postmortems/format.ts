/** How post-mortem text writes times, durations and rates (Markdown, the reconciliation block, the chart). */

/** RFC 3339 to the second, UTC: `2026-11-22T09:05:12Z`. */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** `09:05` (UTC), for chart axes and timeline tables within one day. */
export const clockTime = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

/** Whole minutes, rounded: `19 min`. */
export const minutesText = (ms: number): string => `${Math.max(0, Math.round(ms / 60_000))} min`;

/** A duration for people: `45 s`, `19 min`, `2 h 05 min`, `3 d 4 h`. */
export function durationText(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

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
