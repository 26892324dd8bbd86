import {
  asArray,
  asObject,
  fields,
  type Json,
  multiLine,
  oneLine,
  tableOrNone,
  time,
} from './incident-render.ts';
import type { CliIo } from './output.ts';

const attachments = (r: Json): string =>
  [
    ...asArray(r.projects).map((p) => `project ${oneLine(p)}`),
    ...asArray(r.tags).map((t) => `tag ${oneLine(t)}`),
  ].join(', ') || '—';

export function renderRunbookList(io: CliIo, answer: unknown): void {
  tableOrNone(
    io,
    'no runbooks',
    ['id', 'title', 'attached to', 'updated'],
    asArray(answer)
      .map(asObject)
      .map((r) => [oneLine(r.id), oneLine(r.title, 60), attachments(r), time(r.dateUpdated)]),
  );
}

/** The header, then the Markdown as stored (control characters stripped: it goes to a terminal). */
export function renderRunbook(io: CliIo, answer: unknown): void {
  const r = asObject(answer);
  fields(io, [
    ['runbook', `#${oneLine(r.id)} ${oneLine(r.title)}`],
    ['attached to', attachments(r)],
    ['updated', `${time(r.dateUpdated)} by ${oneLine(r.updatedBy)}`],
  ]);
  io.out('');
  io.out(multiLine(r.body).replace(/\n$/, ''));
}

export function renderSuggestions(io: CliIo, answer: unknown): void {
  const suggestions = asArray(answer).map(asObject);
  if (suggestions.length === 0) {
    io.out('no runbook applies to this incident');
    return;
  }
  for (const s of suggestions) {
    const matched = asObject(s.matchedBy);
    const why = [
      ...asArray(matched.projects).map((p) => `project ${oneLine(p)}`),
      ...asArray(matched.tags)
        .map(asObject)
        .map((t) => `tag ${oneLine(t.tag)} (on ${asArray(t.seenOn).map(String).join(', ')})`),
    ].join('; ');
    io.out(`#${oneLine(s.id)}  ${oneLine(s.title, 80)}  — ${why}`);
  }
  io.out('');
  io.out('npx firebreak runbook show ID prints one.');
}
