import { arg, list, orgPath, str, UsageError, type Verb, type VerbInput } from './incident-args.ts';
import type { CliIo } from './output.ts';

/**
 * `firebreak notify` verbs as data (the same Verb shape as `firebreak incident`): one REST request
 * each. Secrets (webhook secret, Slack URL, SMTP password) come from environment variables named
 * by a flag, never from the command line, which shell history keeps.
 */

/** The fields of the API answers these verbs print (docs/notifications.md has them all). */
interface TargetRow {
  id: string;
  kind: string;
  name: string;
  enabled: boolean;
  url?: string;
  hasSecret?: boolean;
  host?: string;
  port?: number;
  tls?: string;
  to?: string[];
}
interface DeliveryRow {
  id: string;
  status: string;
  kind: string;
  target: string;
  title: string;
  attemptCount: number;
  nextAttemptAt: string | null;
  attempts: { attempt: number; ok: boolean; detail: string; excerpt?: string | null }[];
}
interface PolicyRow {
  severity: string;
  configured: boolean;
  escalation: string;
  defaultAckMinutes: number;
  levels: { level: number; targets: string[]; ackMinutes: number }[];
  reminderTargets: string[];
  updateTargets: string[];
}

function fromEnv(input: VerbInput, flag: string): string | undefined {
  const name = str(input.values, flag);
  if (name === undefined) return undefined;
  const value = input.env[name];
  if (!value) throw new UsageError(`--${flag} ${name}: that environment variable is not set`);
  return value;
}

const where = (t: TargetRow): string =>
  t.kind === 'webhook'
    ? `${t.url}${t.hasSecret ? ' (signed)' : ''}`
    : t.kind === 'slack'
      ? `${t.host} (Slack)`
      : `${t.host}:${t.port} ${t.tls} → ${(t.to ?? []).join(', ')}`;

const showTarget = (io: CliIo, t: TargetRow) =>
  io.out(
    `${String(t.id).padEnd(5)} ${t.kind.padEnd(8)} ${t.name.padEnd(20)} ${t.enabled ? '' : '(disabled) '}${where(t)}`,
  );

const showDelivery = (io: CliIo, d: DeliveryRow) => {
  const last = d.attempts.at(-1);
  const next = d.status === 'pending' && d.nextAttemptAt ? ` next ${d.nextAttemptAt}` : '';
  io.out(
    `${String(d.id).padEnd(6)} ${d.status.padEnd(8)} ${d.kind.padEnd(10)} target ${String(d.target).padEnd(4)} ${d.attemptCount} attempt(s)${next}  ${d.title}`,
  );
  if (last && !last.ok) io.out(`       last: ${last.detail}`);
};

const targets: Verb = {
  usage: '',
  summary: "the organisation's notification targets (secrets are never shown)",
  options: {},
  plan: (input) => ({ method: 'GET', path: orgPath(input.org, 'notification-targets') }),
  render: (io, answer) => {
    const rows = answer as TargetRow[];
    if (rows.length === 0) io.out('no notification targets (add one with `npx firebreak notify add`)');
    for (const t of rows) showTarget(io, t);
  },
};

