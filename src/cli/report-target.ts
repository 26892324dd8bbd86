import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { ApiClient, DEFAULT_URL, type Env, resolveApiTarget } from './api-client.ts';
import { UsageError, type Values } from './incident-args.ts';
import { type CliIo, reportError } from './output.ts';

/**
 * What `firebreak report`, `diagnostics` and `runbook` share with `firebreak incident`: the
 * server, organisation and token come from --url / --org, FIREBREAK_URL / FIREBREAK_ORG /
 * FIREBREAK_TOKEN, or an organisation token's claims; the token never from a flag.
 */
export const TARGET_OPTIONS = {
  url: { type: 'string' },
  org: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsOptionsConfig;

export const TARGET_HELP = [
  `--url (or FIREBREAK_URL, default ${DEFAULT_URL}) names the server, --org (or FIREBREAK_ORG) the`,
  'organisation; the token is read from FIREBREAK_TOKEN (or SENTRY_AUTH_TOKEN). --json prints the',
  'API answer as it came. Exit codes: 2 bad usage or input, 3 not found, 4 not authorised, 6 unreachable.',
].join('\n');

export interface Connected {
  values: Values;
  positionals: string[];
  client: ApiClient;
  org: string;
  json: boolean;
}

export function connect(args: string[], options: ParseArgsOptionsConfig, env: Env): Connected {
  const { values, positionals } = parseArgs({
    args,
    options: { ...options, ...TARGET_OPTIONS },
    strict: true,
    allowPositionals: true,
  });
  const flags = values as Values;
  const target = resolveApiTarget(
    { url: flags.url as string | undefined, org: flags.org as string | undefined },
    env,
  );
  if (!target.org) throw new UsageError('no organisation: pass --org SLUG or set FIREBREAK_ORG');
  return {
    values: flags,
    positionals,
    client: new ApiClient(target),
    org: target.org,
    json: flags.json === true,
  };
}

const isUsageError = (error: unknown) =>
  error instanceof UsageError ||
  (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'));

/** Runs a command body; bad usage prints the usage and exits 2, other errors map as everywhere. */
export async function runCommand(
  io: CliIo,
  name: string,
  usage: string,
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (!isUsageError(error)) return reportError(io, error);
    io.err(`firebreak ${name}: ${(error as Error).message}\n${usage}`);
    return 2;
  }
}
