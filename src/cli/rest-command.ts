import { AppError } from '../app-error.ts';
import type { ApiRequest } from './api-client.ts';
import { type Connected, connect, type Env } from './connect.ts';
import { UsageError, type Verb } from './incident-args.ts';
import { type CliIo, printJson, reportError } from './output.ts';

/**
 * How a REST command runs: a command made of `Verb`s (incident, alert, notify, action) gets its
 * `--help`, aliases, per-verb usage, argument reading and one request here; any command gets
 * usage errors printed with its usage (exit 2) and every other error mapped as everywhere.
 */

export interface VerbCommand {
  name: string;
  verbs: Record<string, Verb>;
  aliases: Record<string, string>;
  /** `--help` lists the verbs under these titles; without them, all in one untitled list. */
  groups?: [string, string[]][];
  /** The width of `--help`'s verb-name column. */
  width: number;
  /** What `--help` says after the verbs: the server, the token and its scopes, aliases. */
  notes: string[];
}

export function verbCommandUsage(command: VerbCommand): string {
  const lines = [`usage: firebreak ${command.name} <verb> [arguments] [--url URL] [--org SLUG] [--json]`, ''];
  for (const [title, names] of command.groups ?? [['', Object.keys(command.verbs)]]) {
    if (title) lines.push(`${title}:`);
    for (const name of names) {
      const verb = command.verbs[name];
      lines.push(
        `  ${name.padEnd(command.width)}${verb.usage}`,
        `  ${''.padEnd(command.width)}${verb.summary}`,
      );
    }
    lines.push('');
  }
  lines.push(...command.notes);
  return lines.join('\n');
}

const isParseArgsError = (error: unknown): boolean =>
  error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;

/** A mistake in the arguments (not the server's 400, which is about the data). */
export const isUsageError = (error: unknown): boolean =>
  error instanceof UsageError || isParseArgsError(error);

/** Before anything is sent, any invalid input (a bad --url too) is the arguments' fault. */
export const isPlanningError = (error: unknown): boolean =>
  (error instanceof AppError && error.code === 'VALIDATION') || isParseArgsError(error);

/** Prints `firebreak <what>: <message>` and the usage that explains it; exit 2. */
export function printUsageError(io: CliIo, what: string, error: unknown, usage: string): number {
  io.err(`firebreak ${what}: ${(error as Error).message}\n${usage}`);
  return 2;
}

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
    return isUsageError(error) ? printUsageError(io, name, error, usage) : reportError(io, error);
  }
}

export type PlannedCall = Connected & { verb: Verb; request: ApiRequest };

/** Reads the arguments into the one request they mean (no network). Throws on bad usage. */
export function planVerbCall(verb: Verb, args: string[], env: Env): PlannedCall {
  const connected = connect(args, verb.options, env);
  return { ...connected, verb, request: verb.plan(connected) };
}

/** `firebreak <command> <verb> …`: one verb, one request, the answer printed (or `--json` as it came). */
export async function runVerbCommand(
  command: VerbCommand,
  args: string[],
  io: CliIo,
  env: Env,
): Promise<number> {
  const [given, ...rest] = args;
  if (!given || given === '--help' || given === '-h' || given === 'help') {
    io.out(verbCommandUsage(command));
    return given ? 0 : 2;
  }
  const name = command.aliases[given] ?? given;
  const verb = command.verbs[name];
  if (!verb) {
    io.err(`firebreak ${command.name}: unknown verb "${given}"\n\n${verbCommandUsage(command)}`);
    return 2;
  }
  const usage = `usage: firebreak ${command.name} ${name} ${verb.usage}\n${verb.summary}`;
  // After `--` come arguments, not options: `incident hook set -- ./rollback.sh -h`.
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (options.includes('--help') || options.includes('-h')) {
    io.out(usage);
    return 0;
  }
  let call: PlannedCall;
  try {
    call = planVerbCall(verb, rest, env);
  } catch (error) {
    if (!isPlanningError(error)) return reportError(io, error);
    return printUsageError(io, `${command.name} ${name}`, error, usage);
  }
  try {
    if (verb.merge) {
      const current = await call.client.send({ method: 'GET', path: call.request.path });
      call = { ...call, request: verb.merge(current.body, call.request) };
    }
    const { body, nextCursor } = await call.client.send(call.request);
    if (call.json) printJson(io, body);
    else verb.render(io, body, call, { nextCursor });
    return verb.exitCode?.(body) ?? 0;
  } catch (error) {
    return reportError(io, error);
  }
}
