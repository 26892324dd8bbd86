import { parseArgs } from 'node:util';
import { AppError } from '../app-error.ts';
import { ApiClient, DEFAULT_URL, type Env, resolveApiTarget } from './api-client.ts';
import { UsageError, type Values, type VerbInput } from './incident-args.ts';
import { NOTIFY_VERBS } from './notify-verbs.ts';
import { type CliIo, printJson, reportError } from './output.ts';

const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  org: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const ALIASES: Record<string, string> = { ls: 'targets', rm: 'remove', delete: 'remove', log: 'deliveries' };

export function notifyUsage(): string {
  const lines = ['usage: firebreak notify <verb> [arguments] [--url URL] [--org SLUG] [--json]', ''];
  for (const [name, verb] of Object.entries(NOTIFY_VERBS)) {
    lines.push(`  ${name.padEnd(12)}${verb.usage}`, `  ${''.padEnd(12)}${verb.summary}`);
  }
  lines.push(
    '',
    `--url (or FIREBREAK_URL, default ${DEFAULT_URL}) names the server, --org (or FIREBREAK_ORG) the`,
    'organisation. The token is read from FIREBREAK_TOKEN; reading needs org:read, changing org:write.',
    'Aliases: ls (targets), rm (remove), log (deliveries). See docs/notifications.md.',
  );
  return lines.join('\n');
}

const isUsageError = (error: unknown) =>
  (error instanceof AppError && error.code === 'VALIDATION') ||
  (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'));

/** `firebreak notify <verb> …` over the REST API; `env` is injectable for in-process tests. */
export async function notifyCommand(args: string[], io: CliIo, env: Env = process.env): Promise<number> {
  const [given, ...rest] = args;
  if (!given || given === '--help' || given === '-h' || given === 'help') {
    io.out(notifyUsage());
    return given ? 0 : 2;
  }
  const name = ALIASES[given] ?? given;
  const verb = NOTIFY_VERBS[name];
  if (!verb) {
    io.err(`firebreak notify: unknown verb "${given}"\n\n${notifyUsage()}`);
    return 2;
  }
  const usage = `usage: firebreak notify ${name} ${verb.usage}\n${verb.summary}`;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(usage);
    return 0;
  }
  let planned: { input: VerbInput; json: boolean; target: ReturnType<typeof resolveApiTarget> };
  let request: ReturnType<typeof verb.plan>;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
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
    planned = {
      input: { values: flags, positionals, org: target.org, env },
      json: flags.json === true,
      target,
    };
    request = verb.plan(planned.input);
  } catch (error) {
    if (!isUsageError(error)) return reportError(io, error);
    io.err(`firebreak notify ${name}: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  try {
    const { body, nextCursor } = await new ApiClient(planned.target).send(request);
    if (planned.json) printJson(io, body);
    else verb.render(io, body, planned.input, { nextCursor });
    return 0;
  } catch (error) {
    return reportError(io, error);
  }
}
