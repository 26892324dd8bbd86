import { replyExcerpt } from '../outgoing/reply-excerpt.ts';
import type { Delivery, NotificationTarget } from '../store/types-notifications.ts';
import { emailMessage, extraRecipients } from './payloads.ts';
import type { SendResult } from './send-result.ts';

export interface EmailConfig {
  host: string;
  port: number;
  /** `tls`: TLS from the first byte (465); `starttls`: upgrade required (587); `none`: plain. */
  tls: 'tls' | 'starttls' | 'none';
  /** false accepts a self-signed certificate (a relay on the same host); true by default. */
  tlsRejectUnauthorized: boolean;
  username: string | null;
  from: string;
  to: string[];
}

/** Without a reply code, these nodemailer errors cannot go away by themselves (config, message). */
const PERMANENT_CODES = new Set(['EAUTH', 'ENOAUTH', 'EENVELOPE', 'EMESSAGE']);

/**
 * Sends one delivery through the target's SMTP server with nodemailer (docs/decisions/0008).
 * A 5xx reply, a refused login or a bad envelope is final; a 4xx reply or a connection problem is
 * retried. The detail is the reply code or the error, never the password; the reply is an excerpt.
 */
export async function sendEmail(
  target: NotificationTarget,
  delivery: Delivery,
  timeoutMs: number,
): Promise<SendResult> {
  const config = target.config as unknown as EmailConfig;
  const password = target.secrets.password;
  // Imported on first send, not at startup: most servers never send an email, and loading
  // nodemailer measured ~5 MB of an idle server's resident memory.
  const { createTransport } = await import('nodemailer');
  const transport = createTransport({
    host: config.host,
    port: config.port,
    secure: config.tls === 'tls',
    requireTLS: config.tls === 'starttls',
    ignoreTLS: config.tls === 'none',
    tls: { rejectUnauthorized: config.tlsRejectUnauthorized !== false },
    auth: config.username ? { user: config.username, pass: password ?? '' } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const { subject, text } = emailMessage(delivery);
  const to = [...new Set([...config.to, ...extraRecipients(delivery)])];
  try {
    const info = await transport.sendMail({
      from: config.from,
      to,
      subject,
      text,
      headers: { 'X-Firebreak-Delivery': String(delivery.id), 'X-Firebreak-Kind': delivery.kind },
    });
    const reply = String(info.response ?? '');
    const code = Number.parseInt(reply, 10);
    const refused = (info.rejected ?? []).length;
    return {
      ok: true,
      permanent: false,
      statusCode: Number.isNaN(code) ? null : code,
      detail: `${config.host} accepted for ${to.length - refused} of ${to.length} recipients`,
      excerpt: replyExcerpt(reply),
    };
  } catch (error) {
    const failure = error as { code?: string; responseCode?: number; response?: string; message?: string };
    const code = failure.responseCode ?? null;
    // The server's reply is kept apart (an excerpt); without one, the message is nodemailer's own.
    const reason = failure.response
      ? `answered ${code ?? '?'}`
      : (failure.message ?? 'failed').replace(/\s+/g, ' ').slice(0, 300);
    return {
      ok: false,
      // A reply code decides (RFC 5321 §4.2.1: 4yz transient, 5yz permanent).
      permanent: code !== null ? code >= 500 : PERMANENT_CODES.has(failure.code ?? ''),
      statusCode: code,
      // Not "host:port CODE: …", which is how a row written before held the server's reply.
      detail: `${config.host}:${config.port} ${failure.code ?? 'failed'} (${reason})`,
      excerpt: failure.response ? replyExcerpt(failure.response) : null,
    };
  } finally {
    transport.close();
  }
}
