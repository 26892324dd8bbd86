import type { DeliveryView } from '../../notify/deliveries.ts';
import { shownUrl } from '../../outgoing/shown-url.ts';
import type { DeliveryAttempt, NotificationTarget } from '../../store/types-notifications.ts';
import { isoDate } from './dates.ts';

/**
 * A target as the API shows it: what was given minus its secrets, which appear only as
 * `hasSecret` / `hasPassword`. A Slack URL is a credential, so only its host is shown; a
 * webhook's query values may be too, so they show as `[Filtered]` (outgoing/shown-url.ts).
 */
export function serializeTarget(target: NotificationTarget) {
  const c = target.config;
  const common = {
    id: String(target.id),
    name: target.name,
    kind: target.kind,
    enabled: target.enabled,
    dateCreated: isoDate(target.createdAt),
    dateUpdated: isoDate(target.updatedAt),
  };
  switch (target.kind) {
    case 'webhook':
      return { ...common, url: shownUrl(String(c.url)), hasSecret: Boolean(target.secrets.secret) };
    case 'slack':
      return { ...common, host: String(c.host), hasUrl: Boolean(target.secrets.url) };
    case 'email':
      return {
        ...common,
        host: String(c.host),
        port: Number(c.port),
        tls: c.tls,
        tlsRejectUnauthorized: c.tlsRejectUnauthorized !== false,
        username: (c.username as string | null) ?? null,
        hasPassword: Boolean(target.secrets.password),
        from: String(c.from),
        to: c.to as string[],
      };
  }
}

export function serializeAttempt(attempt: DeliveryAttempt) {
  return {
    attempt: attempt.attempt,
    ok: attempt.ok,
    statusCode: attempt.statusCode,
    detail: attempt.detail,
    excerpt: attempt.excerpt,
    startedAt: isoDate(attempt.startedAt),
    finishedAt: isoDate(attempt.finishedAt),
  };
}

export function serializeDelivery({ delivery: d, attempts }: DeliveryView) {
  return {
    id: String(d.id),
    target: String(d.targetId),
    kind: d.kind,
    title: d.title,
    text: d.text,
    url: d.url,
    dedupeKey: d.dedupeKey,
    status: d.status,
    attemptCount: d.attempts,
    nextAttemptAt: d.status === 'pending' ? isoDate(d.nextAttemptAt) : null,
    lastError: d.lastError,
    dateCreated: isoDate(d.createdAt),
    dateSent: d.sentAt === null ? null : isoDate(d.sentAt),
    attempts: attempts.map(serializeAttempt),
  };
}
