import {
  clearable,
  defined,
  orgPath,
  positiveInt,
  projectPath,
  str,
  UsageError,
  type Verb,
} from './incident-args.ts';
import {
  asArray,
  asObject,
  fields,
  inline,
  type Json,
  oneLine,
  table,
  time,
  tree,
} from './incident-render.ts';

/** Organisation incident settings and per-project mitigation hooks. */

const settings: Verb = {
  usage:
    "[--scheme P1-P4|P0-P3] [--default-severity S] [--hold-minutes N] [--component-tag TAG|'']   (no option: show them; changing needs org:write)",
  summary: "the organisation's severities (response targets, update cadence, escalation), roles, defaults",
  options: {
    scheme: { type: 'string' },
    'default-severity': { type: 'string' },
    'hold-minutes': { type: 'string' },
    'component-tag': { type: 'string' },
  },
  plan: (input) => {
    if (input.positionals.length > 0) throw new UsageError(`unexpected argument "${input.positionals[0]}"`);
    const path = orgPath(input.org, 'incident-settings');
    const change = defined({
      scheme: str(input.values, 'scheme'),
      defaultSeverity: str(input.values, 'default-severity'),
      holdMinutes: positiveInt(input.values, 'hold-minutes'),
      componentTag: clearable(input.values, 'component-tag'),
    });
    return Object.keys(change).length === 0 ? { method: 'GET', path } : { method: 'PUT', path, body: change };
  },
  render: (io, answer) => {
    const s = asObject(answer);
    const severities = asArray(s.severities).map(asObject);
    if (severities.length > 0) {
      table(
        io,
        ['SEVERITY', 'RESPOND', 'UPDATES', 'ESCALATION', 'DESCRIPTION'],
        severities.map((sev) => [
          oneLine(sev.name),
          minutes(sev.responseMinutes, 'next business day'),
          minutes(sev.updateCadenceMinutes, '—'),
          inline(sev.escalation),
          oneLine(sev.description, 80),
        ]),
      );
    }
    const rest: Json = { ...s };
    delete rest.severities;
    const roles = asArray(s.roles).map(asObject);
    if (roles.length > 0) {
      rest.roles = roles.map((r) => `${oneLine(r.key)} (${oneLine(r.name)})`).join(', ');
    }
    tree(io, rest);
  },
};

function minutes(value: unknown, whenNull: string): string {
  if (value === null) return whenNull;
  if (value === 0) return 'immediately';
  if (typeof value === 'number') return value % 60 === 0 ? `${value / 60}h` : `${value}m`;
  return oneLine(value);
}

const HOOK_SUBS = ['get', 'set', 'delete'] as const;

const hook: Verb = {
  usage:
    "(get|set|delete) --project P [--webhook URL|''] [--secret-env NAME|--clear-secret] [--clear-command] [-- PROGRAM ARG…]",
  summary:
    'the hook called when a mitigation is recorded for the project: a webhook (signed with the secret) and/or a command (argv, no shell; {release} {environment} {incident} … are filled in)',
  options: {
    project: { type: 'string' },
    webhook: { type: 'string' },
    'secret-env': { type: 'string' },
    'clear-secret': { type: 'boolean' },
    'clear-command': { type: 'boolean' },
  },
  plan: (input) => {
    const [sub, ...command] = input.positionals;
    if (!(HOOK_SUBS as readonly string[]).includes(sub ?? '')) {
      throw new UsageError(`hook needs get, set or delete${sub === undefined ? '' : `, not "${sub}"`}`);
    }
    const project = str(input.values, 'project');
    if (!project) throw new UsageError('--project P is required');
    const path = projectPath(input.org, project, 'mitigation-hook');
    const v = input.values;
    const changes = ['webhook', 'secret-env', 'clear-secret', 'clear-command'].filter(
      (k) => v[k] !== undefined,
    );
    if (sub !== 'set') {
      if (command.length > 0 || changes.length > 0) throw new UsageError(`hook ${sub} takes only --project`);
      return { method: sub === 'get' ? 'GET' : 'DELETE', path };
    }
    if (v['clear-secret'] === true && v['secret-env'] !== undefined) {
      throw new UsageError('--secret-env or --clear-secret, not both');
    }
    if (v['clear-command'] === true && command.length > 0) {
      throw new UsageError('a command after -- or --clear-command, not both');
    }
    const body = defined({
      url: clearable(v, 'webhook'),
      secret: v['clear-secret'] === true ? null : secretFromEnv(input.env, str(v, 'secret-env')),
      command: v['clear-command'] === true ? null : command.length > 0 ? command : undefined,
    });
    if (Object.keys(body).length === 0) {
      throw new UsageError('hook set needs --webhook URL and/or a command after --');
    }
    return { method: 'PUT', path, body };
  },
  render: (io, answer, input) => {
    const h = asObject(answer);
    if (answer === null || h.configured === false) {
      const project = str(input.values, 'project') ?? '';
      io.out(
        `${input.positionals[0] === 'delete' ? 'deleted the' : 'no'} mitigation hook for ${oneLine(project)}`,
      );
      return;
    }
    fields(io, [
      ['project', oneLine(h.project)],
      ['webhook', oneLine(h.url)],
      ['command', Array.isArray(h.command) ? h.command.map((a) => JSON.stringify(a)).join(' ') : '—'],
      // The server never shows the secret back; say only whether there is one.
      ['secret', h.hasSecret === true ? 'set' : '—'],
      ['updated', time(h.dateUpdated)],
    ]);
  },
};

/** A webhook secret is read from a named variable, never a flag, so it stays out of shell history. */
function secretFromEnv(
  env: Record<string, string | undefined>,
  name: string | undefined,
): string | undefined {
  if (name === undefined) return undefined;
  const value = env[name];
  if (!value) throw new UsageError(`--secret-env ${name}: that environment variable is not set`);
  return value;
}

export const SETTINGS_VERBS: Record<string, Verb> = { settings, hook };
