import { conflict } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { ActionItem, ActionItemFields, IncidentEntry } from '../store/types-postmortems.ts';
import { parseInput } from '../validation.ts';
import {
  resolveIncidentRef,
  resolveIssueId,
  resolveOwner,
  UpdateActionItemInput,
} from './action-item-input.ts';
import {
  type ActionItemView,
  completedAtFor,
  itemLabel,
  loadActionItem,
  viewActionItems,
} from './action-items.ts';
import { isoSeconds, oneLine } from './format.ts';

const show = (field: keyof ActionItemFields, value: unknown): string =>
  value === null || value === undefined
    ? '—'
    : field === 'dueAt' || field === 'completedAt'
      ? isoSeconds(Number(value)).slice(0, 10)
      : String(value);

/** Fields an entry shows as `from → to`, in this order; owner, incident and issue show what was given. */
const SHOWN: [keyof ActionItemFields, string][] = [
  ['status', 'status'],
  ['title', 'title'],
  ['kind', 'kind'],
  ['dueAt', 'due'],
];

/**
 * PUT /organizations/{org}/action-items/{id}/ — a conditional change (409 when someone changed
 * it first), written with a timeline entry on its incident (and on the incident it left).
 */
export async function updateActionItem(
  ctx: AppContext,
  principal: Principal,
  params: { org: string; id: string },
  body: unknown,
): Promise<ActionItemView> {
  const { org, item } = await loadActionItem(ctx, principal, params, true);
  const input = parseInput(UpdateActionItemInput, body, 'action item');
  if (input.expectedVersion !== undefined && input.expectedVersion !== item.version) {
    throw conflict(`The action item is at version ${item.version}, not ${input.expectedVersion}.`);
  }
  const now = ctx.clock.now();
  const fields: Partial<ActionItemFields> = {
    title: input.title,
    description: input.description,
    kind: input.kind,
    status: input.status,
    dueAt: input.dueAt,
  };
  if (input.owner !== undefined) Object.assign(fields, await resolveOwner(ctx, principal, org, input.owner));
  if (input.incident !== undefined) {
    fields.incidentId =
      input.incident === null ? null : (await resolveIncidentRef(ctx, org, input.incident)).id;
  }
  if (input.issue !== undefined) {
    fields.issueId = input.issue === null ? null : await resolveIssueId(ctx, org, input.issue);
  }
  if (input.status !== undefined) fields.completedAt = completedAtFor(input.status, item.completedAt, now);
  const changed = Object.fromEntries(
    Object.entries(fields).filter(
      ([key, value]) => value !== undefined && value !== item[key as keyof ActionItem],
    ),
  ) as Partial<ActionItemFields>;
  if (Object.keys(changed).length === 0) return (await viewActionItems(ctx, [item]))[0];

  const changes = SHOWN.filter(([field]) => field in changed).map(
    ([field, label]) => `${label} ${show(field, item[field])} → ${show(field, changed[field])}`,
  );
  if ('ownerUserId' in changed || 'ownerName' in changed) changes.push(`owner → ${input.owner ?? '—'}`);
  if ('incidentId' in changed) changes.push(`incident → ${input.incident ?? '—'}`);
  if ('issueId' in changed) changes.push(`issue → ${input.issue ?? '—'}`);
  if ('description' in changed) changes.push('description edited');
  const entry = (incidentId: number): IncidentEntry => ({
    incidentId,
    kind: 'action_item',
    body: oneLine(`${itemLabel({ ...item, ...changed })}: ${changes.join('; ')}`, 1000),
    data: {
      actionItemId: String(item.id),
      action: 'updated',
      changes: Object.fromEntries(
        Object.keys(changed).map((k) => [
          k,
          { from: item[k as keyof ActionItem], to: changed[k as keyof ActionItemFields] },
        ]),
      ),
    },
    actor: principal.actor,
    occurredAt: now,
  });
  const incidents = new Set([item.incidentId, changed.incidentId ?? item.incidentId]);
  const updated = await ctx.store.actionItems.update(item.id, {
    fields: changed,
    expectedVersion: input.expectedVersion ?? item.version,
    now,
    entries: [...incidents].flatMap((id) => (id === null || id === undefined ? [] : [entry(id)])),
  });
  if (!updated) throw conflict('The action item was changed by someone else; reload it and try again.');
  return (await viewActionItems(ctx, [updated]))[0];
}

/** DELETE /organizations/{org}/action-items/{id}/ — the incident's timeline keeps a note of it. */
export async function deleteActionItem(
  ctx: AppContext,
  principal: Principal,
  params: { org: string; id: string },
): Promise<void> {
  const { item } = await loadActionItem(ctx, principal, params, true);
  const now = ctx.clock.now();
  await ctx.store.actionItems.delete(
    item.id,
    item.incidentId === null
      ? []
      : [
          {
            incidentId: item.incidentId,
            kind: 'action_item',
            body: oneLine(`${itemLabel(item)} deleted: ${item.title}`, 1000),
            data: { actionItemId: String(item.id), action: 'deleted', title: item.title },
            actor: principal.actor,
            occurredAt: now,
          },
        ],
    now,
  );
}
