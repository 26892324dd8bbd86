import { asArray, asObject, fields, type Json, multiLine, oneLine, tableOrNone } from './incident-render.ts';
import { type CliIo, printDocument } from './output.ts';

/** How post-mortems and action items look on a terminal (field names as the REST API serialises them). */

const day = (value: unknown): string => (typeof value === 'string' ? value.slice(0, 10) : '—');
const due = (item: Json): string => `${day(item.dueAt)}${item.overdue === true ? ' OVERDUE' : ''}`;

function owner(item: Json): string {
  const o = asObject(item.owner);
  return o.name === undefined ? '—' : oneLine(o.name, 40);
}

/** Everything a list shows of an item after its id. */
const itemCells = (item: Json, titleMax: number): string[] => [
  oneLine(item.kind),
  oneLine(item.status),
  due(item),
  owner(item),
  oneLine(asObject(item.incident).ref),
  oneLine(item.title, titleMax),
];

/** `#12  test  open  2026-12-01 OVERDUE  Ivy  INC-1  Add a test for empty carts` */
export function actionItemLine(item: Json): string {
  return [`#${oneLine(item.id)}`, ...itemCells(item, 120)].join('  ');
}

export function renderActionItems(io: CliIo, answer: unknown): void {
  tableOrNone(
    io,
    'no action items',
    ['ID', 'KIND', 'STATUS', 'DUE', 'OWNER', 'INCIDENT', 'TITLE'],
    asArray(answer)
      .map(asObject)
      .map((i) => [oneLine(i.id), ...itemCells(i, 80)]),
  );
}

export function renderActionItem(io: CliIo, answer: unknown): void {
  const item = asObject(answer);
  const issue = asObject(item.issue);
  fields(io, [
    ['action item', `#${oneLine(item.id)} (v${oneLine(item.version)})`],
    ['title', oneLine(item.title, 500)],
    ['kind', oneLine(item.kind)],
    ['status', `${oneLine(item.status)}${item.completedAt ? ` (${oneLine(item.completedAt)})` : ''}`],
    ['owner', owner(item)],
    ['due', due(item)],
    ['incident', oneLine(asObject(item.incident).ref)],
    ['issue', issue.shortId ? `${oneLine(issue.shortId)} ${oneLine(issue.title, 100)}` : '—'],
    ...(item.description ? ([['description', multiLine(item.description)]] as [string, string][]) : []),
  ]);
}

/** The post-mortem's Markdown as the API rendered it, a document to save (printDocument). */
export function renderPostmortem(io: CliIo, answer: unknown): void {
  const postmortem = asObject(answer);
  if (typeof postmortem.markdown === 'string') printDocument(io, postmortem.markdown);
  else
    io.out(
      `${oneLine(postmortem.adr)}  ${oneLine(asObject(postmortem.incident).ref)}  ${oneLine(postmortem.status)}`,
    );
}
