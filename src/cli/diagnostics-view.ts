import { asArray, asObject, type Json, oneLine, table, time } from './incident-render.ts';
import type { CliIo } from './output.ts';

const ratio = (value: unknown): string => (typeof value === 'number' ? `×${value.toFixed(1)}` : 'new');

function section(io: CliIo, title: string, empty: boolean): boolean {
  io.out('');
  io.out(empty ? `${title}: none` : title);
  return !empty;
}

/** The diagnostics report for an on-call engineer: numbers first, then what changed and who is on it. */
export function renderDiagnostics(io: CliIo, answer: unknown): void {
  const d = asObject(answer);
  const window = asObject(d.window);
  const events = asObject(d.events);
  io.out(
    `${oneLine(asObject(d.project).slug)} — last ${window.minutes} min (${time(window.start)} → ${time(window.end)})`,
  );
  io.out(
    `events: ${events.events} (${events.perMinute}/min) against ${events.previous} in the ${window.minutes} min before ` +
      `(${events.previous ? ratio(events.ratio) : 'none before'}); ${events.issues} issues, ` +
      `${asArray(d.newIssues).length} new`,
  );
  const top = asArray(d.topIssues).map(asObject);
  if (section(io, 'Top issues', top.length === 0)) {
    table(
      io,
      ['issue', 'events', '/min', 'vs before', 'users', '', 'title'],
      top.map((i) => [
        oneLine(i.shortId),
        String(i.events),
        String(i.perMinute),
        i.previous ? ratio(i.ratio) : 'none before',
        String(i.users),
        i.isNew ? 'NEW' : '',
        oneLine(i.title, 80),
      ]),
    );
  }
  const frames = asArray(d.topFrames).map(asObject);
  if (section(io, 'Top frames', frames.length === 0)) {
    table(
      io,
      ['frame', 'events', 'issues'],
      frames.map((f) => [
        `${oneLine(f.file, 60)} in ${oneLine(f.function, 40)}${f.lineno ? `:${f.lineno}` : ''}${f.inApp ? '' : ' (not in-app)'}`,
        String(f.events),
        asArray(f.issues).map(String).join(', '),
      ]),
    );
  }
  const users = asObject(d.users);
  io.out('');
  io.out(
    `Users: ${users.distinct} distinct, ${users.eventsWithoutUser} events without a user` +
      (asArray(users.top).length
        ? `; most hit: ${asArray(users.top)
            .map(asObject)
            .map((u) => `${oneLine(u.user, 60)} (${u.events})`)
            .join(', ')}`
        : ''),
  );
  renderChanges(io, d);
  renderInvolved(io, d);
}

function renderChanges(io: CliIo, d: Json): void {
  const releases = asArray(d.releases).map(asObject);
  if (section(io, 'Recent releases', releases.length === 0)) {
    table(
      io,
      ['release', 'created', 'new issues', 'events in window', 'last deploy'],
      releases.map((r) => [
        oneLine(r.version, 60),
        time(r.dateCreated),
        String(r.newIssues),
        String(r.eventsInWindow),
        r.lastDeploy
          ? `${oneLine(asObject(r.lastDeploy).environment)} at ${time(asObject(r.lastDeploy).dateFinished)}`
          : '—',
      ]),
    );
  }
  const deploys = asArray(d.deploys).map(asObject);
  if (section(io, 'Recent deploys (7 days)', deploys.length === 0)) {
    for (const deploy of deploys) {
      io.out(
        `  ${time(deploy.dateFinished)}  ${oneLine(deploy.version, 60)} → ${oneLine(deploy.environment)}` +
          (deploy.inWindow ? '  (in the window)' : ''),
      );
    }
  }
  const envs = asArray(d.eventsByEnvironment).map(asObject);
  if (envs.length > 0)
    io.out(`Environments: ${envs.map((e) => `${oneLine(e.value)} ${e.count}`).join(', ')}`);
}

function renderInvolved(io: CliIo, d: Json): void {
  if (Array.isArray(d.openIncidents)) {
    const open = d.openIncidents.map(asObject);
    if (section(io, 'Open incidents', open.length === 0)) {
      for (const i of open) {
        io.out(`  ${oneLine(i.ref)}  ${oneLine(i.severity)}  ${oneLine(i.status)}  ${oneLine(i.title, 100)}`);
      }
    }
  }
  if (Array.isArray(d.runbooks)) {
    const runbooks = d.runbooks.map(asObject);
    if (section(io, 'Runbooks', runbooks.length === 0)) {
      for (const r of runbooks)
        io.out(
          `  #${oneLine(r.id)}  ${oneLine(r.title, 100)}  (npx firebreak runbook show ${oneLine(r.id)})`,
        );
    }
  }
  for (const note of asArray(d.omitted)) io.out(`(not shown: ${oneLine(note)})`);
}
