import { shortIdOf } from '../issues/short-id.ts';
import type { Issue } from '../store/types.ts';
import type { AlertRule } from '../store/types-alerts.ts';
import type { DeploySignal } from '../store/types-incidents.ts';
import { MINUTE } from './baseline.ts';
import { LOOKBACK_MS } from './detect-issues.ts';
import { issueSpikes, spikeData } from './detect-spike.ts';
import { activeSince, type Candidate, evaluationInstants, type ProjectScan } from './scan.ts';
import { conditionsOf, type DeployConditions } from './schemas.ts';

const MAX_DEPLOYS = 20;

/**
 * `deploy` rules: within `windowMinutes` after a deploy of the project finished, an issue first
 * seen (or spiking) in the deploy's environment. Each (deploy, issue) fires once and names the
 * deploy: the latest one to that environment before the issue was seen, never one a later deploy
 * replaced; a new issue whose first release is another release's is not the deploy's.
 */
export async function detectAfterDeploy(scan: ProjectScan, rules: AlertRule[]): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  for (const rule of rules) {
    const spec = conditionsOf<DeployConditions>('deploy', rule.conditions);
    const window = spec.windowMinutes * MINUTE;
    const deploys = await scan.ctx.store.signals.deploys({
      projectIds: [scan.project.id],
      start: Math.max(scan.from - LOOKBACK_MS, activeSince(rule)) - window,
      end: scan.now + 1,
      limit: MAX_DEPLOYS,
    });
    for (const deploy of deploys) {
      if (rule.filters.environments && !rule.filters.environments.includes(deploy.environment)) continue;
      // The issue must have events in the deploy's environment.
      const scoped: AlertRule = { ...rule, filters: { ...rule.filters, environments: [deploy.environment] } };
      const end = Math.min(scan.now, deploy.dateFinished + window);
      const named = (
        issue: Issue,
        what: string,
        at: number,
        data: Record<string, unknown>,
      ): Candidate | null =>
        supersededAt(deploys, deploy, at)
          ? null
          : {
              rule,
              detector: 'deploy',
              subject: `issue:${issue.id}`,
              window: `deploy:${deploy.id}`,
              issue,
              at,
              summary: `${shortIdOf(scan.project, issue)} ${what} ${minutesAfter(deploy, at)} min after the deploy of ${deploy.version} to ${deploy.environment}: ${issue.title}`,
              data: { ...data, deploy: deployData(deploy, at) },
            };
      if (spec.include.includes('new_issue')) {
        const found = await scan.ctx.store.detectSignals.newIssues({
          projectIds: [scan.project.id],
          since: deploy.dateFinished,
        });
        // Issues created before the rule existed or was enabled again are not news to it.
        const fresh = found
          .filter((i) => i.firstSeen <= deploy.dateFinished + window && i.createdAt >= activeSince(rule))
          .map((i) => i.issueId);
        for (const issueId of await scan.filter(scoped, fresh)) {
          const issue = await scan.issue(issueId);
          if (!issue || (issue.firstRelease !== null && issue.firstRelease !== deploy.version)) continue;
          const candidate = named(issue, 'first seen', issue.firstSeen, { kind: 'new_issue' });
          if (candidate) candidates.push(candidate);
        }
      }
      if (spec.include.includes('spike') && end >= Math.max(scan.from, deploy.dateFinished)) {
        const instants = evaluationInstants(Math.max(scan.from, deploy.dateFinished), end);
        const spikeSpec = { ...spec, windowMinutes: 1, baseline: 'seasonal' as const };
        for (const [issueId, { at, verdict }] of await issueSpikes(scan, scoped, spikeSpec, instants)) {
          const issue = await scan.issue(issueId);
          const candidate =
            issue && named(issue, 'spiked', at, { kind: 'spike', ...spikeData(verdict, spikeSpec) });
          if (candidate) candidates.push(candidate);
        }
      }
    }
  }
  return candidates;
}

/** Whether another deploy to the same environment finished after `deploy` and by `at`. */
function supersededAt(deploys: DeploySignal[], deploy: DeploySignal, at: number): boolean {
  return deploys.some(
    (other) =>
      other.id !== deploy.id &&
      other.environment === deploy.environment &&
      other.dateFinished > deploy.dateFinished &&
      other.dateFinished <= at,
  );
}

function minutesAfter(deploy: DeploySignal, at: number): number {
  return Math.max(0, Math.round((at - deploy.dateFinished) / MINUTE));
}

function deployData(deploy: DeploySignal, at: number) {
  return {
    id: String(deploy.id),
    release: deploy.version,
    environment: deploy.environment,
    dateFinished: new Date(deploy.dateFinished).toISOString(),
    minutesAfter: minutesAfter(deploy, at),
  };
}
