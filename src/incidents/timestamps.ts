import { z } from 'zod';
import { invalid } from '../app-error.ts';
import { parseIsoDate } from '../iso-dates.ts';

/**
 * The latest moment a timestamp may name: the end of year 9999. Dates derived from one (response
 * deadlines, due dates) must stay printable, and JavaScript's Date ends at +275760-09-13: an
 * incident detected there had a deadline past it, and every list holding it answered 500.
 */
export const MAX_TIMESTAMP_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const RANGE_ERROR = 'expected a date between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z';

/** An RFC 3339 date or epoch milliseconds, as epoch milliseconds. */
export const Timestamp = z.union(
  [
    z.number().int().min(0, RANGE_ERROR).max(MAX_TIMESTAMP_MS, RANGE_ERROR),
    z
      .string()
      .max(40)
      .refine(
        (text) => parseIsoDate(text) !== null,
        'expected an RFC 3339 date that exists (2026-11-22T09:00:00Z)',
      )
      .transform((text) => parseIsoDate(text) as number)
      .refine((ms) => ms >= 0 && ms <= MAX_TIMESTAMP_MS, RANGE_ERROR),
  ],
  { error: 'expected an RFC 3339 date (2026-11-22T09:00:00Z) or epoch milliseconds' },
);

export const MINUTE_MS = 60_000;

/** How far ahead of this server's clock a time may be and still be "now" on the sender's. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Refuses a moment that has not happened yet: an incident detected, a note or a mitigation dated
 * after now would read as the future on the timeline and turn its durations negative.
 */
export function notInFuture(ms: number | undefined, now: number, field: string): void {
  if (ms !== undefined && ms > now + CLOCK_SKEW_MS) throw invalid(`invalid ${field}: it is in the future`);
}

/**
 * The milestones a person may set keep their order: the first event, then detection, then the
 * declaration. Out of order, time to detect reads 0 and time to resolve can come out shorter
 * than time to acknowledge, in the incident and in every report's medians. `given` names the
 * fields the caller set; a milestone Firebreak derived is only compared with them.
 */
export function milestonesInOrder(
  milestones: { firstEventAt: number | null; detectedAt: number; declaredAt: number },
  given: { firstEventAt?: number; detectedAt?: number },
): void {
  const at = (ms: number) => new Date(ms).toISOString();
  const { firstEventAt, detectedAt, declaredAt } = milestones;
  if (given.detectedAt !== undefined && detectedAt > declaredAt + CLOCK_SKEW_MS) {
    throw invalid(`invalid detectedAt: ${at(detectedAt)} is after the declaration (${at(declaredAt)})`);
  }
  if (
    (given.firstEventAt !== undefined || given.detectedAt !== undefined) &&
    firstEventAt !== null &&
    firstEventAt > detectedAt
  ) {
    throw invalid(
      `invalid ${given.firstEventAt !== undefined ? 'firstEventAt' : 'detectedAt'}: the first event (${at(firstEventAt)}) would come after detection (${at(detectedAt)}); set both`,
    );
  }
}
