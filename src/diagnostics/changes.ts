import type { AppContext } from '../context.ts';
import type { DeploySignal } from '../store/types-incidents.ts';
import type { Release } from '../store/types-releases.ts';
import { countsBy, type DiagnosticsScope } from './scope.ts';

const DAY_MS = 86_400_000;
/** Deploys listed: the newest few of the last week, whatever the window. */
const DEPLOY_LOOKBACK_MS = 7 * DAY_MS;
const LISTED = 5;

export interface ReleaseRow {
  release: Release;
  /** Issues of this project first seen in the release. */
  newIssues: number;
  /** The project's events in the window carrying this release. */
  events: number;
}

export interface DeployRow {
  deploy: DeploySignal;
  /** Finished inside the window: a prime suspect for anything new in it. */
  inWindow: boolean;
}

export interface Changes {
  releases: ReleaseRow[];
  deploys: DeployRow[];
  /** The window's events per release and per environment (stored events). */
  eventsByRelease: { value: string; count: number }[];
  eventsByEnvironment: { value: string; count: number }[];
}

/** What changed around the window: recent releases and deploys of the project, and where events ran. */
export async function recentChanges(ctx: AppContext, scope: DiagnosticsScope): Promise<Changes> {
  const [releases, deploys, byRelease, byEnvironment] = await Promise.all([
    ctx.store.releases.list({
      orgId: scope.org.id,
      projectIds: [scope.project.id],
      status: 'open',
      limit: LISTED,
      offset: 0,
    }),
    ctx.store.signals.deploys({
      projectIds: [scope.project.id],
      start: scope.window.end - DEPLOY_LOOKBACK_MS,
      end: scope.window.end,
      limit: LISTED,
    }),
    countsBy(ctx, scope, { attr: { column: 'release' } }, 20),
    countsBy(ctx, scope, { attr: { column: 'environment' } }, 20),
  ]);
  const eventsIn = new Map(byRelease.map((r) => [r.value, r.count]));
  return {
    releases: releases.map((release) => ({
      release,
      newIssues: release.projects.find((p) => p.projectId === scope.project.id)?.newGroups ?? 0,
      events: eventsIn.get(release.version) ?? 0,
    })),
    deploys: deploys.map((deploy) => ({ deploy, inWindow: deploy.dateFinished >= scope.window.start })),
    eventsByRelease: byRelease,
    eventsByEnvironment: byEnvironment,
  };
}
