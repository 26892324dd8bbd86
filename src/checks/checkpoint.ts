import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { IssueListing } from './issue-list.ts';
import { type CheckpointDelta, IssueSummary } from './schemas.ts';

/**
 * verify-loop's memory between runs: the unresolved issues (with their event counts) and the
 * 24-hour event total at the time of the run. A local file; the server is never written to.
 */

// A summary without its id; read leniently (z.object) so an older checkpoint still loads.
const CheckpointIssue = z.object(IssueSummary.omit({ id: true }).shape);

export const Checkpoint = z.object({
  version: z.literal(1),
  takenAt: z.iso.datetime(),
  url: z.string(),
  org: z.string(),
  project: z.string(),
  complete: z.boolean(),
  events24h: z.number(),
  issues: z.record(z.string(), CheckpointIssue),
});
export type Checkpoint = z.infer<typeof Checkpoint>;

export function defaultCheckpointFile(dir: string, url: string, org: string, project: string): string {
  const safe = (s: string) => s.replace(/[^\w.-]+/g, '_').slice(0, 80);
  return join(dir, `verify-loop-${safe(new URL(url).host)}-${safe(org)}-${safe(project)}.json`);
}

export type ReadCheckpoint =
  | { kind: 'none' }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'ok'; checkpoint: Checkpoint };

export function readCheckpoint(file: string): ReadCheckpoint {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'unreadable', reason: (error as NodeJS.ErrnoException).code ?? 'read error' };
  }
  try {
    const parsed = Checkpoint.safeParse(JSON.parse(text));
    return parsed.success
      ? { kind: 'ok', checkpoint: parsed.data }
      : { kind: 'unreadable', reason: 'not a checkpoint' };
  } catch {
    return { kind: 'unreadable', reason: 'not JSON' };
  }
}

/** Written to a temporary file and renamed, so a crash never leaves half a checkpoint. */
export function writeCheckpoint(file: string, checkpoint: Checkpoint): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(checkpoint, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

export function checkpointOf(
  target: { url: string; org: string; project: string },
  listing: IssueListing,
  events24h: number,
  now: number,
): Checkpoint {
  const issues: Checkpoint['issues'] = {};
  for (const i of listing.issues) {
    issues[i.id] = {
      shortId: i.shortId,
      title: i.title,
      level: i.level,
      events: i.events,
      users: i.users,
      firstSeen: i.firstSeen,
      lastSeen: i.lastSeen,
    };
  }
  return {
    version: 1,
    takenAt: new Date(now).toISOString(),
    ...target,
    complete: listing.complete,
    events24h,
    issues,
  };
}

const summary = (id: string, i: Checkpoint['issues'][string]): IssueSummary => ({ id, ...i });
const FASTEST_SHOWN = 5;

/** What changed between two checkpoints: issues that appeared or went away, and event rates. */
export function deltaBetween(before: Checkpoint, now: Checkpoint): CheckpointDelta {
  const hours = Math.max((Date.parse(now.takenAt) - Date.parse(before.takenAt)) / 3_600_000, 1 / 60);
  const ids = (c: Checkpoint) => Object.keys(c.issues).sort();
  const newIssues = ids(now)
    .filter((id) => !(id in before.issues))
    .map((id) => summary(id, now.issues[id]));
  const resolvedIssues =
    before.complete && now.complete
      ? ids(before)
          .filter((id) => !(id in now.issues))
          .map((id) => summary(id, before.issues[id]))
      : null;
  const growth = ids(now).map((id) => ({
    shortId: now.issues[id].shortId,
    title: now.issues[id].title,
    newEvents: now.issues[id].events - (before.issues[id]?.events ?? 0),
  }));
  const eventsSince = growth.reduce((sum, g) => sum + Math.max(g.newEvents, 0), 0);
  return {
    since: before.takenAt,
    hoursElapsed: Math.round(hours * 100) / 100,
    newIssues,
    resolvedIssues,
    unresolvedBefore: Object.keys(before.issues).length,
    unresolvedNow: Object.keys(now.issues).length,
    eventsSince,
    eventsPerHour: Math.round((eventsSince / hours) * 100) / 100,
    events24hBefore: before.events24h,
    events24hNow: now.events24h,
    fastestGrowing: growth
      .filter((g) => g.newEvents > 0)
      .sort((a, b) => b.newEvents - a.newEvents || (a.shortId < b.shortId ? -1 : 1))
      .slice(0, FASTEST_SHOWN),
  };
}
