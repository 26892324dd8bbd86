import type { AppContext } from '../context.ts';
import type { IncidentContext } from '../incidents/access.ts';
import type { Incident } from '../store/types-incidents.ts';
import type { Postmortem } from '../store/types-postmortems.ts';
import { type ActionItemView, viewActionItems } from './action-items.ts';
import type { PostmortemFacts } from './facts.ts';
import { adrRef, durationText, isoSeconds, mdText, plural, rateText } from './format.ts';
import { requirePostmortem } from './generate.ts';
import { NARRATIVE_FIELDS, type NarrativeField } from './narrative.ts';
import { reconciliationBlock } from './reconciliation.ts';

/** When to revisit the post-mortem (`001_…`: "when the action items are complete"), with progress. */
export interface Revisit {
  /** Items that count: all but those marked won't do. */
  total: number;
  done: number;
  wontDo: number;
  pending: number;
  overdue: number;
  complete: boolean;
  text: string;
}

/** A post-mortem as read: its stored parts, the live incident and action items, and what they imply. */
export interface PostmortemView {
  postmortem: Postmortem;
  adr: string;
  facts: PostmortemFacts;
  incident: Incident;
  /** Final once the incident is closed; a draft before. */
  status: 'draft' | 'final';
  /** The incident's fields or issues changed after generation: regenerate to refresh its data. */
  stale: boolean;
  /** What each narrative field shows: what people wrote, else its default (null: nothing yet). */
  effective: Record<NarrativeField, string | null>;
  actionItems: ActionItemView[];
  revisit: Revisit;
  reconciliation: string;
}

const MAX_ITEMS = 500;

export async function loadPostmortemView(
  ctx: AppContext,
  { incident }: IncidentContext,
): Promise<PostmortemView> {
  return viewPostmortem(ctx, incident, await requirePostmortem(ctx, incident));
}

export async function viewPostmortem(
  ctx: AppContext,
  incident: Incident,
  postmortem: Postmortem,
): Promise<PostmortemView> {
  const facts = postmortem.facts as unknown as PostmortemFacts;
  const items = await ctx.store.actionItems.list({
    orgId: incident.orgId,
    incidentId: incident.id,
    limit: MAX_ITEMS,
    offset: 0,
  });
  const actionItems = await viewActionItems(ctx, items);
  const effective = Object.fromEntries(
    NARRATIVE_FIELDS.map((field) => [field, postmortem.narrative[field] ?? defaultOf(field, facts)]),
  ) as Record<NarrativeField, string | null>;
  const adr = adrRef(postmortem.number);
  return {
    postmortem,
    adr,
    facts,
    incident,
    status: incident.status === 'closed' ? 'final' : 'draft',
    stale: changedSince(incident, facts),
    effective,
    actionItems,
    revisit: revisitOf(actionItems),
    reconciliation: reconciliationBlock({ facts, adr, rootCause: effective.rootCause, actionItems }),
  };
}

/** Fields the post-mortem's data is computed from; closing or reopening alone does not make it stale. */
const WATCHED = [
  'title',
  'severity',
  'services',
  'ticketUrl',
  'rootCause',
  'detectionSource',
  'firstEventAt',
  'detectedAt',
  'acknowledgedAt',
  'mitigatedAt',
  'resolvedAt',
  'resolutionOverride',
] as const;

function changedSince(incident: Incident, facts: PostmortemFacts): boolean {
  const linked = facts.impact.perIssue.map((i) => i.issueId);
  return (
    WATCHED.some((field) => JSON.stringify(incident[field]) !== JSON.stringify(facts.incident[field])) ||
    JSON.stringify([...incident.issueIds].sort()) !== JSON.stringify([...linked].sort())
  );
}

function defaultOf(field: NarrativeField, facts: PostmortemFacts): string | null {
  if (field === 'title') return `${facts.incident.ref}: ${facts.incident.title}`;
  if (field === 'rootCause') return facts.incident.rootCause;
  if (field === 'summary') return summaryOf(facts);
  return null;
}

/**
 * One paragraph from the data, for when nobody has written the summary yet. The summary is
 * Markdown like the other narrative fields, so the data in it (environments and releases come
 * from events, which anyone holding a public DSN can send) is escaped as the tables escape it.
 */
export function summaryOf(facts: PostmortemFacts): string {
  const { incident, impact, mitigations } = facts;
  const users = impact.users > 0 ? plural(impact.users, 'user') : 'users unknown';
  const envs = impact.environments.map((e) => mdText(e.value, 100)).join(', ');
  const parts = [
    `${incident.ref} (${mdText(incident.severity)}): ${plural(impact.events, 'event')} from ${users}${envs ? ` in ${envs}` : ''} over ${durationText(impact.durationSeconds)}${impact.ongoing ? ' so far' : ''}.`,
  ];
  const first = mitigations[0];
  if (first) {
    const after = Math.round((first.at - impact.start) / 1000);
    parts.push(
      `Mitigated by ${mdText(first.type.replace('_', ' '))}${first.release ? ` (${mdText(first.release, 100)})` : ''} after ${durationText(after)}.`,
    );
  }
  if (incident.resolvedAt !== null) {
    parts.push(
      `Resolved at ${isoSeconds(incident.resolvedAt)}; error rate ${rateText(facts.rates.baselinePerMinute)} before, ${rateText(facts.rates.afterPerMinute)} after.`,
    );
  }
  return parts.join(' ');
}

export function revisitOf(items: ActionItemView[]): Revisit {
  const counted = items.filter((v) => v.item.status !== 'wont_do');
  const done = counted.filter((v) => v.item.status === 'done').length;
  const overdue = counted.filter((v) => v.overdue).length;
  const total = counted.length;
  const complete = total > 0 && done === total;
  const next = counted
    .filter((v) => v.item.status !== 'done' && v.item.dueAt !== null)
    .sort((a, b) => (a.item.dueAt ?? 0) - (b.item.dueAt ?? 0))[0];
  let text: string;
  if (total === 0) {
    text =
      'When its action items are complete — none recorded yet: add the tests, monitors and gates this incident calls for.';
  } else if (complete) {
    const last = Math.max(...counted.map((v) => v.item.completedAt ?? 0));
    const day = isoSeconds(last).slice(0, 10);
    text =
      total === 1
        ? `Now: the 1 action item is done (on ${day}).`
        : `Now: all ${total} action items are done (the last on ${day}).`;
  } else {
    text = `When its action items are complete: ${done} of ${total} done (${Math.floor((done / total) * 100)} %)${overdue ? `, ${overdue} overdue` : ''}${next?.item.dueAt ? `; next due ${isoSeconds(next.item.dueAt).slice(0, 10)}: ${next.item.title}` : ''}.`;
  }
  return {
    total,
    done,
    wontDo: items.length - total,
    pending: total - done,
    overdue,
    complete,
    text,
  };
}
