import { invalid } from '../app-error.ts';
import { parseIsoDate } from '../iso-dates.ts';
import { clip } from '../validation.ts';

const DAY = 86_400_000;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: DAY, w: 7 * DAY };
const PERIOD = /^(\d{1,5})([smhdw])$/;
const RELATIVE = /^([+-]?)(\d{1,6})([smhdw])$/;

/**
 * The widest read window, Sentry's MAX_STATS_PERIOD: a window is a scan over stored events, so
 * its width bounds the cost of one request.
 */
export const MAX_WINDOW_DAYS = 90;
const MAX_WINDOW_MS = MAX_WINDOW_DAYS * DAY;

export interface TimeRange {
  start?: number;
  end?: number;
}

/**
 * Sentry's time window: `statsPeriod` (`24h`, `14d`, …) back from now, or absolute `start` and
 * `end` (ISO 8601, UTC unless they say), at most MAX_WINDOW_DAYS wide. Neither → `defaultPeriod`
 * (undefined = unbounded).
 */
export function parseTimeRange(
  input: { statsPeriod?: string; start?: string; end?: string },
  now: number,
  defaultPeriod?: string,
): TimeRange {
  if (input.statsPeriod) return { start: now - periodMs(input.statsPeriod) };
  if (input.start || input.end) {
    if (!input.start || !input.end) throw invalid('start and end must be given together');
    const start = parseDate(input.start, 'start');
    const end = parseDate(input.end, 'end');
    if (end < start) throw invalid('end is before start');
    if (end - start > MAX_WINDOW_MS)
      throw invalid(`invalid start: more than ${MAX_WINDOW_DAYS} days before end`);
    return { start, end };
  }
  return defaultPeriod ? { start: now - periodMs(defaultPeriod) } : {};
}

/** A `statsPeriod` in milliseconds, at most MAX_WINDOW_DAYS; `name` is the parameter errors name. */
export function periodMs(period: string, name = 'statsPeriod', examples = '1h, 24h, 14d'): number {
  const match = PERIOD.exec(period);
  if (!match) throw invalid(`invalid ${name} "${clip(period)}": use e.g. ${examples}`);
  const ms = Number(match[1]) * UNIT_MS[match[2]];
  if (ms > MAX_WINDOW_MS) throw invalid(`invalid ${name} "${clip(period)}": at most ${MAX_WINDOW_DAYS}d`);
  return ms;
}

/** An ISO 8601 date or datetime in epoch ms, UTC unless it names a zone; null when it is neither. */
export function parseUtcDate(value: string): number | null {
  return parseIsoDate(value);
}

/**
 * A search time value: relative (`-24h` = within the last 24 hours, `+7d` = older than 7 days;
 * as Sentry, a bare `24h` means `-24h`) or absolute (an ISO date or datetime, as parseUtcDate).
 * Returns the boundary in epoch ms and whether a relative value means "newer than" it.
 */
export function parseTimeValue(
  value: string,
  now: number,
): { at: number; relative: 'newer' | 'older' | null } | null {
  const relative = RELATIVE.exec(value);
  if (relative) {
    const at = now - Number(relative[2]) * UNIT_MS[relative[3]];
    return { at, relative: relative[1] === '+' ? 'older' : 'newer' };
  }
  const at = parseUtcDate(value);
  return at === null ? null : { at, relative: null };
}

function parseDate(value: string, name: string): number {
  const at = parseUtcDate(value);
  if (at === null) throw invalid(`invalid ${name} "${clip(value)}": use an ISO 8601 date`);
  return at;
}
