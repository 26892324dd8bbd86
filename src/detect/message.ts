import { shortIdOf } from '../issues/short-id.ts';
import type { AlertFiring } from '../store/types-alerts.ts';
import type { Candidate, ProjectScan } from './scan.ts';

export interface AlertMessage {
  title: string;
  text: string;
  url: string;
  /**
   * The `data` of Sentry's issue-alert webhook (`{issue, triggered_rule}`, plus Firebreak's
   * `alert` with the numbers); the webhook channel wraps it in `{action: 'triggered', data, actor}`.
   */
  data: Record<string, unknown>;
}

/** What a firing tells its notification targets. */
export function alertMessage(scan: ProjectScan, candidate: Candidate, firing: AlertFiring): AlertMessage {
  const base = scan.ctx.publicUrl();
  const { org, project } = scan;
  const issue = candidate.issue;
  const url = issue
    ? `${base}/organizations/${org.slug}/issues/${issue.id}/`
    : `${base}/organizations/${org.slug}/projects/${project.slug}/`;
  const numbers = Object.entries(candidate.data)
    .filter(([, value]) => value !== null && typeof value !== 'object')
    .map(([key, value]) => `${key}: ${value}`);
  const text = [
    candidate.summary,
    `Rule: ${candidate.rule.name} (${candidate.detector}) in ${org.slug}/${project.slug}`,
    ...(numbers.length ? [numbers.join(', ')] : []),
    url,
  ].join('\n');
  return {
    title: `[${project.slug}] ${candidate.summary}`,
    text,
    url,
    data: {
      issue: issue
        ? {
            id: String(issue.id),
            shortId: shortIdOf(project, issue),
            title: issue.title,
            culprit: issue.culprit,
            level: issue.level,
            status: issue.status,
            substatus: issue.substatus,
            firstSeen: new Date(issue.firstSeen).toISOString(),
            lastSeen: new Date(issue.lastSeen).toISOString(),
            count: String(issue.timesSeen),
            userCount: issue.userCount,
            permalink: url,
            web_url: url,
            project: { id: String(project.id), slug: project.slug, name: project.name },
          }
        : null,
      triggered_rule: candidate.rule.name,
      alert: {
        firingId: String(firing.id),
        ruleId: String(candidate.rule.id),
        detector: candidate.detector,
        subject: candidate.subject,
        summary: candidate.summary,
        firedAt: new Date(firing.firedAt).toISOString(),
        organization: org.slug,
        project: project.slug,
        ...candidate.data,
      },
    },
  };
}
