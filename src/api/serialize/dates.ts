/** Sentry dates: RFC 3339 in UTC with a `Z` suffix. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}
