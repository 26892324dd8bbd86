import {
  asArray,
  asObject,
  duration,
  fields,
  inline,
  isObject,
  type Json,
  multiLine,
  oneLine,
  tableOrNone,
  time,
} from './incident-render.ts';
import type { CliIo } from './output.ts';

/** How incidents and timeline entries look on a terminal (field names as the REST API serialises them). */

export function refOf(incident: Json): string {
  return oneLine(incident.ref ?? (incident.number !== undefined ? `INC-${incident.number}` : incident.id));
}

/** `INC-7  P1  investigating  v4  Checkout failing`: what a write verb prints after it succeeded. */
export function incidentLine(incident: Json): string {
  const version = incident.version !== undefined ? `v${oneLine(incident.version)}` : '';
  return [
    refOf(incident),
    oneLine(incident.severity),
    oneLine(incident.status),
    version,
    oneLine(incident.title),
  ]
    .filter(Boolean)
    .join('  ');
}

/** What is late: the first response (under the severity's target) and/or the status update. */
function overdue(incident: Json): string {
  const late = [];
  if (asObject(incident.response).overdue === true) late.push('response');
  if (asObject(incident.update).overdue === true) late.push('update');
  return late.join(',');
}

export function renderIncidentList(io: CliIo, answer: unknown): void {
  tableOrNone(
    io,
    'no incidents',
    ['REF', 'SEV', 'STATUS', 'DECLARED', 'OVERDUE', 'TITLE'],
    asArray(answer)
      .map(asObject)
      .map((i) => [
        refOf(i),
        oneLine(i.severity),
        oneLine(i.status),
        time(asObject(i.milestones).declared ?? i.dateCreated),
        overdue(i),
        oneLine(i.title, 80),
      ]),
  );
}

const MILESTONES: [string, string][] = [
  ['firstEvent', 'first event'],
  ['detected', 'detected'],
  ['declared', 'declared'],
  ['acknowledged', 'acknowledged'],
  ['mitigated', 'mitigated'],
  ['resolved', 'resolved'],
];
const DURATIONS: [string, string][] = [
  ['timeToDetect', 'time to detect'],
  ['timeToAcknowledge', 'time to acknowledge'],
  ['timeToMitigate', 'time to mitigate'],
  ['timeToResolve', 'time to resolve'],
];
const SHOWN = new Set([
  'id',
  'ref',
  'number',
  'title',
  'severity',
  'severityDetails',
  'status',
  'version',
  'services',
  'ticketUrl',
  'channelUrl',
  'rootCause',
  'detectionSource',
  'milestones',
  'durations',
  'roles',
  'issues',
  'update',
  'response',
  'resolutionOverride',
  'createdBy',
  'dateCreated',
  'dateUpdated',
]);

export function renderIncident(io: CliIo, incident: Json): void {
  io.out(`${refOf(incident)}  ${oneLine(incident.title)}`);
  const rows: [string, string][] = [
    ['status', `${oneLine(incident.status)}  (version ${oneLine(incident.version)})`],
    ['severity', severityLine(incident)],
    ['services', inline(asArray(incident.services))],
    ['detected via', oneLine(incident.detectionSource)],
    ['ticket', oneLine(incident.ticketUrl)],
    ['channel', oneLine(incident.channelUrl)],
    ['root cause', oneLine(incident.rootCause, 500)],
  ];
  if (incident.resolutionOverride)
    rows.push(['resolved with override', oneLine(incident.resolutionOverride, 500)]);
  const milestones = asObject(incident.milestones);
  for (const [key, label] of MILESTONES) rows.push([label, time(milestones[key])]);
  const durations = asObject(incident.durations);
  for (const [key, label] of DURATIONS) rows.push([label, duration(durations[key])]);
  const roles = asArray(incident.roles).map(asObject);
  rows.push(['roles', roles.length ? roles.map(roleLine).join('\n') : '(none assigned)']);
  const issues = asArray(incident.issues).map(asObject);
  rows.push(['issues', issues.length ? issues.map(issueLine).join('\n') : '(none linked)']);
  const response = asObject(incident.response);
  if (response.dueAt) {
    rows.push(['response due', `${time(response.dueAt)}${response.overdue === true ? '  OVERDUE' : ''}`]);
  }
  const update = asObject(incident.update);
  const next = update.nextDue
    ? `next due ${time(update.nextDue)}${update.overdue === true ? '  OVERDUE' : ''}`
    : 'no cadence';
  rows.push(['status updates', `last ${time(update.lastAt)}; ${next}`]);
  rows.push(['declared by', oneLine(incident.createdBy)]);
  // Fields added to the API after this was written still show up.
  for (const [key, value] of Object.entries(incident)) {
    if (!SHOWN.has(key) && value !== null && value !== undefined) rows.push([key, inline(value)]);
  }
  fields(io, rows);
}

