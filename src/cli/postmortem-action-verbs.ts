import { parseIsoDate } from '../iso-dates.ts';
import { ACTION_ITEM_KINDS, ACTION_ITEM_STATUSES } from '../store/types-postmortems.ts';
import type { ApiRequest } from './api-client.ts';
import {
  arg,
  clearable,
  defined,
  noExtraArgs,
  oneOf,
  orgPath,
  positiveInt,
  restText,
  str,
  UsageError,
  type Values,
  type Verb,
  type VerbInput,
} from './incident-args.ts';
import { asObject } from './incident-render.ts';
import { actionItemLine, renderActionItem, renderActionItems } from './postmortem-render.ts';

/** `firebreak action …`: action items over the REST API, one request per verb. */

const printLine: Verb['render'] = (io, answer) => io.out(actionItemLine(asObject(answer)));

function itemPath(input: VerbInput): string {
  const id = arg(input, 0, 'the action item id');
  if (!/^#?\d{1,15}$/.test(id)) throw new UsageError(`"${id}" is not an action item id (a number, e.g. 12)`);
  return orgPath(input.org, 'action-items', id.replace('#', ''));
}

/** `2026-12-01` or an ISO time; '' clears (null). */
function due(values: Values): string | null | undefined {
  const text = clearable(values, 'due');
  if (text === undefined || text === null) return text;
  const ms = parseIsoDate(text);
  if (ms === null)
    throw new UsageError(`--due "${text}" is not a date that exists (2026-12-01 or an ISO time)`);
  return new Date(ms).toISOString();
}

const FIELD_OPTIONS = {
  kind: { type: 'string' },
  owner: { type: 'string' },
  due: { type: 'string' },
  incident: { type: 'string' },
  issue: { type: 'string' },
  description: { type: 'string' },
} as const;

const list: Verb = {
  usage:
    '[--status open,in_progress|pending|done|…] [--overdue] [--owner me|EMAIL|TEXT] [--incident REF] [--kind test,…] [--limit N] [--cursor C]',
  summary: 'action items across incidents, by due date; --overdue: past due and not done',
  options: {
    status: { type: 'string' },
    overdue: { type: 'boolean' },
    owner: { type: 'string' },
    incident: { type: 'string' },
    kind: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
  },
  plan: (input) => {
    noExtraArgs(input, 0);
    const limit = positiveInt(input.values, 'limit');
    if (limit !== undefined && limit > 100)
      throw new UsageError('--limit is at most 100 (page with --cursor)');
    return {
      method: 'GET',
      path: orgPath(input.org, 'action-items'),
      query: defined({
        status: str(input.values, 'status'),
        overdue: input.values.overdue === true ? '1' : undefined,
        owner: str(input.values, 'owner'),
        incident: str(input.values, 'incident'),
        kind: str(input.values, 'kind'),
        per_page: limit?.toString(),
        cursor: str(input.values, 'cursor'),
      }),
    };
  },
  render: (io, answer, _input, page) => {
    renderActionItems(io, answer);
    if (page.nextCursor) io.out(`(more: add --cursor ${page.nextCursor})`);
  },
};

const add: Verb = {
  usage: `TITLE… [--incident REF] [--kind ${ACTION_ITEM_KINDS.join('|')}] [--owner me|EMAIL|TEXT] [--due DATE] [--issue WEB-12] [--description T]`,
  summary: 'add an action item (on an incident with --incident: its timeline says so)',
  options: FIELD_OPTIONS,
  plan: (input): ApiRequest => {
    const title = restText(input, 0);
    if (title === undefined) throw new UsageError('give the title');
    return {
      method: 'POST',
      path: orgPath(input.org, 'action-items'),
      body: defined({
        title,
        kind: oneOf(input.values, 'kind', ACTION_ITEM_KINDS),
        owner: str(input.values, 'owner'),
        dueAt: due(input.values) ?? undefined,
        incident: str(input.values, 'incident'),
        issue: str(input.values, 'issue'),
        description: str(input.values, 'description'),
      }),
    };
  },
  render: printLine,
};

const update: Verb = {
  usage: `ID [--title T] [--status ${ACTION_ITEM_STATUSES.join('|')}] [--kind K] [--owner O] [--due DATE] [--incident REF] [--issue I] [--description T] [--if-version N]   ('' clears)`,
  summary: 'change an action item; --if-version refuses if someone changed it first',
  options: {
    ...FIELD_OPTIONS,
    title: { type: 'string' },
    status: { type: 'string' },
    'if-version': { type: 'string' },
  },
  plan: (input) => {
    noExtraArgs(input, 1);
    const v = input.values;
    const body = defined({
      title: str(v, 'title'),
      status: oneOf(v, 'status', ACTION_ITEM_STATUSES),
      kind: oneOf(v, 'kind', ACTION_ITEM_KINDS),
      owner: clearable(v, 'owner'),
      dueAt: due(v),
      incident: clearable(v, 'incident'),
      issue: clearable(v, 'issue'),
      description: clearable(v, 'description'),
    });
    if (Object.keys(body).length === 0) throw new UsageError('nothing to change: give at least one field');
    return {
      method: 'PUT',
      path: itemPath(input),
      body: defined({ ...body, expectedVersion: positiveInt(v, 'if-version') }),
    };
  },
  render: printLine,
};

const done: Verb = {
  usage: 'ID [--wont-do]',
  summary: 'mark an action item done (or won’t do)',
  options: { 'wont-do': { type: 'boolean' } },
  plan: (input) => {
    noExtraArgs(input, 1);
    return {
      method: 'PUT',
      path: itemPath(input),
      body: { status: input.values['wont-do'] === true ? 'wont_do' : 'done' },
    };
  },
  render: printLine,
};

const show: Verb = {
  usage: 'ID',
  summary: 'one action item',
  options: {},
  plan: (input) => {
    noExtraArgs(input, 1);
    return { method: 'GET', path: itemPath(input) };
  },
  render: renderActionItem,
};

const remove: Verb = {
  usage: 'ID',
  summary: 'delete an action item (its incident’s timeline keeps a note)',
  options: {},
  plan: (input) => {
    noExtraArgs(input, 1);
    return { method: 'DELETE', path: itemPath(input) };
  },
  render: (io, _answer, input) => io.out(`deleted #${input.positionals[0].replace('#', '')}`),
};

export const ACTION_VERBS: Record<string, Verb> = { list, add, update, done, show, delete: remove };
