import { parseArgs } from 'node:util';
import { AppError } from '../app-error.ts';
import { ApiClient, type Env, resolveApiTarget } from './api-client.ts';
import { UsageError, type Values, type Verb, type VerbInput } from './incident-args.ts';
import { type CliIo, printJson, reportError } from './output.ts';

/** Options every post-mortem and action command takes (as `firebreak incident`'s). */
export const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  org: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const isUsageError = (error: unknown): boolean =>
  (error instanceof AppError && error.code === 'VALIDATION') ||
  (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true);

/** Parses the arguments of a command or verb and finds the server, organisation and token. */
export function readArgs(options: Verb['options'], args: string[], env: Env) {
  const { values, positionals } = parseArgs({
    args,
    options: { ...options, ...GLOBAL_OPTIONS },
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
  return { input, json: flags.json === true, client: new ApiClient(target) };
}

/**
 * Runs one verb of a command built from `Verb`s (one REST request each): usage errors exit 2 with
 * the verb's usage, API errors map to the usual exit codes.
 */
export async function runVerb(
  command: string,
  verbs: Record<string, Verb>,
  usage: () => string,
  args: string[],
  io: CliIo,
  env: Env,
): Promise<number> {
  const [given, ...rest] = args;
  if (!given || given === '--help' || given === '-h' || given === 'help') {
    io.out(usage());
    return given ? 0 : 2;
  }
  const verb = verbs[given];
  if (!verb) {
    io.err(`firebreak ${command}: unknown verb "${given}"\n\n${usage()}`);
    return 2;
  }
  const verbUsage = `usage: firebreak ${command} ${given} ${verb.usage}\n${verb.summary}`;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(verbUsage);
    return 0;
  }
  let call: ReturnType<typeof readArgs> & { request: ReturnType<Verb['plan']> };
  try {
    const read = readArgs(verb.options, rest, env);
    call = { ...read, request: verb.plan(read.input) };
  } catch (error) {
    if (!isUsageError(error)) return reportError(io, error);
    io.err(`firebreak ${command} ${given}: ${(error as Error).message}\n${verbUsage}`);
    return 2;
  }
  try {
    const { body, nextCursor } = await call.client.send(call.request);
    if (call.json) printJson(io, body);
    else verb.render(io, body, call.input, { nextCursor });
    return 0;
  } catch (error) {
    return reportError(io, error);
  }
}
