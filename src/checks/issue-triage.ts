import { type CheckContext, rerunCommand, shellQuote } from './context.ts';
import { counted, listUnresolved } from './issue-list.ts';
import { prepareApiMode, reportApiFailure } from './prepare-api.ts';
import { CheckReport } from './report.ts';
import type { CheckResult, TriageData } from './schemas.ts';
import { enc } from './slugs.ts';
import { TRIAGE_PRIORITY, triageChecklist } from './triage-order.ts';

/** Checklist length: enough for a triage session; the rest is counted, not listed. */
const MAX_ITEMS = 20;

/**
 * The unresolved issues as a deterministic checklist (same issues, same checklist), ordered by
 * TRIAGE_PRIORITY, each with the command that shows its latest event. Reads only: it never
 * resolves, ignores or assigns anything.
 */
export async function runIssueTriage(ctx: CheckContext): Promise<CheckResult> {
  const report = new CheckReport('issue-triage');
  const target = await prepareApiMode(ctx, report, ['issue-triage']);
  if (!target) return report.result(null);
  let data: TriageData;
  let changed = 0;
  try {
    const listing = await listUnresolved(ctx, target);
    const tokenVar = ctx.options.tokenSource ?? 'SENTRY_AUTH_TOKEN';
    const { items, omitted } = triageChecklist(listing.issues, {
      max: MAX_ITEMS,
      latestEventCommand: (issue) =>
        `curl -sH "Authorization: Bearer $${tokenVar}" ${shellQuote(
          `${ctx.options.url}/api/0/organizations/${enc(target.org)}/issues/${enc(issue.id)}/events/latest/`,
        )}`,
    });
    data = { total: listing.issues.length, items, omitted };
    changed = listing.issues.filter(
      (i) => i.substatus === 'regressed' || i.substatus === 'escalating',
    ).length;
    if (!listing.complete) report.note(`the listing stopped at its page cap: more than ${data.total} issues`);
  } catch (error) {
    reportApiFailure(ctx, report, error);
    return report.result(null);
  }
  report.fact(`${data.total} unresolved issues; priority: ${TRIAGE_PRIORITY}`);
  for (const item of data.items) {
    report.fact(
      `[ ] ${item.rank}. ${item.shortId} ${item.reason} ${item.level} "${item.title}": ${counted(item.events, 'event')}, ${counted(item.users, 'user')}, last seen ${item.lastSeen ?? 'never'}, ${item.assigned ? `assigned to ${item.assigned}` : 'unassigned'}; ${item.action}`,
    );
    report.next(`${item.command}  # ${item.rank}. ${item.shortId}`);
  }
  if (data.omitted > 0) report.fact(`and ${data.omitted} more, not listed`);
  if (data.total > 0)
    report.warn(
      `${data.total} unresolved issues to triage${changed ? `, ${changed} regressed or escalating` : ''}`,
    );
  else report.next(rerunCommand(ctx, 'verify-loop', target));
  return report.result(data);
}