const add: Verb = {
  usage:
    'webhook|slack|email NAME [--webhook URL] [--secret-env VAR] | [--webhook-env VAR] | [--host H --port N --tls tls|starttls|none --insecure-tls --username U --password-env VAR --from ADDR --to ADDR…] [--disabled]',
  summary: 'adds a target: a signed JSON webhook, a Slack-compatible incoming webhook, or email over SMTP',
  options: {
    /** Not --url: that names the Firebreak server, as in every command. */
    webhook: { type: 'string' },
    'webhook-env': { type: 'string' },
    'secret-env': { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    tls: { type: 'string' },
    'insecure-tls': { type: 'boolean' },
    username: { type: 'string' },
    'password-env': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string', multiple: true },
    disabled: { type: 'boolean' },
  },
  plan: (input) => {
    const kind = arg(input, 0, 'the kind (webhook, slack or email)');
    const name = arg(input, 1, 'NAME');
    const v = input.values;
    const common = { kind, name, ...(v.disabled === true ? { enabled: false } : {}) };
    const path = orgPath(input.org, 'notification-targets');
    if (kind === 'webhook') {
      return {
        method: 'POST',
        path,
        body: { ...common, url: str(v, 'webhook'), secret: fromEnv(input, 'secret-env') },
      };
    }
    if (kind === 'slack') {
      // The incoming-webhook URL is the credential: from the environment (--webhook works too).
      return {
        method: 'POST',
        path,
        body: { ...common, url: fromEnv(input, 'webhook-env') ?? str(v, 'webhook') },
      };
    }
    if (kind === 'email') {
      const port = str(v, 'port');
      if (port !== undefined && !/^\d{1,5}$/.test(port))
        throw new UsageError(`--port ${port} is not a port number`);
      return {
        method: 'POST',
        path,
        body: {
          ...common,
          host: str(v, 'host'),
          port: port === undefined ? undefined : Number(port),
          tls: str(v, 'tls'),
          tlsRejectUnauthorized: v['insecure-tls'] === true ? false : undefined,
          username: str(v, 'username'),
          password: fromEnv(input, 'password-env'),
          from: str(v, 'from'),
          to: list(v, 'to'),
        },
      };
    }
    throw new UsageError(`unknown kind "${kind}" (webhook, slack or email)`);
  },
  render: (io, answer) => showTarget(io, answer as TargetRow),
};

const remove: Verb = {
  usage: 'ID',
  summary: 'deletes a target (its queued deliveries go with it)',
  options: {},
  plan: (input) => ({
    method: 'DELETE',
    path: orgPath(input.org, 'notification-targets', arg(input, 0, 'ID')),
  }),
  render: (io, _answer, input) => io.out(`deleted target ${input.positionals[0]}`),
};

const test: Verb = {
  usage: 'ID',
  summary: 'sends a test notification now and shows the attempt',
  options: {},
  plan: (input) => ({
    method: 'POST',
    path: `${orgPath(input.org, 'notification-targets', arg(input, 0, 'ID'))}test/`,
    body: {},
  }),
  render: (io, answer) => {
    const d = answer as DeliveryRow;
    showDelivery(io, d);
    for (const a of d.attempts)
      io.out(
        `       attempt ${a.attempt}: ${a.ok ? 'ok' : 'failed'} — ${a.detail}${a.excerpt ? `: ${a.excerpt}` : ''}`,
      );
  },
  // A scripted check of a target must see a failed send: 6, as for anything unreachable.
  exitCode: (answer) => ((answer as DeliveryRow).status === 'sent' ? 0 : 6),
};

const deliveries: Verb = {
  usage: '[--status pending|sending|sent|failed] [--target ID] [--per-page N] [--cursor C]',
  summary: 'the delivery log, newest first, with the last failure of each',
  options: {
    status: { type: 'string' },
    target: { type: 'string' },
    'per-page': { type: 'string' },
    cursor: { type: 'string' },
  },
  plan: (input) => ({
    method: 'GET',
    path: orgPath(input.org, 'notification-deliveries'),
    query: {
      status: str(input.values, 'status'),
      target: str(input.values, 'target'),
      per_page: str(input.values, 'per-page'),
      cursor: str(input.values, 'cursor'),
    },
  }),
  render: (io, answer, _input, page) => {
    const rows = answer as DeliveryRow[];
    if (rows.length === 0) io.out('no deliveries');
    for (const d of rows) showDelivery(io, d);
    if (page.nextCursor) io.out(`more: --cursor ${page.nextCursor}`);
  },
};

/** `--level 3,4:15` = targets 3 and 4, acknowledge within 15 minutes (default: the severity's). */
function parseLevel(text: string) {
  const match = /^(\d+(?:,\d+)*)(?::(\d+))?$/.exec(text.trim());
  if (!match) throw new UsageError(`--level ${text}: expected target ids and optional minutes, e.g. 3,4:15`);
  return { targets: match[1].split(','), ...(match[2] ? { ackMinutes: Number(match[2]) } : {}) };
}

const escalation: Verb = {
  usage: '[SEVERITY [--level IDS[:MIN]]… [--remind IDS] [--updates IDS] | SEVERITY --clear]',
  summary:
    'escalation policies: without arguments all severities; with --level the ordered levels (target ids, minutes to acknowledge) replace the policy',
  options: {
    level: { type: 'string', multiple: true },
    remind: { type: 'string' },
    updates: { type: 'string' },
    clear: { type: 'boolean' },
  },
  plan: (input) => {
    const severity = input.positionals[0];
    const base = orgPath(input.org, 'escalation-policies');
    const levels = (input.values.level as string[] | undefined) ?? [];
    if (severity === undefined) return { method: 'GET', path: base };
    const path = orgPath(input.org, 'escalation-policies', severity);
    if (input.values.clear === true) {
      if (levels.length) throw new UsageError('--clear or --level, not both');
      return { method: 'DELETE', path };
    }
    if (levels.length === 0) return { method: 'GET', path };
    return {
      method: 'PUT',
      path,
      body: {
        levels: levels.map(parseLevel),
        reminderTargets: list(input.values, 'remind'),
        updateTargets: list(input.values, 'updates'),
      },
    };
  },
  render: (io, answer, input) => {
    if (answer === null) return io.out(`cleared the ${input.positionals[0]} escalation policy`);
    for (const p of Array.isArray(answer) ? (answer as PolicyRow[]) : [answer as PolicyRow]) {
      const head = `${p.severity.padEnd(4)} ${p.escalation || '—'} (default deadline ${p.defaultAckMinutes} min)`;
      if (!p.configured) {
        io.out(`${head}: no policy`);
        continue;
      }
      io.out(`${head}:`);
      for (const l of p.levels)
        io.out(`  level ${l.level}: targets ${l.targets.join(', ')}, acknowledge within ${l.ackMinutes} min`);
      if (p.reminderTargets.length) io.out(`  reminders: targets ${p.reminderTargets.join(', ')}`);
      if (p.updateTargets.length)
        io.out(`  status updates and resolution: targets ${p.updateTargets.join(', ')}`);
    }
  },
};

export const NOTIFY_VERBS: Record<string, Verb> = { targets, add, remove, test, deliveries, escalation };
