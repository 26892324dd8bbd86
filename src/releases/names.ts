/**
 * Release and environment names as ingest reads them from events and sessions alike (Relay's
 * release validation, Sentry's `Release.is_valid_version` and `Environment.is_valid_name`; the
 * Web API's own rules are in schemas.ts). One rule for both, or a release could have events
 * and no crash-free figures (a session named `web/1.0` was dropped, its event kept).
 */

const BAD_RELEASE = /[\r\n\t\f\v/\\]/;
const BAD_ENVIRONMENT = /[/\r\n\t\f\v]/;
const RESERVED_RELEASES = new Set(['.', '..', 'latest']);

export const DEFAULT_ENVIRONMENT = 'production';

/** The release a client named, trimmed; undefined when it names none Sentry could address. */
export function cleanReleaseName(value: unknown): string | undefined {
  const release =
    typeof value === 'string'
      ? value.trim()
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : '';
  if (!release || release.length > 200 || RESERVED_RELEASES.has(release)) return undefined;
  return BAD_RELEASE.test(release) ? undefined : release;
}

/** The environment a client named, trimmed; `production` when none or not a valid name. */
export function cleanEnvironmentName(value: unknown): string {
  if (typeof value !== 'string') return DEFAULT_ENVIRONMENT;
  const env = value.trim();
  return env && env.length <= 64 && !BAD_ENVIRONMENT.test(env) ? env : DEFAULT_ENVIRONMENT;
}
