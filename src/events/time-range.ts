import { invalid } from '../app-error.ts';

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const PERIOD = /^(\d{1,5})([smhdw])$/;

export interface TimeRange {
  start?: number;
  end?: number;
}

/**
 * Sentry's time window: `statsPeriod` (`24h`, `14d`, …) back from now, or absolute `start` and
 * `end` (ISO 8601, UTC unless they say). Neither → `defaultPeriod` (undefined = unbounded).
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
    return { start, end };
  }
  return defaultPeriod ? { start: now - periodMs(defaultPeriod) } : {};
}

export function periodMs(period: string): number {
  const match = PERIOD.exec(period);
  if (!match) throw invalid(`invalid statsPeriod "${period.slice(0, 20)}": use e.g. 1h, 24h, 14d`);
  return Number(match[1]) * UNIT_MS[match[2]];
}

function parseDate(value: string, name: string): number {
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(value) || !value.includes('T') ? value : `${value}Z`;
  const at = /^\d{4}-\d\d-\d\d/.test(value) ? Date.parse(zoned) : Number.NaN;
  if (Number.isNaN(at)) throw invalid(`invalid ${name} "${value.slice(0, 40)}": use an ISO 8601 date`);
  return at;
}
