import { type Env, URL_ORG_HELP } from './connect.ts';
import { NOTIFY_VERBS } from './notify-verbs.ts';
import type { CliIo } from './output.ts';
import { runVerbCommand, type VerbCommand } from './rest-command.ts';

const NOTIFY: VerbCommand = {
  name: 'notify',
  verbs: NOTIFY_VERBS,
  aliases: { ls: 'targets', rm: 'remove', delete: 'remove', log: 'deliveries' },
  width: 12,
  notes: [
    URL_ORG_HELP,
    'organisation. The token is read from FIREBREAK_TOKEN; reading needs alerts:read or org:write,',
    'changing org:write.',
    'Aliases: ls (targets), rm (remove), log (deliveries). See docs/notifications.md.',
  ],
};

/** `firebreak notify <verb> …` over the REST API; `env` is injectable for in-process tests. */
export function notifyCommand(args: string[], io: CliIo, env: Env = process.env): Promise<number> {
  return runVerbCommand(NOTIFY, args, io, env);
}
