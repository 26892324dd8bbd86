import { parseArgs } from 'node:util';
import { AppError } from '../app-error.ts';
import { ALERT_VERBS } from './alert-verbs.ts';
import { ApiClient, DEFAULT_URL, type Env, resolveApiTarget } from './api-client.ts';
import { UsageError, type Values, type VerbInput } from './incident-args.ts';
import { type CliIo, printJson, reportError } from './output.ts';

const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  org: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const ALIASES: Record<string, string> = {
  ls: 'list',
  create: 'add',
  rm: 'delete',
  remove: 'delete',
  history: 'firings',
};

export function alertUsage(): string {
  const lines = ['usage: firebreak alert <verb> [arguments] [--url URL] [--org SLUG] [--json]', ''];
  for (const [name, verb] of Object.entries(ALERT_VERBS)) {
    lines.push(`  ${name.padEnd(10)}${verb.usage}`, `  ${''.padEnd(10)}${verb.summary}`);
  }
  lines.push(
    '',
    `--url (or FIREBREAK_URL, default ${DEFAULT_URL}) names the server, --org (or FIREBREAK_ORG) the`,
    'organisation. The token is read from FIREBREAK_TOKEN; reading needs alerts:read or project:read,',
    'changing alerts:write or project:write. Aliases: ls, create, rm, history. See docs/alerting.md.',
  );
  return lines.join('\n');
}

const isUsageError = (error: unknown) =>
  (error instanceof AppError && error.code === 'VALIDATION') ||
  (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'));

/** `firebreak alert <verb> …`: alert rules and their firings over the REST API; `env` is injectable for tests. */
export async function alertCommand(args: string[], io: CliIo, env: Env = process.env): Promise<number> {
  const [given, ...rest] = args;
  if (!given || given === '--help' || given === '-h' || given === 'help') {
    io.out(alertUsage());
    return given ? 0 : 2;
  }
  const name = ALIASES[given] ?? given;
  const verb = ALERT_VERBS[name];
  if (!verb) {
    io.err(`firebreak alert: unknown verb "${given}"\n\n${alertUsage()}`);
    return 2;
  }
  const usage = `usage: firebreak alert ${name} ${verb.usage}\n${verb.summary}`;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(usage);
    return 0;
  }
  let input: VerbInput;
  let json: boolean;
  let target: ReturnType<typeof resolveApiTarget>;
  let request: ReturnType<typeof verb.plan>;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...verb.options, ...GLOBAL_OPTIONS },
      strict: true,
      allowPositionals: true,
    });
    const flags = values as Values;
    target = resolveApiTarget(
      { url: flags.url as string | undefined, org: flags.org as string | undefined },
      env,
    );
    if (!target.org) throw new UsageError('no organisation: pass --org SLUG or set FIREBREAK_ORG');
    input = { values: flags, positionals, org: target.org, env };
    json = flags.json === true;
    request = verb.plan(input);
  } catch (error) {
    if (!isUsageError(error)) return reportError(io, error);
    io.err(`firebreak alert ${name}: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  try {
    const { body, nextCursor } = await new ApiClient(target).send(request);
    if (json) printJson(io, body);
    else verb.render(io, body, input, { nextCursor });
    return 0;
  } catch (error) {
    return reportError(io, error);
  }
}
