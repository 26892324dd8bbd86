import { notFound } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import {
  formatIncidentRef,
  INCIDENT_READ,
  INCIDENT_WRITE,
  type IncidentContext,
} from '../incidents/access.ts';
import { shortIdOf } from '../issues/short-id.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import type { Org } from '../store/types.ts';
import type { Incident } from '../store/types-incidents.ts';
import { ACTION_ITEM_PENDING, type ActionItem, type IncidentEntry } from '../store/types-postmortems.ts';
import { parseInput } from '../validation.ts';
import { NewActionItemInput, resolveIncidentRef, resolveIssueId, resolveOwner } from './action-item-input.ts';
import { isoSeconds, oneLine } from './format.ts';

/** An action item as shown: its owner, incident and issue by name, and whether it is overdue. */
export interface ActionItemView {
  item: ActionItem;
  owner: { userId: number | null; name: string; email: string | null } | null;
  incident: { id: number; ref: string; title: string } | null;
  issue: { id: number; shortId: string; title: string } | null;
  overdue: boolean;
}

export const isOverdue = (item: ActionItem, now: number): boolean =>
  item.dueAt !== null && item.dueAt < now && ACTION_ITEM_PENDING.includes(item.status);

/** Completion moves with the status: set when it leaves open/in_progress, cleared when it returns. */
export function completedAtFor(
  status: ActionItem['status'],
  previous: number | null,
  now: number,
): number | null {
  if (ACTION_ITEM_PENDING.includes(status)) return null;
  return previous ?? now;
}

export const itemLabel = (item: Pick<ActionItem, 'id' | 'kind'>): string =>
  `Action item #${item.id} (${item.kind})`;

/** POST /incidents/{ref}/action-items/ — an action item of the incident (from its post-mortem). */
export async function createIncidentActionItem(
  ctx: AppContext,
  principal: Principal,
  { org, incident }: IncidentContext,
  body: unknown,
): Promise<ActionItemView> {
  const input = parseInput(NewActionItemInput, body, 'action item');
  return createItem(ctx, principal, org, { ...input, incident: null }, incident);
}

/** POST /organizations/{org}/action-items/ — on its own, or naming its incident with `incident`. */
export async function createActionItem(
  ctx: AppContext,
  principal: Principal,
  orgSlug: string,
  body: unknown,
): Promise<ActionItemView> {
  requireScope(principal, ...INCIDENT_WRITE);
  const org = await resolveOrg(ctx, principal, orgSlug);
  const input = parseInput(NewActionItemInput, body, 'action item');
  const incident = input.incident ? await resolveIncidentRef(ctx, org, input.incident) : null;
  return createItem(ctx, principal, org, input, incident);
}

async function createItem(
  ctx: AppContext,
  principal: Principal,
  org: Org,
  input: ReturnType<typeof NewActionItemInput.parse>,
  incident: Incident | null,
): Promise<ActionItemView> {
  const now = ctx.clock.now();
  const owner = await resolveOwner(ctx, principal, org, input.owner ?? null);
  const item = await ctx.store.actionItems.create({
    orgId: org.id,
    incidentId: incident?.id ?? null,
    issueId: input.issue ? await resolveIssueId(ctx, org, input.issue) : null,
    title: input.title,
    description: input.description ?? null,
    kind: input.kind,
    status: input.status,
    ...owner,
    dueAt: input.dueAt ?? null,
    completedAt: completedAtFor(input.status, null, now),
    createdBy: principal.actor,
    now,
    entriesFor: (created): IncidentEntry[] =>
      created.incidentId === null
        ? []
        : [
            {
              incidentId: created.incidentId,
              kind: 'action_item',
              body: oneLine(
                `${itemLabel(created)} added: ${created.title}${created.dueAt === null ? '' : ` — due ${isoSeconds(created.dueAt).slice(0, 10)}`}`,
                1000,
              ),
              data: {
                actionItemId: String(created.id),
                action: 'created',
                kind: created.kind,
                status: created.status,
              },
              actor: principal.actor,
              occurredAt: now,
            },
          ],
  });
  return (await viewActionItems(ctx, [item]))[0];
}

/** The item named in a URL, in the caller's organisation; another organisation's is 404. */
export async function loadActionItem(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; id: string },
  write: boolean,
): Promise<{ org: Org; item: ActionItem }> {
  requireScope(principal, ...(write ? INCIDENT_WRITE : INCIDENT_READ));
  const org = await resolveOrg(ctx, principal, input.org);
  const item = /^\d{1,15}$/.test(input.id) ? await ctx.store.actionItems.get(Number(input.id)) : null;
  if (!item || item.orgId !== org.id) throw notFound('action item');
  return { org, item };
}

/** Names for owners, incidents and issues, each looked up once. */
export async function viewActionItems(ctx: AppContext, items: ActionItem[]): Promise<ActionItemView[]> {
  const now = ctx.clock.now();
  const users = new Map<number, ActionItemView['owner']>();
  const incidents = new Map<number, ActionItemView['incident']>();
  const issues = new Map<number, ActionItemView['issue']>();
  const views: ActionItemView[] = [];
  for (const item of items) {
    if (item.ownerUserId !== null && !users.has(item.ownerUserId)) {
      const user = await ctx.store.users.getById(item.ownerUserId);
      users.set(
        item.ownerUserId,
        user ? { userId: user.id, name: user.name || user.email, email: user.email } : null,
      );
    }
    if (item.incidentId !== null && !incidents.has(item.incidentId)) {
      const incident = await ctx.store.incidents.getById(item.incidentId);
      incidents.set(
        item.incidentId,
        incident ? { id: incident.id, ref: formatIncidentRef(incident), title: incident.title } : null,
      );
    }
    if (item.issueId !== null && !issues.has(item.issueId)) {
      const issue = await ctx.store.issues.getById(item.issueId);
      const project = issue ? await ctx.store.projects.getById(issue.projectId) : null;
      issues.set(
        item.issueId,
        issue && project ? { id: issue.id, shortId: shortIdOf(project, issue), title: issue.title } : null,
      );
    }
    views.push({
      item,
      owner:
        item.ownerUserId !== null
          ? (users.get(item.ownerUserId) ?? null)
          : item.ownerName !== null
            ? { userId: null, name: item.ownerName, email: null }
            : null,
      incident: item.incidentId === null ? null : (incidents.get(item.incidentId) ?? null),
      issue: item.issueId === null ? null : (issues.get(item.issueId) ?? null),
      overdue: isOverdue(item, now),
    });
  }
  return views;
}
