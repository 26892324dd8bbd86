import { type Env, URL_ORG_HELP } from './connect.ts';
import type { Verb } from './incident-args.ts';
import { LIFECYCLE_VERBS } from './incident-verbs-lifecycle.ts';
import { RESPONSE_VERBS } from './incident-verbs-response.ts';
import { SETTINGS_VERBS } from './incident-verbs-settings.ts';
import { TIMELINE_VERBS } from './incident-verbs-timeline.ts';
import type { CliIo } from './output.ts';
import {
  type PlannedCall,
  planVerbCall,
  runVerbCommand,
  type VerbCommand,
  verbCommandUsage,
} from './rest-command.ts';

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

const INCIDENT: VerbCommand = {
  name: 'incident',
  verbs: INCIDENT_VERBS,
  aliases: { ls: 'list', view: 'show', acknowledge: 'ack', 'update-status': 'post' },
  groups: [
    ['the incident', ['list', 'declare', 'show', 'update', 'status', 'ack', 'role', 'link', 'unlink']],
    ['timeline and updates', ['timeline', 'note', 'edit', 'post', 'updates', 'draft']],
    ['response', ['triage', 'similar', 'mitigate', 'mitigations', 'verify', 'page', 'resolve']],
    ['configuration', ['settings', 'hook']],
  ],
  width: 12,
  notes: [
    'REF is INC-7 or 7. Aliases: ls, view, acknowledge, update-status (= post).',
    URL_ORG_HELP,
    'organisation; an organisation token (sntrys_…) supplies both. The token is read only from',
    'FIREBREAK_TOKEN (or SENTRY_AUTH_TOKEN), never from a flag; it needs incident:read / incident:write.',
    '--json prints the API answer as it came. Exit codes: 2 bad usage or input, 3 not found,',
    '4 not authorised, 5 conflict (someone changed it first), 6 server unreachable.',
  ],
};

export const incidentUsage = (): string => verbCommandUsage(INCIDENT);

/** Reads the arguments into the one request they mean (no network). Throws on bad usage. */
export const planIncidentCall = (name: string, args: string[], env: Env): PlannedCall =>
  planVerbCall(INCIDENT_VERBS[name], args, env);

/** `env` is injectable so tests can run the command in-process with their own token and URL. */
export function incidentCommand(args: string[], io: CliIo, env: Env = process.env): Promise<number> {
  return runVerbCommand(INCIDENT, args, io, env);
}
