import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../app-error.ts';
import type { NotificationTarget, TargetKind } from '../store/types-notifications.ts';

/** http(s) only: a target is called by this server, so no file:, data: or other schemes. */
const HttpUrl = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL')
  // A user:password in the URL would be shown wherever the URL is; secrets go in `secret`.
  .refine((u) => !URL.canParse(u) || (new URL(u).username === '' && new URL(u).password === ''), {
    message: 'must not contain a user name or password (use the secret for authentication)',
  });
const Email = z
  .string()
  .trim()
  .max(320)
  .regex(/^[^\s@<>,;"]+@[^\s@<>,;"]+$/, 'must be an email address');
const Name = z.string().trim().min(1).max(64);

const Webhook = z
  .object({
    kind: z.literal('webhook'),
    name: Name,
    enabled: z.boolean().optional(),
    url: HttpUrl,
    /** HMAC-SHA256 key for X-Firebreak-Signature; null clears it. */
    secret: z.string().min(1).max(256).nullable().optional(),
  })
  .strict();

const Slack = z
  .object({
    kind: z.literal('slack'),
    name: Name,
    enabled: z.boolean().optional(),
    /** The incoming-webhook URL; it is itself the credential, so it is stored as a secret. */
    url: HttpUrl,
  })
  .strict();

const EmailTarget = z
  .object({
    kind: z.literal('email'),
    name: Name,
    enabled: z.boolean().optional(),
    host: z
      .string()
      .trim()
      .min(1)
      .max(253)
      .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or address'),
    port: z.number().int().min(1).max(65535).optional(),
    // No schema defaults: the update schema is this one made partial, and a default there would
    // reset a target's TLS mode and port on every change that does not name them. storedTarget
    // fills them in for a new target (starttls, certificates checked).
    tls: z.enum(['tls', 'starttls', 'none']).optional(),
    tlsRejectUnauthorized: z.boolean().optional(),
    username: z.string().trim().min(1).max(320).nullable().optional(),
    password: z.string().min(1).max(1000).nullable().optional(),
    from: Email,
    to: z.array(Email).min(1).max(50),
  })
  .strict();

export const CreateTargetInput = z.discriminatedUnion('kind', [Webhook, Slack, EmailTarget]);
export type CreateTargetInput = z.infer<typeof CreateTargetInput>;

/** A change names only what changes; the kind stays. */
export const UPDATE_SCHEMAS: Record<TargetKind, z.ZodType> = {
  webhook: Webhook.omit({ kind: true }).partial().strict(),
  slack: Slack.omit({ kind: true }).partial().strict(),
  email: EmailTarget.omit({ kind: true }).partial().strict(),
};

const DEFAULT_PORTS = { tls: 465, starttls: 587, none: 25 } as const;

/**
 * Splits validated input into what may be shown (`config`) and what never is (`secrets`),
 * on top of the target's current values (a change) or of nothing (a new target).
 */
export function storedTarget(
  kind: TargetKind,
  input: Record<string, unknown>,
  current: Pick<NotificationTarget, 'config' | 'secrets'> | null,
): { config: Record<string, unknown>; secrets: Record<string, string> } {
  const config = { ...(current?.config ?? { installationUuid: randomUUID() }) };
  const secrets = { ...(current?.secrets ?? {}) };
  const setSecret = (name: string, value: unknown) => {
    if (value === undefined) return;
    if (value === null) delete secrets[name];
    else secrets[name] = String(value);
  };
  switch (kind) {
    case 'webhook':
      if (input.url !== undefined) config.url = input.url;
      setSecret('secret', input.secret);
      break;
    case 'slack':
      if (input.url !== undefined) config.host = new URL(String(input.url)).host;
      setSecret('url', input.url);
      break;
    case 'email': {
      requirePasswordIfRedirected(input, current);
      for (const key of ['host', 'tls', 'tlsRejectUnauthorized', 'from', 'to', 'port'] as const) {
        if (input[key] !== undefined) config[key] = input[key];
      }
      if (input.username !== undefined) config.username = input.username;
      config.username ??= null;
      config.tls ??= 'starttls';
      config.tlsRejectUnauthorized ??= true;
      // The port follows the TLS mode unless it was given.
      if (input.port === undefined && (current === null || input.tls !== undefined)) {
        config.port = DEFAULT_PORTS[config.tls as keyof typeof DEFAULT_PORTS];
      }
      setSecret('password', input.password);
      break;
    }
  }
  return { config, secrets };
}

/**
 * A stored SMTP password is sent to the server it was given for, in the clear over `tls: none`.
 * A change that would send it elsewhere or less protected (host, port, TLS mode, certificate
 * checks off) must give it again, or `null` to drop it: otherwise anyone allowed to edit the
 * target could point it at a server of theirs and read the password from its login.
 */
function requirePasswordIfRedirected(
  input: Record<string, unknown>,
  current: Pick<NotificationTarget, 'config' | 'secrets'> | null,
): void {
  if (!current || current.secrets.password === undefined || input.password !== undefined) return;
  const changed: string[] = ['host', 'port', 'tls'].filter(
    (key) => input[key] !== undefined && input[key] !== current.config[key],
  );
  if (input.tlsRejectUnauthorized === false && current.config.tlsRejectUnauthorized !== false)
    changed.push('tlsRejectUnauthorized');
  if (changed.length > 0) {
    throw new AppError(
      'VALIDATION',
      `password: changing ${changed.join(', ')} needs the password again (or null to remove it); the stored one is only sent where it was set for`,
    );
  }
}
