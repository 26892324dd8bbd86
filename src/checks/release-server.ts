import { expandScopes } from '../auth/scopes.ts';
import { ApiRefused } from './api-client.ts';
import { type CheckContext, rerunCommand, shellQuote } from './context.ts';
import { counted, describeIssue, listIssues, summarise } from './issue-list.ts';
import { cleanText } from './mask.ts';
import { tokenInfo } from './prepare-api.ts';
import type { CheckReport } from './report.ts';
import type { ReleaseGateData } from './schemas.ts';
import { enc, type Target } from './slugs.ts';

/** Below this crash-free session rate (percent) a release is a risk. */
export const CRASH_FREE_MIN = 99;

interface ReleaseBody {
  version?: string;
  dateReleased?: string | null;
  commitCount?: number;
  lastCommit?: { id?: string; author?: { name?: string } | null } | null;
  deployCount?: number;
  projects?: {
    slug?: string;
    hasHealthData?: boolean;
    healthData?: { crashFreeSessions?: number | null; crashFreeUsers?: number | null } | null;
  }[];
}

/** Search values are quoted, so versions with spaces or colons stay one token. */
const quoted = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

/**
 * The release on the server: exists and is linked to the project, finalized, has commits and a
 * deploy, its new and regressed issues, and release health when the server has it.
 */
export async function checkReleaseOnServer(
  ctx: CheckContext,
  report: CheckReport<'release-gate'>,
  target: Target,
  release: string,
  data: ReleaseGateData,
): Promise<void> {
  const name = cleanText(release, 80);
  const orgRelease = `/api/0/organizations/${enc(target.org)}/releases/${enc(release)}/`;
  const cli = (args: string) => `sentry-cli ${args.replace('{v}', shellQuote(release))}`;
  let body: ReleaseBody;
  try {
    // health=1: Sentry adds each project's release health (what Sentry's MCP server asks for too).
    body = (
      await ctx.api.get<ReleaseBody>(
        `/api/0/projects/${enc(target.org)}/${enc(target.project)}/releases/${enc(release)}/`,
        { health: 1 },
      )
    ).body;
    data.existsOnServer = true;
    data.inProject = true;
  } catch (error) {
    if (!(error instanceof ApiRefused) || error.status !== 404) throw error;
    data.inProject = false;
    data.existsOnServer = await ctx.api.get(orgRelease).then(
      () => true,
      (e) => {
        if (e instanceof ApiRefused && e.status === 404) return false;
        throw e;
      },
    );
    if (data.existsOnServer) {
      report.fail(`release ${name} exists but is not a release of ${target.project}`);
      report.next(cli(`releases new {v} --project ${target.project}  # adds the project to the release`));
    } else {
      report.fail(`release ${name} is not on the server: events and deploys cannot be tied to it`);
      report.next(cli(`releases new {v} --project ${target.project}`));
    }
    return;
  }
  report.fact(`release ${name} exists on the server for ${target.project}`);

  data.finalized = Boolean(body.dateReleased);
  if (data.finalized) report.fact(`finalized at ${cleanText(body.dateReleased, 40)}`);
  else {
    report.warn(`release ${name} is not finalized`);
    report.next(cli('releases finalize {v}'));
  }

  data.commitCount = typeof body.commitCount === 'number' ? body.commitCount : 0;
  if (data.commitCount > 0) {
    const last = body.lastCommit;
    report.fact(
      `${counted(data.commitCount, 'commit')}${last?.id ? `, last ${cleanText(last.id, 12)} by ${cleanText(last.author?.name ?? 'unknown', 40)}` : ''}`,
    );
  } else {
    report.warn(`release ${name} has no commits: suspect commits and "resolved in release" cannot work`);
    report.next(cli('releases set-commits {v} --auto'));
  }

  const { items: deploys } = await ctx.api.getAll<{ environment?: string }>(
    `${orgRelease}deploys/`,
    // A release of several projects: only this project's deploys say it went out.
    { per_page: 100, projectSlug: target.project },
    2,
  );
  data.deployEnvironments = [...new Set(deploys.map((d) => cleanText(d.environment, 64)))].sort();
  if (data.deployEnvironments.length > 0) {
    report.fact(`${counted(deploys.length, 'deploy')}, to ${data.deployEnvironments.join(', ')}`);
  } else {
    report.warn(`release ${name} has no deploy recorded`);
    report.next(cli('deploys new -r {v} -e production'));
  }

  if (!expandScopes((await tokenInfo(ctx)).scopes).has('event:read')) {
    report.warn(
      `new and regressed issues of ${name} not checked: the token lacks event:read (a CI token's org:ci reads no issues)`,
    );
  } else {
    await checkReleaseIssues(ctx, report, target, release, data);
  }

  const health = body.projects?.find((p) => p.slug === target.project);
  const sessions = health?.healthData?.crashFreeSessions;
  if (health?.hasHealthData && typeof sessions === 'number') {
    data.crashFreeSessions = sessions;
    data.crashFreeUsers = health.healthData?.crashFreeUsers ?? null;
    report.fact(
      `crash-free sessions ${sessions.toFixed(2)}%, users ${data.crashFreeUsers?.toFixed(2) ?? 'n/a'}%`,
    );
    if (sessions < CRASH_FREE_MIN)
      report.warn(`crash-free sessions ${sessions.toFixed(2)}% < ${CRASH_FREE_MIN}%`);
  } else {
    report.fact('crash-free rate: not available (the server has no release health data for this release)');
  }
}

/** The release's new and regressed unresolved issues (needs event:read). */
async function checkReleaseIssues(
  ctx: CheckContext,
  report: CheckReport<'release-gate'>,
  target: Target,
  release: string,
  data: ReleaseGateData,
): Promise<void> {
  const name = cleanText(release, 80);
  const fresh = await listIssues(ctx, target, `is:unresolved firstRelease:${quoted(release)}`);
  const regressed = await listIssues(ctx, target, `is:unresolved is:regressed release:${quoted(release)}`);
  data.newIssues = fresh.issues.map(summarise);
  data.regressedIssues = regressed.issues.map(summarise);
  report.fact(
    `${data.newIssues.length} unresolved issues first seen in ${name}, ${data.regressedIssues.length} regressed with events in it`,
  );
  const shown = (list: typeof data.newIssues) => list.slice(0, 3).map(describeIssue).join('; ');
  if (data.newIssues.length > 0) report.warn(`new in ${name}: ${shown(data.newIssues)}`);
  // The search finds regressed issues with events in the release, not where they regressed: an
  // issue that came back in a later release still has its older events here.
  if (data.regressedIssues.length > 0)
    report.warn(`regressed, with events in ${name}: ${shown(data.regressedIssues)}`);
  if (data.newIssues.length + data.regressedIssues.length > 0)
    report.next(rerunCommand(ctx, 'issue-triage', target));
}
