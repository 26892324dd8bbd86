import {
  arg,
  defined,
  incidentPath,
  incidentStatus,
  isoTime,
  noExtraArgs,
  oneOf,
  positiveInt,
  restText,
  str,
  UsageError,
  type Verb,
} from './incident-args.ts';
import { asArray, asObject, multiLine, oneLine, time } from './incident-render.ts';
import { renderEntry, renderTimeline } from './incident-view.ts';

/** The timeline (notes, hypotheses, decisions, actions) and the status updates posted to it. */

const ENTRY_KINDS = ['note', 'hypothesis', 'decision', 'action'] as const;

function entryId(text: string): string {
  const match = /^#?(\d{1,15})$/.exec(text);
  if (!match) throw new UsageError(`"${text}" is not a timeline entry id (the #number \`timeline\` shows)`);
  return match[1];
}

const timeline: Verb = {
  usage: 'REF [ENTRY_ID] [--starred] [--kind K]   (with ENTRY_ID: that entry and its edit history)',
  summary: 'the timeline, oldest first; ★ starred for the post-mortem, ✎ edited',
  options: { starred: { type: 'boolean' }, kind: { type: 'string' } },
  plan: (input) => {
    noExtraArgs(input, 2);
    const id = input.positionals[1];
    if (id !== undefined) return { method: 'GET', path: incidentPath(input, 'timeline', entryId(id)) };
    return { method: 'GET', path: incidentPath(input, 'timeline') };
  },
  render: (io, answer, input) => {
    if (input.positionals[1] !== undefined) {
      renderEntry(io, asObject(answer));
      return;
    }
    // Filtering here keeps the verb one request; a timeline is small enough to read whole.
    const kind = str(input.values, 'kind');
    const entries = asArray(answer)
      .map(asObject)
      .filter((e) => (input.values.starred === true ? e.starred === true : true))
      .filter((e) => (kind === undefined ? true : e.kind === kind));
    renderTimeline(io, entries);
  },
};

const note: Verb = {
  usage: `REF TEXT… [--kind ${ENTRY_KINDS.join('|')}] [--at ISO]   (TEXT may be unquoted)`,
  summary: 'add a note, hypothesis, decision or action to the timeline',
  options: { kind: { type: 'string' }, at: { type: 'string' } },
  plan: (input) => {
    const body = restText(input, 1);
    if (body === undefined) throw new UsageError('missing the text of the entry');
    return {
      method: 'POST',
      path: incidentPath(input, 'timeline'),
      body: defined({
        kind: oneOf(input.values, 'kind', ENTRY_KINDS) ?? 'note',
        body,
        occurredAt: isoTime(input.values, 'at'),
      }),
    };
  },
  render: (io, answer) => renderTimeline(io, [asObject(answer)]),
};

const edit: Verb = {
  usage: 'REF ENTRY_ID [--body T] [--star|--unstar]',
  summary: 'edit an entry (the previous text is kept) or star it for the post-mortem',
  options: { body: { type: 'string' }, star: { type: 'boolean' }, unstar: { type: 'boolean' } },
  plan: (input) => {
    const id = entryId(arg(input, 1, 'the timeline entry id'));
    noExtraArgs(input, 2);
    const { star, unstar } = input.values;
    if (star === true && unstar === true) throw new UsageError('--star or --unstar, not both');
    const body = defined({
      body: str(input.values, 'body'),
      starred: star === true ? true : unstar === true ? false : undefined,
    });
    if (Object.keys(body).length === 0) throw new UsageError('nothing to change: --body, --star or --unstar');
    if (body.body !== undefined && body.body.trim() === '') throw new UsageError('--body cannot be empty');
    return { method: 'PUT', path: incidentPath(input, 'timeline', id), body };
  },
  render: (io, answer) => renderTimeline(io, [asObject(answer)]),
};

const post: Verb = {
  usage:
    'REF --impact T (--message T | MESSAGE…) [--audience internal|stakeholder] [--status S] [--next-update-in MIN]',
  summary: 'post a status update (sets when the next one is due; see `draft` for a starting text)',
  options: {
    impact: { type: 'string' },
    message: { type: 'string' },
    audience: { type: 'string' },
    status: { type: 'string' },
    'next-update-in': { type: 'string' },
  },
  plan: (input) => {
    const positional = restText(input, 1);
    const flag = str(input.values, 'message');
    if (positional !== undefined && flag !== undefined) {
      throw new UsageError('give the message either as arguments or with --message, not both');
    }
    const message = flag ?? positional;
    const impact = str(input.values, 'impact');
    const status = str(input.values, 'status');
    if (!impact?.trim()) throw new UsageError('--impact is required (who is affected, and how)');
    if (!message?.trim()) throw new UsageError('the message is required (--message T or trailing text)');
    return {
      method: 'POST',
      path: incidentPath(input, 'updates'),
      body: defined({
        status: status === undefined ? undefined : incidentStatus(status, '--status'),
        impact,
        message,
        audience: oneOf(input.values, 'audience', ['internal', 'stakeholder']) ?? 'internal',
        nextUpdateInMinutes: positiveInt(input.values, 'next-update-in'),
      }),
    };
  },
  render: (io, answer) => {
    const entry = asObject(answer);
    renderTimeline(io, [entry]);
    const due = asObject(entry.data).nextUpdateDue ?? asObject(entry.data).nextDue;
    if (due) io.out(`next update due ${time(due)}`);
    const notified = asArray(asObject(entry.data).notified).map((name) => oneLine(name));
    io.out(
      notified.length > 0
        ? `sent to ${notified.join(', ')}`
        : asObject(entry.data).audience === 'internal'
          ? 'internal: on the timeline, sent to nobody (--audience stakeholder sends it to the update targets)'
          : `sent to nobody: the severity's escalation policy names no enabled update targets (npx firebreak notify escalation SEV … --updates IDS)`,
    );
  },
};

const updates: Verb = {
  usage: 'REF',
  summary: 'the status updates posted so far, oldest first',
  options: {},
  plan: (input) => {
    noExtraArgs(input, 1);
    return { method: 'GET', path: incidentPath(input, 'updates') };
  },
  render: (io, answer) => {
    const entries = asArray(answer).map(asObject);
    if (entries.length === 0) io.out('no status updates yet');
    for (const entry of entries) {
      const data = asObject(entry.data);
      io.out(
        `${time(entry.occurredAt)}  #${oneLine(data.number ?? entry.id)}  ${oneLine(data.audience)}  ${oneLine(data.status)}  ${oneLine(entry.actorName ?? entry.actor)}`,
      );
      io.out(`    impact: ${oneLine(data.impact, 500)}`);
      for (const line of multiLine(data.message ?? entry.body).split('\n')) io.out(`    ${line}`);
    }
  },
};

const draft: Verb = {
  usage: 'REF [--audience technical|business] [--eta TEXT]',
  summary: 'a draft of the next status update from current data, to edit and `post`',
  options: { audience: { type: 'string' }, eta: { type: 'string' } },
  plan: (input) => {
    noExtraArgs(input, 1);
    return {
      method: 'GET',
      path: incidentPath(input, 'updates', 'draft'),
      query: defined({
        audience: oneOf(input.values, 'audience', ['technical', 'business']),
        eta: str(input.values, 'eta'),
      }),
    };
  },
  render: (io, answer) => io.out(multiLine(asObject(answer).text)),
};

export const TIMELINE_VERBS: Record<string, Verb> = { timeline, note, edit, post, updates, draft };
