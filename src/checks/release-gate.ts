import { type CheckContext, rerunCommand } from './context.ts';
import { cleanText } from './mask.ts';
import { prepareApiMode, reportApiFailure } from './prepare-api.ts';
import { compareNaming, gitFacts, manifestVersion, versionOf } from './release-naming.ts';
import { checkReleaseOnServer } from './release-server.ts';
import { CheckReport } from './report.ts';
import type { CheckResult, ReleaseGateData } from './schemas.ts';
import { enc, type Target } from './slugs.ts';

/**
 * Before or after shipping: the release is named consistently (manifest, --release /
 * SENTRY_RELEASE, git tag), exists on the server for this project with commits and a deploy,
 * and what it brought (new and regressed issues, crash-free rate where release health exists).
 */
export async function runReleaseGate(ctx: CheckContext): Promise<CheckResult> {
  const report = new CheckReport('release-gate');
  const { options } = ctx;
  const manifest = manifestVersion(options.repoRoot);
  const git = await gitFacts(options.repoRoot);
  const data: ReleaseGateData = {
    release: options.release,
    releaseSource: options.releaseSource,
    manifestVersion: manifest ? { file: manifest.file, version: manifest.version } : null,
    gitTag: git?.tagOnHead
      ? { tag: git.tagOnHead, onHead: true }
      : git?.latestTag
        ? { tag: git.latestTag, onHead: false }
        : null,
    existsOnServer: null,
    inProject: null,
    finalized: null,
    commitCount: null,
    deployEnvironments: [],
    newIssues: [],
    regressedIssues: [],
    crashFreeSessions: null,
    crashFreeUsers: null,
  };
  if (manifest) report.fact(`${manifest.file} version ${manifest.version}`);
  else report.fact(`no manifest version found in ${options.repoRoot}`);
  if (!git) report.fact('not a git work tree: the tag was not compared');
  else if (git.tagOnHead) report.fact(`git tag on HEAD: ${git.tagOnHead}`);
  else
    report.fact(
      `HEAD ${git.head?.slice(0, 12)} is not tagged${git.latestTag ? ` (latest tag ${git.latestTag})` : ''}`,
    );

  const compare = (release: string) => {
    for (const check of compareNaming(release, manifest, git)) {
      const name = cleanText(release, 80);
      if (check.consistent) report.fact(`release ${name} matches ${check.source} (${check.value})`);
      else report.fail(`release ${name} does not match ${check.source} (${check.value}; ${check.detail})`);
    }
  };
  // Naming is local: it is checked even when the server cannot be reached.
  if (options.release) compare(options.release);

  const target = await prepareApiMode(ctx, report, ['release-gate']);
  if (!target) return report.result(data);
  try {
    const release = options.release ?? (await inferRelease(ctx, report, target, manifest?.version ?? null));
    if (!release) return report.result(data);
    if (!options.release) compare(release);
    data.release = release;
    data.releaseSource ??= 'inferred';
    await checkReleaseOnServer(ctx, report, target, release, data);
  } catch (error) {
    reportApiFailure(ctx, report, error);
  }
  return report.result(data);
}

/**
 * Without --release or SENTRY_RELEASE, a release of the project whose version is the manifest's
 * is taken when there is exactly one; otherwise the gate cannot know what to check.
 */
async function inferRelease(
  ctx: CheckContext,
  report: CheckReport<'release-gate'>,
  target: Target,
  version: string | null,
): Promise<string | null> {
  const skipOrFail = (message: string) => {
    // `all` and verify-loop run the gate along with the rest: without a release it is skipped.
    if (ctx.options.mode === 'all' || ctx.options.mode === 'verify-loop') {
      report.skipped = true;
      report.warn(`skipped: ${message}`);
    } else report.fail(message);
    report.next(`${rerunCommand(ctx, 'release-gate', target)} --release <version>`);
    return null;
  };
  if (!version) return skipOrFail('no release to check: pass --release or set SENTRY_RELEASE');
  const { body } = await ctx.api.get<{ version?: unknown }[]>(
    `/api/0/projects/${enc(target.org)}/${enc(target.project)}/releases/`,
    { query: version, per_page: 100 },
  );
  const names = (Array.isArray(body) ? body : [])
    .map((r) => (typeof r?.version === 'string' ? r.version : ''))
    .filter((name) => name && versionOf(name) === versionOf(version));
  if (names.length === 1) {
    report.fact(`release ${cleanText(names[0], 80)} inferred from the manifest version ${version}`);
    return names[0];
  }
  return skipOrFail(
    names.length === 0
      ? `no release given, and no release of ${target.project} has the manifest version ${version}: pass --release or set SENTRY_RELEASE`
      : `no release given, and ${names.length} releases have version ${version} (${names.map((n) => cleanText(n, 60)).join(', ')}): pass --release`,
  );
}