function severityLine(incident: Json): string {
  const details = asObject(incident.severityDetails);
  const parts = [];
  if (details.responseMinutes === 0) parts.push('respond immediately');
  else if (typeof details.responseMinutes === 'number')
    parts.push(`respond within ${details.responseMinutes}m`);
  if (typeof details.updateCadenceMinutes === 'number')
    parts.push(`updates every ${details.updateCadenceMinutes}m`);
  if (details.escalation) parts.push(`escalate: ${oneLine(details.escalation)}`);
  const description = details.description ? ` — ${oneLine(details.description)}` : '';
  return `${oneLine(incident.severity)}${description}${parts.length ? ` (${parts.join('; ')})` : ''}`;
}

function roleLine(role: Json): string {
  const user = asObject(role.user);
  const who = isObject(role.user)
    ? `${oneLine(user.name ?? user.email)}${user.email && user.name ? ` <${oneLine(user.email)}>` : ''}`
    : '—';
  return `${oneLine(role.name ?? role.role)}: ${who}`;
}

function issueLine(issue: Json): string {
  const project = issue.project;
  const projectName = isObject(project) ? (project.slug ?? project.name) : project;
  const counts =
    issue.count !== undefined
      ? `  ${oneLine(issue.count)} events, ${oneLine(issue.userCount ?? 0)} users`
      : '';
  return `${oneLine(issue.shortId ?? issue.id)}  ${oneLine(issue.title, 100)}${projectName ? `  (${oneLine(projectName)})` : ''}${counts}`;
}

export function renderRoles(io: CliIo, incident: Json): void {
  io.out(incidentLine(incident));
  const roles = asArray(incident.roles).map(asObject);
  for (const role of roles) io.out(`  ${roleLine(role)}`);
}

export function renderIssues(io: CliIo, incident: Json): void {
  io.out(incidentLine(incident));
  const issues = asArray(incident.issues).map(asObject);
  if (issues.length === 0) io.out('  (no issues linked)');
  for (const issue of issues) io.out(`  ${issueLine(issue)}`);
}

function entryHead(entry: Json): string {
  const marks = `${entry.starred === true ? '★' : ' '}${entry.edited === true ? '✎' : ' '}`;
  return `${time(entry.occurredAt)}  #${oneLine(entry.id)}  ${oneLine(entry.kind).padEnd(14)} ${marks} ${oneLine(entry.actorName ?? entry.actor, 40)}`;
}

/** One entry per block: a head line, then the body indented (bodies can be several lines). */
export function renderTimeline(io: CliIo, entries: Json[]): void {
  if (entries.length === 0) {
    io.out('no timeline entries');
    return;
  }
  for (const entry of entries) {
    io.out(entryHead(entry));
    for (const line of multiLine(entry.body).split('\n')) io.out(`    ${line}`);
  }
}

export function renderEntry(io: CliIo, entry: Json): void {
  renderTimeline(io, [entry]);
  if (isObject(entry.data) && Object.keys(entry.data).length > 0) io.out(`    data: ${inline(entry.data)}`);
  const edits = asArray(entry.edits).map(asObject);
  for (const edit of edits) {
    io.out(`  edited ${time(edit.editedAt)} by ${oneLine(edit.actorName ?? edit.actor)}; before:`);
    for (const line of multiLine(edit.previousBody).split('\n')) io.out(`    ${line}`);
  }
}
