import {
  checkpointOf,
  defaultCheckpointFile,
  deltaBetween,
  readCheckpoint,
  writeCheckpoint,
} from './checkpoint.ts';
import { type CheckContext, rerunCommand } from './context.ts';
import { healthSnapshot } from './health-snapshot.ts';
import { counted, describeIssue, listUnresolved } from './issue-list.ts';
import { runIssueTriage } from './issue-triage.ts';
import { runLocalSmoke } from './local-smoke.ts';
import { runProdHealth } from './prod-health.ts';
import { runReleaseGate } from './release-gate.ts';
import { CheckReport } from './report.ts';
import type { CheckResult, VerifyLoopData } from './schemas.ts';
import { knownTarget } from './slugs.ts';

/**
 * Every API check, then a checkpoint in the state file; the next run reports what changed since
 * (issues that appeared or went away, event rates). Returns the sub-checks' results and its own.
 */
export async function runVerifyLoop(ctx: CheckContext): Promise<CheckResult[]> {
  const results = [
    await runLocalSmoke(ctx),
    await runProdHealth(ctx),
    await runReleaseGate(ctx),
    await runIssueTriage(ctx),
  ];
  const report = new CheckReport('verify-loop');
  for (const result of results) report.absorb(result, result.mode);

  const target = await knownTarget(ctx);
  if (!target) {
    report.fact('no checkpoint written: the API checks did not reach the project');
    return [...results, report.result(null)];
  }
  const { options } = ctx;
  const file =
    options.stateFile ?? defaultCheckpointFile(options.stateDir, options.url, target.org, target.project);
  const data: VerifyLoopData = {
    stateFile: file,
    checkpointWritten: false,
    previousCheckpoint: null,
    delta: null,
  };
  let listing: Awaited<ReturnType<typeof listUnresolved>>;
  try {
    listing = await listUnresolved(ctx, target);
  } catch {
    report.fact('no checkpoint written: the issue list could not be read');
    return [...results, report.result(data)];
  }
  const now = ctx.now();
  const current = checkpointOf(
    { url: options.url, org: target.org, project: target.project },
    listing,
    healthSnapshot(listing, now).events24h,
    now,
  );
  const previous = readCheckpoint(file);
  if (previous.kind === 'unreadable') {
    // Never write over a file that is not ours: --state-file app/package.json must not replace it.
    report.warn(
      `checkpoint not written: ${file} exists and is unreadable as a checkpoint (${previous.reason}); pass another --state-file, or remove it if it was a checkpoint`,
    );
    report.next(rerunCommand(ctx, 'verify-loop', target));
    return [...results, report.result(data)];
  }
  if (previous.kind === 'ok') {
    const before = previous.checkpoint;
    if (before.url !== current.url || before.org !== current.org || before.project !== current.project) {
      report.note(
        `checkpoint ${file} was for ${before.org}/${before.project} at ${before.url}: starting over`,
      );
    } else {
      data.previousCheckpoint = before.takenAt;
      data.delta = deltaBetween(before, current);
      reportDelta(report, data.delta);
    }
  } else if (previous.kind === 'none') {
    report.fact('first run: no checkpoint to compare with');
  }
  try {
    writeCheckpoint(file, current);
    data.checkpointWritten = true;
    report.fact(`checkpoint written to ${file}`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'write error';
    report.warn(
      `checkpoint not written to ${file} (${code}): the next run has nothing to compare with; pass --state-file`,
    );
  }
  report.next(rerunCommand(ctx, 'verify-loop', target));
  return [...results, report.result(data)];
}

function reportDelta(report: CheckReport<'verify-loop'>, delta: NonNullable<VerifyLoopData['delta']>): void {
  report.fact(`since the checkpoint of ${delta.since} (${delta.hoursElapsed}h ago):`);
  report.fact(
    `unresolved ${delta.unresolvedBefore} → ${delta.unresolvedNow}; ${delta.newIssues.length} new, ${delta.resolvedIssues === null ? 'resolved unknown (a listing was capped)' : `${delta.resolvedIssues.length} resolved or ignored`}`,
  );
  report.fact(
    `${delta.eventsSince} events since (${delta.eventsPerHour}/h); events in the last 24h ${delta.events24hBefore} → ${delta.events24hNow}`,
  );
  for (const issue of delta.newIssues.slice(0, 5))
    report.fact(`new since the checkpoint: ${describeIssue(issue)}`);
  for (const issue of (delta.resolvedIssues ?? []).slice(0, 5))
    report.fact(`gone since the checkpoint: ${describeIssue(issue)}`);
  for (const g of delta.fastestGrowing)
    report.fact(`growing: ${g.shortId} "${g.title}" +${counted(g.newEvents, 'event')}`);
  if (delta.newIssues.length > 0)
    report.warn(`${delta.newIssues.length} new issues since the last checkpoint`);
}
