import { randomUUID } from 'node:crypto';
import { ApiRefused, ApiUnreachable } from './api-client.ts';
import type { CheckContext } from './context.ts';
import type { ParsedDsn } from './mask.ts';
import { enc, type Target } from './slugs.ts';

/**
 * The one write any check makes, and only with `local-smoke --send-test-event`: a single info
 * event through the DSN's ingest endpoint, as an SDK would send it. It carries a fixed
 * fingerprint and its own environment, so every smoke test lands in one issue that stays out of
 * production views; prod-health and issue-triage leave that issue out of their counts.
 */

export const SMOKE_TEST_TITLE = 'firebreak check: local-smoke test event';
export const SMOKE_TEST_ENVIRONMENT = 'firebreak-check';

const CONFIRM_TIMEOUT_MS = 30_000;
const CONFIRM_INTERVAL_MS = 500;

export interface TestEventOutcome {
  eventId: string;
  accepted: boolean;
  /** What went wrong when not accepted (status and the server's words), for the evidence. */
  refusal: string | null;
}

export async function sendTestEvent(dsn: ParsedDsn, now: number): Promise<TestEventOutcome> {
  const eventId = randomUUID().replace(/-/g, '');
  const url = `${dsn.protocol}://${dsn.host}${dsn.pathPrefix}/api/${dsn.projectId}/envelope/`;
  const event = {
    event_id: eventId,
    timestamp: now / 1000,
    platform: 'other',
    level: 'info',
    logger: 'firebreak.check',
    environment: SMOKE_TEST_ENVIRONMENT,
    logentry: { message: SMOKE_TEST_TITLE, formatted: SMOKE_TEST_TITLE },
    fingerprint: ['firebreak-check-smoke-test'],
    tags: { firebreak_check: 'local-smoke' },
    sdk: { name: 'firebreak.check', version: '1' },
  };
  const body = [
    JSON.stringify({ event_id: eventId, sent_at: new Date(now).toISOString() }),
    JSON.stringify({ type: 'event' }),
    JSON.stringify(event),
  ].join('\n');
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-sentry-envelope',
        'X-Sentry-Auth': `Sentry sentry_version=7, sentry_key=${dsn.publicKey}, sentry_client=firebreak-check/1`,
      },
      body,
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code ?? 'network error';
    throw new ApiUnreachable(`could not send the test event to ${dsn.host} (${code})`);
  }
  const text = (await response.text().catch(() => '')).slice(0, 200);
  if (response.status >= 500) throw new ApiUnreachable(`ingest at ${dsn.host} answered ${response.status}`);
  const refusal = response.ok
    ? null
    : `${response.status} ${response.headers.get('x-sentry-error') ?? text}`.trim();
  return { eventId, accepted: response.ok, refusal };
}

/** Reads the event back through the Web API until it is there or the wait runs out. */
export async function confirmTestEvent(ctx: CheckContext, target: Target, eventId: string): Promise<boolean> {
  const path = `/api/0/projects/${enc(target.org)}/${enc(target.project)}/events/${eventId}/`;
  const deadline = ctx.now() + CONFIRM_TIMEOUT_MS;
  for (;;) {
    try {
      await ctx.api.get(path);
      return true;
    } catch (error) {
      // 404 until the server has processed it; anything else is an answer in itself.
      if (!(error instanceof ApiRefused) || error.status !== 404) throw error;
    }
    if (ctx.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, CONFIRM_INTERVAL_MS));
  }
}
