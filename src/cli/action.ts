import { DEFAULT_URL, type Env } from './api-client.ts';
import type { CliIo } from './output.ts';
import { ACTION_VERBS } from './postmortem-action-verbs.ts';
import { runVerb } from './postmortem-run.ts';

const ALIASES: Record<string, string> = { ls: 'list', rm: 'delete', new: 'add', edit: 'update' };

export function actionUsage(): string {
  const lines = ['usage: firebreak action <verb> [arguments] [--url URL] [--org SLUG] [--json]', ''];
  for (const [name, verb] of Object.entries(ACTION_VERBS)) {
    lines.push(`  ${name.padEnd(8)}${verb.usage}`, `  ${''.padEnd(8)}${verb.summary}`);
  }
  lines.push(
    '',
    'Action items come out of post-mortems (tests, monitors, gates to add, process changes); an item',
    'on an incident writes every change on its timeline. ID is the number `list` shows.',
    `--url (or FIREBREAK_URL, default ${DEFAULT_URL}) and --org (or FIREBREAK_ORG) as for`,
    '`firebreak incident`; the token comes from FIREBREAK_TOKEN (incident:read / incident:write).',
    'Aliases: ls, rm, new, edit. Exit codes: 2 bad usage or input, 3 not found, 4 not authorised,',
    '5 conflict, 6 server unreachable.',
  );
  return lines.join('\n');
}

/** `firebreak action list|add|update|done|show|delete …` over the REST API. */
export async function actionCommand(args: string[], io: CliIo, env: Env = process.env): Promise<number> {
  const [given, ...rest] = args;
  const name = given === undefined ? given : (ALIASES[given] ?? given);
  return runVerb('action', ACTION_VERBS, actionUsage, name === undefined ? [] : [name, ...rest], io, env);
}
