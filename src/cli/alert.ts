import { ALERT_VERBS } from './alert-verbs.ts';
import { type Env, URL_ORG_HELP } from './connect.ts';
import type { CliIo } from './output.ts';
import { runVerbCommand, type VerbCommand } from './rest-command.ts';

const ALERT: VerbCommand = {
  name: 'alert',
  verbs: ALERT_VERBS,
  aliases: { ls: 'list', create: 'add', rm: 'delete', remove: 'delete', history: 'firings' },
  width: 10,
  notes: [
    URL_ORG_HELP,
    'organisation. The token is read from FIREBREAK_TOKEN; reading needs alerts:read or project:read,',
    'changing alerts:write or project:write. Aliases: ls, create, rm, history. See docs/alerting.md.',
  ],
};

/** `firebreak alert <verb> …`: alert rules and their firings over the REST API; `env` is injectable for tests. */
export function alertCommand(args: string[], io: CliIo, env: Env = process.env): Promise<number> {
  return runVerbCommand(ALERT, args, io, env);
}
