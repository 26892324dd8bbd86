import type { Delivery, NotificationKind, NotificationTarget } from '../store/types-notifications.ts';

/**
 * What each channel receives. Webhooks get Sentry's integration-platform envelope
 * (`{action, installation, data, actor}`); for an alert `data` is exactly what the alert rule
 * gave — Sentry's issue-alert shape `{event | issue, triggered_rule}` — with action `triggered`
 * and resource `event_alert`, so receivers written for Sentry's alert webhooks read it unchanged.
 * Firebreak's own notifications use the same envelope with their own action and resource.
 */
const ACTIONS: Record<NotificationKind, string> = {
  alert: 'triggered',
  escalation: 'escalated',
  reminder: 'update_overdue',
  status_update: 'status_update',
  resolved: 'resolved',
  test: 'test',
};

const RESOURCES: Record<NotificationKind, string> = {
  alert: 'event_alert',
  escalation: 'incident',
  reminder: 'incident',
  status_update: 'incident',
  resolved: 'incident',
  test: 'installation',
};

export function webhookPayload(delivery: Delivery, target: NotificationTarget, now: number) {
  return {
    resource: RESOURCES[delivery.kind],
    body: {
      action: ACTIONS[delivery.kind],
      installation: { uuid: String(target.config.installationUuid ?? target.id) },
      data: delivery.data,
      actor: { type: 'application', id: 'firebreak', name: 'Firebreak' },
      notification: {
        id: String(delivery.id),
        kind: delivery.kind,
        title: delivery.title,
        text: delivery.text,
        url: delivery.url,
        dedupeKey: delivery.dedupeKey,
        createdAt: new Date(delivery.createdAt).toISOString(),
        sentAt: new Date(now).toISOString(),
      },
    },
  };
}

/** Slack's mrkdwn needs exactly these three escaped (api.slack.com/reference/surfaces/formatting). */
export const escapeMrkdwn = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Section text is capped at 3000 characters by Slack. */
const SECTION_CHARS = 2900;

const LABELS: Record<NotificationKind, string> = {
  alert: 'Alert',
  escalation: 'Escalation',
  reminder: 'Status update due',
  status_update: 'Status update',
  resolved: 'Resolved',
  test: 'Test',
};

/** A Slack-compatible incoming-webhook message: `text` for notifications, `blocks` for the channel. */
export function slackPayload(delivery: Delivery) {
  const title = escapeMrkdwn(delivery.title);
  // Inside <url|label> a `|` or `>` would end the link early; they are percent-encoded.
  const link = delivery.url ? escapeMrkdwn(delivery.url).replace(/\|/g, '%7C') : null;
  const heading = link ? `*<${link}|${title}>*` : `*${title}*`;
  const body = escapeMrkdwn(delivery.text);
  return {
    text: `${LABELS[delivery.kind]}: ${title}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: heading } },
      ...(body
        ? [
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text: body.length > SECTION_CHARS ? `${body.slice(0, SECTION_CHARS)}…` : body,
              },
            },
          ]
        : []),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Firebreak · ${LABELS[delivery.kind]}` }],
      },
    ],
  };
}

/** Plain text mail: the subject is one line (no header injection), the body the text and the link. */
export function emailMessage(delivery: Delivery) {
  const subject = `[Firebreak] ${delivery.title}`.replace(/[\r\n]+/g, ' ').slice(0, 250);
  const text = [
    delivery.text,
    delivery.url ? `\n${delivery.url}` : '',
    `\n-- \nFirebreak · ${LABELS[delivery.kind]}`,
  ]
    .filter(Boolean)
    .join('\n');
  return { subject, text };
}

/**
 * Escalations and reminders may name people to reach (the incident's Comms Lead): email targets
 * add them to their recipients. Alerts cannot: their data carries event content from outside.
 */
export function extraRecipients(delivery: Delivery): string[] {
  if (delivery.kind !== 'escalation' && delivery.kind !== 'reminder') return [];
  const list = delivery.data.recipients;
  return Array.isArray(list)
    ? list.filter((r): r is string => typeof r === 'string' && /^[^\s@<>,]+@[^\s@<>,]+$/.test(r))
    : [];
}
