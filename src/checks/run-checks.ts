import type { CheckContext } from './context.ts';
import { runIssueTriage } from './issue-triage.ts';
import { runLocalSmoke } from './local-smoke.ts';
import { maskDsn, maskToken } from './mask.ts';
import { runProdHealth } from './prod-health.ts';
import { runReleaseGate } from './release-gate.ts';
import { worstStatus } from './report.ts';
import type { CheckOutput, CheckResult } from './schemas.ts';
import { runSetupPreflight } from './setup-preflight.ts';
import { knownTarget } from './slugs.ts';
import { runVerifyLoop } from './verify-loop.ts';

/**
 * Runs the chosen mode. `all` runs every safe check in the playbook's workflow order; it leaves
 * out verify-loop, which writes a checkpoint file and repeats the same API checks.
 */
export async function runChecks(ctx: CheckContext): Promise<CheckOutput> {
  const { options } = ctx;
  let results: CheckResult[];
  let headline: Pick<CheckResult, 'status' | 'evidence' | 'risks' | 'nextCommands'>;
  switch (options.mode) {
    case 'setup-preflight':
      results = [runSetupPreflight(ctx)];
      break;
    case 'local-smoke':
      results = [await runLocalSmoke(ctx)];
      break;
    case 'prod-health':
      results = [await runProdHealth(ctx)];
      break;
    case 'release-gate':
      results = [await runReleaseGate(ctx)];
      break;
    case 'issue-triage':
      results = [await runIssueTriage(ctx)];
      break;
    case 'verify-loop':
      results = await runVerifyLoop(ctx);
      break;
    case 'all':
      results = [runSetupPreflight(ctx)];
      for (const run of [runLocalSmoke, runReleaseGate, runProdHealth, runIssueTriage])
        results.push(await run(ctx));
      break;
  }
  if (options.mode === 'all') headline = combine(results);
  else headline = results[results.length - 1];

  const target = await knownTarget(ctx);
  return {
    schemaVersion: 1,
    mode: options.mode,
    status: headline.status,
    evidence: headline.evidence,
    risks: headline.risks,
    nextCommands: headline.nextCommands,
    target: {
      url: options.url,
      org: target?.org ?? options.org,
      project: target?.project ?? options.project,
      token: options.token ? maskToken(options.token) : null,
      dsn: options.dsn ? maskDsn(options.dsn) : null,
      repoRoot: options.repoRoot,
    },
    checks: results,
    generatedAt: new Date(ctx.now()).toISOString(),
  };
}

/** One report out of several: the worst status, each mode's status line, then its findings. */
function combine(results: CheckResult[]) {
  const evidence: string[] = [];
  const risks: string[] = [];
  const nextCommands: string[] = [];
  const seen = new Set<string>();
  for (const r of results) {
    evidence.push(`${r.mode}: ${r.status}${r.skipped ? ' (skipped)' : ''}`);
    for (const line of r.evidence) {
      if (!seen.has(line)) evidence.push(`[${r.mode}] ${line}`);
      seen.add(line);
    }
    for (const line of r.risks) risks.push(`[${r.mode}] ${line}`);
    for (const command of r.nextCommands) if (!nextCommands.includes(command)) nextCommands.push(command);
  }
  return { status: worstStatus(results.map((r) => r.status)), evidence, risks, nextCommands };
}
