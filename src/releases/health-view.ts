import type { AppContext } from '../context.ts';
import type { ReleaseHealthTotals } from '../store/types-alerts.ts';
import type { Release } from '../store/types-releases.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Sentry's per-project `healthData` of a release (with `?health=1`), plus Firebreak's abnormal/unhandled. */
export interface ProjectHealth {
  hasHealthData: boolean;
  crashFreeSessions: number | null;
  crashFreeUsers: number | null;
  totalSessions: number;
  totalSessions24h: number;
  totalProjectSessions24h: number;
  totalUsers: number;
  totalUsers24h: number;
  totalProjectUsers24h: number;
  sessionsCrashed: number;
  sessionsErrored: number;
  sessionsAbnormal: number;
  sessionsUnhandled: number;
  /** Share (percent) of the project's users (sessions) in the last 24 h that were on this release. */
  adoption: number | null;
  sessionsAdoption: number | null;
  durationP50: null;
  durationP90: null;
  stats: Record<string, never>;
}

/** Release version → project id → its health; releases without sessions are absent. */
export type HealthByRelease = Map<string, Map<number, ProjectHealth>>;

/** A release as the serializer takes it: with the health of its projects when it was loaded. */
export type ReleaseWithHealth = Release & { health?: Map<number, ProjectHealth>; showHealth?: boolean };

const percent = (part: number, whole: number) =>
  whole > 0 ? Math.round(Math.min(100, Math.max(0, (100 * part) / whole)) * 10_000) / 10_000 : null;

/** Crash-free sessions and users (and the rest of `healthData`) for these releases, in three reads. */
export async function loadReleaseHealth(ctx: AppContext, releases: Release[]): Promise<HealthByRelease> {
  const projectIds = [...new Set(releases.flatMap((r) => r.projects.map((p) => p.projectId)))];
  const versions = releases.map((r) => r.version);
  const found: HealthByRelease = new Map();
  if (projectIds.length === 0 || versions.length === 0) return found;
  const now = ctx.clock.now();
  const since = now - (now % HOUR) - DAY + HOUR;
  const store = ctx.store.releaseHealth;
  const [all, recent, projectRecent] = await Promise.all([
    store.totals({ projectIds, releases: versions }),
    store.totals({ projectIds, releases: versions, since }),
    store.totals({ projectIds, since }),
  ]);
  const key = (row: ReleaseHealthTotals) => `${row.projectId}\0${row.release}`;
  const recentOf = new Map(recent.map((row) => [key(row), row]));
  const projectTotals = new Map<number, { sessions: number; users: number }>();
  for (const row of projectRecent) {
    const sum = projectTotals.get(row.projectId) ?? { sessions: 0, users: 0 };
    sum.sessions += row.sessions;
    // Users on two releases count twice here: adoption is an estimate.
    sum.users += row.users;
    projectTotals.set(row.projectId, sum);
  }
  for (const row of all) {
    const day = recentOf.get(key(row));
    const project = projectTotals.get(row.projectId) ?? { sessions: 0, users: 0 };
    const health: ProjectHealth = {
      hasHealthData: row.sessions > 0,
      crashFreeSessions: percent(row.sessions - row.crashed, row.sessions),
      crashFreeUsers: percent(row.users - row.crashedUsers, row.users),
      totalSessions: row.sessions,
      totalSessions24h: day?.sessions ?? 0,
      totalProjectSessions24h: project.sessions,
      totalUsers: row.users,
      totalUsers24h: day?.users ?? 0,
      totalProjectUsers24h: project.users,
      sessionsCrashed: row.crashed,
      sessionsErrored: row.errored,
      sessionsAbnormal: row.abnormal,
      sessionsUnhandled: row.unhandled,
      adoption: percent(day?.users ?? 0, project.users),
      sessionsAdoption: percent(day?.sessions ?? 0, project.sessions),
      durationP50: null,
      durationP90: null,
      stats: {},
    };
    const perProject = found.get(row.release) ?? new Map<number, ProjectHealth>();
    perProject.set(row.projectId, health);
    found.set(row.release, perProject);
  }
  return found;
}

/** The releases with their health attached (`showHealth`: whether `healthData` is shown). */
export async function withHealth(
  ctx: AppContext,
  releases: Release[],
  showHealth: boolean,
): Promise<ReleaseWithHealth[]> {
  const health = await loadReleaseHealth(ctx, releases);
  return releases.map((release) => ({
    ...release,
    health: health.get(release.version) ?? new Map(),
    showHealth,
  }));
}
