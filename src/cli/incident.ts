import { parseArgs } from 'node:util';
import { AppError } from '../app-error.ts';
import { ApiClient, type ApiRequest, DEFAULT_URL, type Env, resolveApiTarget } from './api-client.ts';
import { UsageError, type Values, type Verb, type VerbInput } from './incident-args.ts';
import { LIFECYCLE_VERBS } from './incident-verbs-lifecycle.ts';
import { RESPONSE_VERBS } from './incident-verbs-response.ts';
import { SETTINGS_VERBS } from './incident-verbs-settings.ts';
import { TIMELINE_VERBS } from './incident-verbs-timeline.ts';
import { type CliIo, printJson, reportError } from './output.ts';

/**
 * `firebreak incident <verb> …`: every incident verb over the REST API, one request per verb, so
 * the CLI works against any Firebreak server the token reaches and needs no database.
 */

export const INCIDENT_VERBS: Record<string, Verb> = {
  ...LIFECYCLE_VERBS,
  ...TIMELINE_VERBS,
  ...RESPONSE_VERBS,
  ...SETTINGS_VERBS,
};

const ALIASES: Record<string, string> = {
  ls: 'list',
  view: 'show',
  acknowledge: 'ack',
  'update-status': 'post',
};

const GROUPS: [string, string[]][] = [
  ['the incident', ['list', 'declare', 'show', 'update', 'status', 'ack', 'role', 'link', 'unlink']],
  ['timeline and updates', ['timeline', 'note', 'edit', 'post', 'updates', 'draft']],
  ['response', ['triage', 'mitigate', 'mitigations', 'verify', 'resolve']],
  ['configuration', ['settings', 'hook']],
];

const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  org: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function incidentUsage(): string {
  const lines = ['usage: firebreak incident <verb> [arguments] [--url URL] [--org SLUG] [--json]', ''];
  for (const [title, names] of GROUPS) {
    lines.push(`${title}:`);
    for (const name of names) {
      const verb = INCIDENT_VERBS[name];
      lines.push(`  ${name.padEnd(12)}${verb.usage}`, `  ${''.padEnd(12)}${verb.summary}`);
    }
    lines.push('');
  }
  lines.push(
    'REF is INC-7 or 7. Aliases: ls, view, acknowledge, update-status (= post).',
    `--url (or FIREBREAK_URL, default ${DEFAULT_URL}) names the server, --org (or FIREBREAK_ORG) the`,
    'organisation; an organisation token (sntrys_…) supplies both. The token is read only from',
    'FIREBREAK_TOKEN (or SENTRY_AUTH_TOKEN), never from a flag; it needs incident:read / incident:write.',
    '--json prints the API answer as it came. Exit codes: 2 bad usage or input, 3 not found,',
    '4 not authorised, 5 conflict (someone changed it first), 6 server unreachable.',
  );
  return lines.join('\n');
}

function verbUsage(name: string, verb: Verb): string {
  return `usage: firebreak incident ${name} ${verb.usage}\n${verb.summary}`;
}

export interface PlannedCall {
  verb: Verb;
  input: VerbInput;
  request: ApiRequest;
  json: boolean;
  target: { baseUrl: string; token: string | null };
}

/** Reads the arguments into the one request they mean (no network). Throws on bad usage. */
export function planIncidentCall(name: string, args: string[], env: Env): PlannedCall {
  const verb = INCIDENT_VERBS[name];
  const { values, positionals } = parseArgs({
    args,
    options: { ...verb.options, ...GLOBAL_OPTIONS },
    strict: true,
    allowPositionals: true,
  });
  const flags = values as Values;
  const target = resolveApiTarget(
    { url: flags.url as string | undefined, org: flags.org as string | undefined },
    env,
  );
  if (!target.org) throw new UsageError('no organisation: pass --org SLUG or set FIREBREAK_ORG');
  const input: VerbInput = { values: flags, positionals, org: target.org, env };
  return { verb, input, request: verb.plan(input), json: flags.json === true, target };
}

const isUsageError = (error: unknown) =>
  (error instanceof AppError && error.code === 'VALIDATION') ||
  (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'));

/** `env` is injectable so tests can run the command in-process with their own token and URL. */
export async function incidentCommand(args: string[], io: CliIo, env: Env = process.env): Promise<number> {
  const [given, ...rest] = args;
  if (!given || given === '--help' || given === '-h' || given === 'help') {
    io.out(incidentUsage());
    return given ? 0 : 2;
  }
  const name = ALIASES[given] ?? given;
  const verb = INCIDENT_VERBS[name];
  if (!verb) {
    io.err(`firebreak incident: unknown verb "${given}"\n\n${incidentUsage()}`);
    return 2;
  }
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (options.includes('--help') || options.includes('-h')) {
    io.out(verbUsage(name, verb));
    return 0;
  }
  let call: PlannedCall;
  try {
    call = planIncidentCall(name, rest, env);
  } catch (error) {
    if (!isUsageError(error)) return reportError(io, error);
    io.err(`firebreak incident ${name}: ${(error as Error).message}\n${verbUsage(name, verb)}`);
    return 2;
  }
  try {
    const { body, nextCursor } = await new ApiClient(call.target).send(call.request);
    if (call.json) printJson(io, body);
    else call.verb.render(io, body, call.input, { nextCursor });
    return 0;
  } catch (error) {
    return reportError(io, error);
  }
}
