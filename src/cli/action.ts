import { DEFAULT_URL, type Env } from './connect.ts';
import type { CliIo } from './output.ts';
import { ACTION_VERBS } from './postmortem-action-verbs.ts';
import { runVerbCommand, type VerbCommand } from './rest-command.ts';

const ACTION: VerbCommand = {
  name: 'action',
  verbs: ACTION_VERBS,
  aliases: { ls: 'list', rm: 'delete', new: 'add', edit: 'update' },
  width: 8,
  notes: [
    'Action items come out of post-mortems (tests, monitors, gates to add, process changes); an item',
    'on an incident writes every change on its timeline. ID is the number `list` shows.',
    `--url (or FIREBREAK_URL, default ${DEFAULT_URL}) and --org (or FIREBREAK_ORG) as for`,
    '`firebreak incident`; the token comes from FIREBREAK_TOKEN (incident:read / incident:write).',
    'Aliases: ls, rm, new, edit. Exit codes: 2 bad usage or input, 3 not found, 4 not authorised,',
    '5 conflict, 6 server unreachable.',
  ],
};

/** `firebreak action list|add|update|done|show|delete …` over the REST API. */
export function actionCommand(args: string[], io: CliIo, env: Env = process.env): Promise<number> {
  return runVerbCommand(ACTION, args, io, env);
}
