import type { AppContext } from '../context.ts';
import { signatureOf } from '../outgoing/post.ts';
import type { Delivery, NotificationTarget } from '../store/types-notifications.ts';
import { postDelivery } from './http-post.ts';
import { slackPayload, webhookPayload } from './payloads.ts';
import { sendEmail } from './send-email.ts';
import type { SendResult } from './send-result.ts';

/** Sends one claimed delivery through its target's channel. Never throws. */
export async function sendDelivery(
  ctx: AppContext,
  target: NotificationTarget | null,
  delivery: Delivery,
): Promise<SendResult> {
  if (!target) return { ok: false, permanent: true, statusCode: null, detail: 'the target was deleted' };
  if (!target.enabled && delivery.kind !== 'test') {
    return { ok: false, permanent: true, statusCode: null, detail: 'the target is disabled' };
  }
  const timeoutMs = ctx.config.notifyTimeoutSeconds * 1000;
  const now = ctx.clock.now();
  try {
    switch (target.kind) {
      case 'webhook': {
        const { resource, body: payload } = webhookPayload(delivery, target, now);
        const body = JSON.stringify(payload);
        const headers: Record<string, string> = {
          'X-Firebreak-Delivery': String(delivery.id),
          'X-Firebreak-Event': delivery.kind,
          'Sentry-Hook-Resource': resource,
          'Sentry-Hook-Timestamp': String(Math.floor(now / 1000)),
        };
        const secret = target.secrets.secret;
        if (secret) {
          const signature = signatureOf(secret, body);
          headers['X-Firebreak-Signature'] = `sha256=${signature}`;
          // Sentry's integration platform signs the same way, as bare hex.
          headers['Sentry-Hook-Signature'] = signature;
        }
        return await postDelivery(String(target.config.url), body, headers, timeoutMs);
      }
      case 'slack':
        return await postDelivery(target.secrets.url, JSON.stringify(slackPayload(delivery)), {}, timeoutMs);
      case 'email':
        return await sendEmail(target, delivery, timeoutMs);
    }
  } catch (error) {
    // A malformed stored target (hand-edited database) must not stop the worker.
    // Only the error's name: its message may quote the target's URL, which can be a credential.
    ctx.logger.warn({ targetId: target.id, error: (error as Error).name }, 'notification send failed');
    return { ok: false, permanent: true, statusCode: null, detail: `cannot send: ${(error as Error).name}` };
  }
}
